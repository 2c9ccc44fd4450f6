//! The ingest path: created / updated / no-op, the per-tenant change sequence, hooks and their
//! atomicity, group commit under concurrency, durability across reopen, and read-modify-write.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use model::{AlertId, StoredAlert};
use serde_json::json;
use std::sync::Arc;
use store::{
    AlertChange, AlertView, ChangeType, HookContext, IngestHook, IngestOrigin, StoreError,
    UpdateError, WriteInfo,
};

testdb::conformance! {
    async fn created_updated_and_identical_reingest() {
        let t = open().await;
        let a = t.store.tenant(&tenant_a());
        let s = a
            .ingest(
                vec![alert("x1", json!({})), alert("x2", json!({}))],
                IngestOrigin::Import,
            )
            .await
            .unwrap();
        assert_eq!(
            (s.created, s.updated, s.unchanged, s.last_seq),
            (2, 0, 0, Some(2))
        );
        let s = a
            .ingest(
                vec![alert("x1", json!({})), alert("x2", json!({}))],
                IngestOrigin::Import,
            )
            .await
            .unwrap();
        assert_eq!(
            (s.created, s.updated, s.unchanged, s.last_seq),
            (0, 0, 2, None),
            "identical re-ingest is a no-op"
        );
        let s = a
            .ingest(
                vec![alert("x1", json!({"severity": "high"}))],
                IngestOrigin::Demo,
            )
            .await
            .unwrap();
        assert_eq!((s.created, s.updated, s.last_seq), (0, 1, Some(3)));
        // The same id twice in one batch: the second write sees the first.
        let s = a
            .ingest(
                vec![
                    alert("x3", json!({})),
                    alert("x3", json!({"title": "renamed"})),
                ],
                IngestOrigin::Import,
            )
            .await
            .unwrap();
        assert_eq!((s.created, s.updated, s.last_seq), (1, 1, Some(5)));
        let changes = a.changes_since(0, 100).await.unwrap();
        let seqs: Vec<i64> = changes.iter().map(|c| c.seq).collect();
        assert_eq!(seqs, [1, 2, 3, 4, 5]);
        assert_eq!(changes[2].alert_id, AlertId::from("x1"));
        assert_eq!(changes[2].change_type, ChangeType::Updated);
        assert_eq!(changes[2].origin, "demo");
        assert_eq!(changes[0].at, t.clock.now_for_test());
        assert_eq!(a.changes_since(3, 1).await.unwrap()[0].seq, 4);
        // Each tenant has its own sequence.
        let b = t.store.tenant(&tenant_b());
        let s = b
            .ingest(vec![alert("x1", json!({}))], IngestOrigin::Import)
            .await
            .unwrap();
        assert_eq!(s.last_seq, Some(1));
        assert_eq!(b.changes_since(0, 10).await.unwrap().len(), 1);
        let stored = a.get_alert(&"x3".into()).await.unwrap().unwrap();
        // Correlation put x3 in the tenant's third incident.
        assert_eq!(stored, alert("x3", json!({"title": "renamed", "incidentId": "3"})));
    }
}

trait NowForTest {
    fn now_for_test(&self) -> time::OffsetDateTime;
}

impl NowForTest for Arc<store::ManualClock> {
    fn now_for_test(&self) -> time::OffsetDateTime {
        store::Clock::now(self.as_ref())
    }
}

testdb::conformance! {
    async fn unknown_tenant_is_refused() {
        let t = open().await;
        let nobody = t.store.tenant(&model::TenantId("nobody".into()));
        let err = nobody
            .ingest(vec![alert("x", json!({}))], IngestOrigin::Import)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::UnknownTenant(_)), "{err:?}");
        assert_eq!(
            nobody.update_alert(&"x".into(), |_| Ok(())).await.unwrap(),
            None
        );
    }
}

/// Tags every alert, and enqueues a notification per change; refuses alerts titled "poison".
struct Notifier;

impl IngestHook for Notifier {
    fn before_write(&self, alert: &mut StoredAlert, info: &WriteInfo<'_>) -> Result<(), String> {
        if alert.alert.title.as_deref() == Some("poison") {
            return Err("poisoned alert".into());
        }
        let tag = format!("enriched-by-{}", info.origin.as_str());
        if !alert.alert.system_tags.contains(&tag) {
            alert.alert.system_tags.push(tag);
        }
        Ok(())
    }

    fn after_write(
        &self,
        ctx: &mut HookContext<'_>,
        change: &AlertChange<'_>,
    ) -> Result<(), String> {
        let previous = change.previous.map(|p| p.alert.severity.as_str());
        let payload = json!({"id": change.alert.alert.id, "type": change.change_type.as_str(), "seq": change.seq, "previous": previous});
        ctx.enqueue("notify", &payload).map_err(|e| e.to_string())
    }
}

