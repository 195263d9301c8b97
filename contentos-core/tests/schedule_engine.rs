//! Scheduling facade and publish state machine against a local fake platform (SQLite store).

mod schedule_support;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Timelike, Utc};
use contentos_core::access::{Actor, Role};
use contentos_core::model::*;
use contentos_core::schedule::{JobOutcome, QueueSlots, WeeklySlot, Worker, WorkerConfig};
use contentos_core::store::SqliteStore;
use contentos_core::vault::Secret;
use contentos_core::ErrorKind;
use schedule_support::*;
use std::sync::Arc;

async fn setup(tz: &str) -> (FakePlatform, Fixture) {
    let server = FakePlatform::start("access-1").await;
    let store = Arc::new(SqliteStore::in_memory().await.unwrap());
    let os = engine(store).await;
    let fx = fixture(os, &server.base_url(), tz).await;
    (server, fx)
}

fn config() -> WorkerConfig {
    WorkerConfig {
        worker_id: "w1".into(),
        lease: std::time::Duration::from_secs(30),
        backoff_base: std::time::Duration::from_secs(60),
        max_attempts: 3,
        reauth_recheck: std::time::Duration::from_secs(900),
        ..WorkerConfig::default()
    }
}

fn worker(fx: &Fixture) -> Worker {
    fx.os.worker(config()).unwrap()
}

async fn post(fx: &Fixture, id: ScheduledPostId) -> ScheduledPost {
    fx.os.store().get_scheduled_post(id).await.unwrap()
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
}

#[tokio::test]
async fn schedule_validates_zone_platform_text_workspace_and_permissions() {
    let (_server, fx) = setup("America/New_York").await;
    let v = fx.variations(&["hello world".into()]).await[0];
    let e = fx
        .os
        .schedule(&fx.actor, v, fx.plain, t0(), "Mars/Olympus")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);

    // Text over the publisher's limit is refused before queueing.
    let long = fx.variations(&["x".repeat(501)]).await[0];
    let e = fx
        .os
        .schedule(&fx.actor, long, fx.plain, t0(), "UTC")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("parts[0].text"), "{e}");

    // A LinkedIn variation cannot go to an X account.
    let c = fx
        .os
        .create_content(
            &fx.actor,
            NewContent {
                workspace_id: fx.workspace,
                created_by: fx.actor.user_id,
                title: None,
                original_input: "in".into(),
                content_type: ContentType::Social,
                format: Format::default(),
                metadata: Metadata::new(),
                variations: vec![NewVariation {
                    platform: Some(Platform::LinkedIn),
                    body: "for linkedin".into(),
                    metadata: Metadata::new(),
                }],
            },
        )
        .await
        .unwrap();
    let e = fx
        .os
        .schedule(&fx.actor, c.variations[0].id, fx.plain, t0(), "UTC")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);

    // A variation of another workspace is invisible.
    let other = fx
        .os
        .create_workspace(&fx.actor, "Other", BrandVoice::default(), "UTC")
        .await
        .unwrap();
    let c2 = fx
        .os
        .create_content(
            &fx.actor,
            NewContent {
                workspace_id: other.id,
                created_by: fx.actor.user_id,
                title: None,
                original_input: "in".into(),
                content_type: ContentType::Social,
                format: Format::default(),
                metadata: Metadata::new(),
                variations: vec![NewVariation {
                    platform: None,
                    body: "elsewhere".into(),
                    metadata: Metadata::new(),
                }],
            },
        )
        .await
        .unwrap();
    let e = fx
        .os
        .schedule(&fx.actor, c2.variations[0].id, fx.plain, t0(), "UTC")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);

    // A viewer may read the calendar but not schedule.
    let viewer = fx.os.create_user("viewer@example.com").await.unwrap();
    fx.os
        .set_member(&fx.actor, fx.workspace, viewer.id, Role::Viewer)
        .await
        .unwrap();
    let va = Actor::user(viewer.id);
    let e = fx
        .os
        .schedule(&va, v, fx.plain, t0(), "UTC")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied);
    assert!(fx.os.calendar(&va, fx.workspace, 2026, 6).await.is_ok());
    let stranger = Actor::user(fx.os.create_user("s@example.com").await.unwrap().id);
    let e = fx
        .os
        .calendar(&stranger, fx.workspace, 2026, 6)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied);

    // Valid: stored with instant and zone.
    let p = fx
        .os
        .schedule(&fx.actor, v, fx.plain, t0(), "Europe/Paris")
        .await
        .unwrap();
    let stored = post(&fx, p.id).await;
    assert_eq!(stored.scheduled_time, t0());
    assert_eq!(stored.timezone, "Europe/Paris");
    assert_eq!(stored.status, PostStatus::Pending);
    assert_eq!(stored.platform, Platform::X);
}

