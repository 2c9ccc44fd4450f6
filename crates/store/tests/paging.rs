//! Ordering and keyset paging: default and explicit orders with mixed directions and NULLs, paging
//! while rows are inserted, skip tokens refused when altered or reused with another query, `$skip`,
//! `$count`, and index-driven plans for the hot filters.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use model::StoredAlert;
use odata::bound::BoundQuery;
use serde_json::json;
use std::cmp::Ordering;
use store::{AlertView, IngestOrigin, ListRequest, StoreError};

/// Alerts with repeated creation times, some without `assignedTo`.
fn many(n: usize, prefix: &str) -> Vec<StoredAlert> {
    (0..n)
        .map(|i| {
            let assigned = if i % 3 == 0 {
                json!(null)
            } else {
                json!(format!("user{}", i % 4))
            };
            let sev = ["low", "medium", "high", "informational"][i % 4];
            alert(
                &format!("{prefix}{i:03}"),
                json!({
                    "createdDateTime": format!("2024-05-{:02}T00:00:00Z", 1 + (i * 7) % 5),
                    "assignedTo": assigned,
                    "severity": sev,
                    "title": format!("t{}", i % 6),
                }),
            )
        })
        .collect()
}

/// Follows next tokens to the end; returns ids in order.
async fn all_pages(t: &TestStore, raw_query: &str, page_size: u32) -> Vec<String> {
    let mut q = query(&ALERT, raw_query);
    let mut out = Vec::new();
    loop {
        let page = list(&t.store, AlertView::V2, &q, page_size).await;
        assert!(page.items.len() <= page_size as usize);
        out.extend(page.items.iter().map(|r| r.id.0.clone()));
        match page.next_skiptoken {
            Some(token) => {
                assert_eq!(
                    page.items.len(),
                    page_size as usize,
                    "only full pages have a next link"
                );
                q.skiptoken = Some(token);
            }
            None => return out,
        }
    }
}

fn sorted_ids(
    mut alerts: Vec<StoredAlert>,
    cmp: impl Fn(&StoredAlert, &StoredAlert) -> Ordering,
) -> Vec<String> {
    alerts.sort_by(|a, b| cmp(a, b));
    alerts.into_iter().map(|a| a.alert.id.0).collect()
}

/// Option ordering with NULLs first (ascending).
fn nulls_first<T: Ord>(a: &Option<T>, b: &Option<T>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => x.cmp(y),
    }
}

testdb::conformance! {
    async fn default_order_is_newest_first_with_id_tiebreak() {
        let t = open().await;
        let alerts = many(23, "x");
        seed(&t.store, alerts.clone()).await;
        let want = sorted_ids(alerts, |a, b| {
            b.alert
                .created_date_time
                .cmp(&a.alert.created_date_time)
                .then(b.alert.id.cmp(&a.alert.id))
        });
        assert_eq!(all_pages(&t, "", 5).await, want);
        assert_eq!(all_pages(&t, "", 23).await, want);
        assert_eq!(all_pages(&t, "", 100).await, want);
    }
}

testdb::conformance! {
    async fn mixed_directions_and_nulls() {
        let t = open().await;
        let alerts = many(40, "m");
        seed(&t.store, alerts.clone()).await;
        // NULLs first ascending; id follows the last item's direction (desc).
        let want = sorted_ids(alerts.clone(), |a, b| {
            nulls_first(&a.alert.assigned_to, &b.alert.assigned_to)
                .then(b.alert.created_date_time.cmp(&a.alert.created_date_time))
                .then(b.alert.id.cmp(&a.alert.id))
        });
        assert_eq!(
            all_pages(&t, "$orderby=assignedTo asc,createdDateTime desc", 6).await,
            want
        );
        // NULLs last descending; id ascending after an ascending last item.
        let want = sorted_ids(alerts.clone(), |a, b| {
            nulls_first(&b.alert.assigned_to, &a.alert.assigned_to)
                .then(a.alert.title.cmp(&b.alert.title))
                .then(a.alert.id.cmp(&b.alert.id))
        });
        assert_eq!(
            all_pages(&t, "$orderby=assignedTo desc,title", 7).await,
            want
        );
        // Enums order by declaration order, not alphabetically.
        let rank = |a: &StoredAlert| a.alert.severity as u8;
        let want = sorted_ids(alerts, |a, b| {
            rank(b).cmp(&rank(a)).then(b.alert.id.cmp(&a.alert.id))
        });
        assert_eq!(all_pages(&t, "$orderby=severity desc", 9).await, want);
    }
}

