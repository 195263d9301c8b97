//! One conformance suite for every Store backend: each test body below runs against SQLite (a
//! fresh file, WAL) and PostgreSQL (a fresh schema on `CONTENTOS_TEST_POSTGRES_URL`, default
//! `postgres://postgres@127.0.0.1:5432/test`). PostgreSQL being unreachable FAILS the tests.

mod common;

use common::*;
use contentos_core::access::Role;
use contentos_core::model::*;
use contentos_core::store::Store;
use contentos_core::vault::{Secret, Vault};
use contentos_core::Error;
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

// ---------------------------------------------------------------------------------------------
// Test bodies (backend-independent)
// ---------------------------------------------------------------------------------------------

async fn ping_and_backend(b: &Backend) {
    b.store.ping().await.unwrap();
    assert!(["sqlite", "postgres"].contains(&b.store.backend()));
}

async fn users(b: &Backend) {
    let s = &*b.store;
    let u = user(s, "Ada@Example.com").await;
    assert_eq!(s.get_user(u.id).await.unwrap(), u);
    let found = s.find_user_by_email("ada@example.COM").await.unwrap();
    assert_eq!(
        found.map(|f| f.id),
        Some(u.id),
        "e-mail lookup is case-insensitive"
    );
    assert!(s
        .find_user_by_email("bob@example.com")
        .await
        .unwrap()
        .is_none());

    let dup = User::new("ADA@example.com");
    assert_conflict(s.create_user(&dup).await);
    assert_not_found(s.get_user(UserId::new()).await, "user");
}

async fn workspaces_and_members(b: &Backend) {
    let s = &*b.store;
    let (owner, ws) = owner_and_workspace(s, "owner@example.com").await;
    assert_eq!(s.get_workspace(ws.id).await.unwrap(), ws);
    assert_eq!(
        s.member_role(ws.id, owner.id).await.unwrap(),
        Some(Role::Owner)
    );

    let mut changed = ws.clone();
    changed.name = "Acme Renamed".into();
    changed.brand_voice.banned_words.push("leverage".into());
    changed.timezone = "America/New_York".into();
    s.update_workspace(&changed).await.unwrap();
    assert_eq!(s.get_workspace(ws.id).await.unwrap(), changed);

    let bob = user(s, "bob@example.com").await;
    assert_eq!(s.member_role(ws.id, bob.id).await.unwrap(), None);
    s.upsert_member(&Member {
        workspace_id: ws.id,
        user_id: bob.id,
        role: Role::Viewer,
    })
    .await
    .unwrap();
    assert_eq!(
        s.member_role(ws.id, bob.id).await.unwrap(),
        Some(Role::Viewer)
    );
    s.upsert_member(&Member {
        workspace_id: ws.id,
        user_id: bob.id,
        role: Role::Admin,
    })
    .await
    .unwrap();
    assert_eq!(
        s.member_role(ws.id, bob.id).await.unwrap(),
        Some(Role::Admin)
    );

    let mut members = s.list_members(ws.id).await.unwrap();
    members.sort_by_key(|m| m.user_id);
    let mut expected = vec![
        Member {
            workspace_id: ws.id,
            user_id: owner.id,
            role: Role::Owner,
        },
        Member {
            workspace_id: ws.id,
            user_id: bob.id,
            role: Role::Admin,
        },
    ];
    expected.sort_by_key(|m| m.user_id);
    assert_eq!(members, expected);

    let ws2 = workspace_for(&bob, "Bob's");
    s.create_workspace(&ws2).await.unwrap();
    let bobs = s.list_workspaces_for_user(bob.id).await.unwrap();
    assert_eq!(bobs.len(), 2);
    assert_eq!(role_of(&bobs, ws.id), Some(Role::Admin));
    assert_eq!(role_of(&bobs, ws2.id), Some(Role::Owner));
    assert_eq!(s.list_workspaces_for_user(owner.id).await.unwrap().len(), 1);

    s.remove_member(ws.id, bob.id).await.unwrap();
    assert_eq!(s.member_role(ws.id, bob.id).await.unwrap(), None);
    assert_not_found(s.remove_member(ws.id, bob.id).await, "member");

    assert_not_found(s.get_workspace(WorkspaceId::new()).await, "workspace");
    let mut ghost = ws.clone();
    ghost.id = WorkspaceId::new();
    assert_not_found(s.update_workspace(&ghost).await, "workspace");
    assert_not_found(s.delete_workspace(ghost.id).await, "workspace");
}

async fn content_round_trip(b: &Backend) {
    let s = &*b.store;
    let (owner, ws) = owner_and_workspace(s, "c@example.com").await;
    let (c, vs) = content_with_3(s, &ws, &owner, "Round trip").await;
    let got = s.get_content(c.id).await.unwrap();
    assert_eq!(got.content, c);
    assert_eq!(
        got.variations, vs,
        "variations oldest first, all fields intact"
    );
    assert_eq!(s.get_variation(vs[1].id).await.unwrap(), vs[1]);

    let extra = vec![
        variation(&c, Some(Platform::Mastodon), "For Mastodon", 10),
        variation(&c, Some(Platform::Threads), "For Threads", 11),
    ];
    s.add_variations(c.id, &extra).await.unwrap();
    let got = s.get_content(c.id).await.unwrap();
    assert_eq!(got.variations.len(), 5);
    assert_eq!(got.variations[3..], extra[..]);

    let orphan = Content {
        id: ContentId::new(),
        ..c.clone()
    };
    let orphan_v = vec![variation(&orphan, None, "nobody's", 1)];
    assert_not_found(s.add_variations(orphan.id, &orphan_v).await, "content");
    assert_not_found(s.get_content(ContentId::new()).await, "content");
    assert_not_found(s.get_variation(VariationId::new()).await, "variation");
}