#[tokio::test]
async fn cancel_reschedule_and_calendar_use_local_days() {
    let (_server, fx) = setup("America/New_York").await;
    let v = fx.variations(&["calendar post".into()]).await[0];
    let ny = "America/New_York";
    let day = |d: u32, h: u32, m: u32| {
        NaiveDate::from_ymd_opt(2026, 3, d)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    };
    // 23:30 on Mar 31 in New York is Apr 1 in UTC, but belongs to March locally.
    let late = fx
        .os
        .schedule_local(&fx.actor, v, fx.plain, day(31, 23, 30), ny)
        .await
        .unwrap();
    assert_eq!(
        late.scheduled_time.date_naive(),
        NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()
    );
    let early = fx
        .os
        .schedule_local(&fx.actor, v, fx.plain, day(1, 0, 30), ny)
        .await
        .unwrap();
    let april = fx
        .os
        .schedule_local(
            &fx.actor,
            v,
            fx.plain,
            NaiveDate::from_ymd_opt(2026, 4, 1)
                .unwrap()
                .and_hms_opt(0, 30, 0)
                .unwrap(),
            ny,
        )
        .await
        .unwrap();
    let gone = fx
        .os
        .schedule_local(&fx.actor, v, fx.plain, day(10, 12, 0), ny)
        .await
        .unwrap();
    let cancelled = fx.os.cancel(&fx.actor, gone.id).await.unwrap();
    assert_eq!(cancelled.status, PostStatus::Cancelled);
    assert_eq!(
        fx.os.cancel(&fx.actor, gone.id).await.unwrap_err().kind(),
        ErrorKind::Conflict
    );

    let cal = fx
        .os
        .calendar(&fx.actor, fx.workspace, 2026, 3)
        .await
        .unwrap();
    assert_eq!(cal.days.len(), 31);
    assert_eq!(cal.timezone, ny);
    let ids: Vec<_> = cal.posts().map(|p| p.id).collect();
    assert_eq!(ids, vec![early.id, late.id]);
    assert_eq!(cal.days[30].posts[0].id, late.id);
    assert_eq!(cal.days[0].posts[0].id, early.id);
    assert!(!ids.contains(&april.id));

    // Reschedule moves it to April; a published post can no longer be moved.
    let moved = fx
        .os
        .reschedule(
            &fx.actor,
            late.id,
            april.scheduled_time + Duration::hours(1),
        )
        .await
        .unwrap();
    assert_eq!(
        post(&fx, late.id).await.scheduled_time,
        moved.scheduled_time
    );
    let cal = fx
        .os
        .calendar(&fx.actor, fx.workspace, 2026, 3)
        .await
        .unwrap();
    assert_eq!(cal.posts().count(), 1);
    assert_eq!(
        fx.os
            .calendar(&fx.actor, fx.workspace, 2026, 4)
            .await
            .unwrap()
            .posts()
            .count(),
        2
    );
    let reports = worker(&fx).run_once_at(Utc::now()).await.unwrap();
    assert!(reports
        .iter()
        .any(|r| r.post_id == early.id && r.outcome == JobOutcome::Published));
    assert_eq!(
        fx.os
            .reschedule(&fx.actor, early.id, t0())
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Conflict
    );
}

