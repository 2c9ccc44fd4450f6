//! Change-notification test plumbing: the real delivery worker driven pass by pass, and a
//! subscription made through the API against a real receiver on loopback.

use outbound::notifications::{DeliveryOptions, Lane, NotificationDelivery};
use outbound::{Limits, OutboundClient, WebhookPolicy};
use serde_json::{json, Value};
use store::{Clock, WorkerOptions};
use testkit::{TestServer, WebhookReceiver};

/// The fast-lane delivery worker of `server`, allowed to reach loopback receivers.
pub fn fast_delivery(server: &TestServer) -> NotificationDelivery {
    delivery(server, Lane::Fast, DeliveryOptions::default())
}

/// The delivery worker of `lane` with `options`, allowed to reach loopback receivers.
pub fn delivery(server: &TestServer, lane: Lane, options: DeliveryOptions) -> NotificationDelivery {
    let client = OutboundClient::new(Limits::default()).unwrap();
    let policy = WebhookPolicy {
        allow_insecure: true,
        ..WebhookPolicy::default()
    };
    NotificationDelivery::new(server.store.clone(), client, policy, lane, options)
}

/// Runs passes of `worker` until nothing is available now.
pub async fn drain(server: &TestServer, worker: &NotificationDelivery) {
    let options = WorkerOptions {
        batch: 500,
        ..WorkerOptions::default()
    };
    let outbox = server.store.outbox();
    while outbox.run_once_with(worker, &options).await.unwrap() > 0 {}
}

/// The body of a one-day subscription to `resource` for `change_type`, delivered to `rx`.
pub fn subscription(
    server: &TestServer,
    rx: &WebhookReceiver,
    resource: &str,
    change_type: &str,
) -> Value {
    let expires = server.clock.now() + time::Duration::days(1);
    json!({
        "changeType": change_type,
        "notificationUrl": rx.notify_url(),
        "resource": resource,
        "expirationDateTime": model::datetime::format(expires),
        "clientState": "state",
    })
}

/// Subscribes (as the emulator's caller) and returns the subscription's id.
pub async fn subscribe(
    server: &TestServer,
    rx: &WebhookReceiver,
    resource: &str,
    change_type: &str,
) -> String {
    let reply = server
        .post(
            "/v1.0/subscriptions",
            &subscription(server, rx, resource, change_type),
        )
        .await;
    assert_eq!(reply.status, 201, "{resource}: {}", reply.text);
    reply.json()["id"].as_str().unwrap().to_owned()
}

/// The `(changeType, resourceData.id)` pairs `rx` received for subscription `id`, in arrival order.
pub fn received(rx: &WebhookReceiver, id: &str) -> Vec<(String, String)> {
    rx.changes()
        .into_iter()
        .filter(|n| n["subscriptionId"] == id)
        .map(|n| {
            let change = n["changeType"].as_str().unwrap().to_owned();
            (change, n["resourceData"]["id"].as_str().unwrap().to_owned())
        })
        .collect()
}

/// Ingests `n` demo alerts (as the demo loader does) and returns their ids.
pub async fn ingest_demo(server: &TestServer, n: usize) -> Vec<String> {
    let mut cfg = demo::DemoConfig::new(server.tenant.clone(), testkit::test_anchor());
    cfg.count = n;
    let alerts: Vec<_> = demo::generate(&cfg).collect();
    let ids = alerts.iter().map(|a| a.alert.id.to_string()).collect();
    let tenant = server.store.tenant(&server.tenant);
    tenant
        .ingest(alerts, store::IngestOrigin::Demo)
        .await
        .unwrap();
    ids
}
