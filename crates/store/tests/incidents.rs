//! Incidents in the store, on both backends: every written alert is in an incident; alerts that
//! share a strong entity share one, with the reasons; the roll-up (severity, status, summary);
//! analysts' PATCH and comments; resolving an incident resolves its alerts through the alert update
//! path, staging the provider sync-back; reads, pages and counts through the OData path.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "incidents/support.rs"]
mod support;

use common::*;
use model::enums::{AlertClassification, AlertSeverity, AlertStatus};
use model::incident::schema::INCIDENT;
use model::incident::IncidentPatch;
use model::{AlertId, IncidentStatus};
use serde_json::json;
use store::incidents::IncidentUpdate;
use store::{Clock, IngestOrigin};
use support::*;

testdb::conformance! {
    async fn alerts_sharing_an_entity_share_an_incident_with_the_reason() {
        let t = open().await;
        seed(&t.store, vec![
            with_evidence("edr", 0, "high", json!([device("ws01"), ip("203.0.113.7")])),
            with_evidence("ids", 5, "low", json!([ip("203.0.113.7")])),
            with_evidence("noise", 6, "medium", json!([ip("10.0.0.5")])),
            with_evidence("bare", 7, "low", json!([])),
        ])
        .await;
        let (edr, ids, noise, bare) = (
            incident_of(&t, "edr").await,
            incident_of(&t, "ids").await,
            incident_of(&t, "noise").await,
            incident_of(&t, "bare").await,
        );
        assert_eq!(edr, ids);
        assert_ne!(noise, edr, "a private address links nothing");
        assert_ne!(bare, noise, "an alert without entities has an incident of its own");
        let incidents = t.store.tenant(&tenant_a()).incidents();
        let shared = incidents.get(&edr).await.unwrap().unwrap();
        assert_eq!(shared.severity, AlertSeverity::High);
        assert_eq!(shared.status, IncidentStatus::Active);
        assert_eq!(shared.display_name.as_deref(), Some("Alert edr"));
        assert_eq!(shared.tenant_id.as_deref(), Some(tenant_a().as_str()));
        let reason = &shared.correlation_reasons[0];
        assert_eq!((reason.rule.as_str(), reason.entity.kind.as_str()), ("same-ip", "ip"));
        assert_eq!(reason.entity.value, "203.0.113.7");
        assert_eq!(reason.alert_ids, ["edr", "ids"]);
        assert!(shared.summary.unwrap().starts_with("2 alerts (2 active)"));
        let all = incidents.list(&query(&INCIDENT, "$count=true"), 10).await.unwrap();
        assert_eq!(all.count, Some(3));
        let created: Vec<_> = all.items.iter().map(|i| i.created_date_time).collect();
        assert!(created.windows(2).all(|w| w[0] >= w[1]), "newest first");
        let high = incidents.count(query(&INCIDENT, "$filter=severity eq 'high'").filter.as_ref()).await.unwrap();
        assert_eq!(high, 1);
    }

    async fn an_identical_write_stays_a_no_op() {
        let t = open().await;
        let a = with_evidence("a", 0, "low", json!([device("ws01")]));
        seed(&t.store, vec![a.clone()]).await;
        let again = t.store.tenant(&tenant_a()).ingest(vec![a], IngestOrigin::Import).await.unwrap();
        assert_eq!((again.unchanged, again.updated, again.last_seq), (1, 0, None));
    }

    async fn severity_and_status_roll_up_from_the_alerts() {
        let t = open().await;
        seed(&t.store, vec![
            with_evidence("a", 0, "high", json!([device("ws01")])),
            with_evidence("b", 1, "low", json!([device("ws01")])),
        ])
        .await;
        let id = incident_of(&t, "a").await;
        let tenant = t.store.tenant(&tenant_a());
        tenant.update_alert(&AlertId("a".into()), |s| {
            s.alert.status = AlertStatus::Resolved;
            Ok(())
        }).await.unwrap();
        let i = tenant.incidents().get(&id).await.unwrap().unwrap();
        assert_eq!(i.severity, AlertSeverity::Low, "the highest of the active alerts");
        assert_eq!(i.status, IncidentStatus::Active);
        tenant.update_alert(&AlertId("b".into()), |s| {
            s.alert.status = AlertStatus::InProgress;
            Ok(())
        }).await.unwrap();
        assert_eq!(tenant.incidents().get(&id).await.unwrap().unwrap().status, IncidentStatus::InProgress);
        tenant.update_alert(&AlertId("b".into()), |s| {
            s.alert.status = AlertStatus::Resolved;
            Ok(())
        }).await.unwrap();
        let i = tenant.incidents().get(&id).await.unwrap().unwrap();
        assert_eq!((i.status, i.severity), (IncidentStatus::Resolved, AlertSeverity::High));
        // Rewritten by every roll-up above, its reasons are carried over unchanged.
        assert_eq!(i.correlation_reasons.len(), 1, "{:?}", i.correlation_reasons);
        assert_eq!(i.correlation_reasons[0].alert_ids, ["a", "b"]);
        // A resolved incident takes no new alert.
        seed(&t.store, vec![with_evidence("c", 2, "low", json!([device("ws01")]))]).await;
        assert_ne!(incident_of(&t, "c").await, id);
    }

    async fn resolving_an_incident_resolves_its_alerts_and_stages_their_sync_back() {
        let t = open().await;
        let mut pushed = with_evidence("p", 0, "medium", json!([device("ws01")]));
        pushed.link = Some(serde_json::from_value(json!({
            "providerId": "prov-1", "providerAlertId": "x-1", "version": {"revision": 1}
        })).unwrap());
        seed(&t.store, vec![pushed, with_evidence("q", 1, "low", json!([device("ws01")]))]).await;
        let id = incident_of(&t, "p").await;
        let tenant = t.store.tenant(&tenant_a()).acting_as("app-1");
        let patch = IncidentPatch::from_json(
            &json!({"status": "resolved", "classification": "truePositive", "customTags": ["x"]}),
            false,
        ).unwrap();
        let i = tenant.incidents().update(&id, IncidentUpdate::Patch(patch), "Kai").await.unwrap().unwrap();
        assert_eq!(i.status, IncidentStatus::Resolved);
        assert_eq!(i.classification, Some(AlertClassification::TruePositive));
        assert_eq!((i.custom_tags.as_slice(), i.last_modified_by.as_deref()), (&["x".to_owned()][..], Some("Kai")));
        for alert in ["p", "q"] {
            let a = tenant.get_alert(&AlertId(alert.into())).await.unwrap().unwrap();
            assert_eq!(a.alert.status, AlertStatus::Resolved, "{alert}");
            assert!(a.alert.resolved_date_time.is_some());
        }
        let staged = t.store.outbox().pending(Some(store::providers::sync::ALERT_UPDATE_KIND)).await.unwrap();
        assert_eq!(staged, 1, "the provider's alert is synced back, the other has no provider");
        // An analyst's status stays, whatever the alerts do.
        tenant.update_alert(&AlertId("q".into()), |s| {
            s.alert.status = AlertStatus::New;
            Ok(())
        }).await.unwrap();
        assert_eq!(tenant.incidents().get(&id).await.unwrap().unwrap().status, IncidentStatus::Resolved);
    }

    async fn comments_are_appended_with_author_and_time() {
        let t = open().await;
        seed(&t.store, vec![with_evidence("a", 0, "low", json!([]))]).await;
        let id = incident_of(&t, "a").await;
        let incidents = t.store.tenant(&tenant_a()).incidents();
        for text in ["first", "second"] {
            incidents.update(&id, IncidentUpdate::Comment(vec![text.into()]), "Dana").await.unwrap();
        }
        let i = incidents.get(&id).await.unwrap().unwrap();
        let texts: Vec<_> = i.comments.iter().map(|c| c.comment.as_deref().unwrap()).collect();
        assert_eq!(texts, ["first", "second"]);
        assert_eq!(i.comments[0].created_by_display_name.as_deref(), Some("Dana"));
        assert_eq!(i.comments[0].created_date_time, Some(t.clock.now()));
        assert!(incidents.update("999", IncidentUpdate::Comment(vec!["x".into()]), "Dana").await.unwrap().is_none());
        assert!(incidents.get("0042").await.unwrap().is_none(), "ids are canonical numbers");
    }

    async fn incidents_and_their_alerts_stay_in_their_tenant() {
        let t = open().await;
        seed(&t.store, vec![with_evidence("a", 0, "low", json!([device("ws01")]))]).await;
        let id = incident_of(&t, "a").await;
        let other = t.store.tenant(&tenant_b()).incidents();
        assert!(other.get(&id).await.unwrap().is_none());
        assert!(other.alert(&id, "a").await.unwrap().is_none());
        assert_eq!(other.count(None).await.unwrap(), 0);
        let mine = t.store.tenant(&tenant_a()).incidents();
        assert!(mine.alert(&id, "a").await.unwrap().is_some());
        let expanded = mine.alerts_of(&[id.as_str()]).await.unwrap();
        assert_eq!(expanded[&id].len(), 1);
        let n = mine.count_alerts(&id, None).await.unwrap();
        assert_eq!(n, 1);
    }
}
