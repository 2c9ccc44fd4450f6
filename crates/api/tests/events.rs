//! `POST /secgraph/v1/events` on both backends: verdicts per event from the tenant's indicators
//! (precedence across levels and values), per-line errors, detection alerts once per window,
//! hit counters, back-matching of kept events when an indicator is added, and the permission.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use auth::permission::Permission;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;
use testkit::TestServer;

const INDICATORS: &str = "/beta/security/tiIndicators";
const EVENTS: &str = "/secgraph/v1/events";

fn indicator(observable: Value, action: &str) -> Value {
    let mut v = json!({"action": action, "description": "feed entry", "expirationDateTime": "2099-01-01",
        "targetProduct": "Azure Sentinel", "threatType": "Botnet", "tlpLevel": "amber", "severity": 4});
    v.as_object_mut()
        .unwrap()
        .extend(observable.as_object().unwrap().clone());
    v
}

async fn post_events(server: &TestServer, lines: &[Value], raw_extra: &str) -> Value {
    let mut body: String = lines.iter().map(|l| format!("{l}\n")).collect();
    body.push_str(raw_extra);
    let reply = server
        .send_raw(
            Method::POST,
            EVENTS,
            body.into_bytes(),
            &[("content-type", "application/x-ndjson")],
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()
}

async fn detections(server: &TestServer) -> Vec<Value> {
    common::collect_all(
        server,
        &format!(
            "/v1.0/security/alerts_v2?$filter={}",
            common::enc("detectionSource eq 'customTi'")
        ),
    )
    .await
}

testdb::conformance! {
    async fn events_get_verdicts_and_raise_one_alert_per_indicator_value_and_window() {
        let server = TestServer::start().await;
        let made = server.post(&format!("{INDICATORS}/submitTiIndicators"), &json!({"value": [
            indicator(json!({"domainName": "evil.example"}), "block"),
            indicator(json!({"networkDestinationCidrBlock": "203.0.113.0/24"}), "block"),
            indicator(json!({"networkDestinationIPv4": "203.0.113.5"}), "allow"),
            indicator(json!({"fileHashType": "sha256", "fileHashValue": "ab".repeat(32)}), "alert"),
        ]})).await;
        assert_eq!(made.status, 200, "{}", made.text);
        let ids: Vec<String> = made.json()["value"].as_array().unwrap().iter().map(|v| v["id"].as_str().unwrap().to_owned()).collect();

        let events = [
            json!({"type": "dns", "id": "e1", "@timestamp": "2026-11-01T10:00:00Z", "source": {"ip": "10.0.0.7"},
                   "dns": {"question": {"name": "cdn.EVIL.example."}}, "host": {"name": "laptop-7"}}),
            json!({"source.ip": "10.0.0.7", "destination.ip": "203.0.113.9", "@timestamp": "2026-11-01T10:00:01Z"}),
            json!({"type": "network", "destination": {"ip": "203.0.113.5"}, "@timestamp": "2026-11-01T10:00:02Z"}),
            json!({"event_type": "fileinfo", "timestamp": "2026-11-01T10:00:03.000000+0000", "src_ip": "198.51.100.1",
                   "dest_ip": "10.0.0.7", "fileinfo": {"sha256": "AB".repeat(32), "filename": "x.exe"}}),
            json!({"type": "network", "destination": {"ip": "198.51.100.200"}}),
            json!({"event_type": "stats", "timestamp": "2026-11-01T10:00:04.000000+0000", "stats": {"uptime": 5}}),
        ];
        let answer = post_events(&server, &events, "this is not json\n").await;
        let verdicts: Vec<&str> = answer["value"].as_array().unwrap().iter().map(|v| v["verdict"].as_str().unwrap_or("error")).collect();
        assert_eq!(verdicts, ["block", "block", "allow", "alert", "none", "none", "error"], "a stats line has nothing to match");
        assert_eq!((answer["accepted"].clone(), answer["rejected"].clone()), (json!(6), json!(1)));
        let first = &answer["value"][0];
        assert_eq!(first["id"], "e1");
        assert_eq!(first["matches"][0]["indicatorId"], ids[0]);
        assert_eq!(first["matches"][0]["role"], "domain");
        assert_eq!(first["matches"][0]["value"], "cdn.evil.example");
        assert_eq!(answer["value"][2]["matches"][0]["indicatorId"], ids[2], "the /32 allow beats the /24 block");
        assert_eq!(answer["value"][6]["line"], 7);
        assert!(answer["value"][6]["error"]["message"].is_string());
        assert_eq!(answer["alertsRaised"], 3, "block domain, block /24 and the hash alert; the allowed address raises nothing");

        let alerts = detections(&server).await;
        assert_eq!(alerts.len(), 3);
        let dns = alerts.iter().find(|a| a["detectorId"] == ids[0]).unwrap();
        assert_eq!(dns["severity"], "high");
        assert_eq!(dns["threatIntelligenceMatches"][0]["indicatorId"], ids[0], "detections are enriched too");
        assert!(dns["title"].as_str().unwrap().starts_with("Blocked domain"), "{dns}");

        let again = post_events(&server, &events[..2], "").await;
        assert_eq!(again["alertsRaised"], 0, "one alert per indicator, value and window");
        assert_eq!(detections(&server).await.len(), 3);

        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        loop {
            let hits = server.get(&format!("{INDICATORS}/{}", ids[0])).await.json()["hitCount"].as_i64().unwrap();
            if hits == 2 { break; }
            assert!(tokio::time::Instant::now() < deadline, "hit counter stayed at {hits}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn kept_events_are_matched_when_an_indicator_is_added_later() {
        let server = TestServer::start().await;
        let event = json!({"type": "http", "@timestamp": "2026-11-01T09:00:00Z", "source": {"ip": "10.0.0.8"},
                           "url": {"full": "http://phish.example/login?u=1"}});
        // Enough events that keeping them takes several multi-row statements.
        let mut events: Vec<Value> = (0..599)
            .map(|i| json!({"type": "network", "destination": {"ip": format!("198.51.100.{}", i % 250)}}))
            .collect();
        events.push(event);
        let answer = post_events(&server, &events, "").await;
        assert_eq!(answer["value"][599]["verdict"], "none");
        assert_eq!(answer["accepted"], 600);
        assert!(detections(&server).await.is_empty());

        let created = server.post(INDICATORS, &indicator(json!({"domainName": "phish.example"}), "alert")).await;
        assert_eq!(created.status, 201, "{}", created.text);
        let id = created.json()["id"].as_str().unwrap().to_owned();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        let alerts = loop {
            let alerts = detections(&server).await;
            if !alerts.is_empty() { break alerts; }
            assert!(tokio::time::Instant::now() < deadline, "the kept event was not back-matched");
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0]["detectorId"], id);
        assert_eq!(alerts[0]["firstActivityDateTime"], "2026-11-01T09:00:00.0000000Z", "the event's own time");
    }

    async fn submitting_events_needs_alert_write_permission() {
        let server = TestServer::builder().tokens().start().await;
        let reader = server.token_with(&server.tenant, &[Permission::SecurityAlertReadAll]).await;
        let writer = server.token_with(&server.tenant, &[Permission::SecurityAlertReadWriteAll]).await;
        let body = json!({"type": "network", "destination": {"ip": "198.51.100.1"}});
        assert_eq!(server.send_as(&reader, Method::POST, EVENTS, Some(&body)).await.status, 403);
        assert_eq!(server.send(Method::POST, EVENTS, Some(&body), &[]).await.status, 401);
        let ok = server.send_as(&writer, Method::POST, EVENTS, Some(&body)).await;
        assert_eq!(ok.status, 200, "{}", ok.text);
        assert_eq!(ok.json()["value"][0]["verdict"], "none");
        let empty = server.send_raw(Method::POST, EVENTS, b"\n \n".to_vec(), &[("authorization", &format!("Bearer {writer}"))]).await;
        assert_eq!(empty.status, 400);
    }
}
