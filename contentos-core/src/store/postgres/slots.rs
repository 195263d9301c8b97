//! Posting queue slots on PostgreSQL: one row per account, the slots as a JSONB array.

use crate::model::AccountId;
use crate::schedule::{QueueSlots, WeeklySlot};
use crate::store::common::DbResultExt;
use crate::store::QUEUE_SLOTS_ENTITY;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::{PgPool, Row};

pub(super) async fn set_queue_slots(
    pool: &PgPool,
    account: AccountId,
    slots: &QueueSlots,
    at: DateTime<Utc>,
) -> Result<()> {
    // INSERT … SELECT from the account: nothing is written (and NotFound returned) when the
    // account does not exist, instead of a foreign-key error.
    let done = sqlx::query(
        "INSERT INTO queue_slots (account_id, timezone, slots, updated_at)
         SELECT id, $2, $3, $4 FROM social_accounts WHERE id = $1
         ON CONFLICT (account_id) DO UPDATE
         SET timezone = EXCLUDED.timezone, slots = EXCLUDED.slots, updated_at = EXCLUDED.updated_at",
    )
    .bind(account.0)
    .bind(&slots.timezone)
    .bind(Json(&slots.slots))
    .bind(at)
    .execute(pool)
    .await
    .db()?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found(AccountId::ENTITY, account));
    }
    Ok(())
}

pub(super) async fn get_queue_slots(
    pool: &PgPool,
    account: AccountId,
) -> Result<Option<QueueSlots>> {
    let Some(row) = sqlx::query("SELECT timezone, slots FROM queue_slots WHERE account_id = $1")
        .bind(account.0)
        .fetch_optional(pool)
        .await
        .db()?
    else {
        return Ok(None);
    };
    let timezone: String = row.try_get("timezone").db()?;
    let Json(slots): Json<Vec<WeeklySlot>> = row
        .try_get("slots")
        .map_err(|_| Error::storage("stored queue_slots.slots has an unexpected value"))?;
    Ok(Some(QueueSlots { timezone, slots }))
}

pub(super) async fn delete_queue_slots(pool: &PgPool, account: AccountId) -> Result<()> {
    let done = sqlx::query("DELETE FROM queue_slots WHERE account_id = $1")
        .bind(account.0)
        .execute(pool)
        .await
        .db()?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found(QUEUE_SLOTS_ENTITY, account));
    }
    Ok(())
}