async fn list_pagination_and_filters(b: &Backend) {
    let s = &*b.store;
    let (owner, ws) = owner_and_workspace(s, "p@example.com").await;
    let (other_owner, other) = owner_and_workspace(s, "other@example.com").await;
    let statuses = [
        ContentStatus::Draft,
        ContentStatus::Published,
        ContentStatus::Scheduled,
    ];
    let types = [ContentType::Blog, ContentType::Social];
    let mut all = Vec::new();
    for i in 0..25i64 {
        let mut c = content(&ws, &owner, &format!("item {i}"), "some input text here");
        c.created_at = at(i * 60);
        c.updated_at = c.created_at;
        c.status = statuses[(i % 3) as usize];
        c.content_type = types[(i % 2) as usize];
        s.create_content(&c, &[]).await.unwrap();
        all.push(c);
    }
    let mut foreign = content(&other, &other_owner, "foreign", "not in ws");
    foreign.created_at = at(100_000);
    s.create_content(&foreign, &[]).await.unwrap();

    let newest_first: Vec<ContentId> = all.iter().rev().map(|c| c.id).collect();
    let q = |page, limit| ContentQuery {
        page,
        limit,
        ..Default::default()
    };

    let p1 = s.list_content(ws.id, &q(1, 10)).await.unwrap();
    assert_eq!((p1.page, p1.limit, p1.total), (1, 10, 25));
    assert_eq!(
        p1.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        newest_first[..10]
    );
    assert_eq!(p1.items[0], all[24], "rows come back intact");
    let p3 = s.list_content(ws.id, &q(3, 10)).await.unwrap();
    assert_eq!(
        p3.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        newest_first[20..]
    );
    let p4 = s.list_content(ws.id, &q(4, 10)).await.unwrap();
    assert!(p4.items.is_empty());
    assert_eq!(p4.total, 25);

    let published = ContentQuery {
        status: Some(ContentStatus::Published),
        limit: 100,
        ..Default::default()
    };
    let page = s.list_content(ws.id, &published).await.unwrap();
    let expected: Vec<ContentId> = all
        .iter()
        .rev()
        .filter(|c| c.status == ContentStatus::Published)
        .map(|c| c.id)
        .collect();
    assert_eq!(
        page.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        expected
    );
    assert_eq!(page.total, expected.len() as u64);

    let social_drafts = ContentQuery {
        status: Some(ContentStatus::Draft),
        content_type: Some(ContentType::Social),
        page: 1,
        limit: 2,
    };
    let page = s.list_content(ws.id, &social_drafts).await.unwrap();
    let expected: Vec<ContentId> = all
        .iter()
        .rev()
        .filter(|c| c.status == ContentStatus::Draft && c.content_type == ContentType::Social)
        .map(|c| c.id)
        .collect();
    assert_eq!(page.total, expected.len() as u64);
    assert_eq!(
        page.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        expected[..2]
    );

    let others = s.list_content(other.id, &q(1, 20)).await.unwrap();
    assert_eq!(others.items, vec![foreign]);
}

async fn update_content_merges_metadata(b: &Backend) {
    let s = &*b.store;
    let (owner, ws) = owner_and_workspace(s, "u@example.com").await;
    let mut c = content(&ws, &owner, "Before", "input for update");
    c.metadata = meta(&[
        ("a", 1.into()),
        ("b", 2.into()),
        ("nested", serde_json::json!({"x": 1})),
    ]);
    c.updated_at = at(0);
    s.create_content(&c, &[]).await.unwrap();

    let patch = ContentPatch {
        title: Some("After".into()),
        status: Some(ContentStatus::Scheduled),
        metadata: Some(meta(&[("b", 3.into()), ("c", "new".into())])),
    };
    let updated = s.update_content(c.id, &patch).await.unwrap();
    assert_eq!(updated.title.as_deref(), Some("After"));
    assert_eq!(updated.status, ContentStatus::Scheduled);
    assert_eq!(
        updated.metadata,
        meta(&[
            ("a", 1.into()),
            ("b", 3.into()),
            ("c", "new".into()),
            ("nested", serde_json::json!({"x": 1}))
        ])
    );
    assert!(
        updated.updated_at > c.updated_at,
        "updated_at moves forward"
    );
    assert_eq!(updated.created_at, c.created_at);
    assert_eq!(s.get_content(c.id).await.unwrap().content, updated);

    let untouched = s
        .update_content(c.id, &ContentPatch::default())
        .await
        .unwrap();
    assert_eq!(untouched.metadata, updated.metadata);
    assert_eq!(untouched.title, updated.title);
    assert_not_found(s.update_content(ContentId::new(), &patch).await, "content");
}

async fn delete_content_cascades(b: &Backend) {
    let s = &*b.store;
    let sc = scene(s).await;
    let p = post(&sc.ws, &sc.variations[0], &sc.account, at(10));
    s.insert_scheduled_post(&p).await.unwrap();
    s.upsert_analytics(&analytics_row(&p, 10)).await.unwrap();

    s.delete_content(sc.content.id).await.unwrap();
    assert_not_found(s.get_content(sc.content.id).await, "content");
    for v in &sc.variations {
        assert_not_found(s.get_variation(v.id).await, "variation");
    }
    assert_not_found(s.get_scheduled_post(p.id).await, "scheduled_post");
    assert!(s.get_analytics(p.id).await.unwrap().is_none());
    assert!(s
        .search_content(sc.ws.id, "Scene", 10)
        .await
        .unwrap()
        .is_empty());
    // The account is not part of the content and stays.
    assert_eq!(
        s.get_account(sc.account.id).await.unwrap().id,
        sc.account.id
    );
    assert_not_found(s.delete_content(sc.content.id).await, "content");
}

async fn delete_workspace_cascades(b: &Backend) {
    let s = &*b.store;
    let sc = scene(s).await;
    let p = post(&sc.ws, &sc.variations[0], &sc.account, at(10));
    s.insert_scheduled_post(&p).await.unwrap();
    s.upsert_analytics(&analytics_row(&p, 5)).await.unwrap();
    let seg = segment(&sc.ws, "developers");
    s.create_segment(&seg).await.unwrap();
    let model = stored_model(Some(sc.ws.id), 1);
    s.save_model(&model).await.unwrap();
    let (_, keep) = owner_and_workspace(s, "keep@example.com").await;

    s.delete_workspace(sc.ws.id).await.unwrap();
    assert_not_found(s.get_workspace(sc.ws.id).await, "workspace");
    assert_not_found(s.get_content(sc.content.id).await, "content");
    assert_not_found(s.get_variation(sc.variations[2].id).await, "variation");
    assert_not_found(s.get_account(sc.account.id).await, "account");
    assert_not_found(s.get_scheduled_post(p.id).await, "scheduled_post");
    assert_not_found(s.get_segment(seg.id).await, "segment");
    assert!(s.get_analytics(p.id).await.unwrap().is_none());
    assert!(s
        .latest_model(Some(sc.ws.id), "engagement")
        .await
        .unwrap()
        .is_none());
    assert_eq!(s.member_role(sc.ws.id, sc.owner.id).await.unwrap(), None);
    assert!(s
        .list_workspaces_for_user(sc.owner.id)
        .await
        .unwrap()
        .is_empty());
    // The user and other workspaces survive.
    assert_eq!(s.get_user(sc.owner.id).await.unwrap().id, sc.owner.id);
    assert_eq!(s.get_workspace(keep.id).await.unwrap(), keep);
}

