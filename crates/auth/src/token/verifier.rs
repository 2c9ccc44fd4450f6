//! [`TokenVerifier`]: checks a bearer token's form, algorithm, key, signature, lifetime, audience
//! and issuer, in that order, and yields its claims.

use super::claims::Claims;
use super::compact::{self, Header};
use super::error::TokenError;
use crate::audience::Audiences;
use crate::keys::{PublicKey, ALGORITHM};
use time::{Duration, OffsetDateTime};

/// Verifies tokens against the published keys of one deployment (cheap to clone; rebuild it when
/// the set of keys changes).
#[derive(Debug, Clone)]
pub struct TokenVerifier {
    keys: Vec<PublicKey>,
    audiences: Audiences,
    issuer_bases: Vec<String>,
    leeway: i64,
}

impl TokenVerifier {
    /// Clock skew tolerated on `exp` and `nbf` (Entra allows five minutes too).
    pub const DEFAULT_LEEWAY: Duration = Duration::minutes(5);
    /// Longest token considered; longer ones are refused before any parsing.
    pub const MAX_TOKEN_BYTES: usize = 16 * 1024;

    /// A verifier accepting signatures by `keys`, any of `audiences`' accepted resources as `aud`,
    /// and `iss` = `{audiences' public base URL}/{tid}/v2.0`, with the default leeway.
    pub fn new(keys: &[PublicKey], audiences: &Audiences) -> TokenVerifier {
        TokenVerifier {
            keys: keys.to_vec(),
            audiences: audiences.clone(),
            issuer_bases: vec![audiences.public_base().to_owned()],
            leeway: TokenVerifier::DEFAULT_LEEWAY.whole_seconds(),
        }
    }

    /// The same verifier with another clock leeway (negative values count as zero).
    pub fn with_leeway(mut self, leeway: Duration) -> TokenVerifier {
        self.leeway = leeway.whole_seconds().max(0);
        self
    }

    /// The same verifier also accepting issuers under `base` (e.g. a former public URL).
    pub fn with_issuer_base(mut self, base: &str) -> TokenVerifier {
        self.issuer_bases
            .push(base.trim().trim_end_matches('/').to_owned());
        self
    }

    /// The keys whose signatures are accepted.
    pub fn keys(&self) -> &[PublicKey] {
        &self.keys
    }

    /// The token's claims if it is a well-formed RS256 JWT signed by a known key, valid at `now`
    /// (± leeway), for one of our audiences, from our issuer for its own tenant.
    pub fn verify(&self, token: &str, now: OffsetDateTime) -> Result<Claims, TokenError> {
        if token.len() > TokenVerifier::MAX_TOKEN_BYTES {
            return Err(TokenError::Malformed("it is longer than 16 KiB"));
        }
        let parts = compact::split(token).ok_or(TokenError::Malformed(
            "it is not three base64url parts joined by '.'",
        ))?;
        let header: Header = compact::decode(parts.header)
            .and_then(|h| serde_json::from_slice(&h).ok())
            .ok_or(TokenError::Malformed(
                "its header is not base64url-encoded JSON",
            ))?;
        if header.alg != ALGORITHM {
            return Err(TokenError::UnsupportedAlgorithm(header.alg));
        }
        if header.crit.is_some() {
            return Err(TokenError::Malformed(
                "its header lists critical extensions",
            ));
        }
        let key = self.key(header.kid)?;
        let signature = compact::decode(parts.signature)
            .ok_or(TokenError::Malformed("its signature is not base64url"))?;
        if !key.verify(parts.signing_input.as_bytes(), &signature) {
            return Err(TokenError::BadSignature);
        }
        let claims: Claims = compact::decode(parts.payload)
            .and_then(|p| serde_json::from_slice(&p).ok())
            .ok_or(TokenError::Malformed(
                "its claims are not the JSON of an app token",
            ))?;
        self.check_claims(&claims, now.unix_timestamp())?;
        Ok(claims)
    }

    fn key(&self, kid: Option<String>) -> Result<&PublicKey, TokenError> {
        let kid = kid.ok_or(TokenError::UnknownKey(None))?;
        self.keys
            .iter()
            .find(|k| k.kid == kid)
            .ok_or(TokenError::UnknownKey(Some(kid)))
    }

    fn check_claims(&self, claims: &Claims, now: i64) -> Result<(), TokenError> {
        if now >= claims.exp.saturating_add(self.leeway) {
            return Err(TokenError::Expired { exp: claims.exp });
        }
        if now.saturating_add(self.leeway) < claims.nbf {
            return Err(TokenError::NotYetValid { nbf: claims.nbf });
        }
        if !self.audiences.accepts(&claims.aud) {
            return Err(TokenError::WrongAudience(claims.aud.clone()));
        }
        let issuer_ok = !claims.tid.is_empty()
            && self
                .issuer_bases
                .iter()
                .any(|base| claims.iss == format!("{base}/{}/v2.0", claims.tid));
        if !issuer_ok {
            return Err(TokenError::WrongIssuer(claims.iss.clone()));
        }
        Ok(())
    }
}
