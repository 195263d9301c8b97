//! The `ContentOS` client: the SDK facade (`contentos_core::ContentOs`) for Python.
//!
//! Every operation exists twice: `name(...)` blocks (GIL released) and `name_async(...)` returns
//! an asyncio awaitable. Arguments are plain Python values converted with serde; results are
//! plain dicts with `snake_case` keys. `generate_stream` is an async iterator of event dicts.

use std::future::Future;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use contentos_core::access::Actor;
use contentos_core::llm::openai::{OpenAiConfig, OpenAiProvider};
use contentos_core::model::{AccountId, ContentId, UserId, VariationId, WorkspaceId};
use contentos_core::pipeline::{GenerateEvent, GenerateRequest, TransformRequest};
use contentos_core::vault::Secret;
use contentos_core::{ContentOs, Error, NewSocialAccount};
use contentos_predict::features::v1::FeaturesV1;
use contentos_predict::xgb::EngagementModel;
use futures::stream::BoxStream;
use futures::StreamExt;
use pyo3::exceptions::PyStopAsyncIteration;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;
use tokio::sync::Mutex;

use crate::convert::{from_py, from_value, Json};
use crate::errors::{into_py_err, to_py_err};
use crate::publishers::publisher_of;
use crate::runtime::{awaitable, block_on, block_on_json};

/// The ContentOS engine: storage, LLM pipeline, scheduling, publishing and analytics.
#[pyclass(name = "ContentOS", module = "contentos._native", frozen)]
pub struct ContentOS {
    os: ContentOs,
}

fn id<T: serde::de::DeserializeOwned>(py: Python<'_>, field: &str, s: &str) -> PyResult<T> {
    from_value(py, field, Value::String(s.to_string()))
}

fn actor(py: Python<'_>, user_id: &str) -> PyResult<Actor> {
    Ok(Actor::user(id::<UserId>(py, "user_id", user_id)?))
}

/// Keyword arguments (already `snake_case` Python values) plus fixed fields → an SDK request.
fn request<T: serde::de::DeserializeOwned>(
    py: Python<'_>,
    what: &str,
    fixed: Value,
    extra: Option<&Bound<'_, PyDict>>,
) -> PyResult<T> {
    let mut v = fixed;
    if let (Some(extra), Value::Object(m)) = (extra, &mut v) {
        if let Value::Object(more) = from_py(extra.as_any())? {
            m.extend(more);
        }
    }
    from_value(py, what, v)
}

/// Blocking or awaitable, sharing one future.
fn run<'py, T, F>(py: Python<'py>, blocking: bool, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = contentos_core::Result<T>> + Send + 'static,
    T: serde::Serialize + Send + 'static,
{
    if blocking {
        block_on_json(py, fut)
    } else {
        awaitable(py, fut)
    }
}

impl ContentOS {
    fn generate_request(
        py: Python<'_>,
        workspace_id: &str,
        input: &str,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<GenerateRequest> {
        let base =
            GenerateRequest::new(id::<WorkspaceId>(py, "workspace_id", workspace_id)?, input);
        let fixed = serde_json::to_value(&base)
            .map_err(|e| to_py_err(py, &Error::internal(e.to_string())))?;
        request(py, "generate", fixed, options)
    }
}

#[pymethods]
impl ContentOS {
    /// Opens an engine. `path` (default `contentos.db`) is an SQLite file; `url` a
    /// `postgres://` or `sqlite:` URL; `llm_base_url` an OpenAI-compatible server (else the
    /// LLM comes from the environment, see `contentos_core::llm::from_env`); `publishers` are
    /// publisher objects used by `publish_now` and scheduled posts; `score` attaches the
    /// default engagement model to generated variations.
    #[new]
    #[pyo3(signature = (path = None, *, url = None, llm_base_url = None, llm_model = "gpt-4o-mini", llm_api_key = None, publishers = None, score = true))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        path: Option<std::path::PathBuf>,
        url: Option<String>,
        llm_base_url: Option<String>,
        llm_model: &str,
        llm_api_key: Option<String>,
        publishers: Option<Vec<Bound<'_, PyAny>>>,
        score: bool,
    ) -> PyResult<Self> {
        let mut b = ContentOs::builder();
        b = match (&url, path) {
            (Some(u), _) if u == ":memory:" => b.in_memory(),
            (Some(u), _) => b.url(u),
            (None, Some(p)) => b.sqlite(p),
            (None, None) => b.sqlite("contentos.db"),
        };
        if let Some(base) = llm_base_url {
            let mut cfg = OpenAiConfig::compatible(base, llm_model);
            cfg.api_key = llm_api_key.map(Secret::from);
            let provider = OpenAiProvider::new(cfg).map_err(|e| to_py_err(py, &e))?;
            b = b.llm(Arc::new(provider));
        } else {
            b = b.llm_opt(contentos_core::llm::from_env().map_err(|e| to_py_err(py, &e))?);
        }
        for p in publishers.unwrap_or_default() {
            b = b.publisher(publisher_of(&p)?);
        }
        if score {
            let model =
                EngagementModel::with_default_model(FeaturesV1).map_err(|e| to_py_err(py, &e))?;
            b = b.scorer(Arc::new(model));
        }
        let os = block_on(py, b.execute())?;
        Ok(ContentOS { os })
    }

