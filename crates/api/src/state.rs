//! The application state every handler receives, and the API's own settings.

use crate::admin::AdminCredential;
use crate::identity::Identity;
use crate::principal::Authenticator;
use std::sync::Arc;
use store::{IndicatorIndex, Store};

/// Limits and addresses of the HTTP API. Built by the binary from its configuration.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Public base URL (scheme, host, port, optional path prefix, no trailing slash) used in
    /// `@odata.context` and absolute `@odata.nextLink`s; set it when serving behind a reverse proxy.
    pub public_url: String,
    /// Largest request body accepted (bytes); larger bodies get 413.
    pub max_body_bytes: usize,
    /// Most items one tiIndicator bulk action may carry.
    pub indicator_batch_limit: usize,
    /// Keep submitted events for back-matching indicators added later.
    pub keep_events: bool,
    /// What `block` indicators may not touch without `criticalInfrastructureOverride`.
    pub critical: Arc<model::indicator::critical::CriticalInfrastructure>,
    /// Which `notificationUrl`s subscriptions may use.
    pub webhooks: outbound::WebhookPolicy,
    /// Serve `GET /metrics` on the API's own listener (default); off when metrics are turned off
    /// or served on a listener of their own ([`crate::metrics::router`]).
    pub metrics_route: bool,
    /// The request throttle (`None`: unthrottled, the default of [`ApiConfig::new`]; the binary
    /// installs Graph's limits unless `--no-throttle`).
    pub throttle: Option<Arc<crate::throttle::Throttle>>,
}

impl ApiConfig {
    /// Default limits for a server reachable at `public_url`.
    pub fn new(public_url: impl Into<String>) -> Self {
        ApiConfig {
            public_url: public_url.into().trim_end_matches('/').to_owned(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            indicator_batch_limit: DEFAULT_INDICATOR_BATCH_LIMIT,
            keep_events: true,
            critical: Arc::default(),
            webhooks: outbound::WebhookPolicy::default(),
            metrics_route: true,
            throttle: None,
        }
    }
}

/// Default request body limit: 32 MiB (a bulk call of 10,000 full tiIndicators fits).
pub const DEFAULT_MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// Default most items per tiIndicator bulk action: far above Graph's 100, so feeds load in few calls.
pub const DEFAULT_INDICATOR_BATCH_LIMIT: usize = 10_000;

/// Microsoft Graph's own limit per tiIndicator bulk action (enforced under `strict_graph`).
pub const GRAPH_INDICATOR_BATCH_LIMIT: usize = 100;

/// Shared state: cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    indicators: IndicatorIndex,
    config: ApiConfig,
    auth: Authenticator,
    identity: Identity,
    admin: Option<AdminCredential>,
    metrics: crate::metrics::ApiMetrics,
    readiness: crate::readiness::Readiness,
    /// Made on first use (federated queries); the error, if it could not be made, is kept.
    outbound: std::sync::OnceLock<Result<outbound::OutboundClient, String>>,
}

impl AppState {
    /// State over an open store and its running indicator index
    /// ([`IndicatorIndex::start`]). `identity` issues and verifies tokens (see [`Identity::load`]);
    /// `admin` is the credential of the admin API (without one, the admin API answers 401 to all).
    pub fn new(
        store: Store,
        indicators: IndicatorIndex,
        config: ApiConfig,
        auth: Authenticator,
        identity: Identity,
        admin: Option<AdminCredential>,
    ) -> Self {
        AppState {
            inner: Arc::new(Inner {
                metrics: crate::metrics::ApiMetrics::new(&store),
                readiness: crate::readiness::Readiness::default(),
                store,
                indicators,
                config,
                auth,
                identity,
                admin,
                outbound: std::sync::OnceLock::new(),
            }),
        }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// This node's live threat-indicator index.
    pub fn indicators(&self) -> &IndicatorIndex {
        &self.inner.indicators
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

    /// The client for calls out of the process (federated provider queries).
    pub fn outbound(&self) -> Result<&outbound::OutboundClient, crate::error::GraphError> {
        self.inner
            .outbound
            .get_or_init(|| {
                outbound::OutboundClient::new(outbound::Limits::default())
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(crate::error::GraphError::internal)
    }

    /// This server's metrics registry.
    pub fn metrics(&self) -> &crate::metrics::ApiMetrics {
        &self.inner.metrics
    }

    /// This server's readiness (`/readyz`): register components, mark draining.
    pub fn readiness(&self) -> &crate::readiness::Readiness {
        &self.inner.readiness
    }

    /// The admin API's credential, when one is configured.
    pub fn admin_credential(&self) -> Option<&AdminCredential> {
        self.inner.admin.as_ref()
    }
}
