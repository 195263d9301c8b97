//! The `ContentOS` client: the SDK facade (`contentos_core::ContentOs`) for Node.
//!
//! Every operation returns a Promise; arguments are plain JS objects with the SDK's camelCase
//! serde names, results are the typed records of [`crate::records`]. `generateStream` returns a [`GenerateStream`] whose `next()`
//! `contentos.js` turns into an async iterator.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use contentos_core::access::Actor;
use contentos_core::llm::openai::{OpenAiConfig, OpenAiProvider};
use contentos_core::model::{
    AccountId, BrandVoice, ContentId, ContentQuery, NewContent, NewSegment, UserId, VariationId,
    WorkspaceId,
};
use contentos_core::pipeline::{GenerateEvent as SdkEvent, GenerateRequest, TransformRequest};
use contentos_core::vault::Secret;
use contentos_core::{ContentOs, NewSocialAccount};
use futures::stream::BoxStream;
use futures::StreamExt;
use napi_derive::napi;
use serde_json::{json, Value};
use tokio::sync::Mutex;

use crate::convert::{from_value, id, merged, to_value};
use crate::errors::IntoNapi;
use crate::publishers::{publisher_of, PublisherConfig};
use crate::records::{
    typed, Account, ContentPage, ContentWithVariations, GenerateEvent, GeneratedContent,
    PerformanceReport, PersonalizedVersion, PublishNowResult, ScheduledPost, Segment, User,
    Variation, Workspace, WorkspaceMembership,
};
use crate::scoring::default_model;

/// Options of `ContentOS.open` / `inMemory` / `connect`.
#[napi(object)]
#[derive(Default)]
pub struct ClientOptions {
    /// Base URL (up to `/v1`) of an OpenAI-compatible server; else the LLM comes from the
    /// environment (`OPENAI_API_KEY`, …), else generation fails with `unavailable`.
    pub llm_base_url: Option<String>,
    /// Model name for `llmBaseUrl`; default `gpt-4o-mini`.
    pub llm_model: Option<String>,
    /// API key for `llmBaseUrl`.
    pub llm_api_key: Option<String>,
    /// Publishers used by `publishNow` and the scheduler: publisher objects or
    /// `{platform, baseUrl}`.
    pub publishers: Option<Vec<PublisherConfig>>,
    /// Attach the bundled engagement model to generated variations (default `true`).
    pub score: Option<bool>,
}

/// A social account to connect (its token is sealed by the vault).
#[napi(object)]
pub struct NewAccountInput {
    /// `"bluesky"`, `"mastodon"`, …
    pub platform: String,
    /// Handle / display name (Bluesky: the login handle).
    pub account_name: String,
    /// Access token (Bluesky: app password).
    pub access_token: String,
    /// PDS / instance URL.
    pub base_url: Option<String>,
    /// The platform's id for the account.
    pub external_id: Option<String>,
}

/// The ContentOS engine: storage, LLM pipeline, scheduling, publishing and analytics.
#[napi(js_name = "ContentOS")]
pub struct ContentOS {
    os: ContentOs,
}

fn actor(user_id: &str) -> napi::Result<Actor> {
    Ok(Actor::user(id::<UserId>("userId", user_id)?))
}

enum Backend {
    Sqlite(String),
    Memory,
    Url(String),
}

async fn build(backend: Backend, options: Option<ClientOptions>) -> napi::Result<ContentOS> {
    let o = options.unwrap_or_default();
    let mut b = ContentOs::builder();
    b = match backend {
        Backend::Sqlite(p) => b.sqlite(p),
        Backend::Memory => b.in_memory(),
        Backend::Url(u) => b.url(&u),
    };
    if let Some(base) = o.llm_base_url {
        let model = o.llm_model.unwrap_or_else(|| "gpt-4o-mini".into());
        let mut cfg = OpenAiConfig::compatible(base, model);
        cfg.api_key = o.llm_api_key.map(Secret::from);
        b = b.llm(Arc::new(OpenAiProvider::new(cfg).napi()?));
    } else {
        b = b.llm_opt(contentos_core::llm::from_env().napi()?);
    }
    for p in o.publishers.unwrap_or_default() {
        b = b.publisher(publisher_of(&p).napi()?);
    }
    if o.score.unwrap_or(true) {
        b = b.scorer(default_model()?);
    }
    Ok(ContentOS {
        os: b.execute().await.napi()?,
    })
}

#[napi]
impl ContentOS {
    /// Opens (creating if needed) an embedded SQLite database at `path`.
    #[napi]
    pub async fn open(path: String, options: Option<ClientOptions>) -> napi::Result<ContentOS> {
        build(Backend::Sqlite(path), options).await
    }

