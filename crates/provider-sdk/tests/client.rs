//! `SecgraphClient` against a stand-in for secgraph's token and provider endpoints on loopback:
//! the token is fetched once and renewed before expiry or after a 401, envelopes are validated
//! before sending, and refusals carry the server's own message.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Json, Router};
use parking_lot::Mutex;
use provider_protocol::*;
use provider_sdk::{ClientError, SecgraphClient};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use support::serve;

const TENANT: &str = "8c1e3c1a-0d4e-4a8e-9a52-3a5c1f2b7d10";
const CLIENT: &str = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
const SECRET: &str = "client-secret-text";

/// What the stand-in has seen, and the tokens it honours.
#[derive(Default)]
struct Seen {
    token_forms: Vec<HashMap<String, String>>,
    live: HashSet<String>,
    expires_in: u64,
    batches: Vec<Value>,
    statuses: Vec<(String, Value)>,
    controls: Vec<Value>,
}

type Shared = Arc<Mutex<Seen>>;

fn graph_error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({"error": {"code": code, "message": message,
        "innerError": {"date": "2025-03-01T10:00:00", "request-id": "r", "client-request-id": "c"}}})))
        .into_response()
}

async fn token(
    State(s): State<Shared>,
    Path(tenant): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut seen = s.lock();
    seen.token_forms.push(form.clone());
    if tenant != TENANT || form.get("client_secret").map(String::as_str) != Some(SECRET) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "invalid_client",
            "error_description": "AADSTS7000215: Invalid client secret provided."})),
        )
            .into_response();
    }
    let token = format!("tok-{}", seen.token_forms.len());
    seen.live.insert(token.clone());
    Json(json!({"token_type": "Bearer", "expires_in": seen.expires_in, "access_token": token}))
        .into_response()
}

fn authorized(s: &Shared, headers: &HeaderMap) -> bool {
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    bearer.is_some_and(|t| s.lock().live.contains(t))
}

async fn push(State(s): State<Shared>, headers: HeaderMap, Json(batch): Json<Value>) -> Response {
    if !authorized(&s, &headers) {
        return graph_error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            "Access token validation failure.",
        );
    }
    if batch["alerts"][0]["alert"]["title"] == "refuse me" {
        return graph_error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "alerts[0].alert: createdDateTime is required",
        );
    }
    let results: Vec<Value> = batch["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            json!({
        "providerAlertId": a["providerAlertId"], "outcome": "created",
        "alertId": "5b0f9c52-6f7e-5d7c-9a55-0c3f7e1d2a10"})
        })
        .collect();
    s.lock().batches.push(batch);
    Json(json!({"protocolVersion": 1, "results": results})).into_response()
}

async fn status(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    if !authorized(&s, &headers) {
        return graph_error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            "expired",
        );
    }
    s.lock().statuses.push((id, body));
    StatusCode::NO_CONTENT.into_response()
}

async fn controls(
    State(s): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if !authorized(&s, &headers) {
        return graph_error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            "expired",
        );
    }
    s.lock().controls.push(body);
    StatusCode::NO_CONTENT.into_response()
}

async fn stand_in(expires_in: u64) -> (Shared, String) {
    let shared: Shared = Arc::new(Mutex::new(Seen {
        expires_in,
        ..Seen::default()
    }));
    let app = Router::new()
        .route("/{tenant}/oauth2/v2.0/token", post(token))
        .route(endpoint::PUSH_ALERTS_PATH, post(push))
        .route("/secgraph/v1/provider/actions/{id}/status", post(status))
        .route(endpoint::CONTROL_STATES_PATH, post(controls))
        .with_state(shared.clone());
    (shared, serve(app).await)
}

fn batch(title: &str) -> AlertBatch {
    serde_json::from_value(
        json!({"protocolVersion": 1, "alerts": [{"providerAlertId": "fw-1", "version": 1,
        "alert": {"title": title, "createdDateTime": "2025-03-01T10:00:00Z"}}]}),
    )
    .unwrap()
}

#[tokio::test]
async fn pushes_share_one_token_fetched_with_client_credentials() {
    let (seen, base) = stand_in(3599).await;
    let client = SecgraphClient::new(&format!("{base}/"), TENANT, CLIENT, SECRET).unwrap();
    let answer = client.push_alerts(&batch("Port scan")).await.unwrap();
    assert_eq!(answer.results[0].outcome, AlertOutcome::Created);
    client.push_alerts(&batch("Port scan")).await.unwrap();
    let seen = seen.lock();
    assert_eq!(seen.batches.len(), 2);
    assert_eq!(seen.token_forms.len(), 1, "the token is reused");
    let form = &seen.token_forms[0];
    assert_eq!(form["grant_type"], "client_credentials");
    assert_eq!(form["client_id"], CLIENT);
    assert_eq!(form["scope"], "https://graph.microsoft.com/.default");
}