testdb::conformance! {
    async fn paging_under_concurrent_inserts_loses_and_repeats_nothing() {
        let t = open().await;
        let original = many(120, "o");
        seed(&t.store, original.clone()).await;
        let mut q = query(
            &ALERT,
            "$filter=severity ne 'informational'&$orderby=assignedTo,createdDateTime desc",
        );
        let mut seen = Vec::new();
        let mut round = 0;
        loop {
            let page = list(&t.store, AlertView::V2, &q, 8).await;
            seen.extend(page.items.iter().map(|r| r.id.0.clone()));
            // Between pages, other writers add alerts before and after the cursor.
            let fresh = many(6, &format!("n{round:02}-"));
            t.store
                .tenant(&tenant_a())
                .ingest(fresh, IngestOrigin::Api)
                .await
                .unwrap();
            round += 1;
            match page.next_skiptoken {
                Some(token) => q.skiptoken = Some(token),
                None => break,
            }
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), seen.len(), "a row was repeated");
        for a in original
            .iter()
            .filter(|a| a.alert.severity.as_str() != "informational")
        {
            assert!(seen.contains(&a.alert.id.0), "{} was lost", a.alert.id);
        }
    }
}

testdb::conformance! {
    async fn skip_tokens_are_refused_when_altered_or_reused_elsewhere() {
        let t = open().await;
        seed(&t.store, many(10, "s")).await;
        let q = query(&ALERT, "$filter=severity ne 'high'");
        let token = list(&t.store, AlertView::V2, &q, 3)
            .await
            .next_skiptoken
            .unwrap();
        let run = |raw: &'static str, token: String, tenant: model::TenantId| {
            let store = t.store.clone();
            async move {
                let mut q = query(&ALERT, raw);
                q.skiptoken = Some(token);
                store
                    .tenant(&tenant)
                    .list_alerts(ListRequest {
                        view: AlertView::V2,
                        query: &q,
                        page_size: 3,
                    })
                    .await
            }
        };
        assert!(run("$filter=severity ne 'high'", token.clone(), tenant_a())
            .await
            .is_ok());
        let invalid =
            |r: Result<store::Page, StoreError>| matches!(r, Err(StoreError::InvalidSkipToken(_)));
        assert!(
            invalid(run("$filter=severity ne 'low'", token.clone(), tenant_a()).await),
            "other filter"
        );
        assert!(
            invalid(
                run(
                    "$filter=severity ne 'high'&$orderby=title",
                    token.clone(),
                    tenant_a()
                )
                .await
            ),
            "other order"
        );
        assert!(
            invalid(run("$filter=severity ne 'high'", token.clone(), tenant_b()).await),
            "other tenant"
        );
        assert!(
            invalid(
                run(
                    "$filter=severity ne 'high'",
                    "not a token!".into(),
                    tenant_a()
                )
                .await
            ),
            "garbage"
        );
        let mut chars: Vec<char> = token.chars().collect();
        let mid = chars.len() / 2;
        chars[mid] = if chars[mid] == 'A' { 'B' } else { 'A' };
        assert!(
            invalid(
                run(
                    "$filter=severity ne 'high'",
                    chars.into_iter().collect(),
                    tenant_a()
                )
                .await
            ),
            "tampered"
        );
        let legacy = {
            let mut q = query(&LEGACY, "");
            q.skiptoken = Some(
                list(&t.store, AlertView::V2, &query(&ALERT, ""), 3)
                    .await
                    .next_skiptoken
                    .unwrap(),
            );
            t.store
                .tenant(&tenant_a())
                .list_alerts(ListRequest {
                    view: AlertView::Legacy,
                    query: &q,
                    page_size: 3,
                })
                .await
        };
        assert!(invalid(legacy), "a v2 token on the legacy view");
    }
}

