//! The provider registry, pushed alerts under the ordering and race rules, and sync-back staging —
//! on both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use model::{AlertId, ProviderSyncState, StoredAlert};
use provider_protocol::{
    AlertOutcome, AlertUpdate, CallbackAnswer, ProviderManifest, ProviderVersion, PushedAlert,
};
use serde_json::{json, Value};
use std::time::Duration;
use store::identity::NewApplication;
use store::providers::{AlertUpdateJob, Arrival, ALERT_UPDATE_KIND};
use store::{Clock, NewProvider, Provider, Store, StoreError};

fn manifest(name: &str) -> ProviderManifest {
    serde_json::from_value(json!({
        "protocolVersion": 1, "name": name, "vendor": "Contoso", "mode": "push",
        "callbackBaseUrl": "https://fw.contoso.example/secgraph",
        "actions": [{"name": "blockIp", "parameters": [{"name": "ip", "type": "ip", "required": true}]}]
    }))
    .unwrap()
}

async fn app(store: &Store) -> String {
    store
        .identity()
        .create_application(NewApplication {
            home_tenant_id: tenant_a(),
            display_name: "Contoso Firewall".into(),
            multi_tenant: true,
            requested_permissions: vec![auth::Permission::SecurityAlertReadWriteAll],
        })
        .await
        .unwrap()
        .client_id
}

async fn provider(store: &Store) -> Provider {
    let client_id = app(store).await;
    let new = NewProvider {
        client_id,
        manifest: manifest("Edge Firewall"),
        allow_private: false,
    };
    store.providers().register(new).await.unwrap().0
}

fn item(id: &str, version: Value, alert: Value) -> PushedAlert {
    serde_json::from_value(json!({"providerAlertId": id, "version": version, "alert": alert}))
        .unwrap()
}

fn fw(status: &str, title: &str) -> Value {
    json!({"title": title, "severity": "high", "status": status, "assignedTo": "fw-queue",
           "createdDateTime": "2024-06-01T11:00:00Z", "lastUpdateDateTime": "2024-06-01T11:59:00Z"})
}

async fn push(store: &Store, p: &Provider, items: Vec<PushedAlert>) -> Vec<AlertOutcome> {
    let results = store
        .tenant(&tenant_a())
        .push_alerts(p, items, Arrival::Push)
        .await
        .unwrap();
    results.into_iter().map(|r| r.outcome).collect()
}

async fn stored(store: &Store, id: &AlertId) -> StoredAlert {
    store
        .tenant(&tenant_a())
        .get_alert(id)
        .await
        .unwrap()
        .unwrap()
}

fn id_of(p: &Provider, provider_alert_id: &str) -> AlertId {
    provider_protocol::push::pushed_alert_id(&tenant_a(), p.name(), provider_alert_id)
}

async fn jobs(store: &Store) -> Vec<AlertUpdate> {
    let items = store
        .outbox()
        .claim(&[ALERT_UPDATE_KIND], 100, Duration::from_secs(60), "test")
        .await
        .unwrap();
    items
        .into_iter()
        .map(|i| {
            serde_json::from_value::<AlertUpdateJob>(i.payload)
                .unwrap()
                .update
        })
        .collect()
}

