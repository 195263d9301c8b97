//! Test support for store-backed training: isolated SQLite / PostgreSQL stores and a synthetic
//! but learnable publishing history written through the public Store API.

#![allow(dead_code)]

use chrono::{DateTime, Duration, Timelike, Utc};
use contentos_core::model::*;
use contentos_core::store::{PostgresStore, SqliteStore, Store};
use contentos_core::vault::{Secret, Vault};
use std::sync::Arc;

/// Default PostgreSQL for tests; override with `CONTENTOS_TEST_POSTGRES_URL`.
pub const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// The time zone of the synthetic workspace (its hour signal is in local time).
pub const WORKSPACE_TZ: &str = "America/Chicago";

/// One isolated store for one test.
pub enum Backend {
    /// A fresh SQLite file in a temp dir.
    Sqlite(SqliteStore, tempfile::TempDir),
    /// A fresh PostgreSQL schema.
    Postgres(PostgresStore),
}

impl Backend {
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("contentos.db"))
            .await
            .unwrap();
        Backend::Sqlite(store, dir)
    }

    /// Fails the test when PostgreSQL is unreachable: the PostgreSQL run must not be skipped.
    pub async fn postgres(test: &str) -> Self {
        let url = std::env::var("CONTENTOS_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| DEFAULT_PG_URL.to_string());
        let schema = format!(
            "pt_{}_{}",
            test.chars().take(30).collect::<String>(),
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        );
        let store = PostgresStore::connect_in_schema(&url, &schema)
            .await
            .unwrap_or_else(|e| {
                panic!("PostgreSQL (CONTENTOS_TEST_POSTGRES_URL) is required by this test: {e}")
            });
        Backend::Postgres(store)
    }

    pub fn store(&self) -> Arc<dyn Store> {
        match self {
            Backend::Sqlite(s, _) => Arc::new(s.clone()),
            Backend::Postgres(s) => Arc::new(s.clone()),
        }
    }

    pub async fn finish(self) {
        match self {
            Backend::Sqlite(s, _dir) => s.close().await,
            Backend::Postgres(s) => s.drop_schema().await.unwrap(),
        }
    }
}

/// Microsecond-truncated instant (both backends store microseconds).
pub fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t.timestamp_micros()).unwrap()
}

/// Deterministic xorshift PRNG so the data (and the AUC) is reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// A workspace with accounts, ready for posts.
pub struct History {
    pub workspace: Workspace,
    pub owner: User,
    pub accounts: Vec<SocialAccount>,
    /// Publish instant of the last post.
    pub last_published: DateTime<Utc>,
    /// Posts written.
    pub posts: usize,
}

const TOPICS: &[&str] = &[
    "our new release",
    "the roadmap",
    "team culture",
    "the conference",
    "performance work",
    "customer stories",
    "open source",
    "the beta program",
];

/// A user, a workspace in [`WORKSPACE_TZ`] and `accounts` X accounts.
pub async fn workspace_with_accounts(store: &dyn Store, email: &str, accounts: usize) -> History {
    let mut owner = User::new(email);
    owner.created_at = micros(owner.created_at);
    owner.updated_at = owner.created_at;
    store.create_user(&owner).await.unwrap();
    let workspace = Workspace {
        id: WorkspaceId::new(),
        owner_id: owner.id,
        name: "Synthetic".into(),
        brand_voice: BrandVoice::default(),
        timezone: WORKSPACE_TZ.into(),
        created_at: micros(Utc::now()),
    };
    store.create_workspace(&workspace).await.unwrap();
    let vault = Vault::ephemeral();
    let mut list = Vec::new();
    for i in 0..accounts {
        let a = SocialAccount {
            id: AccountId::new(),
            workspace_id: workspace.id,
            platform: Platform::X,
            account_name: format!("acct{i}"),
            external_id: None,
            base_url: None,
            access_token: vault
                .seal(&Secret::new(format!("token-{i}")), "account")
                .unwrap(),
            refresh_token: None,
            token_expires_at: None,
            status: AccountStatus::Active,
            connected_at: micros(Utc::now()),
        };
        store.create_account(&a).await.unwrap();
        list.push(a);
    }
    History {
        workspace,
        owner,
        accounts: list,
        last_published: DateTime::<Utc>::from_timestamp(0, 0).unwrap(),
        posts: 0,
    }
}

