//! The firewall's own admin surface, unsigned and outside the provider endpoints:
//! `GET /blocklist` lists the blocked addresses; `POST /observe` simulates traffic
//! (`{"sourceAddress": "...", "destinationAddress": "..."}`) and pushes an alert to secgraph for
//! each blocked address among them. Bind it to loopback: it is not authenticated.

use crate::firewall::{Firewall, ObserveError};
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

/// The admin routes.
pub fn router(firewall: Arc<Firewall>) -> Router {
    Router::new()
        .route("/blocklist", get(blocklist))
        .route("/observe", post(observe))
        .with_state(firewall)
}

/// `GET /blocklist`: the blocked addresses as a JSON array, sorted.
async fn blocklist(State(firewall): State<Arc<Firewall>>) -> Json<Vec<String>> {
    Json(firewall.blocked().await)
}

/// Simulated traffic.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Traffic {
    source_address: String,
    destination_address: String,
}

/// `POST /observe`: `200 {"matched": [...], "results": [...]}` with secgraph's result per alert
/// pushed; `400` for a body or address that is not one, `502` when secgraph refused the push or
/// could not be reached, `500` when the alerts could not be written.
async fn observe(
    State(firewall): State<Arc<Firewall>>,
    body: Result<Json<Traffic>, JsonRejection>,
) -> Response {
    let traffic = match body {
        Ok(Json(t)) => t,
        Err(e) => return error(StatusCode::BAD_REQUEST, e.body_text()),
    };
    match firewall
        .observe(&traffic.source_address, &traffic.destination_address)
        .await
    {
        Ok(observation) => Json(observation).into_response(),
        Err(e) => {
            let status = match &e {
                ObserveError::BadAddress(_) => StatusCode::BAD_REQUEST,
                ObserveError::Storage(_) => StatusCode::INTERNAL_SERVER_ERROR,
                ObserveError::Push(_) => StatusCode::BAD_GATEWAY,
            };
            tracing::warn!(error = %e, "observe failed");
            error(status, e.to_string())
        }
    }
}

fn error(status: StatusCode, message: String) -> Response {
    (status, Json(json!({"error": message}))).into_response()
}
