//! The emulator clock through the real binary, on both backends: refused without `--emulator`;
//! with it, advancing a tenant's clock wakes the workers at once — the subscription sweep removes
//! an expired subscription and the secure-score job writes the next day's snapshot within a couple
//! of seconds, not at their periodic ticks — and a restart keeps the setting.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Data, Server};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;
use testkit::WebhookReceiver;
use tokio::time::Instant;

const TENANT: &str = demo::DEMO_TENANT_ID;

/// How long a woken worker may take (the periodic ticks are 10 s and an hour).
const PROMPT: Duration = Duration::from_secs(3);

/// `method` on the admin API with the installation's credential: status and JSON body.
async fn admin(
    server: &Server,
    data: &Data,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let token = std::fs::read_to_string(data.path.join("admin-token")).unwrap();
    let mut request = server
        .request(method, &format!("/secgraph/admin/v1{path}"))
        .bearer_auth(token.trim());
    if let Some(body) = body {
        request = request.json(&body);
    }
    let reply = request.send().await.unwrap();
    let status = reply.status().as_u16();
    let text = reply.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Polls `check` until it holds, failing after [`PROMPT`].
async fn within_prompt<F, Fut>(what: &str, check: F) -> Duration
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(
            started.elapsed() < PROMPT,
            "{what} took longer than {PROMPT:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    started.elapsed()
}

fn day(t: time::OffsetDateTime) -> String {
    model::secure_score::score::day_text(t.date())
}

testdb::conformance! {
    async fn advancing_a_tenants_clock_wakes_the_workers_and_a_restart_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let clock = format!("/tenants/{TENANT}/clock");

        let plain = Server::start(dir.path(), &data, &[], &[]).await;
        let (status, body) = admin(&plain, &data, Method::GET, &clock, None).await;
        assert_eq!(status, 403, "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("--emulator"), "{body}");
        plain.stop().await;

        let server = Server::start(dir.path(), &data, &["--emulator", "--allow-insecure-webhooks"], &[]).await;
        let rx = WebhookReceiver::start().await;
        let expires = time::OffsetDateTime::now_utc() + time::Duration::minutes(90);
        let sub = server.request(Method::POST, "/v1.0/subscriptions").json(&json!({
            "changeType": "created,updated", "notificationUrl": rx.notify_url(),
            "lifecycleNotificationUrl": rx.lifecycle_url(), "clientState": "s",
            "resource": "security/alerts_v2",
            "expirationDateTime": model::datetime::format(expires)})).send().await.unwrap();
        assert_eq!(sub.status(), 201);
        let sub: Value = sub.json().await.unwrap();
        let sub_path = format!("/v1.0/subscriptions/{}", sub["id"].as_str().unwrap());
        let today = day(time::OffsetDateTime::now_utc());
        let latest = || async {
            let page = server.get_json("/v1.0/security/secureScores?$orderby=createdDateTime desc&$top=1").await;
            page["value"][0]["id"].as_str().unwrap_or_default().to_owned()
        };
        within_prompt("the first snapshot", || async { latest().await == format!("{TENANT}_{today}") }).await;

        let (status, body) = admin(&server, &data, Method::POST, &format!("{clock}/advance"), Some(json!({"by": "P1D"}))).await;
        assert_eq!(status, 200, "{body}");
        let tomorrow = day(time::OffsetDateTime::now_utc() + time::Duration::days(1));
        within_prompt("the next day's snapshot", || async { latest().await == format!("{TENANT}_{tomorrow}") }).await;
        within_prompt("the subscription's removal", || async { server.get(&sub_path).await.0 == 404 }).await;
        within_prompt("subscriptionRemoved", || async {
            rx.lifecycle().iter().any(|l| l["lifecycleEvent"] == "subscriptionRemoved")
        }).await;
        let (_, before) = admin(&server, &data, Method::GET, &clock, None).await;
        server.stop().await;

        let again = Server::start(dir.path(), &data, &["--emulator"], &[]).await;
        let (status, after) = admin(&again, &data, Method::GET, &clock, None).await;
        assert_eq!(status, 200, "{after}");
        let offset = after["offsetSeconds"].as_f64().unwrap();
        assert!((offset - before["offsetSeconds"].as_f64().unwrap()).abs() < 1.0 && offset >= 86_400.0, "{before} {after}");
        let (status, _) = admin(&again, &data, Method::DELETE, &clock, None).await;
        assert_eq!(status, 204);
        let (_, reset) = admin(&again, &data, Method::GET, &clock, None).await;
        assert!(reset["offsetSeconds"].as_f64().unwrap().abs() < 1e-9, "{reset}");
        again.stop().await;
    }
}