    /// An engine on a private in-memory SQLite database (tests, notebooks).
    #[staticmethod]
    #[pyo3(signature = (*, llm_base_url = None, llm_model = "gpt-4o-mini", publishers = None))]
    fn in_memory(
        py: Python<'_>,
        llm_base_url: Option<String>,
        llm_model: &str,
        publishers: Option<Vec<Bound<'_, PyAny>>>,
    ) -> PyResult<Self> {
        Self::new(
            py,
            None,
            Some(":memory:".into()),
            llm_base_url,
            llm_model,
            None,
            publishers,
            true,
        )
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.os)
    }

    // ---- users and workspaces -------------------------------------------------------------

    /// Creates a user.
    fn create_user<'py>(&self, py: Python<'py>, email: String) -> PyResult<Bound<'py, PyAny>> {
        let os = self.os.clone();
        run(py, true, async move { os.create_user(&email).await })
    }

    /// Creates a user (async).
    fn create_user_async<'py>(
        &self,
        py: Python<'py>,
        email: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let os = self.os.clone();
        run(py, false, async move { os.create_user(&email).await })
    }

    /// Creates a workspace owned by `user_id`; `brand_voice` is a dict (tone, style, keywords,
    /// banned_words).
    #[pyo3(signature = (user_id, name, *, timezone = "UTC".to_string(), brand_voice = None))]
    fn create_workspace<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        name: String,
        timezone: String,
        brand_voice: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.create_workspace_impl(py, true, user_id, name, timezone, brand_voice)
    }

    /// Creates a workspace (async).
    #[pyo3(signature = (user_id, name, *, timezone = "UTC".to_string(), brand_voice = None))]
    fn create_workspace_async<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        name: String,
        timezone: String,
        brand_voice: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.create_workspace_impl(py, false, user_id, name, timezone, brand_voice)
    }

    /// Reads a workspace.
    fn get_workspace<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        workspace_id: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (os, a, w) = (
            self.os.clone(),
            actor(py, user_id)?,
            id::<WorkspaceId>(py, "workspace_id", workspace_id)?,
        );
        run(py, true, async move { os.get_workspace(&a, w).await })
    }

    /// The user's workspaces with their role: list of `{"workspace": ..., "role": ...}`.
    fn my_workspaces<'py>(&self, py: Python<'py>, user_id: &str) -> PyResult<Bound<'py, PyAny>> {
        let (os, a) = (self.os.clone(), actor(py, user_id)?);
        run(py, true, async move {
            let list = os.my_workspaces(&a).await?;
            Ok(list
                .into_iter()
                .map(|(w, r)| serde_json::json!({"workspace": w, "role": r.as_str()}))
                .collect::<Vec<_>>())
        })
    }

    /// Deletes a workspace.
    fn delete_workspace<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        workspace_id: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (os, a, w) = (
            self.os.clone(),
            actor(py, user_id)?,
            id::<WorkspaceId>(py, "workspace_id", workspace_id)?,
        );
        run(py, true, async move { os.delete_workspace(&a, w).await })
    }

    // ---- content and segments -------------------------------------------------------------

    /// Stores a content item: `original_input`, `content_type` ("blog" | "social" | "email")
    /// and optional `title`, `format`, `metadata`, `variations` (list of `{body, platform}`).
    #[pyo3(signature = (user_id, workspace_id, original_input, *, content_type = "social", **options))]
    fn create_content<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        workspace_id: &str,
        original_input: &str,
        content_type: &str,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let a = actor(py, user_id)?;
        let fixed = serde_json::json!({
            "workspaceId": workspace_id, "createdBy": user_id,
            "originalInput": original_input, "contentType": content_type, "variations": [],
        });
        let new = request(py, "content", fixed, options)?;
        let os = self.os.clone();
        run(py, true, async move { os.create_content(&a, new).await })
    }

    /// Reads a content item with its variations.
    fn get_content<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        content_id: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (os, a, c) = (
            self.os.clone(),
            actor(py, user_id)?,
            id::<ContentId>(py, "content_id", content_id)?,
        );
        run(py, true, async move { os.get_content(&a, c).await })
    }

    /// Lists content (`status`, `content_type`, `page`, `limit` filters).
    #[pyo3(signature = (user_id, workspace_id, **query))]
    fn list_content<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        workspace_id: &str,
        query: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (os, a, w) = (
            self.os.clone(),
            actor(py, user_id)?,
            id::<WorkspaceId>(py, "workspace_id", workspace_id)?,
        );
        let q: contentos_core::model::ContentQuery =
            request(py, "query", serde_json::json!({}), query)?;
        run(py, true, async move { os.list_content(&a, w, &q).await })
    }

    /// Deletes a content item.
    fn delete_content<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        content_id: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (os, a, c) = (
            self.os.clone(),
            actor(py, user_id)?,
            id::<ContentId>(py, "content_id", content_id)?,
        );
        run(py, true, async move { os.delete_content(&a, c).await })
    }

    /// Creates an audience segment (`description`, `attributes` optional).
    #[pyo3(signature = (user_id, workspace_id, name, **options))]
    fn create_segment<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        workspace_id: &str,
        name: &str,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (os, a, w) = (
            self.os.clone(),
            actor(py, user_id)?,
            id::<WorkspaceId>(py, "workspace_id", workspace_id)?,
        );
        let new: contentos_core::model::NewSegment =
            request(py, "segment", serde_json::json!({"name": name}), options)?;
        run(py, true, async move { os.create_segment(&a, w, new).await })
    }

    /// Lists a workspace's segments.
    fn list_segments<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        workspace_id: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (os, a, w) = (
            self.os.clone(),
            actor(py, user_id)?,
            id::<WorkspaceId>(py, "workspace_id", workspace_id)?,
        );
        run(py, true, async move { os.list_segments(&a, w).await })
    }

    /// Connects a social account to a workspace (tokens are sealed by the vault).
    #[pyo3(signature = (user_id, workspace_id, platform, account_name, access_token, *, base_url = None, external_id = None))]
    #[allow(clippy::too_many_arguments)]
    fn connect_account<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        workspace_id: &str,
        platform: &str,
        account_name: String,
        access_token: String,
        base_url: Option<String>,
        external_id: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (os, a, w) = (
            self.os.clone(),
            actor(py, user_id)?,
            id::<WorkspaceId>(py, "workspace_id", workspace_id)?,
        );
        let platform = from_value(py, "platform", Value::String(platform.to_string()))?;
        let new = NewSocialAccount {
            platform,
            account_name,
            external_id,
            base_url,
            access_token: Secret::new(access_token),
            refresh_token: None,
            token_expires_at: None,
        };
        run(
            py,
            true,
            async move { os.connect_account(&a, w, new).await },
        )
    }

    // ---- pipeline ---------------------------------------------------------------------------

    /// Generates content in the workspace's brand voice (options: `content_type`, `tone`,
    /// `length`, `variations`) and stores it.
    #[pyo3(signature = (user_id, workspace_id, input, **options))]
    fn generate<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        workspace_id: &str,
        input: &str,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (os, a, req) = (
            self.os.clone(),
            actor(py, user_id)?,
            Self::generate_request(py, workspace_id, input, options)?,
        );
        run(py, true, async move { os.generate(&a, req).await })
    }

    /// `generate` (async).
    #[pyo3(signature = (user_id, workspace_id, input, **options))]
    fn generate_async<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        workspace_id: &str,
        input: &str,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (os, a, req) = (
            self.os.clone(),
            actor(py, user_id)?,
            Self::generate_request(py, workspace_id, input, options)?,
        );
        run(py, false, async move { os.generate(&a, req).await })
    }

    /// Streaming generation: `async for event in os.generate_stream(...)` yields
    /// `{"type": "delta", "index", "text"}`, `{"type": "restart", "index"}` and finally
    /// `{"type": "stored", ...}`.
    #[pyo3(signature = (user_id, workspace_id, input, **options))]
    fn generate_stream(
        &self,
        py: Python<'_>,
        user_id: &str,
        workspace_id: &str,
        input: &str,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<GenerateStream> {
        let (os, a, req) = (
            self.os.clone(),
            actor(py, user_id)?,
            Self::generate_request(py, workspace_id, input, options)?,
        );
        Ok(GenerateStream {
            state: Arc::new(Mutex::new(StreamState::Pending(Some((os, a, req))))),
        })
    }

    /// Adapts a content item to platforms (`preserve_key_messages`, `number_threads`).
    #[pyo3(signature = (user_id, content_id, platforms, **options))]
    fn transform<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        content_id: &str,
        platforms: Vec<String>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.transform_impl(py, true, user_id, content_id, platforms, options)
    }

    /// `transform` (async).
    #[pyo3(signature = (user_id, content_id, platforms, **options))]
    fn transform_async<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        content_id: &str,
        platforms: Vec<String>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.transform_impl(py, false, user_id, content_id, platforms, options)
    }

    /// Personalizes a content item for segments (ids or names).
    fn personalize<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        content_id: &str,
        segments: Vec<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (os, a, c) = (
            self.os.clone(),
            actor(py, user_id)?,
            id::<ContentId>(py, "content_id", content_id)?,
        );
        run(
            py,
            true,
            async move { os.personalize(&a, c, &segments).await },
        )
    }

    /// `personalize` (async).
    fn personalize_async<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        content_id: &str,
        segments: Vec<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (os, a, c) = (
            self.os.clone(),
            actor(py, user_id)?,
            id::<ContentId>(py, "content_id", content_id)?,
        );
        run(
            py,
            false,
            async move { os.personalize(&a, c, &segments).await },
        )
    }

    /// Schedules a variation on an account at `at` (aware `datetime` or ISO string).
    #[pyo3(signature = (user_id, variation_id, account_id, at, timezone = "UTC".to_string()))]
    fn schedule<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        variation_id: &str,
        account_id: &str,
        at: &Bound<'py, PyAny>,
        timezone: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.schedule_impl(py, true, user_id, variation_id, account_id, at, timezone)
    }

    /// `schedule` (async).
    #[pyo3(signature = (user_id, variation_id, account_id, at, timezone = "UTC".to_string()))]
    fn schedule_async<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        variation_id: &str,
        account_id: &str,
        at: &Bound<'py, PyAny>,
        timezone: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.schedule_impl(py, false, user_id, variation_id, account_id, at, timezone)
    }

    /// Publishes a variation to accounts now; one result per account.
    fn publish_now<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        variation_id: &str,
        account_ids: Vec<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.publish_now_impl(py, true, user_id, variation_id, account_ids)
    }

    /// `publish_now` (async).
    fn publish_now_async<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        variation_id: &str,
        account_ids: Vec<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.publish_now_impl(py, false, user_id, variation_id, account_ids)
    }

    /// The performance report of the last `days` days.
    #[pyo3(signature = (user_id, workspace_id, days = 30))]
    fn performance<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        workspace_id: &str,
        days: u32,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (os, a, w) = (
            self.os.clone(),
            actor(py, user_id)?,
            id::<WorkspaceId>(py, "workspace_id", workspace_id)?,
        );
        run(py, true, async move { os.performance(&a, w, days).await })
    }

    /// `performance` (async).
    #[pyo3(signature = (user_id, workspace_id, days = 30))]
    fn performance_async<'py>(
        &self,
        py: Python<'py>,
        user_id: &str,
        workspace_id: &str,
        days: u32,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (os, a, w) = (
            self.os.clone(),
            actor(py, user_id)?,
            id::<WorkspaceId>(py, "workspace_id", workspace_id)?,
        );
        run(py, false, async move { os.performance(&a, w, days).await })
    }
}

