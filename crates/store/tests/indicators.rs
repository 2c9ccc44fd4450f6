//! Threat indicator storage on both backends: owner and tenant scope, edits that keep what the
//! store stamps, deletes by id and external id, the gap-free change log and its events, hit
//! counters, expiry, and paging.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use odata::bound::BoundQuery;
use serde_json::{json, Map, Value as Json};
use std::time::Duration;
use store::indicators::{IndicatorEdit, NewIndicator};
use store::{Clock, StoreEvent};
use time::OffsetDateTime;

fn indicator(value: &str, external_id: Option<&str>, expiration: OffsetDateTime) -> NewIndicator {
    let doc: Map<String, Json> = serde_json::from_value(json!({
        "id": null,
        "action": "block",
        "description": format!("indicator {value}"),
        "domainName": value,
        "expirationDateTime": model::datetime::format(expiration),
        "externalId": external_id,
        "ingestedDateTime": null,
        "targetProduct": "Azure Sentinel",
        "threatType": "Botnet",
        "tlpLevel": "green",
        "indicatorRequestHash": "echoed"
    }))
    .unwrap();
    NewIndicator {
        external_id: external_id.map(str::to_owned),
        action: Some("block".into()),
        target_product: "Azure Sentinel".into(),
        threat_type: "Botnet".into(),
        expiration,
        doc,
    }
}

testdb::conformance! {
    async fn indicators_are_scoped_to_their_tenant_and_owner() {
        let t = open().await;
        let later = t.clock.now() + Duration::from_secs(86_400);
        let a = t.store.tenant(&tenant_a());
        let mine = a.indicators_of("app-1");
        let created = mine
            .create(vec![indicator("evil.example", Some("x-1"), later)])
            .await
            .unwrap();
        let id = created[0].id.clone();
        let doc = &created[0].doc;
        assert_eq!(doc["id"], json!(id));
        assert_eq!(doc["azureTenantId"], json!(tenant_a().as_str()));
        assert_eq!(doc["ingestedDateTime"], json!(model::datetime::format(t.clock.now())));
        assert_eq!(doc["indicatorRequestHash"], json!("echoed"), "unknown properties are kept");
        assert_eq!(doc["hitCount"], json!(0));
        let keys: Vec<&str> = doc.keys().map(String::as_str).collect();
        assert_eq!(keys[0], "id", "stamped values keep the document's order");

        assert_eq!(mine.get(&id).await.unwrap().unwrap().doc, *doc);
        assert!(a.indicators_of("app-2").get(&id).await.unwrap().is_none(), "another app's");
        assert!(a.all_indicators().get(&id).await.unwrap().is_some());
        let b = t.store.tenant(&tenant_b());
        assert!(b.indicators_of("app-1").get(&id).await.unwrap().is_none(), "another tenant's");
        assert!(b.all_indicators().get(&id).await.unwrap().is_none());
        assert_eq!(a.indicators_of("app-2").delete(vec![id.clone()]).await.unwrap(), [false]);
        assert!(t.store.tenant(&tenant_a()).all_indicators().create(vec![]).await.is_err(),
            "creating needs an owner");
    }
}