async fn full_text_search(b: &Backend) {
    let s = &*b.store;
    let (owner, ws) = owner_and_workspace(s, "fts@example.com").await;
    let (o2, ws2) = owner_and_workspace(s, "fts2@example.com").await;
    let best = content(
        &ws,
        &owner,
        "Kubernetes autoscaling explained",
        "How kubernetes autoscaling works: the autoscaling loop of kubernetes.",
    );
    let weaker = content(
        &ws,
        &owner,
        "Weekly notes",
        "A long ramble about gardening, cooking, travel, books and music, which mentions \
         kubernetes once and autoscaling once among many other unrelated words about the \
         weather, football, painting, and the price of coffee in several cities.",
    );
    let unrelated = content(
        &ws,
        &owner,
        "Sourdough",
        "Baking bread at home with a starter",
    );
    let foreign = content(
        &ws2,
        &o2,
        "Kubernetes autoscaling",
        "kubernetes autoscaling",
    );
    for c in [&weaker, &best, &unrelated, &foreign] {
        s.create_content(c, &[]).await.unwrap();
    }

    let hits = s
        .search_content(ws.id, "kubernetes autoscaling", 10)
        .await
        .unwrap();
    assert_eq!(
        hits.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![best.id, weaker.id],
        "both terms required, best match first, other workspaces excluded"
    );
    assert_eq!(hits[0], best);
    // Stemming: "baked" finds "Baking"; the title alone is searchable.
    let bread = s.search_content(ws.id, "bread", 10).await.unwrap();
    assert_eq!(
        bread.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![unrelated.id]
    );
    let title_only = s.search_content(ws.id, "sourdough", 10).await.unwrap();
    assert_eq!(title_only.len(), 1);
    assert_eq!(
        s.search_content(ws.id, "kubernetes", 1)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(s
        .search_content(ws.id, "blockchain", 10)
        .await
        .unwrap()
        .is_empty());
    // Query syntax in user input is not an error.
    s.search_content(ws.id, "\"kubernetes (OR* -", 10)
        .await
        .unwrap();
    assert!(s.search_content(ws.id, "   ", 10).await.unwrap().is_empty());

    // The index follows updates and deletes.
    let patch = ContentPatch {
        title: Some("Croissants".into()),
        ..Default::default()
    };
    s.update_content(unrelated.id, &patch).await.unwrap();
    assert!(s
        .search_content(ws.id, "sourdough", 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        s.search_content(ws.id, "croissants", 10)
            .await
            .unwrap()
            .len(),
        1
    );
    s.delete_content(best.id).await.unwrap();
    let hits = s
        .search_content(ws.id, "kubernetes autoscaling", 10)
        .await
        .unwrap();
    assert_eq!(
        hits.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![weaker.id]
    );
}

fn segment(ws: &Workspace, name: &str) -> AudienceSegment {
    AudienceSegment {
        id: SegmentId::new(),
        workspace_id: ws.id,
        name: name.into(),
        description: Some(format!("{name} segment")),
        attributes: meta(&[("industry", "software".into()), ("level", 3.into())]),
        embedding_id: None,
        created_at: now(),
    }
}

async fn segments(b: &Backend) {
    let s = &*b.store;
    let (owner, ws) = owner_and_workspace(s, "seg@example.com").await;
    let (_, ws2) = owner_and_workspace(s, "seg2@example.com").await;
    let devs = segment(&ws, "developers");
    let execs = segment(&ws, "executives");
    s.create_segment(&execs).await.unwrap();
    s.create_segment(&devs).await.unwrap();
    assert_eq!(s.get_segment(devs.id).await.unwrap(), devs);
    assert_eq!(
        s.find_segment_by_name(ws.id, "developers").await.unwrap(),
        Some(devs.clone())
    );
    assert_eq!(
        s.find_segment_by_name(ws2.id, "developers").await.unwrap(),
        None
    );
    assert_eq!(
        s.list_segments(ws.id).await.unwrap(),
        vec![devs.clone(), execs.clone()]
    );

    assert_conflict(s.create_segment(&segment(&ws, "developers")).await);
    s.create_segment(&segment(&ws2, "developers"))
        .await
        .unwrap();

    let mut renamed = devs.clone();
    renamed.name = "engineers".into();
    renamed.embedding_id = Some("vec-1".into());
    renamed.attributes.insert("level".into(), 5.into());
    s.update_segment(&renamed).await.unwrap();
    assert_eq!(s.get_segment(devs.id).await.unwrap(), renamed);
    let mut clash = renamed.clone();
    clash.name = "executives".into();
    assert_conflict(s.update_segment(&clash).await);

    s.delete_segment(devs.id).await.unwrap();
    assert_not_found(s.get_segment(devs.id).await, "segment");
    assert_not_found(s.delete_segment(devs.id).await, "segment");
    let mut ghost = execs.clone();
    ghost.id = SegmentId::new();
    assert_not_found(s.update_segment(&ghost).await, "segment");
    let _ = owner;
}

async fn accounts_and_tokens(b: &Backend) {
    let s = &*b.store;
    let (_, ws) = owner_and_workspace(s, "acc@example.com").await;
    let vault = Vault::ephemeral();
    let a = account(&vault, &ws, Platform::X, "acme");
    s.create_account(&a).await.unwrap();
    assert_eq!(s.get_account(a.id).await.unwrap(), a);
    assert_conflict(
        s.create_account(&account(&vault, &ws, Platform::X, "acme"))
            .await,
    );
    let li = account(&vault, &ws, Platform::LinkedIn, "acme");
    s.create_account(&li).await.unwrap();
    assert_eq!(s.list_accounts(ws.id).await.unwrap().len(), 2);

    // Refresh with a new refresh token: both replaced.
    let access2 = vault.seal(&Secret::new("access-2"), "account").unwrap();
    let refresh2 = vault.seal(&Secret::new("refresh-2"), "account").unwrap();
    s.update_account_tokens(a.id, &access2, Some(&refresh2), Some(at(7200)))
        .await
        .unwrap();
    let got = s.get_account(a.id).await.unwrap();
    assert_eq!(got.access_token, access2);
    assert_eq!(got.refresh_token.as_ref(), Some(&refresh2));
    assert_eq!(got.token_expires_at, Some(at(7200)));

    // Refresh without a refresh token: the stored one is kept, never cleared.
    let access3 = vault.seal(&Secret::new("access-3"), "account").unwrap();
    s.update_account_tokens(a.id, &access3, None, None)
        .await
        .unwrap();
    let got = s.get_account(a.id).await.unwrap();
    assert_eq!(got.access_token, access3);
    assert_eq!(
        got.refresh_token.as_ref(),
        Some(&refresh2),
        "refresh token never cleared"
    );
    assert_eq!(got.token_expires_at, None);
    assert_eq!(
        vault
            .open(got.refresh_token.as_ref().unwrap(), "account")
            .unwrap()
            .expose(),
        "refresh-2"
    );

    s.set_account_status(a.id, AccountStatus::NeedsReauth)
        .await
        .unwrap();
    assert_eq!(
        s.get_account(a.id).await.unwrap().status,
        AccountStatus::NeedsReauth
    );
    s.delete_account(li.id).await.unwrap();
    assert_eq!(s.list_accounts(ws.id).await.unwrap().len(), 1);
    assert_not_found(s.get_account(li.id).await, "account");
    assert_not_found(s.delete_account(li.id).await, "account");
    assert_not_found(
        s.set_account_status(li.id, AccountStatus::Active).await,
        "account",
    );
    assert_not_found(
        s.update_account_tokens(li.id, &access3, None, None).await,
        "account",
    );
}

async fn tokens_never_stored_in_plaintext(b: &Backend) {
    let s = &*b.store;
    let (_, ws) = owner_and_workspace(s, "vault@example.com").await;
    let vault = Vault::ephemeral();
    let access_plain = "xoxp-PLAINTEXT-ACCESS-TOKEN-5c1f0e";
    let refresh_plain = "rt-PLAINTEXT-REFRESH-TOKEN-9a7d2b";
    let mut a = account(&vault, &ws, Platform::LinkedIn, "vaulted");
    a.access_token = vault.seal(&Secret::new(access_plain), "account").unwrap();
    a.refresh_token = Some(vault.seal(&Secret::new(refresh_plain), "account").unwrap());
    s.create_account(&a).await.unwrap();

    // Sanity: the probe finds what is there (the sealed text and the account name)…
    assert!(b.accounts_storage_contains("vaulted").await);
    let stored = b.stored_access_tokens().await;
    assert_eq!(stored, vec![a.access_token.to_stored()]);
    assert!(b.accounts_storage_contains(&stored[0]).await);
    // …and not the plaintext.
    assert!(!b.accounts_storage_contains(access_plain).await);
    assert!(!b.accounts_storage_contains(refresh_plain).await);
    assert!(!b.accounts_storage_contains("PLAINTEXT").await);

    let got = s.get_account(a.id).await.unwrap();
    assert_eq!(
        vault.open(&got.access_token, "account").unwrap().expose(),
        access_plain
    );
}

fn analytics_row(p: &ScheduledPost, likes: i64) -> AnalyticsRow {
    AnalyticsRow {
        id: AnalyticsId::new(),
        scheduled_post_id: p.id,
        platform: p.platform,
        impressions: Some(1000),
        likes,
        comments: 2,
        shares: 1,
        clicks: None,
        engagement_rate: AnalyticsRow::compute_engagement_rate(Some(1000), likes, 2, 1),
        predicted_score: Some(71),
        fetched_at: now(),
    }
}

async fn scheduled_posts_and_due_query(b: &Backend) {
    let s = &*b.store;
    let sc = scene(s).await;
    let v = &sc.variations[0];
    let early = post(&sc.ws, v, &sc.account, at(0));
    let mid = post(&sc.ws, v, &sc.account, at(60));
    let late = post(&sc.ws, v, &sc.account, at(120));
    let mut cancelled = post(&sc.ws, v, &sc.account, at(30));
    cancelled.status = PostStatus::Cancelled;
    for p in [&late, &early, &cancelled, &mid] {
        s.insert_scheduled_post(p).await.unwrap();
    }
    assert_eq!(s.get_scheduled_post(mid.id).await.unwrap(), mid);
    assert_conflict(s.insert_scheduled_post(&mid).await);

    let ids = |v: Vec<ScheduledPost>| v.into_iter().map(|p| p.id).collect::<Vec<_>>();
    assert_eq!(
        ids(s
            .list_scheduled_posts(sc.ws.id, at(0), at(120))
            .await
            .unwrap()),
        vec![early.id, cancelled.id, mid.id],
        "[from, to) earliest first"
    );
    assert_eq!(
        ids(s.due_posts(at(60), 10).await.unwrap()),
        vec![early.id, mid.id]
    );
    assert_eq!(ids(s.due_posts(at(59), 10).await.unwrap()), vec![early.id]);
    assert_eq!(
        ids(s.due_posts(at(500), 2).await.unwrap()),
        vec![early.id, mid.id]
    );
    assert!(s.due_posts(at(-1), 10).await.unwrap().is_empty());
    assert_not_found(
        s.get_scheduled_post(ScheduledPostId::new()).await,
        "scheduled_post",
    );
}

async fn update_scheduled_post_is_compare_and_set(b: &Backend) {
    let s = &*b.store;
    let sc = scene(s).await;
    let p = post(&sc.ws, &sc.variations[1], &sc.account, at(0));
    s.insert_scheduled_post(&p).await.unwrap();

    let mut published = p.clone();
    published.status = PostStatus::Published;
    published.attempts = 2;
    published.receipts = vec![
        PartReceipt {
            index: 0,
            platform_post_id: "at://1".into(),
            cid: Some("c1".into()),
            url: None,
        },
        PartReceipt {
            index: 1,
            platform_post_id: "at://2".into(),
            cid: None,
            url: Some("https://b/2".into()),
        },
    ];
    published.platform_post_id = Some("at://1".into());
    published.url = Some("https://bsky.app/1".into());
    published.error_message = Some("retried once".into());
    published.attempt_started_at = Some(at(1));
    published.published_at = Some(at(2));
    published.updated_at = at(3);
    s.update_scheduled_post(&published, PostStatus::Pending)
        .await
        .unwrap();
    assert_eq!(s.get_scheduled_post(p.id).await.unwrap(), published);

    // A second writer still believing the post is pending loses.
    let mut stale = p.clone();
    stale.status = PostStatus::Failed;
    assert_conflict(s.update_scheduled_post(&stale, PostStatus::Pending).await);
    assert_eq!(
        s.get_scheduled_post(p.id).await.unwrap(),
        published,
        "unchanged after conflict"
    );

    let mut ghost = p.clone();
    ghost.id = ScheduledPostId::new();
    assert_not_found(
        s.update_scheduled_post(&ghost, PostStatus::Pending).await,
        "scheduled_post",
    );
}

async fn update_scheduled_posts_is_a_batched_compare_and_set(b: &Backend) {
    let s = &*b.store;
    let sc = scene(s).await;
    let mut posts = Vec::new();
    for i in 0..3 {
        let p = post(&sc.ws, &sc.variations[1], &sc.account, at(i));
        s.insert_scheduled_post(&p).await.unwrap();
        posts.push(p);
    }
    // The middle post moved on behind the writer's back: its write must lose, alone.
    let mut moved = posts[1].clone();
    moved.status = PostStatus::Cancelled;
    s.update_scheduled_post(&moved, PostStatus::Pending)
        .await
        .unwrap();

    let next: Vec<ScheduledPost> = posts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut n = p.clone();
            n.status = PostStatus::Published;
            n.attempts = 1;
            n.receipts = vec![PartReceipt {
                index: 0,
                platform_post_id: format!("at://{i}"),
                cid: Some(format!("c{i}")),
                url: Some(format!("https://b/{i}")),
            }];
            n.platform_post_id = Some(format!("at://{i}"));
            n.url = if i == 0 {
                None
            } else {
                Some(format!("https://b/{i}"))
            };
            n.lease_owner = Some("w".into());
            n.lease_expires_at = Some(at(5));
            n.attempt_started_at = Some(at(4));
            n.published_at = Some(at(6));
            n.updated_at = at(7);
            n
        })
        .collect();
    let mut written = s
        .update_scheduled_posts(&next, PostStatus::Pending)
        .await
        .unwrap();
    written.sort_by_key(|id| id.to_string());
    let mut want = vec![posts[0].id, posts[2].id];
    want.sort_by_key(|id| id.to_string());
    assert_eq!(
        written, want,
        "exactly the posts still pending were written"
    );
    assert_eq!(s.get_scheduled_post(posts[0].id).await.unwrap(), next[0]);
    assert_eq!(s.get_scheduled_post(posts[2].id).await.unwrap(), next[2]);
    assert_eq!(
        s.get_scheduled_post(posts[1].id).await.unwrap(),
        moved,
        "the post that lost the compare-and-set is untouched"
    );
    assert!(s
        .update_scheduled_posts(&[], PostStatus::Pending)
        .await
        .unwrap()
        .is_empty());
    // Unknown ids are simply not written.
    let mut ghost = next[0].clone();
    ghost.id = ScheduledPostId::new();
    assert!(s
        .update_scheduled_posts(&[ghost], PostStatus::Published)
        .await
        .unwrap()
        .is_empty());
}

