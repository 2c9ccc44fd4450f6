//! Throttling per application per tenant (spec §2.6) over HTTP on both backends: Graph's 429 body
//! with an integer `Retry-After` once a quota runs out; the `x-ratelimit-*` headers counting down;
//! quotas kept apart per application and per tenant; an override for one application; alerts_v2
//! and incidents unthrottled by default; secure score's concurrency limit, freed when a client
//! goes away; and `$batch`, whose inner requests are throttled one by one.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use api::throttle::{Category, LimitOverride, ThrottleConfig};
use auth::Permission;
use reqwest::Method;
use serde_json::json;
use std::time::Duration;
use testkit::{Reply, TestApp, TestServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const LEGACY: &str = "/v1.0/security/alerts?$top=1";

/// Graph's defaults with `category` limited to `requests` per minute.
fn per_minute(category: Category, requests: u32) -> ThrottleConfig {
    let mut config = ThrottleConfig::default();
    config
        .limits
        .set(category, LimitOverride::rate(requests, 60));
    config
}

async fn app_in(server: &TestServer, tenant: &model::TenantId) -> (TestApp, String) {
    let app = server.register_app(tenant).await;
    server.grant(tenant, &app, Permission::ALL).await;
    let token = server.token(tenant, &app).await;
    (app, token)
}

fn header_u64(reply: &Reply, name: &str) -> u64 {
    let text = reply
        .header(name)
        .unwrap_or_else(|| panic!("no {name}: {:?}", reply.headers));
    text.parse()
        .unwrap_or_else(|_| panic!("{name} is not a whole number: {text}"))
}

/// Sends `n` GETs of `path` as `token`, all of which must succeed; returns `x-ratelimit-remaining`
/// of each.
async fn remaining_after(server: &TestServer, token: &str, path: &str, n: usize) -> Vec<u64> {
    let mut out = Vec::new();
    for _ in 0..n {
        let r = server.get_as(token, path).await;
        assert_eq!(r.status, 200, "{}", r.text);
        out.push(header_u64(&r, "x-ratelimit-remaining"));
    }
    out
}

fn assert_throttled(r: &Reply) {
    assert_eq!(r.status, 429, "{}", r.text);
    let retry = header_u64(r, "retry-after");
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    let body = r.json();
    assert_eq!(body["error"]["code"], "TooManyRequests");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("Please retry again later."),
        "{message}"
    );
    assert_eq!(body["error"]["innerError"]["code"], "429");
    assert_eq!(body["error"]["innerError"]["status"], "429");
    assert!(body["error"]["innerError"]["request-id"].is_string());
    assert!(body["error"]["innerError"]["date"].is_string());
}

