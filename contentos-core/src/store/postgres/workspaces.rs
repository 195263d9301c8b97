//! Users, workspaces and membership on PostgreSQL.

use super::rows;
use crate::access::Role;
use crate::model::*;
use crate::store::common::DbResultExt;
use crate::{Error, Result};
use sqlx::types::Json;
use sqlx::PgPool;

pub(super) async fn create_user(pool: &PgPool, user: &User) -> Result<()> {
    sqlx::query(
        "INSERT INTO users (id, email, password_hash, oauth_provider, oauth_id, subscription_tier,
                            created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(user.id.0)
    .bind(&user.email)
    .bind(&user.password_hash)
    .bind(&user.oauth_provider)
    .bind(&user.oauth_id)
    .bind(user.tier.as_str())
    .bind(user.created_at)
    .bind(user.updated_at)
    .execute(pool)
    .await
    .db()?;
    Ok(())
}

pub(super) async fn get_user(pool: &PgPool, id: UserId) -> Result<User> {
    let row = sqlx::query("SELECT * FROM users WHERE id = $1")
        .bind(id.0)
        .fetch_optional(pool)
        .await
        .db()?
        .ok_or_else(|| Error::not_found(UserId::ENTITY, id))?;
    rows::user(&row)
}

pub(super) async fn find_user_by_email(pool: &PgPool, email: &str) -> Result<Option<User>> {
    let row = sqlx::query("SELECT * FROM users WHERE lower(email) = lower($1)")
        .bind(email)
        .fetch_optional(pool)
        .await
        .db()?;
    row.as_ref().map(rows::user).transpose()
}

pub(super) async fn create_workspace(pool: &PgPool, ws: &Workspace) -> Result<()> {
    let voice = Json(&ws.brand_voice);
    let mut tx = pool.begin().await.db()?;
    sqlx::query(
        "INSERT INTO workspaces (id, owner_id, name, brand_voice, timezone, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(ws.id.0)
    .bind(ws.owner_id.0)
    .bind(&ws.name)
    .bind(voice)
    .bind(&ws.timezone)
    .bind(ws.created_at)
    .execute(&mut *tx)
    .await
    .db()?;
    sqlx::query(
        "INSERT INTO workspace_members (workspace_id, user_id, role) VALUES ($1, $2, 'owner')",
    )
    .bind(ws.id.0)
    .bind(ws.owner_id.0)
    .execute(&mut *tx)
    .await
    .db()?;
    tx.commit().await.db()?;
    Ok(())
}

pub(super) async fn get_workspace(pool: &PgPool, id: WorkspaceId) -> Result<Workspace> {
    let row = sqlx::query("SELECT * FROM workspaces WHERE id = $1")
        .bind(id.0)
        .fetch_optional(pool)
        .await
        .db()?
        .ok_or_else(|| Error::not_found(WorkspaceId::ENTITY, id))?;
    rows::workspace(&row)
}

pub(super) async fn update_workspace(pool: &PgPool, ws: &Workspace) -> Result<()> {
    let voice = Json(&ws.brand_voice);
    let done = sqlx::query(
        "UPDATE workspaces SET name = $1, brand_voice = $2, timezone = $3 WHERE id = $4",
    )
    .bind(&ws.name)
    .bind(voice)
    .bind(&ws.timezone)
    .bind(ws.id.0)
    .execute(pool)
    .await
    .db()?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found(WorkspaceId::ENTITY, ws.id));
    }
    Ok(())
}

pub(super) async fn delete_workspace(pool: &PgPool, id: WorkspaceId) -> Result<()> {
    let done = sqlx::query("DELETE FROM workspaces WHERE id = $1")
        .bind(id.0)
        .execute(pool)
        .await
        .db()?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found(WorkspaceId::ENTITY, id));
    }
    Ok(())
}

pub(super) async fn list_workspaces_for_user(
    pool: &PgPool,
    user: UserId,
) -> Result<Vec<(Workspace, Role)>> {
    let found = sqlx::query(
        "SELECT w.*, m.role FROM workspaces w
         JOIN workspace_members m ON m.workspace_id = w.id
         WHERE m.user_id = $1 ORDER BY w.created_at, w.id",
    )
    .bind(user.0)
    .fetch_all(pool)
    .await
    .db()?;
    found
        .iter()
        .map(|r| Ok((rows::workspace(r)?, rows::role(r)?)))
        .collect()
}

pub(super) async fn upsert_member(pool: &PgPool, member: &Member) -> Result<()> {
    sqlx::query(
        "INSERT INTO workspace_members (workspace_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role",
    )
    .bind(member.workspace_id.0)
    .bind(member.user_id.0)
    .bind(member.role.as_str())
    .execute(pool)
    .await
    .db()?;
    Ok(())
}

pub(super) async fn remove_member(pool: &PgPool, ws: WorkspaceId, user: UserId) -> Result<()> {
    let done =
        sqlx::query("DELETE FROM workspace_members WHERE workspace_id = $1 AND user_id = $2")
            .bind(ws.0)
            .bind(user.0)
            .execute(pool)
            .await
            .db()?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found("member", format!("{user} in {ws}")));
    }
    Ok(())
}

pub(super) async fn member_role(
    pool: &PgPool,
    ws: WorkspaceId,
    user: UserId,
) -> Result<Option<Role>> {
    let row =
        sqlx::query("SELECT role FROM workspace_members WHERE workspace_id = $1 AND user_id = $2")
            .bind(ws.0)
            .bind(user.0)
            .fetch_optional(pool)
            .await
            .db()?;
    row.as_ref().map(rows::role).transpose()
}

pub(super) async fn list_members(pool: &PgPool, ws: WorkspaceId) -> Result<Vec<Member>> {
    let found =
        sqlx::query("SELECT * FROM workspace_members WHERE workspace_id = $1 ORDER BY user_id")
            .bind(ws.0)
            .fetch_all(pool)
            .await
            .db()?;
    found.iter().map(rows::member).collect()
}
