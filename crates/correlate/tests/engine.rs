//! The engine's rules one by one: window, rule windows and `min_kinds`, the frequency cap, the
//! entity cap, the guards, the younger-into-older redirect, and a redirect undone by a late alert.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{device, facts, hash, ip, user, Host};
use correlate::{Change, Config, Engine, EntityKind, IncidentKey, IncidentState, Outcome, Rule};
use model::enums::AlertClassification;
use time::Duration;

fn engine(config: Config) -> (Engine, Host) {
    (Engine::new(config, 1), Host::default())
}

fn ingest(e: &mut Engine, h: &mut Host, f: correlate::AlertFacts) -> Outcome {
    let out = e.ingest(f);
    h.apply(&out).unwrap();
    e.check_invariants().unwrap();
    out
}

fn same(e: &Engine, a: &str, b: &str) -> bool {
    e.incident_of(a).is_some() && e.incident_of(a) == e.incident_of(b)
}

#[test]
fn alerts_link_within_the_window_only() {
    let (mut e, mut h) = engine(Config::default());
    ingest(&mut e, &mut h, facts("a", 0, &[device("ws01")]));
    ingest(&mut e, &mut h, facts("b", 23 * 60, &[device("ws01")]));
    ingest(
        &mut e,
        &mut h,
        facts("c", 23 * 60 + 25 * 60, &[device("ws01")]),
    );
    assert!(same(&e, "a", "b"));
    assert!(!same(&e, "b", "c"), "25 h apart");
}

#[test]
fn a_rule_window_shortens_the_link_and_min_kinds_needs_both_kinds() {
    let config = Config {
        rules: vec![
            Rule {
                window: Some(Duration::hours(1)),
                ..Rule::new("same-device-1h", &[EntityKind::Device])
            },
            Rule {
                min_kinds: 2,
                ..Rule::new("user-and-ip", &[EntityKind::User, EntityKind::Ip])
            },
        ],
        ..Config::default()
    };
    let (mut e, mut h) = engine(config);
    ingest(
        &mut e,
        &mut h,
        facts("a", 0, &[device("ws01"), user("al@c.test")]),
    );
    ingest(&mut e, &mut h, facts("b", 120, &[device("ws01")]));
    ingest(&mut e, &mut h, facts("c", 130, &[user("al@c.test")]));
    ingest(
        &mut e,
        &mut h,
        facts("d", 140, &[user("al@c.test"), ip("198.51.100.1")]),
    );
    ingest(
        &mut e,
        &mut h,
        facts("f", 150, &[user("al@c.test"), ip("198.51.100.1")]),
    );
    assert!(!same(&e, "a", "b"), "2 h apart, rule window 1 h");
    assert!(!same(&e, "a", "c"), "one kind shared, two needed");
    assert!(same(&e, "d", "f"));
    let reasons = e.reasons(e.incident_of("f").unwrap());
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(reasons
        .iter()
        .all(|r| r.rule == "user-and-ip" && r.alert_ids.len() == 2));
}

#[test]
fn an_entity_seen_in_frequency_cap_alerts_stops_linking_until_the_window_moves_on() {
    let config = Config {
        frequency_cap: 3,
        window: Duration::hours(1),
        ..Config::default()
    };
    let (mut e, mut h) = engine(config);
    let shared = ip("198.51.100.9");
    for (i, minute) in [0, 1, 2, 3, 4].iter().enumerate() {
        ingest(
            &mut e,
            &mut h,
            facts(&format!("a{i}"), *minute, std::slice::from_ref(&shared)),
        );
    }
    assert!(same(&e, "a0", "a1") && same(&e, "a0", "a2"));
    assert!(
        !same(&e, "a0", "a3") && !same(&e, "a3", "a4"),
        "capped: 3 earlier carriers"
    );
    ingest(
        &mut e,
        &mut h,
        facts("late", 200, std::slice::from_ref(&shared)),
    );
    ingest(&mut e, &mut h, facts("later", 201, &[shared]));
    assert!(
        same(&e, "late", "later"),
        "the window moved on: linking again"
    );
}

