//! The HTTP API of secgraph: Graph-compatible routes under `/v1.0` and `/beta`, the Graph error body,
//! extractors whose rejections are Graph errors, paging and `@odata` annotations.
//!
//! [`router`] builds the application; [`service`] wraps it with the path canonicalisation that must run
//! before routing. The binary and the tests serve the same [`service`] (design rule 7).

pub mod body;
pub mod error;
pub mod links;
pub mod paging;
pub mod path;
pub mod principal;
pub mod query;
pub mod request_context;
pub mod response;
pub mod routes;
pub mod state;

pub use principal::{Authenticator, Principal};
pub use state::{ApiConfig, AppState};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware, Extension, Router};
use error::GraphError;
use query::ApiVersion;
use routes::alert_views;
use routes::alerts_v2::{self, AlertsV2};
use routes::fallback;
use routes::legacy_alerts::{self, LegacyAlerts};
use tower::Layer;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;

/// The routes of one Graph version root (`/v1.0` or `/beta`).
fn graph_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/security/alerts_v2",
            get(alert_views::list_alerts::<AlertsV2>).post(alerts_v2::not_allowed),
        )
        .route(
            "/security/alerts_v2/$count",
            get(alert_views::count_alerts::<AlertsV2>),
        )
        .route(
            "/security/alerts_v2/{id}",
            get(alert_views::get_alert::<AlertsV2>)
                .patch(alerts_v2::update_alert)
                .delete(alerts_v2::not_allowed),
        )
        .route(
            "/security/alerts_v2/{id}/comments",
            get(alerts_v2::list_comments).post(alerts_v2::create_comment),
        )
        .route(
            "/security/alerts",
            get(alert_views::list_alerts::<LegacyAlerts>).post(legacy_alerts::not_allowed),
        )
        .route(
            "/security/alerts/$count",
            get(alert_views::count_alerts::<LegacyAlerts>),
        )
        .route(
            "/security/alerts/updateAlerts",
            post(legacy_alerts::update_alerts),
        )
        .route(
            "/security/alerts/{id}",
            get(alert_views::get_alert::<LegacyAlerts>)
                .patch(legacy_alerts::update_alert)
                .delete(legacy_alerts::not_allowed),
        )
}

/// The application router with its state.
pub fn router(state: AppState) -> Router {
    let context = middleware::from_fn_with_state(state.clone(), request_context::request_context);
    Router::new()
        .nest("/v1.0", graph_routes().layer(Extension(ApiVersion::V1)))
        .nest("/beta", graph_routes().layer(Extension(ApiVersion::Beta)))
        .route("/healthz", get(healthz))
        .fallback(fallback::unknown_route)
        .method_not_allowed_fallback(fallback::method_not_allowed)
        .layer(CompressionLayer::new().gzip(true))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(context)
        .with_state(state)
}

/// The service to serve: [`router`] behind path canonicalisation (which must run before routing).
pub fn service(state: AppState) -> tower::util::MapRequest<Router, fn(Request) -> Request> {
    tower::util::MapRequestLayer::new(path::canonicalize as fn(Request) -> Request)
        .layer(router(state))
}

/// `GET /healthz`: 200 once the store answers a read.
async fn healthz(State(state): State<AppState>) -> Response {
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
