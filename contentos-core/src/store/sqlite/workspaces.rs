//! Users, workspaces and membership on SQLite.

use super::rows::{self, ts};
use crate::access::Role;
use crate::model::*;
use crate::store::common::DbResultExt;
use crate::{Error, Result};
use sqlx::SqlitePool;

pub(super) async fn create_user(pool: &SqlitePool, user: &User) -> Result<()> {
    sqlx::query(
        "INSERT INTO users (id, email, password_hash, oauth_provider, oauth_id, subscription_tier,
                            created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(user.id.to_string())
    .bind(&user.email)
    .bind(&user.password_hash)
    .bind(&user.oauth_provider)
    .bind(&user.oauth_id)
    .bind(user.tier.as_str())
    .bind(ts(&user.created_at))
    .bind(ts(&user.updated_at))
    .execute(pool)
    .await
    .db()?;
    Ok(())
}

pub(super) async fn get_user(pool: &SqlitePool, id: UserId) -> Result<User> {
    let row = sqlx::query("SELECT * FROM users WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(pool)
        .await
        .db()?
        .ok_or_else(|| Error::not_found(UserId::ENTITY, id))?;
    rows::user(&row)
}

pub(super) async fn find_user_by_email(pool: &SqlitePool, email: &str) -> Result<Option<User>> {
    let row = sqlx::query("SELECT * FROM users WHERE lower(email) = lower(?)")
        .bind(email)
        .fetch_optional(pool)
        .await
        .db()?;
    row.as_ref().map(rows::user).transpose()
}

pub(super) async fn create_workspace(pool: &SqlitePool, ws: &Workspace) -> Result<()> {
    let voice = serde_json::to_string(&ws.brand_voice)?;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.db()?;
    sqlx::query(
        "INSERT INTO workspaces (id, owner_id, name, brand_voice, timezone, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(ws.id.to_string())
    .bind(ws.owner_id.to_string())
    .bind(&ws.name)
    .bind(voice)
    .bind(&ws.timezone)
    .bind(ts(&ws.created_at))
    .execute(&mut *tx)
    .await
    .db()?;
    sqlx::query(
        "INSERT INTO workspace_members (workspace_id, user_id, role) VALUES (?, ?, 'owner')",
    )
    .bind(ws.id.to_string())
    .bind(ws.owner_id.to_string())
    .execute(&mut *tx)
    .await
    .db()?;
    tx.commit().await.db()?;
    Ok(())
}

pub(super) async fn get_workspace(pool: &SqlitePool, id: WorkspaceId) -> Result<Workspace> {
    let row = sqlx::query("SELECT * FROM workspaces WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(pool)
        .await
        .db()?
        .ok_or_else(|| Error::not_found(WorkspaceId::ENTITY, id))?;
    rows::workspace(&row)
}

pub(super) async fn update_workspace(pool: &SqlitePool, ws: &Workspace) -> Result<()> {
    let voice = serde_json::to_string(&ws.brand_voice)?;
    let done =
        sqlx::query("UPDATE workspaces SET name = ?, brand_voice = ?, timezone = ? WHERE id = ?")
            .bind(&ws.name)
            .bind(voice)
            .bind(&ws.timezone)
            .bind(ws.id.to_string())
            .execute(pool)
            .await
            .db()?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found(WorkspaceId::ENTITY, ws.id));
    }
    Ok(())
}

pub(super) async fn delete_workspace(pool: &SqlitePool, id: WorkspaceId) -> Result<()> {
    let done = sqlx::query("DELETE FROM workspaces WHERE id = ?")
        .bind(id.to_string())
        .execute(pool)
        .await
        .db()?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found(WorkspaceId::ENTITY, id));
    }
    Ok(())
}

pub(super) async fn list_workspaces_for_user(
    pool: &SqlitePool,
    user: UserId,
) -> Result<Vec<(Workspace, Role)>> {
    let found = sqlx::query(
        "SELECT w.*, m.role FROM workspaces w
         JOIN workspace_members m ON m.workspace_id = w.id
         WHERE m.user_id = ? ORDER BY w.created_at, w.id",
    )
    .bind(user.to_string())
    .fetch_all(pool)
    .await
    .db()?;
    found
        .iter()
        .map(|r| Ok((rows::workspace(r)?, rows::role(r)?)))
        .collect()
}

pub(super) async fn upsert_member(pool: &SqlitePool, member: &Member) -> Result<()> {
    sqlx::query(
        "INSERT INTO workspace_members (workspace_id, user_id, role) VALUES (?, ?, ?)
         ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role",
    )
    .bind(member.workspace_id.to_string())
    .bind(member.user_id.to_string())
    .bind(member.role.as_str())
    .execute(pool)
    .await
    .db()?;
    Ok(())
}

pub(super) async fn remove_member(pool: &SqlitePool, ws: WorkspaceId, user: UserId) -> Result<()> {
    let done = sqlx::query("DELETE FROM workspace_members WHERE workspace_id = ? AND user_id = ?")
        .bind(ws.to_string())
        .bind(user.to_string())
        .execute(pool)
        .await
        .db()?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found("member", format!("{user} in {ws}")));
    }
    Ok(())
}

pub(super) async fn member_role(
    pool: &SqlitePool,
    ws: WorkspaceId,
    user: UserId,
) -> Result<Option<Role>> {
    let row =
        sqlx::query("SELECT role FROM workspace_members WHERE workspace_id = ? AND user_id = ?")
            .bind(ws.to_string())
            .bind(user.to_string())
            .fetch_optional(pool)
            .await
            .db()?;
    row.as_ref().map(rows::role).transpose()
}

pub(super) async fn list_members(pool: &SqlitePool, ws: WorkspaceId) -> Result<Vec<Member>> {
    let found =
        sqlx::query("SELECT * FROM workspace_members WHERE workspace_id = ? ORDER BY user_id")
            .bind(ws.to_string())
            .fetch_all(pool)
            .await
            .db()?;
    found.iter().map(rows::member).collect()
}
