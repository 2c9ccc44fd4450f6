//! Alert patches: every writable field, every rejection, and comment bodies.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{cli_legacy_alerts, fixture, now};
use model::enums::{AlertClassification, AlertDetermination, AlertStatus};
use model::{
    alert_from_json, parse_comment_body, AlertPatch, LegacyAlert, LegacyAlertPatch, StoredAlert,
    TenantId,
};
use serde_json::{json, Value};

fn stored() -> StoredAlert {
    let page = fixture("alert-v2-list-response.json");
    alert_from_json(page["value"][0].clone(), &TenantId::from("t")).unwrap()
}

fn err(v: Value) -> model::PatchError {
    AlertPatch::from_json(&v).unwrap_err()
}

#[test]
fn docs_update_request_sets_every_writable_field() {
    let p = AlertPatch::from_json(&fixture("alert-v2-update-request.json")).unwrap();
    let mut s = stored();
    p.apply(&mut s, now(), "secops@contoso.com");
    assert_eq!(s.alert.status, AlertStatus::InProgress);
    assert_eq!(
        s.alert.classification,
        Some(AlertClassification::TruePositive)
    );
    assert_eq!(s.alert.determination, Some(AlertDetermination::Malware));
    assert_eq!(
        s.alert.assigned_to.as_deref(),
        Some("secAdmin@contoso.onmicrosoft.com")
    );
    assert_eq!(s.alert.last_update_date_time, now());
    let history = &s.legacy.extra["historyStates"];
    assert_eq!(history[0]["user"], "secops@contoso.com");
    assert_eq!(history[0]["status"], "inProgress");
    let view = serde_json::to_value(LegacyAlert::from_stored(&s)).unwrap();
    assert_eq!(view["feedback"], "truePositive");
    assert_eq!(
        view["historyStates"][0]["assignedTo"],
        "secAdmin@contoso.onmicrosoft.com"
    );
}

#[test]
fn resolving_stamps_and_reopening_clears_resolved_date_time() {
    let mut s = stored();
    s.legacy.dismissed = true;
    AlertPatch::from_json(&json!({"Status": "Resolved"}))
        .unwrap()
        .apply(&mut s, now(), "a");
    assert_eq!(s.alert.resolved_date_time, Some(now()));
    assert!(!s.legacy.dismissed);
    AlertPatch::from_json(&json!({"status": "new"}))
        .unwrap()
        .apply(&mut s, now(), "a");
    assert_eq!(s.alert.resolved_date_time, None);
}

#[test]
fn null_clears_assigned_to_classification_and_determination() {
    let mut s = stored();
    s.alert.assigned_to = Some("x".into());
    let p = AlertPatch::from_json(
        &json!({"assignedTo": null, "classification": null, "determination": null}),
    );
    p.unwrap().apply(&mut s, now(), "a");
    assert_eq!(
        (
            s.alert.assigned_to,
            s.alert.classification,
            s.alert.determination
        ),
        (None, None, None)
    );
}

#[test]
fn annotations_and_determination_aliases_are_accepted() {
    let p = AlertPatch::from_json(
        &json!({"@odata.type": "#microsoft.graph.security.alert", "determination": "compromisedUser"}),
    );
    assert_eq!(
        p.unwrap().determination,
        Some(Some(AlertDetermination::CompromisedAccount))
    );
}

#[test]
fn alert_patch_rejections_say_what_is_allowed() {
    let e = err(json!({"title": "x"}));
    assert_eq!(e.property.as_deref(), Some("title"));
    assert!(
        e.message
            .contains("status, classification, determination, assignedTo"),
        "{e}"
    );
    let e = err(json!({"status": "closed"}));
    assert_eq!(e.property.as_deref(), Some("status"));
    assert!(e.message.contains("new, inProgress, resolved"), "{e}");
    assert!(err(json!({"status": null}))
        .message
        .contains("cannot be null"));
    assert!(err(json!({"status": "unknownFutureValue"}))
        .message
        .contains("not a valid"));
    assert!(err(json!({"classification": 3}))
        .message
        .contains("Expected"));
    assert!(err(json!({"assignedTo": 3}))
        .message
        .contains("string or null"));
    assert!(err(json!([1])).message.contains("JSON object"));
}

fn legacy_stored() -> StoredAlert {
    let a = cli_legacy_alerts()[1].clone();
    alert_from_json(a, &TenantId::from("t")).unwrap()
}

fn legacy(v: Value) -> Result<LegacyAlertPatch, model::PatchError> {
    LegacyAlertPatch::from_json(&v)
}

