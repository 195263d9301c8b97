//! The `ContentOs` client object for Swift: the SDK facade (`contentos_core::ContentOs`) with
//! users, workspaces, content, segments, accounts, the LLM pipeline (generate — also streamed —,
//! transform, personalize), scheduling, `publishNow` and the performance report. Every method
//! is `async throws` in Swift and runs on tokio; results are the records of [`crate::records`].

use std::sync::Arc;
use std::time::SystemTime;

use contentos_core::access::Actor;
use contentos_core::llm::openai::{OpenAiConfig, OpenAiProvider};
use contentos_core::model::{
    AccountId, BrandVoice as SdkBrandVoice, ContentId, ContentType, Length, NewContent, NewSegment,
    NewVariation as SdkNewVariation, Platform, Tone, UserId, VariationId, WorkspaceId,
};
use contentos_core::pipeline::{GenerateEvent as SdkEvent, GenerateRequest, TransformRequest};
use contentos_core::vault::Secret;
use contentos_core::{ContentOs as Engine, ContentOsBuilder, NewSocialAccount};
use futures::stream::BoxStream;
use futures::StreamExt;
use tokio::sync::Mutex;

use crate::convert::{json_object, parse};
use crate::errors::Result;
use crate::publishers::PlatformPublisher;
use crate::records::{
    Account, Content, GenerateEvent, GeneratedContent, PerformanceReport, PersonalizedVersion,
    PublishNowResult, ScheduledPost, Segment, User, Variation, Workspace,
};
use crate::scoring::default_model;

/// How `ContentOs` is set up: the LLM (an OpenAI-compatible server, else the environment:
/// `OPENAI_API_KEY`, `ANTHROPIC_API_KEY`, `CONTENTOS_LLM_BASE_URL`) and the publishers used by
/// `publishNow` and the scheduler.
#[derive(Default, uniffi::Record)]
pub struct ClientOptions {
    /// Base URL (up to `/v1`) of an OpenAI-compatible server.
    #[uniffi(default = None)]
    pub llm_base_url: Option<String>,
    /// Model name for `llmBaseUrl`; default `gpt-4o-mini`.
    #[uniffi(default = None)]
    pub llm_model: Option<String>,
    /// API key for `llmBaseUrl` (never logged).
    #[uniffi(default = None)]
    pub llm_api_key: Option<String>,
    /// Publishers for `publishNow` and scheduled posts.
    #[uniffi(default = [])]
    pub publishers: Vec<PlatformPublisher>,
}

/// A workspace's brand voice: injected into every generation prompt; banned words are checked
/// after generation.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct BrandVoice {
    /// Default tone (`"professional"`, `"casual"`, …) when a request does not name one.
    #[uniffi(default = None)]
    pub tone: Option<String>,
    /// Free-text style guide.
    #[uniffi(default = "")]
    pub style: String,
    /// Words to work in where natural.
    #[uniffi(default = [])]
    pub keywords: Vec<String>,
    /// Words that must never appear.
    #[uniffi(default = [])]
    pub banned_words: Vec<String>,
}

/// A ready-made variation for `createContent`.
#[derive(Debug, Clone, uniffi::Record)]
pub struct NewVariation {
    /// Target platform, if any.
    #[uniffi(default = None)]
    pub platform: Option<String>,
    /// The text (must not be empty).
    pub body: String,
}

/// Options of `generate` / `generateStream`; absent fields take the SDK defaults (social,
/// the workspace's tone, medium, one variation).
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct GenerateOptions {
    /// `"blog"`, `"social"` or `"email"`.
    #[uniffi(default = None)]
    pub content_type: Option<String>,
    /// `"professional"`, `"casual"`, …
    #[uniffi(default = None)]
    pub tone: Option<String>,
    /// `"short"`, `"medium"` or `"long"`.
    #[uniffi(default = None)]
    pub length: Option<String>,
    /// How many variations (1–5).
    #[uniffi(default = None)]
    pub variations: Option<u32>,
}

fn actor(user_id: &str) -> Result<Actor> {
    Ok(Actor::user(parse::<UserId>("userId", user_id)?))
}

fn generate_request(
    workspace_id: &str,
    input: String,
    o: GenerateOptions,
) -> Result<GenerateRequest> {
    let mut req = GenerateRequest::new(parse::<WorkspaceId>("workspaceId", workspace_id)?, input);
    if let Some(t) = o.content_type {
        req = req.content_type(parse::<ContentType>("contentType", &t)?);
    }
    if let Some(t) = o.tone {
        req = req.tone(parse::<Tone>("tone", &t)?);
    }
    if let Some(l) = o.length {
        req = req.length(parse::<Length>("length", &l)?);
    }
    if let Some(n) = o.variations {
        req = req.variations(n);
    }
    Ok(req)
}