#[tokio::test]
async fn dst_posts_publish_at_nine_local_around_both_2026_transitions() {
    let (server, fx) = setup("America/New_York").await;
    let ny: chrono_tz::Tz = "America/New_York".parse().unwrap();
    let v = fx.variations(&["good morning".into()]).await[0];
    let w = worker(&fx);
    for (month, days) in [(3u32, [7u32, 8, 9]), (11, [0, 1, 2])] {
        let mut posts = vec![];
        for d in days {
            let date = if d == 0 {
                NaiveDate::from_ymd_opt(2026, 10, 31)
            } else {
                NaiveDate::from_ymd_opt(2026, month, d)
            }
            .unwrap();
            let p = fx
                .os
                .schedule_local(
                    &fx.actor,
                    v,
                    fx.plain,
                    date.and_hms_opt(9, 0, 0).unwrap(),
                    "America/New_York",
                )
                .await
                .unwrap();
            posts.push((date, p.id));
        }
        // Replay the days in 15-minute ticks and record the tick each post was published at.
        let first = posts[0]
            .0
            .pred_opt()
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc();
        let mut published_at = std::collections::HashMap::new();
        for step in 0..(5 * 96) {
            let now = first + Duration::minutes(15 * step);
            for r in w.run_once_at(now).await.unwrap() {
                assert_eq!(r.outcome, JobOutcome::Published);
                published_at.insert(r.post_id, now);
            }
        }
        for (date, id) in posts {
            let at = published_at[&id].with_timezone(&ny);
            assert_eq!(
                (at.date_naive(), at.hour(), at.minute()),
                (date, 9, 0),
                "post of {date}"
            );
            let stored = post(&fx, id).await;
            assert_eq!(stored.status, PostStatus::Published);
            let lag = stored.published_at.unwrap() - published_at[&id];
            assert!(lag >= Duration::zero() && lag < Duration::seconds(5));
        }
    }
    // Offsets differ across the transitions: 14:00 UTC in EST, 13:00 UTC in EDT.
    assert_eq!(server.requests().len(), 6);
}

#[tokio::test]
async fn rate_limit_reschedules_without_spending_an_attempt() {
    let (server, fx) = setup("UTC").await;
    let v = fx.variations(&["rate limited".into()]).await[0];
    let p = fx
        .os
        .schedule(&fx.actor, v, fx.plain, t0(), "UTC")
        .await
        .unwrap();
    server.push_script(Scripted::RateLimited(120));
    let w = worker(&fx);
    let r = w.run_once_at(t0()).await.unwrap();
    let JobOutcome::RateLimited { at } = r[0].outcome.clone() else {
        panic!("{r:?}")
    };
    assert!(at >= t0() + Duration::seconds(120) && at < t0() + Duration::seconds(125));
    let s = post(&fx, p.id).await;
    assert_eq!(
        (s.status, s.attempts, s.scheduled_time),
        (PostStatus::Pending, 0, at)
    );
    assert!(s.attempt_started_at.is_none() && s.lease_owner.is_none());
    assert!(w
        .run_once_at(t0() + Duration::seconds(60))
        .await
        .unwrap()
        .is_empty());
    let r = w.run_once_at(at).await.unwrap();
    assert_eq!(r[0].outcome, JobOutcome::Published);
    let s = post(&fx, p.id).await;
    assert_eq!(s.attempts, 1);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs.iter().filter(|r| r.created).count(), 1);
    assert_eq!(s.platform_post_id, reqs[1].status_id);
}

