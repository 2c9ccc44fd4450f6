//! Providers that break the protocol on purpose, written without the SDK (which would not let
//! them), for the conformance kit to catch.
//!
//! * `careless`: checks no signature and answers every call with `{"ok": true}`.
//! * `forgetful`: verifies signatures but reads only the first `v1=` entry (so a rotation header
//!   fails), answers `applied` with a new version on every delivery (not idempotent), and refuses
//!   bodies with members it does not know.
//! * `curt`: built with the SDK, but rejects everything without a reason.

use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use provider_protocol::signing::{self, SigningKey};
use provider_protocol::*;
use provider_sdk::{Provider, Unavailable};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// No signature check; garbage answers.
pub fn careless() -> Router {
    let garbage = || async { Json(json!({"ok": true})) };
    Router::new()
        .route("/alertUpdates", post(garbage))
        .route("/actions", post(garbage))
        .route("/actions/{id}/cancel", post(garbage))
}

struct Forgetful {
    key: SigningKey,
    counter: AtomicU64,
}

/// Signatures half checked, no idempotency, unknown members refused.
pub fn forgetful(secret: &str) -> Router {
    let state = Arc::new(Forgetful {
        key: SigningKey::new(secret).unwrap(),
        counter: AtomicU64::new(0),
    });
    Router::new()
        .route("/alertUpdates", post(forgetful_answer))
        .route("/actions", post(forgetful_answer))
        .route("/actions/{id}/cancel", post(forgetful_answer))
        .with_state(state)
}

const KNOWN: &[&str] = &[
    "protocolVersion",
    "idempotencyKey",
    "tenantId",
    "alertId",
    "providerAlertId",
    "baseVersion",
    "changes",
    "changedBy",
    "changedDateTime",
    "actionId",
    "name",
    "parameters",
    "actionReason",
    "clientContext",
    "requestedBy",
    "createdDateTime",
];

async fn forgetful_answer(
    State(s): State<Arc<Forgetful>>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |n: &str| headers.get(n).and_then(|v| v.to_str().ok());
    let first_entry = header(signing::SIGNATURE_HEADER).and_then(|s| s.split(',').next());
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let target = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let ok = signing::verify(
        &s.key,
        method.as_str(),
        target,
        &body,
        header(signing::TIMESTAMP_HEADER),
        first_entry,
        now,
    );
    if ok.is_err() {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let value: Value = serde_json::from_slice(&body).unwrap_or_default();
    let unknown = value
        .as_object()
        .is_some_and(|o| o.keys().any(|k| !KNOWN.contains(&k.as_str())));
    if unknown {
        return (StatusCode::BAD_REQUEST, "unknown member").into_response();
    }
    let n = s.counter.fetch_add(1, Ordering::SeqCst) + 1;
    Json(CallbackAnswer::applied(Some(ProviderVersion::Sequence(n)))).into_response()
}

/// Rejects everything without saying why.
pub struct Curt;

fn bare_rejection() -> CallbackAnswer {
    CallbackAnswer {
        protocol_version: PROTOCOL_VERSION,
        result: CallbackResult::Rejected,
        reason: None,
        provider_version: None,
    }
}

impl Provider for Curt {
    async fn alert_update(&self, _u: AlertUpdate) -> Result<CallbackAnswer, Unavailable> {
        Ok(bare_rejection())
    }
    async fn invoke_action(&self, _a: ActionInvocation) -> Result<CallbackAnswer, Unavailable> {
        Ok(bare_rejection())
    }
    async fn cancel_action(&self, _c: ActionCancellation) -> Result<CallbackAnswer, Unavailable> {
        Ok(bare_rejection())
    }
}
