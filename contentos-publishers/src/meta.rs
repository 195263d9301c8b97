//! The Meta Graph publishing flow shared by Threads and Instagram: create a container (nothing
//! is public yet, so it is retried like an upload), poll its status until `FINISHED`, publish it
//! once, and reconcile an ambiguous publish through the container status.
//!
//! Why the container makes publishing safe: a container can be published only once. After a
//! publish whose answer was lost, the container's status says what happened: `PUBLISHED` means
//! the post exists (its id is then looked up among the account's latest posts), `FINISHED` means
//! it does not and publishing again cannot duplicate it.

use crate::http::{default_error, CallKind, Http, RawResponse};
use contentos_core::model::Platform;
use contentos_core::{Error, Result};
use std::time::Duration;

/// Timing of container polls and of retries after subcode 4279009.
#[derive(Debug, Clone)]
pub(crate) struct Polling {
    /// Wait between container status polls.
    pub interval: Duration,
    /// Polls before giving up (containers expire after 24 h).
    pub max_polls: u32,
    /// Retries of a publish refused with subcode 4279009 ("Media Not Found": the container is not
    /// visible yet).
    pub not_found_retries: u32,
    /// Wait before each such retry.
    pub not_found_delay: Duration,
}

impl Default for Polling {
    fn default() -> Self {
        Polling {
            interval: Duration::from_secs(3),
            max_polls: 100,
            not_found_retries: 3,
            not_found_delay: Duration::from_secs(10),
        }
    }
}

/// Per-platform names in the shared flow.
#[derive(Debug, Clone)]
pub(crate) struct Graph {
    pub http: Http,
    pub platform: Platform,
    /// `https://graph.threads.net/v1.0` or `https://graph.facebook.com/v21.0`.
    pub base: String,
    /// `threads` / `media`.
    pub container_edge: &'static str,
    /// `threads_publish` / `media_publish`.
    pub publish_edge: &'static str,
    /// `status` (Threads) / `status_code` (Instagram).
    pub status_field: &'static str,
    /// Field holding the post text when locating a published post (`text` / `caption`).
    pub text_field: &'static str,
    pub polling: Polling,
}

/// What a container's status says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ContainerState {
    Finished,
    Published,
    InProgress,
}

const NOT_FOUND_SUBCODE: i64 = 4279009;

impl Graph {
    /// `POST /{user}/{container_edge}`: creates a container; retried freely.
    pub async fn create_container(
        &self,
        user: &str,
        token: &str,
        params: &[(&str, String)],
    ) -> Result<String> {
        let url = format!("{}/{user}/{}", self.base, self.container_edge);
        let mut form: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        form.push(("access_token", token));
        let r = self
            .http
            .send(
                self.platform,
                "container create",
                CallKind::Upload,
                |c| c.post(&url).form(&form),
                map_error,
            )
            .await?;
        id_of(self.platform, &r)
    }

    /// The container's state; `ERROR` and `EXPIRED` are permanent refusals.
    pub async fn container_state(&self, container: &str, token: &str) -> Result<ContainerState> {
        let url = format!("{}/{container}", self.base);
        let fields = format!("{},error_message", self.status_field);
        let r = self
            .http
            .send(
                self.platform,
                "container status",
                CallKind::Read,
                |c| {
                    c.get(&url)
                        .query(&[("fields", fields.as_str()), ("access_token", token)])
                },
                map_error,
            )
            .await?;
        let v = r.value();
        let status = v[self.status_field].as_str().unwrap_or_default();
        match status {
            "FINISHED" => Ok(ContainerState::Finished),
            "PUBLISHED" => Ok(ContainerState::Published),
            "IN_PROGRESS" | "" => Ok(ContainerState::InProgress),
            other => Err(Error::Rejected {
                service: self.platform.as_str().into(),
                code: Some(other.to_string()),
                message: format!(
                    "container {container} is {other}: {}",
                    v["error_message"].as_str().unwrap_or("no detail")
                ),
            }),
        }
    }

    /// Polls until the container is ready (or already published).
    pub async fn wait_ready(&self, container: &str, token: &str) -> Result<ContainerState> {
        for i in 0..self.polling.max_polls {
            match self.container_state(container, token).await? {
                ContainerState::InProgress => {}
                s => return Ok(s),
            }
            if i + 1 < self.polling.max_polls {
                tokio::time::sleep(self.polling.interval).await;
            }
        }
        Err(Error::Transient {
            service: self.platform.as_str().into(),
            status: None,
            request_id: None,
            message: format!("container {container} still IN_PROGRESS"),
        })
    }

