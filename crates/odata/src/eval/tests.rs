//! The evaluator on hand-written documents of the test schema: every operator, function, literal
//! type and lambda form, and OData's null semantics.

use super::matches;
use crate::testing::ALERT;
use crate::{bind_filter, BindOptions};
use serde_json::{json, Value};

fn docs() -> Vec<Value> {
    vec![
        json!({
            "id": "A1", "title": "Suspicious PowerShell", "assignedTo": "Alice@Contoso.com",
            "severity": "high", "status": "new", "serviceSource": "microsoftSentinel",
            "detectionFlags": "automated, correlated",
            "createdDateTime": "2024-05-01T10:00:00.0000000Z",
            "lastUpdateDateTime": "2024-05-01T10:00:00.0000000Z",
            "isTest": true, "riskScore": 70, "eventCount": 9007199254740993_i64, "confidence": 0.5,
            "correlationId": "01234567-89ab-cdef-0123-456789abcdef",
            "categories": ["Execution", "Persistence"],
            "customDetails": {"threatLevel": "High", "score": 7, "when": "2024-01-01T00:00:00Z"},
            "vendorInformation": {"provider": "Azure Sentinel", "vendor": "Microsoft"},
            "evidence": [
                {"@odata.type": "#microsoft.graph.security.fileEvidence", "verdict": "malicious",
                 "createdDateTime": "2024-05-01T08:00:00.0000000Z", "roles": ["attacker"],
                 "fileDetails": {"fileName": "evil_100%.exe", "fileSize": 100}},
                {"@odata.type": "#microsoft.graph.security.deviceEvidence", "verdict": "suspicious",
                 "roles": [], "hostName": "WS-1", "ipInterfaces": ["10.0.0.1", "fe80::1"]}
            ]
        }),
        json!({
            "id": "a2", "title": "Mail forwarding rule", "assignedTo": null,
            "severity": "low", "status": "resolved", "detectionFlags": "correlated",
            "createdDateTime": "2023-12-31T23:59:59.9999999Z",
            "lastUpdateDateTime": "2024-01-01T00:00:00.0000000Z",
            "isTest": false, "riskScore": 10, "confidence": 1,
            "categories": [],
            "customDetails": {"threatLevel": 3, "score": "7"},
            "evidence": [
                {"@odata.type": "#microsoft.graph.security.fileEvidence", "verdict": "noThreatsFound",
                 "createdDateTime": "yesterday", "roles": "attacker",
                 "fileDetails": {"fileName": 12}}
            ]
        }),
        json!({
            "id": "a3", "title": "  padded  ", "severity": "medium", "status": "inProgress",
            "createdDateTime": "2024-02-29T12:34:56.0000000Z",
            "lastUpdateDateTime": "2024-02-29T12:34:56.0000000Z",
            "vendorInformation": null
        }),
    ]
}