testdb::conformance! {
    async fn edits_keep_stamps_and_counters_and_refusals_change_nothing() {
        let t = open().await;
        let later = t.clock.now() + Duration::from_secs(86_400);
        let ids = t.store.tenant(&tenant_a()).indicators_of("app-1");
        let created = ids
            .create(vec![indicator("a.example", None, later), indicator("b.example", None, later)])
            .await
            .unwrap();
        let (first, second) = (created[0].id.clone(), created[1].id.clone());
        t.clock.advance(Duration::from_secs(60));
        ids.record_hits(vec![(first.clone(), 3, t.clock.now())]).await.unwrap();

        let outcomes = ids
            .update(vec![first.clone(), "missing".into(), second.clone()], move |current| {
                if current.doc["domainName"] == json!("b.example") {
                    return Err("refused");
                }
                let mut next = indicator("a.example", Some("ext"), later);
                next.action = Some("alert".into());
                next.doc.insert("action".into(), json!("alert"));
                next.doc.insert("ingestedDateTime".into(), json!("1999-01-01T00:00:00Z"));
                Ok(next)
            })
            .await
            .unwrap();
        let updated = outcomes[0].as_ref().unwrap();
        assert_eq!(updated.doc["action"], json!("alert"));
        assert_eq!(updated.doc["externalId"], json!("ext"));
        assert_eq!(updated.doc["ingestedDateTime"], created[0].doc["ingestedDateTime"]);
        assert_eq!(updated.doc["hitCount"], json!(3));
        assert_eq!(outcomes[1], Err(IndicatorEdit::NotFound));
        assert_eq!(outcomes[2], Err(IndicatorEdit::Refused("refused")));
        assert_eq!(ids.get(&first).await.unwrap().unwrap().doc, updated.doc);
        assert_eq!(ids.get(&second).await.unwrap().unwrap().doc, created[1].doc);

        ids.record_hits(vec![(first.clone(), 2, t.clock.now() - Duration::from_secs(30))])
            .await
            .unwrap();
        let doc = ids.get(&first).await.unwrap().unwrap().doc;
        assert_eq!(doc["hitCount"], json!(5));
        assert_eq!(doc["lastHitDateTime"], json!(model::datetime::format(t.clock.now())),
            "an older hit does not move the last hit back");
    }
}

testdb::conformance! {
    async fn deletes_expiry_and_the_change_log_are_gap_free_and_announced() {
        let t = open().await;
        let mut events = t.store.subscribe();
        let now = t.clock.now();
        let ids = t.store.tenant(&tenant_a()).indicators_of("app-1");
        let created = ids
            .create(vec![
                indicator("a.example", Some("shared"), now + Duration::from_secs(10)),
                indicator("b.example", Some("shared"), now + Duration::from_secs(86_400)),
                indicator("c.example", Some("other"), now + Duration::from_secs(86_400)),
                indicator("d.example", None, now + Duration::from_secs(86_400)),
            ])
            .await
            .unwrap();
        // Other events (the tenants' creation, on PostgreSQL heard late through LISTEN) may come first.
        let event = tokio::time::timeout(Duration::from_secs(5), async {
            loop {
                match events.recv().await.unwrap() {
                    e @ StoreEvent::Indicators { .. } => return e,
                    _ => continue,
                }
            }
        })
        .await
        .unwrap();
        assert_eq!(event, StoreEvent::Indicators { tenant: tenant_a(), seq: 4 });

        assert_eq!(
            ids.delete_by_external_id(vec!["shared".into(), "none".into()]).await.unwrap(),
            [2, 0]
        );
        assert_eq!(ids.delete(vec![created[2].id.clone(), created[2].id.clone()]).await.unwrap(),
            [true, false]);
        t.clock.advance(Duration::from_secs(20));
        assert_eq!(t.store.sweep_expired_indicators(now).await.unwrap(), 0, "none expired before the cutoff");
        assert_eq!(t.store.sweep_expired_indicators(t.clock.now()).await.unwrap(), 0, "the expired one was deleted by external id");
        let all = t.store.tenant(&tenant_a()).all_indicators();
        assert_eq!(all.unexpired(t.clock.now()).await.unwrap().len(), 1);
        assert_eq!(all.delete_expired(t.clock.now()).await.unwrap(), 0, "all expired ones are gone");
        let late = ids.create(vec![indicator("e.example", None, t.clock.now() + Duration::from_secs(5))]).await.unwrap();
        t.clock.advance(Duration::from_secs(10));
        let b = t.store.tenant(&tenant_b()).indicators_of("app-1");
        b.create(vec![indicator("f.example", None, t.clock.now() - Duration::from_secs(1))]).await.unwrap();
        assert_eq!(t.store.sweep_expired_indicators(t.clock.now()).await.unwrap(), 2, "every tenant is swept");
        assert!(ids.get(&late[0].id).await.unwrap().is_none());

        let log = all.changes_since(0, 100).await.unwrap();
        let seqs: Vec<i64> = log.iter().map(|c| c.seq).collect();
        assert_eq!(seqs, (1..=9).collect::<Vec<_>>(), "create, delete by external id, delete, create, sweep");
        assert_eq!(log[6].indicator_id, created[2].id);
        assert_eq!(all.changes_since(5, 1).await.unwrap()[0].seq, 6);
        let theirs = t.store.tenant(&tenant_b()).all_indicators().changes_since(0, 10).await.unwrap();
        assert_eq!(theirs.iter().map(|c| c.seq).collect::<Vec<_>>(), [1, 2], "each tenant has its own log");
    }
}

