//! Shared by the `schedule_*` tests: a local fake platform (HTTP over TCP, like Mastodon with
//! `Idempotency-Key` dedup, or like X with none), a `Publisher` that talks to it, and fixtures.
#![allow(dead_code)]

use async_trait::async_trait;
use contentos_core::access::Actor;
use contentos_core::model::*;
use contentos_core::publish::*;
use contentos_core::vault::Secret;
use contentos_core::{ContentOs, Error, NewSocialAccount, Result};
use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A scripted reply for the next create request(s).
#[derive(Debug, Clone, PartialEq)]
pub enum Scripted {
    /// Behave normally for this request.
    Normal,
    /// 429 with `Retry-After: secs`.
    RateLimited(u64),
    /// 503.
    Unavailable,
    /// 401 invalid_token, whatever the token.
    Unauthorized,
}

/// One create request as the server saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateRequest {
    pub kind: String,
    pub post_key: String,
    pub index: usize,
    pub text: String,
    pub idempotency_key: Option<String>,
    pub token: String,
    /// True when this request created a new status (false: replayed by key or refused).
    pub created: bool,
    /// The status id returned, if any.
    pub status_id: Option<String>,
}

#[derive(Debug, Default)]
pub struct ServerState {
    pub requests: Vec<CreateRequest>,
    /// (kind, post_key, index) → status id, for every status created.
    pub statuses: HashMap<(String, String, usize), Vec<String>>,
    idem: HashMap<String, String>,
    pub script: VecDeque<Scripted>,
    pub valid_tokens: Vec<String>,
    pub refresh_token: String,
    pub refresh_ok: bool,
    pub refreshes: Vec<String>,
    /// Probability (0..1) that a create answers 503 before doing anything.
    pub fail_rate: f64,
    /// Maximum random delay after creating a status and before answering, in ms.
    pub max_latency_ms: u64,
    next_id: u64,
}

/// The fake platform server.
#[derive(Clone)]
pub struct FakePlatform {
    pub addr: SocketAddr,
    pub state: Arc<Mutex<ServerState>>,
}

impl FakePlatform {
    pub async fn start(token: &str) -> FakePlatform {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(ServerState {
            valid_tokens: vec![token.to_string()],
            refresh_token: "refresh-1".into(),
            refresh_ok: true,
            ..ServerState::default()
        }));
        let st = state.clone();
        tokio::spawn(async move {
            loop {
                let Ok((sock, _)) = listener.accept().await else {
                    continue;
                };
                let st = st.clone();
                tokio::spawn(async move {
                    let _ = serve(sock, st).await;
                });
            }
        });
        FakePlatform { addr, state }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn push_script(&self, s: Scripted) {
        self.state.lock().unwrap().script.push_back(s);
    }

    pub fn requests(&self) -> Vec<CreateRequest> {
        self.state.lock().unwrap().requests.clone()
    }
}

struct HttpRequest {
    method: String,
    path: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

async fn read_request(sock: &mut TcpStream) -> std::io::Result<HttpRequest> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = sock.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let method = first.next().unwrap_or("").to_string();
    let path = first.next().unwrap_or("").to_string();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        let n = sock.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok(HttpRequest {
        method,
        path,
        headers,
        body,
    })
}

async fn respond(
    sock: &mut TcpStream,
    status: u16,
    extra: &[(&str, String)],
    body: serde_json::Value,
) -> std::io::Result<()> {
    let body = body.to_string();
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    sock.write_all(head.as_bytes()).await?;
    sock.write_all(body.as_bytes()).await?;
    sock.shutdown().await
}

