//! The correlation engine inside the write path, on both backends: a failed transaction never
//! leaves the in-memory engine diverged from the database; another node's writes are seen;
//! analysts' decisions (link, unlink, merge) are pinned and survive a restart; an engine rebuilt
//! from the database decides as the live one did, even for incidents whose older alerts have left
//! the window; a rebuild from scratch reports differences and applies them unless it is a dry run.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "incidents/support.rs"]
mod support;

use common::*;
use model::IncidentStatus;
use serde_json::json;
use std::sync::Arc;
use store::hooks::{AlertChange, HookContext, IngestHook};
use store::incidents::{CorrelationSettings, ManualAction, ManualRefusal};
use store::{Clock, IngestOrigin, ManualClock, Store};
use support::*;

/// Fails the write of alert `boom` after the engine has correlated it and its batch.
struct FailOnBoom;

impl IngestHook for FailOnBoom {
    fn after_write(&self, _: &mut HookContext<'_>, change: &AlertChange<'_>) -> Result<(), String> {
        match change.alert.alert.id.as_str() {
            "boom" => Err("refused".into()),
            _ => Ok(()),
        }
    }
}

/// A second node on the same database (on SQLite, the same handle: one file, one writer).
fn second_node(t: &TestStore) -> Store {
    match testdb::current() {
        testdb::Backend::Postgres => t.db.open_store(Arc::new(ManualClock::new(t.clock.now()))),
        testdb::Backend::Sqlite => t.store.clone(),
    }
}

