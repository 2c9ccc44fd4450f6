//! Operations on both backends, against the real server: `/metrics` after real traffic (requests
//! by route template and status with latency histograms, store operation timings, outbox depth and
//! age of queued notifications, the matcher's size after indicators are created, webhook outcomes
//! after deliveries to a real receiver) and `/readyz` (ready, a stopped component, draining).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::notifications::{drain, fast_delivery, ingest_demo, subscribe};
use reqwest::Method;
use serde_json::json;
use std::collections::BTreeMap;
use std::time::Duration;
use testkit::{TestServer, WebhookReceiver};

/// One sample of the exposition: metric name, labels, value.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// Scrapes `/metrics` and parses every sample line.
async fn scrape(server: &TestServer) -> (String, Vec<Sample>) {
    let reply = server.get("/metrics").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let content_type = reply.header("content-type").unwrap_or("");
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    assert!(reply.text.ends_with("# EOF\n"), "{}", reply.text);
    let samples = reply
        .text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|line| {
            let (series, value) = line.rsplit_once(' ').unwrap();
            let (name, labels) = match series.split_once('{') {
                Some((name, rest)) => (name, rest.trim_end_matches('}')),
                None => (series, ""),
            };
            let labels = labels
                .split("\",")
                .filter(|p| !p.is_empty())
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap();
                    (k.to_owned(), v.trim_matches('"').to_owned())
                })
                .collect();
            let value = value.parse().unwrap_or_else(|_| panic!("{line}"));
            Sample {
                name: name.to_owned(),
                labels,
                value,
            }
        })
        .collect();
    (reply.text, samples)
}

/// The value of the sample `name` whose labels include `labels` (0 when there is none).
fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> f64 {
    let found: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.name == name)
        .filter(|s| {
            labels
                .iter()
                .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
        })
        .collect();
    assert!(
        found.len() <= 1,
        "{name} {labels:?} is ambiguous: {found:?}"
    );
    found.first().map_or(0.0, |s| s.value)
}

fn indicator(domain: &str) -> serde_json::Value {
    json!({
        "action": "alert",
        "description": format!("C2 at {domain}"),
        "domainName": domain,
        "expirationDateTime": "2099-01-01T00:00:00Z",
        "targetProduct": "Azure Sentinel",
        "threatType": "C2",
        "tlpLevel": "amber",
    })
}

