//! Social accounts on the facade: tokens are sealed by the vault before they reach the Store,
//! and opened only to hand them to a publisher.

use super::ContentOs;
use crate::access::{Actor, Permission};
use crate::model::{AccountId, AccountStatus, Platform, SocialAccount, WorkspaceId};
use crate::publish::AccountCredentials;
use crate::vault::Secret;
use crate::{Error, Result};
use chrono::{DateTime, Utc};

/// A social account to connect, with plaintext tokens (sealed on the way in).
#[derive(Debug, Clone)]
pub struct NewSocialAccount {
    /// Platform.
    pub platform: Platform,
    /// Handle / display name, unique per (workspace, platform).
    pub account_name: String,
    /// The platform's id for the account, when known.
    pub external_id: Option<String>,
    /// Instance / PDS base URL (Mastodon, Bluesky) or API host override.
    pub base_url: Option<String>,
    /// Access token (Bluesky: app password).
    pub access_token: Secret,
    /// Refresh token, if the platform issued one.
    pub refresh_token: Option<Secret>,
    /// Access token expiry, if known.
    pub token_expires_at: Option<DateTime<Utc>>,
}

pub(crate) fn token_context(account: AccountId, which: &str) -> String {
    format!("account:{account}:{which}")
}

impl ContentOs {
    /// Connects a social account (permission `manage_members`). Tokens are encrypted with the
    /// vault; the returned row holds only sealed values.
    pub async fn connect_account(
        &self,
        actor: &Actor,
        workspace: WorkspaceId,
        new: NewSocialAccount,
    ) -> Result<SocialAccount> {
        self.authorize(actor, workspace, Permission::ManageMembers)
            .await?;
        let n = new.account_name.trim().chars().count();
        if n == 0 || n > 255 {
            return Err(Error::validation("accountName", "1..=255 characters"));
        }
        if new.access_token.is_empty() {
            return Err(Error::validation("accessToken", "must not be empty"));
        }
        if let Some(u) = &new.base_url {
            if !(u.starts_with("https://") || u.starts_with("http://")) {
                return Err(Error::validation("baseUrl", "an http(s) URL"));
            }
        }
        let id = AccountId::new();
        let vault = &self.inner.vault;
        let access = vault.seal(&new.access_token, &token_context(id, "access"))?;
        let refresh = match new.refresh_token.as_ref().filter(|r| !r.is_empty()) {
            Some(r) => Some(vault.seal(r, &token_context(id, "refresh"))?),
            None => None,
        };
        let account = SocialAccount {
            id,
            workspace_id: workspace,
            platform: new.platform,
            account_name: new.account_name.trim().to_string(),
            external_id: new.external_id,
            base_url: new.base_url,
            access_token: access,
            refresh_token: refresh,
            token_expires_at: new.token_expires_at,
            status: AccountStatus::Active,
            connected_at: Utc::now(),
        };
        self.inner.store.create_account(&account).await?;
        Ok(account)
    }

    /// A workspace's accounts, tokens sealed (permission `read`).
    pub async fn list_accounts(
        &self,
        actor: &Actor,
        workspace: WorkspaceId,
    ) -> Result<Vec<SocialAccount>> {
        self.authorize(actor, workspace, Permission::Read).await?;
        self.inner.store.list_accounts(workspace).await
    }

    /// Disconnects an account (permission `manage_members`).
    pub async fn disconnect_account(&self, actor: &Actor, id: AccountId) -> Result<()> {
        let acc = self.inner.store.get_account(id).await?;
        self.authorize(actor, acc.workspace_id, Permission::ManageMembers)
            .await?;
        self.inner.store.delete_account(id).await
    }

    /// Decrypted credentials for publishing (permission `write`). Keep the result short-lived.
    pub async fn account_credentials(
        &self,
        actor: &Actor,
        id: AccountId,
    ) -> Result<AccountCredentials> {
        let acc = self.inner.store.get_account(id).await?;
        self.authorize(actor, acc.workspace_id, Permission::Write)
            .await?;
        self.open_credentials(&acc)
    }

    /// Opens an account's sealed tokens (no access check: for the scheduler, which acts on
    /// already-authorized jobs).
    pub(crate) fn open_credentials(&self, acc: &SocialAccount) -> Result<AccountCredentials> {
        let vault = &self.inner.vault;
        Ok(AccountCredentials {
            account_id: acc.id,
            platform: acc.platform,
            handle: acc.account_name.clone(),
            external_id: acc.external_id.clone(),
            base_url: acc.base_url.clone(),
            access_token: vault.open(&acc.access_token, &token_context(acc.id, "access"))?,
            refresh_token: match &acc.refresh_token {
                Some(r) => Some(vault.open(r, &token_context(acc.id, "refresh"))?),
                None => None,
            },
            expires_at: acc.token_expires_at,
        })
    }

    /// Stores refreshed credentials: the new refresh token (if any) is sealed and persisted
    /// together with the access token before the caller uses either. An empty refresh token
    /// never replaces a stored one.
    pub async fn store_refreshed_credentials(&self, creds: &AccountCredentials) -> Result<()> {
        let vault = &self.inner.vault;
        let access = vault.seal(
            &creds.access_token,
            &token_context(creds.account_id, "access"),
        )?;
        let refresh = match creds.refresh_token.as_ref().filter(|r| !r.is_empty()) {
            Some(r) => Some(vault.seal(r, &token_context(creds.account_id, "refresh"))?),
            None => None,
        };
        self.inner
            .store
            .update_account_tokens(
                creds.account_id,
                &access,
                refresh.as_ref(),
                creds.expires_at,
            )
            .await?;
        self.inner
            .store
            .set_account_status(creds.account_id, AccountStatus::Active)
            .await
    }
}