async fn reasons_alerts(store: &Store, incident: &str) -> Vec<String> {
    let i = store
        .tenant(&tenant_a())
        .incidents()
        .get(incident)
        .await
        .unwrap()
        .unwrap();
    let mut ids: Vec<String> = i
        .correlation_reasons
        .into_iter()
        .flat_map(|r| r.alert_ids)
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

testdb::conformance! {
    async fn a_failed_write_never_leaves_the_engine_diverged() {
        let t = open().await;
        t.store.add_hook(Arc::new(FailOnBoom));
        seed(&t.store, vec![with_evidence("a", 0, "low", json!([device("ws01")]))]).await;
        let failed = t.store.tenant(&tenant_a()).ingest(
            vec![
                with_evidence("b", 1, "low", json!([device("ws01")])),
                with_evidence("boom", 2, "low", json!([device("ws01")])),
            ],
            IngestOrigin::Import,
        ).await;
        assert!(failed.is_err());
        seed(&t.store, vec![with_evidence("c", 3, "low", json!([device("ws01")]))]).await;
        let incident = incident_of(&t, "c").await;
        assert_eq!(incident, incident_of(&t, "a").await);
        assert_eq!(reasons_alerts(&t.store, &incident).await, ["a", "c"], "b and boom were rolled back");
        let b = t.store.tenant(&tenant_a()).get_alert(&model::AlertId("b".into())).await.unwrap();
        assert!(b.is_none());
    }

    async fn another_node_s_writes_are_correlated_with_this_node_s() {
        let t = open().await;
        let other = second_node(&t);
        seed(&t.store, vec![with_evidence("a", 0, "low", json!([device("ws01")]))]).await;
        seed(&other, vec![with_evidence("b", 1, "low", json!([device("ws01")]))]).await;
        seed(&t.store, vec![with_evidence("c", 2, "low", json!([device("ws01")]))]).await;
        let incident = incident_of(&t, "a").await;
        for id in ["b", "c"] {
            assert_eq!(incident_of(&t, id).await, incident, "{id}");
        }
        assert_eq!(reasons_alerts(&t.store, &incident).await, ["a", "b", "c"]);
    }

    async fn an_engine_rebuilt_from_the_database_decides_as_the_live_one() {
        // A device seen every 50 minutes with a new address each time: with an entity cap of 4
        // each incident takes three or four alerts, and an incident whose oldest alert has left
        // the window still counts that alert's entities against the cap.
        let settings = CorrelationSettings {
            default: correlate::Config {
                window: time::Duration::hours(1),
                entity_cap: 4,
                ..correlate::Config::default()
            },
            ..CorrelationSettings::default()
        };
        let chain: Vec<_> = (0..24)
            .map(|n| {
                let address = format!("198.51.100.{n}");
                with_evidence(&format!("a{n:02}"), n * 50, "low", json!([device("ws01"), ip(&address)]))
            })
            .collect();
        let ids: Vec<String> = chain.iter().map(|a| a.alert.id.0.clone()).collect();
        let live = open().await;
        live.store.correlation().configure(settings.clone());
        let rebuilt = open().await;
        for a in chain {
            seed(&live.store, vec![a.clone()]).await;
            // Dropping the engine makes the next write rebuild it from the database.
            rebuilt.store.correlation().configure(settings.clone());
            seed(&rebuilt.store, vec![a]).await;
        }
        let expected = grouping(&live, &ids).await;
        assert!(expected.len() >= 6, "the cap splits the chain: {expected:?}");
        assert_eq!(grouping(&rebuilt, &ids).await, expected);
        let changes = |t: &TestStore| {
            let tenant = t.store.tenant(&tenant_a());
            async move { tenant.changes_since(0, 1000).await.unwrap().len() }
        };
        assert_eq!(changes(&rebuilt).await, changes(&live).await, "a rebuild moves no alert");
    }

    async fn manual_decisions_are_pinned_and_survive_a_restart() {
        let t = open().await;
        seed(&t.store, vec![
            with_evidence("a", 0, "low", json!([device("ws01")])),
            with_evidence("b", 1, "low", json!([device("ws01")])),
            with_evidence("e", 2, "low", json!([device("ws99")])),
        ]).await;
        let main = incident_of(&t, "a").await;
        let incidents = t.store.tenant(&tenant_a()).incidents();
        let own = incidents.correlate_manually(&main, ManualAction::Unlink("b".into()), "Kai").await.unwrap().unwrap();
        assert_ne!(own.id.as_str(), main);
        assert_eq!(incident_of(&t, "b").await, own.id.as_str());
        assert_eq!(own.last_modified_by.as_deref(), Some("Kai"));
        let linked = incidents.correlate_manually(&main, ManualAction::Link(vec!["e".into()]), "Kai").await.unwrap().unwrap();
        assert_eq!(linked.id.as_str(), main);
        assert_eq!(incident_of(&t, "e").await, main);

        // After a restart the engine is rebuilt from the pins: b stays out, e stays in.
        t.store.shutdown().await;
        let store = t.db.open_store(Arc::new(ManualClock::new(t.clock.now())));
        let t = TestStore { store, clock: t.clock, db: t.db };
        let b_again = with_evidence("b", 1, "medium", json!([device("ws01")]));
        seed(&t.store, vec![b_again, with_evidence("d", 3, "low", json!([device("ws01")]))]).await;
        assert_eq!(incident_of(&t, "b").await, own.id.as_str(), "the unlink holds");
        assert_eq!(incident_of(&t, "d").await, main, "new alerts still join by entity");
        assert_eq!(incident_of(&t, "e").await, main, "the link holds");

        // Merging: the incident merged becomes redirected, its alerts move.
        let incidents = t.store.tenant(&tenant_a()).incidents();
        let merged = incidents.correlate_manually(own.id.as_str(), ManualAction::MergeInto(main.clone()), "Kai").await.unwrap().unwrap();
        assert_eq!(merged.id.as_str(), main);
        assert_eq!(incident_of(&t, "b").await, main);
        let redirected = incidents.get(own.id.as_str()).await.unwrap().unwrap();
        assert_eq!(redirected.status, IncidentStatus::Redirected);
        assert_eq!(redirected.redirect_incident_id.as_deref(), Some(main.as_str()));

        let refused = incidents.correlate_manually(&main, ManualAction::MergeInto(main.clone()), "Kai").await.unwrap();
        assert!(matches!(refused, Err(ManualRefusal::MergeIntoSelf(_))), "{refused:?}");
        let refused = incidents.correlate_manually(&main, ManualAction::Link(vec!["nope".into()]), "Kai").await.unwrap();
        assert_eq!(refused, Err(ManualRefusal::UnknownAlert("nope".into())));
        let refused = incidents.correlate_manually("77", ManualAction::Unlink("a".into()), "Kai").await.unwrap();
        assert_eq!(refused, Err(ManualRefusal::UnknownIncident("77".into())));
    }

    async fn a_rebuild_reports_differences_and_applies_them_unless_dry() {
        let t = open().await;
        seed(&t.store, vec![
            with_evidence("a", 0, "low", json!([device("ws01")])),
            with_evidence("b", 1, "low", json!([device("ws01")])),
        ]).await;
        let before = incident_of(&t, "a").await;
        let tenant = t.store.tenant(&tenant_a());
        let same = tenant.rebuild_correlation(true).await.unwrap();
        assert!(same.diff.is_empty(), "{same:?}");
        assert_eq!((same.alerts, same.incidents_before, same.incidents_after), (2, 1, 1));

        let mut settings = CorrelationSettings::default();
        settings.default.rules.clear();
        t.store.correlation().configure(settings);
        let dry = tenant.rebuild_correlation(true).await.unwrap();
        assert_eq!((dry.diff.only_left.len(), dry.diff.only_right.len(), dry.applied), (1, 2, false));
        assert_eq!(incident_of(&t, "b").await, before, "a dry run changes nothing");

        let applied = tenant.rebuild_correlation(false).await.unwrap();
        assert!(applied.applied);
        let (a, b) = (incident_of(&t, "a").await, incident_of(&t, "b").await);
        assert_ne!(a, b);
        assert!(a == before || b == before, "one of them keeps the incident");
        assert!(tenant.rebuild_correlation(true).await.unwrap().diff.is_empty());
        let stats = t.store.correlation().stats(&tenant_a()).unwrap();
        assert_eq!(stats.alerts, 2);
    }
}
