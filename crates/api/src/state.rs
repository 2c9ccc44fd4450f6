//! The application state every handler receives, and the API's own settings.

use crate::admin::AdminCredential;
use crate::identity::Identity;
use crate::principal::Authenticator;
use std::sync::Arc;
use store::Store;

/// Limits and addresses of the HTTP API. Built by the binary from its configuration.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Public base URL (scheme, host, port, optional path prefix, no trailing slash) used in
    /// `@odata.context` and absolute `@odata.nextLink`s; set it when serving behind a reverse proxy.
    pub public_url: String,
    /// Largest request body accepted (bytes); larger bodies get 413.
    pub max_body_bytes: usize,
}

impl ApiConfig {
    /// Default limits for a server reachable at `public_url`.
    pub fn new(public_url: impl Into<String>) -> Self {
        ApiConfig {
            public_url: public_url.into().trim_end_matches('/').to_owned(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

/// Default request body limit: 4 MiB (100 full tiIndicators or a large updateAlerts batch fit easily).
pub const DEFAULT_MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// Shared state: cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    config: ApiConfig,
    auth: Authenticator,
    identity: Identity,
    admin: Option<AdminCredential>,
}

impl AppState {
    /// State over an open store. `identity` issues and verifies tokens (see [`Identity::load`]);
    /// `admin` is the credential of the admin API (without one, the admin API answers 401 to all).
    pub fn new(
        store: Store,
        config: ApiConfig,
        auth: Authenticator,
        identity: Identity,
        admin: Option<AdminCredential>,
    ) -> Self {
        AppState {
            inner: Arc::new(Inner {
                store,
                config,
                auth,
                identity,
                admin,
            }),
        }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The API settings.
    pub fn config(&self) -> &ApiConfig {
        &self.inner.config
    }

    /// How requests are authenticated.
    pub fn auth(&self) -> &Authenticator {
        &self.inner.auth
    }

    /// Token issue and verification.
    pub fn identity(&self) -> &Identity {
        &self.inner.identity
    }

    /// The admin API's credential, when one is configured.
    pub fn admin_credential(&self) -> Option<&AdminCredential> {
        self.inner.admin.as_ref()
    }
}
