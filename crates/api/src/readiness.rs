//! `GET /readyz`: whether this node should be sent traffic. `/healthz` is liveness (the process is
//! up and its store answers); readiness also needs the schema migrated to this build's version,
//! the indicator index loaded, every registered component running (the binary registers its
//! background workers) and the node not draining for shutdown. Not ready is a 503 Graph error
//! whose `innerError.notReady` lists what is missing.

use crate::error::{ErrorCode, GraphError};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use parking_lot::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A component's liveness check.
type Check = Arc<dyn Fn() -> bool + Send + Sync>;

/// The readiness of one server (cheap to clone; clones share it).
#[derive(Clone, Default)]
pub struct Readiness {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    components: Mutex<Vec<(&'static str, Check)>>,
    draining: AtomicBool,
}

impl std::fmt::Debug for Readiness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Readiness")
            .field("components", &self.inner.components.lock().len())
            .field("draining", &self.is_draining())
            .finish()
    }
}

impl Readiness {
    /// Makes readiness depend on `check` (true while the component `name` runs).
    pub fn require(&self, name: &'static str, check: impl Fn() -> bool + Send + Sync + 'static) {
        self.inner.components.lock().push((name, Arc::new(check)));
    }

    /// Marks the node as draining (shutting down): not ready from now on.
    pub fn drain(&self) {
        self.inner.draining.store(true, Ordering::Release);
    }

    /// Whether [`Readiness::drain`] was called.
    pub fn is_draining(&self) -> bool {
        self.inner.draining.load(Ordering::Acquire)
    }

    /// The registered components that are not running.
    fn stopped_components(&self) -> Vec<&'static str> {
        let components = self.inner.components.lock().clone();
        components
            .into_iter()
            .filter(|(_, check)| !check())
            .map(|(name, _)| name)
            .collect()
    }
}

/// What keeps `state`'s node from being ready (empty: ready).
pub async fn not_ready(state: &AppState) -> Vec<String> {
    let mut missing = Vec::new();
    match state.store().schema_current().await {
        Ok(true) => {}
        Ok(false) => missing.push("migrations".to_owned()),
        Err(e) => {
            tracing::warn!(error = %e, "readiness: the schema version could not be read");
            missing.push("store".to_owned());
        }
    }
    if !state.indicators().is_loaded() {
        missing.push("indicator_index".to_owned());
    }
    let readiness = state.readiness();
    missing.extend(
        readiness
            .stopped_components()
            .into_iter()
            .map(str::to_owned),
    );
    if readiness.is_draining() {
        missing.push("draining".to_owned());
    }
    missing
}

/// `GET /readyz`: 200 `ready` when ready, else 503 naming what is not.
pub async fn get_readyz(State(state): State<AppState>) -> Response {
    let missing = not_ready(&state).await;
    if missing.is_empty() {
        return (StatusCode::OK, "ready").into_response();
    }
    GraphError::new(
        ErrorCode::ServiceNotAvailable,
        format!("This node is not ready: {}.", missing.join(", ")),
    )
    .with_inner_detail("notReady", serde_json::json!(missing))
    .into_response()
}
