//! `$filter` rendering, executed against real rows: every operator, function and lambda form, OData
//! null semantics, case-insensitive strings, LIKE escaping, enum order, dictionaries, both views.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use odata::bound::BoundQuery;
use serde_json::json;
use store::{AlertView, IngestOrigin};

fn fixtures() -> Vec<model::StoredAlert> {
    vec![
        alert(
            "a1",
            json!({
                "severity": "high", "status": "new", "title": "Suspicious PowerShell",
                "assignedTo": "Alice@Contoso.com", "category": "red,green", "incidentId": "42",
                "serviceSource": "microsoftDefenderForEndpoint",
                "createdDateTime": "2024-05-01T10:00:00Z", "lastUpdateDateTime": "2024-05-01T10:00:00Z",
                "systemTags": ["Defender Experts"],
                "customDetails": {"threatLevel": "High", "score": 7},
                "evidence": [
                    {"@odata.type": "#microsoft.graph.security.fileEvidence",
                     "createdDateTime": "2024-05-01T10:00:00+02:00", "verdict": "malicious",
                     "roles": ["attacker", "source"], "tags": ["x"],
                     "fileDetails": {"fileName": "evil_100%.exe", "sha256": "AB", "fileSize": 100}},
                    {"@odata.type": "#microsoft.graph.security.ipEvidence", "ipAddress": "10.0.0.1",
                     "verdict": "suspicious", "roles": [], "isExternal": true}
                ],
                "legacy": {"tags": ["Escalated"]}
            }),
        ),
        alert(
            "a2",
            json!({
                "severity": "low", "status": "resolved", "title": "Mail forwarding rule",
                "category": "blue", "description": "a_b\\c",
                "createdDateTime": "2024-05-02T00:00:00Z", "resolvedDateTime": "2024-05-03T00:00:00Z",
                "evidence": [
                    {"@odata.type": "#microsoft.graph.security.ipEvidence", "ipAddress": "10.0.0.2",
                     "verdict": "noThreatsFound", "roles": ["contextual"], "isExternal": false}
                ]
            }),
        ),
        alert(
            "a3",
            json!({
                "severity": "medium", "status": "inProgress", "title": "100% CPU miner",
                "assignedTo": "bob@contoso.com", "serviceSource": "microsoftSentinel", "description": "plain",
                "createdDateTime": "2023-12-31T23:59:59.9999999Z",
                "vendor": {"provider": "Azure Sentinel", "vendor": "Microsoft"}
            }),
        ),
    ]
}

async fn seeded() -> TestStore {
    let t = open().await;
    seed(&t.store, fixtures()).await;
    // Tenant B has the same ids with other contents: nothing of it may show up in A's results.
    let other = vec![
        alert("a1", json!({"severity": "low", "title": "B one"})),
        alert(
            "a2",
            json!({"severity": "high", "title": "Suspicious PowerShell"}),
        ),
    ];
    t.store
        .tenant(&tenant_b())
        .ingest(other, IngestOrigin::Import)
        .await
        .unwrap();
    t
}

async fn check(t: &TestStore, cases: &[(&str, &[&str])]) {
    for (text, want) in cases {
        assert_eq!(ids_where(&t.store, text).await, *want, "$filter={text}");
    }
}

testdb::conformance! {
    async fn comparisons_and_null_semantics() {
        let t = seeded().await;
        check(
            &t,
            &[
                ("severity eq 'high'", &["a1"]),
                ("'high' eq severity", &["a1"]),
                ("severity ne 'high'", &["a2", "a3"]),
                ("assignedTo ne 'bob@contoso.com'", &["a1", "a2"]),
                ("assignedTo eq null", &["a2"]),
                ("assignedTo ne null", &["a1", "a3"]),
                ("not (assignedTo eq 'bob@contoso.com')", &["a1", "a2"]),
                ("not (assignedTo ne 'bob@contoso.com')", &["a3"]),
                ("description ne 'plain'", &["a1", "a2"]),
                ("resolvedDateTime gt 2020-01-01T00:00:00Z", &["a2"]),
                (
                    "not (resolvedDateTime gt 2020-01-01T00:00:00Z)",
                    &["a1", "a3"],
                ),
                ("createdDateTime ge 2024-05-01T00:00:00Z", &["a1", "a2"]),
                ("createdDateTime lt 2024-01-01T00:00:00Z", &["a3"]),
                ("createdDateTime eq 2023-12-31T23:59:59.9999999Z", &["a3"]),
                ("2024-01-01T00:00:00Z gt createdDateTime", &["a3"]),
                (
                    "createdDateTime le 2024-05-01T10:00:00+00:00",
                    &["a1", "a3"],
                ),
                ("lastUpdateDateTime eq createdDateTime", &["a1"]),
                ("lastUpdateDateTime ne createdDateTime", &["a2", "a3"]),
                ("id eq 'a2'", &["a2"]),
                ("id in ('a1', 'a3')", &["a1", "a3"]),
                ("status in ('new', 'resolved')", &["a1", "a2"]),
                ("severity eq 'high' or status eq 'resolved'", &["a1", "a2"]),
                ("severity eq 'high' and status eq 'resolved'", &[]),
                ("true", &["a1", "a2", "a3"]),
                ("false", &[]),
            ],
        )
        .await;
    }
}