async fn claims_are_exclusive_under_concurrency(b: &Backend) {
    let s = b.store.clone();
    let sc = scene(&*s).await;
    let mut due = HashSet::new();
    for i in 0..24 {
        let p = post(&sc.ws, &sc.variations[i % 3], &sc.account, at(i as i64));
        s.insert_scheduled_post(&p).await.unwrap();
        due.insert(p.id);
    }
    let future = post(&sc.ws, &sc.variations[0], &sc.account, at(10_000));
    s.insert_scheduled_post(&future).await.unwrap();

    let now = at(100);
    let lease = Duration::from_secs(300);
    let mut tasks = Vec::new();
    for w in 0..4 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let worker = format!("worker-{w}");
            let mut mine = Vec::new();
            loop {
                let got = s.claim_due_posts(&worker, now, lease, 3).await.unwrap();
                if got.is_empty() {
                    break;
                }
                mine.extend(got.into_iter().map(|p| (worker.clone(), p)));
            }
            mine
        }));
    }
    let mut seen = HashSet::new();
    let mut per_worker = std::collections::HashMap::new();
    for t in tasks {
        for (worker, p) in t.await.unwrap() {
            assert!(seen.insert(p.id), "post {} claimed twice", p.id);
            assert_eq!(p.status, PostStatus::Publishing);
            assert_eq!(p.lease_owner.as_deref(), Some(worker.as_str()));
            assert_eq!(
                p.lease_expires_at,
                Some(now + chrono::Duration::seconds(300))
            );
            assert_eq!(p.attempts, 0);
            *per_worker.entry(worker).or_insert(0) += 1;
        }
    }
    assert_eq!(
        seen, due,
        "every due post claimed exactly once, the future one not"
    );
    assert!(s
        .claim_due_posts("late", now, lease, 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        s.get_scheduled_post(future.id).await.unwrap().status,
        PostStatus::Pending
    );
    assert!(
        s.due_posts(now, 100).await.unwrap().is_empty(),
        "claimed posts are no longer due"
    );
}

