//! Decoding of PostgreSQL rows into domain values. Ids are native `uuid`, instants
//! `timestamptz`, JSON `jsonb`; enums are their wire names.

use crate::access::Role;
use crate::model::*;
use crate::store::common::{corrupt, json_object, parse_wire};
use crate::vault::SealedSecret;
use crate::Result;
use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::Row;
use uuid::Uuid;

fn get_str(row: &PgRow, column: &str) -> Result<String> {
    Ok(row.try_get::<String, _>(column)?)
}

fn get_opt_str(row: &PgRow, column: &str) -> Result<Option<String>> {
    Ok(row.try_get::<Option<String>, _>(column)?)
}

fn get_uuid(row: &PgRow, column: &str) -> Result<Uuid> {
    Ok(row.try_get::<Uuid, _>(column)?)
}

fn get_ts(row: &PgRow, column: &str) -> Result<DateTime<Utc>> {
    Ok(row.try_get::<DateTime<Utc>, _>(column)?)
}

fn get_opt_ts(row: &PgRow, column: &str) -> Result<Option<DateTime<Utc>>> {
    Ok(row.try_get::<Option<DateTime<Utc>>, _>(column)?)
}

fn get_json(row: &PgRow, column: &str) -> Result<serde_json::Value> {
    Ok(row.try_get::<serde_json::Value, _>(column)?)
}

fn get_object(row: &PgRow, column: &str) -> Result<Metadata> {
    json_object(column, get_json(row, column)?)
}

fn get_sealed(row: &PgRow, column: &str) -> Result<Option<SealedSecret>> {
    get_opt_str(row, column)?
        .map(|s| SealedSecret::from_stored(&s))
        .transpose()
}

