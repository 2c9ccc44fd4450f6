//! Evidence items: dispatch on `@odata.type`, lossless handling of what the schema does not know.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use model::enums::EvidenceRemediationStatus;
use model::evidence::endpoint::DeviceEvidence;
use model::{AlertEvidence, OpenEnum};
use serde_json::{json, Value};

fn parse(v: Value) -> AlertEvidence {
    serde_json::from_value(v).unwrap()
}

#[test]
fn type_matches_without_hash_and_in_any_case() {
    let e =
        parse(json!({"@odata.type": "Microsoft.Graph.Security.DEVICEEVIDENCE", "hostName": "h"}));
    let AlertEvidence::Device(d) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(d.host_name.as_deref(), Some("h"));
    let out = serde_json::to_value(&e).unwrap();
    assert_eq!(
        out.as_object().unwrap().keys().next().unwrap(),
        "@odata.type"
    );
    assert_eq!(
        out["@odata.type"],
        "#microsoft.graph.security.deviceEvidence"
    );
}

#[test]
fn unknown_and_missing_types_round_trip_verbatim() {
    let v = json!({"@odata.type": "#microsoft.graph.security.quantumEvidence", "qubits": 5, "roles": ["x"]});
    let e = parse(v.clone());
    assert!(matches!(e, AlertEvidence::Other { .. }));
    assert_eq!(e.type_name(), "quantumEvidence");
    assert_eq!(serde_json::to_value(&e).unwrap(), v);
    let e = parse(json!({"remediationStatus": "Blocked"}));
    assert_eq!(e.odata_type(), "#microsoft.graph.security.alertEvidence");
    assert_eq!(
        e.remediation_status(),
        Some(EvidenceRemediationStatus::Blocked)
    );
}

#[test]
fn an_item_that_does_not_fit_its_type_is_kept_verbatim() {
    let v = json!({"@odata.type": "#microsoft.graph.security.deviceEvidence", "osBuild": "22H2", "hostName": "h"});
    let e = parse(v.clone());
    assert!(matches!(e, AlertEvidence::Other { .. }));
    assert_eq!(serde_json::to_value(&e).unwrap(), v);
}

#[test]
fn unknown_members_and_properties_are_kept() {
    let e = parse(json!({
        "@odata.type": "#microsoft.graph.security.deviceEvidence",
        "remediationStatus": "quarantined", "healthStatus": "Active", "futureProperty": {"a": 1}
    }));
    let AlertEvidence::Device(d) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        d.base.remediation_status,
        Some(OpenEnum::Unknown("quarantined".into()))
    );
    assert_eq!(e.remediation_status(), None);
    let out = serde_json::to_value(&e).unwrap();
    assert_eq!(out["remediationStatus"], "quarantined");
    assert_eq!(out["healthStatus"], "active");
    assert_eq!(out["futureProperty"], json!({"a": 1}));
}

#[test]
fn nested_evidence_is_typed_and_written_with_its_type() {
    let e = parse(json!({
        "@odata.type": "#microsoft.graph.security.hostLogonSessionEvidence",
        "host": {"hostName": "h", "remediationStatus": "active"},
        "account": {"@odata.type": "#microsoft.graph.security.userEvidence", "userAccount": {"accountName": "a"}}
    }));
    let AlertEvidence::HostLogonSession(s) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(s.host.as_ref().unwrap().host_name.as_deref(), Some("h"));
    assert!(s.account.as_ref().unwrap().extra.is_empty());
    let out = serde_json::to_value(&e).unwrap();
    assert_eq!(
        out["host"]["@odata.type"],
        "#microsoft.graph.security.deviceEvidence"
    );
    assert_eq!(out["account"]["userAccount"]["accountName"], "a");
    let cluster = parse(json!({
        "@odata.type": "#microsoft.graph.security.kubernetesClusterEvidence",
        "cloudResource": {"@odata.type": "#microsoft.graph.security.azureResourceEvidence", "resourceId": "r"}
    }));
    let AlertEvidence::KubernetesCluster(c) = &cluster else {
        panic!("{cluster:?}")
    };
    assert!(matches!(
        c.cloud_resource.as_deref(),
        Some(AlertEvidence::AzureResource(_))
    ));
}

#[test]
fn typed_items_convert_into_alert_evidence() {
    let e: AlertEvidence = DeviceEvidence {
        host_name: Some("x".into()),
        ..DeviceEvidence::default()
    }
    .into();
    assert_eq!(e.type_name(), "deviceEvidence");
    assert!(e.base().is_some());
}

#[test]
fn unknown_properties_are_reachable_for_typed_and_other_items() {
    let mut typed = parse(json!({"@odata.type": "#microsoft.graph.security.urlEvidence", "x": 1}));
    assert_eq!(typed.unknown_properties_mut().get("x"), Some(&json!(1)));
    let mut other = parse(json!({"@odata.type": "#microsoft.graph.security.newEvidence", "y": 2}));
    assert_eq!(other.unknown_properties_mut().get("y"), Some(&json!(2)));
}
