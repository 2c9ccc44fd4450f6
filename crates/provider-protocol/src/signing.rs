//! Signatures on secgraph's calls to providers: HMAC-SHA256 with the provider's secret over a
//! canonical string of method, request target, timestamp and body hash.
//!
//! ```text
//! canonical = "v1" LF METHOD LF target LF timestamp LF hex(sha256(body))
//! ```
//!
//! * `METHOD` in upper case (`POST`); `target` is the request target exactly as sent on the request
//!   line: path, then `?` and the query when there is one, percent-encoding untouched
//!   (`/secgraph/alerts?tenantId=...&cursor=abc`), no scheme or host; `timestamp` is Unix seconds
//!   in decimal, the value of `X-Secgraph-Timestamp`; the body hash is lowercase hex of SHA-256 of
//!   the exact body bytes (of the empty string for a GET). `LF` is one `\n` byte; no trailing one.
//! * The key is the secret's bytes as issued (the UTF-8 text, not decoded from anything), at least
//!   [`MIN_KEY_LEN`] bytes.
//! * Headers: `X-Secgraph-Timestamp: 1740823200` and
//!   `X-Secgraph-Signature: v1=<64 lowercase hex digits>`. During a secret rotation secgraph sends
//!   one `v1=` entry per secret, comma-separated; a verifier accepts the call when any entry matches
//!   its secret, and ignores entries of schemes it does not know.
//! * A verifier refuses a timestamp more than [`MAX_SKEW_SECONDS`] (5 minutes) before or after its
//!   own clock, which bounds replays, and compares signatures in constant time.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use std::fmt;

/// Header carrying the signature(s).
pub const SIGNATURE_HEADER: &str = "X-Secgraph-Signature";
/// Header carrying the Unix-seconds timestamp.
pub const TIMESTAMP_HEADER: &str = "X-Secgraph-Timestamp";
/// The signature scheme this version defines.
pub const SCHEME: &str = "v1";
/// Largest accepted distance between the timestamp and the verifier's clock, in seconds.
pub const MAX_SKEW_SECONDS: i64 = 300;
/// Shortest secret.
pub const MIN_KEY_LEN: usize = 32;
/// Most entries read from a signature header.
const MAX_ENTRIES: usize = 8;

type HmacSha256 = Hmac<Sha256>;

/// A provider's signing secret, with its HMAC key schedule computed once. `Debug` does not show it.
#[derive(Clone)]
pub struct SigningKey(HmacSha256);

impl SigningKey {
    /// A key from the secret's bytes; refuses fewer than [`MIN_KEY_LEN`].
    pub fn new(secret: impl AsRef<[u8]>) -> Result<SigningKey, String> {
        let bytes = secret.as_ref();
        if bytes.len() < MIN_KEY_LEN {
            return Err(format!(
                "a signing secret has at least {MIN_KEY_LEN} bytes; this one has {}",
                bytes.len()
            ));
        }
        HmacSha256::new_from_slice(bytes)
            .map(SigningKey)
            .map_err(|_| "HMAC-SHA256 refused the secret".to_string())
    }

    fn mac(&self, canonical: &str) -> HmacSha256 {
        let mut mac = self.0.clone();
        mac.update(canonical.as_bytes());
        mac
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(..)")
    }
}

/// The two header values of a signed call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHeaders {
    /// Value of [`TIMESTAMP_HEADER`].
    pub timestamp: String,
    /// Value of [`SIGNATURE_HEADER`].
    pub signature: String,
}

/// Why a signed call was refused. The messages are for the provider's logs; a provider answers
/// `401` to all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureError {
    /// No `X-Secgraph-Timestamp`.
    MissingTimestamp,
    /// The timestamp is not decimal Unix seconds.
    MalformedTimestamp,
    /// The timestamp is more than 5 minutes old.
    Expired {
        /// How old, in seconds.
        age_seconds: i64,
    },
    /// The timestamp is more than 5 minutes ahead.
    FromTheFuture {
        /// How far ahead, in seconds.
        ahead_seconds: i64,
    },
    /// No `X-Secgraph-Signature`, or no `v1=` entry in it.
    MissingSignature,
    /// A `v1=` entry that is not 64 hexadecimal digits.
    MalformedSignature,
    /// No entry matches: wrong secret, or method, target, timestamp or body altered.
    Mismatch,
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::MissingTimestamp => write!(f, "the {TIMESTAMP_HEADER} header is missing"),
            SignatureError::MalformedTimestamp => {
                write!(f, "{TIMESTAMP_HEADER} is not Unix seconds in decimal")
            }
            SignatureError::Expired { age_seconds } => write!(
                f,
                "{TIMESTAMP_HEADER} is {age_seconds} s old; calls older than {MAX_SKEW_SECONDS} s are refused"
            ),
            SignatureError::FromTheFuture { ahead_seconds } => write!(
                f,
                "{TIMESTAMP_HEADER} is {ahead_seconds} s ahead of this clock; the limit is {MAX_SKEW_SECONDS} s"
            ),
            SignatureError::MissingSignature => {
                write!(f, "the {SIGNATURE_HEADER} header has no {SCHEME}= entry")
            }
            SignatureError::MalformedSignature => write!(
                f,
                "a {SCHEME}= entry of {SIGNATURE_HEADER} is not 64 hexadecimal digits"
            ),
            SignatureError::Mismatch => f.write_str(
                "the signature does not match: wrong secret, or method, path, query, timestamp or body changed",
            ),
        }
    }
}