async fn expired_leases_are_reclaimed(b: &Backend) {
    let s = &*b.store;
    let sc = scene(s).await;
    let p = post(&sc.ws, &sc.variations[0], &sc.account, at(0));
    let later = post(&sc.ws, &sc.variations[0], &sc.account, at(5));
    s.insert_scheduled_post(&p).await.unwrap();
    s.insert_scheduled_post(&later).await.unwrap();
    let lease = Duration::from_secs(60);

    let first = s.claim_due_posts("w1", at(1), lease, 1).await.unwrap();
    assert_eq!(
        first.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![p.id],
        "earliest first"
    );
    // While the lease runs, nobody else gets it (only the other, later post).
    let second = s.claim_due_posts("w2", at(30), lease, 10).await.unwrap();
    assert_eq!(
        second.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![later.id]
    );
    assert!(
        s.extend_lease(p.id, "w1", at(65)).await.unwrap(),
        "holder may extend"
    );
    assert!(
        !s.extend_lease(p.id, "w2", at(500)).await.unwrap(),
        "non-holder may not"
    );
    assert!(s
        .claim_due_posts("w2", at(64), lease, 10)
        .await
        .unwrap()
        .is_empty());

    // After expiry (65s), a claim recovers it for the new worker.
    let recovered = s.claim_due_posts("w2", at(66), lease, 10).await.unwrap();
    assert_eq!(
        recovered.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![p.id]
    );
    assert_eq!(recovered[0].lease_owner.as_deref(), Some("w2"));
    assert_eq!(recovered[0].lease_expires_at, Some(at(126)));
    assert!(
        !s.extend_lease(p.id, "w1", at(200)).await.unwrap(),
        "old holder lost the lease"
    );
    assert_not_found(
        s.extend_lease(ScheduledPostId::new(), "w1", at(1)).await,
        "scheduled_post",
    );

    // A post finished by its worker is never reclaimed.
    let mut done = recovered[0].clone();
    done.status = PostStatus::Published;
    done.lease_owner = None;
    done.lease_expires_at = None;
    s.update_scheduled_post(&done, PostStatus::Publishing)
        .await
        .unwrap();
    let after = s
        .claim_due_posts("w3", at(10_000), lease, 10)
        .await
        .unwrap();
    assert_eq!(
        after.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![later.id],
        "only the expired one"
    );
}

