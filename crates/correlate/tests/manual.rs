//! Manual control and the engine's life cycle: link, unlink and merge are never undone by later
//! correlation; pins and states survive a restore; keys are kept across a restore; eviction
//! bounds memory.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{device, facts, user, Host};
use correlate::{rebuild, Change, Config, CorrelateError, Engine, IncidentKey, IncidentState, Pin};
use time::Duration;

fn setup() -> (Engine, Host) {
    let mut e = Engine::new(Config::default(), 1);
    let mut h = Host::default();
    for f in [
        facts("a", 0, &[device("ws01")]),
        facts("b", 1, &[device("ws01")]),
        facts("c", 2, &[user("al@c.test")]),
    ] {
        h.apply(&e.ingest(f)).unwrap();
    }
    (e, h)
}

fn apply(h: &mut Host, e: &Engine, out: correlate::Outcome) {
    h.apply(&out).unwrap();
    e.check_invariants().unwrap();
    h.agrees_with(e).unwrap();
}

#[test]
fn a_linked_alert_stays_where_it_was_put() {
    let (mut e, mut h) = setup();
    let target = e.incident_of("a").unwrap();
    let out = e.link("c", target).unwrap();
    assert!(out.changes.contains(&Change::Assigned {
        alert_id: "c".into(),
        incident: target
    }));
    apply(&mut h, &e, out);
    // Later alerts on c's user go where c is, and never move it.
    let out = e.ingest(facts("d", 3, &[user("al@c.test")]));
    apply(&mut h, &e, out);
    assert_eq!(e.incident_of("d"), Some(target));
    assert!(e.pins().contains(&Pin::Link {
        alert_id: "c".into(),
        incident: target
    }));
    assert_eq!(
        e.link("nope", target),
        Err(CorrelateError::UnknownAlert("nope".into()))
    );
    assert_eq!(
        e.link("c", IncidentKey(999)),
        Err(CorrelateError::UnknownIncident(IncidentKey(999)))
    );
}

#[test]
fn an_unlinked_alert_does_not_rejoin_through_the_same_entities_until_relinked() {
    let (mut e, mut h) = setup();
    let first = e.incident_of("a").unwrap();
    let out = e.unlink("b").unwrap();
    let own = e.incident_of("b").unwrap();
    assert_ne!(own, first);
    assert!(out.changes.contains(&Change::Opened { incident: own }));
    apply(&mut h, &e, out);
    // A later alert on the same device joins a's incident, not b's, and does not bridge them.
    let out = e.ingest(facts("d", 3, &[device("ws01")]));
    apply(&mut h, &e, out);
    assert_eq!(e.incident_of("d"), Some(first));
    assert_eq!(e.incident_of("b"), Some(own));
    // Re-sent with the same entities: still apart.
    let out = e.ingest(facts("b", 1, &[device("ws01")]));
    apply(&mut h, &e, out);
    assert_eq!(e.incident_of("b"), Some(own));
    // A new entity links it as any other.
    let out = e.ingest(facts("b", 1, &[device("ws01"), user("al@c.test")]));
    apply(&mut h, &e, out);
    assert_eq!(
        e.incident_of("c"),
        Some(own),
        "c joins b through the new entity"
    );
    // Linked back, the device links again.
    let out = e.link("b", first).unwrap();
    apply(&mut h, &e, out);
    assert_eq!(e.incident_of("b"), Some(first));
}

#[test]
fn a_manual_merge_stays_merged_and_guards_do_not_apply_to_it() {
    let (mut e, mut h) = setup();
    let (ia, ic) = (e.incident_of("a").unwrap(), e.incident_of("c").unwrap());
    let assigned = |who: &str| IncidentState {
        assigned_to: Some(who.into()),
        ..IncidentState::default()
    };
    let out = e.set_incident_state(ia, assigned("ann"));
    apply(&mut h, &e, out);
    let out = e.set_incident_state(ic, assigned("bob"));
    apply(&mut h, &e, out);
    let out = e.merge(ic, ia).unwrap();
    assert!(out
        .changes
        .contains(&Change::Redirected { from: ic, into: ia }));
    apply(&mut h, &e, out);
    assert_eq!(e.incident_of("c"), Some(ia));
    // Late and later alerts do not split it.
    for f in [
        facts("z", -1, &[user("al@c.test")]),
        facts("y", 5, &[device("ws01")]),
    ] {
        let out = e.ingest(f);
        apply(&mut h, &e, out);
    }
    assert_eq!(e.incident_of("c"), Some(ia));
    assert_eq!(e.merge(ia, ia), Err(CorrelateError::MergeIntoSelf(ia)));
    assert_eq!(
        e.merge(ic, ia),
        Err(CorrelateError::MergeIntoSelf(ic)),
        "ic is ia now"
    );
}

