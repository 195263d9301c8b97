//! Users, workspaces and membership on the facade.

use super::ContentOs;
use crate::access::{Actor, Permission, Role};
use crate::model::{BrandVoice, Member, User, UserId, Workspace, WorkspaceId};
use crate::{Error, Result};
use chrono::Utc;

/// Validates an IANA zone name (`"Europe/Paris"`), the only form of zone ContentOS stores.
pub(crate) fn check_timezone(field: &str, tz: &str) -> Result<()> {
    tz.parse::<chrono_tz::Tz>()
        .map(|_| ())
        .map_err(|_| Error::validation(field, "an IANA time zone name such as Europe/Paris"))
}

fn check_name(field: &str, name: &str, max: usize) -> Result<()> {
    let n = name.trim().chars().count();
    if n == 0 || n > max {
        return Err(Error::validation(field, format!("1..={max} characters")));
    }
    Ok(())
}

impl ContentOs {
    /// Registers a user. Not access-checked: creating an identity is the embedding
    /// application's sign-up step.
    pub async fn create_user(&self, email: &str) -> Result<User> {
        let email = email.trim();
        if email.len() > 255
            || !email.contains('@')
            || email.starts_with('@')
            || email.ends_with('@')
        {
            return Err(Error::validation(
                "email",
                "an e-mail address of at most 255 bytes",
            ));
        }
        let user = User::new(email.to_ascii_lowercase());
        self.inner.store.create_user(&user).await?;
        Ok(user)
    }

    /// Creates a workspace owned by `actor` (who becomes its `owner` member in the same
    /// transaction).
    pub async fn create_workspace(
        &self,
        actor: &Actor,
        name: &str,
        brand_voice: BrandVoice,
        timezone: &str,
    ) -> Result<Workspace> {
        check_name("name", name, 255)?;
        check_timezone("timezone", timezone)?;
        check_brand_voice(&brand_voice)?;
        // The owner must exist; the Store's foreign key would say so less clearly.
        self.inner.store.get_user(actor.user_id).await?;
        let ws = Workspace {
            id: WorkspaceId::new(),
            owner_id: actor.user_id,
            name: name.trim().to_string(),
            brand_voice,
            timezone: timezone.to_string(),
            created_at: Utc::now(),
        };
        self.inner.store.create_workspace(&ws).await?;
        Ok(ws)
    }

    /// Reads a workspace (permission `read`).
    pub async fn get_workspace(&self, actor: &Actor, id: WorkspaceId) -> Result<Workspace> {
        self.authorize(actor, id, Permission::Read).await?;
        self.inner.store.get_workspace(id).await
    }

    /// The workspaces the actor belongs to, with their role in each.
    pub async fn my_workspaces(&self, actor: &Actor) -> Result<Vec<(Workspace, Role)>> {
        self.inner
            .store
            .list_workspaces_for_user(actor.user_id)
            .await
    }

    /// Renames a workspace and replaces its brand voice and zone (permission `write`).
    pub async fn update_workspace(
        &self,
        actor: &Actor,
        id: WorkspaceId,
        name: &str,
        brand_voice: BrandVoice,
        timezone: &str,
    ) -> Result<Workspace> {
        self.authorize(actor, id, Permission::Write).await?;
        check_name("name", name, 255)?;
        check_timezone("timezone", timezone)?;
        check_brand_voice(&brand_voice)?;
        let mut ws = self.inner.store.get_workspace(id).await?;
        ws.name = name.trim().to_string();
        ws.brand_voice = brand_voice;
        ws.timezone = timezone.to_string();
        self.inner.store.update_workspace(&ws).await?;
        Ok(ws)
    }

    /// Deletes a workspace and everything in it (permission `billing`: owners only).
    pub async fn delete_workspace(&self, actor: &Actor, id: WorkspaceId) -> Result<()> {
        self.authorize(actor, id, Permission::Billing).await?;
        self.inner.store.delete_workspace(id).await
    }

    /// Adds a member or changes a role (permission `manage_members`; granting or changing an
    /// `owner` role needs `billing`).
    pub async fn set_member(
        &self,
        actor: &Actor,
        workspace: WorkspaceId,
        user: UserId,
        role: Role,
    ) -> Result<()> {
        let my_role = self
            .authorize(actor, workspace, Permission::ManageMembers)
            .await?;
        let current = self.inner.store.member_role(workspace, user).await?;
        if (role == Role::Owner || current == Some(Role::Owner))
            && !my_role.allows(Permission::Billing)
        {
            return Err(Error::PermissionDenied {
                action: Permission::Billing.as_str().into(),
                reason: "only an owner can grant or change the owner role".into(),
            });
        }
        if current == Some(Role::Owner) && role != Role::Owner {
            self.ensure_other_owner(workspace, user).await?;
        }
        self.inner.store.get_user(user).await?;
        self.inner
            .store
            .upsert_member(&Member {
                workspace_id: workspace,
                user_id: user,
                role,
            })
            .await
    }

    /// Removes a member (permission `manage_members`; removing an owner needs `billing`, and
    /// the last owner cannot be removed).
    pub async fn remove_member(
        &self,
        actor: &Actor,
        workspace: WorkspaceId,
        user: UserId,
    ) -> Result<()> {
        let my_role = self
            .authorize(actor, workspace, Permission::ManageMembers)
            .await?;
        let current = self.inner.store.member_role(workspace, user).await?;
        if current == Some(Role::Owner) {
            if !my_role.allows(Permission::Billing) {
                return Err(Error::PermissionDenied {
                    action: Permission::Billing.as_str().into(),
                    reason: "only an owner can remove an owner".into(),
                });
            }
            self.ensure_other_owner(workspace, user).await?;
        }
        self.inner.store.remove_member(workspace, user).await
    }

    /// Members of a workspace (permission `read`).
    pub async fn list_members(&self, actor: &Actor, workspace: WorkspaceId) -> Result<Vec<Member>> {
        self.authorize(actor, workspace, Permission::Read).await?;
        self.inner.store.list_members(workspace).await
    }

    async fn ensure_other_owner(&self, workspace: WorkspaceId, leaving: UserId) -> Result<()> {
        let members = self.inner.store.list_members(workspace).await?;
        if members
            .iter()
            .any(|m| m.role == Role::Owner && m.user_id != leaving)
        {
            Ok(())
        } else {
            Err(Error::conflict("a workspace must keep at least one owner"))
        }
    }
}

fn check_brand_voice(bv: &BrandVoice) -> Result<()> {
    if bv.style.chars().count() > 2000 {
        return Err(Error::validation(
            "brandVoice.style",
            "at most 2000 characters",
        ));
    }
    for (i, k) in bv.keywords.iter().enumerate() {
        if k.trim().is_empty() || k.chars().count() > 100 {
            return Err(Error::validation(
                format!("brandVoice.keywords[{i}]"),
                "1..=100 characters",
            ));
        }
    }
    for (i, k) in bv.banned_words.iter().enumerate() {
        if k.trim().is_empty() || k.chars().count() > 100 {
            return Err(Error::validation(
                format!("brandVoice.bannedWords[{i}]"),
                "1..=100 characters",
            ));
        }
    }
    Ok(())
}
