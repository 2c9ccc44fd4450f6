//! The admin API's credential: one bearer secret, generated at first start into the data directory
//! (mode 0600, never logged) and kept in memory only as its SHA-256, compared in constant time.

use auth::{ClientSecret, SecretHash};
use axum::http::{header, HeaderMap};

/// The accepted admin secret, as a hash.
#[derive(Clone, Copy)]
pub struct AdminCredential(SecretHash);

impl std::fmt::Debug for AdminCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AdminCredential(…)")
    }
}

impl AdminCredential {
    /// A new random admin secret: its plaintext (to write to the credential file) and the credential.
    pub fn generate() -> (String, AdminCredential) {
        let (plaintext, hash) = ClientSecret::generate();
        (plaintext, AdminCredential(hash))
    }

    /// The credential whose secret is `plaintext` (read back from the credential file).
    pub fn from_plaintext(plaintext: &str) -> AdminCredential {
        AdminCredential(SecretHash::of(plaintext.trim()))
    }

    /// Whether the request's `Authorization: Bearer …` carries the admin secret.
    pub fn accepts(&self, headers: &HeaderMap) -> bool {
        bearer(headers).is_some_and(|token| self.0.verify(token))
    }
}

/// The token of an `Authorization: Bearer <token>` header (scheme matched case-insensitively).
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}
