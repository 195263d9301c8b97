//! Test harness for the Store conformance suite: opens each backend in isolation (a fresh
//! SQLite file in a temp dir; a fresh PostgreSQL schema) and builds domain fixtures.

#![allow(dead_code)]

use chrono::{DateTime, Duration, Utc};
use contentos_core::access::Role;
use contentos_core::model::*;
use contentos_core::store::{PostgresStore, SqliteStore, Store};
use contentos_core::vault::{Secret, Vault};
use std::sync::Arc;

/// Default PostgreSQL for tests; override with `CONTENTOS_TEST_POSTGRES_URL`.
pub const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

pub fn pg_url() -> String {
    std::env::var("CONTENTOS_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_PG_URL.to_string())
}

/// The URL with any password replaced by `***`, for logs.
pub fn redacted_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

enum Kind {
    Sqlite {
        _dir: tempfile::TempDir,
        path: std::path::PathBuf,
        store: SqliteStore,
    },
    Postgres {
        store: PostgresStore,
    },
}

/// One isolated backend instance for one test.
pub struct Backend {
    pub store: Arc<dyn Store>,
    kind: Kind,
}

impl Backend {
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("contentos.db");
        let store = SqliteStore::open(&path).await.unwrap();
        Backend {
            store: Arc::new(store.clone()),
            kind: Kind::Sqlite {
                _dir: dir,
                path,
                store,
            },
        }
    }

    /// Connects in a fresh schema. Panics (fails the test) when PostgreSQL is unreachable:
    /// the PostgreSQL run is part of CI and must never be skipped silently.
    pub async fn postgres(test: &str) -> Self {
        let url = pg_url();
        let schema = format!(
            "ct_{}_{}",
            test.chars().take(30).collect::<String>(),
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        );
        let store = match PostgresStore::connect_in_schema(&url, &schema).await {
            Ok(s) => s,
            Err(e) => panic!(
                "PostgreSQL at {} is required by the conformance suite (set \
                 CONTENTOS_TEST_POSTGRES_URL): {e}",
                redacted_url(&url)
            ),
        };
        Backend {
            store: Arc::new(store.clone()),
            kind: Kind::Postgres { store },
        }
    }

    /// The PostgreSQL schema of this test, if it is the PostgreSQL backend.
    pub fn store_schema(&self) -> Option<&str> {
        match &self.kind {
            Kind::Postgres { store } => store.schema(),
            Kind::Sqlite { .. } => None,
        }
    }

    pub fn name(&self) -> &'static str {
        self.store.backend()
    }

    /// Whether `needle` occurs anywhere in the stored bytes of the social accounts: the SQLite
    /// database file and its WAL, or every PostgreSQL `social_accounts` row as text.
    pub async fn accounts_storage_contains(&self, needle: &str) -> bool {
        match &self.kind {
            Kind::Sqlite { path, .. } => {
                let mut bytes = std::fs::read(path).unwrap();
                let wal = path.with_extension("db-wal");
                if let Ok(w) = std::fs::read(&wal) {
                    bytes.extend(w);
                }
                assert!(bytes.len() > 4096, "database file unexpectedly small");
                bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
            }
            Kind::Postgres { store } => {
                let rows: Vec<String> = sqlx::query_scalar("SELECT t::text FROM social_accounts t")
                    .fetch_all(store.pool())
                    .await
                    .unwrap();
                assert!(!rows.is_empty(), "no account rows to inspect");
                rows.iter().any(|r| r.contains(needle))
            }
        }
    }

    /// Raw text of the stored access tokens (to check they are in sealed form).
    pub async fn stored_access_tokens(&self) -> Vec<String> {
        let sql = "SELECT access_token FROM social_accounts";
        match &self.kind {
            Kind::Sqlite { store, .. } => sqlx::query_scalar(sql)
                .fetch_all(store.pool())
                .await
                .unwrap(),
            Kind::Postgres { store } => sqlx::query_scalar(sql)
                .fetch_all(store.pool())
                .await
                .unwrap(),
        }
    }

    /// Drops the PostgreSQL schema (the SQLite temp dir goes with `self`).
    pub async fn finish(self) {
        drop(self.store);
        match self.kind {
            Kind::Sqlite { store, .. } => store.close().await,
            Kind::Postgres { store } => store.drop_schema().await.unwrap(),
        }
    }
}

/// Now, truncated to the microsecond precision both backends store.
pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).unwrap()
}

/// A fixed instant (2026-03-01T12:00:00.123456Z) plus `secs` seconds, for ordering tests.
pub fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(1_772_366_400_123_456).unwrap() + Duration::seconds(secs)
}

pub async fn user(store: &dyn Store, email: &str) -> User {
    let mut u = User::new(email);
    u.created_at = now();
    u.updated_at = u.created_at;
    store.create_user(&u).await.unwrap();
    u
}

pub fn workspace_for(owner: &User, name: &str) -> Workspace {
    Workspace {
        id: WorkspaceId::new(),
        owner_id: owner.id,
        name: name.into(),
        brand_voice: BrandVoice {
            tone: Some(Tone::Witty),
            style: "short sentences".into(),
            keywords: vec!["rust".into(), "sdk".into()],
            banned_words: vec!["synergy".into()],
        },
        timezone: "Europe/Berlin".into(),
        created_at: now(),
    }
}