testdb::conformance! {
    async fn over_the_limit_is_a_graph_429_and_the_headers_count_down() {
        let config = per_minute(Category::LegacyAlerts, 3);
        let server = TestServer::builder().demo(5).tokens().throttle(config).start().await;
        let (_, token) = app_in(&server, &server.tenant).await;
        assert_eq!(remaining_after(&server, &token, LEGACY, 3).await, [2, 1, 0]);
        let refused = server.get_as(&token, LEGACY).await;
        assert_throttled(&refused);
        assert_eq!(refused.header("x-ratelimit-limit"), Some("3"));
        assert_eq!(refused.header("x-ratelimit-remaining"), Some("0"));
        assert_eq!(refused.header("x-ratelimit-window"), Some("60"));
        let reset = header_u64(&refused, "x-ratelimit-reset");
        assert!((59..=60).contains(&reset), "reset {reset}");
        let message = refused.json()["error"]["message"].as_str().unwrap().to_owned();
        assert!(message.contains("3 requests per 60 seconds on security/alerts"), "{message}");
        // Other categories keep their own quota: tiIndicators still answers, with Graph's 1,000.
        let ti = server.get_as(&token, "/v1.0/security/tiIndicators").await;
        assert_eq!(ti.status, 200, "{}", ti.text);
        assert_eq!(ti.header("x-ratelimit-limit"), Some("1000"));
    }

    async fn quotas_are_per_application_and_per_tenant() {
        let config = per_minute(Category::TiIndicators, 2);
        let server = TestServer::builder().tokens().throttle(config).start().await;
        let path = "/v1.0/security/tiIndicators";
        let (app_a, token_a) = app_in(&server, &server.tenant).await;
        let (_, token_b) = app_in(&server, &server.tenant).await;
        remaining_after(&server, &token_a, path, 2).await;
        assert_throttled(&server.get_as(&token_a, path).await);
        // A second application of the same tenant is untouched.
        assert_eq!(remaining_after(&server, &token_b, path, 1).await, [1]);
        // The same application in another tenant has a quota of its own.
        let other = server.create_tenant("other").await;
        server.grant(&other, &app_a, Permission::ALL).await;
        let token_a_other = server.token(&other, &app_a).await;
        assert_eq!(remaining_after(&server, &token_a_other, path, 2).await, [1, 0]);
        assert_throttled(&server.get_as(&token_a_other, path).await);
    }

    async fn an_override_changes_one_application_only() {
        let server = TestServer::builder().tokens().start().await;
        let (app_a, _) = app_in(&server, &server.tenant).await;
        let (app_b, _) = app_in(&server, &server.tenant).await;
        let mut config = ThrottleConfig::default();
        let tenant = config.tenants.entry(server.tenant.as_str().to_owned()).or_default();
        tenant
            .apps
            .entry(app_a.client_id.clone())
            .or_default()
            .set(Category::TiIndicators, LimitOverride::rate(1, 60));
        let server = restart_with(server, config).await;
        let token_a = server.token(&server.tenant, &app_a).await;
        let token_b = server.token(&server.tenant, &app_b).await;
        let path = "/v1.0/security/tiIndicators";
        assert_eq!(remaining_after(&server, &token_a, path, 1).await, [0]);
        assert_throttled(&server.get_as(&token_a, path).await);
        let b = server.get_as(&token_b, path).await;
        assert_eq!(b.status, 200);
        assert_eq!(b.header("x-ratelimit-limit"), Some("1000"), "Graph's default for the others");
    }

    async fn alerts_v2_and_incidents_are_unthrottled_by_default() {
        let config = ThrottleConfig::default();
        let server = TestServer::builder().demo(5).tokens().throttle(config).start().await;
        let (_, token) = app_in(&server, &server.tenant).await;
        for _ in 0..200 {
            for path in ["/v1.0/security/alerts_v2?$top=1", "/v1.0/security/incidents?$top=1"] {
                let r = server.get_as(&token, path).await;
                assert_eq!(r.status, 200, "{path}: {}", r.text);
                assert!(r.header("x-ratelimit-limit").is_none(), "{path} shows a quota");
            }
        }
        // Legacy alerts keep Graph's 150 a minute.
        let legacy = server.get_as(&token, LEGACY).await;
        assert_eq!(legacy.header("x-ratelimit-limit"), Some("150"));
    }

    async fn secure_score_allows_four_requests_at_once_and_frees_a_slot_on_disconnect() {
        // Graph's four at once, with a rate high enough that the polling below (slow on a loaded
        // machine) never meets the 150-a-minute limit first.
        let mut config = ThrottleConfig::default();
        let limit = LimitOverride {
            rates: Some(vec![api::throttle::Rate { requests: 100_000, window_seconds: 60 }]),
            concurrent: Some(4),
        };
        config.limits.set(Category::SecureScore, limit);
        let server = TestServer::builder().throttle(config).start().await;
        // Four requests whose bodies never finish arriving hold the four slots (their handlers
        // wait for the body). Each is known to be admitted before the next is sent, so no other
        // request of the test competes with them for a slot.
        let mut held = Vec::new();
        for _ in 0..4 {
            held.push(admitted_stalled_patch(&server).await);
        }
        let profiles = "/v1.0/security/secureScoreControlProfiles";
        let refused = server.get(profiles).await;
        assert_throttled(&refused);
        let message = refused.json()["error"]["message"].as_str().unwrap().to_owned();
        assert!(message.contains("4 requests in progress"), "{message}");
        assert_eq!(refused.header("retry-after"), Some("1"));
        // A client that goes away frees its slot.
        drop(held.pop());
        let ok = wait_for_status(&server, profiles, 200).await;
        assert_eq!(ok.header("x-ratelimit-limit"), Some("100000"));
        // A finished response frees its slot too: one after another, all pass.
        for _ in 0..5 {
            assert_eq!(server.get(profiles).await.status, 200);
        }
    }

    async fn each_request_of_a_batch_is_throttled_on_its_own() {
        let config = per_minute(Category::TiIndicators, 5);
        let server = TestServer::builder().tokens().throttle(config).start().await;
        let (_, token) = app_in(&server, &server.tenant).await;
        let requests: Vec<_> = (0..20)
            .map(|i| json!({"id": i.to_string(), "method": "GET", "url": "/security/tiIndicators"}))
            .collect();
        let doc = json!({ "requests": requests });
        let reply = server.send_as(&token, Method::POST, "/v1.0/$batch", Some(&doc)).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let body = reply.json();
        let items = body["responses"].as_array().unwrap();
        assert_eq!(items.len(), 20);
        let (ok, throttled): (Vec<_>, Vec<_>) = items.iter().partition(|i| i["status"] == 200);
        assert_eq!(ok.len(), 5, "{body}");
        assert_eq!(throttled.len(), 15, "{body}");
        for item in throttled {
            assert_eq!(item["status"], 429);
            let retry: u64 = item["headers"]["Retry-After"].as_str().unwrap().parse().unwrap();
            assert!(retry >= 1);
            assert_eq!(item["headers"]["X-Ratelimit-Remaining"], "0");
            assert_eq!(item["body"]["error"]["code"], "TooManyRequests");
        }
        for item in ok {
            assert_eq!(item["headers"]["X-Ratelimit-Limit"], "5");
        }
    }
}