#[tokio::test]
async fn transient_errors_retry_with_exponential_backoff_then_fail() {
    let (server, fx) = setup("UTC").await;
    let vs = fx
        .variations(&["flaky one".into(), "flaky two".into()])
        .await;
    let w = worker(&fx);
    // Post 1: two 503s, then success on the 3rd attempt.
    let p = fx
        .os
        .schedule(&fx.actor, vs[0], fx.plain, t0(), "UTC")
        .await
        .unwrap();
    server.push_script(Scripted::Unavailable);
    server.push_script(Scripted::Unavailable);
    let mut now = t0();
    let mut waits = vec![];
    loop {
        let r = w.run_once_at(now).await.unwrap();
        match r[0].outcome.clone() {
            JobOutcome::RetryScheduled { at } => {
                waits.push((at - now).num_seconds());
                assert!(w
                    .run_once_at(at - Duration::seconds(5))
                    .await
                    .unwrap()
                    .is_empty());
                now = at;
            }
            JobOutcome::Published => break,
            o => panic!("{o:?}"),
        }
    }
    assert_eq!(waits, vec![60, 120]);
    assert_eq!(post(&fx, p.id).await.attempts, 3);

    // Post 2: 503 three times → failed after max attempts.
    let p2 = fx
        .os
        .schedule(&fx.actor, vs[1], fx.plain, now, "UTC")
        .await
        .unwrap();
    for _ in 0..3 {
        server.push_script(Scripted::Unavailable);
    }
    let mut outcome = None;
    for _ in 0..3 {
        let r = w.run_once_at(now).await.unwrap();
        outcome = Some(r[0].outcome.clone());
        if let JobOutcome::RetryScheduled { at } = r[0].outcome {
            now = at;
        }
    }
    assert_eq!(outcome, Some(JobOutcome::Failed));
    let s = post(&fx, p2.id).await;
    assert_eq!((s.status, s.attempts), (PostStatus::Failed, 3));
    assert!(s
        .error_message
        .unwrap()
        .contains("gave up after 3 attempts"));
}

#[tokio::test]
async fn reauth_refreshes_persists_rotated_tokens_or_parks_the_account() {
    let (server, fx) = setup("UTC").await;
    let vs = fx
        .variations(&["needs a token".into(), "waits for owner".into()])
        .await;
    let w = worker(&fx);
    server.state.lock().unwrap().valid_tokens = vec![]; // access-1 now refused
    let p = fx
        .os
        .schedule(&fx.actor, vs[0], fx.keyed, t0(), "UTC")
        .await
        .unwrap();
    let r = w.run_once_at(t0()).await.unwrap();
    assert_eq!(r[0].outcome, JobOutcome::Published, "{r:?}");
    assert_eq!(
        server.state.lock().unwrap().refreshes,
        vec!["refresh-1".to_string()]
    );
    let creds = fx
        .os
        .account_credentials(&fx.actor, fx.keyed)
        .await
        .unwrap();
    assert_eq!(creds.access_token.expose(), "access-2");
    assert_eq!(creds.refresh_token.unwrap().expose(), "refresh-2");
    let reqs = server.requests();
    assert_eq!(
        reqs.iter().map(|r| r.token.as_str()).collect::<Vec<_>>(),
        ["access-1", "access-2"]
    );
    assert_eq!(post(&fx, p.id).await.attempts, 1);

    // Refresh refused: the account is parked, the post waits without spending an attempt.
    {
        let mut s = server.state.lock().unwrap();
        s.valid_tokens = vec![];
        s.refresh_ok = false;
    }
    let p2 = fx
        .os
        .schedule(&fx.actor, vs[1], fx.keyed, t0(), "UTC")
        .await
        .unwrap();
    let r = w.run_once_at(t0()).await.unwrap();
    let JobOutcome::WaitingForReauth { at } = r[0].outcome.clone() else {
        panic!("{r:?}")
    };
    let acc = fx.os.store().get_account(fx.keyed).await.unwrap();
    assert_eq!(acc.status, AccountStatus::NeedsReauth);
    let s = post(&fx, p2.id).await;
    assert_eq!((s.status, s.attempts), (PostStatus::Pending, 0));
    // Still parked at the recheck: no platform call while the account needs re-authorization.
    let calls = server.requests().len();
    let r = w.run_once_at(at).await.unwrap();
    assert!(matches!(r[0].outcome, JobOutcome::WaitingForReauth { .. }));
    assert_eq!(server.requests().len(), calls);
    // The owner reconnects; the next recheck publishes.
    server.state.lock().unwrap().valid_tokens = vec!["fresh".into()];
    let mut fresh = fx
        .os
        .account_credentials(&fx.actor, fx.keyed)
        .await
        .unwrap();
    fresh.access_token = Secret::new("fresh");
    fx.os.store_refreshed_credentials(&fresh).await.unwrap();
    let JobOutcome::WaitingForReauth { at } = r[0].outcome.clone() else {
        unreachable!()
    };
    let r = w.run_once_at(at).await.unwrap();
    assert_eq!(r[0].outcome, JobOutcome::Published);
    assert_eq!(post(&fx, p2.id).await.attempts, 1);
}

