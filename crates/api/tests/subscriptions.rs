//! `/subscriptions` and change-notification delivery end to end on both backends, with a real
//! receiver on loopback (`testkit::WebhookReceiver`) and the real delivery worker
//! (`outbound::NotificationDelivery`) driven pass by pass: create (with the validation handshake),
//! read, renew, delete; every one of 1,000 alert changes delivered (counted by id) across a
//! receiver outage; a slow receiver moved to its own lane without delaying another; dead-letter
//! and `missed` after the 4-hour window; expiry on time with `subscriptionRemoved`;
//! `reauthorizationRequired` when the tenant's consent to the subscribing application changes;
//! the list paged by `@odata.nextLink`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use auth::Permission;
use common::notifications::{delivery, drain, ingest_demo};
use outbound::notifications::{DeliveryOptions, Lane};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::time::Duration;
use store::Clock;
use testkit::{TestServer, WebhookReceiver};

fn expiry(server: &TestServer, minutes: i64) -> String {
    model::datetime::format(server.clock.now() + time::Duration::minutes(minutes))
}

async fn subscribe(server: &TestServer, rx: &WebhookReceiver, resource: &str) -> Value {
    let body = json!({
        "changeType": "created,updated",
        "notificationUrl": rx.notify_url(),
        "lifecycleNotificationUrl": rx.lifecycle_url(),
        "resource": resource,
        "expirationDateTime": expiry(server, 60 * 24),
        "clientState": "secret-state",
    });
    let reply = server.post("/v1.0/subscriptions", &body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.json()
}

testdb::conformance! {
    async fn subscriptions_are_created_validated_renewed_and_deleted() {
        let server = TestServer::start().await;
        let rx = WebhookReceiver::start().await;
        let sub = subscribe(&server, &rx, "security/alerts").await;
        assert_eq!(rx.handshakes(), 2, "notificationUrl and lifecycleNotificationUrl validated");
        assert_eq!(sub["clientState"], "secret-state");
        assert_eq!(sub["@odata.context"], format!("{}/v1.0/$metadata#subscriptions/$entity", server.base_url));
        let id = sub["id"].as_str().unwrap();

        let one = server.get(&format!("/beta/subscriptions/{id}")).await;
        assert_eq!(one.status, 200);
        assert_eq!(one.json()["resource"], "security/alerts");
        let list = server.get("/v1.0/subscriptions").await.json();
        assert_eq!(list["value"].as_array().unwrap().len(), 1);
        assert_eq!(list["value"][0]["clientState"], Value::Null, "lists never carry clientState");

        let renewed = expiry(&server, 43_000);
        let reply = server.patch(&format!("/v1.0/subscriptions/{id}"), &json!({"expirationDateTime": renewed})).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.json()["expirationDateTime"], renewed);
        let reply = server.post(&format!("/v1.0/subscriptions/{id}/reauthorize"), &json!({})).await;
        assert_eq!(reply.status, 204, "{}", reply.text);

        let reply = server.send_raw(reqwest::Method::DELETE, &format!("/v1.0/subscriptions/{id}"), Vec::new(), &[]).await;
        assert_eq!(reply.status, 204);
        assert_eq!(server.get(&format!("/v1.0/subscriptions/{id}")).await.status, 404);
    }

    async fn bad_subscriptions_are_400s_that_say_what_to_fix() {
        let server = TestServer::start().await;
        let rx = WebhookReceiver::start().await;
        let good = json!({"changeType": "created", "notificationUrl": rx.notify_url(),
            "resource": "security/alerts_v2", "expirationDateTime": expiry(&server, 60)});
        let cases = [
            ("expirationDateTime", json!(expiry(&server, 43_201)), "43200 minutes"),
            ("clientState", json!("x".repeat(129)), "128"),
            ("notificationUrl", json!("http://example.com/hook"), "https"),
            ("notificationUrl", json!("https://169.254.169.254/latest"), "link-local"),
            ("resource", json!("security/alerts?$filter=nope eq 1"), "nope"),
            ("resource", json!("me/messages"), "cannot be subscribed"),
        ];
        for (name, value, needle) in cases {
            let mut body = good.clone();
            body[name] = value;
            let reply = server.post("/v1.0/subscriptions", &body).await;
            assert_eq!(reply.status, 400, "{name}: {}", reply.text);
            let message = reply.json()["error"]["message"].as_str().unwrap().to_owned();
            assert!(message.contains(needle), "{name}: {message}");
        }
        rx.echo_wrong_token(Some("not-the-token"));
        let reply = server.post("/v1.0/subscriptions", &good).await;
        assert_eq!(reply.status, 400);
        assert!(reply.text.contains("validation"), "{}", reply.text);
        assert_eq!(server.get("/v1.0/subscriptions").await.json()["value"], json!([]));
    }

    async fn every_one_of_1000_changes_arrives_after_an_outage() {
        let server = TestServer::start().await;
        let rx = WebhookReceiver::start().await;
        let legacy = subscribe(&server, &rx, "security/alerts").await;
        let v2 = subscribe(&server, &rx, "security/alerts_v2").await;
        rx.fail_with(Some(500));
        let ids = ingest_demo(&server, 1000).await;
        let worker = delivery(&server, Lane::Fast, DeliveryOptions::default());
        drain(&server, &worker).await;
        assert!(rx.posts() > 0, "deliveries were tried during the outage");
        assert!(rx.changes().is_empty());
        rx.fail_with(None);
        server.clock.advance(Duration::from_secs(60));
        drain(&server, &worker).await;

        // Correlation rewrites alerts it groups (their incidentId), which are changes too.
        let changes = server.store.tenant(&server.tenant).changes_since(0, 100_000).await.unwrap();
        assert!(changes.len() >= 1000);
        let got = rx.changes();
        let unique: HashSet<&str> = got.iter().map(|n| n["id"].as_str().unwrap()).collect();
        assert_eq!(unique.len(), 2 * changes.len(), "one notification per change and subscription");
        for sub in [&legacy, &v2] {
            let of_sub: HashSet<&str> = got.iter()
                .filter(|n| n["subscriptionId"] == sub["id"])
                .map(|n| n["resourceData"]["id"].as_str().unwrap())
                .collect();
            let expected: HashSet<&str> = ids.iter().map(String::as_str).collect();
            assert_eq!(of_sub, expected);
        }
        let n = &got[0];
        assert_eq!(n["clientState"], "secret-state");
        assert_eq!(n["changeType"], "created");
        assert_eq!(n["tenantId"], server.tenant.as_str());
        assert!(n["resource"].as_str().unwrap().starts_with("security/alerts"));
        assert_eq!(server.store.outbox().pending(None).await.unwrap(), 0);
    }

    async fn a_slow_receiver_moves_to_its_own_lane() {
        let server = TestServer::start().await;
        let slow_rx = WebhookReceiver::start().await;
        let fast_rx = WebhookReceiver::start().await;
        subscribe(&server, &slow_rx, "security/alerts_v2").await;
        subscribe(&server, &fast_rx, "security/alerts_v2").await;
        slow_rx.delay(Duration::from_millis(700));
        let options = DeliveryOptions { fast_timeout: Duration::from_millis(300), ..DeliveryOptions::default() };
        let fast = delivery(&server, Lane::Fast, options.clone());
        let slow = delivery(&server, Lane::Slow, options);
        ingest_demo(&server, 10).await;
        drain(&server, &fast).await;
        assert_eq!(fast_rx.changes().len(), 10);
        assert!(slow_rx.changes().is_empty(), "the slow receiver timed out in the fast lane");
        // Later changes go straight to the slow lane: the fast lane never waits for it again.
        ingest_demo(&server, 5).await;
        let started = std::time::Instant::now();
        drain(&server, &fast).await;
        assert!(started.elapsed() < Duration::from_millis(300), "{:?}", started.elapsed());
        assert_eq!(fast_rx.changes().len(), 10, "re-ingesting the same demo alerts is no change");
        drain(&server, &slow).await;
        assert_eq!(slow_rx.changes().len(), 10);
    }

    async fn undeliverable_notifications_are_dead_lettered_with_missed() {
        let server = TestServer::start().await;
        let rx = WebhookReceiver::start().await;
        let sub = subscribe(&server, &rx, "security/alerts_v2").await;
        let id = sub["id"].as_str().unwrap();
        rx.fail_with(Some(503));
        ingest_demo(&server, 3).await;
        let worker = delivery(&server, Lane::Fast, DeliveryOptions::default());
        let outbox = server.store.outbox();
        for _ in 0..40 {
            drain(&server, &worker).await;
            if outbox.pending(Some(store::subscriptions::CHANGE_KIND)).await.unwrap() == 0 {
                break;
            }
            server.clock.advance(Duration::from_secs(15 * 60));
        }
        let waited = server.clock.now() - testkit::test_anchor();
        assert!(waited >= time::Duration::hours(4), "given up only after the window: {waited}");
        assert_eq!(outbox.pending(Some(store::subscriptions::CHANGE_KIND)).await.unwrap(), 0);
        let dead = server.store.tenant(&server.tenant).subscriptions().dead_letters(id).await.unwrap();
        assert_eq!(dead.len(), 3);
        rx.fail_with(None);
        server.clock.advance(Duration::from_secs(2 * 3600));
        drain(&server, &worker).await;
        let missed: Vec<Value> = rx.lifecycle().into_iter().filter(|l| l["lifecycleEvent"] == "missed").collect();
        assert!(!missed.is_empty());
        assert_eq!(missed[0]["subscriptionId"], id);
        assert!(rx.changes().is_empty());
    }

    async fn expired_subscriptions_are_removed_on_time() {
        let server = TestServer::start().await;
        let rx = WebhookReceiver::start().await;
        let body = json!({"changeType": "created", "notificationUrl": rx.notify_url(),
            "lifecycleNotificationUrl": rx.lifecycle_url(), "clientState": "s",
            "resource": "security/alerts", "expirationDateTime": expiry(&server, 90)});
        let sub = server.post("/v1.0/subscriptions", &body).await.json();
        let id = sub["id"].as_str().unwrap();
        let worker = delivery(&server, Lane::Fast, DeliveryOptions::default());
        assert_eq!(server.store.sweep_subscriptions().await.unwrap().reauthorize, 0);
        server.clock.advance(Duration::from_secs(40 * 60));
        assert_eq!(server.store.sweep_subscriptions().await.unwrap().reauthorize, 1);
        assert_eq!(server.store.sweep_subscriptions().await.unwrap().reauthorize, 0, "sent once");
        server.clock.advance(Duration::from_secs(51 * 60));
        assert_eq!(server.store.sweep_subscriptions().await.unwrap().removed, 1);
        assert_eq!(server.get(&format!("/v1.0/subscriptions/{id}")).await.status, 404);
        ingest_demo(&server, 2).await;
        drain(&server, &worker).await;
        assert!(rx.changes().is_empty(), "no notifications after expiry");
        let events: Vec<Value> = rx.lifecycle().iter().map(|l| l["lifecycleEvent"].clone()).collect();
        assert_eq!(events, vec![json!("reauthorizationRequired"), json!("subscriptionRemoved")]);
    }

    async fn a_consent_change_sends_reauthorization_required() {
        let server = TestServer::builder().tokens().start().await;
        let rx = WebhookReceiver::start().await;
        let tenant = server.tenant.clone();
        let app = server.register_app(&tenant).await;
        let all = [Permission::SecurityEventsReadWriteAll, Permission::SecurityAlertReadAll];
        server.grant(&tenant, &app, &all).await;
        let token = server.token(&tenant, &app).await;
        let body = json!({"changeType": "created", "notificationUrl": rx.notify_url(),
            "lifecycleNotificationUrl": rx.lifecycle_url(), "resource": "security/alerts",
            "expirationDateTime": expiry(&server, 60 * 24)});
        let reply = server.send_as(&token, reqwest::Method::POST, "/v1.0/subscriptions", Some(&body)).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        let id = reply.json()["id"].as_str().unwrap().to_owned();
        // Another application's subscription is not told.
        let other = server.token_with(&tenant, &all).await;
        let reply = server.send_as(&other, reqwest::Method::POST, "/v1.0/subscriptions", Some(&body)).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        let worker = delivery(&server, Lane::Fast, DeliveryOptions::default());

        server.grant(&tenant, &app, &all).await;
        drain(&server, &worker).await;
        assert!(rx.lifecycle().is_empty(), "the same grant again changes nothing");

        server.grant(&tenant, &app, &all[1..]).await;
        drain(&server, &worker).await;
        let events = rx.lifecycle();
        assert_eq!(events.len(), 1, "{events:?}");
        assert_eq!(events[0]["lifecycleEvent"], "reauthorizationRequired");
        assert_eq!(events[0]["subscriptionId"], id);

        assert!(server.store.identity().revoke_consent(&tenant, &app.client_id).await.unwrap());
        drain(&server, &worker).await;
        assert_eq!(rx.lifecycle().len(), 2);
        assert_eq!(rx.lifecycle()[1]["subscriptionId"], id);
    }

    async fn the_list_is_paged_with_next_links() {
        let server = TestServer::start().await;
        let rx = WebhookReceiver::start().await;
        let mut created = HashSet::new();
        for _ in 0..105 {
            let body = json!({"changeType": "created", "notificationUrl": rx.notify_url(),
                "resource": "security/alerts_v2", "expirationDateTime": expiry(&server, 60)});
            let reply = server.post("/beta/subscriptions", &body).await;
            assert_eq!(reply.status, 201, "{}", reply.text);
            created.insert(reply.json()["id"].as_str().unwrap().to_owned());
        }
        let first = server.get("/beta/subscriptions").await.json();
        assert_eq!(first["value"].as_array().unwrap().len(), 100);
        let next = first["@odata.nextLink"].as_str().unwrap();
        let path = next.strip_prefix(&server.base_url).unwrap();
        assert!(path.starts_with("/beta/subscriptions?"), "{next}");
        let second = server.get(path).await.json();
        assert_eq!(second["value"].as_array().unwrap().len(), 5);
        assert!(second.get("@odata.nextLink").is_none(), "{second}");
        let listed: Vec<String> = [&first, &second]
            .iter()
            .flat_map(|page| page["value"].as_array().unwrap().iter())
            .map(|s| s["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(listed.len(), 105);
        assert_eq!(listed.into_iter().collect::<HashSet<_>>(), created, "every one once");

        let bad = server.get("/v1.0/subscriptions?$skiptoken=%25%25").await;
        assert_eq!(bad.status, 400, "{}", bad.text);
        assert!(bad.text.contains("nextLink"), "{}", bad.text);
    }
}
