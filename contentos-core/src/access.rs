//! Role-based access control (design document section 9.1).
//!
//! Every mutating operation of the [`ContentOs`](crate::ContentOs) facade takes an [`Actor`] and
//! checks it here *before* touching the Store, so a refused call has no side effects. The check
//! needs the actor's membership of the workspace, which the facade reads from the Store — a
//! token that merely *claims* a workspace is not trusted.

use crate::model::{UserId, WorkspaceId};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// A member's role in a workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Full control, including billing and deleting the workspace.
    Owner,
    /// Everything but billing.
    Admin,
    /// Reads and writes content; publishes.
    Member,
    /// Reads only.
    Viewer,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: &'static [Role] = &[Role::Owner, Role::Admin, Role::Member, Role::Viewer];

    /// Stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Member => "member",
            Role::Viewer => "viewer",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "owner" => Ok(Role::Owner),
            "admin" => Ok(Role::Admin),
            "member" => Ok(Role::Member),
            "viewer" => Ok(Role::Viewer),
            _ => Err(Error::validation("role", "owner, admin, member or viewer")),
        }
    }

    /// The permissions of the role, exactly as in section 9.1.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::Owner => &[Read, Write, Delete, ManageMembers, Billing],
            Role::Admin => &[Read, Write, Delete, ManageMembers],
            Role::Member => &[Read, Write],
            Role::Viewer => &[Read],
        }
    }

    /// Whether the role grants `p`.
    pub fn allows(self, p: Permission) -> bool {
        self.permissions().contains(&p)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an operation needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Read content, analytics, accounts (without tokens).
    Read,
    /// Create and change content, segments, schedules; publish.
    Write,
    /// Delete content, segments, accounts.
    Delete,
    /// Add and remove members, change roles, connect accounts.
    ManageMembers,
    /// Tier and billing.
    Billing,
}

impl Permission {
    /// Every permission.
    pub const ALL: &'static [Permission] = &[
        Permission::Read,
        Permission::Write,
        Permission::Delete,
        Permission::ManageMembers,
        Permission::Billing,
    ];

    /// Stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::Read => "read",
            Permission::Write => "write",
            Permission::Delete => "delete",
            Permission::ManageMembers => "manage_members",
            Permission::Billing => "billing",
        }
    }
}

/// Who is calling. Built by the embedding application from its own authentication (a JWT, a
/// session); ContentOS then checks the actor's *stored* membership for every workspace call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Actor {
    /// The user acting.
    pub user_id: UserId,
}

impl Actor {
    /// An actor for a user.
    pub fn user(user_id: UserId) -> Self {
        Actor { user_id }
    }
}

/// Decides whether `role` (the actor's stored role in `workspace`, `None` if not a member) may
/// perform `permission`. Returns a [`Error::PermissionDenied`] naming the action otherwise.
pub fn authorize(
    actor: &Actor,
    workspace: WorkspaceId,
    role: Option<Role>,
    permission: Permission,
) -> Result<Role> {
    match role {
        None => Err(Error::PermissionDenied {
            action: permission.as_str().to_string(),
            reason: format!(
                "user {} is not a member of workspace {workspace}",
                actor.user_id
            ),
        }),
        Some(r) if r.allows(permission) => Ok(r),
        Some(r) => Err(Error::PermissionDenied {
            action: permission.as_str().to_string(),
            reason: format!("role {r} lacks permission {}", permission.as_str()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_matches_section_9_1() {
        let expected: &[(Role, &[&str])] = &[
            (
                Role::Owner,
                &["read", "write", "delete", "manage_members", "billing"],
            ),
            (Role::Admin, &["read", "write", "delete", "manage_members"]),
            (Role::Member, &["read", "write"]),
            (Role::Viewer, &["read"]),
        ];
        for (role, perms) in expected {
            for p in Permission::ALL {
                assert_eq!(
                    role.allows(*p),
                    perms.contains(&p.as_str()),
                    "{role} / {}",
                    p.as_str()
                );
            }
        }
    }

    #[test]
    fn non_member_is_denied() {
        let a = Actor::user(UserId::new());
        let err = authorize(&a, WorkspaceId::new(), None, Permission::Read).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::PermissionDenied);
    }
}