pub(super) fn user(row: &PgRow) -> Result<User> {
    Ok(User {
        id: get_uuid(row, "id")?.into(),
        email: get_str(row, "email")?,
        password_hash: get_opt_str(row, "password_hash")?,
        oauth_provider: get_opt_str(row, "oauth_provider")?,
        oauth_id: get_opt_str(row, "oauth_id")?,
        tier: parse_wire(
            "users.subscription_tier",
            &get_str(row, "subscription_tier")?,
        )?,
        created_at: get_ts(row, "created_at")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

pub(super) fn workspace(row: &PgRow) -> Result<Workspace> {
    Ok(Workspace {
        id: get_uuid(row, "id")?.into(),
        owner_id: get_uuid(row, "owner_id")?.into(),
        name: get_str(row, "name")?,
        brand_voice: serde_json::from_value(get_json(row, "brand_voice")?)
            .map_err(|e| corrupt("workspaces.brand_voice", &e.to_string()))?,
        timezone: get_str(row, "timezone")?,
        created_at: get_ts(row, "created_at")?,
    })
}

pub(super) fn role(row: &PgRow) -> Result<Role> {
    let s = get_str(row, "role")?;
    Role::parse(&s).map_err(|_| corrupt("workspace_members.role", &s))
}

pub(super) fn member(row: &PgRow) -> Result<Member> {
    Ok(Member {
        workspace_id: get_uuid(row, "workspace_id")?.into(),
        user_id: get_uuid(row, "user_id")?.into(),
        role: role(row)?,
    })
}

pub(super) fn content(row: &PgRow) -> Result<Content> {
    Ok(Content {
        id: get_uuid(row, "id")?.into(),
        workspace_id: get_uuid(row, "workspace_id")?.into(),
        created_by: get_uuid(row, "created_by")?.into(),
        title: get_opt_str(row, "title")?,
        original_input: get_str(row, "original_input")?,
        content_type: parse_wire("content.content_type", &get_str(row, "content_type")?)?,
        format: parse_wire("content.format", &get_str(row, "format")?)?,
        metadata: get_object(row, "metadata")?,
        status: parse_wire("content.status", &get_str(row, "status")?)?,
        created_at: get_ts(row, "created_at")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

pub(super) fn variation(row: &PgRow) -> Result<Variation> {
    Ok(Variation {
        id: get_uuid(row, "id")?.into(),
        content_id: get_uuid(row, "content_id")?.into(),
        platform: get_opt_str(row, "platform")?
            .map(|p| parse_wire("content_variations.platform", &p))
            .transpose()?,
        body: get_str(row, "body")?,
        metadata: get_object(row, "metadata")?,
        created_at: get_ts(row, "created_at")?,
    })
}

pub(super) fn segment(row: &PgRow) -> Result<AudienceSegment> {
    Ok(AudienceSegment {
        id: get_uuid(row, "id")?.into(),
        workspace_id: get_uuid(row, "workspace_id")?.into(),
        name: get_str(row, "name")?,
        description: get_opt_str(row, "description")?,
        attributes: get_object(row, "attributes")?,
        embedding_id: get_opt_str(row, "embedding_id")?,
        created_at: get_ts(row, "created_at")?,
    })
}

pub(super) fn account(row: &PgRow) -> Result<SocialAccount> {
    let status = get_str(row, "status")?;
    Ok(SocialAccount {
        id: get_uuid(row, "id")?.into(),
        workspace_id: get_uuid(row, "workspace_id")?.into(),
        platform: parse_wire("social_accounts.platform", &get_str(row, "platform")?)?,
        account_name: get_str(row, "account_name")?,
        external_id: get_opt_str(row, "external_id")?,
        base_url: get_opt_str(row, "base_url")?,
        access_token: get_sealed(row, "access_token")?
            .ok_or_else(|| corrupt("social_accounts.access_token", "NULL"))?,
        refresh_token: get_sealed(row, "refresh_token")?,
        token_expires_at: get_opt_ts(row, "token_expires_at")?,
        status: AccountStatus::parse(&status)
            .map_err(|_| corrupt("social_accounts.status", &status))?,
        connected_at: get_ts(row, "connected_at")?,
    })
}

pub(super) fn scheduled_post(row: &PgRow) -> Result<ScheduledPost> {
    let status = get_str(row, "status")?;
    let attempts: i32 = row.try_get("attempts")?;
    Ok(ScheduledPost {
        id: get_uuid(row, "id")?.into(),
        workspace_id: get_uuid(row, "workspace_id")?.into(),
        variation_id: get_uuid(row, "content_variation_id")?.into(),
        account_id: get_uuid(row, "account_id")?.into(),
        platform: parse_wire("scheduled_posts.platform", &get_str(row, "platform")?)?,
        scheduled_time: get_ts(row, "scheduled_time")?,
        timezone: get_str(row, "timezone")?,
        status: PostStatus::parse(&status)
            .map_err(|_| corrupt("scheduled_posts.status", &status))?,
        attempts: u32::try_from(attempts)
            .map_err(|_| corrupt("scheduled_posts.attempts", &attempts.to_string()))?,
        receipts: serde_json::from_value(get_json(row, "receipts")?)
            .map_err(|e| corrupt("scheduled_posts.receipts", &e.to_string()))?,
        platform_post_id: get_opt_str(row, "platform_post_id")?,
        url: get_opt_str(row, "url")?,
        error_message: get_opt_str(row, "error_message")?,
        lease_owner: get_opt_str(row, "lease_owner")?,
        lease_expires_at: get_opt_ts(row, "lease_expires_at")?,
        attempt_started_at: get_opt_ts(row, "attempt_started_at")?,
        published_at: get_opt_ts(row, "published_at")?,
        created_at: get_ts(row, "created_at")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

/// Decodes an analytics row whose columns are prefixed `a_` (selected joined with its post in
/// `list_analytics`) or unprefixed (`prefix = ""`).
pub(super) fn analytics(row: &PgRow, prefix: &str) -> Result<AnalyticsRow> {
    let col = |c: &str| format!("{prefix}{c}");
    Ok(AnalyticsRow {
        id: get_uuid(row, &col("id"))?.into(),
        scheduled_post_id: get_uuid(row, &col("scheduled_post_id"))?.into(),
        platform: parse_wire("analytics.platform", &get_str(row, &col("platform"))?)?,
        impressions: row.try_get(col("impressions").as_str())?,
        likes: row.try_get(col("likes").as_str())?,
        comments: row.try_get(col("comments").as_str())?,
        shares: row.try_get(col("shares").as_str())?,
        clicks: row.try_get(col("clicks").as_str())?,
        engagement_rate: row.try_get(col("engagement_rate").as_str())?,
        predicted_score: row.try_get(col("predicted_score").as_str())?,
        fetched_at: get_ts(row, &col("fetched_at"))?,
    })
}

pub(super) fn stored_model(row: &PgRow) -> Result<StoredModel> {
    Ok(StoredModel {
        id: get_uuid(row, "id")?,
        workspace_id: row
            .try_get::<Option<Uuid>, _>("workspace_id")?
            .map(WorkspaceId::from),
        name: get_str(row, "name")?,
        version: row.try_get("version")?,
        feature_schema: get_str(row, "feature_schema")?,
        payload: get_str(row, "payload")?,
        metrics: get_json(row, "metrics")?,
        created_at: get_ts(row, "created_at")?,
    })
}