#[test]
fn an_incident_never_grows_beyond_the_entity_cap() {
    let config = Config {
        entity_cap: 3,
        ..Config::default()
    };
    let (mut e, mut h) = engine(config);
    ingest(
        &mut e,
        &mut h,
        facts("a", 0, &[device("ws01"), user("al@c.test")]),
    );
    ingest(
        &mut e,
        &mut h,
        facts("b", 1, &[device("ws01"), hash(&"1".repeat(64))]),
    );
    ingest(
        &mut e,
        &mut h,
        facts("c", 2, &[device("ws01"), hash(&"2".repeat(64))]),
    );
    assert!(same(&e, "a", "b"));
    assert!(!same(&e, "a", "c"), "a fourth entity would exceed the cap");
}

#[test]
fn a_bridging_alert_redirects_the_younger_incident_into_the_older() {
    let (mut e, mut h) = engine(Config::default());
    ingest(&mut e, &mut h, facts("a", 0, &[device("ws01")]));
    ingest(&mut e, &mut h, facts("b", 1, &[user("al@c.test")]));
    let (older, younger) = (e.incident_of("a").unwrap(), e.incident_of("b").unwrap());
    let out = ingest(
        &mut e,
        &mut h,
        facts("c", 2, &[device("ws01"), user("al@c.test")]),
    );
    assert_eq!(e.incident_of("b"), Some(older));
    let kinds: Vec<&str> = out.changes.iter().map(change_kind).collect();
    assert_eq!(
        kinds,
        ["redirected", "assigned", "assigned", "reasons"],
        "{out:#?}"
    );
    assert!(out.changes.contains(&Change::Redirected {
        from: younger,
        into: older
    }));
    assert!(
        e.reasons(younger).is_empty(),
        "a redirected incident's reasons are its target's"
    );
    assert_eq!(e.reasons(older).len(), 2);
}

fn change_kind(c: &Change) -> &'static str {
    match c {
        Change::Opened { .. } => "opened",
        Change::Assigned { .. } => "assigned",
        Change::Redirected { .. } => "redirected",
        Change::Reopened { .. } => "reopened",
        Change::Reasons { .. } => "reasons",
    }
}

fn bridged(state_a: IncidentState, state_b: IncidentState) -> (Engine, IncidentKey, IncidentKey) {
    let (mut e, mut h) = engine(Config::default());
    ingest(&mut e, &mut h, facts("a", 0, &[device("ws01")]));
    ingest(&mut e, &mut h, facts("b", 1, &[user("al@c.test")]));
    let (ia, ib) = (e.incident_of("a").unwrap(), e.incident_of("b").unwrap());
    h.apply(&e.set_incident_state(ia, state_a)).unwrap();
    h.apply(&e.set_incident_state(ib, state_b)).unwrap();
    ingest(
        &mut e,
        &mut h,
        facts("c", 2, &[device("ws01"), user("al@c.test")]),
    );
    h.agrees_with(&e).unwrap();
    (e, ia, ib)
}

fn assigned(to: &str) -> IncidentState {
    IncidentState {
        assigned_to: Some(to.into()),
        ..IncidentState::default()
    }
}

fn classified(c: AlertClassification) -> IncidentState {
    IncidentState {
        classification: Some(c),
        ..IncidentState::default()
    }
}