testdb::conformance! {
    async fn metrics_count_requests_by_route_template_and_status() {
        let server = TestServer::start().await;
        for _ in 0..3 {
            assert_eq!(server.get("/v1.0/security/alerts_v2").await.status, 200);
        }
        let missing = server.get("/v1.0/security/alerts_v2/da637-not-there").await;
        assert_eq!(missing.status, 404, "{}", missing.text);
        assert_eq!(server.get("/no/such/route/4711").await.status, 404);
        let refused = server.send(Method::PUT, "/v1.0/security/alerts_v2", None, &[]).await;
        assert_eq!(refused.status, 405, "{}", refused.text);

        let (text, samples) = scrape(&server).await;
        let requests = "secgraph_http_requests_total";
        let list = [("method", "GET"), ("route", "/v1.0/security/alerts_v2")];
        assert_eq!(value(&samples, requests, &[list[0], list[1], ("status", "200")]), 3.0, "{text}");
        let item = [("method", "GET"), ("route", "/v1.0/security/alerts_v2/{id}"), ("status", "404")];
        assert_eq!(value(&samples, requests, &item), 1.0, "{text}");
        let unmatched = [("method", "GET"), ("route", "unmatched"), ("status", "404")];
        assert_eq!(value(&samples, requests, &unmatched), 1.0, "{text}");
        // A 405 matched no route of its method: it counts as unmatched too.
        let put = [("method", "PUT"), ("route", "unmatched"), ("status", "405")];
        assert_eq!(value(&samples, requests, &put), 1.0, "{text}");
        // Raw paths never become labels (bounded cardinality, nothing a caller typed).
        assert!(!text.contains("da637-not-there") && !text.contains("4711"), "{text}");

        // The latency histogram: cumulative buckets ending in +Inf, a count equal to the requests.
        let buckets: Vec<&Sample> = samples
            .iter()
            .filter(|s| s.name == "secgraph_http_request_duration_seconds_bucket")
            .filter(|s| s.labels.get("route").map(String::as_str) == Some(list[1].1))
            .filter(|s| s.labels.get("method").map(String::as_str) == Some("GET"))
            .collect();
        assert!(buckets.len() >= 10, "{text}");
        assert!(buckets.windows(2).all(|w| w[0].value <= w[1].value), "{text}");
        let inf = buckets.iter().find(|s| s.labels["le"] == "+Inf").unwrap();
        assert_eq!(inf.value, 3.0, "{text}");
        let count = "secgraph_http_request_duration_seconds_count";
        assert_eq!(value(&samples, count, &list), 3.0, "{text}");

        // Store timings: the list read went through the store.
        let reads: f64 = samples
            .iter()
            .filter(|s| s.name == "secgraph_store_operation_duration_seconds_count")
            .filter(|s| s.labels.get("kind").map(String::as_str) == Some("read"))
            .map(|s| s.value)
            .sum();
        assert!(reads >= 3.0, "{text}");
        assert!(text.contains("secgraph_store_operation_duration_seconds_bucket{"), "{text}");

        // A second scrape counts the first.
        let (_, again) = scrape(&server).await;
        let scrapes = [("method", "GET"), ("route", "/metrics"), ("status", "200")];
        assert_eq!(value(&again, requests, &scrapes), 1.0);
    }

    async fn metrics_show_the_outbox_and_webhook_outcomes() {
        let server = TestServer::start().await;
        let rx = WebhookReceiver::start().await;
        subscribe(&server, &rx, "security/alerts_v2", "created").await;
        let kind = [("kind", store::subscriptions::CHANGE_KIND)];

        ingest_demo(&server, 5).await;
        server.clock.advance(Duration::from_secs(30));
        let (text, samples) = scrape(&server).await;
        assert_eq!(value(&samples, "secgraph_outbox_rows", &kind), 5.0, "{text}");
        let age = value(&samples, "secgraph_outbox_oldest_age_seconds", &kind);
        assert!((30.0..31.0).contains(&age), "{text}");

        let worker = fast_delivery(&server);
        drain(&server, &worker).await;
        assert_eq!(rx.changes().len(), 5);
        let (text, samples) = scrape(&server).await;
        assert_eq!(value(&samples, "secgraph_outbox_rows", &kind), 0.0, "{text}");
        assert_eq!(value(&samples, "secgraph_outbox_oldest_age_seconds", &kind), 0.0);
        let outcomes = "secgraph_webhook_notifications_total";
        let delivered = [("kind", "change"), ("result", "delivered")];
        assert_eq!(value(&samples, outcomes, &delivered), 5.0, "{text}");

        // A failing receiver: retried within the delivery window, dead-lettered after it.
        rx.fail_with(Some(500));
        // The demo generator is deterministic: the first five alerts exist, three are new.
        ingest_demo(&server, 8).await;
        drain(&server, &worker).await;
        let (text, samples) = scrape(&server).await;
        let retried = [("kind", "change"), ("result", "retried")];
        assert_eq!(value(&samples, outcomes, &retried), 3.0, "{text}");
        assert_eq!(value(&samples, "secgraph_outbox_rows", &kind), 3.0, "{text}");
        server.clock.advance(Duration::from_secs(5 * 3600));
        drain(&server, &worker).await;
        let (text, samples) = scrape(&server).await;
        let dead = [("kind", "change"), ("result", "dead_lettered")];
        assert_eq!(value(&samples, outcomes, &dead), 3.0, "{text}");
        assert_eq!(value(&samples, outcomes, &delivered), 5.0, "{text}");
        assert!(!text.contains(server.tenant.as_str()), "no tenant id in any label: {text}");
    }

    async fn metrics_show_the_matcher_size() {
        let server = TestServer::start().await;
        let (_, before) = scrape(&server).await;
        let entries = "secgraph_indicator_index_entries";
        assert_eq!(value(&before, entries, &[]), 0.0);
        for i in 0..4 {
            let created = server
                .post("/beta/security/tiIndicators", &indicator(&format!("c2-{i}.example")))
                .await;
            assert_eq!(created.status, 201, "{}", created.text);
        }
        let (text, after) = scrape(&server).await;
        assert_eq!(value(&after, entries, &[]), 4.0, "{text}");
        assert_eq!(value(&after, "secgraph_indicator_index_tenants", &[]), 1.0, "{text}");
    }

    async fn readyz_is_ready_and_names_what_is_not() {
        let server = TestServer::start().await;
        let ready = server.get("/readyz").await;
        assert_eq!((ready.status.as_u16(), ready.text.as_str()), (200, "ready"));

        let stopped = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stopped.clone();
        server.readiness.require("workers", move || !flag.load(std::sync::atomic::Ordering::SeqCst));
        assert_eq!(server.get("/readyz").await.status, 200);
        stopped.store(true, std::sync::atomic::Ordering::SeqCst);
        let not = server.get("/readyz").await;
        assert_eq!(not.status, 503, "{}", not.text);
        assert_eq!(not.json()["error"]["innerError"]["notReady"], json!(["workers"]));

        stopped.store(false, std::sync::atomic::Ordering::SeqCst);
        server.readiness.drain();
        let draining = server.get("/readyz").await;
        assert_eq!(draining.status, 503, "{}", draining.text);
        let body = draining.json();
        assert_eq!(body["error"]["code"], "serviceNotAvailable");
        assert_eq!(body["error"]["innerError"]["notReady"], json!(["draining"]));
        assert!(body["error"]["message"].as_str().unwrap().contains("draining"), "{body}");
        // Liveness is unaffected: the process and its store are fine.
        assert_eq!(server.get("/healthz").await.status, 200);
    }
}