testdb::conformance! {
    async fn pages_follow_skip_tokens_to_the_end_newest_first() {
        let t = open().await;
        let later = t.clock.now() + Duration::from_secs(86_400);
        let ids = t.store.tenant(&tenant_a()).indicators_of("app-1");
        let mut expected = Vec::new();
        for i in 0..5 {
            let made = ids.create(vec![indicator(&format!("{i}.example"), None, later)]).await.unwrap();
            expected.insert(0, made[0].id.clone());
            t.clock.advance(Duration::from_secs(1));
        }
        t.store.tenant(&tenant_a()).indicators_of("app-2")
            .create(vec![indicator("theirs.example", None, later)]).await.unwrap();
        let mut query = BoundQuery { count: true, ..BoundQuery::default() };
        let mut seen = Vec::new();
        loop {
            let page = ids.list(&query, 2).await.unwrap();
            assert_eq!(page.count, Some(5));
            seen.extend(page.items.into_iter().map(|i| i.id));
            match page.next_skiptoken {
                Some(token) => query.skiptoken = Some(token),
                None => break,
            }
        }
        assert_eq!(seen, expected);
    }
}

testdb::conformance! {
    async fn external_ids_are_the_owners_distinct_ids_in_the_tenant() {
        let t = open().await;
        let later = t.clock.now() + Duration::from_secs(86_400);
        let a = t.store.tenant(&tenant_a());
        a.indicators_of("app-1")
            .create(vec![
                indicator("a.example", Some("x-1"), later),
                indicator("b.example", Some("x-1"), later),
                indicator("c.example", Some("x-2"), later),
                indicator("d.example", None, later),
            ])
            .await
            .unwrap();
        a.indicators_of("app-2").create(vec![indicator("e.example", Some("theirs"), later)]).await.unwrap();
        t.store.tenant(&tenant_b()).indicators_of("app-1")
            .create(vec![indicator("f.example", Some("other-tenant"), later)]).await.unwrap();
        let mut mine: Vec<String> = a.indicators_of("app-1").external_ids().await.unwrap().into_iter().collect();
        mine.sort();
        assert_eq!(mine, ["x-1", "x-2"], "distinct, without indicators lacking one");
        assert_eq!(a.all_indicators().external_ids().await.unwrap().len(), 3);
        assert!(a.indicators_of("app-3").external_ids().await.unwrap().is_empty());
    }
}

testdb::conformance! {
    async fn a_validated_indicator_is_stored_with_columns_from_its_document() {
        let t = open().await;
        let body = model::indicator::parse_new(&json!({
            "action": "Block", "description": "d", "domainName": "evil.example",
            "expirationDateTime": "2030-01-01T00:00:00Z", "externalId": "feed-7",
            "targetProduct": "azure sentinel", "threatType": "botnet", "tlpLevel": "green"
        }))
        .unwrap();
        let id = model::indicator::TiIndicatorId(String::new());
        let indicator = model::indicator::TiIndicator::new(id, tenant_a(), t.clock.now(), body);
        let new = NewIndicator::from_indicator(&indicator).unwrap();
        assert_eq!(new.external_id.as_deref(), Some("feed-7"));
        assert_eq!(new.action.as_deref(), Some("block"));
        assert_eq!(new.target_product, "Azure Sentinel", "canonical, as the document has it");
        assert_eq!(new.threat_type, "Botnet");
        assert_eq!(model::datetime::format(new.expiration), "2030-01-01T00:00:00.0000000Z");
        let ids = t.store.tenant(&tenant_a()).indicators_of("app-1");
        let stored = ids.create(vec![new]).await.unwrap();
        assert_eq!(stored[0].doc["domainName"], json!("evil.example"));
        assert!(ids.external_ids().await.unwrap().contains("feed-7"));
    }
}

