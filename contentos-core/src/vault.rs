//! Encryption of platform tokens at rest (design document section 9.2).
//!
//! Why: a leaked database dump must not leak every customer's social accounts. Access and
//! refresh tokens are sealed with AES-256-GCM before they reach a Store; each value gets a
//! random 96-bit nonce, and the id of the key that sealed it is stored beside the ciphertext so
//! keys can rotate: new values use the active key, old values still open with retired keys.
//!
//! Plaintext lives only in [`Secret`], which redacts itself in `Debug` and `Display` and is
//! zeroed on drop.
//!
//! Key sources, in order: [`Vault::new`] with caller-supplied keys, the `CONTENTOS_VAULT_KEY`
//! environment variable (`base64key` or `kid:base64key[,kid:base64key…]`, first is active), or
//! for the embedded default a key file created beside the SQLite database with mode 0600.

use crate::{Error, Result};
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rand::RngCore;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use zeroize::Zeroizing;

/// Environment variable holding the vault key(s).
pub const VAULT_KEY_ENV: &str = "CONTENTOS_VAULT_KEY";

/// A plaintext secret (token, API key, app password). `Debug` and `Display` print
/// `<redacted>`; the memory is zeroed on drop. Call [`Secret::expose`] only at the point of use.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a plaintext value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Zeroizing::new(value.into()))
    }

    /// The plaintext. Never log or format the result.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True for an empty secret (used to refuse overwriting a refresh token with nothing).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret::new(s)
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret::new(s)
    }
}

/// A sealed (encrypted) value as stored: `v1.<key id>.<base64 nonce>.<base64 ciphertext+tag>`.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedSecret {
    key_id: String,
    nonce: [u8; 12],
    ciphertext: Vec<u8>,
}

impl SealedSecret {
    /// The id of the key that sealed this value.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The stored text form.
    pub fn to_stored(&self) -> String {
        format!(
            "v1.{}.{}.{}",
            self.key_id,
            B64.encode(self.nonce),
            B64.encode(&self.ciphertext)
        )
    }

    /// Parses the stored text form.
    pub fn from_stored(s: &str) -> Result<Self> {
        let bad = || Error::Crypto {
            message: "malformed sealed value".into(),
        };
        let mut it = s.splitn(4, '.');
        if it.next() != Some("v1") {
            return Err(bad());
        }
        let key_id = it.next().ok_or_else(bad)?.to_string();
        let nonce_v = B64.decode(it.next().ok_or_else(bad)?).map_err(|_| bad())?;
        let ciphertext = B64.decode(it.next().ok_or_else(bad)?).map_err(|_| bad())?;
        let nonce: [u8; 12] = nonce_v.try_into().map_err(|_| bad())?;
        if key_id.is_empty() || ciphertext.len() < 16 {
            return Err(bad());
        }
        Ok(SealedSecret {
            key_id,
            nonce,
            ciphertext,
        })
    }
}

impl fmt::Debug for SealedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SealedSecret(key_id={}, <ciphertext>)", self.key_id)
    }
}

impl Serialize for SealedSecret {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_stored())
    }
}

impl<'de> Deserialize<'de> for SealedSecret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        SealedSecret::from_stored(&s).map_err(serde::de::Error::custom)
    }
}

/// Seals and opens secrets with a key ring. Cheap to clone (keys are shared).
#[derive(Clone)]
pub struct Vault {
    active: String,
    keys: std::sync::Arc<HashMap<String, Aes256Gcm>>,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut ids: Vec<_> = self.keys.keys().collect();
        ids.sort();
        f.debug_struct("Vault")
            .field("active_key_id", &self.active)
            .field("key_ids", &ids)
            .finish()
    }
}