testdb::conformance! {
    async fn hooks_enrich_and_enqueue_in_the_same_transaction() {
        let t = open().await;
        t.store.add_hook(Arc::new(Notifier));
        let a = t.store.tenant(&tenant_a());
        a.ingest(
            vec![alert("h1", json!({})), alert("h2", json!({}))],
            IngestOrigin::Import,
        )
        .await
        .unwrap();
        let h1 = a.get_alert(&"h1".into()).await.unwrap().unwrap();
        assert_eq!(h1.alert.system_tags, ["enriched-by-import"]);
        let outbox = t.store.outbox();
        assert_eq!(outbox.pending(Some("notify")).await.unwrap(), 2);
        // The enriched alert is what gets compared: an identical re-ingest stays a no-op, with no hook call.
        let s = a
            .ingest(vec![alert("h1", json!({}))], IngestOrigin::Import)
            .await
            .unwrap();
        assert_eq!(s.unchanged, 1);
        assert_eq!(outbox.pending(None).await.unwrap(), 2);
        a.ingest(
            vec![alert("h1", json!({"severity": "high"}))],
            IngestOrigin::Import,
        )
        .await
        .unwrap();
        let items = outbox
            .claim(&["notify"], 10, std::time::Duration::from_secs(30), "test")
            .await
            .unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(
            items[2].payload,
            json!({"id": "h1", "type": "updated", "seq": 3, "previous": "medium"})
        );
        assert_eq!(items[2].tenant_id, tenant_a());
    }
}

testdb::conformance! {
    async fn a_failing_hook_rolls_the_whole_write_back() {
        let t = open().await;
        t.store.add_hook(Arc::new(Notifier));
        let a = t.store.tenant(&tenant_a());
        // Another caller's write shares the group commit but not the failure.
        let other = {
            let b = t.store.tenant(&tenant_b());
            tokio::spawn(async move {
                b.ingest(vec![alert("fine", json!({}))], IngestOrigin::Import)
                    .await
            })
        };
        let err = a
            .ingest(
                vec![
                    alert("ok", json!({})),
                    alert("bad", json!({"title": "poison"})),
                ],
                IngestOrigin::Import,
            )
            .await
            .unwrap_err();
        assert_eq!(err, StoreError::Hook("poisoned alert".into()));
        assert!(
            a.get_alert(&"ok".into()).await.unwrap().is_none(),
            "the good alert of the batch was rolled back"
        );
        assert!(a.changes_since(0, 10).await.unwrap().is_empty());
        assert_eq!(other.await.unwrap().unwrap().created, 1);
        assert_eq!(
            t.store.outbox().pending(None).await.unwrap(),
            1,
            "only the other tenant's notification"
        );
        let s = a
            .ingest(vec![alert("ok", json!({}))], IngestOrigin::Import)
            .await
            .unwrap();
        assert_eq!(
            s.last_seq,
            Some(1),
            "the failed write consumed no sequence number"
        );
    }
}

testdb::conformance! {
    async fn concurrent_writers_get_dense_unique_sequence_numbers() {
        let t = open().await;
        let mut tasks = Vec::new();
        for i in 0..40 {
            let a = t.store.tenant(&tenant_a());
            tasks.push(tokio::spawn(async move {
                a.ingest(
                    vec![
                        alert(&format!("c{i}"), json!({})),
                        alert(&format!("d{i}"), json!({})),
                    ],
                    IngestOrigin::Api,
                )
                .await
            }));
        }
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap().created, 2);
        }
        let seqs: Vec<i64> = t
            .store
            .tenant(&tenant_a())
            .changes_since(0, 1000)
            .await
            .unwrap()
            .iter()
            .map(|c| c.seq)
            .collect();
        assert_eq!(seqs, (1..=80).collect::<Vec<i64>>());
    }
}

testdb::conformance! {
    async fn acknowledged_writes_survive_reopen() {
        let t = open().await;
        seed(
            &t.store,
            vec![
                alert("d1", json!({"severity": "high"})),
                alert("d2", json!({})),
            ],
        )
        .await;
        t.store.shutdown().await;
        let after = t
            .store
            .tenant(&tenant_a())
            .ingest(vec![alert("d3", json!({}))], IngestOrigin::Api)
            .await;
        assert_eq!(after.unwrap_err(), StoreError::Closed);
        assert!(
            t.store.health().await.is_ok(),
            "reads keep working after shutdown"
        );
        drop(t.store);
        let reopened = t.db.open_store(t.clock.clone());
        let a = reopened.tenant(&tenant_a());
        assert_eq!(
            a.get_alert(&"d1".into()).await.unwrap(),
            Some(alert("d1", json!({"severity": "high", "incidentId": "1"})))
        );
        assert_eq!(a.count_alerts(AlertView::V2, None).await.unwrap(), 2);
        let s = a
            .ingest(vec![alert("d3", json!({}))], IngestOrigin::Api)
            .await
            .unwrap();
        assert_eq!(s.last_seq, Some(3), "the change sequence continues");
        reopened.shutdown().await;
    }
}

