//! [`TokenIssuer`]: builds the claims of an app-only token and signs them.

use super::claims::{service_principal_id, AppGrant, Claims};
use super::compact;
use crate::audience::Audiences;
use crate::error::AuthError;
use crate::keys::{SigningKey, ALGORITHM};
use serde_json::json;
use time::{Duration, OffsetDateTime};

/// Issues access tokens for one deployment (cheap to clone).
#[derive(Debug, Clone)]
pub struct TokenIssuer {
    issuer_base: String,
    audience: String,
    lifetime: Duration,
}

impl TokenIssuer {
    /// How long a token lives unless configured otherwise (Entra's default too).
    pub const DEFAULT_LIFETIME: Duration = Duration::minutes(60);

    /// An issuer whose `iss` base and `aud` are `audiences`' public base URL.
    pub fn new(audiences: &Audiences) -> TokenIssuer {
        TokenIssuer {
            issuer_base: audiences.public_base().to_owned(),
            audience: audiences.issued().to_owned(),
            lifetime: TokenIssuer::DEFAULT_LIFETIME,
        }
    }

    /// The same issuer with tokens living `lifetime` (clamped to at least one second).
    pub fn with_lifetime(mut self, lifetime: Duration) -> TokenIssuer {
        self.lifetime = lifetime.max(Duration::SECOND);
        self
    }

    /// How long tokens live (`expires_in` of the token response).
    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// The `iss` of tokens for `tenant_id`: `{public base URL}/{tenant_id}/v2.0` (also the
    /// `issuer` of the tenant's OpenID configuration).
    pub fn issuer(&self, tenant_id: &str) -> String {
        format!("{}/{tenant_id}/v2.0", self.issuer_base)
    }

    /// The claims of a token for `grant`, issued at `now`.
    pub fn claims(&self, grant: &AppGrant<'_>, now: OffsetDateTime) -> Claims {
        let iat = now.unix_timestamp();
        let oid = service_principal_id(grant.tenant_id, grant.client_id);
        Claims {
            aud: self.audience.clone(),
            iss: self.issuer(grant.tenant_id),
            iat,
            nbf: iat,
            exp: iat + self.lifetime.whole_seconds(),
            appid: grant.client_id.to_owned(),
            azp: grant.client_id.to_owned(),
            azpacr: "1".to_owned(),
            app_displayname: grant.app_display_name.map(str::to_owned),
            idtyp: "app".to_owned(),
            sub: oid.clone(),
            oid,
            roles: grant.roles.iter().map(|p| p.as_str().to_owned()).collect(),
            tid: grant.tenant_id.to_owned(),
            uti: compact::encode(&rand::random::<[u8; 16]>()),
            ver: "2.0".to_owned(),
        }
    }

    /// Signs `claims` with `key`: a compact JWS with header `{"alg":"RS256","typ":"JWT","kid"}`.
    pub fn issue(&self, key: &SigningKey, claims: &Claims) -> Result<String, AuthError> {
        let header = json!({ "alg": ALGORITHM, "typ": "JWT", "kid": key.kid });
        let payload = serde_json::to_vec(claims).map_err(|e| AuthError::Encoding(e.to_string()))?;
        let mut token = compact::encode(header.to_string().as_bytes());
        token.push('.');
        token.push_str(&compact::encode(&payload));
        let signature = key.sign(token.as_bytes())?;
        token.push('.');
        token.push_str(&compact::encode(&signature));
        Ok(token)
    }
}