testdb::conformance! {
    async fn enums_compare_in_declaration_order() {
        let t = seeded().await;
        check(
            &t,
            &[
                ("severity gt 'low'", &["a1", "a3"]),
                ("severity ge 'medium'", &["a1", "a3"]),
                ("severity le 'low'", &["a2"]),
                ("severity lt 'informational'", &[]),
                ("serviceSource eq 'microsoftSentinel'", &["a3"]),
                ("category has 'green'", &["a1"]),
                ("category has 'blue'", &["a2"]),
            ],
        )
        .await;
    }
}

testdb::conformance! {
    async fn strings_ignore_case_and_like_wildcards_are_escaped() {
        let t = seeded().await;
        check(
            &t,
            &[
                ("title eq 'SUSPICIOUS POWERSHELL'", &["a1"]),
                ("assignedTo eq 'alice@contoso.com'", &["a1"]),
                ("assignedTo in ('ALICE@CONTOSO.COM', 'nobody')", &["a1"]),
                // Correlation numbers incidents per tenant: a1, written first, opened incident 1.
                ("incidentId eq '1'", &["a1"]),
                ("contains(title, 'powershell')", &["a1"]),
                ("startswith(title, 'MAIL')", &["a2"]),
                ("endswith(title, 'Miner')", &["a3"]),
                ("contains(title, '100%')", &["a3"]),
                ("contains(title, '%')", &["a3"]),
                ("contains(description, '_')", &["a2"]),
                ("contains(description, 'a_b')", &["a2"]),
                ("contains(description, '\\')", &["a2"]),
                ("not contains(title, 'shell')", &["a2", "a3"]),
                ("contains(assignedTo, 'contoso')", &["a1", "a3"]),
                ("not contains(assignedTo, 'alice')", &["a2", "a3"]),
            ],
        )
        .await;
    }
}

testdb::conformance! {
    async fn functions() {
        let t = seeded().await;
        check(
            &t,
            &[
                ("tolower(title) eq 'mail forwarding rule'", &["a2"]),
                ("toupper(title) eq '100% CPU MINER'", &["a3"]),
                ("length(title) eq 14", &["a3"]),
                ("length(description) gt 4", &["a2", "a3"]),
                ("trim(title) eq 'Mail forwarding rule'", &["a2"]),
                ("year(createdDateTime) eq 2023", &["a3"]),
                ("month(createdDateTime) eq 5", &["a1", "a2"]),
                ("day(createdDateTime) eq 2", &["a2"]),
                ("hour(createdDateTime) eq 10", &["a1"]),
                ("minute(createdDateTime) eq 59", &["a3"]),
                ("second(createdDateTime) eq 59", &["a3"]),
            ],
        )
        .await;
    }
}

testdb::conformance! {
    async fn lambdas_over_primitive_and_complex_collections() {
        let t = seeded().await;
        check(
            &t,
            &[
                ("evidence/any()", &["a1", "a2"]),
                ("evidence/any(e: e/verdict eq 'malicious')", &["a1"]),
                ("evidence/all(e: e/verdict eq 'noThreatsFound')", &["a2", "a3"]),
                ("not evidence/any(e: e/verdict eq 'malicious')", &["a2", "a3"]),
                ("systemTags/any(t: t eq 'defender experts')", &["a1"]),
                ("systemTags/any()", &["a1"]),
                ("evidence/any(e: e/roles/any(r: r eq 'attacker'))", &["a1"]),
                ("evidence/any(e: e/roles/any(r: r eq 'contextual') and e/verdict eq 'noThreatsFound')", &["a2"]),
                ("evidence/any(e: e/fileDetails/fileName eq 'EVIL_100%.EXE')", &["a1"]),
                ("evidence/any(e: e/microsoft.graph.security.fileEvidence/fileDetails/fileSize gt 50)", &["a1"]),
                ("evidence/any(e: e/isExternal)", &["a1"]),
                ("evidence/any(e: e/isExternal eq false)", &["a2"]),
                // The file evidence of a1 has no isExternal (null): `all` must not count it as true.
                ("evidence/all(e: e/isExternal eq true)", &["a3"]),
                ("evidence/any(e: e/createdDateTime eq 2024-05-01T08:00:00Z)", &["a1"]),
                ("evidence/any(e: e/tags/any(t: t eq 'X'))", &["a1"]),
            ],
        )
        .await;
    }
}

