//! A stand-in for secgraph on loopback: the token endpoint, the push endpoint (which stores
//! versions and answers created/updated/unchanged/stale as secgraph would, and refuses alerts
//! that do not fit the alert schema) and the action status endpoint, recording what arrives.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use model::{TenantId, VendorInformation};
use parking_lot::Mutex;
use provider_protocol::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// What arrived.
#[derive(Default)]
pub struct Seen {
    pub batches: Vec<AlertBatch>,
    pub statuses: Vec<(String, ActionStatusUpdate)>,
    versions: HashMap<String, ProviderVersion>,
}

pub type Shared = Arc<Mutex<Seen>>;

/// Serves the stand-in; returns what it records and its base URL.
pub async fn start() -> (Shared, String) {
    let seen: Shared = Arc::default();
    let app = Router::new()
        .route("/{tenant}/oauth2/v2.0/token", post(token))
        .route(endpoint::PUSH_ALERTS_PATH, post(push))
        .route("/secgraph/v1/provider/actions/{id}/status", post(status))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (seen, base)
}

async fn token() -> Json<Value> {
    Json(json!({"token_type": "Bearer", "expires_in": 3599, "access_token": "stand-in-token"}))
}

fn authorized(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some("Bearer stand-in-token")
}

async fn push(
    State(seen): State<Shared>,
    headers: HeaderMap,
    Json(batch): Json<AlertBatch>,
) -> Response {
    if !authorized(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    if let Err(e) = batch.validate() {
        return (StatusCode::BAD_REQUEST, e.to_string()).into_response();
    }
    let tenant = TenantId(super::TENANT.into());
    let vendor = VendorInformation {
        provider: Some("Example Firewall".into()),
        ..Default::default()
    };
    let mut seen = seen.lock();
    let mut results = Vec::new();
    for item in &batch.alerts {
        let id = item.provider_alert_id.clone();
        if let Err(e) = item.clone().into_stored(&tenant, &vendor) {
            results.push(AlertResult::rejected(id, e));
            continue;
        }
        let stored = seen.versions.get(&id).copied();
        let decision = push::order(stored.as_ref(), &item.version);
        if decision.writes() {
            seen.versions.insert(id.clone(), item.version);
        }
        let alert_id = push::pushed_alert_id(&tenant, "Example Firewall", &id);
        results.push(AlertResult::decided(
            id,
            alert_id,
            decision,
            stored,
            &item.version,
        ));
    }
    seen.batches.push(batch);
    Json(PushResponse {
        protocol_version: PROTOCOL_VERSION,
        results,
    })
    .into_response()
}

async fn status(
    State(seen): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(update): Json<ActionStatusUpdate>,
) -> StatusCode {
    if !authorized(&headers) {
        return StatusCode::UNAUTHORIZED;
    }
    seen.lock().statuses.push((id, update));
    StatusCode::NO_CONTENT
}