#[test]
fn legacy_patch_sets_every_writable_field_visible_in_both_views() {
    let mut s = legacy_stored();
    let p = legacy(json!({
        "assignedTo": "analyst", "closedDateTime": "2024-01-01T00:00:00Z", "comments": ["Closed in IPC"],
        "feedback": "benignPositive", "status": "dismissed", "tags": ["a", "b"],
        "vendorInformation": {"provider": "ipc", "vendor": "MICROSOFT"}
    }))
    .unwrap();
    p.apply(&mut s, now()).unwrap();
    assert_eq!(s.alert.status, AlertStatus::Resolved);
    assert!(s.legacy.dismissed);
    assert_eq!(
        s.alert.resolved_date_time,
        model::datetime::parse("2024-01-01T00:00:00Z").ok()
    );
    assert_eq!(
        s.alert.classification,
        Some(AlertClassification::InformationalExpectedActivity)
    );
    assert_eq!(s.alert.assigned_to.as_deref(), Some("analyst"));
    assert_eq!(s.alert.last_update_date_time, now());
    let view = serde_json::to_value(LegacyAlert::from_stored(&s)).unwrap();
    assert_eq!(view["status"], "dismissed");
    assert_eq!(view["feedback"], "benignPositive");
    assert_eq!(view["comments"], json!(["Closed in IPC"]));
    assert_eq!(view["tags"], json!(["a", "b"]));
    assert_eq!(view["closedDateTime"], "2024-01-01T00:00:00.0000000Z");
    let p = legacy(
        json!({"status": "newAlert", "vendorInformation": {"provider": "IPC", "vendor": "Microsoft"}}),
    );
    p.unwrap().apply(&mut s, now()).unwrap();
    assert_eq!(
        (
            s.alert.status,
            s.legacy.dismissed,
            s.alert.resolved_date_time
        ),
        (AlertStatus::New, false, None)
    );
}

#[test]
fn legacy_patch_requires_matching_vendor_information() {
    let e = legacy(json!({"status": "resolved"})).unwrap_err();
    assert_eq!(e.property.as_deref(), Some("vendorInformation"));
    let e = legacy(json!({"vendorInformation": {"provider": "IPC"}})).unwrap_err();
    assert!(e.message.contains("vendorInformation/vendor"), "{e}");
    let mut s = legacy_stored();
    let before = s.clone();
    let p = legacy(
        json!({"status": "resolved", "vendorInformation": {"provider": "MCAS", "vendor": "Microsoft"}}),
    );
    let e = p.unwrap().apply(&mut s, now()).unwrap_err();
    assert!(e.message.contains("does not match"), "{e}");
    assert_eq!(s, before, "nothing changes on error");
}

#[test]
fn legacy_patch_rejections_name_the_property() {
    let vi = json!({"provider": "IPC", "vendor": "Microsoft"});
    let e = legacy(json!({"severity": "high", "vendorInformation": vi})).unwrap_err();
    assert_eq!(e.property.as_deref(), Some("severity"));
    assert!(
        e.message
            .contains("assignedTo, closedDateTime, comments, feedback, status, tags"),
        "{e}"
    );
    let e = legacy(json!({"status": "new", "vendorInformation": vi})).unwrap_err();
    assert!(e.message.contains("newAlert"), "{e}");
    let e = legacy(json!({"closedDateTime": "yesterday", "vendorInformation": vi})).unwrap_err();
    assert_eq!(e.property.as_deref(), Some("closedDateTime"));
    let e = legacy(json!({"comments": "x", "vendorInformation": vi})).unwrap_err();
    assert!(e.message.contains("array of strings"), "{e}");
    let e = LegacyAlertPatch::from_json(&fixture("alert-v1-update-request.json")).unwrap_err();
    assert_eq!(e.property.as_deref(), Some("closedDateTime"));
    let item = legacy(json!({"id": "a1", "tags": [], "vendorInformation": vi})).unwrap();
    assert_eq!(item.id.as_deref(), Some("a1"));
}

#[test]
fn comment_bodies_in_all_three_forms() {
    assert_eq!(
        parse_comment_body(&fixture("alert-v2-comment-request.json")).unwrap(),
        ["Demo for docs"]
    );
    let arr = json!([{"comment": "a"}, {"@odata.type": "#microsoft.graph.security.alertComment", "comment": "b"}]);
    assert_eq!(parse_comment_body(&arr).unwrap(), ["a", "b"]);
    assert_eq!(
        parse_comment_body(&json!({"value": [{"comment": "c"}]})).unwrap(),
        ["c"]
    );
    assert!(parse_comment_body(&json!({"comment": " "})).is_err());
    assert!(parse_comment_body(&json!([])).is_err());
    assert!(parse_comment_body(&json!({"text": "x"})).is_err());
    assert!(
        parse_comment_body(&json!({"@odata.type": "microsoft.graph.x", "comment": "x"})).is_err()
    );
    assert!(parse_comment_body(&json!("x")).is_err());
}
