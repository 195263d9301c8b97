//! Walks the whole role × action matrix of design document section 9.1 through the facade, plus
//! non-members and cross-workspace attempts. Every denied call must leave the Store unchanged.

use contentos_core::access::{Actor, Permission, Role};
use contentos_core::model::*;
use contentos_core::vault::Secret;
use contentos_core::{ContentOs, ErrorKind, NewSocialAccount};

struct Fixture {
    os: ContentOs,
    owner: Actor,
    ws: Workspace,
    content: ContentId,
    segment: SegmentId,
}

async fn fixture() -> Fixture {
    let os = ContentOs::in_memory().await.unwrap();
    let owner_user = os.create_user("owner@example.com").await.unwrap();
    let owner = Actor::user(owner_user.id);
    let ws = os
        .create_workspace(&owner, "WS", BrandVoice::default(), "UTC")
        .await
        .unwrap();
    let content = os
        .create_content(&owner, new_content(ws.id, owner_user.id))
        .await
        .unwrap()
        .content
        .id;
    let segment = os
        .create_segment(
            &owner,
            ws.id,
            NewSegment {
                name: "devs".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
    Fixture {
        os,
        owner,
        ws,
        content,
        segment,
    }
}

fn new_content(ws: WorkspaceId, by: UserId) -> NewContent {
    NewContent {
        workspace_id: ws,
        created_by: by,
        title: Some("t".into()),
        original_input: "Write about AI in healthcare".into(),
        content_type: ContentType::Social,
        format: Format::Plain,
        metadata: Default::default(),
        variations: vec![NewVariation {
            platform: Some(Platform::X),
            body: "hello".into(),
            metadata: Default::default(),
        }],
    }
}

/// Runs one action as `actor`; returns Ok(()) or the error kind.
async fn run(f: &Fixture, actor: &Actor, action: &str) -> Result<(), ErrorKind> {
    let os = &f.os;
    let r: contentos_core::Result<()> = match action {
        "get_workspace" => os.get_workspace(actor, f.ws.id).await.map(|_| ()),
        "list_content" => os
            .list_content(actor, f.ws.id, &ContentQuery::default())
            .await
            .map(|_| ()),
        "get_content" => os.get_content(actor, f.content).await.map(|_| ()),
        "search_content" => os
            .search_content(actor, f.ws.id, "healthcare", 10)
            .await
            .map(|_| ()),
        "list_segments" => os.list_segments(actor, f.ws.id).await.map(|_| ()),
        "list_accounts" => os.list_accounts(actor, f.ws.id).await.map(|_| ()),
        "list_members" => os.list_members(actor, f.ws.id).await.map(|_| ()),
        "create_content" => os
            .create_content(actor, new_content(f.ws.id, actor.user_id))
            .await
            .map(|_| ()),
        "update_content" => os
            .update_content(
                actor,
                f.content,
                &ContentPatch {
                    title: Some("new".into()),
                    ..Default::default()
                },
            )
            .await
            .map(|_| ()),
        "create_segment" => os
            .create_segment(
                actor,
                f.ws.id,
                NewSegment {
                    name: format!("seg-{}", UserId::new()),
                    ..Default::default()
                },
            )
            .await
            .map(|_| ()),
        "update_workspace" => os
            .update_workspace(actor, f.ws.id, "Renamed", BrandVoice::default(), "UTC")
            .await
            .map(|_| ()),
        "delete_segment" => os.delete_segment(actor, f.segment).await,
        "delete_content" => os.delete_content(actor, f.content).await,
        "add_member" => {
            let u = os
                .create_user(&format!("new{}@example.com", UserId::new()))
                .await
                .unwrap();
            os.set_member(actor, f.ws.id, u.id, Role::Viewer).await
        }
        "connect_account" => os
            .connect_account(
                actor,
                f.ws.id,
                NewSocialAccount {
                    platform: Platform::Mastodon,
                    account_name: format!("acct-{}", UserId::new()),
                    external_id: None,
                    base_url: Some("https://mastodon.example".into()),
                    access_token: Secret::new("tok"),
                    refresh_token: None,
                    token_expires_at: None,
                },
            )
            .await
            .map(|_| ()),
        "delete_workspace" => os.delete_workspace(actor, f.ws.id).await,
        other => panic!("unknown action {other}"),
    };
    r.map_err(|e| e.kind())
}

const ACTIONS: &[(&str, Permission)] = &[
    ("get_workspace", Permission::Read),
    ("list_content", Permission::Read),
    ("get_content", Permission::Read),
    ("search_content", Permission::Read),
    ("list_segments", Permission::Read),
    ("list_accounts", Permission::Read),
    ("list_members", Permission::Read),
    ("create_content", Permission::Write),
    ("update_content", Permission::Write),
    ("create_segment", Permission::Write),
    ("update_workspace", Permission::Write),
    ("add_member", Permission::ManageMembers),
    ("connect_account", Permission::ManageMembers),
    ("delete_segment", Permission::Delete),
    ("delete_content", Permission::Delete),
    ("delete_workspace", Permission::Billing),
];

#[tokio::test]
async fn every_role_times_every_action() {
    for role in Role::ALL.iter().copied().map(Some).chain([None]) {
        for (action, perm) in ACTIONS {
            // A fresh fixture per cell: destructive actions must not affect other cells.
            let f = fixture().await;
            let user =
                f.os.create_user(&format!("actor{}@example.com", UserId::new()))
                    .await
                    .unwrap();
            if let Some(r) = role {
                f.os.set_member(&f.owner, f.ws.id, user.id, r)
                    .await
                    .unwrap();
            }
            let actor = Actor::user(user.id);
            let allowed = role.map(|r| r.allows(*perm)).unwrap_or(false);
            let before = f.os.store().get_content(f.content).await.ok();
            let got = run(&f, &actor, action).await;
            if allowed {
                assert_eq!(got, Ok(()), "role {role:?} should be allowed to {action}");
            } else {
                assert_eq!(
                    got,
                    Err(ErrorKind::PermissionDenied),
                    "role {role:?} must be denied {action}"
                );
                let after = f.os.store().get_content(f.content).await.ok();
                assert_eq!(before, after, "a denied {action} changed the Store");
                assert!(f.os.store().get_workspace(f.ws.id).await.is_ok());
            }
        }
    }
}

#[tokio::test]
async fn members_of_one_workspace_cannot_touch_another() {
    let a = fixture().await;
    // A second workspace in the same engine, owned by someone else.
    let other_owner = a.os.create_user("other@example.com").await.unwrap();
    let other = Actor::user(other_owner.id);
    let ws_b =
        a.os.create_workspace(&other, "B", BrandVoice::default(), "UTC")
            .await
            .unwrap();
    // The owner of A is an owner — but not a member of B.
    let err =
        a.os.create_content(&a.owner, new_content(ws_b.id, a.owner.user_id))
            .await
            .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
    let err = a.os.get_content(&other, a.content).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
    let err = a.os.delete_workspace(&other, a.ws.id).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
    assert!(a.os.store().get_content(a.content).await.is_ok());
}

#[tokio::test]
async fn owner_role_rules() {
    let f = fixture().await;
    let admin_user = f.os.create_user("admin@example.com").await.unwrap();
    f.os.set_member(&f.owner, f.ws.id, admin_user.id, Role::Admin)
        .await
        .unwrap();
    let admin = Actor::user(admin_user.id);
    // Admins manage members but cannot mint owners or demote the owner.
    let err =
        f.os.set_member(&admin, f.ws.id, admin_user.id, Role::Owner)
            .await
            .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
    let err =
        f.os.remove_member(&admin, f.ws.id, f.owner.user_id)
            .await
            .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
    // The last owner cannot leave.
    let err =
        f.os.remove_member(&f.owner, f.ws.id, f.owner.user_id)
            .await
            .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
}
