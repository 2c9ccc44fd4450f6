//! The HTTP API of secgraph: Graph-compatible routes under `/v1.0` and `/beta`, the Graph error body,
//! extractors whose rejections are Graph errors, paging and `@odata` annotations.
//!
//! [`router`] builds the application; [`service`] wraps it with the path canonicalisation that must run
//! before routing. The binary and the tests serve the same [`service`] (design rule 7).

pub mod admin;
pub mod audit;
pub mod authorize;
pub mod batch;
pub mod body;
pub mod entity_set;
pub mod error;
pub mod faults;
pub mod identity;
pub mod links;
pub mod metadata;
pub mod metrics;
pub mod paging;
pub mod path;
pub mod principal;
pub mod provider;
pub mod query;
pub mod readiness;
pub mod request_context;
pub mod response;
pub mod routes;
pub mod state;
pub mod throttle;

pub use identity::Identity;
pub use principal::{Authenticator, Principal};
pub use state::{ApiConfig, AppState};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{middleware, Extension, Router};
use error::GraphError;
use query::ApiVersion;
use routes::fallback;
use tower::Layer;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;

/// The application router with its state.
pub fn router(state: AppState) -> Router {
    let context = middleware::from_fn_with_state(state.clone(), request_context::request_context);
    let v1 = routes::table::graph_router(&state, ApiVersion::V1).merge(version_root());
    let beta = routes::table::graph_router(&state, ApiVersion::Beta).merge(version_root());
    Router::new()
        .nest(
            "/v1.0",
            v1.layer(Extension(ApiVersion::V1))
                .layer(middleware::from_fn(query::echo_preferences)),
        )
        .nest(
            "/beta",
            beta.layer(Extension(ApiVersion::Beta))
                .layer(middleware::from_fn(query::echo_preferences)),
        )
        .merge(identity::routes())
        .nest("/secgraph/admin/v1", admin::routes(&state))
        .route(
            routes::ti_export::PATH,
            get(routes::ti_export::export_indicators),
        )
        .route(
            routes::events::PATH,
            authorize::guarded(
                &state,
                &routes::events::EVENTS,
                axum::routing::post(routes::events::submit_events),
            ),
        )
        .route(
            routes::connector_events::PATH,
            authorize::guarded(
                &state,
                &routes::connector_events::CONNECTOR_EVENTS,
                axum::routing::post(routes::connector_events::submit_connector_events),
            ),
        )
        .route(
            routes::subscriptions::REPLAY_PATH,
            authorize::guarded(
                &state,
                &routes::table::SUBSCRIPTIONS,
                axum::routing::post(routes::subscriptions::replay_subscription),
            ),
        )
        .route(
            provider::action_status::PATH,
            authorize::guarded(
                &state,
                &provider::PROVIDER,
                axum::routing::post(provider::action_status::report_action_status),
            ),
        )
        .route(
            provider::control_states::PATH,
            authorize::guarded(
                &state,
                &provider::PROVIDER,
                axum::routing::post(provider::control_states::report_control_states),
            ),
        )
        .route(
            provider::push::PATH,
            authorize::guarded(
                &state,
                &provider::PROVIDER,
                axum::routing::post(provider::push::push_alerts),
            ),
        )
        .merge(audit_log_routes(&state))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readiness::get_readyz))
        .merge(metrics_route(&state))
        .route_layer(middleware::from_fn(metrics::mark_route))
        .fallback(fallback::unknown_route)
        .method_not_allowed_fallback(fallback::method_not_allowed)
        .layer(CompressionLayer::new().gzip(true))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            audit::record_writes,
        ))
        .layer(context)
        .with_state(state)
}

/// What each version root serves besides the permission table's routes: `$batch` (its inner
/// requests are authorized one by one, see [`batch`]), `$metadata` and the service document
/// (both open, as in Graph, see [`metadata`]).
fn version_root() -> Router<AppState> {
    Router::new()
        .route("/$batch", axum::routing::post(batch::post_batch))
        .route("/$metadata", get(metadata::get_metadata))
        .route("/", get(metadata::get_service_document))
}

/// `GET /secgraph/v1/auditLogs[/$count|/{id}]` ([`audit::routes`]), behind `AuditLog.Read.All`.
fn audit_log_routes(state: &AppState) -> Router<AppState> {
    use audit::routes as r;
    let guarded = |route| authorize::guarded(state, &r::AUDIT_LOG_READ, route);
    Router::new()
        .route(r::PATH, guarded(get(r::list_audit_logs)))
        .route(r::COUNT_PATH, guarded(get(r::count_audit_logs)))
        .route(r::ENTITY_PATH, guarded(get(r::get_audit_log)))
}

/// The service `main` and the tests serve: the router behind path canonicalisation.
pub type AppService = tower::util::MapRequest<Router, fn(Request) -> Request>;

/// The service to serve: [`router`] behind path canonicalisation (which must run before routing).
/// Each request carries a [`batch::Dispatcher`] into the same application (without the
/// dispatcher), through which `$batch` sends its inner requests.
pub fn service(state: AppState) -> AppService {
    let canonical = tower::util::MapRequestLayer::new(path::canonicalize as fn(Request) -> Request);
    let app = router(state);
    let inner = canonical.layer(app.clone());
    canonical.layer(app.layer(Extension(batch::Dispatcher::new(inner))))
}

/// `GET /metrics` on the API's listener, unless the configuration serves it elsewhere or not at all.
fn metrics_route(state: &AppState) -> Router<AppState> {
    match state.config().metrics_route {
        true => Router::new().route(metrics::PATH, get(metrics::get_metrics)),
        false => Router::new(),
    }
}

/// `GET /healthz` (liveness): 200 once the store answers a read.
pub(crate) async fn healthz(State(state): State<AppState>) -> Response {
    match state.store().health().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => GraphError::new(
            error::ErrorCode::ServiceNotAvailable,
            "The store is not available.",
        )
        .with_log(e)
        .into_response(),
    }
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    GraphError::internal("handler panicked").into_response()
}