/// The ContentOS engine: storage, LLM pipeline, scheduling, publishing and analytics.
#[derive(uniffi::Object)]
pub struct ContentOs {
    os: Engine,
}

async fn build(b: ContentOsBuilder, o: ClientOptions) -> Result<Arc<ContentOs>> {
    let mut b = match o.llm_base_url {
        Some(base) => {
            let model = o.llm_model.unwrap_or_else(|| "gpt-4o-mini".into());
            let mut cfg = OpenAiConfig::compatible(base, model);
            cfg.api_key = o.llm_api_key.map(Secret::from);
            b.llm(Arc::new(OpenAiProvider::new(cfg)?))
        }
        None => b.llm_opt(contentos_core::llm::from_env()?),
    };
    b = b.scorer(default_model()?);
    for p in &o.publishers {
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
    pub async fn open(path: String, options: ClientOptions) -> Result<Arc<Self>> {
        build(Engine::builder().sqlite(path), options).await
    }

    /// An engine on a private in-memory database (tests, previews).
    #[uniffi::constructor]
    pub async fn in_memory(options: ClientOptions) -> Result<Arc<Self>> {
        build(Engine::builder().in_memory(), options).await
    }

    /// Connects by URL: `postgres://…`, `sqlite://path` or `sqlite::memory:`.
    #[uniffi::constructor]
    pub async fn connect(url: String, options: ClientOptions) -> Result<Arc<Self>> {
        build(Engine::builder().url(&url), options).await
    }

    /// Creates a user.
    pub async fn create_user(&self, email: String) -> Result<User> {
        Ok(self.os.create_user(&email).await?.into())
    }

    /// Creates a workspace owned by `userId` in the IANA zone `timezone`.
    pub async fn create_workspace(
        &self,
        user_id: String,
        name: String,
        timezone: String,
        brand_voice: Option<BrandVoice>,
    ) -> Result<Workspace> {
        let a = actor(&user_id)?;
        let bv = brand_voice.unwrap_or_default();
        let bv = SdkBrandVoice {
            tone: bv
                .tone
                .as_deref()
                .map(|t| parse::<Tone>("brandVoice.tone", t))
                .transpose()?,
            style: bv.style,
            keywords: bv.keywords,
            banned_words: bv.banned_words,
        };
        Ok(self
            .os
            .create_workspace(&a, &name, bv, &timezone)
            .await?
            .into())
    }

    /// Stores a social content item with optional ready-made variations.
    pub async fn create_content(
        &self,
        user_id: String,
        workspace_id: String,
        original_input: String,
        variations: Vec<NewVariation>,
    ) -> Result<Content> {
        let a = actor(&user_id)?;
        let mut vs = Vec::with_capacity(variations.len());
        for v in variations {
            vs.push(SdkNewVariation {
                platform: v
                    .platform
                    .as_deref()
                    .map(|p| parse::<Platform>("variations.platform", p))
                    .transpose()?,
                body: v.body,
                metadata: Default::default(),
            });
        }
        let new = NewContent {
            workspace_id: parse::<WorkspaceId>("workspaceId", &workspace_id)?,
            created_by: a.user_id,
            title: None,
            original_input,
            content_type: ContentType::Social,
            format: Default::default(),
            metadata: Default::default(),
            variations: vs,
        };
        Ok(self.os.create_content(&a, new).await?.into())
    }

    /// Reads a content item with its variations.
    pub async fn get_content(&self, user_id: String, content_id: String) -> Result<Content> {
        let a = actor(&user_id)?;
        let id = parse::<ContentId>("contentId", &content_id)?;
        Ok(self.os.get_content(&a, id).await?.into())
    }

    /// Generates content about `input` in the workspace's brand voice and stores it (needs an
    /// LLM; validation errors come before any LLM call).
    pub async fn generate(
        &self,
        user_id: String,
        workspace_id: String,
        input: String,
        options: GenerateOptions,
    ) -> Result<GeneratedContent> {
        let a = actor(&user_id)?;
        let req = generate_request(&workspace_id, input, options)?;
        Ok(self.os.generate(&a, req).await?.into())
    }

    /// Streaming generation: call `next()` until it returns `nil`; the last event is `stored`.
    pub fn generate_stream(
        &self,
        user_id: String,
        workspace_id: String,
        input: String,
        options: GenerateOptions,
    ) -> Result<Arc<GenerateStream>> {
        let a = actor(&user_id)?;
        let req = generate_request(&workspace_id, input, options)?;
        Ok(Arc::new(GenerateStream {
            state: Mutex::new(StreamState::Pending(Some((self.os.clone(), a, req)))),
        }))
    }

    /// Adapts a content item to `platforms` (one stored variation each; needs an LLM).
    pub async fn transform(
        &self,
        user_id: String,
        content_id: String,
        platforms: Vec<String>,
    ) -> Result<Vec<Variation>> {
        let a = actor(&user_id)?;
        let platforms = platforms
            .iter()
            .map(|p| parse::<Platform>("platforms", p))
            .collect::<Result<Vec<_>>>()?;
        let req = TransformRequest::new(parse::<ContentId>("contentId", &content_id)?, platforms);
        let out = self.os.transform(&a, req).await?;
        Ok(out.into_iter().map(Variation::from).collect())
    }

    /// Creates an audience segment; `attributesJson` is a JSON object (industry, interests, …).
    pub async fn create_segment(
        &self,
        user_id: String,
        workspace_id: String,
        name: String,
        description: Option<String>,
        attributes_json: Option<String>,
    ) -> Result<Segment> {
        let a = actor(&user_id)?;
        let w = parse::<WorkspaceId>("workspaceId", &workspace_id)?;
        let new = NewSegment {
            name,
            description,
            attributes: json_object("attributesJson", attributes_json)?,
        };
        Ok(self.os.create_segment(&a, w, new).await?.into())
    }

    /// Personalizes a content item for `segments` (ids or names); each version is stored as a
    /// variation (needs an LLM).
    pub async fn personalize(
        &self,
        user_id: String,
        content_id: String,
        segments: Vec<String>,
    ) -> Result<Vec<PersonalizedVersion>> {
        let a = actor(&user_id)?;
        let c = parse::<ContentId>("contentId", &content_id)?;
        let out = self.os.personalize(&a, c, &segments).await?;
        Ok(out.into_iter().map(PersonalizedVersion::from).collect())
    }

    /// Connects a social account (`platform` = `"bluesky"`, `"mastodon"`, …). The token (for
    /// Bluesky: the app password) is sealed by the vault and never returned.
    pub async fn connect_account(
        &self,
        user_id: String,
        workspace_id: String,
        platform: String,
        account_name: String,
        access_token: String,
        base_url: Option<String>,
    ) -> Result<Account> {
        let a = actor(&user_id)?;
        let new = NewSocialAccount {
            platform: parse::<Platform>("platform", &platform)?,
            account_name,
            external_id: None,
            base_url,
            access_token: Secret::new(access_token),
            refresh_token: None,
            token_expires_at: None,
        };
        let w = parse::<WorkspaceId>("workspaceId", &workspace_id)?;
        Ok(self.os.connect_account(&a, w, new).await?.into())
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
        let v = parse::<VariationId>("variationId", &variation_id)?;
        let acc = parse::<AccountId>("accountId", &account_id)?;
        Ok(self
            .os
            .schedule(&a, v, acc, at.into(), &timezone)
            .await?
            .into())
    }

    /// Publishes a variation to each account now (through the client's publishers); one
    /// result per account.
    pub async fn publish_now(
        &self,
        user_id: String,
        variation_id: String,
        account_ids: Vec<String>,
    ) -> Result<Vec<PublishNowResult>> {
        let a = actor(&user_id)?;
        let v = parse::<VariationId>("variationId", &variation_id)?;
        let accounts = account_ids
            .iter()
            .map(|s| parse::<AccountId>("accountIds", s))
            .collect::<Result<Vec<_>>>()?;
        let out = self.os.publish_now(&a, v, &accounts).await?;
        Ok(out.into_iter().map(PublishNowResult::from).collect())
    }

    /// The performance report of the last `days` days (1–366): summary, top posts, best time,
    /// per-platform and per-type comparison, insights.
    pub async fn performance(
        &self,
        user_id: String,
        workspace_id: String,
        days: u32,
    ) -> Result<PerformanceReport> {
        let a = actor(&user_id)?;
        let w = parse::<WorkspaceId>("workspaceId", &workspace_id)?;
        Ok(self.os.performance(&a, w, days).await?.into())
    }
}

type EventStream = BoxStream<'static, contentos_core::Result<SdkEvent>>;

enum StreamState {
    Pending(Option<(Engine, Actor, GenerateRequest)>),
    Open(EventStream),
    Done,
}

/// A streaming generation: `try await next()` returns the next event, or `nil` at the end.
#[derive(uniffi::Object)]
pub struct GenerateStream {
    state: Mutex<StreamState>,
}

#[uniffi::export(async_runtime = "tokio")]
impl GenerateStream {
    /// The next event (`delta`, `restart`, finally `stored`), or `nil` once finished.
    pub async fn next(&self) -> Result<Option<GenerateEvent>> {
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
                    return Err(e.into());
                }
            }
        }
        let next = match &mut *guard {
            StreamState::Open(s) => s.next().await,
            _ => None,
        };
        match next {
            Some(Ok(ev)) => Ok(Some(ev.into())),
            Some(Err(e)) => {
                *guard = StreamState::Done;
                Err(e.into())
            }
            None => {
                *guard = StreamState::Done;
                Ok(None)
            }
        }
    }
}