#[tokio::test]
async fn the_token_is_renewed_before_it_expires_and_after_a_401() {
    let (seen, base) = stand_in(1).await;
    let client = SecgraphClient::new(&base, TENANT, CLIENT, SECRET).unwrap();
    client.push_alerts(&batch("a")).await.unwrap();
    seen.lock().expires_in = 3599;
    tokio::time::sleep(std::time::Duration::from_millis(900)).await;
    client.push_alerts(&batch("b")).await.unwrap();
    assert_eq!(
        seen.lock().token_forms.len(),
        2,
        "renewed with a fifth of its lifetime left"
    );
    client.push_alerts(&batch("c")).await.unwrap();
    assert_eq!(seen.lock().token_forms.len(), 2, "the new token lasts");
    seen.lock().live.clear();
    client.push_alerts(&batch("d")).await.unwrap();
    assert_eq!(
        seen.lock().token_forms.len(),
        3,
        "a 401 fetches a new token once"
    );
    assert_eq!(seen.lock().batches.len(), 4);
}

#[tokio::test]
async fn refusals_carry_the_servers_message() {
    let (_, base) = stand_in(3599).await;
    let wrong = SecgraphClient::new(&base, TENANT, CLIENT, "not-the-secret").unwrap();
    let e = wrong.push_alerts(&batch("a")).await.unwrap_err();
    assert!(matches!(e, ClientError::Token { status: 401, .. }), "{e}");
    assert!(
        e.to_string()
            .contains("AADSTS7000215: Invalid client secret provided."),
        "{e}"
    );
    let client = SecgraphClient::new(&base, TENANT, CLIENT, SECRET).unwrap();
    let e = client.push_alerts(&batch("refuse me")).await.unwrap_err();
    assert_eq!(e.status(), Some(400));
    assert_eq!(
        e.to_string(),
        "secgraph answered 400 BadRequest: alerts[0].alert: createdDateTime is required"
    );
}

#[tokio::test]
async fn an_invalid_envelope_is_not_sent() {
    let (seen, base) = stand_in(3599).await;
    let client = SecgraphClient::new(&base, TENANT, CLIENT, SECRET).unwrap();
    let empty = AlertBatch {
        protocol_version: 1,
        alerts: vec![],
    };
    let e = client.push_alerts(&empty).await.unwrap_err();
    assert!(e.to_string().contains("alerts: is empty"), "{e}");
    let failed = ActionStatusUpdate {
        protocol_version: 1,
        status: ActionStatus::Failed,
        error_info: None,
        updated_date_time: None,
    };
    let e = client
        .report_action_status("act-1", &failed)
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            ClientError::Invalid {
                what: "action status update",
                ..
            }
        ),
        "{e}"
    );
    assert!(
        seen.lock().token_forms.is_empty(),
        "nothing reached the server"
    );
}

#[tokio::test]
async fn action_status_and_control_states_reach_their_endpoints() {
    let (seen, base) = stand_in(3599).await;
    let client = SecgraphClient::new(&base, TENANT, CLIENT, SECRET).unwrap();
    let done = ActionStatusUpdate {
        protocol_version: 1,
        status: ActionStatus::Completed,
        error_info: None,
        updated_date_time: None,
    };
    client.report_action_status("act 1/2", &done).await.unwrap();
    let report: ControlStateReport =
        serde_json::from_value(json!({"protocolVersion": 1, "controls": [
        {"controlName": "MFARegistrationV2", "state": "Default", "score": 6.5, "maxScore": 10,
         "updatedDateTime": "2025-03-01T00:00:00Z"}]}))
        .unwrap();
    client.report_control_states(&report).await.unwrap();
    let seen = seen.lock();
    assert_eq!(seen.statuses.len(), 1);
    assert_eq!(
        seen.statuses[0].0, "act 1/2",
        "the id travels as one encoded segment"
    );
    assert_eq!(seen.statuses[0].1["status"], "Completed");
    assert_eq!(
        seen.controls[0]["controls"][0]["controlName"],
        "MFARegistrationV2"
    );
}

#[tokio::test]
async fn a_bad_base_url_is_refused() {
    assert!(matches!(
        SecgraphClient::new("ftp://x", TENANT, CLIENT, SECRET),
        Err(ClientError::BadUrl(_))
    ));
    assert!(matches!(
        SecgraphClient::new("not a url", TENANT, CLIENT, SECRET),
        Err(ClientError::BadUrl(_))
    ));
}