    /// An engine on a private in-memory database (tests, scripts).
    #[napi]
    pub async fn in_memory(options: Option<ClientOptions>) -> napi::Result<ContentOS> {
        build(Backend::Memory, options).await
    }

    /// Connects by URL: `postgres://…`, `sqlite://path` or `sqlite::memory:`.
    #[napi]
    pub async fn connect(url: String, options: Option<ClientOptions>) -> napi::Result<ContentOS> {
        build(Backend::Url(url), options).await
    }

    // ---- users and workspaces ------------------------------------------------------------

    /// Creates a user; resolves to `{id, email, createdAt, …}`.
    #[napi]
    pub async fn create_user(&self, email: String) -> napi::Result<User> {
        typed(&self.os.create_user(&email).await.napi()?)
    }

    /// Creates a workspace owned by `userId`; options `{timezone = "UTC", brandVoice}`.
    #[napi(
        ts_args_type = "userId: string, name: string, options?: { timezone?: string, brandVoice?: Record<string, unknown> }"
    )]
    pub async fn create_workspace(
        &self,
        user_id: String,
        name: String,
        options: Option<Value>,
    ) -> napi::Result<Workspace> {
        let a = actor(&user_id)?;
        let o = merged(json!({"timezone": "UTC", "brandVoice": {}}), options);
        let tz = o["timezone"].as_str().unwrap_or("UTC").to_string();
        let bv: BrandVoice = from_value("brandVoice", o["brandVoice"].clone())?;
        typed(&self.os.create_workspace(&a, &name, bv, &tz).await.napi()?)
    }

    /// Reads a workspace.
    #[napi]
    pub async fn get_workspace(
        &self,
        user_id: String,
        workspace_id: String,
    ) -> napi::Result<Workspace> {
        let (a, w) = (
            actor(&user_id)?,
            id::<WorkspaceId>("workspaceId", &workspace_id)?,
        );
        typed(&self.os.get_workspace(&a, w).await.napi()?)
    }

    /// The user's workspaces with their role: `[{workspace, role}]`.
    #[napi]
    pub async fn my_workspaces(&self, user_id: String) -> napi::Result<Vec<WorkspaceMembership>> {
        let a = actor(&user_id)?;
        let list = self.os.my_workspaces(&a).await.napi()?;
        list.into_iter()
            .map(|(w, r)| {
                Ok(WorkspaceMembership {
                    workspace: typed(&w)?,
                    role: r.as_str().to_string(),
                })
            })
            .collect()
    }

    /// Deletes a workspace and everything in it.
    #[napi]
    pub async fn delete_workspace(
        &self,
        user_id: String,
        workspace_id: String,
    ) -> napi::Result<()> {
        let (a, w) = (
            actor(&user_id)?,
            id::<WorkspaceId>("workspaceId", &workspace_id)?,
        );
        self.os.delete_workspace(&a, w).await.napi()
    }

    // ---- content and segments ------------------------------------------------------------

    /// Stores a content item: `{originalInput, contentType = "social", title?, format?,
    /// metadata?, variations?: [{body, platform}]}`; resolves to `{content, variations}`.
    #[napi(
        ts_args_type = "userId: string, workspaceId: string, content: { originalInput: string, contentType?: string, title?: string, format?: string, metadata?: Record<string, unknown>, variations?: Array<{ body: string, platform?: string }> }"
    )]
    pub async fn create_content(
        &self,
        user_id: String,
        workspace_id: String,
        content: Value,
    ) -> napi::Result<ContentWithVariations> {
        let a = actor(&user_id)?;
        let fixed = json!({"contentType": "social", "variations": []});
        let mut v = merged(fixed, Some(content));
        v["workspaceId"] = json!(workspace_id);
        v["createdBy"] = json!(user_id);
        let new: NewContent = from_value("content", v)?;
        typed(&self.os.create_content(&a, new).await.napi()?)
    }

    /// Reads a content item with its variations.
    #[napi]
    pub async fn get_content(
        &self,
        user_id: String,
        content_id: String,
    ) -> napi::Result<ContentWithVariations> {
        let (a, c) = (actor(&user_id)?, id::<ContentId>("contentId", &content_id)?);
        typed(&self.os.get_content(&a, c).await.napi()?)
    }

    /// A page of content, newest first; query `{status?, contentType?, page = 1, limit = 20}`.
    #[napi(
        ts_args_type = "userId: string, workspaceId: string, query?: { status?: string, contentType?: string, page?: number, limit?: number }"
    )]
    pub async fn list_content(
        &self,
        user_id: String,
        workspace_id: String,
        query: Option<Value>,
    ) -> napi::Result<ContentPage> {
        let (a, w) = (
            actor(&user_id)?,
            id::<WorkspaceId>("workspaceId", &workspace_id)?,
        );
        let q: ContentQuery = from_value("query", merged(json!({}), query))?;
        typed(&self.os.list_content(&a, w, &q).await.napi()?)
    }

    /// Deletes a content item.
    #[napi]
    pub async fn delete_content(&self, user_id: String, content_id: String) -> napi::Result<()> {
        let (a, c) = (actor(&user_id)?, id::<ContentId>("contentId", &content_id)?);
        self.os.delete_content(&a, c).await.napi()
    }

    /// Creates an audience segment: `{name, description?, attributes?}`.
    #[napi(
        ts_args_type = "userId: string, workspaceId: string, segment: { name: string, description?: string, attributes?: Record<string, unknown> }"
    )]
    pub async fn create_segment(
        &self,
        user_id: String,
        workspace_id: String,
        segment: Value,
    ) -> napi::Result<Segment> {
        let (a, w) = (
            actor(&user_id)?,
            id::<WorkspaceId>("workspaceId", &workspace_id)?,
        );
        let new: NewSegment = from_value("segment", segment)?;
        typed(&self.os.create_segment(&a, w, new).await.napi()?)
    }

    /// Lists a workspace's segments.
    #[napi]
    pub async fn list_segments(
        &self,
        user_id: String,
        workspace_id: String,
    ) -> napi::Result<Vec<Segment>> {
        let (a, w) = (
            actor(&user_id)?,
            id::<WorkspaceId>("workspaceId", &workspace_id)?,
        );
        typed(&self.os.list_segments(&a, w).await.napi()?)
    }

    /// Connects a social account to a workspace (tokens sealed by the vault; never returned).
    #[napi]
    pub async fn connect_account(
        &self,
        user_id: String,
        workspace_id: String,
        account: NewAccountInput,
    ) -> napi::Result<Account> {
        let (a, w) = (
            actor(&user_id)?,
            id::<WorkspaceId>("workspaceId", &workspace_id)?,
        );
        let new = NewSocialAccount {
            platform: from_value("platform", Value::String(account.platform))?,
            account_name: account.account_name,
            external_id: account.external_id,
            base_url: account.base_url,
            access_token: Secret::new(account.access_token),
            refresh_token: None,
            token_expires_at: None,
        };
        typed(&self.os.connect_account(&a, w, new).await.napi()?)
    }

    // ---- pipeline --------------------------------------------------------------------------

    /// Generates content in the workspace's brand voice (options `{contentType, tone, length,
    /// variations}`) and stores it.
    #[napi]
    pub async fn generate(
        &self,
        user_id: String,
        workspace_id: String,
        input: String,
        options: Option<GenerateOptions>,
    ) -> napi::Result<GeneratedContent> {
        let a = actor(&user_id)?;
        let req = generate_request(&workspace_id, &input, options)?;
        typed(&self.os.generate(&a, req).await.napi()?)
    }

    /// Streaming generation: events `{type: "delta", index, text}`, `{type: "restart", index}`
    /// and finally `{type: "stored", …}` (`contentos.js` makes it an async iterator).
    #[napi]
    pub fn generate_stream(
        &self,
        user_id: String,
        workspace_id: String,
        input: String,
        options: Option<GenerateOptions>,
    ) -> napi::Result<GenerateStream> {
        let a = actor(&user_id)?;
        let req = generate_request(&workspace_id, &input, options)?;
        Ok(GenerateStream {
            state: Arc::new(Mutex::new(StreamState::Pending(Some((
                self.os.clone(),
                a,
                req,
            ))))),
        })
    }

    /// Adapts a content item to platforms; options `{preserveKeyMessages, numberThreads}`.
    #[napi(
        ts_args_type = "userId: string, contentId: string, platforms: string[], options?: { preserveKeyMessages?: boolean, numberThreads?: boolean }"
    )]
    pub async fn transform(
        &self,
        user_id: String,
        content_id: String,
        platforms: Vec<String>,
        options: Option<Value>,
    ) -> napi::Result<Vec<Variation>> {
        let a = actor(&user_id)?;
        let mut v = merged(json!({}), options);
        v["contentId"] = json!(content_id);
        v["targetPlatforms"] = json!(platforms);
        let req: TransformRequest = from_value("transform", v)?;
        typed(&self.os.transform(&a, req).await.napi()?)
    }

    /// Personalizes a content item for segments (ids or names).
    #[napi]
    pub async fn personalize(
        &self,
        user_id: String,
        content_id: String,
        segments: Vec<String>,
    ) -> napi::Result<Vec<PersonalizedVersion>> {
        let (a, c) = (actor(&user_id)?, id::<ContentId>("contentId", &content_id)?);
        typed(&self.os.personalize(&a, c, &segments).await.napi()?)
    }

    /// Queues a variation on an account at `at` (ISO-8601 string; `contentos.js` also takes a
    /// `Date`), remembering the user's IANA `timezone` (default `"UTC"`).
    #[napi]
    pub async fn schedule(
        &self,
        user_id: String,
        variation_id: String,
        account_id: String,
        at: String,
        timezone: Option<String>,
    ) -> napi::Result<ScheduledPost> {
        let a = actor(&user_id)?;
        let v = id::<VariationId>("variationId", &variation_id)?;
        let acc = id::<AccountId>("accountId", &account_id)?;
        let at: DateTime<Utc> = from_value("at", Value::String(at))?;
        let tz = timezone.unwrap_or_else(|| "UTC".into());
        typed(&self.os.schedule(&a, v, acc, at, &tz).await.napi()?)
    }

    /// Publishes a variation to accounts now; one result per account.
    #[napi]
    pub async fn publish_now(
        &self,
        user_id: String,
        variation_id: String,
        account_ids: Vec<String>,
    ) -> napi::Result<Vec<PublishNowResult>> {
        let a = actor(&user_id)?;
        let v = id::<VariationId>("variationId", &variation_id)?;
        let accounts = account_ids
            .iter()
            .map(|s| id::<AccountId>("accountIds", s))
            .collect::<napi::Result<Vec<_>>>()?;
        typed(&self.os.publish_now(&a, v, &accounts).await.napi()?)
    }

    /// The performance report of the last `days` days (default 30).
    #[napi]
    pub async fn performance(
        &self,
        user_id: String,
        workspace_id: String,
        days: Option<u32>,
    ) -> napi::Result<PerformanceReport> {
        let (a, w) = (
            actor(&user_id)?,
            id::<WorkspaceId>("workspaceId", &workspace_id)?,
        );
        typed(
            &self
                .os
                .performance(&a, w, days.unwrap_or(30))
                .await
                .napi()?,
        )
    }
}

