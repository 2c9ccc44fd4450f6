//! Wire conventions every Graph client relies on: correlation headers, the error body, case-insensitive
//! paths, form-decoded options, `Accept: */*`, gzip, body limits and media types, unknown routes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::DEMO;
use reqwest::Method;
use serde_json::{json, Value};
use std::io::Read;
use testkit::TestServer;

fn assert_graph_error(body: &Value) {
    let e = &body["error"];
    assert!(e["code"].is_string() && e["message"].is_string(), "{body}");
    let inner = &e["innerError"];
    assert!(inner["request-id"].is_string());
    assert!(inner["client-request-id"].is_string());
    let date = inner["date"].as_str().unwrap();
    assert_eq!(
        date.len(),
        19,
        "Graph's date has no fraction and no offset: {date}"
    );
}

testdb::conformance! {
    async fn correlation_headers_are_set_and_echoed() {
        let server = TestServer::builder().demo(5).start().await;
        let r = server
            .send(
                Method::GET,
                "/v1.0/security/alerts_v2",
                None,
                &[("client-request-id", "abc-123")],
            )
            .await;
        assert_eq!(r.header("client-request-id"), Some("abc-123"));
        let rid = r.header("request-id").unwrap();
        assert_eq!(rid.len(), 36);
        assert!(r.header("date").is_some());
        let e = server
            .send(
                Method::GET,
                "/v1.0/security/alerts_v2/nope",
                None,
                &[("client-request-id", "xyz")],
            )
            .await;
        let body = e.json();
        assert_graph_error(&body);
        assert_eq!(body["error"]["innerError"]["client-request-id"], "xyz");
        assert_eq!(
            body["error"]["innerError"]["request-id"],
            e.header("request-id").unwrap()
        );
    }

    async fn paths_are_case_insensitive() {
        let server = TestServer::builder().demo(5).start().await;
        for path in [
            "/V1.0/Security/Alerts_V2",
            "/beta/SECURITY/alerts",
            "/v1.0/security/ALERTS_v2/$COUNT",
        ] {
            assert_eq!(server.get(path).await.status, 200, "{path}");
        }
    }

    async fn options_are_form_decoded_and_dollar_is_optional() {
        let server = TestServer::builder().demo(DEMO).start().await;
        let strict = server
            .get("/v1.0/security/alerts_v2/$count?$filter=severity%20eq%20%27high%27")
            .await
            .text;
        for q in [
            "%24filter=Severity+eq+%27High%27",
            "filter=severity%20eq%20'high'",
            "$FILTER=severity eq 'high'",
        ] {
            let r = server
                .get(&format!("/v1.0/security/alerts_v2/$count?{q}"))
                .await;
            assert_eq!(r.status, 200, "{q}: {}", r.text);
            assert_eq!(r.text, strict, "{q}");
        }
    }

    async fn accept_star_and_gzip() {
        let server = TestServer::builder().demo(50).start().await;
        let r = server
            .send(
                Method::GET,
                "/v1.0/security/alerts_v2",
                None,
                &[("Accept", "*/*")],
            )
            .await;
        assert_eq!(r.status, 200);
        assert!(r
            .header("content-type")
            .unwrap()
            .starts_with("application/json"));
        let resp = reqwest::Client::builder()
            .no_gzip()
            .build()
            .unwrap()
            .get(server.url("/v1.0/security/alerts_v2"))
            .header("Accept-Encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.headers()["content-encoding"], "gzip");
        let bytes = resp.bytes().await.unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .unwrap();
        let page: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(page["value"].as_array().unwrap().len(), 50);
    }

    async fn bad_odata_is_a_400_that_says_what_to_fix() {
        let server = TestServer::builder().demo(5).start().await;
        for (q, needle) in [
            ("$filter=nosuch eq 1", "nosuch"),
            ("$filter=severity eq 'critical'", "critical"),
            ("$filter=severity eq", "position"),
            ("$filter=(severity eq 'high'", "position"),
            ("$orderby=evidence", "evidence"),
            ("$select=nosuch", "nosuch"),
            ("$top=-1", "$top"),
            ("$top=abc", "$top"),
            ("$count=maybe", "$count"),
            ("$search=foo", "$search"),
            ("$bogus=1", "$bogus"),
            ("$expand=comments", "comments"),
            ("$skiptoken=garbage", "skiptoken"),
            ("$top=2001", "2000"),
        ] {
            let r = server
                .get(&format!(
                    "/v1.0/security/alerts_v2?{}",
                    q.replace(' ', "%20")
                ))
                .await;
            assert_eq!(r.status, 400, "{q}: {}", r.text);
            let body = r.json();
            assert_graph_error(&body);
            assert!(
                body["error"]["message"].as_str().unwrap().contains(needle),
                "{q}: {}",
                r.text
            );
        }
    }

    async fn deep_nesting_is_rejected_not_crashed() {
        let server = TestServer::builder().demo(5).start().await;
        let deep = format!("{}severity eq 'high'{}", "(".repeat(500), ")".repeat(500));
        let r = server
            .get(&format!(
                "/v1.0/security/alerts_v2?$filter={}",
                common::enc(&deep)
            ))
            .await;
        assert_eq!(r.status, 400);
    }

    async fn bodies_bad_json_media_type_and_size() {
        let server = TestServer::builder()
            .demo(5)
            .max_body_bytes(1024)
            .start()
            .await;
        let id = server.get("/v1.0/security/alerts_v2?$top=1").await.json()["value"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let path = server.url(&format!("/v1.0/security/alerts_v2/{}", common::enc(&id)));
        let c = &server.client;
        let bad = c
            .patch(&path)
            .header("content-type", "application/json")
            .body("{\"status\": ")
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 400);
        assert!(bad.text().await.unwrap().contains("not valid JSON"));
        let xml = c
            .patch(&path)
            .header("content-type", "application/xml")
            .body("<a/>")
            .send()
            .await
            .unwrap();
        assert_eq!(xml.status(), 415);
        let big = c
            .patch(&path)
            .header("content-type", "application/json")
            .body(format!("{{\"assignedTo\":\"{}\"}}", "x".repeat(4096)))
            .send()
            .await
            .unwrap();
        assert_eq!(big.status(), 413);
        let body: Value = big.json().await.unwrap();
        assert_graph_error(&body);
        let form = c
            .patch(&path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(json!({"status": "inProgress"}).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(
            form.status(),
            200,
            "JSON sent as a form body is read as JSON (Microsoft's Node sample)"
        );
        let wrong_type = c
            .patch(&path)
            .json(&json!({"status": 5}))
            .send()
            .await
            .unwrap();
        assert_eq!(wrong_type.status(), 400);
    }

    async fn unknown_routes_are_graph_errors() {
        let server = TestServer::start().await;
        let r = server.get("/v1.0/security/nothing").await;
        assert_eq!(r.status, 400);
        assert!(r.text.contains("nothing"));
        assert_graph_error(&r.json());
        let r = server.get("/v2.0/me").await;
        assert_eq!(r.status, 404);
        assert_graph_error(&r.json());
    }

    async fn healthz_answers() {
        let server = TestServer::start().await;
        let r = server.get("/healthz").await;
        assert_eq!(r.status, 200);
    }
}
