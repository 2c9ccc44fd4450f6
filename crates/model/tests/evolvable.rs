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

/// Splices `unknownFutureValue` into the ranges `evolvable_spans` finds.
fn splice(doc: &str) -> String {
    let spans = model::evolvable_spans(doc).expect("the pass follows serde_json output");
    let mut out = String::new();
    let mut at = 0;
    for r in spans {
        out.push_str(&doc[at..r.start]);
        out.push_str("unknownFutureValue");
        at = r.end;
    }
    out + &doc[at..]
}

fn walked(doc: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(doc).unwrap();
    hide_evolvable_members(&mut v);
    v.to_string()
}

#[test]
fn the_one_pass_spans_give_the_walk_s_output_byte_for_byte() {
    let mut a = fixture("alert-v2-list-response.json")["value"][0].clone();
    let plain = serde_json::to_string(
        &alert_from_json(a.clone(), &TenantId::from("t"))
            .unwrap()
            .alert,
    )
    .unwrap();
    assert_eq!(model::evolvable_spans(&plain), Some(vec![]));
    a["serviceSource"] = json!("microsoftSentinel");
    a["title"] = json!("a \"quoted\" \\ title: active");
    a["evidence"][0]["remediationStatus"] = json!("quarantined\"Somehow\"");
    a["evidence"][1]["remediationStatus"] = json!("active");
    a["evidence"][1]["k\"ey"] = json!({"remediationStatus": "active", "@odata.type": "x"});
    a["evidence"].as_array_mut().unwrap().push(json!({
        "@odata.type": "#microsoft.graph.security.hostLogonSessionEvidence",
        "remediationStatus": "blocked",
        "host": {"remediationStatus": "pendingApproval", "tags": [[], {}, [1.5e3, -2, true, null]]}
    }));
    a["evidence"].as_array_mut().unwrap().push(json!({
        "remediationStatus": "active",
        "@odata.type": "#microsoft.graph.security.ipEvidence",
        "ipAddress": "10.0.0.1"
    }));
    let s = alert_from_json(a, &TenantId::from("t")).unwrap();
    let doc = serde_json::to_string(&s.alert).unwrap();
    assert!(model::evolvable_spans(&doc).unwrap().len() >= 4);
    assert_eq!(splice(&doc), walked(&doc));
    // Whitespace between tokens changes nothing.
    let pretty = serde_json::to_string_pretty(&s.alert).unwrap();
    assert_eq!(walked(&splice(&pretty)), walked(&pretty));
}

#[test]
fn text_the_pass_cannot_follow_is_refused() {
    for bad in [
        "",
        "[]",
        "{",
        r#"{"a":}"#,
        r#"{"a":1,}"#,
        r#"{"a":"x"} x"#,
        r#"{"a" 1}"#,
    ] {
        assert_eq!(model::evolvable_spans(bad), None, "{bad}");
    }
    let deep = format!("{{\"a\":{}{}}}", "[".repeat(200), "]".repeat(200));
    assert_eq!(model::evolvable_spans(&deep), None);
}