impl std::error::Error for SignatureError {}

/// The canonical string (see the module docs).
pub fn canonical_string(method: &str, target: &str, timestamp: i64, body: &[u8]) -> String {
    format!(
        "{SCHEME}\n{}\n{target}\n{timestamp}\n{}",
        method.to_ascii_uppercase(),
        hex(&Sha256::digest(body))
    )
}

/// Signs a call with `key`.
pub fn sign(
    key: &SigningKey,
    method: &str,
    target: &str,
    timestamp: i64,
    body: &[u8],
) -> SignatureHeaders {
    sign_with_each(std::slice::from_ref(key), method, target, timestamp, body)
}

/// Signs a call once per key (a secret rotation: the old and the new secret).
pub fn sign_with_each(
    keys: &[SigningKey],
    method: &str,
    target: &str,
    timestamp: i64,
    body: &[u8],
) -> SignatureHeaders {
    let canonical = canonical_string(method, target, timestamp, body);
    let entries: Vec<String> = keys
        .iter()
        .map(|k| {
            format!(
                "{SCHEME}={}",
                hex(&k.mac(&canonical).finalize().into_bytes())
            )
        })
        .collect();
    SignatureHeaders {
        timestamp: timestamp.to_string(),
        signature: entries.join(","),
    }
}

/// Verifies a received call at time `now` (Unix seconds), given the two header values as received
/// (`None` when absent).
pub fn verify(
    key: &SigningKey,
    method: &str,
    target: &str,
    body: &[u8],
    timestamp_header: Option<&str>,
    signature_header: Option<&str>,
    now: i64,
) -> Result<(), SignatureError> {
    let ts = timestamp_header.ok_or(SignatureError::MissingTimestamp)?;
    let timestamp = parse_timestamp(ts)?;
    let skew = now.saturating_sub(timestamp);
    if skew > MAX_SKEW_SECONDS {
        return Err(SignatureError::Expired { age_seconds: skew });
    }
    if skew < -MAX_SKEW_SECONDS {
        return Err(SignatureError::FromTheFuture {
            ahead_seconds: skew.saturating_neg(),
        });
    }
    let candidates = signatures(signature_header.ok_or(SignatureError::MissingSignature)?)?;
    let mac = key.mac(&canonical_string(method, target, timestamp, body));
    if candidates
        .iter()
        .any(|sig| mac.clone().verify_slice(sig).is_ok())
    {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

fn parse_timestamp(s: &str) -> Result<i64, SignatureError> {
    let s = s.trim();
    if s.is_empty() || s.len() > 18 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SignatureError::MalformedTimestamp);
    }
    s.parse().map_err(|_| SignatureError::MalformedTimestamp)
}

/// The decoded `v1=` entries of a signature header.
fn signatures(header: &str) -> Result<Vec<[u8; 32]>, SignatureError> {
    let mut out = Vec::new();
    for entry in header.split(',').take(MAX_ENTRIES) {
        let Some((scheme, value)) = entry.trim().split_once('=') else {
            continue;
        };
        if scheme.trim() != SCHEME {
            continue;
        }
        out.push(unhex32(value.trim()).ok_or(SignatureError::MalformedSignature)?);
    }
    if out.is_empty() {
        return Err(SignatureError::MissingSignature);
    }
    Ok(out)
}

/// Lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// 64 hexadecimal digits (either case) as 32 bytes.
fn unhex32(s: &str) -> Option<[u8; 32]> {
    let b = s.as_bytes();
    if b.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in b.chunks_exact(2).enumerate() {
        let hi = char::from(pair[0]).to_digit(16)?;
        let lo = char::from(pair[1]).to_digit(16)?;
        out[i] = u8::try_from(hi * 16 + lo).ok()?;
    }
    Some(out)
}