impl Vault {
    /// A vault with one active key and any number of retired keys (for values sealed before a
    /// rotation). Key ids must be non-empty and contain no `.`.
    pub fn new(active: (&str, [u8; 32]), retired: &[(&str, [u8; 32])]) -> Result<Self> {
        let mut keys = HashMap::new();
        for (kid, key) in std::iter::once(&active).chain(retired.iter()) {
            if kid.is_empty() || kid.contains('.') {
                return Err(Error::validation("key_id", "non-empty, without '.'"));
            }
            keys.insert(kid.to_string(), Aes256Gcm::new(key.into()));
        }
        Ok(Vault {
            active: active.0.to_string(),
            keys: std::sync::Arc::new(keys),
        })
    }

    /// A vault from a key specification: `base64key` (key id `k1`) or
    /// `kid:base64key[,kid:base64key…]` where the first entry is the active key.
    pub fn from_spec(spec: &str) -> Result<Self> {
        let mut entries: Vec<(String, [u8; 32])> = Vec::new();
        for (i, part) in spec
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .enumerate()
        {
            let (kid, b64) = match part.split_once(':') {
                Some((k, v)) => (k.to_string(), v),
                None => (format!("k{}", i + 1), part),
            };
            let raw = Zeroizing::new(
                B64.decode(b64)
                    .map_err(|_| Error::validation(VAULT_KEY_ENV, "base64 of exactly 32 bytes"))?,
            );
            let key: [u8; 32] = raw
                .as_slice()
                .try_into()
                .map_err(|_| Error::validation(VAULT_KEY_ENV, "base64 of exactly 32 bytes"))?;
            entries.push((kid, key));
        }
        let (first, rest) = entries
            .split_first()
            .ok_or_else(|| Error::validation(VAULT_KEY_ENV, "at least one key"))?;
        let retired: Vec<(&str, [u8; 32])> = rest.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        Vault::new((first.0.as_str(), first.1), &retired)
    }

    /// A vault from `CONTENTOS_VAULT_KEY`, if set.
    pub fn from_env() -> Result<Option<Self>> {
        match std::env::var(VAULT_KEY_ENV) {
            Ok(v) if !v.trim().is_empty() => Vault::from_spec(&v).map(Some),
            _ => Ok(None),
        }
    }

    /// A vault whose key lives in `path`, creating a random key (mode 0600) on first use. This is
    /// the embedded default beside a SQLite file: tokens survive restarts without configuration,
    /// and the database file alone does not reveal them.
    pub fn from_key_file(path: &Path) -> Result<Self> {
        if let Ok(text) = std::fs::read_to_string(path) {
            return Vault::from_spec(text.trim());
        }
        let mut key = Zeroizing::new([0u8; 32]);
        rand::thread_rng().fill_bytes(key.as_mut());
        let spec = Zeroizing::new(format!("local:{}", B64.encode(key.as_ref())));
        write_private(path, spec.as_bytes())?;
        Vault::new(("local", *key), &[])
    }

    /// A vault with a random key that lives only as long as the process (in-memory stores).
    pub fn ephemeral() -> Self {
        let mut key = Zeroizing::new([0u8; 32]);
        rand::thread_rng().fill_bytes(key.as_mut());
        // The key id is fixed and valid, so construction cannot fail.
        match Vault::new(("ephemeral", *key), &[]) {
            Ok(v) => v,
            Err(_) => unreachable!("constant key id is valid"),
        }
    }

    /// The id of the key new values are sealed with.
    pub fn active_key_id(&self) -> &str {
        &self.active
    }

