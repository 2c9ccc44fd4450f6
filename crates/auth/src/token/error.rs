//! [`TokenError`]: why a bearer token was refused. Each message says what is wrong in words a
//! client developer can act on; the API sends it in the 401's `message`.

use std::fmt;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Why a token did not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    /// Not a compact JWS with a JSON header and the expected claims (the reason says which part).
    Malformed(&'static str),
    /// The header's `alg` is not `RS256` (`none`, `HS256`, ... are never accepted).
    UnsupportedAlgorithm(String),
    /// The header names no key, or a key this server does not publish (`None` when absent).
    UnknownKey(Option<String>),
    /// The signature does not match the header and claims.
    BadSignature,
    /// `exp` (Unix seconds) is past, beyond the clock leeway.
    Expired {
        /// The token's `exp`.
        exp: i64,
    },
    /// `nbf` (Unix seconds) is still ahead, beyond the clock leeway.
    NotYetValid {
        /// The token's `nbf`.
        nbf: i64,
    },
    /// `aud` is not one of this server's accepted audiences.
    WrongAudience(String),
    /// `iss` is not `{public base URL}/{tid}/v2.0` for the token's own `tid`.
    WrongIssuer(String),
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::Malformed(why) => write!(f, "The access token is malformed: {why}."),
            TokenError::UnsupportedAlgorithm(alg) => write!(
                f,
                "The access token is signed with the algorithm '{alg}'; only RS256 is accepted."
            ),
            TokenError::UnknownKey(None) => {
                write!(f, "The access token's header names no signing key (kid).")
            }
            TokenError::UnknownKey(Some(kid)) => write!(
                f,
                "The access token is signed with the key '{kid}', which this server does not publish \
                 (it may have been retired); request a new token."
            ),
            TokenError::BadSignature => write!(f, "The access token's signature is invalid."),
            TokenError::Expired { exp } => write!(
                f,
                "Lifetime validation failed, the token is expired (exp {}).",
                instant(*exp)
            ),
            TokenError::NotYetValid { nbf } => write!(
                f,
                "Lifetime validation failed, the token is not yet valid (nbf {}).",
                instant(*nbf)
            ),
            TokenError::WrongAudience(aud) => write!(
                f,
                "Invalid audience '{aud}': the token was not issued for this server."
            ),
            TokenError::WrongIssuer(iss) => write!(
                f,
                "Invalid issuer '{iss}': the token was not issued by this server for its tenant."
            ),
        }
    }
}

impl std::error::Error for TokenError {}

/// A Unix time as RFC 3339 (the raw number when out of range).
fn instant(secs: i64) -> String {
    OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| secs.to_string())
}