async fn serve(mut sock: TcpStream, st: Arc<Mutex<ServerState>>) -> std::io::Result<()> {
    let req = read_request(&mut sock).await?;
    if req.method != "POST" {
        return respond(&mut sock, 405, &[], serde_json::json!({"error": "method"})).await;
    }
    if req.headers.get("content-type").map(String::as_str) != Some("application/json") {
        return respond(
            &mut sock,
            415,
            &[],
            serde_json::json!({"error": "content type"}),
        )
        .await;
    }
    let Ok(body) = serde_json::from_slice::<serde_json::Value>(&req.body) else {
        return respond(
            &mut sock,
            400,
            &[],
            serde_json::json!({"error": "bad json"}),
        )
        .await;
    };
    if req.path == "/oauth/token" {
        let (status, reply) = {
            let mut s = st.lock().unwrap();
            let given = body["refresh_token"].as_str().unwrap_or("").to_string();
            s.refreshes.push(given.clone());
            if body["grant_type"] == "refresh_token" && s.refresh_ok && given == s.refresh_token {
                let n = s.refreshes.len();
                let access = format!("access-{}", n + 1);
                let refresh = format!("refresh-{}", n + 1);
                s.valid_tokens = vec![access.clone()];
                s.refresh_token = refresh.clone();
                (
                    200,
                    serde_json::json!({"access_token": access, "refresh_token": refresh, "expires_in": 7200}),
                )
            } else {
                (400, serde_json::json!({"error": "invalid_grant"}))
            }
        };
        return respond(&mut sock, status, &[], reply).await;
    }
    let Some(kind) = req
        .path
        .strip_prefix('/')
        .and_then(|p| p.strip_suffix("/statuses"))
        .map(str::to_string)
    else {
        return respond(
            &mut sock,
            404,
            &[],
            serde_json::json!({"error": "not found"}),
        )
        .await;
    };
    let token = req
        .headers
        .get("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("")
        .to_string();
    let text = body["status"].as_str().unwrap_or("").to_string();
    let post_key = body["post_key"].as_str().unwrap_or("").to_string();
    let index = body["index"].as_u64().unwrap_or(u64::MAX) as usize;
    let reply_to = body["in_reply_to_id"].as_str().map(str::to_string);
    let idem = req.headers.get("idempotency-key").cloned();
    let (status, extra, reply, latency) = {
        let mut s = st.lock().unwrap();
        let mut record = CreateRequest {
            kind: kind.clone(),
            post_key: post_key.clone(),
            index,
            text: text.clone(),
            idempotency_key: idem.clone(),
            token: token.clone(),
            created: false,
            status_id: None,
        };
        let roll: f64 = rand::random();
        let scripted = s.script.pop_front();
        let out = if text.is_empty() || post_key.is_empty() || index == usize::MAX {
            (
                422,
                vec![],
                serde_json::json!({"error": "Validation failed: status, post_key and index are required"}),
            )
        } else if scripted == Some(Scripted::Unauthorized) || !s.valid_tokens.contains(&token) {
            (
                401,
                vec![],
                serde_json::json!({"error": "The access token is invalid"}),
            )
        } else if let Some(Scripted::RateLimited(secs)) = scripted {
            (
                429,
                vec![("Retry-After", secs.to_string())],
                serde_json::json!({"error": "Too many requests"}),
            )
        } else if scripted == Some(Scripted::Unavailable) || roll < s.fail_rate {
            (503, vec![], serde_json::json!({"error": "unavailable"}))
        } else if let Some(id) = idem.as_ref().and_then(|k| s.idem.get(k)).cloned() {
            // Mastodon: the same Idempotency-Key returns the status created the first time.
            record.status_id = Some(id.clone());
            (
                200,
                vec![],
                serde_json::json!({"id": id, "url": format!("https://{kind}.test/@u/{id}")}),
            )
        } else {
            // A reply must point at the previous part of the same post.
            let prev = if index == 0 {
                None
            } else {
                s.statuses
                    .get(&(kind.clone(), post_key.clone(), index - 1))
                    .and_then(|v| v.first().cloned())
            };
            if index > 0 && (prev.is_none() || prev != reply_to) {
                (
                    422,
                    vec![],
                    serde_json::json!({"error": "in_reply_to_id must be the previous part"}),
                )
            } else {
                s.next_id += 1;
                let id = format!("{}{}", kind, s.next_id);
                s.statuses
                    .entry((kind.clone(), post_key.clone(), index))
                    .or_default()
                    .push(id.clone());
                if let Some(k) = &idem {
                    s.idem.insert(k.clone(), id.clone());
                }
                record.created = true;
                record.status_id = Some(id.clone());
                (
                    200,
                    vec![],
                    serde_json::json!({"id": id, "url": format!("https://{kind}.test/@u/{id}")}),
                )
            }
        };
        s.requests.push(record);
        let latency = if s.max_latency_ms > 0 {
            rand::random::<u64>() % s.max_latency_ms
        } else {
            0
        };
        (out.0, out.1, out.2, latency)
    };
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    respond(&mut sock, status, &extra, reply).await
}

/// Which behaviour a [`HttpPublisher`] has.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// Mastodon-like: `Idempotency-Key` per part.
    Keyed,
    /// X-like: no idempotency.
    Plain,
}