/// Options of `generate` / `generateStream`.
#[napi(object)]
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerateOptions {
    /// `"blog"`, `"social"` or `"email"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// `"professional"`, `"casual"`, …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tone: Option<String>,
    /// `"short"`, `"medium"` or `"long"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length: Option<String>,
    /// How many variations (1–5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variations: Option<u32>,
}

fn generate_request(
    workspace_id: &str,
    input: &str,
    options: Option<GenerateOptions>,
) -> napi::Result<GenerateRequest> {
    let base = GenerateRequest::new(id::<WorkspaceId>("workspaceId", workspace_id)?, input);
    let options = options.map(|o| to_value(&o)).transpose()?;
    from_value("generate", merged(to_value(&base)?, options))
}

type EventStream = BoxStream<'static, contentos_core::Result<SdkEvent>>;

enum StreamState {
    Pending(Option<(ContentOs, Actor, GenerateRequest)>),
    Open(EventStream),
    Done,
}

/// Pull-based stream of generation events: `await next()` resolves to the next event or
/// `null` at the end (see `ContentOS.generateStream`).
#[napi]
pub struct GenerateStream {
    state: Arc<Mutex<StreamState>>,
}

#[napi]
impl GenerateStream {
    /// The next event, or `null` once the stream is finished.
    #[napi]
    pub async fn next(&self) -> napi::Result<Option<GenerateEvent>> {
        let mut guard = self.state.lock().await;
        if let StreamState::Pending(args) = &mut *guard {
            let Some((os, a, req)) = args.take() else {
                *guard = StreamState::Done;
                return Ok(None);
            };
            match os.generate_stream(&a, req).await {
                Ok(s) => *guard = StreamState::Open(s),
                Err(e) => {
                    *guard = StreamState::Done;
                    return Err(crate::errors::to_napi(e));
                }
            }
        }
        let next = match &mut *guard {
            StreamState::Open(s) => s.next().await,
            _ => None,
        };
        match next {
            Some(Ok(ev)) => typed(&ev).map(Some),
            Some(Err(e)) => {
                *guard = StreamState::Done;
                Err(crate::errors::to_napi(e))
            }
            None => {
                *guard = StreamState::Done;
                Ok(None)
            }
        }
    }
}
