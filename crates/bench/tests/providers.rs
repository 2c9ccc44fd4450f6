//! The `providers` benchmark's flows against a real server on 127.0.0.1:0 (testkit, token auth,
//! with the provider-callback outbox worker `secgraph serve` runs): the admin-API setup, the
//! checked push and update phases, and sync-back through the signature-checking double; and the
//! double itself refusing what a provider must refuse.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use bench::provider_double::ProviderDouble;
use bench::provider_push::{self, PushOptions};
use bench::provider_setup::{self, Http};
use bench::provider_sync::{self, SyncOptions};
use provider_protocol::signing::{self, SigningKey};
use provider_protocol::{AlertUpdate, CallbackAnswer, ProviderVersion};
use std::sync::Arc;
use std::time::Duration;
use testkit::TestServer;

fn http(server: &TestServer) -> Http {
    Http {
        client: reqwest::Client::new(),
        base: server.base_url.clone(),
    }
}

/// The outbox worker that delivers alert updates, as `secgraph serve` runs it.
fn callbacks(server: &TestServer) -> store::WorkerHandle {
    let client = outbound::OutboundClient::new(outbound::Limits::default()).unwrap();
    let worker = outbound::ProviderCallbacks::new(server.store.clone(), client);
    store::spawn_worker(
        server.store.outbox(),
        Arc::new(worker),
        store::WorkerOptions::default(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_sets_up_a_provider_and_checks_every_answer_and_the_count() {
    let server = TestServer::builder().tokens().start().await;
    let http = http(&server);
    let setup = provider_setup::set_up(&http, &server.admin_token, "t", "http://127.0.0.1:9/x")
        .await
        .unwrap();
    let opts = PushOptions {
        alerts: 2_500,
        batch: 1_000,
        connections: 2,
        update_every: 10,
        order: bench::pushed_alerts::Order::Created,
        server_pid: None,
    };
    provider_push::run(&http, &setup, &opts).await.unwrap();
    assert_eq!(http.alert_count(&setup.analyst_token).await.unwrap(), 2_500);
    // Pushed again, the answers are `unchanged` or `stale`, not `created`: the checks refuse them.
    let again = format!(
        "{:#}",
        provider_push::run(&http, &setup, &opts).await.unwrap_err()
    );
    assert!(again.contains("Created with an alertId, got"), "{again}");
    assert!(
        again.contains("Unchanged") || again.contains("Stale"),
        "{again}"
    );
    // A second setup on the same server is another tenant, counted on its own.
    let other = provider_setup::set_up(&http, &server.admin_token, "t", "http://127.0.0.1:9/x")
        .await
        .unwrap();
    assert_ne!(other.customer, setup.customer);
    assert_eq!(http.alert_count(&other.analyst_token).await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_times_every_patch_until_the_provider_receives_it() {
    let server = TestServer::builder().tokens().start().await;
    let worker = callbacks(&server);
    let opts = SyncOptions {
        patches: 40,
        rate: 400.0,
        deadline: Duration::from_secs(20),
        server_pid: None,
    };
    let figures = provider_sync::run(&http(&server), &server.admin_token, &opts)
        .await
        .unwrap();
    assert_eq!(figures.delivered, 40);
    assert_eq!(figures.latencies.len(), 40);
    assert_eq!(figures.patch_latencies.len(), 40);
    assert_eq!(figures.refused, 0);
    assert!(figures
        .latencies
        .iter()
        .all(|l| *l < Duration::from_secs(20)));
    worker.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_fails_when_updates_never_arrive() {
    // No outbox worker: the PATCHes commit, nothing is delivered, the deadline passes.
    let server = TestServer::builder().tokens().start().await;
    let opts = SyncOptions {
        patches: 3,
        rate: 100.0,
        deadline: Duration::from_millis(300),
        server_pid: None,
    };
    let e = provider_sync::run(&http(&server), &server.admin_token, &opts)
        .await
        .unwrap_err();
    assert!(format!("{e:#}").contains("only 0 of 3"), "{e:#}");
}

fn update(key: uuid::Uuid) -> AlertUpdate {
    AlertUpdate {
        protocol_version: 1,
        idempotency_key: key,
        tenant_id: model::TenantId("8c1e3c1a-0d4e-4a8e-9a52-3a5c1f2b7d10".into()),
        alert_id: model::AlertId("a-1".into()),
        provider_alert_id: "bench-1".into(),
        base_version: Some(ProviderVersion::Sequence(1)),
        changes: serde_json::from_value(serde_json::json!({"status": "inProgress"})).unwrap(),
        changed_by: None,
        changed_date_time: time::OffsetDateTime::now_utc(),
    }
}

/// POSTs `body` to the double signed with `secret`; answers the status and body.
async fn post_signed(double: &ProviderDouble, secret: &str, body: &[u8]) -> (u16, String) {
    let url = format!("{}/alertUpdates", double.base_url);
    let target = reqwest::Url::parse(&url).unwrap().path().to_owned();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let headers = signing::sign(
        &SigningKey::new(secret).unwrap(),
        "POST",
        &target,
        now,
        body,
    );
    let reply = reqwest::Client::new()
        .post(&url)
        .header(signing::TIMESTAMP_HEADER, headers.timestamp)
        .header(signing::SIGNATURE_HEADER, headers.signature)
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    (reply.status().as_u16(), reply.text().await.unwrap())
}

#[tokio::test]
async fn the_double_verifies_signatures_and_answers_repeats_alike() {
    let secret = "sgps_0123456789abcdef0123456789abcdef";
    let double = ProviderDouble::start().await.unwrap();
    let first = serde_json::to_vec(&update(uuid::Uuid::now_v7())).unwrap();
    assert_eq!(
        post_signed(&double, secret, &first).await.0,
        503,
        "no secret yet"
    );
    double.set_secret(secret).unwrap();
    let (status, text) = post_signed(&double, secret, &first).await;
    assert_eq!(status, 200, "{text}");
    let answer: CallbackAnswer = serde_json::from_str(&text).unwrap();
    assert_eq!(
        answer,
        CallbackAnswer::applied(Some(ProviderVersion::Sequence(1_000)))
    );
    let (_, again) = post_signed(&double, secret, &first).await;
    assert_eq!(again, text, "a repeated key gets the first answer");
    let second = serde_json::to_vec(&update(uuid::Uuid::now_v7())).unwrap();
    let (_, next) = post_signed(&double, secret, &second).await;
    assert!(next.contains("1001"), "{next}");
    let wrong = "sgps_ffffffffffffffffffffffffffffffff";
    assert_eq!(post_signed(&double, wrong, &second).await.0, 401);
    assert_eq!(double.arrivals().len(), 3);
    assert_eq!(double.distinct(), 2);
    assert_eq!(double.refused(), 2);
    double.stop().await;
}