    /// Publishes a ready container exactly once. Subcode 4279009 is retried after a delay;
    /// an ambiguous answer is reconciled through the container status.
    pub async fn publish(
        &self,
        user: &str,
        container: &str,
        token: &str,
        text: &str,
    ) -> Result<String> {
        let url = format!("{}/{user}/{}", self.base, self.publish_edge);
        let mut not_found = 0;
        loop {
            let form = [("creation_id", container), ("access_token", token)];
            let res = self
                .http
                .send(
                    self.platform,
                    self.publish_edge,
                    CallKind::Create,
                    |c| c.post(&url).form(&form),
                    map_error,
                )
                .await;
            match res {
                Ok(r) => return id_of(self.platform, &r),
                Err(e) if is_media_not_found(&e) && not_found < self.polling.not_found_retries => {
                    not_found += 1;
                    tracing::info!(
                        platform = self.platform.as_str(),
                        attempt = not_found,
                        "container not visible yet (4279009); retrying publish"
                    );
                    tokio::time::sleep(self.polling.not_found_delay).await;
                }
                Err(Error::Unconfirmed { message, .. }) => {
                    return self.reconcile(user, container, token, text, &message).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// After an ambiguous publish: `PUBLISHED` → find the post's id; `FINISHED` → publish again
    /// (a container cannot be published twice, so this cannot duplicate).
    async fn reconcile(
        &self,
        user: &str,
        container: &str,
        token: &str,
        text: &str,
        why: &str,
    ) -> Result<String> {
        let unconfirmed = |m: String| Error::Unconfirmed {
            platform: self.platform.as_str().into(),
            message: m,
        };
        match self.container_state(container, token).await {
            Ok(ContainerState::Published) => match self.find_published(user, token, text).await {
                Ok(Some(id)) => Ok(id),
                _ => Err(unconfirmed(format!(
                    "{why}; container {container} is PUBLISHED but the post id could not be found"
                ))),
            },
            Ok(ContainerState::Finished) => {
                let url = format!("{}/{user}/{}", self.base, self.publish_edge);
                let form = [("creation_id", container), ("access_token", token)];
                let r = self
                    .http
                    .send(
                        self.platform,
                        self.publish_edge,
                        CallKind::Create,
                        |c| c.post(&url).form(&form),
                        map_error,
                    )
                    .await?;
                id_of(self.platform, &r)
            }
            _ => Err(unconfirmed(format!(
                "{why}; container {container} status unknown"
            ))),
        }
    }

    /// The id of the account's most recent post whose text equals `text`.
    async fn find_published(&self, user: &str, token: &str, text: &str) -> Result<Option<String>> {
        let url = format!("{}/{user}/{}", self.base, self.container_edge);
        let fields = format!("id,{},timestamp", self.text_field);
        let r = self
            .http
            .send(
                self.platform,
                "recent posts",
                CallKind::Read,
                |c| {
                    c.get(&url).query(&[
                        ("fields", fields.as_str()),
                        ("limit", "10"),
                        ("access_token", token),
                    ])
                },
                map_error,
            )
            .await?;
        let v = r.value();
        Ok(v["data"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p[self.text_field].as_str().unwrap_or_default() == text)
            .and_then(|p| p["id"].as_str().map(str::to_string)))
    }

    /// Reads a publishing-limit edge and fails with `QuotaExceeded` when `needed` more posts
    /// (or replies, with the `reply_` fields) would exceed the quota.
    pub async fn check_quota(
        &self,
        user: &str,
        token: &str,
        edge: &str,
        fields: &str,
        checks: &[(&str, &str, usize)],
    ) -> Result<()> {
        let url = format!("{}/{user}/{edge}", self.base);
        let r = self
            .http
            .send(
                self.platform,
                edge,
                CallKind::Read,
                |c| {
                    c.get(&url)
                        .query(&[("fields", fields), ("access_token", token)])
                },
                map_error,
            )
            .await?;
        let v = r.value();
        let row = if v["data"].is_array() {
            v["data"][0].clone()
        } else {
            v
        };
        for (usage_field, config_field, needed) in checks {
            if *needed == 0 {
                continue;
            }
            let used = row[*usage_field].as_u64();
            let total = row[*config_field]["quota_total"].as_u64();
            if let (Some(used), Some(total)) = (used, total) {
                if used + *needed as u64 > total {
                    return Err(Error::QuotaExceeded {
                        service: self.platform.as_str().into(),
                        message: format!(
                            "{usage_field} {used} of {total} in the last {}s; {needed} more needed",
                            row[*config_field]["quota_duration"]
                                .as_u64()
                                .unwrap_or(86400)
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    /// `GET /{media}/insights?metric=...`: metric name → value.
    pub async fn insights(
        &self,
        media: &str,
        token: &str,
        metrics: &str,
    ) -> Result<std::collections::HashMap<String, i64>> {
        let url = format!("{}/{media}/insights", self.base);
        let r = self
            .http
            .send(
                self.platform,
                "insights",
                CallKind::Read,
                |c| {
                    c.get(&url)
                        .query(&[("metric", metrics), ("access_token", token)])
                },
                map_error,
            )
            .await?;
        let v = r.value();
        let mut out = std::collections::HashMap::new();
        for m in v["data"].as_array().into_iter().flatten() {
            let value = m["total_value"]["value"]
                .as_i64()
                .or_else(|| m["values"][0]["value"].as_i64());
            if let (Some(name), Some(value)) = (m["name"].as_str(), value) {
                out.insert(name.to_string(), value);
            }
        }
        Ok(out)
    }

    /// A token endpoint answering `{access_token, expires_in}` (long-lived token refresh).
    pub async fn token_get(
        &self,
        url: &str,
        query: &[(&str, &str)],
    ) -> Result<crate::oauth::TokenSet> {
        let r = self
            .http
            .send(
                self.platform,
                "refresh_access_token",
                CallKind::Read,
                |c| c.get(url).query(query),
                map_error,
            )
            .await?;
        let t: crate::oauth::TokenResponse = r.json(self.platform)?;
        Ok(t.into_token_set())
    }
}

fn id_of(p: Platform, r: &RawResponse) -> Result<String> {
    r.value()["id"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| Error::Protocol {
            service: p.as_str().into(),
            message: format!("answer without id (HTTP {})", r.status),
        })
}

fn is_media_not_found(e: &Error) -> bool {
    matches!(e, Error::Transient { message, .. } if message.starts_with("subcode 4279009"))
}

/// Graph errors: `{"error":{"message","type","code","error_subcode","fbtrace_id"}}`.
/// Code 190 (invalid/expired token) → `NeedsReauth`; 4/17/32/613 and IG subcode 1390008 →
/// `RateLimited`; subcode 4279009 → `Transient` (retried by [`Graph::publish`]).
pub(crate) fn map_error(p: Platform, r: &RawResponse) -> Error {
    let v = r.value();
    let e = &v["error"];
    let code = e["code"].as_i64();
    let sub = e["error_subcode"].as_i64();
    let msg = e["message"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| r.text_snippet());
    let service = p.as_str().to_string();
    if code == Some(190) || msg.contains("Error validating access token") {
        return Error::NeedsReauth {
            platform: service,
            message: msg,
        };
    }
    if sub == Some(NOT_FOUND_SUBCODE) {
        return Error::Transient {
            service,
            status: Some(r.status),
            request_id: e["fbtrace_id"].as_str().map(str::to_string),
            message: format!("subcode {NOT_FOUND_SUBCODE}: {msg}"),
        };
    }
    if matches!(code, Some(4) | Some(17) | Some(32) | Some(613)) || sub == Some(1390008) {
        return Error::RateLimited {
            service,
            retry_after: crate::http::retry_after_from_headers(&r.headers, chrono::Utc::now()),
        };
    }
    let code_text = match (code, sub) {
        (Some(c), Some(s)) => Some(format!("{c}/{s}")),
        (Some(c), None) => Some(c.to_string()),
        (None, Some(s)) => Some(s.to_string()),
        _ => None,
    };
    default_error(p, r, code_text, msg)
}

/// Maps an attachment to the container parameters for its kind (`image_url` / `video_url`).
pub(crate) fn media_params(
    m: &contentos_core::publish::MediaAttachment,
    video_type: &str,
) -> Vec<(&'static str, String)> {
    let url = m.url.clone().unwrap_or_default();
    match m.kind {
        contentos_core::publish::MediaKind::Image => {
            vec![("media_type", "IMAGE".into()), ("image_url", url)]
        }
        contentos_core::publish::MediaKind::Video => {
            vec![("media_type", video_type.to_string()), ("video_url", url)]
        }
    }
}

/// Reads a JSON value as i64 or 0.
pub(crate) fn n(m: &std::collections::HashMap<String, i64>, k: &str) -> i64 {
    m.get(k).copied().unwrap_or(0)
}
