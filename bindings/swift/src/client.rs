//! The `ContentOS` client object for Swift: open / in-memory, users, workspaces, content,
//! transform and schedule. Results are Swift structs (uniffi records) built from SDK types.

use std::str::FromStr;
use std::sync::Arc;
use std::time::SystemTime;

use contentos_core::access::Actor;
use contentos_core::model::{
    AccountId, BrandVoice, ContentId, ContentType, NewContent, NewVariation, Platform, UserId,
    VariationId, WorkspaceId,
};
use contentos_core::pipeline::TransformRequest;
use contentos_core::vault::Secret;
use contentos_core::{ContentOs as Engine, Error, NewSocialAccount};

use crate::errors::Result;
use crate::publishers::BlueskyPublisher;
use crate::scoring::default_model;

/// A user.
#[derive(Debug, uniffi::Record)]
pub struct User {
    /// Id (UUID string).
    pub id: String,
    /// Email.
    pub email: String,
}

/// A workspace.
#[derive(Debug, uniffi::Record)]
pub struct Workspace {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// IANA time zone.
    pub timezone: String,
}

/// A platform-specific version of a content item.
#[derive(Debug, uniffi::Record)]
pub struct Variation {
    /// Id.
    pub id: String,
    /// Platform, when the variation targets one.
    pub platform: Option<String>,
    /// The text.
    pub body: String,
}

/// A content item with its variations.
#[derive(Debug, uniffi::Record)]
pub struct Content {
    /// Id.
    pub id: String,
    /// Title.
    pub title: Option<String>,
    /// The original input.
    pub original_input: String,
    /// Variations.
    pub variations: Vec<Variation>,
}

/// A queued post.
#[derive(Debug, uniffi::Record)]
pub struct ScheduledPost {
    /// Id.
    pub id: String,
    /// When it is due.
    pub scheduled_time: SystemTime,
    /// `"scheduled"`, `"published"`, …
    pub status: String,
}

fn parse<T: FromStr<Err = Error>>(s: &str) -> Result<T> {
    Ok(T::from_str(s)?)
}

fn actor(user_id: &str) -> Result<Actor> {
    Ok(Actor::user(parse::<UserId>(user_id)?))
}

fn variation(v: contentos_core::model::Variation) -> Variation {
    Variation {
        id: v.id.to_string(),
        platform: v.platform.map(|p| p.as_str().to_string()),
        body: v.body,
    }
}

/// The ContentOS engine.
#[derive(uniffi::Object)]
pub struct ContentOs {
    os: Engine,
}

async fn build(
    b: contentos_core::ContentOsBuilder,
    publishers: Vec<Arc<BlueskyPublisher>>,
) -> Result<Arc<ContentOs>> {
    let mut b = b
        .llm_opt(contentos_core::llm::from_env()?)
        .scorer(default_model()?);
    for p in publishers {
        b = b.publisher(p.sdk());
    }
    Ok(Arc::new(ContentOs {
        os: b.execute().await?,
    }))
}

#[uniffi::export(async_runtime = "tokio")]
impl ContentOs {
    /// Opens (creating if needed) an SQLite database at `path`.
    #[uniffi::constructor]
    pub async fn open(path: String, publishers: Vec<Arc<BlueskyPublisher>>) -> Result<Arc<Self>> {
        build(Engine::builder().sqlite(path), publishers).await
    }

    /// An engine on a private in-memory database.
    #[uniffi::constructor]
    pub async fn in_memory(publishers: Vec<Arc<BlueskyPublisher>>) -> Result<Arc<Self>> {
        build(Engine::builder().in_memory(), publishers).await
    }

    /// Creates a user.
    pub async fn create_user(&self, email: String) -> Result<User> {
        let u = self.os.create_user(&email).await?;
        Ok(User {
            id: u.id.to_string(),
            email: u.email,
        })
    }

    /// Creates a workspace owned by `user_id`.
    pub async fn create_workspace(
        &self,
        user_id: String,
        name: String,
        timezone: String,
    ) -> Result<Workspace> {
        let a = actor(&user_id)?;
        let w = self
            .os
            .create_workspace(&a, &name, BrandVoice::default(), &timezone)
            .await?;
        Ok(Workspace {
            id: w.id.to_string(),
            name: w.name,
            timezone: w.timezone,
        })
    }

    /// Stores a social content item with optional ready-made variations `(platform, body)`.
    pub async fn create_content(
        &self,
        user_id: String,
        workspace_id: String,
        original_input: String,
        variations: Vec<Variation>,
    ) -> Result<Content> {
        let a = actor(&user_id)?;
        let mut vs = Vec::with_capacity(variations.len());
        for v in variations {
            vs.push(NewVariation {
                platform: v.platform.as_deref().map(parse::<Platform>).transpose()?,
                body: v.body,
                metadata: Default::default(),
            });
        }
        let new = NewContent {
            workspace_id: parse::<WorkspaceId>(&workspace_id)?,
            created_by: a.user_id,
            title: None,
            original_input,
            content_type: ContentType::Social,
            format: Default::default(),
            metadata: Default::default(),
            variations: vs,
        };
        let c = self.os.create_content(&a, new).await?;
        Ok(Content {
            id: c.content.id.to_string(),
            title: c.content.title,
            original_input: c.content.original_input,
            variations: c.variations.into_iter().map(variation).collect(),
        })
    }

    /// Adapts a content item to `platforms` (needs an LLM from the environment).
    pub async fn transform(
        &self,
        user_id: String,
        content_id: String,
        platforms: Vec<String>,
    ) -> Result<Vec<Variation>> {
        let a = actor(&user_id)?;
        let platforms = platforms
            .iter()
            .map(|p| parse::<Platform>(p))
            .collect::<Result<Vec<_>>>()?;
        let req = TransformRequest::new(parse::<ContentId>(&content_id)?, platforms);
        let out = self.os.transform(&a, req).await?;
        Ok(out.into_iter().map(variation).collect())
    }

    /// Connects a Bluesky account (handle + app password, sealed by the vault); returns its id.
    pub async fn connect_bluesky(
        &self,
        user_id: String,
        workspace_id: String,
        handle: String,
        app_password: String,
        pds: String,
    ) -> Result<String> {
        let a = actor(&user_id)?;
        let new = NewSocialAccount {
            platform: Platform::Bluesky,
            account_name: handle,
            external_id: None,
            base_url: Some(pds),
            access_token: Secret::new(app_password),
            refresh_token: None,
            token_expires_at: None,
        };
        let acc = self
            .os
            .connect_account(&a, parse::<WorkspaceId>(&workspace_id)?, new)
            .await?;
        Ok(acc.id.to_string())
    }

    /// Queues a variation on an account at `at`, remembering the IANA `timezone`.
    pub async fn schedule(
        &self,
        user_id: String,
        variation_id: String,
        account_id: String,
        at: SystemTime,
        timezone: String,
    ) -> Result<ScheduledPost> {
        let a = actor(&user_id)?;
        let p = self
            .os
            .schedule(
                &a,
                parse::<VariationId>(&variation_id)?,
                parse::<AccountId>(&account_id)?,
                at.into(),
                &timezone,
            )
            .await?;
        Ok(ScheduledPost {
            id: p.id.to_string(),
            scheduled_time: p.scheduled_time.into(),
            status: p.status.as_str().to_string(),
        })
    }
}