/// Writes `n` published posts with analytics, two a day per account starting at `start`, with
/// a learnable signal: the engagement rate is multiplied by 1.9 for a question, by 1.6 when
/// posted 17:00–20:59 workspace-local time and by 0.7 for texts over 180 characters, on top
/// of per-account audience growth and log-normal-ish noise. Posts of the even-indexed accounts
/// report impressions; every 15th post reports none (unknown rate, to be excluded).
pub async fn publish_history(
    store: &dyn Store,
    h: &mut History,
    n: usize,
    start: DateTime<Utc>,
    seed: u64,
) {
    let tz: chrono_tz::Tz = WORKSPACE_TZ.parse().unwrap();
    let mut rng = Rng::new(seed);
    for i in 0..n {
        let account = &h.accounts[i % h.accounts.len()];
        let day = (i / (2 * h.accounts.len())) as i64;
        let hour = rng.below(24) as i64;
        let minute = rng.below(60) as i64;
        let published =
            micros(start + Duration::days(day) + Duration::hours(hour) + Duration::minutes(minute));
        let question = rng.unit() < 0.4;
        let long = rng.unit() < 0.3;
        let topic = TOPICS[rng.below(TOPICS.len() as u64) as usize];
        let mut text = if question {
            format!("What do you think about {topic}? Tell us")
        } else {
            format!("Some thoughts about {topic} from the team")
        };
        if long {
            text.push_str(
                ". We wrote a long explanation with many details about the background, the \
                 trade-offs we considered, the benchmarks we ran and what comes next for it",
            );
        }
        if rng.unit() < 0.3 {
            text.push_str(" #rust");
        }
        let local_hour = published.with_timezone(&tz).hour();
        let mut rate = 2.0 * (1.0 + 0.004 * day as f64);
        if question {
            rate *= 1.9;
        }
        if (17..21).contains(&local_hour) {
            rate *= 1.6;
        }
        if long {
            rate *= 0.7;
        }
        let noise = (rng.unit() + rng.unit() + rng.unit() - 1.5) * 0.5;
        rate *= noise.exp();

        let now = micros(Utc::now());
        let content = Content {
            id: ContentId::new(),
            workspace_id: h.workspace.id,
            created_by: h.owner.id,
            title: Some(format!("post {i}")),
            original_input: text.clone(),
            content_type: ContentType::Social,
            format: Format::Plain,
            metadata: Metadata::new(),
            status: ContentStatus::Published,
            created_at: now,
            updated_at: now,
        };
        let variation = Variation {
            id: VariationId::new(),
            content_id: content.id,
            platform: Some(Platform::X),
            body: text,
            metadata: Metadata::new(),
            created_at: now,
        };
        store
            .create_content(&content, std::slice::from_ref(&variation))
            .await
            .unwrap();
        let post = ScheduledPost {
            id: ScheduledPostId::new(),
            workspace_id: h.workspace.id,
            variation_id: variation.id,
            account_id: account.id,
            platform: Platform::X,
            scheduled_time: published,
            timezone: WORKSPACE_TZ.into(),
            status: PostStatus::Published,
            attempts: 1,
            receipts: vec![],
            platform_post_id: Some(format!("tw-{i}")),
            url: None,
            error_message: None,
            lease_owner: None,
            lease_expires_at: None,
            attempt_started_at: None,
            published_at: Some(published),
            created_at: now,
            updated_at: now,
        };
        store.insert_scheduled_post(&post).await.unwrap();
        let impressions = if i % 15 == 14 {
            None
        } else {
            Some(1000 + rng.below(4000) as i64)
        };
        let interactions = impressions.map(|imp| (rate / 100.0 * imp as f64).round() as i64);
        let total = interactions.unwrap_or(30);
        let row = AnalyticsRow {
            id: AnalyticsId::new(),
            scheduled_post_id: post.id,
            platform: Platform::X,
            impressions,
            likes: total * 6 / 10,
            comments: total / 10,
            shares: total - total * 6 / 10 - total / 10,
            clicks: None,
            engagement_rate: impressions.map(|imp| total as f64 / imp as f64 * 100.0),
            predicted_score: None,
            fetched_at: published + Duration::days(3),
        };
        store.upsert_analytics(&row).await.unwrap();
        h.last_published = h.last_published.max(published);
        h.posts += 1;
    }
}