async fn attempt_markers_are_batched_and_fenced(b: &Backend) {
    let s = &*b.store;
    let sc = scene(s).await;
    let lease = Duration::from_secs(60);
    let posts: Vec<ScheduledPost> = (0..3)
        .map(|i| post(&sc.ws, &sc.variations[0], &sc.account, at(i)))
        .collect();
    for p in &posts {
        s.insert_scheduled_post(p).await.unwrap();
    }
    let mine = s.claim_due_posts("w1", at(10), lease, 2).await.unwrap();
    assert_eq!(mine.len(), 2);
    let theirs = s.claim_due_posts("w2", at(10), lease, 1).await.unwrap();
    assert_eq!(theirs.len(), 1);

    // w1 marks all three: only its own two are marked; w2's post is untouched.
    let all: Vec<ScheduledPostId> = posts.iter().map(|p| p.id).collect();
    let marked: HashSet<ScheduledPostId> = s
        .mark_attempts_started("w1", &all, at(11))
        .await
        .unwrap()
        .into_iter()
        .collect();
    let expected: HashSet<ScheduledPostId> = mine.iter().map(|p| p.id).collect();
    assert_eq!(marked, expected);
    for p in &mine {
        let got = s.get_scheduled_post(p.id).await.unwrap();
        assert_eq!(got.attempts, 1);
        assert_eq!(got.attempt_started_at, Some(at(11)));
        assert_eq!(got.updated_at, at(11));
        assert_eq!(got.status, PostStatus::Publishing);
        assert_eq!(got.lease_owner.as_deref(), Some("w1"));
    }
    let other = s.get_scheduled_post(theirs[0].id).await.unwrap();
    assert_eq!(other.attempts, 0);
    assert_eq!(other.attempt_started_at, None);

    // A second attempt increments again; an empty list is a no-op.
    let again = s
        .mark_attempts_started("w1", &[mine[0].id], at(12))
        .await
        .unwrap();
    assert_eq!(again, vec![mine[0].id]);
    assert_eq!(s.get_scheduled_post(mine[0].id).await.unwrap().attempts, 2);
    assert!(s
        .mark_attempts_started("w1", &[], at(13))
        .await
        .unwrap()
        .is_empty());

    // A post no longer `publishing` is not marked, even by its last owner.
    let mut done = s.get_scheduled_post(mine[1].id).await.unwrap();
    done.status = PostStatus::Published;
    done.lease_owner = None;
    s.update_scheduled_post(&done, PostStatus::Publishing)
        .await
        .unwrap();
    assert!(s
        .mark_attempts_started("w1", &[mine[1].id], at(14))
        .await
        .unwrap()
        .is_empty());
}

async fn queue_slots_round_trip(b: &Backend) {
    use contentos_core::schedule::QueueSlots;
    let s = &*b.store;
    let sc = scene(s).await;
    let acc = sc.account.id;
    assert_eq!(s.get_queue_slots(acc).await.unwrap(), None, "none set yet");

    let first =
        QueueSlots::parse("America/New_York", &[("tue", "09:00"), ("thu", "17:30")]).unwrap();
    s.set_queue_slots(acc, &first, at(0)).await.unwrap();
    assert_eq!(s.get_queue_slots(acc).await.unwrap(), Some(first.clone()));

    // A new set replaces the old one entirely.
    let second = QueueSlots::parse("Europe/Paris", &[("mon", "08:15")]).unwrap();
    s.set_queue_slots(acc, &second, at(1)).await.unwrap();
    assert_eq!(s.get_queue_slots(acc).await.unwrap(), Some(second.clone()));

    // Unknown account: NotFound, nothing written.
    let ghost = AccountId::new();
    assert_not_found(s.set_queue_slots(ghost, &second, at(2)).await, "account");
    assert_eq!(s.get_queue_slots(ghost).await.unwrap(), None);

    // Delete; a second delete is NotFound.
    s.delete_queue_slots(acc).await.unwrap();
    assert_eq!(s.get_queue_slots(acc).await.unwrap(), None);
    assert_not_found(s.delete_queue_slots(acc).await, "queue_slots");

    // Deleting the account deletes its slots (cascade).
    s.set_queue_slots(acc, &first, at(3)).await.unwrap();
    s.delete_account(acc).await.unwrap();
    assert_eq!(s.get_queue_slots(acc).await.unwrap(), None);
}

async fn analytics_upsert_and_list(b: &Backend) {
    let s = &*b.store;
    let sc = scene(s).await;
    let mut old = post(&sc.ws, &sc.variations[0], &sc.account, at(0));
    old.status = PostStatus::Published;
    old.published_at = Some(at(0));
    let mut recent = post(&sc.ws, &sc.variations[1], &sc.account, at(100));
    recent.status = PostStatus::Published;
    recent.published_at = Some(at(100));
    let unpublished = post(&sc.ws, &sc.variations[2], &sc.account, at(200));
    for p in [&old, &recent, &unpublished] {
        s.insert_scheduled_post(p).await.unwrap();
    }
    assert!(s.get_analytics(recent.id).await.unwrap().is_none());
    let r1 = analytics_row(&recent, 10);
    s.upsert_analytics(&r1).await.unwrap();
    assert_eq!(s.get_analytics(recent.id).await.unwrap(), Some(r1.clone()));
    let mut r2 = analytics_row(&recent, 40);
    r2.impressions = None;
    r2.engagement_rate = None;
    r2.clicks = Some(9);
    s.upsert_analytics(&r2).await.unwrap();
    assert_eq!(
        s.get_analytics(recent.id).await.unwrap(),
        Some(r2.clone()),
        "replaced"
    );
    s.upsert_analytics(&analytics_row(&old, 1)).await.unwrap();

    let listed = s.list_analytics(sc.ws.id, at(50)).await.unwrap();
    assert_eq!(
        listed,
        vec![(recent.clone(), r2.clone())],
        "one row per post, since filter"
    );
    assert_eq!(s.list_analytics(sc.ws.id, at(-10)).await.unwrap().len(), 2);
    let (_, other) = owner_and_workspace(s, "an@example.com").await;
    assert!(s
        .list_analytics(other.id, at(-10))
        .await
        .unwrap()
        .is_empty());
}

fn stored_model(ws: Option<WorkspaceId>, version: i64) -> StoredModel {
    StoredModel {
        id: uuid::Uuid::now_v7(),
        workspace_id: ws,
        name: "engagement".into(),
        version,
        feature_schema: "v1".into(),
        payload: format!("{{\"trees\": {version}}}"),
        metrics: serde_json::json!({"auc": 0.71, "rows": 1200}),
        created_at: now(),
    }
}

async fn model_artifacts(b: &Backend) {
    let s = &*b.store;
    let (_, ws) = owner_and_workspace(s, "m@example.com").await;
    assert!(s
        .latest_model(Some(ws.id), "engagement")
        .await
        .unwrap()
        .is_none());
    let v1 = stored_model(Some(ws.id), 1);
    let v2 = stored_model(Some(ws.id), 2);
    s.save_model(&v1).await.unwrap();
    s.save_model(&v2).await.unwrap();
    assert_eq!(
        s.latest_model(Some(ws.id), "engagement").await.unwrap(),
        Some(v2)
    );
    assert_conflict(s.save_model(&stored_model(Some(ws.id), 2)).await);
    assert_conflict(s.save_model(&stored_model(Some(ws.id), 1)).await);
    assert!(
        s.latest_model(None, "engagement").await.unwrap().is_none(),
        "global is separate"
    );
    let g1 = stored_model(None, 1);
    s.save_model(&g1).await.unwrap();
    assert_conflict(s.save_model(&stored_model(None, 1)).await);
    assert_eq!(s.latest_model(None, "engagement").await.unwrap(), Some(g1));
    assert!(s
        .latest_model(Some(ws.id), "other")
        .await
        .unwrap()
        .is_none());
}

