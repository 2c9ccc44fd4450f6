//! Emulator fault injection on Graph requests, end to end on both backends: a profile set through
//! the admin API makes the real server answer 429/503 with `Retry-After`, wait, or answer the
//! legacy alert list `206` with a provider's `Warning`; a seeded profile repeats its sequence;
//! removing it restores normal answers; another tenant, the admin API and health are untouched;
//! bad profiles are 400s naming the key.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use auth::Permission;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use store::faults::{FaultProfile, Injected};
use testkit::{Reply, TestServer};

fn profile_path(server: &TestServer) -> String {
    format!("/tenants/{}/faultProfile", server.tenant.as_str())
}

async fn set_profile(server: &TestServer, profile: &Value) -> Reply {
    server
        .admin(Method::PUT, &profile_path(server), Some(profile))
        .await
}

async fn remove_profile(server: &TestServer) -> Reply {
    server
        .admin(Method::DELETE, &profile_path(server), None)
        .await
}

/// The statuses of `n` reads of the alerts_v2 list.
async fn statuses(server: &TestServer, n: usize) -> Vec<u16> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(
            server
                .get("/v1.0/security/alerts_v2?$top=1")
                .await
                .status
                .as_u16(),
        );
    }
    out
}

testdb::conformance! {
    async fn bad_profiles_are_400s_that_name_the_key() {
        let server = TestServer::start().await;
        let cases = [
            (json!({"throttle": {"rate": 1.5}}), "throttle.rate"),
            (json!({"unavailable": {"rate": -0.1}}), "unavailable.rate"),
            (json!({"latency": {"minMs": 300, "maxMs": 100}}), "latency.maxMs"),
            (json!({"latency": {"minMs": 10, "maxMs": 600000}}), "latency.maxMs"),
            (json!({"throttel": {"rate": 0.5}}), "throttel"),
            (json!({"throttle": {"rate": 0.5, "retryAfter": 3}}), "retryAfter"),
            (json!({"partialContent": {"rate": 1, "vendor": "A/B", "provider": "P"}}), "partialContent.vendor"),
            (json!({"partialContent": {"rate": 1, "vendor": "A", "provider": "P", "status": 200}}), "partialContent.status"),
            (json!({"webhooks": {"dropRate": 2}}), "webhooks.dropRate"),
            (json!([1, 2]), "JSON object"),
            (json!({"seed": "x"}), "seed"),
        ];
        for (body, key) in cases {
            let reply = set_profile(&server, &body).await;
            assert_eq!(reply.status, 400, "{body}: {}", reply.text);
            let err = reply.json();
            assert_eq!(err["error"]["code"], "BadRequest");
            let message = err["error"]["message"].as_str().unwrap();
            assert!(message.contains(key), "{body}: '{message}' should name {key}");
        }
        let missing = server.admin(Method::GET, &profile_path(&server), None).await;
        assert_eq!(missing.status, 404, "{}", missing.text);
        let unknown = server
            .admin(Method::PUT, "/tenants/4f1c6a52-8e0b-4d7e-9a51-2c3b4d5e6f70/faultProfile", Some(&json!({})))
            .await;
        assert_eq!(unknown.status, 404, "{}", unknown.text);
        let good = json!({"seed": 7, "throttle": {"rate": 0.25, "retryAfterSeconds": 3}});
        let set = set_profile(&server, &good).await;
        assert_eq!(set.status, 200, "{}", set.text);
        let shown = server.admin(Method::GET, &profile_path(&server), None).await.json();
        assert_eq!(shown["profile"], good);
        assert_eq!(shown["version"], 1);
        assert_eq!(set_profile(&server, &good).await.json()["version"], 2);
        assert_eq!(remove_profile(&server).await.status, 204);
        assert_eq!(remove_profile(&server).await.status, 404);
    }

    async fn throttle_at_rate_one_answers_every_graph_request_429_until_removed() {
        let server = TestServer::builder().demo(5).start().await;
        assert_eq!(statuses(&server, 1).await, [200]);
        let set = set_profile(&server, &json!({"throttle": {"rate": 1.0, "retryAfterSeconds": 2}})).await;
        assert_eq!(set.status, 200, "{}", set.text);
        for path in ["/v1.0/security/alerts_v2", "/beta/security/incidents", "/v1.0/security/alerts"] {
            let reply = server.get(path).await;
            assert_eq!(reply.status, 429, "{path}: {}", reply.text);
            assert_eq!(reply.header("retry-after"), Some("2"));
            assert_eq!(reply.header("secgraph-fault"), Some("throttle"));
            let err = reply.json();
            assert_eq!(err["error"]["code"], "TooManyRequests");
            assert!(err["error"]["innerError"]["request-id"].is_string());
        }
        // Not Graph: health and the admin API are never faulted.
        assert_eq!(server.get("/healthz").await.status, 200);
        let admin = server.admin(Method::GET, &profile_path(&server), None).await;
        assert_eq!(admin.status, 200, "{}", admin.text);
        assert_eq!(remove_profile(&server).await.status, 204);
        let reply = server.get("/v1.0/security/alerts_v2").await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert!(reply.header("secgraph-fault").is_none());
    }

    async fn a_seeded_half_rate_repeats_its_sequence() {
        let server = TestServer::builder().demo(3).start().await;
        let profile = json!({"seed": 42, "throttle": {"rate": 0.5}});
        assert_eq!(set_profile(&server, &profile).await.status, 200);
        let first = statuses(&server, 40).await;
        // Setting the profile again starts the count again: the same 40 decisions.
        assert_eq!(set_profile(&server, &profile).await.status, 200);
        let second = statuses(&server, 40).await;
        assert_eq!(first, second);
        // ...which are the documented function of (seed, n).
        let p = FaultProfile::from_json(&profile).unwrap();
        let expected: Vec<u16> = (0..40)
            .map(|n| match p.request(n).injected {
                Injected::Throttle(_) => 429,
                _ => 200,
            })
            .collect();
        assert_eq!(first, expected);
        let throttled = first.iter().filter(|s| **s == 429).count();
        assert!((8..=32).contains(&throttled), "{throttled} of 40 throttled at rate 0.5");
        // Another seed, another sequence.
        assert_eq!(set_profile(&server, &json!({"seed": 43, "throttle": {"rate": 0.5}})).await.status, 200);
        assert_ne!(statuses(&server, 40).await, first);
    }

    async fn unavailable_answers_503_with_retry_after() {
        let server = TestServer::builder().demo(3).start().await;
        let profile = json!({"unavailable": {"rate": 1.0, "retryAfterSeconds": 1}});
        assert_eq!(set_profile(&server, &profile).await.status, 200);
        let reply = server.get("/v1.0/security/alerts_v2").await;
        assert_eq!(reply.status, 503, "{}", reply.text);
        assert_eq!(reply.header("retry-after"), Some("1"));
        assert_eq!(reply.json()["error"]["code"], "serviceNotAvailable");
        assert_eq!(reply.header("secgraph-fault"), Some("unavailable"));
    }

    async fn latency_holds_each_request_for_at_least_the_minimum() {
        let server = TestServer::builder().demo(3).start().await;
        let profile = json!({"latency": {"minMs": 200, "maxMs": 260}});
        assert_eq!(set_profile(&server, &profile).await.status, 200);
        for _ in 0..3 {
            let started = Instant::now();
            let reply = server.get("/v1.0/security/alerts_v2").await;
            let took = started.elapsed();
            assert_eq!(reply.status, 200, "{}", reply.text);
            assert_eq!(reply.header("secgraph-fault"), Some("latency"));
            assert!(took >= Duration::from_millis(200), "answered after {took:?}");
        }
    }

    async fn partial_content_names_the_provider_on_legacy_alert_lists() {
        let server = TestServer::builder().demo(10).start().await;
        let profile = json!({"partialContent": {
            "rate": 1.0, "vendor": "Contoso", "provider": "EDR", "status": 504, "latencyMs": 10000
        }});
        assert_eq!(set_profile(&server, &profile).await.status, 200);
        let reply = server.get("/v1.0/security/alerts?$top=4").await;
        assert_eq!(reply.status, 206, "{}", reply.text);
        assert_eq!(reply.header("warning"), Some("199 - \"Contoso/EDR/504/10000\""));
        assert_eq!(reply.header("secgraph-fault"), Some("partialContent"));
        assert_eq!(reply.json()["value"].as_array().unwrap().len(), 4, "the data is still there");
        // Only the legacy list: alerts_v2 and a single legacy alert are whole answers.
        assert_eq!(server.get("/v1.0/security/alerts_v2").await.status, 200);
        let id = reply.json()["value"][0]["id"].as_str().unwrap().to_owned();
        assert_eq!(server.get(&format!("/v1.0/security/alerts/{id}")).await.status, 200);
        assert_eq!(remove_profile(&server).await.status, 204);
        let reply = server.get("/v1.0/security/alerts?$top=4").await;
        assert_eq!(reply.status, 200);
        assert!(reply.header("warning").is_none());
    }

    async fn another_tenants_profile_does_not_touch_this_tenant() {
        let server = TestServer::builder().tokens().start().await;
        let a = server.create_tenant("A").await;
        let b = server.create_tenant("B").await;
        let perms = [Permission::SecurityAlertReadAll];
        let token_a = server.token_with(&a, &perms).await;
        let token_b = server.token_with(&b, &perms).await;
        let profile = json!({"throttle": {"rate": 1.0}});
        let path = format!("/tenants/{}/faultProfile", a.as_str());
        assert_eq!(server.admin(Method::PUT, &path, Some(&profile)).await.status, 200);
        for _ in 0..5 {
            assert_eq!(server.get_as(&token_a, "/v1.0/security/alerts_v2").await.status, 429);
            let reply = server.get_as(&token_b, "/v1.0/security/alerts_v2").await;
            assert_eq!(reply.status, 200, "{}", reply.text);
        }
        // The token endpoint is not Graph: tenant A still gets tokens.
        let again = server.token_with(&a, &perms).await;
        assert!(!again.is_empty());
        // An unauthenticated request is a 401, not a fault.
        assert_eq!(server.get("/v1.0/security/alerts_v2").await.status, 401);
    }
}