#[tokio::test]
async fn interrupted_threads_resume_missing_parts_or_become_unconfirmed() {
    let (server, fx) = setup("UTC").await;
    let vs = fx
        .variations(&[
            "one | two | three".into(),
            "uno | dos | tres".into(),
            "a | b".into(),
        ])
        .await;
    let w = worker(&fx);
    // A transient failure on part 2 of an X thread: the retry publishes parts 2 and 3 only.
    let p = fx
        .os
        .schedule(&fx.actor, vs[0], fx.plain, t0(), "UTC")
        .await
        .unwrap();
    server.push_script(Scripted::Normal);
    server.push_script(Scripted::Unavailable);
    let r = w.run_once_at(t0()).await.unwrap();
    let JobOutcome::RetryScheduled { at } = r[0].outcome.clone() else {
        panic!("{r:?}")
    };
    assert_eq!(post(&fx, p.id).await.receipts.len(), 1);
    assert_eq!(
        w.run_once_at(at).await.unwrap()[0].outcome,
        JobOutcome::Published
    );
    let created: Vec<(usize, String)> = server
        .requests()
        .iter()
        .filter(|r| r.created)
        .map(|r| (r.index, r.text.clone()))
        .collect();
    assert_eq!(
        created,
        vec![(0, "one".into()), (1, "two".into()), (2, "three".into())]
    );
    let s = post(&fx, p.id).await;
    assert_eq!(s.receipts.len(), 3);
    assert_eq!(
        s.platform_post_id.as_deref(),
        s.receipts[0].platform_post_id.as_str().into()
    );

    // Simulate a worker that died after part 1 was confirmed while part 2 was in flight.
    let store = fx.os.store().clone();
    let simulate_crash = |id: ScheduledPostId, receipt: PartReceipt| {
        let store = store.clone();
        async move {
            let claimed = store
                .claim_due_posts("dead-worker", t0(), std::time::Duration::from_secs(1), 10)
                .await
                .unwrap();
            let mut p = claimed.into_iter().find(|p| p.id == id).unwrap();
            p.attempts = 1;
            p.attempt_started_at = Some(t0());
            p.receipts = vec![receipt];
            store
                .update_scheduled_post(&p, PostStatus::Publishing)
                .await
                .unwrap();
        }
    };
    let before = server.requests().len();
    // X (no idempotency): never re-posted, reported as unconfirmed.
    let px = fx
        .os
        .schedule(&fx.actor, vs[1], fx.plain, t0(), "UTC")
        .await
        .unwrap();
    simulate_crash(
        px.id,
        PartReceipt {
            index: 0,
            platform_post_id: "x-old".into(),
            cid: None,
            url: None,
        },
    )
    .await;
    // The lease has not expired yet: nobody may take it.
    assert!(w.run_once_at(t0()).await.unwrap().is_empty());
    let r = w.run_once_at(t0() + Duration::seconds(2)).await.unwrap();
    assert_eq!(r[0].outcome, JobOutcome::Unconfirmed);
    let s = post(&fx, px.id).await;
    assert_eq!(s.status, PostStatus::Unconfirmed);
    assert!(s.error_message.unwrap().contains("1 of 3"));
    assert_eq!(server.requests().len(), before, "nothing re-posted");

    // Mastodon (idempotency key): resumed from the receipts with the same key.
    let pm = fx
        .os
        .schedule(&fx.actor, vs[2], fx.keyed, t0(), "UTC")
        .await
        .unwrap();
    let r = w.run_once_at(t0() + Duration::seconds(3)).await.unwrap();
    assert_eq!(r[0].outcome, JobOutcome::Published);
    let first = post(&fx, pm.id).await;
    // Now pretend the worker died right after part 2 was sent but before its receipt was stored:
    // roll the row back to "part 1 confirmed, attempt in flight".
    let mut rolled = first.clone();
    rolled.status = PostStatus::Pending;
    fx.os
        .store()
        .update_scheduled_post(&rolled, PostStatus::Published)
        .await
        .unwrap();
    simulate_crash(pm.id, first.receipts[0].clone()).await;
    let r = w.run_once_at(t0() + Duration::seconds(5)).await.unwrap();
    assert_eq!(r[0].outcome, JobOutcome::Published);
    let again = post(&fx, pm.id).await;
    assert_eq!(
        again.receipts, first.receipts,
        "the replayed key returned the same status"
    );
    let st = server.state.lock().unwrap();
    let key = (String::from("mastodon"), pm.id.to_string(), 1usize);
    assert_eq!(st.statuses[&key].len(), 1, "part 2 created once");
    let part0_requests = st
        .requests
        .iter()
        .filter(|r| r.post_key == pm.id.to_string() && r.index == 0)
        .count();
    assert_eq!(part0_requests, 1, "part 1 never re-sent");
}