/// The ids of the documents `text` matches.
fn ids(text: &str) -> Vec<String> {
    let opts = BindOptions {
        include_unknown_enum_members: true,
        ..BindOptions::default()
    };
    let filter = bind_filter(text, &ALERT, &opts).unwrap_or_else(|e| panic!("{text}: {e}"));
    docs()
        .iter()
        .filter(|d| matches(&filter, d))
        .map(|d| d["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn check(cases: &[(&str, &[&str])]) {
    for (text, want) in cases {
        assert_eq!(ids(text), *want, "$filter={text}");
    }
}

#[test]
fn comparisons_follow_odata_null_semantics() {
    check(&[
        ("assignedTo eq null", &["a2", "a3"]),
        ("assignedTo ne null", &["A1"]),
        ("assignedTo ne 'bob'", &["A1", "a2", "a3"]),
        ("assignedTo eq 'ALICE@contoso.com'", &["A1"]),
        ("not (assignedTo eq 'alice@contoso.com')", &["a2", "a3"]),
        ("riskScore gt 5", &["A1", "a2"]),
        ("not (riskScore gt 5)", &["a3"]),
        ("riskScore le 10", &["a2"]),
        ("lastUpdateDateTime eq createdDateTime", &["A1", "a3"]),
        ("assignedTo eq description", &["a2", "a3"]),
        ("vendorInformation eq null", &["a2", "a3"]),
        ("vendorInformation/provider eq 'azure sentinel'", &["A1"]),
        ("true", &["A1", "a2", "a3"]),
        ("false or isTest", &["A1"]),
        ("isTest eq false", &["a2"]),
        ("not isTest", &["a2", "a3"]),
    ]);
}

#[test]
fn ids_compare_exactly_and_strings_ignore_ascii_case() {
    check(&[
        ("id eq 'a1'", &[]),
        ("id eq 'A1'", &["A1"]),
        ("id in ('A1', 'A2')", &["A1"]),
        ("title eq 'MAIL FORWARDING RULE'", &["a2"]),
        ("title gt 'S'", &["A1"]),
        ("title gt 's'", &[]),
        ("title gt 'M'", &["A1", "a2"]),
        ("title in ('suspicious powershell', 'x')", &["A1"]),
        (
            "correlationId eq 01234567-89AB-CDEF-0123-456789ABCDEF",
            &["A1"],
        ),
    ]);
}

#[test]
fn enums_compare_exactly_and_in_declaration_order() {
    check(&[
        ("severity eq 'high'", &["A1"]),
        (
            "severity eq microsoft.graph.security.alertSeverity'HIGH'",
            &["A1"],
        ),
        ("severity gt 'low'", &["A1", "a3"]),
        ("severity le 'low'", &["a2"]),
        ("status in ('new', 'resolved')", &["A1", "a2"]),
        ("serviceSource eq 'microsoftSentinel'", &["A1"]),
        ("detectionFlags has 'correlated'", &["A1", "a2"]),
        ("detectionFlags has 'automated'", &["A1"]),
        ("detectionFlags has 'manual'", &[]),
    ]);
}

#[test]
fn date_times_compare_as_instants() {
    check(&[
        ("createdDateTime eq 2024-05-01T12:00:00+02:00", &["A1"]),
        ("createdDateTime lt 2024-01-01", &["a2"]),
        ("createdDateTime ge 2024-01-01T00:00:00Z", &["A1", "a3"]),
        ("createdDateTime eq 2023-12-31T23:59:59.99999999Z", &["a2"]),
        ("2024-03-01T00:00:00Z gt createdDateTime", &["a2", "a3"]),
        ("year(createdDateTime) eq 2023", &["a2"]),
        (
            "month(createdDateTime) eq 2 and day(createdDateTime) eq 29",
            &["a3"],
        ),
        (
            "hour(createdDateTime) eq 12 and minute(createdDateTime) eq 34",
            &["a3"],
        ),
        ("second(createdDateTime) eq 59", &["a2"]),
        ("customDetails/when lt 2024-01-01T00:00:01Z", &["A1"]),
    ]);
}

#[test]
fn numbers_compare_as_numbers() {
    check(&[
        ("eventCount eq 9007199254740993", &["A1"]),
        ("eventCount eq 9007199254740992", &[]),
        ("confidence lt 1", &["A1"]),
        ("confidence eq 1", &["a2"]),
        ("customDetails/score gt 5", &["A1"]),
        ("customDetails/score eq '7'", &["a2"]),
        ("customDetails/threatLevel eq 'high'", &["A1"]),
        ("customDetails/threatLevel eq null", &["a2", "a3"]),
    ]);
}

#[test]
fn string_functions() {
    check(&[
        ("contains(title, 'SHELL')", &["A1"]),
        ("not contains(assignedTo, 'alice')", &["a2", "a3"]),
        ("startswith(title, 'mail')", &["a2"]),
        ("endswith(title, 'RULE')", &["a2"]),
        ("contains(title, '')", &["A1", "a2", "a3"]),
        ("tolower(title) eq 'mail forwarding rule'", &["a2"]),
        ("toupper(title) gt 'MAIL'", &["A1", "a2"]),
        ("trim(title) eq 'padded'", &["a3"]),
        ("length(title) eq 10", &["a3"]),
        ("length(assignedTo) gt 0", &["A1"]),
        (
            "contains(tolower(vendorInformation/provider), 'sentinel')",
            &["A1"],
        ),
    ]);
}

#[test]
fn lambdas_over_primitive_and_complex_collections() {
    check(&[
        ("categories/any()", &["A1"]),
        ("categories/any(c: c eq 'persistence')", &["A1"]),
        ("categories/all(c: startswith(c, 'E'))", &["a2", "a3"]),
        ("evidence/any(e: e/verdict eq 'malicious')", &["A1"]),
        ("evidence/all(e: e/verdict ne 'malicious')", &["a2", "a3"]),
        ("evidence/any(e: e/roles/any(r: r eq 'attacker'))", &["A1"]),
        (
            "evidence/any(e: e/microsoft.graph.security.fileEvidence/fileDetails/fileSize ge 100)",
            &["A1"],
        ),
        ("evidence/any(e: e/fileDetails/fileName eq '12')", &[]),
        (
            "evidence/any(e: e/createdDateTime gt 2024-01-01T00:00:00Z)",
            &["A1", "a2"],
        ),
        ("evidence/any(e: year(e/createdDateTime) eq 2024)", &["A1"]),
        (
            "evidence/any(e: e/ipInterfaces/any(i: startswith(i, 'fe80')))",
            &["A1"],
        ),
        (
            "evidence/any(e: e/verdict eq 'malicious' and severity eq 'high')",
            &["A1"],
        ),
        ("evidence/all(e: e/hostName eq 'WS-1')", &["a3"]),
    ]);
}
