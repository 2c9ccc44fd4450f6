//! Evolvable enum members are hidden on output, at any depth, and flagged on the stored alert.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fixture;
use model::{alert_from_json, hide_evolvable_members, TenantId};
use serde_json::json;

#[test]
fn members_after_the_sentinel_become_unknown_future_value() {
    let mut a = fixture("alert-v2-list-response.json")["value"][0].clone();
    let plain = alert_from_json(a.clone(), &TenantId::from("t")).unwrap();
    assert!(!plain.has_evolvable_members());
    a["serviceSource"] = json!("microsoftSentinel");
    a["detectionSource"] = json!("nrtAlerts");
    a["investigationState"] = json!("running");
    a["evidence"][0]["remediationStatus"] = json!("active");
    a["evidence"][1]["remediationStatus"] = json!("quarantinedSomehow");
    a["evidence"].as_array_mut().unwrap().push(json!({
        "@odata.type": "#microsoft.graph.security.hostLogonSessionEvidence",
        "remediationStatus": "blocked",
        "host": {"remediationStatus": "pendingApproval"}
    }));
    let s = alert_from_json(a, &TenantId::from("t")).unwrap();
    assert!(s.has_evolvable_members());
    let mut out = serde_json::to_value(&s.alert).unwrap();
    hide_evolvable_members(&mut out);
    assert_eq!(out["serviceSource"], "unknownFutureValue");
    assert_eq!(out["detectionSource"], "unknownFutureValue");
    assert_eq!(out["investigationState"], "running");
    assert_eq!(
        out["evidence"][0]["remediationStatus"],
        "unknownFutureValue"
    );
    assert_eq!(
        out["evidence"][1]["remediationStatus"],
        "unknownFutureValue"
    );
    assert_eq!(out["evidence"][4]["remediationStatus"], "blocked");
    assert_eq!(
        out["evidence"][4]["host"]["remediationStatus"],
        "unknownFutureValue"
    );
    assert_eq!(
        out["evidence"][0]["healthStatus"], "active",
        "same word in another enum stays"
    );
    assert_eq!(out["severity"], "low");
}

#[test]
fn only_evidence_can_make_the_flag_true() {
    let mut a = fixture("alert-v2-list-response.json")["value"][0].clone();
    a["evidence"][2]["parentProcessImageFile"]["fileName"] = json!("active");
    a["evidence"][3]["remediationStatus"] = json!("partiallyRemediated");
    let s = alert_from_json(a, &TenantId::from("t")).unwrap();
    assert!(s.has_evolvable_members());
}