/// Stops `server` and serves its database again with `config`.
async fn restart_with(server: TestServer, config: ThrottleConfig) -> TestServer {
    let db = server.into_database().await;
    TestServer::builder()
        .tokens()
        .throttle(config)
        .start_on(db)
        .await
}

/// A connection whose PATCH is in progress: its handler is running and waits for a body that
/// never finishes arriving (the request holds its slot until the connection is dropped). The
/// request asks `Expect: 100-continue`, which the server answers once the handler reads the body,
/// that is once the request has been admitted; a refused request gets its 429 instead.
async fn admitted_stalled_patch(server: &TestServer) -> tokio::net::TcpStream {
    let addr = server.base_url.trim_start_matches("http://");
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "PATCH /v1.0/security/secureScoreControlProfiles/NonOwnerAccess HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n"
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    while !answer.ends_with(b"\r\n\r\n") {
        let mut byte = [0u8; 1];
        let read = tokio::time::timeout(Duration::from_secs(20), conn.read(&mut byte))
            .await
            .expect("no interim answer to the PATCH within 20 s")
            .unwrap();
        let so_far = String::from_utf8_lossy(&answer);
        assert_eq!(read, 1, "connection closed after {so_far:?}");
        answer.push(byte[0]);
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 100 Continue"),
        "PATCH not admitted: {answer}"
    );
    conn.write_all(b"{").await.unwrap();
    conn.flush().await.unwrap();
    conn
}

/// GETs `path` until it answers `status` (the server notices a closed connection in its own time;
/// on a loaded two-core CI machine, with the whole workspace testing at once, that can take seconds).
async fn wait_for_status(server: &TestServer, path: &str, status: u16) -> Reply {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while tokio::time::Instant::now() < deadline {
        let r = server.get(path).await;
        if r.status == status {
            return r;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{path} never answered {status} within 20 s");
}