/// A user and a workspace they own.
pub async fn owner_and_workspace(store: &dyn Store, email: &str) -> (User, Workspace) {
    let u = user(store, email).await;
    let ws = workspace_for(&u, "Acme");
    store.create_workspace(&ws).await.unwrap();
    (u, ws)
}

pub fn meta(pairs: &[(&str, serde_json::Value)]) -> Metadata {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

pub fn content(ws: &Workspace, by: &User, title: &str, input: &str) -> Content {
    let t = now();
    Content {
        id: ContentId::new(),
        workspace_id: ws.id,
        created_by: by.id,
        title: Some(title.into()),
        original_input: input.into(),
        content_type: ContentType::Blog,
        format: Format::Markdown,
        metadata: meta(&[
            ("tone", "witty".into()),
            ("keywords", serde_json::json!(["a", "b"])),
        ]),
        status: ContentStatus::Draft,
        created_at: t,
        updated_at: t,
    }
}

pub fn variation(c: &Content, platform: Option<Platform>, body: &str, secs: i64) -> Variation {
    Variation {
        id: VariationId::new(),
        content_id: c.id,
        platform,
        body: body.into(),
        metadata: meta(&[("hashtags", serde_json::json!(["#rust"]))]),
        created_at: at(secs),
    }
}

/// Stores a content item with three variations and returns them.
pub async fn content_with_3(
    store: &dyn Store,
    ws: &Workspace,
    by: &User,
    title: &str,
) -> (Content, Vec<Variation>) {
    let c = content(
        ws,
        by,
        title,
        "Write about the ContentOS Rust SDK and its store",
    );
    let vs = vec![
        variation(&c, Some(Platform::X), "Short post for X", 1),
        variation(
            &c,
            Some(Platform::LinkedIn),
            "A longer post for LinkedIn",
            2,
        ),
        variation(&c, None, "A neutral variation", 3),
    ];
    store.create_content(&c, &vs).await.unwrap();
    (c, vs)
}

pub fn account(vault: &Vault, ws: &Workspace, platform: Platform, name: &str) -> SocialAccount {
    SocialAccount {
        id: AccountId::new(),
        workspace_id: ws.id,
        platform,
        account_name: name.into(),
        external_id: Some("ext-42".into()),
        base_url: None,
        access_token: vault
            .seal(&Secret::new(format!("access-{name}")), "account")
            .unwrap(),
        refresh_token: Some(
            vault
                .seal(&Secret::new(format!("refresh-{name}")), "account")
                .unwrap(),
        ),
        token_expires_at: Some(at(3600)),
        status: AccountStatus::Active,
        connected_at: now(),
    }
}

pub fn post(
    ws: &Workspace,
    v: &Variation,
    a: &SocialAccount,
    when: DateTime<Utc>,
) -> ScheduledPost {
    let t = now();
    ScheduledPost {
        id: ScheduledPostId::new(),
        workspace_id: ws.id,
        variation_id: v.id,
        account_id: a.id,
        platform: a.platform,
        scheduled_time: when,
        timezone: "Europe/Berlin".into(),
        status: PostStatus::Pending,
        attempts: 0,
        receipts: vec![],
        platform_post_id: None,
        url: None,
        error_message: None,
        lease_owner: None,
        lease_expires_at: None,
        attempt_started_at: None,
        published_at: None,
        created_at: t,
        updated_at: t,
    }
}

/// A workspace with one content item (3 variations) and one account: the parents a scheduled
/// post needs.
pub struct Scene {
    pub owner: User,
    pub ws: Workspace,
    pub content: Content,
    pub variations: Vec<Variation>,
    pub account: SocialAccount,
    pub vault: Vault,
}

pub async fn scene(store: &dyn Store) -> Scene {
    let (owner, ws) = owner_and_workspace(store, "scene@example.com").await;
    let (content, variations) = content_with_3(store, &ws, &owner, "Scene").await;
    let vault = Vault::ephemeral();
    let account = account(&vault, &ws, Platform::Bluesky, "scene.bsky.social");
    store.create_account(&account).await.unwrap();
    Scene {
        owner,
        ws,
        content,
        variations,
        account,
        vault,
    }
}

pub fn role_of(list: &[(Workspace, Role)], ws: WorkspaceId) -> Option<Role> {
    list.iter().find(|(w, _)| w.id == ws).map(|(_, r)| *r)
}

/// Asserts `e` is `NotFound` for `entity`.
pub fn assert_not_found<T: std::fmt::Debug>(r: contentos_core::Result<T>, entity: &str) {
    match r {
        Err(contentos_core::Error::NotFound { entity: got, .. }) => {
            assert_eq!(got, entity, "wrong entity in NotFound")
        }
        other => panic!("expected NotFound {{ entity: {entity} }}, got {other:?}"),
    }
}

/// Asserts `e` is a `Conflict`.
pub fn assert_conflict<T: std::fmt::Debug>(r: contentos_core::Result<T>) {
    match r {
        Err(contentos_core::Error::Conflict { .. }) => {}
        other => panic!("expected Conflict, got {other:?}"),
    }
}
