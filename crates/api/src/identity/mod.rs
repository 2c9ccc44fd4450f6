//! Identity on the wire: the token endpoint and discovery documents of the Microsoft identity
//! platform v2.0 (`/{tenant}/oauth2/v2.0/token`, `/{tenant}/v2.0/.well-known/openid-configuration`,
//! `/{tenant}/discovery/v2.0/keys`), and bearer-token authentication of Graph requests.
//!
//! [`Identity`] holds what both sides share: the accepted audiences, the token issuer, the signing
//! keys (read from the store, so every node of a deployment signs and verifies with the same keys)
//! and the verified-token cache (kept with the keys, as retiring a key empties it). Token logic itself lives in the pure `auth` crate.

mod bearer;
pub mod discovery;
pub mod keyring;
pub mod oauth_error;
pub mod tenant_path;
pub mod token_endpoint;
pub mod token_request;

use crate::state::AppState;
use auth::{Audiences, AuthError, TokenIssuer, VerifiedTokenCache};
use axum::routing::{get, post};
use axum::Router;
use keyring::Keyring;
use std::sync::Arc;
use store::{Store, StoreError};

/// Why [`Identity::load`] failed.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    /// The store could not provide or keep the signing keys.
    #[error("cannot load the token signing keys: {0}")]
    Store(#[from] StoreError),
    /// Key material or configuration was unusable.
    #[error("{0}")]
    Auth(#[from] AuthError),
}

/// Token issue and verification for one deployment (cheap to clone).
#[derive(Clone)]
pub struct Identity {
    inner: Arc<Inner>,
}

struct Inner {
    audiences: Audiences,
    issuer: TokenIssuer,
    keyring: Keyring,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity")
            .field("audience", &self.inner.audiences.issued())
            .finish_non_exhaustive()
    }
}

/// Re-reads the signing keys whenever any node changes identity rows (a rotation or retirement
/// elsewhere reaches this node's verifier and JWKS at once, not when its copy expires), and after
/// the change feed may have missed something. Stops with the identity or the feed.
fn follow_key_changes(
    mut events: tokio::sync::broadcast::Receiver<store::StoreEvent>,
    inner: std::sync::Weak<Inner>,
) {
    use store::StoreEvent;
    use tokio::sync::broadcast::error::RecvError;
    tokio::spawn(async move {
        loop {
            match events.recv().await {
                Ok(StoreEvent::Identity | StoreEvent::Resync) | Err(RecvError::Lagged(_)) => {}
                Ok(_) => continue,
                Err(RecvError::Closed) => return,
            }
            let Some(inner) = inner.upgrade() else { return };
            if let Err(e) = inner.keyring.reload().await {
                tracing::warn!("cannot re-read the signing keys after a change: {e}");
            }
        }
    });
}

impl Identity {
    /// Loads the signing keys from `store` (creating the first one on a new store) for a server
    /// reachable at `public_url`, which becomes the `aud` of issued tokens and the base of `iss`.
    pub async fn load(store: &Store, public_url: &str) -> Result<Identity, IdentityError> {
        let audiences = Audiences::new(public_url)?;
        let issuer = TokenIssuer::new(&audiences);
        let keyring = Keyring::load(store.clone(), audiences.clone()).await?;
        let inner = Arc::new(Inner {
            audiences,
            issuer,
            keyring,
        });
        follow_key_changes(store.subscribe(), Arc::downgrade(&inner));
        Ok(Identity { inner })
    }

    /// The resources tokens may be requested for, and the `aud` values accepted.
    pub fn audiences(&self) -> &Audiences {
        &self.inner.audiences
    }

    /// The token issuer (claims, lifetime, `iss`).
    pub fn issuer(&self) -> &TokenIssuer {
        &self.inner.issuer
    }

    /// The signing keys.
    pub fn keyring(&self) -> &Keyring {
        &self.inner.keyring
    }

    /// The cache of verified tokens.
    pub(crate) fn cache(&self) -> &VerifiedTokenCache {
        self.inner.keyring.cache()
    }

    /// The token URL of a tenant: `{public}/{tenant}/oauth2/v2.0/token`.
    pub fn token_url(&self, tenant: &str) -> String {
        format!(
            "{}/{tenant}/oauth2/v2.0/token",
            self.inner.audiences.public_base()
        )
    }
}

/// The identity-platform routes (mounted at the root, beside `/v1.0` and `/beta`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/{tenant}/oauth2/v2.0/token",
            post(token_endpoint::issue_token).fallback(token_endpoint::wrong_method),
        )
        .route(
            "/{tenant}/oauth2/v2.0/authorize",
            get(discovery::authorize).post(discovery::authorize),
        )
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(discovery::openid_configuration),
        )
        .route("/{tenant}/discovery/v2.0/keys", get(discovery::keys))
}
