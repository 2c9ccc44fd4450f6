//! The real `firewall-provider` binary against a stand-in secgraph on loopback: signed actions
//! change the block list on disk and are reported, sightings push one alert per blocked address
//! with a growing version, alert updates are applied and recorded, the conformance kit passes,
//! and the block list survives a restart.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use provider_protocol::{ActionStatus, ProviderManifest};
use provider_sdk::check::{self, CheckOptions};
use serde_json::{json, Value};
use support::process::Firewall;
use support::{eventually, signed_post, stand_in, SIGNING_SECRET};

fn action(id: &str, name: &str, ip: &str) -> Value {
    json!({"protocolVersion": 1, "actionId": id, "tenantId": support::TENANT, "name": name,
           "parameters": [{"name": "ip", "value": ip}], "createdDateTime": "2025-03-01T10:06:00Z"})
}

async fn invoke(fw: &Firewall, id: &str, name: &str, ip: &str) -> Value {
    let url = format!("{}/actions", fw.callback_base());
    let resp = signed_post(&url, "/secgraph/actions", &action(id, name, ip)).await;
    assert_eq!(resp.status().as_u16(), 200);
    resp.json().await.unwrap()
}

async fn observe(fw: &Firewall, source: &str, destination: &str) -> Value {
    let resp = reqwest::Client::new()
        .post(format!("{}/observe", fw.base))
        .json(&json!({"sourceAddress": source, "destinationAddress": destination}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    resp.json().await.unwrap()
}

async fn blocklist(fw: &Firewall) -> Value {
    reqwest::get(format!("{}/blocklist", fw.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn manifest() -> ProviderManifest {
    let text = include_str!("../manifest.json");
    serde_json::from_str(text).unwrap()
}

#[test]
fn the_shipped_manifest_is_valid() {
    let m = manifest();
    m.validate().unwrap();
    assert_eq!(m.mode.to_string(), "push");
    let block = m.action("blockip").unwrap();
    assert!(block.parameter("ip").unwrap().required);
    assert!(m.action("unblockIp").unwrap().parameter("ip").is_some());
}

#[tokio::test]
async fn a_signed_block_then_a_sighting_pushes_one_alert() {
    let (seen, secgraph) = stand_in::start().await;
    let dir = tempfile::tempdir().unwrap();
    let fw = Firewall::start(&secgraph, &dir.path().join("state")).await;

    let answer = invoke(&fw, "act-1", "blockIp", "203.0.113.7").await;
    assert_eq!(
        answer,
        json!({"protocolVersion": 1, "result": "applied", "reason": null, "providerVersion": null})
    );
    let (id, update) = eventually(|| seen.lock().statuses.first().cloned()).await;
    assert_eq!(
        (id.as_str(), update.status),
        ("act-1", ActionStatus::Completed)
    );
    assert_eq!(blocklist(&fw).await, json!(["203.0.113.7"]));

    let first = observe(&fw, "10.0.0.5", "203.0.113.7").await;
    assert_eq!(first["matched"], json!(["203.0.113.7"]));
    assert_eq!(first["results"][0]["outcome"], "created");
    let again = observe(&fw, "203.0.113.7", "10.0.0.9").await;
    assert_eq!(again["results"][0]["outcome"], "updated");
    let nothing = observe(&fw, "10.0.0.5", "10.0.0.9").await;
    assert_eq!(nothing, json!({"matched": [], "results": []}));

    let batches = seen.lock().batches.clone();
    assert_eq!(
        batches.len(),
        2,
        "one push per sighting of a blocked address"
    );
    let (a, b) = (&batches[0].alerts, &batches[1].alerts);
    assert_eq!((a.len(), b.len()), (1, 1));
    assert_eq!(a[0].provider_alert_id, "fw-blocked-203.0.113.7");
    assert_eq!(
        b[0].provider_alert_id, a[0].provider_alert_id,
        "the same alert is updated"
    );
    assert_eq!(
        (a[0].version.to_string(), b[0].version.to_string()),
        ("1".into(), "2".into())
    );
    let alert = &a[0].alert.to_map();
    assert_eq!(
        (alert["title"].as_str(), alert["severity"].as_str()),
        (Some("Blocked address seen"), Some("medium"))
    );
    let evidence = &alert["evidence"][0];
    assert_eq!(
        evidence["@odata.type"],
        "#microsoft.graph.security.ipEvidence"
    );
    assert_eq!(evidence["ipAddress"], "203.0.113.7");
    assert_eq!(evidence["roles"], json!(["destination"]));
    let revised = b[0].alert.to_map();
    assert_eq!(revised["evidence"][0]["roles"], json!(["source"]));
    assert_eq!(revised["createdDateTime"], alert["createdDateTime"]);
}

#[tokio::test]
async fn bad_addresses_fail_finished_actions_cannot_be_cancelled_and_unsigned_calls_are_refused() {
    let (seen, secgraph) = stand_in::start().await;
    let dir = tempfile::tempdir().unwrap();
    let fw = Firewall::start(&secgraph, &dir.path().join("state")).await;

    invoke(&fw, "act-bad", "blockIp", "not-an-ip").await;
    let (_, failed) = eventually(|| seen.lock().statuses.first().cloned()).await;
    assert_eq!(failed.status, ActionStatus::Failed);
    let info = failed.error_info.unwrap();
    assert_eq!(info.code, 400);
    assert!(info.message.unwrap().contains("ip:"));
    assert_eq!(blocklist(&fw).await, json!([]));

    let cancel = json!({"protocolVersion": 1, "actionId": "act-bad", "tenantId": support::TENANT});
    let url = format!("{}/actions/act-bad/cancel", fw.callback_base());
    let answer: Value = signed_post(&url, "/secgraph/actions/act-bad/cancel", &cancel)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answer["result"], "rejected");
    assert!(
        answer["reason"]
            .as_str()
            .unwrap()
            .contains("already finished"),
        "{answer}"
    );

    let unsigned = reqwest::Client::new()
        .post(format!("{}/actions", fw.callback_base()))
        .json(&action("act-2", "blockIp", "192.0.2.9"))
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status().as_u16(), 401);
    let wrong_path = signed_post(
        &format!("{}/actions", fw.callback_base()),
        "/actions",
        &action("act-3", "blockIp", "192.0.2.9"),
    )
    .await;
    assert_eq!(
        wrong_path.status().as_u16(),
        401,
        "the signature covers the /secgraph prefix"
    );
    assert_eq!(blocklist(&fw).await, json!([]));
}

#[tokio::test]
async fn alert_updates_are_applied_with_a_growing_version_recorded_and_carried_in_later_pushes() {
    let (seen, secgraph) = stand_in::start().await;
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let fw = Firewall::start(&secgraph, &state).await;
    invoke(&fw, "act-1", "blockIp", "198.51.100.4").await;
    observe(&fw, "198.51.100.4", "10.0.0.1").await;

    let url = format!("{}/alertUpdates", fw.callback_base());
    let mut versions = Vec::new();
    for (key, changes) in [
        (
            "0195a3c4-7b1e-7f00-8a2b-000000000001",
            json!({"status": "inProgress"}),
        ),
        (
            "0195a3c4-7b1e-7f00-8a2b-000000000002",
            json!({"status": "resolved", "classification": "truePositive"}),
        ),
    ] {
        let update = json!({"protocolVersion": 1, "idempotencyKey": key, "tenantId": support::TENANT,
            "alertId": "5b0f9c52-6f7e-5d7c-9a55-0c3f7e1d2a10", "providerAlertId": "fw-blocked-198.51.100.4",
            "baseVersion": 1, "changes": changes, "changedDateTime": "2025-03-01T10:05:00Z"});
        let answer: Value = signed_post(&url, "/secgraph/alertUpdates", &update)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(answer["result"], "applied", "{answer}");
        versions.push(answer["providerVersion"].as_u64().unwrap());
    }
    assert_eq!(
        versions,
        [2, 3],
        "each update is a new version after the first sighting's 1"
    );
    let journal = std::fs::read_to_string(state.join("alert-updates.jsonl")).unwrap();
    assert_eq!(journal.lines().count(), 2);
    assert!(journal.contains("\"providerVersion\":3"));

    let pushed = observe(&fw, "198.51.100.4", "10.0.0.1").await;
    assert_eq!(pushed["results"][0]["outcome"], "updated");
    let batches = seen.lock().batches.clone();
    let last = &batches.last().unwrap().alerts[0];
    assert_eq!(
        last.version.to_string(),
        "4",
        "newer than the answered providerVersion"
    );
    let object = last.alert.to_map();
    assert_eq!(
        (object["status"].as_str(), object["classification"].as_str()),
        (Some("resolved"), Some("truePositive"))
    );
}

#[tokio::test]
async fn the_conformance_kit_passes_against_the_binary() {
    let (_seen, secgraph) = stand_in::start().await;
    let dir = tempfile::tempdir().unwrap();
    let fw = Firewall::start(&secgraph, &dir.path().join("state")).await;
    let mut m = manifest();
    m.callback_base_url = fw.callback_base();
    let mut options = CheckOptions::new(fw.callback_base(), SIGNING_SECRET);
    options.tenant_id = support::TENANT.into();
    options.manifest = Some(m);
    let report = check::run(options).await;
    assert!(report.passed(), "{report}");
    assert!(
        report
            .check("action.blockIp.cancel")
            .unwrap()
            .message
            .contains("already finished"),
        "{report}"
    );
    assert_eq!(
        blocklist(&fw).await,
        json!([]),
        "blockIp then unblockIp left nothing blocked"
    );
}

#[tokio::test]
async fn the_block_list_survives_a_restart() {
    let (_seen, secgraph) = stand_in::start().await;
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let fw = Firewall::start(&secgraph, &state).await;
    invoke(&fw, "act-1", "blockIp", "192.0.2.77").await;
    invoke(&fw, "act-2", "blockIp", "2001:db8::1").await;
    invoke(&fw, "act-3", "unblockIp", "192.0.2.77").await;
    invoke(&fw, "act-4", "blockIp", "[2001:DB8::2]").await;
    fw.stop().await;

    let on_disk: Value =
        serde_json::from_slice(&std::fs::read(state.join("blocklist.json")).unwrap()).unwrap();
    assert_eq!(on_disk["addresses"], json!(["2001:db8::1", "2001:db8::2"]));
    assert!(!state.join("blocklist.json.tmp").exists());

    let fw = Firewall::start(&secgraph, &state).await;
    assert_eq!(blocklist(&fw).await, json!(["2001:db8::1", "2001:db8::2"]));
}
