//! Calls from secgraph to providers and their answers; action status reports.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use model::enums::{AlertClassification, AlertStatus};
use model::{AlertId, AlertPatch, StoredAlert, TenantId, VendorInformation};
use provider_protocol::{
    from_json, ActionCancellation, ActionInvocation, ActionStatus, ActionStatusUpdate,
    AlertChanges, AlertUpdate, CallbackAnswer, CallbackResult, KeyValuePair, ProviderVersion,
    PushedAlert, ResolvedAction, ResultInfo, PROTOCOL_VERSION,
};
use serde_json::json;
use time::macros::datetime;

fn alert() -> StoredAlert {
    let item: PushedAlert = serde_json::from_value(json!({
        "providerAlertId": "fw-1", "version": 1,
        "alert": {"severity": "high", "assignedTo": "queue", "createdDateTime": "2025-03-01T10:00:00Z"}}))
    .expect("item");
    item.into_stored(&TenantId("t1".into()), &VendorInformation::default())
        .expect("stores")
}

fn update(changes: AlertChanges) -> AlertUpdate {
    AlertUpdate {
        protocol_version: PROTOCOL_VERSION,
        idempotency_key: uuid::Uuid::nil(),
        tenant_id: TenantId("t1".into()),
        alert_id: AlertId("a1".into()),
        provider_alert_id: "fw-1".into(),
        base_version: Some(ProviderVersion::Sequence(3)),
        changes,
        changed_by: Some("analyst@contoso.example".into()),
        changed_date_time: datetime!(2025-03-01 10:05 UTC),
    }
}

#[test]
fn changes_distinguish_absent_from_cleared() {
    let before = alert();
    let mut after = before.clone();
    let patch =
        AlertPatch::from_json(&json!({"status": "inProgress", "assignedTo": null})).expect("patch");
    patch.apply(&mut after, datetime!(2025-03-01 10:05 UTC), "analyst");
    let changes = AlertChanges::between(&before, &after);
    assert_eq!(changes.status, Some(AlertStatus::InProgress));
    assert_eq!(changes.assigned_to, Some(None));
    assert_eq!(changes.classification, None);
    let wire = serde_json::to_value(&changes).expect("serialises");
    assert_eq!(wire, json!({"status": "inProgress", "assignedTo": null}));
    let back: AlertChanges = serde_json::from_value(wire).expect("parses");
    assert_eq!(back, changes);
    assert!(AlertChanges::between(&before, &before).is_empty());
}

#[test]
fn later_changes_fold_into_pending_ones() {
    let mut first = AlertChanges {
        status: Some(AlertStatus::InProgress),
        assigned_to: Some(Some("me".into())),
        ..AlertChanges::default()
    };
    let later = AlertChanges {
        status: Some(AlertStatus::Resolved),
        classification: Some(Some(AlertClassification::TruePositive)),
        resolved_date_time: Some(Some(datetime!(2025-03-01 11:00 UTC))),
        ..AlertChanges::default()
    };
    first.then(&later);
    assert_eq!(first.status, Some(AlertStatus::Resolved));
    assert_eq!(first.assigned_to, Some(Some("me".into())));
    assert_eq!(
        first.classification,
        Some(Some(AlertClassification::TruePositive))
    );
    let wire = serde_json::to_value(&first).expect("serialises");
    assert_eq!(wire["resolvedDateTime"], "2025-03-01T11:00:00.0000000Z");
}

#[test]
fn an_alert_update_round_trips_and_refuses_empty_changes() {
    let u = update(AlertChanges {
        status: Some(AlertStatus::Resolved),
        ..AlertChanges::default()
    });
    assert_eq!(u.validate(), Ok(()));
    let text = serde_json::to_string(&u).expect("serialises");
    assert!(
        text.contains("\"idempotencyKey\":\"00000000-0000-0000-0000-000000000000\""),
        "{text}"
    );
    assert!(text.contains("\"baseVersion\":3"), "{text}");
    let back: AlertUpdate = from_json(text.as_bytes()).expect("parses");
    assert_eq!(back, u);

    let mut empty = update(AlertChanges::default());
    empty.provider_alert_id = String::new();
    let err = empty.validate().expect_err("empty");
    assert!(err.mentions("changes", "is empty"), "{err}");
    assert!(
        err.mentions("providerAlertId", "must not be empty"),
        "{err}"
    );
}

