//! The emulator clock of a tenant (`/secgraph/admin/v1/tenants/{id}/clock`) on both backends:
//! refused outside emulator mode; set, advanced, frozen and reset, with Graph-shaped 400s for bad
//! input and backwards moves; writes stamped with the tenant's time while another tenant keeps
//! real time; a subscription expiring (`subscriptionRemoved`) and an indicator no longer matching
//! once the tenant's clock passes their expiry; the next day's secure-score snapshot.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::notifications::{drain, fast_delivery};
use reqwest::Method;
use serde_json::{json, Value};
use store::Clock;
use testkit::{TestServer, WebhookReceiver};
use time::Duration;

fn clock_path(server: &TestServer) -> String {
    format!("/tenants/{}/clock", server.tenant)
}

/// `method` on the demo tenant's clock (`suffix` after `/clock`), asserting `status`.
async fn clock(
    server: &TestServer,
    method: Method,
    suffix: &str,
    body: Option<Value>,
    status: u16,
) -> Value {
    let path = format!("{}{suffix}", clock_path(server));
    let reply = server.admin(method, &path, body.as_ref()).await;
    assert_eq!(reply.status, status, "{path}: {}", reply.text);
    match reply.text.is_empty() {
        true => Value::Null,
        false => reply.json(),
    }
}

fn at(t: time::OffsetDateTime) -> String {
    model::datetime::format(t)
}

async fn emulator(demo: usize) -> TestServer {
    TestServer::builder().emulator().demo(demo).start().await
}