impl ContentOS {
    fn create_workspace_impl<'py>(
        &self,
        py: Python<'py>,
        blocking: bool,
        user_id: &str,
        name: String,
        timezone: String,
        brand_voice: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let a = actor(py, user_id)?;
        let bv: contentos_core::model::BrandVoice =
            request(py, "brand_voice", serde_json::json!({}), brand_voice)?;
        let os = self.os.clone();
        run(py, blocking, async move {
            os.create_workspace(&a, &name, bv, &timezone).await
        })
    }

    fn transform_impl<'py>(
        &self,
        py: Python<'py>,
        blocking: bool,
        user_id: &str,
        content_id: &str,
        platforms: Vec<String>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let a = actor(py, user_id)?;
        let req: TransformRequest = request(
            py,
            "transform",
            serde_json::json!({"contentId": content_id, "targetPlatforms": platforms}),
            options,
        )?;
        let os = self.os.clone();
        run(py, blocking, async move { os.transform(&a, req).await })
    }

    #[allow(clippy::too_many_arguments)]
    fn schedule_impl<'py>(
        &self,
        py: Python<'py>,
        blocking: bool,
        user_id: &str,
        variation_id: &str,
        account_id: &str,
        at: &Bound<'py, PyAny>,
        timezone: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let a = actor(py, user_id)?;
        let v = id::<VariationId>(py, "variation_id", variation_id)?;
        let acc = id::<AccountId>(py, "account_id", account_id)?;
        let at: DateTime<Utc> = from_value(py, "at", from_py(at)?)?;
        let os = self.os.clone();
        run(py, blocking, async move {
            os.schedule(&a, v, acc, at, &timezone).await
        })
    }

    fn publish_now_impl<'py>(
        &self,
        py: Python<'py>,
        blocking: bool,
        user_id: &str,
        variation_id: &str,
        account_ids: Vec<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let a = actor(py, user_id)?;
        let v = id::<VariationId>(py, "variation_id", variation_id)?;
        let accounts = account_ids
            .iter()
            .map(|s| id::<AccountId>(py, "account_ids", s))
            .collect::<PyResult<Vec<_>>>()?;
        let os = self.os.clone();
        run(py, blocking, async move {
            os.publish_now(&a, v, &accounts).await
        })
    }
}

