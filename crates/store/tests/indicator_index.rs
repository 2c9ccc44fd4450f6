//! The live indicator index on both backends: built from the store, following the change log
//! through the change feed (another node's writes included on PostgreSQL), exact expiry, and the
//! action mapping (inactive, passive-only, allow).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use matcher::{Action, Query};
use serde_json::{json, Map, Value as Json};
use std::net::IpAddr;
use std::time::Duration;
use store::indicators::NewIndicator;
use store::{Clock, IndicatorIndex, TenantIndex};
use time::OffsetDateTime;

fn new(observables: Json, action: &str, expiration: OffsetDateTime, extra: Json) -> NewIndicator {
    let mut doc: Map<String, Json> = serde_json::from_value(json!({
        "id": "", "azureTenantId": "", "ingestedDateTime": "2024-01-01T00:00:00Z",
        "action": action,
        "description": "test",
        "expirationDateTime": model::datetime::format(expiration),
        "targetProduct": "Azure Sentinel",
        "threatType": "C2",
        "tlpLevel": "green"
    }))
    .unwrap();
    doc.extend(serde_json::from_value::<Map<String, Json>>(observables).unwrap());
    doc.extend(serde_json::from_value::<Map<String, Json>>(extra).unwrap());
    NewIndicator {
        external_id: None,
        action: Some(action.into()),
        target_product: "Azure Sentinel".into(),
        threat_type: "C2".into(),
        expiration,
        doc,
    }
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn verdict(
    index: &TenantIndex,
    query: Query<'_>,
    now: OffsetDateTime,
) -> Option<(Action, Vec<String>)> {
    let snapshot = index.snapshot();
    let v = snapshot.lookup(query, now.unix_timestamp())?;
    let ids = v
        .keys
        .iter()
        .map(|k| index.indicator_id(*k).unwrap().to_string())
        .collect();
    Some((v.action, ids))
}

/// Waits until `check` holds. The deadline only stops a hung test: how fast the index follows is
/// a benchmark's business, and a machine busy with other builds can take seconds.
async fn eventually(mut check: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !check() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the index did not follow in time"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

testdb::conformance! {
    async fn the_index_is_built_from_the_store_and_applies_precedence_and_expiry() {
        let t = open().await;
        let now = t.clock.now();
        let day = now + Duration::from_secs(86_400);
        let soon = now + Duration::from_secs(10);
        let ids = t.store.tenant(&tenant_a()).indicators_of("app");
        let made = ids
            .create(vec![
                new(json!({"networkDestinationCidrBlock": "10.0.0.0/8"}), "allow", day, json!({})),
                new(json!({"networkDestinationIPv4": "10.1.2.3"}), "block", day, json!({})),
                new(json!({"domainName": "example.com"}), "block", soon, json!({})),
                new(json!({"domainName": "evil.example.com"}), "block", day, json!({"passiveOnly": true})),
                new(json!({"url": "http://evil.example.com/x"}), "block", day, json!({"isActive": false})),
                new(json!({"fileHashType": "sha256", "fileHashValue": "AB".repeat(32)}), "alert", day, json!({})),
            ])
            .await
            .unwrap();
        t.store.tenant(&tenant_b()).indicators_of("app")
            .create(vec![new(json!({"domainName": "other-tenant.example"}), "block", day, json!({}))])
            .await
            .unwrap();
        let index = IndicatorIndex::new(t.store.clone());
        let a = index.tenant(&tenant_a()).await.unwrap();
        assert_eq!(verdict(&a, Query::Ip(ip("10.1.2.3")), now), Some((Action::Block, vec![made[1].id.clone()])), "a /32 block beats a /8 allow");
        assert_eq!(verdict(&a, Query::Ip(ip("10.9.9.9")), now).unwrap().0, Action::Allow);
        assert_eq!(verdict(&a, Query::Domain("a.example.com"), now).unwrap().0, Action::Block);
        assert_eq!(verdict(&a, Query::Domain("x.evil.example.com"), now), Some((Action::Alert, vec![made[3].id.clone()])),
            "passive-only never blocks, and the longer suffix wins");
        assert!(verdict(&a, Query::Url("http://evil.example.com/x"), now).is_none(), "inactive indicators are not indexed");
        assert_eq!(verdict(&a, Query::Hash(&"ab".repeat(32)), now).unwrap().1, vec![made[5].id.clone()]);
        assert!(verdict(&a, Query::Domain("other-tenant.example"), now).is_none(), "tenants do not share indicators");
        assert!(verdict(&a, Query::Domain("a.example.com"), soon).is_none(), "expiry is exact to the second");
        assert!(verdict(&a, Query::Domain("a.example.com"), soon - Duration::from_secs(1)).is_some());
    }
}

testdb::conformance! {
    async fn the_index_follows_writes_through_the_change_feed() {
        let t = open().await;
        let now = t.clock.now();
        let day = now + Duration::from_secs(86_400);
        let index = IndicatorIndex::new(t.store.clone());
        let a = index.tenant(&tenant_a()).await.unwrap();
        tokio::spawn(index.clone().follow());
        // On PostgreSQL the writes come from a second node on the same database.
        let writer = match testdb::current() {
            testdb::Backend::Postgres => t.db.open_store(t.clock.clone()),
            testdb::Backend::Sqlite => t.store.clone(),
        };
        let ids = writer.tenant(&tenant_a()).indicators_of("app");
        let made = ids.create(vec![new(json!({"domainName": "new.example"}), "block", day, json!({}))]).await.unwrap();
        eventually(|| verdict(&a, Query::Domain("www.new.example"), now).is_some()).await;

        let id = made[0].id.clone();
        ids.update(vec![id.clone()], move |current| {
            let mut doc = current.doc;
            doc.insert("action".into(), json!("allow"));
            Ok::<_, ()>(NewIndicator { external_id: None, action: Some("allow".into()), target_product: "Azure Sentinel".into(),
                threat_type: "C2".into(), expiration: day, doc })
        }).await.unwrap();
        eventually(|| verdict(&a, Query::Domain("www.new.example"), now).map(|v| v.0) == Some(Action::Allow)).await;

        ids.delete(vec![id]).await.unwrap();
        eventually(|| verdict(&a, Query::Domain("www.new.example"), now).is_none()).await;
        let seq = a.sequence().await;
        assert_eq!(seq, 3, "the index reflects the whole log");
    }
}

/// The matches stored on alert `id`.
async fn matches_of(t: &TestStore, id: &str) -> Vec<model::ThreatIntelligenceMatch> {
    let stored = t
        .store
        .tenant(&tenant_a())
        .get_alert(&model::AlertId(id.into()))
        .await
        .unwrap()
        .unwrap();
    stored.alert.threat_intelligence_matches
}

testdb::conformance! {
    async fn alerts_are_enriched_on_ingest_and_rematched_when_indicators_change() {
        let t = open().await;
        let now = t.clock.now();
        let day = now + Duration::from_secs(86_400);
        let index = IndicatorIndex::new(t.store.clone());
        t.store.add_hook(index.enrichment_hook());
        index.load_all().await.unwrap();
        tokio::spawn(index.clone().follow());
        let evidence = |ip: &str| json!({"evidence": [
            {"@odata.type": "#microsoft.graph.security.ipEvidence", "ipAddress": ip},
            {"@odata.type": "#microsoft.graph.security.urlEvidence", "url": "https://Phish.Example/login"}
        ]});
        let ts = t.store.tenant(&tenant_a());
        ts.ingest(vec![alert("before", evidence("203.0.113.7"))], store::IngestOrigin::Import).await.unwrap();
        assert!(matches_of(&t, "before").await.is_empty());

        let ids = ts.indicators_of("app");
        let made = ids.create(vec![
            new(json!({"networkDestinationCidrBlock": "203.0.113.0/24"}), "block", day, json!({})),
            new(json!({"url": "https://phish.example/login"}), "alert", day, json!({})),
        ]).await.unwrap();
        // The alert stored before the indicators existed is re-matched in the background.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while matches_of(&t, "before").await.len() < 2 {
            assert!(tokio::time::Instant::now() < deadline, "the stored alert was not re-matched");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let got = matches_of(&t, "before").await;
        assert_eq!(got[0], model::ThreatIntelligenceMatch {
            indicator_id: made[0].id.clone(), action: "block".into(), kind: "cidr".into(), value: "203.0.113.7".into() });
        assert_eq!((got[1].kind.as_str(), got[1].value.as_str()), ("url", "https://phish.example/login"));

        // New alerts are matched as they are written.
        ts.ingest(vec![alert("after", evidence("203.0.113.99"))], store::IngestOrigin::Import).await.unwrap();
        assert_eq!(matches_of(&t, "after").await.len(), 2);
        let blocked = query(&model::schema::ALERT, "$filter=threatIntelligenceMatches/any(m: m/action eq 'block')");
        let page = ts.list_alerts(store::ListRequest { view: store::AlertView::V2, query: &blocked, page_size: 10 }).await.unwrap();
        assert_eq!(page.items.len(), 2, "the matches are filterable");

        ids.delete(vec![made[0].id.clone()]).await.unwrap();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while matches_of(&t, "after").await.len() != 1 {
            assert!(tokio::time::Instant::now() < deadline, "the deleted indicator's matches stayed");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let changes = ts.changes_since(0, 100).await.unwrap();
        assert!(changes.iter().any(|c| c.origin == "enrichment"), "re-matches are recorded as enrichment changes");
    }
}

testdb::conformance! {
    async fn kept_events_are_pruned_by_age_and_by_count_per_tenant() {
        let t = open().await;
        let now = t.clock.now();
        let line = |i: usize| format!(r#"{{"type":"network","destination":{{"ip":"198.51.100.{i}"}}}}"#);
        let a = t.store.tenant(&tenant_a());
        a.keep_events((0..10).map(|i| (now, line(i))).collect()).await.unwrap();
        t.clock.advance(Duration::from_secs(3600));
        a.keep_events((10..20).map(|i| (now, line(i))).collect()).await.unwrap();
        t.store.tenant(&tenant_b()).keep_events((0..5).map(|i| (now, line(i))).collect()).await.unwrap();
        // Older than the cutoff: the first ten of tenant A.
        let cutoff = now + Duration::from_secs(60);
        assert_eq!(t.store.prune_events(cutoff, 1_000).await.unwrap(), 10);
        // At most 4 per tenant: 6 more of A (its oldest), 1 of B.
        assert_eq!(t.store.prune_events(cutoff, 4).await.unwrap(), 6 + 1);
        assert_eq!(t.store.prune_events(cutoff, 4).await.unwrap(), 0);
    }
}

/// The (id, typed indicator) pairs of what `create_logged` stored.
fn typed(stored: &[store::StoredIndicator]) -> Vec<(std::sync::Arc<str>, model::TiIndicator)> {
    stored
        .iter()
        .map(|s| {
            (
                s.id.as_str().into(),
                serde_json::from_value(Json::Object(s.doc.clone())).unwrap(),
            )
        })
        .collect()
}

testdb::conformance! {
    async fn own_writes_are_indexed_directly_or_by_catching_up_when_the_index_is_behind() {
        let t = open().await;
        let now = t.clock.now();
        let day = now + Duration::from_secs(86_400);
        let index = IndicatorIndex::new(t.store.clone());
        let a = index.tenant(&tenant_a()).await.unwrap();
        let ids = t.store.tenant(&tenant_a()).indicators_of("app");

        let (made, span) = ids.create_logged(vec![new(json!({"domainName": "one.example"}), "block", day, json!({}))]).await.unwrap();
        assert_eq!(span, Some((1, 1)));
        index.apply_created(&tenant_a(), span.unwrap(), typed(&made)).await.unwrap();
        assert_eq!(a.sequence().await, 1);
        assert_eq!(verdict(&a, Query::Domain("one.example"), now).unwrap().1, vec![made[0].id.clone()]);

        // A write the index has not seen (another node's) puts it behind: it catches up instead.
        ids.create(vec![new(json!({"domainName": "two.example"}), "block", day, json!({}))]).await.unwrap();
        let (made, span) = ids.create_logged(vec![new(json!({"domainName": "three.example"}), "alert", day, json!({}))]).await.unwrap();
        assert_eq!(span, Some((3, 3)));
        index.apply_created(&tenant_a(), span.unwrap(), typed(&made)).await.unwrap();
        assert_eq!(a.sequence().await, 3);
        assert!(verdict(&a, Query::Domain("two.example"), now).is_some(), "the missed write was caught up");
        assert_eq!(verdict(&a, Query::Domain("three.example"), now).unwrap().0, Action::Alert);
        assert_eq!(ids.create_logged(vec![]).await.unwrap().1, None);
    }
}