#[test]
fn answers_are_read_in_any_case_and_rejections_need_a_reason() {
    let a: CallbackAnswer =
        from_json(br#"{"protocolVersion":1,"result":"APPLIED","providerVersion":9,"extra":1}"#)
            .expect("parses");
    assert_eq!(
        a,
        CallbackAnswer::applied(Some(ProviderVersion::Sequence(9)))
    );
    assert_eq!(a.validate(), Ok(()));
    let r: CallbackAnswer =
        from_json(br#"{"protocolVersion":1,"result":"Rejected"}"#).expect("parses");
    assert_eq!(r.result, CallbackResult::Rejected);
    let err = r.validate().expect_err("no reason");
    assert!(
        err.mentions("reason", "is required with result rejected"),
        "{err}"
    );
    assert_eq!(
        CallbackAnswer::rejected("alert is closed").validate(),
        Ok(())
    );
    let blank = CallbackAnswer::rejected("  ");
    assert!(blank
        .validate()
        .expect_err("blank")
        .mentions("reason", "must not be empty"));
    let err = from_json::<CallbackAnswer>(br#"{"protocolVersion":1,"result":"done"}"#)
        .expect_err("unknown result");
    assert!(err.to_string().contains("applied, rejected"), "{err}");
}

#[test]
fn action_status_is_read_in_any_case_and_written_in_pascal_case() {
    for (input, want) in [
        ("notStarted", ActionStatus::NotStarted),
        ("RUNNING", ActionStatus::Running),
        ("completed", ActionStatus::Completed),
        ("Failed", ActionStatus::Failed),
    ] {
        let u: ActionStatusUpdate = from_json(
            json!({"protocolVersion": 1, "status": input})
                .to_string()
                .as_bytes(),
        )
        .expect("parses");
        assert_eq!(u.status, want);
    }
    assert_eq!(
        serde_json::to_value(ActionStatus::NotStarted).ok(),
        Some(json!("NotStarted"))
    );
    let err = from_json::<ActionStatusUpdate>(br#"{"protocolVersion":1,"status":"done"}"#)
        .expect_err("unknown");
    assert!(
        err.to_string()
            .contains("NotStarted, Running, Completed, Failed"),
        "{err}"
    );
}

#[test]
fn action_status_moves_forward_only() {
    use ActionStatus::*;
    let all = [NotStarted, Running, Completed, Failed];
    let allowed = [
        (NotStarted, NotStarted),
        (NotStarted, Running),
        (NotStarted, Completed),
        (NotStarted, Failed),
        (Running, Running),
        (Running, Completed),
        (Running, Failed),
        (Completed, Completed),
        (Failed, Failed),
    ];
    for from in all {
        for to in all {
            assert_eq!(
                from.can_become(to),
                allowed.contains(&(from, to)),
                "{from} -> {to}"
            );
        }
    }
}

#[test]
fn error_info_goes_with_failed_and_only_with_failed() {
    let status = |s: ActionStatus, e: Option<ResultInfo>| ActionStatusUpdate {
        protocol_version: 1,
        status: s,
        error_info: e,
        updated_date_time: None,
    };
    let info = |m: Option<&str>| ResultInfo {
        code: 7,
        message: m.map(String::from),
        subcode: 0,
    };
    assert_eq!(
        status(ActionStatus::Failed, Some(info(Some("firewall busy")))).validate(),
        Ok(())
    );
    assert_eq!(status(ActionStatus::Completed, None).validate(), Ok(()));
    let cases = [
        (
            status(ActionStatus::Failed, None),
            "errorInfo",
            "is required with status Failed",
        ),
        (
            status(ActionStatus::Failed, Some(info(None))),
            "errorInfo.message",
            "is required",
        ),
        (
            status(ActionStatus::Failed, Some(info(Some("")))),
            "errorInfo.message",
            "must not be empty",
        ),
        (
            status(ActionStatus::Running, Some(info(Some("x")))),
            "errorInfo",
            "is only for status Failed",
        ),
    ];
    for (u, path, needle) in cases {
        let err = u.validate().expect_err(needle);
        assert!(err.mentions(path, needle), "{err}");
    }
}

#[test]
fn invocations_and_cancellations_carry_the_action_id() {
    let resolved = ResolvedAction {
        name: "blockIp".into(),
        parameters: vec![KeyValuePair::new("ip", "203.0.113.7")],
    };
    let inv = ActionInvocation::new(
        "act-1",
        TenantId("t1".into()),
        resolved,
        datetime!(2025-03-01 10:00 UTC),
    );
    assert_eq!(inv.validate(), Ok(()));
    let wire = serde_json::to_value(&inv).expect("serialises");
    assert_eq!(wire["actionId"], "act-1");
    assert_eq!(
        wire["parameters"],
        json!([{"name": "ip", "value": "203.0.113.7"}])
    );
    assert_eq!(wire["createdDateTime"], "2025-03-01T10:00:00.0000000Z");

    let mut bad = inv.clone();
    bad.action_id = String::new();
    bad.name = "block ip".into();
    bad.client_context = Some("c".repeat(1025));
    bad.parameters.push(KeyValuePair::new("", "x"));
    let err = bad.validate().expect_err("bad");
    assert!(err.mentions("actionId", "must not be empty"), "{err}");
    assert!(err.mentions("name", "is not a name"), "{err}");
    assert!(err.mentions("clientContext", "the limit is 1024"), "{err}");
    assert!(err.mentions("parameters[1].name", "is not a name"), "{err}");

    let c: ActionCancellation =
        from_json(br#"{"protocolVersion":1,"actionId":"act-1","tenantId":"t1"}"#).expect("parses");
    assert_eq!(c.validate(), Ok(()));
    let c = ActionCancellation {
        action_id: " ".into(),
        protocol_version: 3,
        ..c
    };
    let err = c.validate().expect_err("bad");
    assert!(err.mentions("actionId", "must not be empty"), "{err}");
    assert!(err.mentions("protocolVersion", "send 1"), "{err}");
}

#[test]
fn the_remaining_envelope_members_are_checked() {
    let mut u = update(AlertChanges {
        tags: Some(vec!["noise".into()]),
        ..AlertChanges::default()
    });
    u.tenant_id = TenantId(String::new());
    u.alert_id = AlertId(" ".into());
    u.changed_by = Some("x".repeat(257));
    u.protocol_version = 2;
    let err = u.validate().expect_err("bad");
    assert!(err.mentions("tenantId", "must not be empty"), "{err}");
    assert!(err.mentions("alertId", "must not be empty"), "{err}");
    assert!(err.mentions("changedBy", "the limit is 256"), "{err}");
    assert!(err.mentions("protocolVersion", "send 1"), "{err}");

    let mut applied = CallbackAnswer::applied(None);
    applied.reason = Some("r".repeat(1025));
    assert!(applied
        .validate()
        .expect_err("long")
        .mentions("reason", "the limit is 1024"));

    let inv = ActionInvocation {
        tenant_id: TenantId(String::new()),
        action_reason: Some("bad\u{1b}[31m".into()),
        ..ActionInvocation::new(
            "act-1",
            TenantId("t1".into()),
            ResolvedAction {
                name: "flushCache".into(),
                parameters: vec![],
            },
            datetime!(2025-03-01 10:00 UTC),
        )
    };
    let err = inv.validate().expect_err("bad");
    assert!(err.mentions("tenantId", "must not be empty"), "{err}");
    assert!(err.mentions("actionReason", "control characters"), "{err}");

    let c = ActionCancellation {
        protocol_version: 1,
        action_id: "act-1".into(),
        tenant_id: TenantId(String::new()),
    };
    assert!(c
        .validate()
        .expect_err("no tenant")
        .mentions("tenantId", "must not be empty"));
}