    /// Seals `secret`. `context` (for example `"account:<id>:access"`) is bound as associated
    /// data, so a ciphertext copied into another row or field does not open.
    pub fn seal(&self, secret: &Secret, context: &str) -> Result<SealedSecret> {
        let cipher = self.keys.get(&self.active).ok_or_else(|| Error::Crypto {
            message: "active key missing".into(),
        })?;
        let mut nonce = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut nonce);
        let ciphertext = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: secret.expose().as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| Error::Crypto {
                message: "encryption failed".into(),
            })?;
        Ok(SealedSecret {
            key_id: self.active.clone(),
            nonce,
            ciphertext,
        })
    }

    /// Opens a sealed value with the key that sealed it and the same `context`.
    pub fn open(&self, sealed: &SealedSecret, context: &str) -> Result<Secret> {
        let cipher = self.keys.get(&sealed.key_id).ok_or_else(|| Error::Crypto {
            message: format!("unknown key id {}", sealed.key_id),
        })?;
        let plain = Zeroizing::new(
            cipher
                .decrypt(
                    Nonce::from_slice(&sealed.nonce),
                    Payload {
                        msg: &sealed.ciphertext,
                        aad: context.as_bytes(),
                    },
                )
                .map_err(|_| Error::Crypto {
                    message: "decryption failed (wrong key, context or tampered value)".into(),
                })?,
        );
        let s = std::str::from_utf8(&plain).map_err(|_| Error::Crypto {
            message: "sealed value is not UTF-8".into(),
        })?;
        Ok(Secret::new(s))
    }

    /// Re-seals a value under the active key (key rotation).
    pub fn reseal(&self, sealed: &SealedSecret, context: &str) -> Result<SealedSecret> {
        let plain = self.open(sealed, context)?;
        self.seal(&plain, context)
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| Error::Storage {
        message: format!("cannot create vault key file {}: {e}", path.display()),
    })?;
    f.write_all(bytes).map_err(|e| Error::Storage {
        message: format!("cannot write vault key file {}: {e}", path.display()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault(kid: &str, byte: u8) -> Vault {
        Vault::new((kid, [byte; 32]), &[]).unwrap()
    }

    #[test]
    fn round_trip_with_random_nonces() {
        let v = vault("a", 7);
        let s = Secret::new("tok-123");
        let a = v.seal(&s, "ctx").unwrap();
        let b = v.seal(&s, "ctx").unwrap();
        assert_ne!(
            a.to_stored(),
            b.to_stored(),
            "nonce must be random per value"
        );
        assert_eq!(v.open(&a, "ctx").unwrap().expose(), "tok-123");
        assert!(!a.to_stored().contains("tok-123"));
    }

    #[test]
    fn wrong_context_or_key_fails() {
        let v = vault("a", 7);
        let sealed = v.seal(&Secret::new("x"), "account:1").unwrap();
        assert_eq!(
            v.open(&sealed, "account:2").unwrap_err().kind(),
            crate::ErrorKind::Crypto
        );
        let other = vault("a", 8);
        assert!(other.open(&sealed, "account:1").is_err());
    }

    #[test]
    fn rotation_keeps_old_values_readable() {
        let old = vault("old", 1);
        let sealed = old.seal(&Secret::new("refresh"), "c").unwrap();
        let rotated = Vault::new(("new", [2; 32]), &[("old", [1; 32])]).unwrap();
        assert_eq!(rotated.open(&sealed, "c").unwrap().expose(), "refresh");
        let resealed = rotated.reseal(&sealed, "c").unwrap();
        assert_eq!(resealed.key_id(), "new");
    }

    #[test]
    fn secrets_are_redacted() {
        let s = Secret::new("super-secret-token");
        assert!(!format!("{s:?}").contains("super"));
        assert!(!format!("{s}").contains("super"));
        let sealed = vault("k", 3).seal(&s, "c").unwrap();
        assert!(!format!("{sealed:?}").contains("super"));
    }

    #[test]
    fn spec_parsing_and_errors() {
        let key = B64.encode([9u8; 32]);
        let v = Vault::from_spec(&format!("new:{key},old:{key}")).unwrap();
        assert_eq!(v.active_key_id(), "new");
        let err = Vault::from_spec("not-base64!").unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Validation);
    }

    #[test]
    fn key_file_is_created_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k");
        let a = Vault::from_key_file(&p).unwrap();
        let sealed = a.seal(&Secret::new("v"), "c").unwrap();
        let b = Vault::from_key_file(&p).unwrap();
        assert_eq!(b.open(&sealed, "c").unwrap().expose(), "v");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
