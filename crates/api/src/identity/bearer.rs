//! Bearer-token authentication of Graph requests: the token comes from `Authorization: Bearer …`,
//! is checked by the verified-token cache (one SHA-256 and a map lookup for a token seen before) or
//! else by the `auth` verifier, and becomes a [`Principal`] whose tenant and permissions come from
//! the token alone. A token signed by a key this node does not know yet (rotated on another node)
//! makes the keyring re-read the store once before the token is refused.

use super::Identity;
use crate::admin::credential::bearer;
use crate::authorize::unauthenticated;
use crate::error::GraphError;
use crate::principal::Principal;
use crate::state::AppState;
use auth::{Claims, TokenError};
use axum::http::{header, HeaderMap};
use model::TenantId;
use std::sync::Arc;

impl Identity {
    /// The caller of a request with these headers, or a 401 saying what is wrong with its token.
    pub(crate) async fn authenticate(
        &self,
        state: &AppState,
        headers: &HeaderMap,
    ) -> Result<Principal, GraphError> {
        let Some(token) = bearer(headers) else {
            return Err(match headers.get(header::AUTHORIZATION) {
                None => unauthenticated(state, "Access token is empty.", false),
                Some(_) => unauthenticated(
                    state,
                    "The Authorization header is not 'Bearer <access token>'.",
                    true,
                ),
            });
        };
        let claims = self
            .verify(state, token)
            .await
            .map_err(|e| unauthenticated(state, &e.to_string(), true))?;
        Ok(principal(&claims))
    }

    /// The claims of a valid token, reloading the signing keys once for an unknown `kid`.
    async fn verify(&self, state: &AppState, token: &str) -> Result<Arc<Claims>, TokenError> {
        let now = state.store().clock().now();
        let keys = self.keyring().fresh().await;
        match self.cache().verify(&keys.verifier, token, now) {
            Err(TokenError::UnknownKey(Some(kid))) => {
                let keys = self.keyring().refresh_for(&kid).await;
                self.cache().verify(&keys.verifier, token, now)
            }
            other => other,
        }
    }
}

/// The principal a verified token describes.
fn principal(claims: &Claims) -> Principal {
    Principal {
        tenant_id: TenantId(claims.tid.clone()),
        app_id: Some(claims.appid.clone()),
        display_name: claims
            .app_displayname
            .clone()
            .unwrap_or_else(|| claims.appid.clone()),
        permissions: claims.permissions(),
    }
}
