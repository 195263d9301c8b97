//! The Swift glue exercised from Rust (no Swift toolchain here): the same calls the generated
//! Swift makes, through the exported functions and objects — scoring, CRUD, accounts,
//! scheduling, analytics and the typed errors.

use contentos_swift::{
    score_posts, BlueskyPublisher, BrandVoice, ClientOptions, ContentOs, ContentOsError,
    NewVariation, PlatformPublisher,
};

#[test]
fn scores_one_per_text_and_rejects_unknown_platforms() {
    let s = score_posts(
        vec!["Shipped 🚀 #rustlang".into(), "notes".into()],
        "twitter".into(),
        None,
    )
    .unwrap();
    assert_eq!(s.len(), 2);
    assert!(s.iter().all(|x| (0.0..=100.0).contains(x)));
    assert_ne!(s[0], s[1], "different posts should not score the same");
    let err = score_posts(vec!["x".into()], "myspace".into(), None).unwrap_err();
    assert!(matches!(err, ContentOsError::Validation { .. }), "{err:?}");
}

fn options() -> ClientOptions {
    ClientOptions {
        publishers: vec![PlatformPublisher::Bluesky {
            publisher: BlueskyPublisher::new("http://localhost:2583".into()),
        }],
        ..Default::default()
    }
}

#[tokio::test]
async fn client_crud_accounts_schedule_and_analytics() {
    let os = ContentOs::in_memory(options()).await.unwrap();
    let u = os.create_user("ada@example.com".into()).await.unwrap();
    assert_eq!(u.tier, "free");
    let w = os
        .create_workspace(
            u.id.clone(),
            "Acme".into(),
            "Europe/Berlin".into(),
            Some(BrandVoice {
                tone: Some("casual".into()),
                banned_words: vec!["synergy".into()],
                ..Default::default()
            }),
        )
        .await
        .unwrap();
    assert_eq!(w.timezone, "Europe/Berlin");
    assert_eq!(w.owner_id, u.id);
    let c = os
        .create_content(
            u.id.clone(),
            w.id.clone(),
            "Our SDK is out".into(),
            vec![NewVariation {
                platform: Some("bluesky".into()),
                body: "Out now!".into(),
            }],
        )
        .await
        .unwrap();
    assert_eq!(c.variations.len(), 1);
    assert_eq!(c.variations[0].platform.as_deref(), Some("bluesky"));
    assert_eq!(c.content_type, "social");
    let got = os.get_content(u.id.clone(), c.id.clone()).await.unwrap();
    assert_eq!(got.variations[0].body, "Out now!");
    let meta: serde_json::Value = serde_json::from_str(&got.variations[0].metadata_json).unwrap();
    assert!(meta.is_object());

    let acc = os
        .connect_account(
            u.id.clone(),
            w.id.clone(),
            "bluesky".into(),
            "a.test".into(),
            "secret-app-pw".into(),
            Some("http://localhost:2583".into()),
        )
        .await
        .unwrap();
    assert_eq!(acc.platform, "bluesky");
    assert_eq!(acc.status, "active");
    assert!(!format!("{acc:?}").contains("secret-app-pw"));

    let at = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    let p = os
        .schedule(
            u.id.clone(),
            c.variations[0].id.clone(),
            acc.id.clone(),
            at,
            "UTC".into(),
        )
        .await
        .unwrap();
    assert_eq!(p.status, "pending");
    assert_eq!(p.account_id, acc.id);
    assert_eq!(p.variation_id, c.variations[0].id);
    let drift = p
        .scheduled_time
        .duration_since(at)
        .unwrap_or_else(|e| e.duration());
    assert!(drift.as_millis() < 1000, "{drift:?}");

    let rep = os
        .performance(u.id.clone(), w.id.clone(), 30)
        .await
        .unwrap();
    assert_eq!(rep.summary.total_posts, 0);
    assert!(rep.top_performers.is_empty());
    assert!(rep.best_time.is_none());
    let err = os
        .performance(u.id.clone(), w.id.clone(), 0)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ContentOsError::Validation { field, .. } if field == "days"),
        "{err:?}"
    );
}

#[tokio::test]
async fn errors_name_the_field_and_the_kind() {
    let os = ContentOs::in_memory(ClientOptions::default())
        .await
        .unwrap();
    let u = os.create_user("bob@example.com".into()).await.unwrap();
    let w = os
        .create_workspace(u.id.clone(), "B".into(), "UTC".into(), None)
        .await
        .unwrap();
    let err = os
        .create_content(u.id.clone(), w.id.clone(), "  ".into(), vec![])
        .await
        .unwrap_err();
    match err {
        ContentOsError::Validation { field, .. } => assert_eq!(field, "originalInput"),
        other => panic!("{other:?}"),
    }
    let err = os
        .get_content("nope".into(), w.id.clone())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ContentOsError::Validation { field, .. } if field == "userId"),
        "{err:?}"
    );
    let err = os
        .create_workspace(u.id.clone(), "X".into(), "Mars/Olympus".into(), None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ContentOsError::Validation { field, .. } if field == "timezone"),
        "{err:?}"
    );
    let eve = os.create_user("eve@example.com".into()).await.unwrap();
    let err = os.performance(eve.id, w.id.clone(), 7).await.unwrap_err();
    assert!(
        matches!(err, ContentOsError::PermissionDenied { .. }),
        "{err:?}"
    );
    let err = os
        .connect_account(
            u.id.clone(),
            w.id.clone(),
            "myspace".into(),
            "me".into(),
            "t".into(),
            None,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ContentOsError::Validation { field, .. } if field == "platform"),
        "{err:?}"
    );
}