type EventStream = BoxStream<'static, contentos_core::Result<GenerateEvent>>;

enum StreamState {
    Pending(Option<(ContentOs, Actor, GenerateRequest)>),
    Open(EventStream),
    Done,
}

/// Async iterator over streaming generation events (see `ContentOS.generate_stream`).
#[pyclass(module = "contentos._native", frozen)]
pub struct GenerateStream {
    state: Arc<Mutex<StreamState>>,
}

#[pymethods]
impl GenerateStream {
    fn __aiter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let state = self.state.clone();
        pyo3_async_runtimes::tokio::future_into_py(py, async move {
            let mut guard = state.lock().await;
            if let StreamState::Pending(args) = &mut *guard {
                let Some((os, a, req)) = args.take() else {
                    *guard = StreamState::Done;
                    return Err(PyStopAsyncIteration::new_err(()));
                };
                match os.generate_stream(&a, req).await {
                    Ok(s) => *guard = StreamState::Open(s),
                    Err(e) => {
                        *guard = StreamState::Done;
                        return Err(into_py_err(e));
                    }
                }
            }
            let next = match &mut *guard {
                StreamState::Open(s) => s.next().await,
                _ => None,
            };
            match next {
                Some(Ok(ev)) => Json::of(&ev).map_err(into_py_err),
                Some(Err(e)) => {
                    *guard = StreamState::Done;
                    Err(into_py_err(e))
                }
                None => {
                    *guard = StreamState::Done;
                    Err(PyStopAsyncIteration::new_err(()))
                }
            }
        })
    }
}
