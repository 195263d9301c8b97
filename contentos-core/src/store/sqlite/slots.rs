//! Posting queue slots on SQLite: one row per account, the slots as a JSON array.

use super::rows::ts;
use crate::model::AccountId;
use crate::schedule::{QueueSlots, WeeklySlot};
use crate::store::common::{corrupt, DbResultExt};
use crate::store::QUEUE_SLOTS_ENTITY;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use sqlx::{Row, SqlitePool};

pub(super) async fn set_queue_slots(
    pool: &SqlitePool,
    account: AccountId,
    slots: &QueueSlots,
    at: DateTime<Utc>,
) -> Result<()> {
    // INSERT … SELECT from the account: nothing is written (and NotFound returned) when the
    // account does not exist, instead of a foreign-key error.
    let done = sqlx::query(
        "INSERT INTO queue_slots (account_id, timezone, slots, updated_at)
         SELECT id, ?2, ?3, ?4 FROM social_accounts WHERE id = ?1
         ON CONFLICT (account_id) DO UPDATE
         SET timezone = excluded.timezone, slots = excluded.slots, updated_at = excluded.updated_at",
    )
    .bind(account.to_string())
    .bind(&slots.timezone)
    .bind(serde_json::to_string(&slots.slots)?)
    .bind(ts(&at))
    .execute(pool)
    .await
    .db()?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found(AccountId::ENTITY, account));
    }
    Ok(())
}

pub(super) async fn get_queue_slots(
    pool: &SqlitePool,
    account: AccountId,
) -> Result<Option<QueueSlots>> {
    let Some(row) = sqlx::query("SELECT timezone, slots FROM queue_slots WHERE account_id = ?")
        .bind(account.to_string())
        .fetch_optional(pool)
        .await
        .db()?
    else {
        return Ok(None);
    };
    let timezone: String = row.try_get("timezone").db()?;
    let raw: String = row.try_get("slots").db()?;
    let slots: Vec<WeeklySlot> =
        serde_json::from_str(&raw).map_err(|_| corrupt("queue_slots.slots", &raw))?;
    Ok(Some(QueueSlots { timezone, slots }))
}

pub(super) async fn delete_queue_slots(pool: &SqlitePool, account: AccountId) -> Result<()> {
    let done = sqlx::query("DELETE FROM queue_slots WHERE account_id = ?")
        .bind(account.to_string())
        .execute(pool)
        .await
        .db()?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found(QUEUE_SLOTS_ENTITY, account));
    }
    Ok(())
}