/// A publisher talking to [`FakePlatform`] over raw HTTP/1.1.
pub struct HttpPublisher {
    kind: Kind,
    caps: Capabilities,
}

impl HttpPublisher {
    pub fn new(kind: Kind) -> Self {
        let (platform, idempotency) = match kind {
            Kind::Keyed => (Platform::Mastodon, Idempotency::NativeKey),
            Kind::Plain => (Platform::X, Idempotency::None),
        };
        HttpPublisher {
            kind,
            caps: Capabilities {
                platform,
                length_unit: LengthUnit::CodePoints,
                max_length: 500,
                max_followup_length: None,
                max_images: 4,
                max_videos: 1,
                media_types: vec!["image/png".into()],
                max_image_bytes: None,
                thread_model: ThreadModel::ReplyTo,
                idempotency,
                needs_public_media_url: false,
                max_hashtags: None,
            },
        }
    }

    fn path(&self) -> &'static str {
        match self.kind {
            Kind::Keyed => "/mastodon/statuses",
            Kind::Plain => "/x/statuses",
        }
    }
}

enum HttpFailure {
    /// Nothing was sent (connect failed).
    NotSent(String),
    /// Sent, but no complete answer.
    Unknown(String),
}

async fn post_json(
    base: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &serde_json::Value,
) -> std::result::Result<(u16, HashMap<String, String>, serde_json::Value), HttpFailure> {
    let host = base.trim_start_matches("http://");
    let mut sock = tokio::time::timeout(Duration::from_secs(5), TcpStream::connect(host))
        .await
        .map_err(|_| HttpFailure::NotSent("connect timeout".into()))?
        .map_err(|e| HttpFailure::NotSent(e.to_string()))?;
    let body = body.to_string();
    let mut req = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(&body);
    sock.write_all(req.as_bytes())
        .await
        .map_err(|e| HttpFailure::Unknown(e.to_string()))?;
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), sock.read_to_end(&mut raw))
        .await
        .map_err(|_| HttpFailure::Unknown("read timeout".into()))?
        .map_err(|e| HttpFailure::Unknown(e.to_string()))?;
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| HttpFailure::Unknown("truncated response".into()))?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| HttpFailure::Unknown("bad status line".into()))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let json = serde_json::from_str(body).unwrap_or(serde_json::Value::Null);
    Ok((status, headers, json))
}

#[async_trait]
impl Publisher for HttpPublisher {
    fn platform(&self) -> Platform {
        self.caps.platform
    }

    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    fn validate(&self, post: &PostRequest) -> Result<()> {
        for (i, p) in post.parts.iter().enumerate() {
            let n = p.text.chars().count();
            if n == 0 || n > self.caps.max_length {
                return Err(Error::validation(
                    format!("parts[{i}].text"),
                    "1..=500 characters",
                ));
            }
        }
        Ok(())
    }