#[test]
fn guards_keep_incidents_of_different_assignees_or_classifications_apart() {
    let (e, ia, ib) = bridged(assigned("ann@c.test"), assigned("bob@c.test"));
    assert_eq!(
        (e.incident_of("c"), e.incident_of("b")),
        (Some(ia), Some(ib))
    );
    let (e, ia, _) = bridged(assigned("ann@c.test"), assigned("ANN@c.test"));
    assert_eq!(e.incident_of("b"), Some(ia), "same assignee, any case");
    let (e, ia, _) = bridged(assigned("ann@c.test"), IncidentState::default());
    assert_eq!(
        e.incident_of("b"),
        Some(ia),
        "an unassigned incident may merge"
    );
    let (e, _, ib) = bridged(
        classified(AlertClassification::TruePositive),
        classified(AlertClassification::FalsePositive),
    );
    assert_eq!(e.incident_of("b"), Some(ib));
    let (e, ia, _) = bridged(
        classified(AlertClassification::TruePositive),
        classified(AlertClassification::Unknown),
    );
    assert_eq!(
        e.incident_of("b"),
        Some(ia),
        "unknown counts as no classification"
    );
}

#[test]
fn a_resolved_incident_takes_no_new_alert_and_merges_with_nothing() {
    let resolved = IncidentState {
        resolved: true,
        ..IncidentState::default()
    };
    let (e, ia, ib) = bridged(resolved, IncidentState::default());
    assert_eq!(e.incident_of("a"), Some(ia));
    assert_eq!(
        e.incident_of("c"),
        Some(ib),
        "c joins the open incident, not the resolved one"
    );
    assert_eq!(e.incident_of("b"), Some(ib));
}

#[test]
fn a_late_alert_undoes_a_merge_the_canonical_grouping_does_not_have() {
    let config = Config {
        entity_cap: 3,
        ..Config::default()
    };
    let (mut e, mut h) = engine(config);
    ingest(&mut e, &mut h, facts("a1", 0, &[device("d1")]));
    ingest(&mut e, &mut h, facts("a2", 2, &[user("u1@c.test")]));
    ingest(
        &mut e,
        &mut h,
        facts("a3", 3, &[device("d1"), user("u1@c.test")]),
    );
    let (ia, ib) = (e.incident_of("a1").unwrap(), e.incident_of("a2").unwrap());
    assert_eq!(ia, ib, "merged");
    let h1 = hash(&"1".repeat(64));
    let h2 = hash(&"2".repeat(64));
    let out = ingest(&mut e, &mut h, facts("x", 1, &[device("d1"), h1, h2]));
    let b = e.incident_of("a2").unwrap();
    assert_ne!(b, ia);
    assert!(
        out.changes.contains(&Change::Reopened { incident: b }),
        "{out:#?}"
    );
    assert!(same(&e, "a1", "x") && same(&e, "a2", "a3"));
    h.agrees_with(&e).unwrap();
}

#[test]
fn an_unchanged_alert_seen_again_changes_nothing_and_a_changed_one_moves() {
    let (mut e, mut h) = engine(Config::default());
    ingest(&mut e, &mut h, facts("a", 0, &[device("ws01")]));
    ingest(&mut e, &mut h, facts("b", 1, &[device("ws01")]));
    assert!(ingest(&mut e, &mut h, facts("b", 1, &[device("ws01")])).is_empty());
    ingest(&mut e, &mut h, facts("b", 1, &[device("ws02")]));
    assert!(!same(&e, "a", "b"));
    ingest(&mut e, &mut h, facts("b", 60 * 30, &[device("ws01")]));
    assert!(!same(&e, "a", "b"), "moved 30 h later");
    h.agrees_with(&e).unwrap();
}

#[test]
fn stats_count_what_the_engine_holds() {
    let (mut e, mut h) = engine(Config::default());
    ingest(
        &mut e,
        &mut h,
        facts("a", 0, &[device("ws01"), ip("10.0.0.1")]),
    );
    ingest(
        &mut e,
        &mut h,
        facts("b", 1, &[device("ws01"), user("al@c.test")]),
    );
    let s = e.stats();
    assert_eq!(
        (s.alerts, s.entities, s.postings, s.incidents),
        (2, 2, 3, 1)
    );
    assert!(s.index_bytes > 0 && s.bytes > s.index_bytes);
}