testdb::conformance! {
    async fn skip_applies_to_the_first_page_and_count_ignores_paging() {
        let t = open().await;
        seed(&t.store, many(12, "k")).await;
        let everything = all_pages(&t, "", 100).await;
        let q = query(&ALERT, "$skip=4&$count=true");
        let first = list(&t.store, AlertView::V2, &q, 5).await;
        let ids: Vec<String> = first.items.iter().map(|r| r.id.0.clone()).collect();
        assert_eq!(ids, everything[4..9]);
        assert_eq!(first.count, Some(12));
        let mut q2 = q.clone();
        q2.skiptoken = first.next_skiptoken.clone();
        let second = list(&t.store, AlertView::V2, &q2, 5).await;
        let ids: Vec<String> = second.items.iter().map(|r| r.id.0.clone()).collect();
        assert_eq!(ids, everything[9..12], "the skip is not applied again");
        assert!(second.next_skiptoken.is_none());
        let filtered = query(&ALERT, "$filter=severity eq 'high'&$count=true");
        let page = list(&t.store, AlertView::V2, &filtered, 1).await;
        assert_eq!(page.count, Some(3));
        assert_eq!(
            t.store
                .tenant(&tenant_a())
                .count_alerts(AlertView::V2, filtered.filter.as_ref())
                .await
                .unwrap(),
            3
        );
        let exact = list(&t.store, AlertView::V2, &query(&ALERT, ""), 12).await;
        assert_eq!(exact.items.len(), 12);
        assert!(
            exact.next_skiptoken.is_none(),
            "no next link when the page ends exactly at the last row"
        );
        let none = list(
            &t.store,
            AlertView::V2,
            &BoundQuery {
                count: true,
                ..Default::default()
            },
            0,
        )
        .await;
        assert!(none.items.is_empty() && none.next_skiptoken.is_none());
        assert_eq!(none.count, Some(12));
    }
}

async fn plan(t: &TestStore, raw: &str) -> Vec<String> {
    let q = query(&ALERT, raw);
    t.store
        .tenant(&tenant_a())
        .explain_list(ListRequest {
            view: AlertView::V2,
            query: &q,
            page_size: 50,
        })
        .await
        .unwrap()
}

/// No step reads the whole table or sorts: SQLite's `SCAN alerts` without an index and
/// `USE TEMP B-TREE`; PostgreSQL's `Seq Scan on alerts` and `Sort` nodes.
fn assert_index_driven(plan: &[String], what: &str) {
    for line in plan {
        let step = line.trim_start().trim_start_matches("->").trim_start();
        let full_scan = (line.starts_with("SCAN alerts") && !line.contains("INDEX"))
            || step.starts_with("Seq Scan on alerts");
        assert!(!full_scan, "{what}: full table scan in {plan:?}");
        let sort = line.contains("TEMP B-TREE") || step.starts_with("Sort");
        assert!(!sort, "{what}: sort not served by an index in {plan:?}");
    }
}

testdb::conformance! {
    async fn hot_filters_are_index_driven() {
        let t = open().await;
        seed(&t.store, many(300, "p")).await;
        for raw in [
            "$filter=severity eq 'high' and status ne 'resolved'",
            "$filter=status eq 'new'",
            "$filter=severity eq 'high'",
            "",
            "$filter=createdDateTime ge 2024-05-02T00:00:00Z",
        ] {
            assert_index_driven(&plan(&t, raw).await, raw);
        }
        // The continuation page seeks in the index too.
        let q = query(
            &ALERT,
            "$filter=severity eq 'high' and status ne 'resolved'",
        );
        let token = list(&t.store, AlertView::V2, &q, 5)
            .await
            .next_skiptoken
            .unwrap();
        let mut next = q.clone();
        next.skiptoken = Some(token);
        let ts = t.store.tenant(&tenant_a());
        let p = ts
            .explain_list(ListRequest {
                view: AlertView::V2,
                query: &next,
                page_size: 50,
            })
            .await
            .unwrap();
        assert_index_driven(&p, "continuation");
        let assigned = plan(&t, "$filter=assignedTo eq 'USER1'").await;
        assert!(
            assigned.iter().any(|l| l.contains("alerts_assigned_to")),
            "{assigned:?}"
        );
    }
}

testdb::conformance! {
    /// `incidentId eq …` under the default newest-first order used to walk `alerts_created` and test
    /// every row (a full read of a million alerts when no alert matched); the incident index (and the
    /// provider-alert-id index, built the same way) now also serves the order.
    async fn equality_on_incident_id_uses_its_index_for_filter_and_order() {
        let t = open().await;
        seed(&t.store, many(300, "p")).await;
        let raw = "$filter=incidentId eq '42'";
        let p = plan(&t, raw).await;
        assert!(p.iter().any(|l| l.contains("alerts_incident")), "{p:?}");
        assert_index_driven(&p, raw);
    }
}