testdb::conformance! {
    /// Regression: on PostgreSQL two concurrent writes in one tenant deadlocked (each row's
    /// foreign key took a key-share lock on the tenant row, then each asked for the row lock).
    async fn concurrent_indicator_writes_in_one_tenant_all_commit() {
        let t = open().await;
        let later = t.clock.now() + Duration::from_secs(86_400);
        let batch = |tag: &str| -> Vec<NewIndicator> {
            (0..300).map(|i| indicator(&format!("{tag}{i}.example"), None, later)).collect()
        };
        let a = t.store.tenant(&tenant_a()).indicators_of("app-1");
        let b = t.store.tenant(&tenant_a()).indicators_of("app-2");
        let (x, y, z) = tokio::join!(a.create(batch("x")), b.create(batch("y")), a.create(batch("z")));
        for r in [x, y, z] {
            assert_eq!(r.unwrap().len(), 300);
        }
        let all = t.store.tenant(&tenant_a()).all_indicators();
        assert_eq!(all.count(None).await.unwrap(), 900);
        assert_eq!(all.sequence().await.unwrap(), 900, "the change log stays gap-free");
    }
}

testdb::conformance! {
    /// A large submit is written several rows per statement: every row, column and change-log
    /// entry must land where a row-by-row write would put it, across the statements' boundaries.
    async fn a_large_submit_stores_every_row_and_a_contiguous_change_log() {
        let t = open().await;
        let later = t.clock.now() + Duration::from_secs(86_400);
        let mine = t.store.tenant(&tenant_a()).indicators_of("app-1");
        mine.create(vec![indicator("first.example", None, later)]).await.unwrap();
        let items: Vec<NewIndicator> = (0..1_201)
            .map(|i| {
                let ext = format!("ext-{i}");
                indicator(&format!("d{i}.example"), (i % 2 == 0).then_some(ext.as_str()), later)
            })
            .collect();
        let created = mine.create(items).await.unwrap();
        assert_eq!(created.len(), 1_201);
        let changes = mine.changes_since(1, 5_000).await.unwrap();
        let seqs: Vec<i64> = changes.iter().map(|c| c.seq).collect();
        assert_eq!(seqs, (2..=1_202).collect::<Vec<i64>>(), "gap-free, after the earlier write");
        let logged: Vec<&str> = changes.iter().map(|c| c.indicator_id.as_str()).collect();
        let ids: Vec<&str> = created.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(logged, ids, "logged in submit order");
        let stored = mine.get_many(&created.iter().map(|c| c.id.clone()).collect::<Vec<_>>()).await.unwrap();
        assert_eq!(stored.len(), 1_201);
        for (i, want) in created.iter().enumerate().step_by(97).chain([(1_200, &created[1_200])]) {
            let got = mine.get(&want.id).await.unwrap().expect("stored");
            assert_eq!(got.doc, want.doc, "row {i}");
            assert_eq!(got.doc["domainName"], json!(format!("d{i}.example")));
            let ext = (i % 2 == 0).then(|| format!("ext-{i}"));
            assert_eq!(got.doc["externalId"], json!(ext), "row {i}");
        }
        let external = mine.external_ids().await.unwrap();
        assert!(external.contains("ext-0") && external.contains("ext-1200") && !external.contains("ext-1"));
    }
}
