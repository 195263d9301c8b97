//! Platform publishers (`contentos-publishers`) usable directly from Python: construct with the
//! server's base URL and the account's credentials, then `publish(parts)` → receipt dict.

use std::sync::Arc;

use contentos_core::model::{AccountId, Platform};
use contentos_core::publish::{
    AccountCredentials, CollectReceipts, PostPart, PostRequest, Publisher,
};
use contentos_core::vault::Secret;
use contentos_publishers::bluesky::BlueskyPublisher as Bluesky;
use contentos_publishers::mastodon::MastodonPublisher as Mastodon;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use serde_json::Value;

use crate::convert::{from_py, from_value};
use crate::errors::to_py_err;
use crate::runtime::{awaitable, block_on_json};

/// Parts as given by Python: each a `str` or a dict `{text, media}`.
fn post(
    py: Python<'_>,
    parts: &Bound<'_, PyAny>,
    post_key: Option<&str>,
    languages: Vec<String>,
) -> PyResult<PostRequest> {
    let mut list = Vec::new();
    for part in parts.try_iter()? {
        let part = part?;
        let v = match from_py(&part)? {
            Value::String(text) => serde_json::json!({ "text": text }),
            other => other,
        };
        list.push(from_value::<PostPart>(py, "parts", v)?);
    }
    let post_key = match post_key {
        Some(k) => from_value(py, "post_key", Value::String(k.to_string()))?,
        None => uuid::Uuid::new_v4(),
    };
    Ok(PostRequest {
        post_key,
        parts: list,
        resume_from: vec![],
        languages,
    })
}

/// Shared publish path of every publisher class.
struct Direct {
    publisher: Arc<dyn Publisher>,
    account: AccountCredentials,
}

impl Direct {
    fn publish<'py>(
        &self,
        py: Python<'py>,
        blocking: bool,
        parts: &Bound<'py, PyAny>,
        post_key: Option<&str>,
        languages: Vec<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let req = post(py, parts, post_key, languages)?;
        self.publisher
            .validate(&req)
            .map_err(|e| to_py_err(py, &e))?;
        let (p, account) = (self.publisher.clone(), self.account.clone());
        let fut = async move { p.publish(&account, &req, &CollectReceipts::default()).await };
        if blocking {
            block_on_json(py, fut)
        } else {
            awaitable(py, fut)
        }
    }
}

fn credentials(
    platform: Platform,
    handle: String,
    base_url: String,
    token: String,
) -> AccountCredentials {
    AccountCredentials {
        account_id: AccountId::new(),
        platform,
        handle,
        external_id: None,
        base_url: Some(base_url.trim_end_matches('/').to_string()),
        access_token: Secret::new(token),
        refresh_token: None,
        expires_at: None,
    }
}

/// Bluesky (AT Protocol): logs in to the PDS with the handle and an app password.
#[pyclass(module = "contentos._native", frozen)]
pub struct BlueskyPublisher {
    direct: Direct,
}

#[pymethods]
impl BlueskyPublisher {
    #[new]
    #[pyo3(signature = (handle, app_password, *, base_url = "https://bsky.social"))]
    fn new(handle: String, app_password: String, base_url: &str) -> Self {
        let publisher = Bluesky::default().with_pds(base_url.trim_end_matches('/'));
        BlueskyPublisher {
            direct: Direct {
                publisher: Arc::new(publisher),
                account: credentials(
                    Platform::Bluesky,
                    handle,
                    base_url.to_string(),
                    app_password,
                ),
            },
        }
    }

    /// Publishes a post or thread (`parts`: strings or `{text, media}` dicts); returns the
    /// receipt (`platform`, `parts` with `platform_post_id`, `url`, `cid`).
    #[pyo3(signature = (parts, *, post_key = None, languages = Vec::new()))]
    fn publish<'py>(
        &self,
        py: Python<'py>,
        parts: &Bound<'py, PyAny>,
        post_key: Option<&str>,
        languages: Vec<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.direct.publish(py, true, parts, post_key, languages)
    }

    /// `publish` (async).
    #[pyo3(signature = (parts, *, post_key = None, languages = Vec::new()))]
    fn publish_async<'py>(
        &self,
        py: Python<'py>,
        parts: &Bound<'py, PyAny>,
        post_key: Option<&str>,
        languages: Vec<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.direct.publish(py, false, parts, post_key, languages)
    }

    fn __repr__(&self) -> String {
        format!("BlueskyPublisher(handle={:?})", self.direct.account.handle)
    }
}

/// Mastodon (any instance): posts statuses with an access token.
#[pyclass(module = "contentos._native", frozen)]
pub struct MastodonPublisher {
    direct: Direct,
}

#[pymethods]
impl MastodonPublisher {
    #[new]
    #[pyo3(signature = (base_url, access_token, *, account_name = String::new()))]
    fn new(base_url: &str, access_token: String, account_name: String) -> Self {
        let publisher = Mastodon::default().with_instance(base_url);
        MastodonPublisher {
            direct: Direct {
                publisher: Arc::new(publisher),
                account: credentials(
                    Platform::Mastodon,
                    account_name,
                    base_url.to_string(),
                    access_token,
                ),
            },
        }
    }

    /// Publishes a status or thread; returns the receipt.
    #[pyo3(signature = (parts, *, post_key = None, languages = Vec::new()))]
    fn publish<'py>(
        &self,
        py: Python<'py>,
        parts: &Bound<'py, PyAny>,
        post_key: Option<&str>,
        languages: Vec<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.direct.publish(py, true, parts, post_key, languages)
    }

    /// `publish` (async).
    #[pyo3(signature = (parts, *, post_key = None, languages = Vec::new()))]
    fn publish_async<'py>(
        &self,
        py: Python<'py>,
        parts: &Bound<'py, PyAny>,
        post_key: Option<&str>,
        languages: Vec<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.direct.publish(py, false, parts, post_key, languages)
    }

    fn __repr__(&self) -> String {
        format!(
            "MastodonPublisher(account={:?})",
            self.direct.account.handle
        )
    }
}

/// The SDK publisher behind a Python publisher object (for `ContentOS(publishers=[...])`).
pub fn publisher_of(obj: &Bound<'_, PyAny>) -> PyResult<Arc<dyn Publisher>> {
    if let Ok(b) = obj.cast::<BlueskyPublisher>() {
        return Ok(b.get().direct.publisher.clone());
    }
    if let Ok(m) = obj.cast::<MastodonPublisher>() {
        return Ok(m.get().direct.publisher.clone());
    }
    Err(PyTypeError::new_err(
        "publishers must be BlueskyPublisher or MastodonPublisher objects",
    ))
}
