//! OAuth 2.0 helpers: PKCE (RFC 7636, S256) and the token response shape.
//!
//! Why: X requires authorization code + PKCE; the verifier must be random and kept by the caller
//! between the redirect and the code exchange, and the challenge is its SHA-256, base64url
//! without padding.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use contentos_core::vault::Secret;
use rand::RngCore;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// A PKCE pair. Keep the verifier (secret) until the code exchange; send the challenge.
#[derive(Debug, Clone)]
pub struct Pkce {
    /// The code verifier: 43 characters of base64url from 32 random bytes.
    pub verifier: Secret,
    /// `BASE64URL(SHA256(verifier))`.
    pub challenge: String,
}

impl Pkce {
    /// A fresh random pair.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        Pkce::from_verifier(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The pair for a given verifier (tests, or a verifier restored from storage).
    pub fn from_verifier(verifier: impl Into<String>) -> Self {
        let verifier = verifier.into();
        let challenge = s256(&verifier);
        Pkce {
            verifier: Secret::new(verifier),
            challenge,
        }
    }
}

/// The S256 code challenge of a verifier.
pub fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// A random `state` value to bind the redirect to the session that started it.
pub fn random_state() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// An OAuth token endpoint response.
#[derive(Deserialize)]
pub struct TokenResponse {
    /// The access token.
    pub access_token: String,
    /// A (possibly rotated) refresh token.
    #[serde(default)]
    pub refresh_token: Option<String>,
    /// Lifetime in seconds.
    #[serde(default)]
    pub expires_in: Option<i64>,
    /// Granted scopes.
    #[serde(default)]
    pub scope: Option<String>,
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenResponse")
            .field("access_token", &"<redacted>")
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .field("expires_in", &self.expires_in)
            .field("scope", &self.scope)
            .finish()
    }
}

/// Tokens obtained from a code exchange or a refresh. The caller stores them (refresh token
/// first) before using the access token.
#[derive(Debug, Clone)]
pub struct TokenSet {
    /// The access token.
    pub access_token: Secret,
    /// The refresh token, when the platform issued one (X: only with `offline.access`).
    pub refresh_token: Option<Secret>,
    /// When the access token expires.
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Granted scopes.
    pub scope: Option<String>,
}

impl TokenResponse {
    /// Converts into a [`TokenSet`], computing the expiry from `expires_in`. An empty refresh
    /// token counts as none, so it can never overwrite a stored one.
    pub fn into_token_set(self) -> TokenSet {
        TokenSet {
            access_token: Secret::new(self.access_token),
            refresh_token: self
                .refresh_token
                .filter(|t| !t.is_empty())
                .map(Secret::new),
            expires_at: self
                .expires_in
                .map(|s| chrono::Utc::now() + chrono::Duration::seconds(s)),
            scope: self.scope,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_matches_independent_computation() {
        // Computed with Python: base64.urlsafe_b64encode(sha256(verifier)).rstrip("=")
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW-gFWFOEjXk"),
            "90EpwHQr_xi9uDtjYyz5mq9Z4RekugHRqg5ijpXC3FQ"
        );
    }

    #[test]
    fn generated_verifier_is_43_chars_and_matches_challenge() {
        let p = Pkce::generate();
        assert_eq!(p.verifier.expose().len(), 43);
        assert_eq!(p.challenge, s256(p.verifier.expose()));
        assert_ne!(Pkce::generate().challenge, p.challenge);
    }
}
