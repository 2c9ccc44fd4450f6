//! The provider router over a real socket: signature refusals with problem documents, envelope
//! validation, the idempotency cache, nesting under a base path, secret rotation, defaults.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::Router;
use provider_protocol::signing::{self, SigningKey};
use provider_protocol::{
    ActionCancellation, ActionInvocation, AlertUpdate, CallbackAnswer, ProviderVersion,
};
use provider_sdk::{router, Provider, Unavailable};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use support::{serve, SECRET};

const OTHER_SECRET: &str = "sgps_0000000000000000000000000000000000000000";

/// Counts its calls and answers with the count, so a second call shows; with `.1` set, the first
/// call fails as unavailable.
#[derive(Default)]
struct Counter(AtomicU64, bool);

impl Counter {
    fn next(&self) -> Result<CallbackAnswer, Unavailable> {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        if n == 1 && self.1 {
            let retry_after = Some(std::time::Duration::from_secs(7));
            return Err(Unavailable {
                message: "the console is down".into(),
                retry_after,
            });
        }
        Ok(CallbackAnswer::applied(Some(ProviderVersion::Sequence(n))))
    }
}

impl Provider for Counter {
    async fn alert_update(&self, _u: AlertUpdate) -> Result<CallbackAnswer, Unavailable> {
        self.next()
    }
    async fn invoke_action(&self, _a: ActionInvocation) -> Result<CallbackAnswer, Unavailable> {
        self.next()
    }
    async fn cancel_action(&self, _c: ActionCancellation) -> Result<CallbackAnswer, Unavailable> {
        self.next()
    }
}

fn update(key: &str) -> Value {
    json!({"protocolVersion": 1, "idempotencyKey": key, "tenantId": "t1", "alertId": "a1",
           "providerAlertId": "fw-1", "changes": {"status": "resolved"},
           "changedDateTime": "2025-03-01T10:05:00Z"})
}

/// POSTs `body` to `base` + `path`, signed with `secret` for `signed_path` at `age` seconds ago.
async fn post(
    base: &str,
    path: &str,
    signed_path: &str,
    body: &Value,
    secret: Option<&str>,
    age: i64,
) -> (u16, Value, String) {
    let bytes = serde_json::to_vec(body).unwrap();
    let mut req = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .body(bytes.clone());
    if let Some(secret) = secret {
        let now = time::OffsetDateTime::now_utc().unix_timestamp() - age;
        let h = signing::sign(
            &SigningKey::new(secret).unwrap(),
            "POST",
            signed_path,
            now,
            &bytes,
        );
        req = req
            .header(signing::TIMESTAMP_HEADER, h.timestamp)
            .header(signing::SIGNATURE_HEADER, h.signature);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let ctype = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, resp.json().await.unwrap_or(Value::Null), ctype)
}

async fn counter_server() -> (Arc<Counter>, String) {
    let c = Arc::new(Counter::default());
    (
        c.clone(),
        serve(router(c, vec![SECRET.into()]).unwrap()).await,
    )
}

