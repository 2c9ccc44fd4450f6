//! The demo data set (several providers whose entities recur, as a tenant's would) correlates into
//! far fewer incidents than alerts, every reason holds, and the grouping is the one a rebuild
//! computes — when alerts arrive hours late while the window slides, and in a fully shuffled order.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use correlate::{rebuild, AlertFacts, Config, Engine, Grouping};
use std::collections::{HashMap, HashSet};
use time::macros::datetime;
use time::Duration;

fn demo_alerts(count: usize) -> Vec<AlertFacts> {
    let mut cfg = demo::DemoConfig::new(
        model::TenantId(demo::DEMO_TENANT_ID.into()),
        datetime!(2025-03-01 00:00 UTC),
    );
    cfg.count = count;
    demo::generate(&cfg)
        .map(|s| AlertFacts::from_alert(&s.alert))
        .collect()
}

/// A deterministic pseudo-random sequence (an LCG).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// `grouping` restricted to the alerts in `kept`.
fn restricted(grouping: Grouping, kept: &HashSet<String>) -> Grouping {
    let mut g = grouping;
    for inc in &mut g.incidents {
        inc.alert_ids.retain(|a| kept.contains(a));
    }
    g.incidents.retain(|i| !i.alert_ids.is_empty());
    g
}

#[test]
fn hours_late_alerts_with_a_sliding_window_end_in_the_rebuilt_grouping() {
    let alerts = demo_alerts(2000);
    let by_id: HashMap<String, AlertFacts> = alerts
        .iter()
        .map(|a| (a.alert_id.clone(), a.clone()))
        .collect();
    let mut rng = Lcg(7);
    let lateness = Duration::hours(3);
    let mut arrivals: Vec<(time::OffsetDateTime, &AlertFacts)> = alerts
        .iter()
        .map(|a| (a.created + Duration::minutes(rng.below(180) as i64), a))
        .collect();
    arrivals.sort_by_key(|(t, a)| (*t, a.alert_id.clone()));
    let config = Config::default();
    let mut engine = Engine::new(config.clone(), 1);
    let mut host = common::Host::default();
    for (arrived, facts) in &arrivals {
        host.apply(&engine.ingest((*facts).clone())).unwrap();
        engine.evict_before(*arrived - config.window - lateness - Duration::minutes(1));
    }
    engine.check_invariants().unwrap();
    host.agrees_with(&engine).unwrap();
    common::reasons_hold(&engine, &by_id).unwrap();
    let grouping = engine.grouping();
    let kept: HashSet<String> = grouping
        .incidents
        .iter()
        .flat_map(|i| i.alert_ids.iter().cloned())
        .collect();
    assert!(
        kept.len() < alerts.len() / 5,
        "the window slid: {} kept",
        kept.len()
    );
    let canonical = restricted(rebuild(config, alerts.clone(), &[]), &kept);
    let diff = grouping.diff(&canonical);
    assert!(diff.is_empty(), "{diff:#?}");
}

#[test]
fn a_fully_shuffled_demo_set_correlates_into_explained_incidents() {
    let alerts = demo_alerts(300);
    let by_id: HashMap<String, AlertFacts> = alerts
        .iter()
        .map(|a| (a.alert_id.clone(), a.clone()))
        .collect();
    let mut order: Vec<usize> = (0..alerts.len()).collect();
    let mut rng = Lcg(11);
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let mut engine = Engine::new(Config::default(), 1);
    let mut host = common::Host::default();
    for &i in &order {
        host.apply(&engine.ingest(alerts[i].clone())).unwrap();
    }
    engine.check_invariants().unwrap();
    host.agrees_with(&engine).unwrap();
    common::reasons_hold(&engine, &by_id).unwrap();
    let grouping = engine.grouping();
    let diff = grouping.diff(&rebuild(Config::default(), alerts.clone(), &[]));
    assert!(diff.is_empty(), "{diff:#?}");
    let multi = grouping
        .incidents
        .iter()
        .filter(|i| i.alert_ids.len() > 1)
        .count();
    assert!(multi >= 10, "{multi} incidents with several alerts");
    assert!(
        grouping.incidents.len() < alerts.len() * 3 / 4,
        "{} incidents for {} alerts",
        grouping.incidents.len(),
        alerts.len()
    );
}