    async fn publish(
        &self,
        account: &AccountCredentials,
        post: &PostRequest,
        sink: &dyn ReceiptSink,
    ) -> Result<PublishReceipt> {
        let platform = self.caps.platform.to_string();
        let base = account.base_url.clone().unwrap_or_default();
        let mut receipts: Vec<PartReceipt> = Vec::new();
        for (index, part) in post.parts.iter().enumerate() {
            if let Some(r) = post.resume_from.iter().find(|r| r.index == index) {
                receipts.push(r.clone());
                continue;
            }
            let mut headers = vec![(
                "Authorization",
                format!("Bearer {}", account.access_token.expose()),
            )];
            if self.kind == Kind::Keyed {
                headers.push(("Idempotency-Key", format!("{}:{index}", post.post_key)));
            }
            let body = serde_json::json!({
                "status": part.text,
                "post_key": post.post_key.to_string(),
                "index": index,
                "in_reply_to_id": receipts.last().map(|r| r.platform_post_id.clone()),
            });
            let (status, hdrs, json) = match post_json(&base, self.path(), &headers, &body).await {
                Ok(r) => r,
                Err(HttpFailure::NotSent(m)) => {
                    return Err(Error::Transient {
                        service: platform,
                        status: None,
                        request_id: None,
                        message: m,
                    })
                }
                Err(HttpFailure::Unknown(m)) => {
                    return Err(Error::Unconfirmed {
                        platform,
                        message: m,
                    })
                }
            };
            match status {
                200 => {
                    let id = json["id"].as_str().ok_or_else(|| Error::Protocol {
                        service: platform.clone(),
                        message: "no id".into(),
                    })?;
                    let receipt = PartReceipt {
                        index,
                        platform_post_id: id.to_string(),
                        cid: None,
                        url: json["url"].as_str().map(str::to_string),
                    };
                    sink.record(&receipt).await?;
                    receipts.push(receipt);
                }
                401 => {
                    return Err(Error::NeedsReauth {
                        platform,
                        message: "invalid token".into(),
                    })
                }
                429 => {
                    return Err(Error::RateLimited {
                        service: platform,
                        retry_after: hdrs
                            .get("retry-after")
                            .and_then(|v| v.parse().ok())
                            .map(Duration::from_secs),
                    })
                }
                503 => {
                    return Err(Error::Transient {
                        service: platform,
                        status: Some(503),
                        request_id: None,
                        message: "unavailable".into(),
                    })
                }
                s => {
                    return Err(Error::Rejected {
                        service: platform,
                        code: Some(s.to_string()),
                        message: json["error"].as_str().unwrap_or("").to_string(),
                    })
                }
            }
        }
        Ok(PublishReceipt {
            platform: self.caps.platform,
            parts: receipts,
        })
    }

    async fn metrics(
        &self,
        _account: &AccountCredentials,
        _ids: &[PlatformPostId],
    ) -> Result<Vec<PostMetrics>> {
        Err(Error::not_supported("metrics on the fake platform"))
    }

    async fn refresh(&self, account: &AccountCredentials) -> Result<AccountCredentials> {
        let platform = self.caps.platform.to_string();
        let base = account.base_url.clone().unwrap_or_default();
        let body = serde_json::json!({
            "grant_type": "refresh_token",
            "refresh_token": account.refresh_token.as_ref().map(|s| s.expose().to_string()),
        });
        match post_json(&base, "/oauth/token", &[], &body).await {
            Ok((200, _, json)) => {
                let mut fresh = account.clone();
                fresh.access_token = Secret::new(json["access_token"].as_str().unwrap_or(""));
                fresh.refresh_token = json["refresh_token"].as_str().map(Secret::new);
                Ok(fresh)
            }
            Ok((_, _, json)) => Err(Error::NeedsReauth {
                platform,
                message: json["error"].as_str().unwrap_or("refused").to_string(),
            }),
            Err(HttpFailure::NotSent(m) | HttpFailure::Unknown(m)) => Err(Error::Transient {
                service: platform,
                status: None,
                request_id: None,
                message: m,
            }),
        }
    }
}

/// A workspace with one keyed (Mastodon) and one plain (X) account on `platform`.
pub struct Fixture {
    pub os: ContentOs,
    pub actor: Actor,
    pub workspace: WorkspaceId,
    pub keyed: AccountId,
    pub plain: AccountId,
}

