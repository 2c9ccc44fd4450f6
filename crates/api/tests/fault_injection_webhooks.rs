//! Emulator fault injection on change notifications, end to end on both backends with a real
//! receiver on loopback and the real delivery worker: a dropped delivery reaches nobody, is shown
//! in the profile's `droppedNotifications` and is recovered by a replay; a delayed delivery
//! arrives after the delay; another tenant's profile or a removed one changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::notifications::{drain, fast_delivery, ingest_demo, received, subscribe};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use testkit::{TestServer, WebhookReceiver};

async fn set_profile(server: &TestServer, profile: &Value) -> Value {
    let path = format!("/tenants/{}/faultProfile", server.tenant.as_str());
    let reply = server.admin(Method::PUT, &path, Some(profile)).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()
}

async fn profile(server: &TestServer) -> Value {
    let path = format!("/tenants/{}/faultProfile", server.tenant.as_str());
    server.admin(Method::GET, &path, None).await.json()
}

testdb::conformance! {
    async fn dropped_deliveries_are_recorded_and_replay_recovers_them() {
        let server = TestServer::start().await;
        let rx = WebhookReceiver::start().await;
        let sub = subscribe(&server, &rx, "security/alerts_v2", "created").await;
        set_profile(&server, &json!({"webhooks": {"dropRate": 1.0}})).await;
        let worker = fast_delivery(&server);
        let ids = ingest_demo(&server, 3).await;
        drain(&server, &worker).await;
        assert!(rx.changes().is_empty(), "a dropped delivery reaches nobody");
        assert_eq!(rx.posts(), 0);
        assert_eq!(profile(&server).await["droppedNotifications"], 3);
        // Without the profile, a replay sends what was dropped (with its ids).
        let path = format!("/tenants/{}/faultProfile", server.tenant.as_str());
        assert_eq!(server.admin(Method::DELETE, &path, None).await.status, 204);
        let replay = server
            .post(&format!("/secgraph/v1/subscriptions/{sub}/replay?since=0"), &json!({}))
            .await;
        assert!(replay.status.is_success(), "{}", replay.text);
        drain(&server, &worker).await;
        let mut got: Vec<String> = received(&rx, &sub).into_iter().map(|(_, id)| id).collect();
        got.sort();
        let mut want = ids.clone();
        want.sort();
        assert_eq!(got, want);
        assert!(rx.changes().iter().all(|n| n["@secgraph.replayed"] == true));
        // And new changes are delivered normally again.
        let more = ingest_demo_more(&server).await;
        drain(&server, &worker).await;
        assert!(received(&rx, &sub).iter().any(|(_, id)| *id == more));
    }

    async fn delayed_deliveries_arrive_after_the_delay() {
        let server = TestServer::start().await;
        let rx = WebhookReceiver::start().await;
        let sub = subscribe(&server, &rx, "security/alerts_v2", "created").await;
        let profile = json!({"webhooks": {"delayRate": 1.0, "delayMinMs": 300, "delayMaxMs": 350}});
        set_profile(&server, &profile).await;
        let worker = fast_delivery(&server);
        let ids = ingest_demo(&server, 2).await;
        let started = Instant::now();
        drain(&server, &worker).await;
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(300), "delivered after {took:?}");
        assert_eq!(received(&rx, &sub).len(), ids.len());
        assert_eq!(self::profile(&server).await["droppedNotifications"], 0);
    }
}

/// Ingests one more alert with an id of its own; returns the id.
async fn ingest_demo_more(server: &TestServer) -> String {
    let mut cfg = demo::DemoConfig::new(server.tenant.clone(), testkit::test_anchor());
    cfg.count = 1;
    let mut alerts: Vec<_> = demo::generate(&cfg).collect();
    alerts[0].alert.id = model::AlertId::from("fault-injection-after");
    let id = alerts[0].alert.id.to_string();
    server
        .store
        .tenant(&server.tenant)
        .ingest(alerts, store::IngestOrigin::Demo)
        .await
        .unwrap();
    id
}