#[tokio::test]
async fn publish_now_returns_per_platform_results() {
    let (server, fx) = setup("UTC").await;
    let v = fx.variations(&["right now".into()]).await[0];
    let results = fx
        .os
        .publish_now(&fx.actor, v, &[fx.keyed, fx.plain])
        .await
        .unwrap();
    assert_eq!(results.len(), 2);
    for r in &results {
        assert_eq!(r.outcome, Some(JobOutcome::Published), "{r:?}");
        let s = post(&fx, r.post_id.unwrap()).await;
        assert_eq!(s.status, PostStatus::Published);
        assert_eq!(s.platform_post_id, r.platform_post_id);
    }
    assert_eq!(results[0].platform, Platform::Mastodon);
    assert_eq!(results[1].platform, Platform::X);
    let kinds: Vec<_> = server.requests().iter().map(|r| r.kind.clone()).collect();
    assert_eq!(kinds, ["mastodon", "x"]);
    // A LinkedIn account without a registered publisher is reported, not fatal.
    let li = fx
        .os
        .connect_account(
            &fx.actor,
            fx.workspace,
            contentos_core::NewSocialAccount {
                platform: Platform::LinkedIn,
                account_name: "li".into(),
                external_id: None,
                base_url: None,
                access_token: Secret::new("t"),
                refresh_token: None,
                token_expires_at: None,
            },
        )
        .await
        .unwrap();
    let results = fx.os.publish_now(&fx.actor, v, &[li.id]).await.unwrap();
    assert!(
        results[0].outcome.is_none() && results[0].error.as_ref().unwrap().contains("no publisher")
    );
    let viewer = fx.os.create_user("v2@example.com").await.unwrap();
    fx.os
        .set_member(&fx.actor, fx.workspace, viewer.id, Role::Viewer)
        .await
        .unwrap();
    let e = fx
        .os
        .publish_now(&Actor::user(viewer.id), v, &[fx.plain])
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied);
}

#[tokio::test]
async fn next_free_slot_skips_slots_taken_by_the_account() {
    let (_server, fx) = setup("America/New_York").await;
    let v = fx.variations(&["queued".into()]).await[0];
    let slots = QueueSlots {
        timezone: "America/New_York".into(),
        slots: vec![WeeklySlot {
            weekday: chrono::Weekday::Mon,
            time: chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        }],
    };
    // Sunday 2030-01-06 12:00 UTC → Monday 2030-01-07 09:00 EST = 14:00 UTC.
    let after = Utc.with_ymd_and_hms(2030, 1, 6, 12, 0, 0).unwrap();
    let first = fx
        .os
        .next_free_slot(&fx.actor, fx.plain, &slots, after)
        .await
        .unwrap();
    assert_eq!(first, Utc.with_ymd_and_hms(2030, 1, 7, 14, 0, 0).unwrap());
    fx.os
        .schedule(&fx.actor, v, fx.plain, first, "America/New_York")
        .await
        .unwrap();
    // The other account's queue is unaffected; this account's next slot is a week later.
    assert_eq!(
        fx.os
            .next_free_slot(&fx.actor, fx.keyed, &slots, after)
            .await
            .unwrap(),
        first
    );
    let second = fx
        .os
        .next_free_slot(&fx.actor, fx.plain, &slots, after)
        .await
        .unwrap();
    assert_eq!(second, first + Duration::weeks(1));
}
