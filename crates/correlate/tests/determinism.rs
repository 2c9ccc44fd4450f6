//! Determinism: whatever the arrival order, the engine ends with the canonical grouping — the one
//! `rebuild` computes from scratch — with caps, guards, updates and manual decisions in play.
//! Every outcome is applied to a model host, which must end agreeing with the engine.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{device, facts, hash, ip, user, Host};
use correlate::EntityKind;
use correlate::{rebuild, AlertFacts, Config, Engine, Entity, IncidentState, Rule, StopList};
use model::enums::AlertClassification;
use proptest::prelude::*;
use std::collections::HashMap;
use time::Duration;

/// The entity universe: a few of each kind, one weak address and one weak hash among them.
fn universe() -> Vec<Entity> {
    let mut u = Vec::new();
    u.extend((0..3).map(|i| device(&format!("d{i}"))));
    u.extend((0..3).map(|i| user(&format!("u{i}@contoso.test"))));
    u.extend((0..2).map(|i| ip(&format!("203.0.113.{i}"))));
    u.push(ip("10.0.0.1"));
    u.extend((0..2).map(|i| hash(&format!("{i}").repeat(64))));
    u.push(hash(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    ));
    u
}

fn alert_strategy(n: usize) -> impl Strategy<Value = Vec<AlertFacts>> {
    let size = universe().len();
    prop::collection::vec((0i64..60, prop::collection::vec(0..size, 0..4)), 1..n).prop_map(|raw| {
        let u = universe();
        raw.into_iter()
            .enumerate()
            .map(|(i, (minute, picks))| {
                let ents: Vec<Entity> = picks.into_iter().map(|p| u[p].clone()).collect();
                facts(&format!("a{i:02}"), minute, &ents)
            })
            .collect()
    })
}

fn config_strategy() -> impl Strategy<Value = Config> {
    (10i64..40, 1u32..6, 2u32..9, any::<bool>(), 3i64..20).prop_map(
        |(window, freq, ents, multi, rule_window)| {
            let mut rules = vec![
                Rule::new("same-device", &[EntityKind::Device]),
                Rule::new("same-file", &[EntityKind::FileHash]),
            ];
            if multi {
                rules.push(Rule {
                    name: "user-and-ip".into(),
                    entities: vec![EntityKind::User, EntityKind::Ip],
                    min_kinds: 2,
                    window: Some(Duration::minutes(rule_window.min(window))),
                });
            } else {
                rules.push(Rule::new("same-user", &[EntityKind::User]));
                rules.push(Rule {
                    window: Some(Duration::minutes(rule_window.min(window))),
                    ..Rule::new("same-ip", &[EntityKind::Ip])
                });
            }
            Config {
                window: Duration::minutes(window),
                rules,
                stop_list: StopList::default(),
                frequency_cap: freq,
                entity_cap: ents,
            }
        },
    )
}

/// Ingests `alerts` in order into `engine`, applying every outcome to `host`.
fn feed(engine: &mut Engine, host: &mut Host, alerts: &[AlertFacts]) -> Result<(), TestCaseError> {
    for a in alerts {
        let out = engine.ingest(a.clone());
        host.apply(&out).map_err(TestCaseError::fail)?;
        engine.check_invariants().map_err(TestCaseError::fail)?;
    }
    Ok(())
}