testdb::conformance! {
    async fn update_alert_reads_modifies_and_writes_through_the_ingest_path() {
        let t = open().await;
        seed(&t.store, vec![alert("u1", json!({}))]).await;
        let a = t.store.tenant(&tenant_a());
        assert_eq!(
            a.update_alert(&"missing".into(), |_| Ok(())).await.unwrap(),
            None
        );
        let err = a
            .update_alert(&"u1".into(), |_| Err("status 'x' is not valid".into()))
            .await
            .unwrap_err();
        assert_eq!(err, StoreError::Rejected("status 'x' is not valid".into()));
        let u1: AlertId = "u1".into();
        let renamed = a.update_alert(&u1, |s| {
            s.alert.id = "other".into();
            Ok(())
        });
        assert!(matches!(renamed.await, Err(StoreError::Rejected(_))));
        let updated = a
            .update_alert(&"u1".into(), |s| {
                s.alert.assigned_to = Some("secops@contoso.com".into());
                Ok(())
            })
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            updated.alert.assigned_to.as_deref(),
            Some("secops@contoso.com")
        );
        assert_eq!(
            a.get_alert(&"u1".into()).await.unwrap(),
            Some(updated.clone())
        );
        let changes = a.changes_since(1, 10).await.unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(
            (changes[0].change_type, changes[0].origin.as_str()),
            (ChangeType::Updated, "api")
        );
        // A change that changes nothing writes nothing.
        let same = a.update_alert(&"u1".into(), |_| Ok(())).await.unwrap();
        assert_eq!(same, Some(updated));
        assert_eq!(a.changes_since(0, 10).await.unwrap().len(), 2);
        let raw = a
            .get_alert_raw(AlertView::Legacy, &"u1".into())
            .await
            .unwrap()
            .unwrap();
        assert!(
            raw.json.contains("secops@contoso.com") || !raw.json.contains("assignedTo"),
            "legacy doc rewritten"
        );
    }
}

testdb::conformance! {
    async fn update_alerts_reports_per_id() {
        let t = open().await;
        seed(
            &t.store,
            vec![alert("m1", json!({})), alert("m2", json!({}))],
        )
        .await;
        let a = t.store.tenant(&tenant_a());
        let ids: Vec<AlertId> = vec!["m1".into(), "nope".into(), "m2".into()];
        let results = a
            .update_alerts(ids, |s| {
                if s.alert.id.as_str() == "m2" {
                    return Err("m2 is locked".into());
                }
                s.alert.status = model::enums::AlertStatus::Resolved;
                Ok(())
            })
            .await
            .unwrap();
        assert_eq!(
            results[0].as_ref().map(|s| s.alert.status.as_str()),
            Ok("resolved")
        );
        assert_eq!(results[1], Err(UpdateError::NotFound));
        assert_eq!(
            results[2],
            Err(UpdateError::Rejected("m2 is locked".into()))
        );
        let m2 = a.get_alert(&"m2".into()).await.unwrap().unwrap();
        assert_eq!(m2.alert.status.as_str(), "new");
        assert_eq!(a.changes_since(2, 10).await.unwrap().len(), 1);
    }
}

/// Panics in `before_write` for alerts titled "panic".
struct Panicky;

impl IngestHook for Panicky {
    fn before_write(&self, alert: &mut StoredAlert, _: &WriteInfo<'_>) -> Result<(), String> {
        if alert.alert.title.as_deref() == Some("panic") {
            panic!("hook bug");
        }
        Ok(())
    }
}

testdb::conformance! {
    /// Preparation (hooks, encoding) runs on the caller's side, inline for small batches and on the
    /// blocking pool for large ones: a panicking hook must fail the call in both cases, write nothing,
    /// and leave the store usable.
    async fn a_panicking_before_write_hook_fails_the_call_and_writes_nothing() {
        let t = open().await;
        t.store.add_hook(Arc::new(Panicky));
        let a = t.store.tenant(&tenant_a());
        for size in [1, 40] {
            let mut batch: Vec<_> = (0..size)
                .map(|i| alert(&format!("p{size}-{i}"), json!({})))
                .collect();
            batch.push(alert(&format!("p{size}-bad"), json!({"title": "panic"})));
            let err = a.ingest(batch, IngestOrigin::Import).await.unwrap_err();
            assert!(matches!(err, StoreError::Hook(_)), "{err:?}");
            assert_eq!(
                a.get_alert(&format!("p{size}-0").as_str().into())
                    .await
                    .unwrap(),
                None
            );
        }
        let s = a
            .ingest(vec![alert("ok", json!({}))], IngestOrigin::Import)
            .await
            .unwrap();
        assert_eq!(s.created, 1);
    }
}
