//! The scenario: a phishing mail, the click on its URL, an EDR alert on the same user's
//! device calling a C2 address, and an IDS alert on that address form one incident with the
//! expected reasons; noise (shared only through a private address, SYSTEM, the empty file's hash)
//! stays out; every arrival order gives the same grouping.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Host;
use correlate::{AlertFacts, Config, Engine, Entity, EntityKind, Grouping, Reason};
use model::Alert;

const PHISH: &str = "mdo-phish-delivered";
const CLICK: &str = "mdo-url-click";
const EDR: &str = "da638766485123456789_1820393345";
const IDS: &str = "1b7a3c9e-5d2f-4e8a-9c10-7f6e5d4c3b2a";
const SSHD: &str = "5e0c1f7a-8b2d-4c3e-9f4a-1a2b3c4d5e6f";
const EICAR: &str = "da638766485999999999_-1184932111";
const OTHER_PHISH: &str = "mdo-other-phish";

fn scenario() -> Vec<AlertFacts> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/scenario-phishing-to-c2.json"
    );
    let alerts: Vec<Alert> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    alerts.iter().map(AlertFacts::from_alert).collect()
}

fn run(alerts: &[AlertFacts]) -> (Engine, Host) {
    let mut engine = Engine::new(Config::default(), 1000);
    let mut host = Host::default();
    for a in alerts {
        host.apply(&engine.ingest(a.clone())).unwrap();
    }
    host.agrees_with(&engine).unwrap();
    (engine, host)
}

fn reason<'a>(reasons: &'a [Reason], rule: &str, kind: EntityKind, value: &str) -> &'a Reason {
    reasons
        .iter()
        .find(|r| r.rule == rule && r.entity == Entity::new(kind, value))
        .unwrap_or_else(|| panic!("no {rule} reason on {kind}:{value} in {reasons:#?}"))
}

#[test]
fn phishing_click_edr_and_ids_alerts_form_one_incident_with_the_expected_reasons() {
    let (engine, _) = run(&scenario());
    let incident = engine.incident_of(PHISH).unwrap();
    for id in [CLICK, EDR, IDS] {
        assert_eq!(engine.incident_of(id), Some(incident), "{id}");
    }
    let reasons = engine.reasons(incident);
    let url = "https://login-contoso.evil-phish.example/auth?u=alice.wong";
    assert_eq!(
        reason(reasons, "same-url", EntityKind::Url, url).alert_ids,
        [PHISH, CLICK]
    );
    assert_eq!(
        reason(
            reasons,
            "same-user",
            EntityKind::User,
            "upn:alice.wong@contoso.com"
        )
        .alert_ids,
        [PHISH, CLICK, EDR],
        "the mailbox evidence names the UPN too"
    );
    assert_eq!(
        reason(reasons, "same-ip", EntityKind::Ip, "203.0.113.66").alert_ids,
        [EDR, IDS]
    );
    let json =
        serde_json::to_value(reason(reasons, "same-ip", EntityKind::Ip, "203.0.113.66")).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "rule": "same-ip",
            "entity": {"kind": "ip", "value": "203.0.113.66"},
            "alertIds": [EDR, IDS]
        })
    );
}

#[test]
fn noise_sharing_only_weak_entities_does_not_join() {
    let (engine, _) = run(&scenario());
    let attack = engine.incident_of(PHISH);
    for id in [SSHD, EICAR, OTHER_PHISH] {
        assert_ne!(engine.incident_of(id), attack, "{id} joined the attack");
    }
    let weak = |e: &Entity| {
        e.value.starts_with("10.")
            || e.value.contains("S-1-5-18")
            || e.value.contains("system")
            || e.value.starts_with("e3b0c442")
    };
    for inc in engine.grouping().incidents {
        for r in engine.reasons(inc.incident) {
            assert!(!weak(&r.entity), "weak entity linked: {r:?}");
        }
    }
    let singles: Vec<Vec<String>> = engine
        .grouping()
        .incidents
        .into_iter()
        .filter(|i| i.alert_ids.len() == 1)
        .map(|i| i.alert_ids)
        .collect();
    assert_eq!(singles.len(), 3, "{singles:?}");
}

/// Calls `f` with every permutation of `items` (Heap's algorithm).
fn permutations<T: Clone>(items: &mut [T], k: usize, f: &mut impl FnMut(&[T])) {
    if k <= 1 {
        f(items);
        return;
    }
    for i in 0..k {
        permutations(items, k - 1, f);
        let j = if k % 2 == 0 { i } else { 0 };
        items.swap(j, k - 1);
    }
}

#[test]
fn all_5040_arrival_orders_give_the_same_grouping() {
    let mut alerts = scenario();
    let (reference, _) = run(&alerts);
    let expected: Grouping = reference.grouping();
    let mut runs = 0;
    let n = alerts.len();
    permutations(&mut alerts, n, &mut |order| {
        let (engine, _) = run(order);
        let diff = engine.grouping().diff(&expected);
        assert!(
            diff.is_empty(),
            "order {:?}: {diff:#?}",
            order.iter().map(|a| &a.alert_id).collect::<Vec<_>>()
        );
        runs += 1;
    });
    assert_eq!(runs, 5040);
}