pub async fn fixture(os: ContentOs, base_url: &str, tz: &str) -> Fixture {
    let user = os.create_user("owner@example.com").await.unwrap();
    let actor = Actor::user(user.id);
    let ws = os
        .create_workspace(&actor, "Sched", BrandVoice::default(), tz)
        .await
        .unwrap();
    let mut ids = vec![];
    for platform in [Platform::Mastodon, Platform::X] {
        let acc = os
            .connect_account(
                &actor,
                ws.id,
                NewSocialAccount {
                    platform,
                    account_name: format!("acct-{platform}"),
                    external_id: None,
                    base_url: Some(base_url.to_string()),
                    access_token: Secret::new("access-1"),
                    refresh_token: Some(Secret::new("refresh-1")),
                    token_expires_at: None,
                },
            )
            .await
            .unwrap();
        ids.push(acc.id);
    }
    Fixture {
        os,
        actor,
        workspace: ws.id,
        keyed: ids[0],
        plain: ids[1],
    }
}

impl Fixture {
    /// Stores a content item with one variation per body (platform-neutral); a body containing
    /// `|` becomes a thread (metadata `threadParts`).
    pub async fn variations(&self, bodies: &[String]) -> Vec<VariationId> {
        let variations = bodies
            .iter()
            .map(|b| {
                let mut metadata = Metadata::new();
                if b.contains('|') {
                    let parts: Vec<serde_json::Value> = b
                        .split('|')
                        .map(|p| serde_json::Value::from(p.trim()))
                        .collect();
                    metadata.insert("threadParts".into(), serde_json::Value::Array(parts));
                }
                NewVariation {
                    platform: None,
                    body: b.clone(),
                    metadata,
                }
            })
            .collect();
        let c = self
            .os
            .create_content(
                &self.actor,
                NewContent {
                    workspace_id: self.workspace,
                    created_by: self.actor.user_id,
                    title: None,
                    original_input: "input".into(),
                    content_type: ContentType::Social,
                    format: Format::default(),
                    metadata: Metadata::new(),
                    variations,
                },
            )
            .await
            .unwrap();
        c.variations.iter().map(|v| v.id).collect()
    }
}

/// An engine on `store_url` with both fake publishers registered.
pub async fn engine(store: Arc<dyn contentos_core::store::Store>) -> ContentOs {
    ContentOs::builder()
        .store(store)
        .publisher(Arc::new(HttpPublisher::new(Kind::Keyed)))
        .publisher(Arc::new(HttpPublisher::new(Kind::Plain)))
        .execute()
        .await
        .unwrap()
}

/// A publisher that talks to nobody: it confirms every part at once through the sink and
/// counts how often each post/part was sent (for exactly-once checks and benchmarks).
pub struct CountingPublisher {
    caps: Capabilities,
    pub sent: Mutex<HashMap<(uuid::Uuid, usize), usize>>,
}

impl CountingPublisher {
    pub fn new(platform: Platform) -> Self {
        let mut caps = HttpPublisher::new(Kind::Plain).caps;
        caps.platform = platform;
        CountingPublisher {
            caps,
            sent: Mutex::new(HashMap::new()),
        }
    }
}

#[async_trait]
impl Publisher for CountingPublisher {
    fn platform(&self) -> Platform {
        self.caps.platform
    }
    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }
    fn validate(&self, _post: &PostRequest) -> Result<()> {
        Ok(())
    }
    async fn publish(
        &self,
        _account: &AccountCredentials,
        post: &PostRequest,
        sink: &dyn ReceiptSink,
    ) -> Result<PublishReceipt> {
        let mut parts = post.resume_from.clone();
        for index in parts.len()..post.parts.len() {
            *self
                .sent
                .lock()
                .unwrap()
                .entry((post.post_key, index))
                .or_default() += 1;
            let r = PartReceipt {
                index,
                platform_post_id: format!("{}-{index}", post.post_key),
                cid: None,
                url: None,
            };
            sink.record(&r).await?;
            parts.push(r);
        }
        Ok(PublishReceipt {
            platform: self.caps.platform,
            parts,
        })
    }
    async fn metrics(
        &self,
        _account: &AccountCredentials,
        _ids: &[PlatformPostId],
    ) -> Result<Vec<PostMetrics>> {
        Ok(vec![])
    }
    async fn refresh(&self, account: &AccountCredentials) -> Result<AccountCredentials> {
        Ok(account.clone())
    }
}
