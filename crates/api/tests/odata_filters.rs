//! Every `$filter` operator, function and lambda form, checked against the real server over the demo
//! tenant: the ids the server returns must equal the ids a plain Rust predicate selects from the full
//! collection.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{collect_all, enc, ids, DEMO};
use serde_json::Value;
use testkit::TestServer;

type Pred = fn(&Value) -> bool;

fn s<'a>(a: &'a Value, k: &str) -> &'a str {
    a[k].as_str().unwrap_or("")
}

fn evidence(a: &Value) -> Vec<&Value> {
    a["evidence"]
        .as_array()
        .map(|v| v.iter().collect())
        .unwrap_or_default()
}

fn cases() -> Vec<(&'static str, Pred)> {
    vec![
        ("severity eq 'high'", |a| s(a, "severity") == "high"),
        ("Severity eq 'High'", |a| s(a, "severity") == "high"),
        ("severity ne 'high'", |a| s(a, "severity") != "high"),
        ("severity eq 'high' and status eq 'new'", |a| s(a, "severity") == "high" && s(a, "status") == "new"),
        ("severity eq 'high' or severity eq 'low'", |a| matches!(s(a, "severity"), "high" | "low")),
        ("not (status eq 'resolved')", |a| s(a, "status") != "resolved"),
        ("status in ('new', 'inProgress')", |a| matches!(s(a, "status"), "new" | "inProgress")),
        ("createdDateTime ge 2026-10-25T00:00:00Z", |a| s(a, "createdDateTime") >= "2026-10-25T00:00:00"),
        ("createdDateTime lt 2026-10-10T00:00:00.000+00:00", |a| s(a, "createdDateTime") < "2026-10-10"),
        ("createdDateTime gt 2026-10-20T00:00:00Z and createdDateTime le 2026-10-22T00:00:00Z", |a| {
            let c = s(a, "createdDateTime");
            c > "2026-10-20T00:00:00.0000000Z" && c <= "2026-10-22T00:00:00.0000000Z"
        }),
        ("assignedTo eq null", |a| a["assignedTo"].is_null()),
        ("assignedTo ne null", |a| !a["assignedTo"].is_null()),
        ("classification eq 'truePositive'", |a| s(a, "classification") == "truePositive"),
        ("determination eq 'malware'", |a| s(a, "determination") == "malware"),
        ("contains(title, 'powershell')", |a| s(a, "title").to_lowercase().contains("powershell")),
        ("startswith(title, 'Suspicious')", |a| s(a, "title").to_lowercase().starts_with("suspicious")),
        ("endswith(productName, 'Endpoint')", |a| s(a, "productName").to_lowercase().ends_with("endpoint")),
        ("tolower(productName) eq 'suricata'", |a| s(a, "productName").to_lowercase() == "suricata"),
        ("toupper(productName) eq 'WAZUH'", |a| s(a, "productName").to_uppercase() == "WAZUH"),
        ("length(title) gt 40", |a| s(a, "title").chars().count() > 40),
        ("year(createdDateTime) eq 2026 and month(createdDateTime) eq 10 and day(createdDateTime) lt 10", |a| {
            s(a, "createdDateTime").starts_with("2026-10-0")
        }),
        ("day(createdDateTime) eq 15", |a| &s(a, "createdDateTime")[8..10] == "15"),
        ("hour(createdDateTime) lt 6", |a| s(a, "createdDateTime")[11..13].parse::<u32>().unwrap_or(99) < 6),
        ("evidence/any(e: e/remediationStatus eq 'notFound')", |a| {
            evidence(a).iter().any(|e| s(e, "remediationStatus") == "notFound")
        }),
        ("evidence/any()", |a| !evidence(a).is_empty()),
        ("evidence/all(e: e/remediationStatus ne 'notFound')", |a| {
            evidence(a).iter().all(|e| s(e, "remediationStatus") != "notFound")
        }),
        ("mitreTechniques/any(t: t eq 'T1059.001')", |a| {
            a["mitreTechniques"].as_array().is_some_and(|v| v.iter().any(|t| t == "T1059.001"))
        }),
        ("mitreTechniques/any(t: startswith(t, 'T1566'))", |a| {
            a["mitreTechniques"].as_array().is_some_and(|v| v.iter().any(|t| t.as_str().unwrap_or("").starts_with("T1566")))
        }),
        ("evidence/any(e: e/detailedRoles/any(r: r eq 'Main device'))", |a| {
            evidence(a).iter().any(|e| e["detailedRoles"].as_array().is_some_and(|r| r.iter().any(|x| x == "Main device")))
        }),
        ("evidence/any(e: e/microsoft.graph.security.deviceEvidence/hostName ne null)", |a| {
            evidence(a).iter().any(|e| !e["hostName"].is_null() && s(e, "@odata.type").ends_with("deviceEvidence"))
        }),
        ("comments/any(c: contains(c/comment, 'a'))", |a| {
            a["comments"].as_array().is_some_and(|v| v.iter().any(|c| s(c, "comment").to_lowercase().contains('a')))
        }),
    ]
}