/// Nothing of a failed content write may be visible anywhere.
async fn assert_nothing_stored(s: &dyn Store, ws: &Workspace, c: &Content, vs: &[Variation]) {
    assert_not_found(s.get_content(c.id).await, "content");
    for v in vs {
        assert_not_found(s.get_variation(v.id).await, "variation");
    }
    let page = s
        .list_content(ws.id, &ContentQuery::default())
        .await
        .unwrap();
    assert_eq!(page.total, 0);
    assert!(page.items.is_empty());
    assert!(s
        .search_content(ws.id, "atomicity", 10)
        .await
        .unwrap()
        .is_empty());
}

async fn atomic_create_check_violation(b: &Backend) {
    let s = &*b.store;
    let (owner, ws) = owner_and_workspace(s, "atom@example.com").await;
    let c = content(&ws, &owner, "Atomicity probe", "atomicity test input text");
    let vs = vec![
        variation(&c, Some(Platform::X), "first is fine", 1),
        variation(&c, Some(Platform::LinkedIn), "second is fine", 2),
        variation(&c, None, "   ", 3), // violates the non-empty body CHECK
    ];
    let err = s.create_content(&c, &vs).await.unwrap_err();
    assert!(
        matches!(err, Error::Validation { .. }),
        "unexpected error {err:?}"
    );
    assert_nothing_stored(s, &ws, &c, &vs).await;

    // The same content with valid variations then goes in whole.
    let ok: Vec<Variation> = vs[..2].to_vec();
    s.create_content(&c, &ok).await.unwrap();
    assert_eq!(s.get_content(c.id).await.unwrap().variations, ok);
}

async fn atomic_create_duplicate_variation(b: &Backend) {
    let s = &*b.store;
    let (owner, ws) = owner_and_workspace(s, "atom2@example.com").await;
    let c = content(
        &ws,
        &owner,
        "Atomicity duplicate",
        "atomicity duplicate input",
    );
    let first = variation(&c, Some(Platform::X), "first", 1);
    let mut dup = variation(&c, None, "third reuses the first id", 3);
    dup.id = first.id;
    let vs = vec![first.clone(), variation(&c, None, "second", 2), dup];
    assert_conflict(s.create_content(&c, &vs).await);
    assert_nothing_stored(s, &ws, &c, &vs).await;

    // add_variations is atomic too: the failing batch leaves the item as it was.
    let (c2, existing) = content_with_3(s, &ws, &owner, "Existing").await;
    let mut clash = variation(&c2, None, "clashes with an existing id", 20);
    clash.id = existing[0].id;
    let batch = vec![variation(&c2, None, "new and fine", 10), clash];
    assert_conflict(s.add_variations(c2.id, &batch).await);
    assert_eq!(s.get_content(c2.id).await.unwrap().variations, existing);
    assert_not_found(s.get_variation(batch[0].id).await, "variation");
}

// ---------------------------------------------------------------------------------------------
// Instantiation: every body above × {sqlite, postgres}
// ---------------------------------------------------------------------------------------------

static PG_DONE: AtomicUsize = AtomicUsize::new(0);

/// Reports PostgreSQL progress on the real stderr (not captured by the test harness), so the
/// CI log shows the PostgreSQL run executed.
fn report_pg(test: &str, total: usize) {
    use std::io::Write;
    let done = PG_DONE.fetch_add(1, Ordering::SeqCst) + 1;
    let url = redacted_url(&pg_url());
    let mut err = std::io::stderr();
    let _ = writeln!(err, "postgres conformance: {test} passed ({done}/{total})");
    if done == total {
        let _ = writeln!(err, "postgres conformance: {total} tests ran against {url}");
    }
}

/// Runs a test body, catching its panic so the caller can clean up before re-raising it.
async fn run_catching<F: std::future::Future<Output = ()>>(
    body: F,
) -> Result<(), Box<dyn std::any::Any + Send>> {
    futures::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(body)).await
}

macro_rules! conformance {
    ($($name:ident),+ $(,)?) => {
        const PG_TOTAL: usize = [$(stringify!($name)),+].len();

        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let b = super::Backend::sqlite().await;
                    super::$name(&b).await;
                    b.finish().await;
                }
            )+
        }

        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let b = super::Backend::postgres(stringify!($name)).await;
                    let outcome = super::run_catching(super::$name(&b)).await;
                    // Drop the schema even when the body failed, then report the failure.
                    b.finish().await;
                    if let Err(panic) = outcome {
                        std::panic::resume_unwind(panic);
                    }
                    super::report_pg(stringify!($name), super::PG_TOTAL);
                }
            )+
        }
    };
}

conformance!(
    ping_and_backend,
    users,
    workspaces_and_members,
    content_round_trip,
    list_pagination_and_filters,
    update_content_merges_metadata,
    delete_content_cascades,
    delete_workspace_cascades,
    full_text_search,
    segments,
    accounts_and_tokens,
    tokens_never_stored_in_plaintext,
    scheduled_posts_and_due_query,
    update_scheduled_post_is_compare_and_set,
    update_scheduled_posts_is_a_batched_compare_and_set,
    claims_are_exclusive_under_concurrency,
    expired_leases_are_reclaimed,
    attempt_markers_are_batched_and_fenced,
    queue_slots_round_trip,
    analytics_upsert_and_list,
    model_artifacts,
    atomic_create_check_violation,
    atomic_create_duplicate_variation,
);

#[allow(dead_code)]
fn _assert_object_safe(s: Arc<dyn Store>) -> Arc<dyn Store> {
    s
}

// ---------------------------------------------------------------------------------------------
// Backend-specific guarantees (configuration and schema), and the tracing contract
// ---------------------------------------------------------------------------------------------

mod sqlite_specific {
    use super::*;
    use contentos_core::store::SqliteStore;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn file_is_wal_with_foreign_keys_and_survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("not/yet/there/nested.db");
        let store = SqliteStore::open(&path).await.unwrap();
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(fk, 1);
        let (owner, ws) = owner_and_workspace(&store, "reopen@example.com").await;
        store.close().await;