testdb::conformance! {
    async fn dictionary_keys_are_bound_not_interpolated() {
        let t = seeded().await;
        check(
            &t,
            &[
                ("customDetails/threatLevel eq 'high'", &["a1"]),
                ("customDetails/score gt 5", &["a1"]),
                ("customDetails/missing eq null", &["a1", "a2", "a3"]),
            ],
        )
        .await;
    }
}

testdb::conformance! {
    async fn legacy_view_filters_its_own_document() {
        let t = seeded().await;
        for (text, want) in [
            ("vendorInformation/provider eq 'azure sentinel'", vec!["a3"]),
            ("tags/any(t: t eq 'escalated')", vec!["a1"]),
            ("status eq 'newAlert'", vec!["a1"]),
            ("title eq 'mail forwarding rule'", vec!["a2"]),
        ] {
            let q = query(&LEGACY, &format!("$filter={text}"));
            let page = list(&t.store, AlertView::Legacy, &q, 100).await;
            let mut ids: Vec<String> = page.items.iter().map(|r| r.id.0.clone()).collect();
            ids.sort();
            assert_eq!(ids, want, "{text}");
            for item in &page.items {
                let doc: serde_json::Value = serde_json::from_str(&item.json).unwrap();
                assert!(
                    doc.get("vendorInformation").is_some(),
                    "legacy document expected: {doc}"
                );
            }
        }
    }
}

testdb::conformance! {
    async fn every_query_is_scoped_to_its_tenant() {
        let t = seeded().await;
        let b = t.store.tenant(&tenant_b());
        let q = BoundQuery {
            filter: Some(filter("contains(title, 'powershell')")),
            ..Default::default()
        };
        let page = b
            .list_alerts(store::ListRequest {
                view: AlertView::V2,
                query: &q,
                page_size: 10,
            })
            .await
            .unwrap();
        let ids: Vec<&str> = page.items.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["a2"]);
        assert_eq!(b.count_alerts(AlertView::V2, None).await.unwrap(), 2);
        assert_eq!(
            t.store
                .tenant(&tenant_a())
                .count_alerts(AlertView::V2, None)
                .await
                .unwrap(),
            3
        );
        let b1 = b.get_alert(&"a1".into()).await.unwrap().unwrap();
        assert_eq!(b1.alert.title.as_deref(), Some("B one"));
        assert!(b.get_alert(&"a3".into()).await.unwrap().is_none());
        assert!(b
            .get_alert_raw(AlertView::V2, &"a3".into())
            .await
            .unwrap()
            .is_none());
        let unknown = t.store.tenant(&model::TenantId("nobody".into()));
        assert_eq!(unknown.count_alerts(AlertView::V2, None).await.unwrap(), 0);
    }
}

testdb::conformance! {
    async fn hot_columns_hold_exactly_the_document_values() {
        let t = seeded().await;
        // Each indexed path filtered through its column must agree with the same filter read from JSON
        // (a dictionary path below `customDetails` cannot use a column, so compare against counts).
        for (text, n) in [
            ("severity eq 'medium'", 1),
            ("status ne 'new'", 2),
            ("assignedTo eq null", 1),
            ("serviceSource eq null", 1),
            // Correlation puts every alert in an incident.
            ("incidentId eq null", 0),
        ] {
            assert_eq!(ids_where(&t.store, text).await.len(), n, "{text}");
        }
        let raw = t
            .store
            .tenant(&tenant_a())
            .get_alert_raw(AlertView::V2, &"a3".into())
            .await
            .unwrap()
            .unwrap();
        assert!(
            raw.has_evolvable,
            "microsoftSentinel is an evolvable serviceSource member"
        );
        let doc: serde_json::Value = serde_json::from_str(&raw.json).unwrap();
        assert_eq!(doc["createdDateTime"], "2023-12-31T23:59:59.9999999Z");
    }
}