testdb::conformance! {
    async fn the_clock_is_refused_outside_emulator_mode() {
        let server = TestServer::start().await;
        for method in [Method::GET, Method::PUT, Method::DELETE] {
            let body = json!({"frozen": true});
            let reply = server.admin(method.clone(), &clock_path(&server), Some(&body)).await;
            assert_eq!(reply.status, 403, "{method}: {}", reply.text);
            assert_eq!(reply.json()["error"]["code"], "accessDenied");
            assert!(reply.json()["error"]["message"].as_str().unwrap().contains("--emulator"), "{}", reply.text);
        }
        let reply = server.admin(Method::POST, &format!("{}/advance", clock_path(&server)), Some(&json!({"by": "PT1H"}))).await;
        assert_eq!(reply.status, 403);
        assert_eq!(server.store.now_for(&server.tenant), server.clock.now());
    }

    async fn the_clock_is_set_advanced_frozen_and_reset() {
        let server = emulator(0).await;
        let real = server.clock.now();
        let got = clock(&server, Method::GET, "", None, 200).await;
        assert_eq!((got["now"].as_str().unwrap(), got["offsetSeconds"].as_f64(), got["frozen"].as_bool()), (at(real).as_str(), Some(0.0), Some(false)));

        let target = real + Duration::days(365);
        let set = clock(&server, Method::PUT, "", Some(json!({"now": at(target), "frozen": true})), 200).await;
        assert_eq!((set["now"].as_str().unwrap(), set["frozen"].as_bool()), (at(target).as_str(), Some(true)));
        server.clock.advance(std::time::Duration::from_secs(600));
        assert_eq!(server.store.now_for(&server.tenant), target, "frozen: real time passing does not move it");
        let moved = clock(&server, Method::POST, "/advance", Some(json!({"by": "PT1H"})), 200).await;
        assert_eq!(moved["now"].as_str().unwrap(), at(target + Duration::hours(1)));
        let moved = clock(&server, Method::POST, "/advance", Some(json!({"by": 90})), 200).await;
        assert_eq!(moved["now"].as_str().unwrap(), at(target + Duration::seconds(3690)));

        let running = clock(&server, Method::PUT, "", Some(json!({"frozen": false})), 200).await;
        assert_eq!((running["now"].as_str().unwrap(), running["frozen"].as_bool()), (at(target + Duration::seconds(3690)).as_str(), Some(false)));
        server.clock.advance(std::time::Duration::from_secs(60));
        assert_eq!(server.store.now_for(&server.tenant), target + Duration::seconds(3750), "running: it moves with real time");

        let back = clock(&server, Method::PUT, "", Some(json!({"now": at(target)})), 400).await;
        assert_eq!(back["error"]["code"], "BadRequest");
        assert!(back["error"]["message"].as_str().unwrap().contains("only moves forward"), "{back}");
        for (suffix, body, says) in [
            ("/advance", json!({"by": "-PT1H"}), "only moves forward"),
            ("/advance", json!({"by": "P1M"}), "no fixed length"),
            ("/advance", json!({"by": "1 hour"}), "ISO 8601 duration"),
            ("/advance", json!({"by": [1]}), "ISO 8601 duration"),
            ("/advance", json!({}), "'by' is required"),
            ("/advance", json!({"by": "PT1H", "to": 1}), "Unknown property 'to'"),
            ("", json!({"now": "tomorrow"}), "'now'"),
            ("", json!({"now": 5}), "'now' must be a date-time"),
            ("", json!({"frozen": "yes"}), "'frozen' must be true or false"),
            ("", json!([]), "JSON object"),
        ] {
            let method = if suffix.is_empty() { Method::PUT } else { Method::POST };
            let e = clock(&server, method, suffix, Some(body.clone()), 400).await;
            assert!(e["error"]["message"].as_str().unwrap().contains(says), "{body}: {e}");
            assert!(e["error"]["innerError"]["request-id"].is_string(), "{e}");
        }
        let missing = server.admin(Method::GET, "/tenants/00000000-0000-0000-0000-000000000001/clock", None).await;
        assert_eq!((missing.status.as_u16(), missing.json()["error"]["code"].as_str()), (404, Some("itemNotFound")));
        let bad = server.admin(Method::GET, "/tenants/not-a-guid/clock", None).await;
        assert_eq!(bad.status, 400, "{}", bad.text);

        clock(&server, Method::DELETE, "", None, 204).await;
        let reset = clock(&server, Method::GET, "", None, 200).await;
        assert_eq!((reset["now"].as_str().unwrap(), reset["offsetSeconds"].as_f64()), (at(server.clock.now()).as_str(), Some(0.0)));
    }

    async fn writes_take_the_tenants_time_and_other_tenants_keep_theirs() {
        let server = emulator(3).await;
        let other = server.admin(Method::POST, "/tenants", Some(&json!({"displayName": "Other"}))).await;
        assert_eq!(other.status, 201, "{}", other.text);
        let other = model::TenantId(other.json()["id"].as_str().unwrap().to_owned());
        let frozen = server.clock.now() + Duration::days(40);
        clock(&server, Method::PUT, "", Some(json!({"now": at(frozen), "frozen": true})), 200).await;

        let alerts = server.get("/v1.0/security/alerts_v2?$top=1&$select=id").await.json();
        let id = alerts["value"][0]["id"].as_str().unwrap().to_owned();
        let patched = server.patch(&format!("/v1.0/security/alerts_v2/{id}"), &json!({"status": "inProgress"})).await;
        assert!(patched.status.is_success(), "{}", patched.text);
        let alert = server.get(&format!("/v1.0/security/alerts_v2/{id}")).await.json();
        assert_eq!(alert["lastUpdateDateTime"], at(frozen).as_str());

        let made = server.post("/beta/security/tiIndicators", &json!({"action": "block", "description": "d",
            "expirationDateTime": at(frozen + Duration::days(1)), "targetProduct": "Azure Sentinel",
            "threatType": "Botnet", "tlpLevel": "amber", "domainName": "clock.example"})).await;
        assert_eq!(made.status, 201, "{}", made.text);
        assert_eq!(made.json()["ingestedDateTime"], at(frozen).as_str(), "{}", made.text);

        assert_eq!(server.store.now_for(&other), server.clock.now(), "another tenant keeps real time");
        assert_eq!(server.store.tenant(&other).clock().get(), store::TenantTime::default());
    }

    async fn a_subscription_expires_when_the_tenants_clock_passes_it() {
        let server = emulator(2).await;
        let rx = WebhookReceiver::start().await;
        let expires = server.clock.now() + Duration::minutes(90);
        let sub = server.post("/v1.0/subscriptions", &json!({"changeType": "updated",
            "notificationUrl": rx.notify_url(), "lifecycleNotificationUrl": rx.lifecycle_url(),
            "clientState": "s", "resource": "security/alerts_v2", "expirationDateTime": at(expires)})).await;
        assert_eq!(sub.status, 201, "{}", sub.text);
        let sub_id = sub.json()["id"].as_str().unwrap().to_owned();
        let worker = fast_delivery(&server);

        // Ahead of real time, changes are still delivered at once (outbox rows stamped in the
        // tenant's time are available to the real-time worker).
        clock(&server, Method::POST, "/advance", Some(json!({"by": "PT20M"})), 200).await;
        assert_eq!(server.store.sweep_subscriptions().await.unwrap().removed, 0);
        let alerts = server.get("/v1.0/security/alerts_v2?$top=1&$select=id").await.json();
        let id = alerts["value"][0]["id"].as_str().unwrap().to_owned();
        let patched = server.patch(&format!("/v1.0/security/alerts_v2/{id}"), &json!({"status": "resolved"})).await;
        assert!(patched.status.is_success(), "{}", patched.text);
        drain(&server, &worker).await;
        assert_eq!(rx.changes().len(), 1, "the change was delivered");

        clock(&server, Method::POST, "/advance", Some(json!({"by": "PT2H"})), 200).await;
        let swept = server.store.sweep_subscriptions().await.unwrap();
        assert_eq!(swept.removed, 1, "{swept:?}");
        drain(&server, &worker).await;
        let events: Vec<Value> = rx.lifecycle().iter().map(|l| l["lifecycleEvent"].clone()).collect();
        assert!(events.contains(&json!("subscriptionRemoved")), "{events:?}");
        assert_eq!(server.get(&format!("/v1.0/subscriptions/{sub_id}")).await.status, 404);
        assert!(server.clock.now() < expires, "real time never reached the expiry");
    }

    async fn an_indicator_stops_matching_when_the_tenants_clock_passes_its_expiry() {
        let server = emulator(0).await;
        let expires = server.clock.now() + Duration::days(1);
        let made = server.post("/beta/security/tiIndicators", &json!({"action": "block", "description": "d",
            "expirationDateTime": at(expires), "targetProduct": "Azure Sentinel",
            "threatType": "Botnet", "tlpLevel": "amber", "domainName": "expiring.example"})).await;
        assert_eq!(made.status, 201, "{}", made.text);
        let verdict = || async {
            let line = json!({"type": "dns", "dns": {"question": {"name": "expiring.example"}}});
            let reply = server.send_raw(Method::POST, "/secgraph/v1/events", format!("{line}\n").into_bytes(),
                &[("content-type", "application/x-ndjson")]).await;
            assert_eq!(reply.status, 200, "{}", reply.text);
            reply.json()["value"][0]["verdict"].as_str().unwrap().to_owned()
        };
        assert_eq!(verdict().await, "block");
        clock(&server, Method::POST, "/advance", Some(json!({"by": "P2D"})), 200).await;
        assert_eq!(verdict().await, "none", "expired in the tenant's time");
        clock(&server, Method::DELETE, "", None, 204).await;
        assert_eq!(verdict().await, "block", "real time is back before the expiry");
    }

    async fn advancing_a_day_scores_the_next_day() {
        let server = emulator(0).await;
        let day = |t: time::OffsetDateTime| model::secure_score::score::day_text(t.date());
        let runner = server.store.secure_score_snapshots();
        runner.run(90).await.unwrap();
        clock(&server, Method::POST, "/advance", Some(json!({"by": "P1D"})), 200).await;
        runner.run(90).await.unwrap();
        let scores = server.get("/v1.0/security/secureScores?$orderby=createdDateTime desc").await.json();
        let ids: Vec<&str> = scores["value"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
        let today = server.clock.now();
        assert_eq!(ids, [format!("{}_{}", server.tenant, day(today + Duration::days(1))), format!("{}_{}", server.tenant, day(today))]);
        clock(&server, Method::POST, "/advance", Some(json!({"by": "P2D"})), 200).await;
        runner.run(2).await.unwrap();
        let scores = server.get("/v1.0/security/secureScores?$select=id").await.json();
        let ids: Vec<&str> = scores["value"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
        assert_eq!(ids, [format!("{}_{}", server.tenant, day(today + Duration::days(3)))], "retention counts the tenant's days");
    }
}