#[tokio::test]
async fn unsigned_wrong_and_stale_calls_are_refused_with_a_problem_and_never_reach_the_provider() {
    let (counter, base) = counter_server().await;
    let body = update("0195a3c4-7b1e-7f00-8a2b-5c6d7e8f9a0b");
    let cases = [
        (None, 0, "X-Secgraph-Timestamp header is missing"),
        (Some(OTHER_SECRET), 0, "the signature does not match"),
        (Some(SECRET), 301, "301 s old"),
        (Some(SECRET), -400, "ahead of this clock"),
    ];
    for (secret, age, needle) in cases {
        let (status, problem, ctype) =
            post(&base, "/alertUpdates", "/alertUpdates", &body, secret, age).await;
        assert_eq!(status, 401, "{problem}");
        assert_eq!(ctype, "application/problem+json");
        assert_eq!(problem["status"], 401);
        assert!(
            problem["detail"].as_str().unwrap().contains(needle),
            "{problem}"
        );
    }
    let (status, _, _) = post(
        &base,
        "/alertUpdates",
        "/alertUpdates",
        &body,
        Some(SECRET),
        295,
    )
    .await;
    assert_eq!(status, 200, "a call within the 300 s window is accepted");
    assert_eq!(counter.0.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_body_signed_for_another_path_or_altered_is_refused() {
    let (_, base) = counter_server().await;
    let body = update("0195a3c4-7b1e-7f00-8a2b-5c6d7e8f9a0b");
    let (status, _, _) = post(&base, "/alertUpdates", "/actions", &body, Some(SECRET), 0).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn an_invalid_envelope_is_answered_400_listing_every_problem() {
    let (counter, base) = counter_server().await;
    let mut body = update("0195a3c4-7b1e-7f00-8a2b-5c6d7e8f9a0b");
    body["protocolVersion"] = json!(2);
    body["changes"] = json!({});
    let (status, problem, ctype) = post(
        &base,
        "/alertUpdates",
        "/alertUpdates",
        &body,
        Some(SECRET),
        0,
    )
    .await;
    assert_eq!((status, ctype.as_str()), (400, "application/problem+json"));
    let paths: Vec<&str> = problem["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["protocolVersion", "changes"], "{problem}");
    let (status, problem, _) = post(
        &base,
        "/alertUpdates",
        "/alertUpdates",
        &json!({"x": 1}),
        Some(SECRET),
        0,
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("missing field"),
        "{problem}"
    );
    assert_eq!(counter.0.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_repeated_key_or_action_id_gets_the_first_answer_without_a_second_call() {
    let (counter, base) = counter_server().await;
    let first = post(
        &base,
        "/alertUpdates",
        "/alertUpdates",
        &update("0195a3c4-7b1e-7f00-8a2b-000000000001"),
        Some(SECRET),
        0,
    )
    .await;
    let again = post(
        &base,
        "/alertUpdates",
        "/alertUpdates",
        &update("0195a3c4-7b1e-7f00-8a2b-000000000001"),
        Some(SECRET),
        0,
    )
    .await;
    assert_eq!(first.1, again.1);
    assert_eq!(first.1["providerVersion"], 1);
    let action = json!({"protocolVersion": 1, "actionId": "act-1", "tenantId": "t1", "name": "blockIp",
        "parameters": [{"name": "ip", "value": "192.0.2.1"}], "createdDateTime": "2025-03-01T10:06:00Z"});
    let a1 = post(&base, "/actions", "/actions", &action, Some(SECRET), 0).await;
    let a2 = post(&base, "/actions", "/actions", &action, Some(SECRET), 0).await;
    assert_eq!(
        (
            a1.1["providerVersion"].clone(),
            a2.1["providerVersion"].clone()
        ),
        (json!(2), json!(2))
    );
    let cancel = json!({"protocolVersion": 1, "actionId": "act-1", "tenantId": "t1"});
    let c = post(
        &base,
        "/actions/act-1/cancel",
        "/actions/act-1/cancel",
        &cancel,
        Some(SECRET),
        0,
    )
    .await;
    assert_eq!(
        c.1["providerVersion"], 3,
        "a cancellation is its own request"
    );
    assert_eq!(counter.0.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_cancellation_must_name_the_action_of_its_path() {
    let (counter, base) = counter_server().await;
    let cancel = json!({"protocolVersion": 1, "actionId": "act-2", "tenantId": "t1"});
    let (status, problem, _) = post(
        &base,
        "/actions/act-1/cancel",
        "/actions/act-1/cancel",
        &cancel,
        Some(SECRET),
        0,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(problem["problems"][0]["path"], "actionId", "{problem}");
    assert_eq!(counter.0.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn nested_under_a_base_path_the_signature_covers_the_whole_path_and_either_secret_works() {
    let c = Arc::new(Counter::default());
    let app = Router::new().nest(
        "/fw/secgraph",
        router(c, vec![SECRET.into(), OTHER_SECRET.into()]).unwrap(),
    );
    let base = serve(app).await;
    let body = update("0195a3c4-7b1e-7f00-8a2b-000000000002");
    let full = "/fw/secgraph/alertUpdates";
    assert_eq!(post(&base, full, full, &body, Some(SECRET), 0).await.0, 200);
    assert_eq!(
        post(&base, full, full, &body, Some(OTHER_SECRET), 0)
            .await
            .0,
        200
    );
    assert_eq!(
        post(&base, full, "/alertUpdates", &body, Some(SECRET), 0)
            .await
            .0,
        401
    );
}

#[tokio::test]
async fn pull_and_federated_answer_404_unless_the_provider_serves_them() {
    let (_, base) = counter_server().await;
    let key = SigningKey::new(SECRET).unwrap();
    for target in [
        "/alerts?tenantId=t1",
        "/federated/alerts?tenantId=t1&$top=5",
    ] {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let h = signing::sign(&key, "GET", target, now, b"");
        let resp = reqwest::Client::new()
            .get(format!("{base}{target}"))
            .header(signing::TIMESTAMP_HEADER, h.timestamp)
            .header(signing::SIGNATURE_HEADER, h.signature)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 404, "{target}");
        let problem: Value = resp.json().await.unwrap();
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("does not serve"),
            "{problem}"
        );
    }
}

#[tokio::test]
async fn a_short_or_missing_secret_is_refused_when_the_router_is_built() {
    let e = router(
        Arc::new(Counter::default()),
        vec![SECRET.into(), "short".into()],
    )
    .unwrap_err();
    assert_eq!(e.index, 1);
    assert!(e.to_string().contains("at least 32 bytes"), "{e}");
    assert!(router(Arc::new(Counter::default()), vec![]).is_err());
}

#[tokio::test]
async fn an_unavailable_provider_is_answered_503_and_the_retry_reaches_it() {
    let c = Arc::new(Counter(AtomicU64::new(0), true));
    let base = serve(router(c.clone(), vec![SECRET.into()]).unwrap()).await;
    let body = update("0195a3c4-7b1e-7f00-8a2b-000000000003");
    let url = format!("{base}/alertUpdates");
    let bytes = serde_json::to_vec(&body).unwrap();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let h = signing::sign(
        &SigningKey::new(SECRET).unwrap(),
        "POST",
        "/alertUpdates",
        now,
        &bytes,
    );
    let resp = reqwest::Client::new()
        .post(&url)
        .body(bytes)
        .header(signing::TIMESTAMP_HEADER, h.timestamp)
        .header(signing::SIGNATURE_HEADER, h.signature)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 503);
    assert_eq!(resp.headers()["retry-after"], "7");
    let problem: Value = resp.json().await.unwrap();
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("the console is down"),
        "{problem}"
    );
    let (status, answer, _) = post(
        &base,
        "/alertUpdates",
        "/alertUpdates",
        &body,
        Some(SECRET),
        0,
    )
    .await;
    assert_eq!((status, answer["providerVersion"].clone()), (200, json!(2)));
}