        let again = SqliteStore::open(&path).await.unwrap();
        assert_eq!(again.get_workspace(ws.id).await.unwrap(), ws);
        assert_eq!(
            again.member_role(ws.id, owner.id).await.unwrap(),
            Some(Role::Owner)
        );
        again.close().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn in_memory_is_one_private_database() {
        let a = Arc::new(SqliteStore::in_memory().await.unwrap());
        let b = SqliteStore::in_memory().await.unwrap();
        let u = user(&*a, "mem@example.com").await;
        // Concurrent calls all see the same database.
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let a = a.clone();
            tasks.push(tokio::spawn(
                async move { a.get_user(u.id).await.map(|x| x.id) },
            ));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap(), u.id);
        }
        assert_not_found(b.get_user(u.id).await, "user");
    }
}

mod postgres_specific {
    use super::*;
    use contentos_core::store::PostgresStore;

    #[tokio::test]
    async fn schema_uses_timestamptz_jsonb_and_the_section_10_2_indexes() {
        let b = Backend::postgres("schema_check").await;
        let pg = PostgresStore::connect_in_schema(
            &pg_url(),
            b.store_schema().expect("test stores live in a schema"),
        )
        .await
        .unwrap();
        let naive: Vec<String> = sqlx::query_scalar(
            "SELECT table_name || '.' || column_name FROM information_schema.columns
             WHERE table_schema = current_schema() AND data_type = 'timestamp without time zone'",
        )
        .fetch_all(pg.pool())
        .await
        .unwrap();
        assert!(naive.is_empty(), "columns without time zone: {naive:?}");
        let tz: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM information_schema.columns
             WHERE table_schema = current_schema() AND data_type = 'timestamp with time zone'",
        )
        .fetch_one(pg.pool())
        .await
        .unwrap();
        assert!(
            tz >= 15,
            "expected every instant as timestamptz, found {tz}"
        );
        let meta_type: String = sqlx::query_scalar(
            "SELECT data_type FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = 'content'
               AND column_name = 'metadata'",
        )
        .fetch_one(pg.pool())
        .await
        .unwrap();
        assert_eq!(meta_type, "jsonb");

        let indexes: Vec<(String, String)> = sqlx::query_as(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()",
        )
        .fetch_all(pg.pool())
        .await
        .unwrap();
        let def = |name: &str| {
            indexes
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, d)| d.clone())
                .unwrap_or_else(|| panic!("index {name} missing"))
        };
        let due = def("idx_scheduled_posts_time");
        assert!(
            due.contains("(scheduled_time, id) WHERE ((status)::text = 'pending'::text)"),
            "{due}"
        );
        let search = def("idx_content_search");
        assert!(search.contains("USING gin"), "{search}");
        assert!(search.contains("to_tsvector('english'"), "{search}");
        assert!(def("idx_content_workspace_status").contains("(workspace_id, status)"));
        assert!(def("idx_analytics_post_platform").contains("(scheduled_post_id, platform)"));
        pg.close().await;
        b.finish().await;
    }

    #[tokio::test]
    async fn unreachable_server_is_unavailable_and_bad_schema_names_are_refused() {
        let err = PostgresStore::connect_in_schema("postgres://postgres@127.0.0.1:1/test", "x")
            .await
            .unwrap_err();
        assert_eq!(
            err.kind(),
            contentos_core::ErrorKind::Unavailable,
            "{err:?}"
        );
        for bad in ["", "Upper", "1abc", "a;drop", "a\"b"] {
            let err = PostgresStore::connect_in_schema(&pg_url(), bad)
                .await
                .unwrap_err();
            assert_eq!(err.kind(), contentos_core::ErrorKind::Validation, "{bad}");
        }
    }
}

mod spans {
    use super::*;
    use contentos_core::store::SqliteStore;
    use std::collections::HashMap;
    use std::sync::Mutex;
    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing_subscriber::layer::{Context, SubscriberExt};
    use tracing_subscriber::registry::LookupSpan;

    type Fields = HashMap<String, String>;

    /// Records every span's fields as they are set (not on close: a span may outlive the call
    /// while a child, such as a driver span, still references it).
    #[derive(Clone, Default)]
    struct Capture(Arc<Mutex<Vec<Arc<Mutex<Fields>>>>>);

    impl Capture {
        fn snapshot(&self) -> Vec<Fields> {
            let all = self.0.lock().unwrap();
            all.iter().map(|f| f.lock().unwrap().clone()).collect()
        }
    }

    struct Visitor<'a>(&'a mut Fields);
    impl Visit for Visitor<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            self.0.insert(field.name().into(), format!("{value:?}"));
        }
        fn record_str(&mut self, field: &Field, value: &str) {
            self.0.insert(field.name().into(), value.into());
        }
        fn record_f64(&mut self, field: &Field, value: f64) {
            self.0.insert(field.name().into(), value.to_string());
        }
    }

    impl<S: tracing::Subscriber + for<'a> LookupSpan<'a>> tracing_subscriber::Layer<S> for Capture {
        fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
            let mut fields = Fields::new();
            fields.insert("span".into(), attrs.metadata().name().into());
            attrs.record(&mut Visitor(&mut fields));
            let shared = Arc::new(Mutex::new(fields));
            self.0.lock().unwrap().push(shared.clone());
            if let Some(span) = ctx.span(id) {
                span.extensions_mut().insert(shared);
            }
        }
        fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
            if let Some(span) = ctx.span(id) {
                if let Some(fields) = span.extensions().get::<Arc<Mutex<Fields>>>() {
                    values.record(&mut Visitor(&mut fields.lock().unwrap()));
                }
            }
        }
    }

    #[tokio::test]
    async fn every_call_gets_a_store_span_with_operation_backend_duration_and_outcome() {
        let capture = Capture::default();
        let subscriber = tracing_subscriber::registry().with(capture.clone());
        let _guard = tracing::subscriber::set_default(subscriber);

        let store = SqliteStore::in_memory().await.unwrap();
        let u = user(&store, "span-secret@example.com").await;
        assert_not_found(store.get_workspace(WorkspaceId::new()).await, "workspace");
        store.get_user(u.id).await.unwrap();

        let spans = capture.snapshot();
        let store_spans: Vec<&Fields> = spans.iter().filter(|f| f["span"] == "store").collect();
        assert_eq!(store_spans.len(), 3, "{spans:?}");
        let find = |op: &str| {
            store_spans
                .iter()
                .find(|f| f.get("operation").map(String::as_str) == Some(op))
                .unwrap_or_else(|| panic!("no span for {op}: {store_spans:?}"))
        };
        for (op, outcome) in [
            ("create_user", "ok"),
            ("get_workspace", "not_found"),
            ("get_user", "ok"),
        ] {
            let f = find(op);
            assert_eq!(f["backend"], "sqlite");
            assert_eq!(f["outcome"], outcome, "{op}");
            let ms: f64 = f["duration_ms"].parse().unwrap();
            assert!(ms >= 0.0);
        }
        let all = format!("{spans:?}");
        assert!(
            !all.contains("span-secret"),
            "bound values must not reach spans"
        );
    }
}
