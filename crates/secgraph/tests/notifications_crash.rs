//! Crash safety of change-notification delivery: the real `secgraph serve` process, a real receiver
//! on loopback (`testkit::WebhookReceiver`), a subscription, hundreds of alert changes, SIGKILL while
//! notifications are on the wire, a restart on the same data directory and database — and every
//! change's notification arrives (at least once), on both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Data, Server, ANCHOR};
use odata::encode_query_value as enc;
use reqwest::Method;
use serde_json::json;
use std::collections::BTreeSet;
use std::time::Duration;
use testkit::WebhookReceiver;

/// How many alerts are changed.
const CHANGES: usize = 300;

const ARGS: &[&str] = &[
    "--demo",
    "--demo-anchor",
    ANCHOR,
    "--allow-insecure-webhooks",
];

/// The alert ids `rx` received an `updated` notification for.
fn updated(rx: &WebhookReceiver) -> BTreeSet<String> {
    rx.changes()
        .iter()
        .filter(|n| n["changeType"] == "updated")
        .map(|n| n["resourceData"]["id"].as_str().unwrap().to_owned())
        .collect()
}

testdb::conformance! {
    async fn every_notification_arrives_after_a_sigkill_mid_delivery() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let mut server = Server::start(dir.path(), &data, ARGS, &[]).await;
        let rx = WebhookReceiver::start().await;
        let expires = time::OffsetDateTime::now_utc() + time::Duration::days(1);
        let body = json!({"changeType": "updated", "notificationUrl": rx.notify_url(),
            "resource": "security/alerts_v2", "clientState": "crash",
            "expirationDateTime": model::datetime::format(expires)});
        let reply = server.request(Method::POST, "/v1.0/subscriptions").json(&body).send().await.unwrap();
        assert_eq!(reply.status(), 201, "{}", reply.text().await.unwrap());

        // Every POST takes the receiver 2 s, so notifications are in flight when the process dies.
        rx.delay(Duration::from_secs(2));
        let ids: Vec<String> = server.ids("alerts_v2").await.into_iter().take(CHANGES).collect();
        assert_eq!(ids.len(), CHANGES);
        for (n, id) in ids.iter().enumerate() {
            let path = format!("/v1.0/security/alerts_v2/{}", enc(id));
            let patch = json!({"assignedTo": format!("analyst{n}@contoso.com")});
            let reply = server.request(Method::PATCH, &path).json(&patch).send().await.unwrap();
            assert_eq!(reply.status(), 200, "{}", reply.text().await.unwrap());
        }
        assert!(rx.wait_until(Duration::from_secs(30), |r| r.posts() > 0).await, "delivery started");
        server.proc.kill().await;
        let before = updated(&rx);
        let expected: BTreeSet<String> = ids.into_iter().collect();
        assert!(before.len() < expected.len(), "killed before everything was delivered: {}", before.len());

        rx.delay(Duration::ZERO);
        let server = Server::start(dir.path(), &data, ARGS, &[]).await;
        let all = rx.wait_until(Duration::from_secs(120), |r| updated(r).is_superset(&expected)).await;
        let got = updated(&rx);
        let missing: Vec<&String> = expected.difference(&got).collect();
        assert!(all, "{} of {CHANGES} never arrived, e.g. {:?}", missing.len(), &missing[..missing.len().min(5)]);
        for n in rx.changes() {
            assert_eq!(n["clientState"], "crash");
            assert!(n["id"].as_str().is_some_and(|id| !id.is_empty()));
        }
        server.stop().await;
    }
}
