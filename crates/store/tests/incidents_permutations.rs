//! Determinism of correlation through the store, on both backends: once every alert has been
//! written, the grouping of alerts into incidents is the same whatever order they arrived in —
//! each alert in its own write job, so every step goes through the store's transactions, the
//! engine's redirects and the rewrites of moved alerts. (The engine alone is tested over every
//! permutation in `correlate`'s tests; here, seeded random orders of real-shaped alerts.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "incidents/support.rs"]
mod support;

use common::*;
use model::enums::AlertStatus;
use model::{AlertId, StoredAlert};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use store::IngestOrigin;
use support::*;

/// The grouping: the sets of alert ids that share an incident (incident ids may differ).
type Grouping = BTreeSet<BTreeSet<String>>;

/// The alerts of the phishing scenario file (a mail, its click, an EDR alert, an IDS alert on the
/// C2 address, and noise).
fn phishing_alerts() -> Vec<StoredAlert> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/scenarios/phishing-to-c2.json"
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| alert(a["id"].as_str().unwrap(), a.clone()))
        .collect()
}

/// User evidence for `upn`.
fn user(upn: &str) -> Value {
    json!({"@odata.type": "#microsoft.graph.security.userEvidence",
           "userAccount": {"userPrincipalName": upn, "accountName": upn.split('@').next()},
           "roles": [], "tags": [], "detailedRoles": [], "verdict": "suspicious",
           "remediationStatus": "none", "createdDateTime": "2024-05-01T00:00:00Z"})
}

/// Eight attacks of four alerts each, chained so that only the whole chain links them (device →
/// user → IP), interleaved in time over six hours, and eight noise alerts that share only a
/// private address. Arrival orders differ in which incident opens first and which gets
/// redirected, never in the final grouping.
fn chained_alerts() -> Vec<StoredAlert> {
    let mut alerts = Vec::new();
    for attack in 0..8 {
        let (host, upn, c2) = (
            format!("ws{attack:02}.contoso.com"),
            format!("user{attack}@contoso.com"),
            format!("198.51.100.{}", 10 + attack),
        );
        let links = [
            json!([device(&host)]),
            json!([device(&host), user(&upn)]),
            json!([user(&upn), ip(&c2)]),
            json!([ip(&c2)]),
        ];
        for (step, evidence) in links.into_iter().enumerate() {
            let minute = (step as i64) * 90 + attack;
            let id = format!("attack{attack}-step{step}");
            alerts.push(with_evidence(&id, minute, "medium", evidence));
        }
    }
    for n in 0..8 {
        let id = format!("noise{n}");
        alerts.push(with_evidence(&id, n * 40, "low", json!([ip("10.0.0.5")])));
    }
    alerts
}

/// A reproducible shuffle (xorshift seeded with `seed`; Fisher–Yates).
fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = items.to_vec();
    for i in (1..out.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = usize::try_from(state % (i as u64 + 1)).unwrap();
        out.swap(i, j);
    }
    out
}

/// Writes `alerts` one write job each, in order, into a fresh store and returns the grouping.
async fn grouping_after(alerts: Vec<StoredAlert>) -> Grouping {
    let t = open().await;
    let ids: Vec<String> = alerts.iter().map(|a| a.alert.id.0.clone()).collect();
    for a in alerts {
        t.store
            .tenant(&tenant_a())
            .ingest(vec![a], IngestOrigin::Import)
            .await
            .unwrap();
    }
    assert_rolled_up(&t, &ids).await;
    let found = grouping(&t, &ids).await;
    // Status changes after the fact, one write job each, roll up as well.
    let tenant = t.store.tenant(&tenant_a());
    for (n, id) in ids.iter().enumerate().filter(|(n, _)| n % 3 != 1) {
        let status = if n % 3 == 0 {
            AlertStatus::Resolved
        } else {
            AlertStatus::InProgress
        };
        tenant
            .update_alert(&AlertId(id.clone()), move |s| {
                s.alert.status = status;
                Ok(())
            })
            .await
            .unwrap();
    }
    assert_rolled_up(&t, &ids).await;
    found
}

/// Asserts that every one of `orders` seeded orders of `alerts` gives the grouping of the given
/// order, and returns it.
async fn same_grouping_in_every_order(alerts: &[StoredAlert], orders: u64) -> Grouping {
    let expected = grouping_after(alerts.to_vec()).await;
    let mut reversed = alerts.to_vec();
    reversed.reverse();
    assert_eq!(grouping_after(reversed).await, expected, "reversed order");
    for seed in 1..=orders {
        let order = shuffled(alerts, seed);
        let shown: Vec<&str> = order.iter().map(|a| a.alert.id.as_str()).collect();
        assert_eq!(
            grouping_after(order.clone()).await,
            expected,
            "arrival order {shown:?} (seed {seed})"
        );
    }
    expected
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| (*s).to_owned()).collect()
}

testdb::conformance! {
    async fn the_phishing_scenario_groups_the_same_in_any_arrival_order() {
        let grouping = same_grouping_in_every_order(&phishing_alerts(), 12).await;
        assert!(
            grouping.contains(&set(&["mdo-phish-delivered", "mdo-url-click", "mde-powershell", "ids-beacon"])),
            "{grouping:?}"
        );
        assert_eq!(grouping.len(), 4, "the attack and three noise alerts alone: {grouping:?}");
    }

    async fn chains_that_bridge_incidents_group_the_same_in_any_arrival_order() {
        let grouping = same_grouping_in_every_order(&chained_alerts(), 6).await;
        for attack in 0..8 {
            let chain: Vec<String> = (0..4).map(|s| format!("attack{attack}-step{s}")).collect();
            let chain: Vec<&str> = chain.iter().map(String::as_str).collect();
            assert!(grouping.contains(&set(&chain)), "attack {attack}: {grouping:?}");
        }
        assert_eq!(grouping.len(), 16, "8 attacks and 8 noise alerts alone: {grouping:?}");
    }
}