fn latest(alerts: &[AlertFacts]) -> HashMap<String, AlertFacts> {
    alerts
        .iter()
        .map(|a| (a.alert_id.clone(), a.clone()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn any_arrival_order_ends_in_the_canonical_grouping(
        (alerts, order) in alert_strategy(24).prop_flat_map(|a| {
            let n = a.len();
            (Just(a), Just((0..n).collect::<Vec<_>>()).prop_shuffle())
        }),
        config in config_strategy(),
    ) {
        let shuffled: Vec<AlertFacts> = order.iter().map(|&i| alerts[i].clone()).collect();
        let mut engine = Engine::new(config.clone(), 1);
        let mut host = Host::default();
        feed(&mut engine, &mut host, &shuffled)?;
        let canonical = rebuild(config, alerts.clone(), &[]);
        let diff = engine.grouping().diff(&canonical);
        prop_assert!(diff.is_empty(), "{diff:#?}");
        host.agrees_with(&engine).map_err(TestCaseError::fail)?;
        common::reasons_hold(&engine, &latest(&alerts)).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn batches_end_in_the_canonical_grouping_whatever_their_order(
        (alerts, order, cuts) in alert_strategy(24).prop_flat_map(|a| {
            let n = a.len();
            (
                Just(a),
                Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
                prop::collection::vec(0..n, 0..4),
            )
        }),
        config in config_strategy(),
    ) {
        // The shuffled alerts cut into batches (a write job each), some ids sent twice.
        let mut shuffled: Vec<AlertFacts> = order.iter().map(|&i| alerts[i].clone()).collect();
        if let Some(&again) = cuts.first() {
            shuffled.push(alerts[again].clone());
        }
        let mut bounds: Vec<usize> = cuts.iter().copied().chain([0, shuffled.len()]).collect();
        bounds.sort_unstable();
        bounds.dedup();
        let mut engine = Engine::new(config.clone(), 1);
        let mut host = Host::default();
        for w in bounds.windows(2) {
            for out in engine.ingest_batch(shuffled[w[0]..w[1]].to_vec()) {
                host.apply(&out).map_err(TestCaseError::fail)?;
            }
            engine.check_invariants().map_err(TestCaseError::fail)?;
        }
        let canonical = rebuild(config, alerts.clone(), &[]);
        let diff = engine.grouping().diff(&canonical);
        prop_assert!(diff.is_empty(), "{diff:#?}");
        host.agrees_with(&engine).map_err(TestCaseError::fail)?;
        common::reasons_hold(&engine, &latest(&alerts)).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn updated_alerts_end_in_the_canonical_grouping_of_their_last_version(
        (alerts, order, updates) in alert_strategy(18).prop_flat_map(|a| {
            let n = a.len();
            (Just(a), Just((0..n).collect::<Vec<_>>()).prop_shuffle(), alert_strategy(8))
        }),
        config in config_strategy(),
    ) {
        let n = alerts.len();
        let shuffled: Vec<AlertFacts> = order.iter().map(|&i| alerts[i].clone()).collect();
        // Each update re-sends an existing alert with other entities and time.
        let updates: Vec<AlertFacts> = updates
            .into_iter()
            .enumerate()
            .map(|(i, mut u)| { u.alert_id = format!("a{:02}", (i * 7) % n); u })
            .collect();
        let mut engine = Engine::new(config.clone(), 1);
        let mut host = Host::default();
        feed(&mut engine, &mut host, &shuffled)?;
        feed(&mut engine, &mut host, &updates)?;
        let mut all = alerts.clone();
        all.extend(updates);
        let last: Vec<AlertFacts> = latest(&all).into_values().collect();
        let canonical = rebuild(config, last.clone(), &[]);
        let diff = engine.grouping().diff(&canonical);
        prop_assert!(diff.is_empty(), "{diff:#?}");
        host.agrees_with(&engine).map_err(TestCaseError::fail)?;
        common::reasons_hold(&engine, &latest(&last)).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn guards_and_manual_decisions_hold_whatever_the_order(
        (alerts, o1, o2, split, acts) in alert_strategy(22).prop_flat_map(|a| {
            let n = a.len();
            (
                Just(a),
                Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
                Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
                0..=n,
                prop::collection::vec((0u8..6, 0..n, 0..n), 0..5),
            )
        }),
        config in config_strategy(),
    ) {
        let mut groupings = Vec::new();
        for order in [&o1, &o2] {
            // Phase 1: the alerts of the first part, in this order; then the actions; then the
            // rest, in this order (late alerts are replayed around the decisions).
            let first: Vec<AlertFacts> = order.iter().filter(|&&i| i < split).map(|&i| alerts[i].clone()).collect();
            let rest: Vec<AlertFacts> = order.iter().filter(|&&i| i >= split).map(|&i| alerts[i].clone()).collect();
            let mut engine = Engine::new(config.clone(), 1);
            let mut host = Host::default();
            feed(&mut engine, &mut host, &first)?;
            for &(act, x, y) in &acts {
                let (ax, ay) = (format!("a{x:02}"), format!("a{y:02}"));
                let (Some(ix), iy) = (engine.incident_of(&ax), engine.incident_of(&ay)) else { continue };
                let out = match act {
                    0 => engine.set_incident_state(ix, IncidentState { resolved: true, ..Default::default() }),
                    1 => engine.set_incident_state(ix, IncidentState { assigned_to: Some(format!("analyst{}", y % 2)), ..Default::default() }),
                    2 => engine.set_incident_state(ix, IncidentState {
                        classification: Some(if y % 2 == 0 { AlertClassification::TruePositive } else { AlertClassification::FalsePositive }),
                        ..Default::default()
                    }),
                    3 => match iy { Some(_) => engine.link(&ay, ix).unwrap(), None => continue },
                    4 => engine.unlink(&ax).unwrap(),
                    _ => match iy {
                        Some(iy) if iy != ix => engine.merge(iy, ix).unwrap(),
                        _ => continue,
                    },
                };
                host.apply(&out).map_err(TestCaseError::fail)?;
                engine.check_invariants().map_err(TestCaseError::fail)?;
            }
            feed(&mut engine, &mut host, &rest)?;
            let canonical = rebuild(config.clone(), alerts.clone(), &engine.pins());
            let diff = engine.grouping().diff(&canonical);
            prop_assert!(diff.is_empty(), "engine vs rebuild with its pins: {diff:#?}");
            host.agrees_with(&engine).map_err(TestCaseError::fail)?;
            groupings.push(engine.grouping());
        }
        let diff = groupings[0].diff(&groupings[1]);
        prop_assert!(diff.is_empty(), "two orders: {diff:#?}");
    }
}

/// A longer stream (up to 160 alerts over four hours, a 30 min window) where a seeded share of
/// the alerts arrives late by up to `lateness` minutes — the shape of a provider stream that is
/// slightly out of order — must end in the grouping of the in-order stream.
fn late_stream() -> impl Strategy<Value = (Vec<AlertFacts>, Vec<AlertFacts>, Config)> {
    let size = universe().len();
    (
        prop::collection::vec((0i64..240, prop::collection::vec(0..size, 0..4)), 40..160),
        any::<u64>(),
        1u64..40,
        1i64..45,
        config_strategy(),
    )
        .prop_map(move |(raw, seed, percent, lateness, config)| {
            let u = universe();
            let alerts: Vec<AlertFacts> = raw
                .into_iter()
                .enumerate()
                .map(|(i, (minute, picks))| {
                    let ents: Vec<Entity> = picks.into_iter().map(|p| u[p].clone()).collect();
                    facts(&format!("a{i:03}"), minute, &ents)
                })
                .collect();
            let mut x = seed | 1;
            let mut next = move || {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x
            };
            let mut arrivals: Vec<(time::OffsetDateTime, AlertFacts)> = alerts
                .iter()
                .map(|a| {
                    let late = next() % 100 < percent;
                    let delay = if late {
                        (next() % (lateness as u64 * 60)) as i64
                    } else {
                        0
                    };
                    (a.created + Duration::seconds(delay), a.clone())
                })
                .collect();
            arrivals.sort_by(|a, b| (a.0, &a.1.alert_id).cmp(&(b.0, &b.1.alert_id)));
            let arrived = arrivals.into_iter().map(|(_, a)| a).collect();
            let config = Config {
                window: Duration::minutes(30),
                ..config
            };
            (alerts, arrived, config)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn late_arrivals_end_in_the_grouping_of_the_in_order_stream(
        (alerts, arrived, config) in late_stream(),
    ) {
        let mut engine = Engine::new(config.clone(), 1);
        let mut host = Host::default();
        feed(&mut engine, &mut host, &arrived)?;
        let mut in_order = Engine::new(config.clone(), 1);
        let mut sorted = alerts.clone();
        sorted.sort_by(|a, b| (a.created, &a.alert_id).cmp(&(b.created, &b.alert_id)));
        for a in sorted {
            in_order.ingest(a);
        }
        let diff = engine.grouping().diff(&in_order.grouping());
        prop_assert!(diff.is_empty(), "{diff:#?}");
        let diff = engine.grouping().diff(&rebuild(config, alerts.clone(), &[]));
        prop_assert!(diff.is_empty(), "{diff:#?}");
        host.agrees_with(&engine).map_err(TestCaseError::fail)?;
        common::reasons_hold(&engine, &latest(&alerts)).map_err(TestCaseError::fail)?;
    }
}
