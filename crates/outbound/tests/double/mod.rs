//! A provider double on 127.0.0.1:0: it verifies every call's signature with
//! `provider_protocol::signing` over the request target and body it received, records the call,
//! and answers according to the first path segment of its `callbackBaseUrl` (`/ok`, `/fail`, ...),
//! so one server serves every scenario.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use provider_protocol::signing::{verify, SignatureError, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use provider_protocol::{FederatedRequest, SigningKey};
use serde_json::json;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The clock both sides use.
pub const NOW: i64 = 1_740_823_500;
/// The secret the provider knows.
pub const CURRENT: &str = "sgps_current_secret_0123456789abcdef";
/// An older secret, still sent during a rotation; the provider does not know it.
pub const OLD: &str = "sgps_old_secret_____0123456789abcdef";

/// One call the double received.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub target: String,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub verified: Result<(), SignatureError>,
}

/// The running double.
pub struct Double {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Double {
    /// Starts a double on a fresh loopback port.
    pub async fn start() -> Double {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let router = Router::new().fallback(answer).with_state(seen.clone());
        let addr = super::server::serve(router).await;
        Double { addr, seen }
    }

    /// The `callbackBaseUrl` for a scenario.
    pub fn base(&self, scenario: &str) -> String {
        format!("http://{}/{scenario}", self.addr)
    }

    /// The calls received so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

pub fn key(secret: &str) -> SigningKey {
    SigningKey::new(secret).unwrap()
}

async fn answer(
    State(seen): State<Arc<Mutex<Vec<Seen>>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let target = uri.path_and_query().unwrap().as_str().to_string();
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let verified = verify(
        &key(CURRENT),
        method.as_str(),
        &target,
        &body,
        text(TIMESTAMP_HEADER),
        text(SIGNATURE_HEADER),
        NOW,
    );
    seen.lock().unwrap().push(Seen {
        method: method.to_string(),
        target,
        headers: headers.clone(),
        body,
        verified: verified.clone(),
    });
    if let Err(e) = verified {
        return (StatusCode::UNAUTHORIZED, e.to_string()).into_response();
    }
    let scenario = uri.path().split('/').nth(1).unwrap_or_default().to_string();
    scenario_answer(&scenario, &uri).await
}

async fn scenario_answer(scenario: &str, uri: &Uri) -> Response {
    let json_ok = |v: serde_json::Value| (StatusCode::OK, axum::Json(v)).into_response();
    match scenario {
        "ok" => json_ok(json!({"protocolVersion": 1, "result": "applied", "providerVersion": 4})),
        "rejected" => json_ok(
            json!({"protocolVersion": 1, "result": "rejected", "reason": "the alert is closed"}),
        ),
        "noreason" => json_ok(json!({"protocolVersion": 1, "result": "rejected"})),
        "fail" => (StatusCode::INTERNAL_SERVER_ERROR, "database exploded").into_response(),
        "garbage" => (StatusCode::OK, "<html>oops</html>").into_response(),
        "throttled" => {
            (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "7")]).into_response()
        }
        "unavailable" => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "Sat, 01 Mar 2025 10:10:00 GMT")],
        )
            .into_response(),
        "nothing" => StatusCode::NOT_FOUND.into_response(),
        "slow" => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            StatusCode::OK.into_response()
        }
        "pull" => json_ok(pull_echo(uri)),
        "federated" => json_ok(federated_echo(uri)),
        other => (StatusCode::NOT_FOUND, format!("no scenario {other}")).into_response(),
    }
}

/// A page whose `nextCursor` echoes the decoded tenant and cursor it was asked with.
fn pull_echo(uri: &Uri) -> serde_json::Value {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(uri.query().unwrap().as_bytes())
        .into_owned()
        .collect();
    let echo = serde_json::to_string(&pairs).unwrap();
    json!({"protocolVersion": 1, "alerts": [], "nextCursor": echo, "hasMore": false})
}

/// An answer with one alert whose id is the tenant and whose title is the decoded `$filter`.
fn federated_echo(uri: &Uri) -> serde_json::Value {
    let req = FederatedRequest::from_query_string(uri.query().unwrap()).unwrap();
    let filter = url::form_urlencoded::parse(req.odata_query.as_bytes())
        .find(|(k, _)| k == "$filter")
        .map(|(_, v)| v.into_owned());
    json!({"protocolVersion": 1, "value": [{
        "id": req.tenant_id.as_str(), "title": filter, "severity": "high", "status": "newAlert",
        "createdDateTime": "2025-03-01T09:00:00Z"}]})
}