#[test]
fn the_state_of_a_redirected_incident_is_kept_without_effect() {
    let (mut e, mut h) = setup();
    let (ia, ic) = (e.incident_of("a").unwrap(), e.incident_of("c").unwrap());
    let out = e.ingest(facts("bridge", 3, &[device("ws01"), user("al@c.test")]));
    apply(&mut h, &e, out);
    assert_eq!(e.incident_of("c"), Some(ia));
    let resolved = IncidentState {
        resolved: true,
        ..IncidentState::default()
    };
    assert!(e.set_incident_state(ic, resolved.clone()).is_empty());
    assert!(e.pins().contains(&Pin::State {
        incident: ic,
        state: resolved
    }));
    assert!(e
        .set_incident_state(IncidentKey(777), IncidentState::default())
        .is_empty());
}

#[test]
fn restore_keeps_the_hosts_keys_pins_and_states() {
    let (mut e, mut h) = setup();
    let ia = e.incident_of("a").unwrap();
    let out = e.link("c", ia).unwrap();
    apply(&mut h, &e, out);
    let out = e.set_incident_state(
        ia,
        IncidentState {
            assigned_to: Some("ann".into()),
            ..IncidentState::default()
        },
    );
    apply(&mut h, &e, out);
    let alerts = vec![
        facts("c", 2, &[user("al@c.test")]),
        facts("a", 0, &[device("ws01")]),
        facts("b", 1, &[device("ws01")]),
    ];
    let keyed = alerts
        .iter()
        .map(|f| (f.clone(), Some(IncidentKey(h.alert_incident[&f.alert_id]))));
    let (restored, out) = Engine::restore(Config::default(), e.next_key(), &e.pins(), keyed);
    assert!(out.is_empty(), "the host's records agree: {out:#?}");
    assert_eq!(restored.grouping(), e.grouping(), "same keys, same alerts");
    assert_eq!(restored.pins(), e.pins());
    let diff = rebuild(Config::default(), alerts, &e.pins()).diff(&e.grouping());
    assert!(diff.is_empty());
}

#[test]
fn restore_reports_where_the_host_disagrees() {
    let alerts = [
        facts("a", 0, &[device("ws01")]),
        facts("b", 1, &[device("ws01")]),
    ];
    let keyed = alerts
        .iter()
        .enumerate()
        .map(|(i, f)| (f.clone(), Some(IncidentKey(10 + i as u64))));
    let (e, out) = Engine::restore(Config::default(), 100, &[], keyed);
    assert_eq!(e.incident_of("b"), Some(IncidentKey(10)));
    assert!(out.changes.contains(&Change::Redirected {
        from: IncidentKey(11),
        into: IncidentKey(10)
    }));
    assert!(out.changes.contains(&Change::Assigned {
        alert_id: "b".into(),
        incident: IncidentKey(10)
    }));
}

#[test]
fn eviction_forgets_old_alerts_entities_and_incidents() {
    let mut e = Engine::new(Config::default(), 1);
    for day in 0..5i64 {
        for i in 0..50 {
            let f = facts(
                &format!("d{day}-{i}"),
                day * 24 * 60 + i,
                &[
                    device(&format!("ws{day}-{}", i % 5)),
                    user(&format!("u{day}-{i}@c.test")),
                ],
            );
            e.ingest(f);
        }
        e.evict_before(common::BASE + Duration::minutes((day - 1) * 24 * 60));
    }
    let s = e.stats();
    assert_eq!(s.alerts, 100, "two days held");
    assert_eq!(s.entities, 110);
    assert_eq!(s.incidents, 10);
    assert_eq!(e.incident_of("d0-0"), None);
    assert!(e.horizon().is_some());
    e.check_invariants().unwrap();
    e.evict_before(common::BASE + Duration::days(30));
    let s = e.stats();
    assert_eq!(
        (s.alerts, s.entities, s.incidents, s.postings),
        (0, 0, 0, 0)
    );
}
