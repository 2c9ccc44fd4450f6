//! Client secrets: generated here, shown to the operator once, stored only as a SHA-256
//! [`SecretHash`], and checked in constant time.
//!
//! A secret is 264 bits from the operating system's random source, written as 44 base64url
//! characters (never starting with `-`, so it is never mistaken for a command-line flag). SHA-256
//! without salt or stretching is the right hash for such a value: it cannot be guessed, so a
//! password hash's work factor would only slow down every token request. Expiry is stored beside the
//! hash by the caller and checked against its clock.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::fmt;
use subtle::ConstantTimeEq;

/// Generates client secrets.
#[derive(Debug, Clone, Copy)]
pub struct ClientSecret;

impl ClientSecret {
    /// Random bytes in a secret (264 bits; 44 base64url characters).
    pub const RANDOM_BYTES: usize = 33;
    /// Characters of the plaintext kept as its hint.
    pub const HINT_CHARS: usize = 3;

    /// A new secret: the plaintext (to show once, then forget) and the hash to store.
    ///
    /// Panics only if the operating system cannot provide randomness.
    pub fn generate() -> (String, SecretHash) {
        let mut bytes = [0u8; ClientSecret::RANDOM_BYTES];
        loop {
            OsRng.fill_bytes(&mut bytes);
            let plaintext = URL_SAFE_NO_PAD.encode(bytes);
            if !plaintext.starts_with('-') {
                let hash = SecretHash::of(&plaintext);
                return (plaintext, hash);
            }
        }
    }

    /// The hint stored beside a secret so people can tell secrets apart: its last three characters.
    pub fn hint(plaintext: &str) -> String {
        let skip = plaintext
            .chars()
            .count()
            .saturating_sub(ClientSecret::HINT_CHARS);
        plaintext.chars().skip(skip).collect()
    }
}

/// The SHA-256 digest of a client secret: what the store keeps.
#[derive(Clone, Copy, Eq)]
pub struct SecretHash(pub [u8; 32]);

impl SecretHash {
    /// The hash of `plaintext`.
    pub fn of(plaintext: &str) -> SecretHash {
        SecretHash(Sha256::digest(plaintext.as_bytes()).into())
    }

    /// Whether `plaintext` is the secret this hash was made from. The digests are compared in
    /// constant time, so the time taken says nothing about how much of a guess was right.
    pub fn verify(&self, plaintext: &str) -> bool {
        let candidate = SecretHash::of(plaintext);
        self.0.ct_eq(&candidate.0).into()
    }

    /// Lowercase hex (64 characters), the storage form.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Parses [`to_hex`](SecretHash::to_hex)'s output (either case); `None` for anything else.
    pub fn from_hex(s: &str) -> Option<SecretHash> {
        if s.len() != 64 || !s.is_ascii() {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(SecretHash(out))
    }
}

impl PartialEq for SecretHash {
    /// Constant-time comparison.
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl fmt::Debug for SecretHash {
    /// Only a prefix: enough to tell hashes apart in a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex = self.to_hex();
        write!(f, "SecretHash({}…)", hex.get(..8).unwrap_or(&hex))
    }
}
