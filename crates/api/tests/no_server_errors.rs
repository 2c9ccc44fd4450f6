//! Bad input never yields a 5xx: hundreds of generated query strings, paths and bodies — built from
//! OData tokens, property names, literals and junk — all get a 2xx or a Graph-shaped 4xx.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use odata::encode_query_value;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use reqwest::Method;
use serde_json::{json, Value};
use testkit::TestServer;

const PIECES: &[&str] = &[
    "severity",
    "status",
    "evidence",
    "e",
    "e/remediationStatus",
    "createdDateTime",
    "title",
    "tags",
    "mitreTechniques",
    "additionalData/x",
    "vendorInformation/provider",
    "eq",
    "ne",
    "gt",
    "le",
    "and",
    "or",
    "not",
    "in",
    "has",
    "any(",
    "all(",
    "/any(e:",
    "(",
    ")",
    ",",
    "'high'",
    "'new'",
    "''",
    "'",
    "null",
    "true",
    "1",
    "-2.5e3",
    "2026-10-01T00:00:00Z",
    "2026-13-45",
    "contains(",
    "tolower(",
    "year(",
    "length(",
    "microsoft.graph.security.deviceEvidence",
    "$it",
    "%",
    "%ZZ",
    "é",
    "\u{0}",
    "::",
    "/",
    "*",
];

fn random_expr(rng: &mut ChaCha8Rng) -> String {
    let n = rng.gen_range(1..12);
    (0..n)
        .map(|_| PIECES[rng.gen_range(0..PIECES.len())])
        .collect::<Vec<_>>()
        .join(" ")
}

fn random_json(rng: &mut ChaCha8Rng, depth: u32) -> Value {
    match rng.gen_range(0..if depth > 2 { 5 } else { 7 }) {
        0 => Value::Null,
        1 => json!(rng.gen::<bool>()),
        2 => json!(rng.gen_range(-5..5)),
        3 => json!(["new", "resolved", "High", "", "x"][rng.gen_range(0..5)]),
        4 => json!(rng.gen::<f64>()),
        5 => Value::Array(
            (0..rng.gen_range(0..3))
                .map(|_| random_json(rng, depth + 1))
                .collect(),
        ),
        _ => {
            let keys = [
                "status",
                "classification",
                "assignedTo",
                "comment",
                "value",
                "id",
                "vendorInformation",
                "tags",
                "feedback",
                "closedDateTime",
            ];
            let mut m = serde_json::Map::new();
            for _ in 0..rng.gen_range(0..4) {
                m.insert(
                    keys[rng.gen_range(0..keys.len())].to_owned(),
                    random_json(rng, depth + 1),
                );
            }
            Value::Object(m)
        }
    }
}

fn assert_not_5xx(status: reqwest::StatusCode, what: &str, text: &str) {
    assert!(status.as_u16() < 500, "{what} → {status}: {text}");
    if status.as_u16() >= 400 {
        let v: Value = serde_json::from_str(text)
            .unwrap_or_else(|_| panic!("{what}: not a Graph error body: {text}"));
        assert!(v["error"]["code"].is_string(), "{what}: {text}");
    }
}

testdb::conformance! {
    async fn generated_queries_never_get_a_server_error() {
        let server = TestServer::builder().demo(30).start().await;
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let options = [
            "$filter",
            "$orderby",
            "$select",
            "$top",
            "$skip",
            "$count",
            "$expand",
            "$skiptoken",
            "filter",
            "$search",
        ];
        for _ in 0..400 {
            let opt = options[rng.gen_range(0..options.len())];
            let value = random_expr(&mut rng);
            let coll = ["alerts_v2", "alerts", "alerts_v2/$count"][rng.gen_range(0..3)];
            let path = format!("/v1.0/security/{coll}?{opt}={}", encode_query_value(&value));
            let r = server.get(&path).await;
            assert_not_5xx(r.status, &path, &r.text);
        }
    }

    async fn generated_bodies_and_ids_never_get_a_server_error() {
        let server = TestServer::builder().demo(10).start().await;
        let id = server.get("/v1.0/security/alerts_v2?$top=1").await.json()["value"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for _ in 0..300 {
            let body = random_json(&mut rng, 0);
            let target = if rng.gen_bool(0.8) {
                id.clone()
            } else {
                random_expr(&mut rng)
            };
            let (method, path) = match rng.gen_range(0..4) {
                0 => (
                    Method::PATCH,
                    format!("/v1.0/security/alerts_v2/{}", encode_query_value(&target)),
                ),
                1 => (
                    Method::POST,
                    format!(
                        "/v1.0/security/alerts_v2/{}/comments",
                        encode_query_value(&target)
                    ),
                ),
                2 => (
                    Method::PATCH,
                    format!("/beta/security/alerts/{}", encode_query_value(&target)),
                ),
                _ => (
                    Method::POST,
                    "/beta/security/alerts/updateAlerts".to_owned(),
                ),
            };
            let r = server.send(method, &path, Some(&body), &[]).await;
            assert_not_5xx(r.status, &format!("{path} {body}"), &r.text);
        }
    }
}