testdb::conformance! {
    async fn a_provider_is_registered_once_per_application_and_name() {
        let t = open().await;
        let p = provider(&t.store).await;
        assert_eq!(p.secrets.len(), 1);
        assert!(p.secrets[0].len() >= 32);
        let reg = t.store.providers();
        assert_eq!(reg.get(&p.id).await.unwrap().unwrap(), p);
        assert_eq!(reg.by_client_id(&p.client_id).await.unwrap().unwrap().id, p.id);
        let again = NewProvider { client_id: p.client_id.clone(), manifest: manifest("Other"), allow_private: false };
        let err = reg.register(again).await.unwrap_err();
        assert!(matches!(&err, StoreError::Rejected(m) if m.contains("already backs")), "{err}");
        let other_app = app(&t.store).await;
        let same_name = NewProvider { client_id: other_app.clone(), manifest: manifest("Edge Firewall"), allow_private: false };
        let err = reg.register(same_name).await.unwrap_err();
        assert!(matches!(&err, StoreError::Rejected(m) if m.contains("already registered")), "{err}");
        let no_app = NewProvider { client_id: uuid::Uuid::new_v4().to_string(), manifest: manifest("X"), allow_private: false };
        assert!(matches!(reg.register(no_app).await, Err(StoreError::Rejected(_))));
        let mut bad = manifest("Y");
        bad.callback_base_url = "ftp://nope".into();
        let bad = NewProvider { client_id: other_app, manifest: bad, allow_private: false };
        let err = reg.register(bad).await.unwrap_err();
        assert!(err.to_string().contains("callbackBaseUrl"), "{err}");
        assert_eq!(reg.list().await.unwrap().len(), 1);
    }

    async fn secrets_rotate_and_retire_and_the_name_is_fixed() {
        let t = open().await;
        let p = provider(&t.store).await;
        let reg = t.store.providers();
        let new = reg.rotate_secret(&p.id).await.unwrap();
        let rotated = reg.get(&p.id).await.unwrap().unwrap();
        assert_eq!(rotated.secrets, vec![new.clone(), p.secrets[0].clone()]);
        assert_eq!(rotated.signing_keys().unwrap().len(), 2);
        assert_eq!(reg.retire_secrets(&p.id).await.unwrap().secrets, vec![new]);
        let err = reg.update(&p.id, manifest("Renamed"), None).await.unwrap_err();
        assert!(err.to_string().contains("cannot change"), "{err}");
        let mut m = manifest("Edge Firewall");
        m.callback_base_url = "https://fw2.contoso.example/".into();
        let updated = reg.update(&p.id, m, Some(true)).await.unwrap();
        assert!(updated.allow_private);
        assert_eq!(updated.manifest.callback_base_url, "https://fw2.contoso.example/");
        assert!(reg.delete(&p.id).await.unwrap());
        assert!(reg.get(&p.id).await.unwrap().is_none());
    }

    async fn a_provider_is_enabled_by_consent_to_its_application() {
        let t = open().await;
        let p = provider(&t.store).await;
        assert!(t.store.providers().enabled_for(&tenant_b()).await.unwrap().is_empty());
        t.store.identity().grant_consent(&tenant_b(), &p.client_id, &[auth::Permission::SecurityAlertReadWriteAll]).await.unwrap();
        let enabled = t.store.providers().enabled_for(&tenant_b()).await.unwrap();
        assert_eq!(enabled.iter().map(|p| p.id.clone()).collect::<Vec<_>>(), vec![p.id]);
    }

    async fn pushes_follow_the_version_order_and_record_health() {
        let t = open().await;
        let p = provider(&t.store).await;
        let first = vec![
            item("fw-1", json!(2), fw("new", "two")),
            item("fw-2", json!("2024-06-01T11:00:00Z"), fw("new", "t")),
            item("fw-3", json!(1), json!({"title": "no created time"})),
        ];
        use AlertOutcome::*;
        assert_eq!(push(&t.store, &p, first).await, [Created, Created, Rejected]);
        let a = stored(&t.store, &id_of(&p, "fw-1")).await;
        assert_eq!(a.alert.title.as_deref(), Some("two"));
        assert_eq!(a.vendor.provider.as_deref(), Some("Edge Firewall"));
        assert_eq!(a.link.as_ref().unwrap().version, json!(2));
        let again = vec![
            item("fw-1", json!(2), fw("new", "same version, other text")),
            item("fw-2", json!(5), fw("new", "integer after timestamp")),
        ];
        assert_eq!(push(&t.store, &p, again).await, [Unchanged, Rejected]);
        assert_eq!(push(&t.store, &p, vec![item("fw-1", json!(1), fw("new", "old"))]).await, [Stale]);
        assert_eq!(push(&t.store, &p, vec![item("fw-1", json!(3), fw("inProgress", "three"))]).await, [Updated]);
        let a = stored(&t.store, &id_of(&p, "fw-1")).await;
        assert_eq!(a.alert.title.as_deref(), Some("three"));
        let health = t.store.providers().health(&tenant_a()).await.unwrap();
        assert_eq!(health.len(), 1);
        assert_eq!(health[0].provider_id, p.id);
        assert_eq!(health[0].last_push, Some(t.clock.now()));
        assert_eq!(health[0].alerts_received, 6, "every alert but the rejected ones");
        assert_eq!(health[0].lag_ms, Some(60_000));
        assert!(t.store.providers().health(&tenant_b()).await.unwrap().is_empty());
    }

    async fn a_local_change_is_staged_and_wins_until_the_provider_answers() {
        let t = open().await;
        let p = provider(&t.store).await;
        push(&t.store, &p, vec![item("fw-1", json!(3), fw("new", "v3"))]).await;
        let id = id_of(&p, "fw-1");
        let tenant = t.store.tenant(&tenant_a()).acting_as("analyst-app");
        tenant
            .update_alert(&id, |a| {
                a.alert.status = model::enums::AlertStatus::Resolved;
                a.alert.assigned_to = Some("analyst@contoso.example".into());
                Ok(())
            })
            .await
            .unwrap();
        let sent = jobs(&t.store).await;
        assert_eq!(sent.len(), 1, "one update per change, in the change's transaction");
        let update = &sent[0];
        assert_eq!(update.provider_alert_id, "fw-1");
        assert_eq!(update.base_version, Some(ProviderVersion::Sequence(3)));
        assert_eq!(update.changed_by.as_deref(), Some("analyst-app"));
        assert_eq!(update.changes.status, Some(model::enums::AlertStatus::Resolved));
        assert_eq!(update.changes.assigned_to, Some(Some("analyst@contoso.example".into())));
        let a = stored(&t.store, &id).await;
        let sync = a.alert.provider_sync.clone().unwrap();
        assert_eq!(sync.state, ProviderSyncState::Pending);
        assert_eq!(sync.idempotency_key, update.idempotency_key.to_string());

        // The provider, not yet aware of the change, sends a newer revision: its title wins, the
        // local status and assignment stay.
        use AlertOutcome::*;
        assert_eq!(push(&t.store, &p, vec![item("fw-1", json!(4), fw("inProgress", "v4"))]).await, [Updated]);
        let a = stored(&t.store, &id).await;
        assert_eq!(a.alert.title.as_deref(), Some("v4"));
        assert_eq!(a.alert.status, model::enums::AlertStatus::Resolved);
        assert_eq!(a.alert.assigned_to.as_deref(), Some("analyst@contoso.example"));

        // Applied at version 6: a revision before 6 still keeps the local values, one at 6 wins.
        let answer = CallbackAnswer::applied(Some(ProviderVersion::Sequence(6)));
        assert!(tenant.record_sync_answer(&id, p.name(), update.idempotency_key, answer).await.unwrap());
        let a = stored(&t.store, &id).await;
        assert_eq!(a.alert.provider_sync.as_ref().unwrap().state, ProviderSyncState::Applied);
        assert_eq!(a.alert.provider_sync.as_ref().unwrap().provider_version, Some(json!(6)));
        assert!(jobs(&t.store).await.is_empty(), "an answer is not synced back");
        push(&t.store, &p, vec![item("fw-1", json!(5), fw("new", "v5"))]).await;
        assert_eq!(stored(&t.store, &id).await.alert.status, model::enums::AlertStatus::Resolved);
        push(&t.store, &p, vec![item("fw-1", json!(6), fw("inProgress", "v6"))]).await;
        let a = stored(&t.store, &id).await;
        assert_eq!(a.alert.status, model::enums::AlertStatus::InProgress);
        assert_eq!(a.alert.assigned_to.as_deref(), Some("fw-queue"));
        assert_eq!(a.alert.provider_sync.unwrap().state, ProviderSyncState::Applied, "the sync state stays");
    }

    async fn a_rejected_change_lets_the_next_revision_win() {
        let t = open().await;
        let p = provider(&t.store).await;
        push(&t.store, &p, vec![item("fw-1", json!(1), fw("new", "v1"))]).await;
        let id = id_of(&p, "fw-1");
        let tenant = t.store.tenant(&tenant_a());
        tenant
            .update_alert(&id, |a| {
                a.alert.assigned_to = Some("me".into());
                Ok(())
            })
            .await
            .unwrap();
        tenant
            .update_alert(&id, |a| {
                a.alert.assigned_to = Some("you".into());
                Ok(())
            })
            .await
            .unwrap();
        let sent = jobs(&t.store).await;
        assert_eq!(sent.len(), 2);
        let stale = CallbackAnswer::rejected("closed in the console");
        assert!(!tenant.record_sync_answer(&id, p.name(), sent[0].idempotency_key, stale).await.unwrap(),
            "an answer to an older change does not end the pending state");
        let answer = CallbackAnswer::rejected("closed in the console");
        assert!(tenant.record_sync_answer(&id, p.name(), sent[1].idempotency_key, answer).await.unwrap());
        let a = stored(&t.store, &id).await;
        let sync = a.alert.provider_sync.unwrap();
        assert_eq!(sync.state, ProviderSyncState::Rejected);
        assert_eq!(sync.reason.as_deref(), Some("closed in the console"));
        push(&t.store, &p, vec![item("fw-1", json!(2), fw("new", "v2"))]).await;
        assert_eq!(stored(&t.store, &id).await.alert.assigned_to.as_deref(), Some("fw-queue"));
    }

    async fn answers_arriving_together_each_get_their_own_outcome() {
        let t = open().await;
        let p = provider(&t.store).await;
        let items = (0..8).map(|n| item(&format!("fw-{n}"), json!(1), fw("new", "v1"))).collect();
        push(&t.store, &p, items).await;
        let tenant = t.store.tenant(&tenant_a());
        let assign = |who: &'static str| move |a: &mut StoredAlert| {
            a.alert.assigned_to = Some(who.into());
            Ok(())
        };
        for n in 0..8 {
            tenant.update_alert(&id_of(&p, &format!("fw-{n}")), assign("me")).await.unwrap();
        }
        // fw-0 changes again: the answer to its first change is stale.
        tenant.update_alert(&id_of(&p, "fw-0"), assign("you")).await.unwrap();
        let sent = jobs(&t.store).await;
        assert_eq!(sent.len(), 9);
        let first = id_of(&p, "fw-0");
        let stale = sent.iter().filter(|u| u.alert_id == first).map(|u| u.idempotency_key).min();
        let mut answers: Vec<(AlertId, uuid::Uuid, bool)> = sent
            .iter()
            .map(|u| (u.alert_id.clone(), u.idempotency_key, Some(u.idempotency_key) != stale))
            .collect();
        answers.push((AlertId("no-such-alert".into()), uuid::Uuid::now_v7(), false));
        let calls = answers.iter().map(|(id, key, _)| {
            let answer = CallbackAnswer::applied(Some(ProviderVersion::Sequence(2)));
            tenant.record_sync_answer(id, p.name(), *key, answer)
        });
        let results = futures::future::join_all(calls).await;
        for ((id, _, expected), result) in answers.iter().zip(results) {
            assert_eq!(result.unwrap(), *expected, "{id:?}");
        }
        for n in 0..8 {
            let a = stored(&t.store, &id_of(&p, &format!("fw-{n}"))).await;
            assert_eq!(a.alert.provider_sync.unwrap().state, ProviderSyncState::Applied, "fw-{n}");
        }
    }

    async fn a_later_control_report_replaces_the_controls_it_names() {
        let t = open().await;
        let p = provider(&t.store).await;
        let control = |name: &str, score: f64| -> provider_protocol::ControlState {
            serde_json::from_value(json!({"controlName": name, "state": "default", "score": score,
                "maxScore": 10, "updatedDateTime": "2024-06-01T00:00:00Z"})).unwrap()
        };
        let reg = t.store.providers();
        reg.report_control_states(&tenant_a(), &p.id, vec![control("MFARegistrationV2", 2.0), control("AdminMFAV2", 10.0)]).await.unwrap();
        reg.report_control_states(&tenant_a(), &p.id, vec![control("mfaregistrationv2", 6.5)]).await.unwrap();
        let states = reg.control_states(&tenant_a()).await.unwrap();
        let scores: Vec<(String, f64)> = states.iter().map(|s| (s.state.control_name.clone(), s.state.score)).collect();
        assert_eq!(scores, [("AdminMFAV2".to_owned(), 10.0), ("mfaregistrationv2".to_owned(), 6.5)]);
        assert!(reg.control_states(&tenant_b()).await.unwrap().is_empty());
    }

    async fn alerts_no_provider_owns_are_not_synced() {
        let t = open().await;
        seed(&t.store, vec![alert("imported-1", json!({}))]).await;
        t.store
            .tenant(&tenant_a())
            .update_alert(&AlertId("imported-1".into()), |a| {
                a.alert.assigned_to = Some("me".into());
                Ok(())
            })
            .await
            .unwrap();
        assert!(jobs(&t.store).await.is_empty());
        let a = stored(&t.store, &AlertId("imported-1".into())).await;
        assert!(a.alert.provider_sync.is_none() && a.link.is_none());
    }
}
