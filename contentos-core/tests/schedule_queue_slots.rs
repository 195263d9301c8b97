//! Persisted posting queue slots through the facade: validation naming the field, access
//! control (nothing written on a refusal), and scheduling into the next free stored slot.
//! The Store side runs on both backends in `store_conformance.rs` (`queue_slots_round_trip`).

mod schedule_support;

use chrono::{Duration, TimeZone, Utc};
use contentos_core::access::{Actor, Role};
use contentos_core::schedule::{QueueSlots, WeeklySlot};
use contentos_core::store::SqliteStore;
use contentos_core::{Error, ErrorKind};
use schedule_support::*;
use std::sync::Arc;

async fn setup() -> (FakePlatform, Fixture) {
    let server = FakePlatform::start("access-1").await;
    let store = Arc::new(SqliteStore::in_memory().await.unwrap());
    let os = engine(store).await;
    let fx = fixture(os, &server.base_url(), "America/New_York").await;
    (server, fx)
}

fn monday_nine() -> QueueSlots {
    QueueSlots::parse("America/New_York", &[("mon", "09:00")]).unwrap()
}

fn field(e: Error) -> String {
    match e {
        Error::Validation { field, .. } => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn slots_are_stored_validated_and_replaced() {
    let (_server, fx) = setup().await;
    assert_eq!(fx.os.queue_slots(&fx.actor, fx.plain).await.unwrap(), None);
    let stored = fx
        .os
        .set_queue_slots(&fx.actor, fx.plain, monday_nine())
        .await
        .unwrap();
    assert_eq!(stored, monday_nine());
    assert_eq!(
        fx.os.queue_slots(&fx.actor, fx.plain).await.unwrap(),
        Some(monday_nine())
    );
    // Another account of the workspace has its own (empty) queue.
    assert_eq!(fx.os.queue_slots(&fx.actor, fx.keyed).await.unwrap(), None);

    // Invalid sets are refused naming the field; the stored set is unchanged.
    let bad_zone = QueueSlots {
        timezone: "Mars/Olympus".into(),
        ..monday_nine()
    };
    let e = fx
        .os
        .set_queue_slots(&fx.actor, fx.plain, bad_zone)
        .await
        .unwrap_err();
    assert_eq!(field(e), "slots.timezone");
    let mut seconds = monday_nine();
    seconds.slots.push(WeeklySlot {
        weekday: chrono::Weekday::Fri,
        time: chrono::NaiveTime::from_hms_opt(10, 0, 30).unwrap(),
    });
    let e = fx
        .os
        .set_queue_slots(&fx.actor, fx.plain, seconds)
        .await
        .unwrap_err();
    assert_eq!(field(e), "slots[1].time");
    let mut dup = monday_nine();
    dup.slots.push(dup.slots[0]);
    let e = fx
        .os
        .set_queue_slots(&fx.actor, fx.plain, dup)
        .await
        .unwrap_err();
    assert_eq!(field(e), "slots[1]");
    let empty = QueueSlots {
        slots: vec![],
        ..monday_nine()
    };
    let e = fx
        .os
        .set_queue_slots(&fx.actor, fx.plain, empty)
        .await
        .unwrap_err();
    assert_eq!(field(e), "slots");
    assert_eq!(
        fx.os.queue_slots(&fx.actor, fx.plain).await.unwrap(),
        Some(monday_nine())
    );

    // Replace, then delete; a second delete is NotFound.
    let paris = QueueSlots::parse("Europe/Paris", &[("tue", "08:15"), ("thu", "18:00")]).unwrap();
    fx.os
        .set_queue_slots(&fx.actor, fx.plain, paris.clone())
        .await
        .unwrap();
    assert_eq!(
        fx.os.queue_slots(&fx.actor, fx.plain).await.unwrap(),
        Some(paris)
    );
    fx.os.delete_queue_slots(&fx.actor, fx.plain).await.unwrap();
    assert_eq!(fx.os.queue_slots(&fx.actor, fx.plain).await.unwrap(), None);
    let e = fx
        .os
        .delete_queue_slots(&fx.actor, fx.plain)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn viewers_read_writers_set_strangers_see_nothing() {
    let (_server, fx) = setup().await;
    fx.os
        .set_queue_slots(&fx.actor, fx.plain, monday_nine())
        .await
        .unwrap();
    let viewer = fx.os.create_user("viewer@example.com").await.unwrap();
    fx.os
        .set_member(&fx.actor, fx.workspace, viewer.id, Role::Viewer)
        .await
        .unwrap();
    let viewer = Actor::user(viewer.id);
    assert_eq!(
        fx.os.queue_slots(&viewer, fx.plain).await.unwrap(),
        Some(monday_nine())
    );
    let paris = QueueSlots::parse("Europe/Paris", &[("tue", "08:15")]).unwrap();
    let e = fx
        .os
        .set_queue_slots(&viewer, fx.plain, paris.clone())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied);
    let e = fx
        .os
        .delete_queue_slots(&viewer, fx.plain)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied);

    let member = fx.os.create_user("member@example.com").await.unwrap();
    fx.os
        .set_member(&fx.actor, fx.workspace, member.id, Role::Member)
        .await
        .unwrap();
    fx.os
        .set_queue_slots(&Actor::user(member.id), fx.plain, paris.clone())
        .await
        .unwrap();

    // A user of another workspace can neither read nor change this account's slots.
    let stranger = fx.os.create_user("stranger@example.com").await.unwrap();
    let stranger = Actor::user(stranger.id);
    assert!(fx.os.queue_slots(&stranger, fx.plain).await.is_err());
    assert!(fx
        .os
        .set_queue_slots(&stranger, fx.plain, monday_nine())
        .await
        .is_err());
    assert!(fx.os.delete_queue_slots(&stranger, fx.plain).await.is_err());
    // Nothing any refused call tried was written.
    assert_eq!(
        fx.os.queue_slots(&fx.actor, fx.plain).await.unwrap(),
        Some(paris)
    );
}

#[tokio::test]
async fn scheduling_uses_the_stored_slots() {
    let (_server, fx) = setup().await;
    let after = Utc.with_ymd_and_hms(2030, 1, 6, 12, 0, 0).unwrap();
    let e = fx
        .os
        .next_queue_slot(&fx.actor, fx.plain, after)
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::NotFound {
                entity: "queue_slots",
                ..
            }
        ),
        "{e:?}"
    );
    fx.os
        .set_queue_slots(&fx.actor, fx.plain, monday_nine())
        .await
        .unwrap();
    // Sunday 2030-01-06 12:00 UTC → Monday 2030-01-07 09:00 EST = 14:00 UTC.
    let first = fx
        .os
        .next_queue_slot(&fx.actor, fx.plain, after)
        .await
        .unwrap();
    assert_eq!(first, Utc.with_ymd_and_hms(2030, 1, 7, 14, 0, 0).unwrap());

    // schedule_in_queue takes the next free stored slot after now, in the slots' zone; the
    // following call gets the slot a week later.
    let v = fx.variations(&["a".into(), "b".into()]).await;
    let p1 = fx
        .os
        .schedule_in_queue(&fx.actor, v[0], fx.plain)
        .await
        .unwrap();
    let p2 = fx
        .os
        .schedule_in_queue(&fx.actor, v[1], fx.plain)
        .await
        .unwrap();
    assert_eq!(p1.timezone, "America/New_York");
    assert!(p1.scheduled_time > Utc::now());
    for p in [&p1, &p2] {
        let local = p
            .scheduled_time
            .with_timezone(&chrono_tz::America::New_York);
        assert_eq!(
            (
                chrono::Datelike::weekday(&local),
                chrono::Timelike::hour(&local),
                chrono::Timelike::minute(&local)
            ),
            (chrono::Weekday::Mon, 9, 0)
        );
    }
    // One week later in local terms (167..=169 hours in UTC, whatever DST does meanwhile).
    let gap = p2.scheduled_time - p1.scheduled_time;
    assert!(
        gap >= Duration::hours(167) && gap <= Duration::hours(169),
        "{gap}"
    );
}
