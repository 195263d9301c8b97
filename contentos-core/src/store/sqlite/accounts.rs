//! Social accounts on SQLite. Tokens arrive and leave sealed; only their stored text form
//! (`SealedSecret::to_stored`) is ever written.

use super::rows::{self, ts};
use crate::model::*;
use crate::store::common::DbResultExt;
use crate::vault::SealedSecret;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

pub(super) async fn create_account(pool: &SqlitePool, a: &SocialAccount) -> Result<()> {
    sqlx::query(
        "INSERT INTO social_accounts (id, workspace_id, platform, account_name, external_id,
                                      base_url, access_token, refresh_token, token_expires_at,
                                      status, connected_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(a.id.to_string())
    .bind(a.workspace_id.to_string())
    .bind(a.platform.as_str())
    .bind(&a.account_name)
    .bind(&a.external_id)
    .bind(&a.base_url)
    .bind(a.access_token.to_stored())
    .bind(a.refresh_token.as_ref().map(SealedSecret::to_stored))
    .bind(a.token_expires_at.as_ref().map(ts))
    .bind(a.status.as_str())
    .bind(ts(&a.connected_at))
    .execute(pool)
    .await
    .db()?;
    Ok(())
}

pub(super) async fn get_account(pool: &SqlitePool, id: AccountId) -> Result<SocialAccount> {
    let row = sqlx::query("SELECT * FROM social_accounts WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(pool)
        .await
        .db()?
        .ok_or_else(|| Error::not_found(AccountId::ENTITY, id))?;
    rows::account(&row)
}

pub(super) async fn list_accounts(
    pool: &SqlitePool,
    ws: WorkspaceId,
) -> Result<Vec<SocialAccount>> {
    let found = sqlx::query(
        "SELECT * FROM social_accounts WHERE workspace_id = ? ORDER BY connected_at, id",
    )
    .bind(ws.to_string())
    .fetch_all(pool)
    .await
    .db()?;
    found.iter().map(rows::account).collect()
}

pub(super) async fn update_account_tokens(
    pool: &SqlitePool,
    id: AccountId,
    access: &SealedSecret,
    refresh: Option<&SealedSecret>,
    expires_at: Option<DateTime<Utc>>,
) -> Result<()> {
    // COALESCE keeps the stored refresh token when none is given.
    let done = sqlx::query(
        "UPDATE social_accounts
         SET access_token = ?, refresh_token = COALESCE(?, refresh_token), token_expires_at = ?
         WHERE id = ?",
    )
    .bind(access.to_stored())
    .bind(refresh.map(SealedSecret::to_stored))
    .bind(expires_at.as_ref().map(ts))
    .bind(id.to_string())
    .execute(pool)
    .await
    .db()?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found(AccountId::ENTITY, id));
    }
    Ok(())
}

pub(super) async fn set_account_status(
    pool: &SqlitePool,
    id: AccountId,
    status: AccountStatus,
) -> Result<()> {
    let done = sqlx::query("UPDATE social_accounts SET status = ? WHERE id = ?")
        .bind(status.as_str())
        .bind(id.to_string())
        .execute(pool)
        .await
        .db()?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found(AccountId::ENTITY, id));
    }
    Ok(())
}

pub(super) async fn delete_account(pool: &SqlitePool, id: AccountId) -> Result<()> {
    let done = sqlx::query("DELETE FROM social_accounts WHERE id = ?")
        .bind(id.to_string())
        .execute(pool)
        .await
        .db()?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found(AccountId::ENTITY, id));
    }
    Ok(())
}