testdb::conformance! {
    async fn every_operator_matches_a_reference_predicate() {
        let server = TestServer::builder().demo(DEMO).start().await;
        let all = collect_all(&server, "/v1.0/security/alerts_v2?$top=500").await;
        assert_eq!(all.len(), DEMO);
        for (filter, pred) in cases() {
            let expected: Vec<Value> = all.iter().filter(|a| pred(a)).cloned().collect();
            let got = collect_all(
                &server,
                &format!("/v1.0/security/alerts_v2?$filter={}&$top=200", enc(filter)),
            )
            .await;
            assert_eq!(ids(&got), ids(&expected), "filter: {filter}");
            let count = server
                .get(&format!(
                    "/v1.0/security/alerts_v2/$count?$filter={}",
                    enc(filter)
                ))
                .await;
            assert_eq!(
                count.text,
                expected.len().to_string(),
                "$count for {filter}"
            );
        }
    }

    async fn filters_select_something_and_not_everything() {
        let server = TestServer::builder().demo(DEMO).start().await;
        let all = collect_all(&server, "/v1.0/security/alerts_v2?$top=500").await;
        for (filter, pred) in cases() {
            if filter.contains("any()")
                || filter.contains("ne null")
                || filter.contains("ne 'high'")
            {
                continue;
            }
            let n = all.iter().filter(|a| pred(a)).count();
            assert!(
                n > 0 && n < all.len(),
                "the demo data should make '{filter}' selective; it matched {n}"
            );
        }
    }

    async fn legacy_view_filters_on_legacy_properties() {
        let server = TestServer::builder().demo(DEMO).start().await;
        let all = collect_all(&server, "/v1.0/security/alerts?$top=500").await;
        assert_eq!(all.len(), DEMO);
        let cases: Vec<(&str, Pred)> = vec![
            ("Severity eq 'High'", |a| s(a, "severity") == "high"),
            ("status eq 'newAlert'", |a| s(a, "status") == "newAlert"),
            ("vendorInformation/provider eq 'Suricata'", |a| {
                s(&a["vendorInformation"], "provider") == "Suricata"
            }),
            ("hostStates/any(d: d/netBiosName ne null)", |a| {
                a["hostStates"]
                    .as_array()
                    .is_some_and(|v| v.iter().any(|h| !h["netBiosName"].is_null()))
            }),
            (
                "userStates/any(u: contains(u/userPrincipalName, '@'))",
                |a| {
                    a["userStates"]
                        .as_array()
                        .is_some_and(|v| v.iter().any(|u| s(u, "userPrincipalName").contains('@')))
                },
            ),
        ];
        for (filter, pred) in cases {
            let expected: Vec<Value> = all.iter().filter(|a| pred(a)).cloned().collect();
            let got = collect_all(
                &server,
                &format!("/v1.0/security/alerts?$filter={}&$top=500", enc(filter)),
            )
            .await;
            assert_eq!(ids(&got), ids(&expected), "legacy filter: {filter}");
            assert!(
                !expected.is_empty(),
                "legacy filter '{filter}' should match demo data"
            );
        }
    }
}
