//! The Swift glue exercised from Rust (no Swift toolchain here): the same calls the generated
//! Swift makes, through the exported functions and objects.

use contentos_swift::{score_posts, BlueskyPublisher, ContentOs, ContentOsError, Variation};

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
    let err = score_posts(vec!["x".into()], "myspace".into(), None).unwrap_err();
    assert!(matches!(err, ContentOsError::Validation { .. }), "{err:?}");
}

#[tokio::test]
async fn client_crud_schedule_and_validation_errors() {
    let os = ContentOs::in_memory(vec![BlueskyPublisher::new("http://localhost:2583".into())])
        .await
        .unwrap();
    let u = os.create_user("ada@example.com".into()).await.unwrap();
    let w = os
        .create_workspace(u.id.clone(), "Acme".into(), "Europe/Berlin".into())
        .await
        .unwrap();
    assert_eq!(w.timezone, "Europe/Berlin");
    let c = os
        .create_content(
            u.id.clone(),
            w.id.clone(),
            "Our SDK is out".into(),
            vec![Variation {
                id: String::new(),
                platform: Some("bluesky".into()),
                body: "Out now!".into(),
            }],
        )
        .await
        .unwrap();
    assert_eq!(c.variations.len(), 1);
    assert_eq!(c.variations[0].platform.as_deref(), Some("bluesky"));
    let acc = os
        .connect_bluesky(
            u.id.clone(),
            w.id.clone(),
            "a.test".into(),
            "pw".into(),
            "http://localhost:2583".into(),
        )
        .await
        .unwrap();
    let at = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    let p = os
        .schedule(
            u.id.clone(),
            c.variations[0].id.clone(),
            acc,
            at,
            "UTC".into(),
        )
        .await
        .unwrap();
    assert_eq!(p.status, "pending");
    let err = os
        .create_content(u.id.clone(), w.id.clone(), "  ".into(), vec![])
        .await
        .unwrap_err();
    match err {
        ContentOsError::Validation { field, .. } => assert_eq!(field, "originalInput"),
        other => panic!("{other:?}"),
    }
}
