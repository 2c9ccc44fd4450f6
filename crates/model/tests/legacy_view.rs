//! Legacy alerts: import → stored alert → legacy view keeps every input property, and the view of
//! an alerts_v2 alert maps its evidence to the legacy collections.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{assert_keeps, cli_legacy_alerts, demisto_alerts, fixture};
use model::enums::AlertStatus;
use model::{alert_from_json, LegacyAlert, StoredAlert, TenantId};
use serde_json::{json, Value};

fn import_as_its_tenant(v: &Value) -> StoredAlert {
    let tenant = TenantId::from(v["azureTenantId"].as_str().unwrap());
    alert_from_json(v.clone(), &tenant).unwrap()
}

fn legacy_round_trip(input: &Value, name: &str) -> StoredAlert {
    let stored = import_as_its_tenant(input);
    let view = serde_json::to_value(LegacyAlert::from_stored(&stored)).unwrap();
    assert_eq!(view["@odata.type"], "#microsoft.graph.alert");
    assert_keeps(input, &view, name);
    stored
}

#[test]
fn cli_microsoft365_page_round_trips_through_the_stored_alert() {
    for (n, a) in cli_legacy_alerts().iter().enumerate() {
        legacy_round_trip(a, &format!("cli[{n}]"));
    }
}

#[test]
fn demisto_legacy_page_round_trips_through_the_stored_alert() {
    let (legacy, _) = demisto_alerts();
    assert_eq!(legacy.len(), 3);
    for (n, a) in legacy.iter().enumerate() {
        legacy_round_trip(a, &format!("demisto[{n}]"));
    }
}

#[test]
fn legacy_import_fills_the_alerts_v2_shape() {
    let (legacy, _) = demisto_alerts();
    let s = import_as_its_tenant(&legacy[2]);
    assert_eq!(s.alert.status, AlertStatus::Resolved);
    assert_eq!(s.alert.assigned_to.as_deref(), Some("Automation"));
    assert_eq!(s.legacy.comments, ["testing", "testing"]);
    assert_eq!(
        s.alert.resolved_date_time,
        model::datetime::parse("2020-04-19T07:09:16.2118771Z").ok()
    );
    assert_eq!(s.alert.evidence[0].type_name(), "deviceEvidence");
    assert_eq!(s.vendor.provider.as_deref(), Some("Microsoft Defender ATP"));
    let v2 = serde_json::to_value(&s.alert).unwrap();
    assert_eq!(v2["serviceSource"], "microsoftDefenderForEndpoint");
    assert_eq!(v2["evidence"][0]["deviceDnsName"], "desktop-s2455r8");
    assert_eq!(v2["alertWebUrl"], legacy[2]["sourceMaterials"][0]);
    let asc = import_as_its_tenant(&cli_legacy_alerts()[3]);
    assert!(asc.legacy.extra.contains_key("CustomProperties"));
    assert!(asc.legacy.extra.contains_key("riskScore"));
    let types: Vec<&str> = asc.alert.evidence.iter().map(|e| e.type_name()).collect();
    assert_eq!(
        types,
        ["networkConnectionEvidence", "azureResourceEvidence"]
    );
}

#[test]
fn dismissed_legacy_alert_is_resolved_in_alerts_v2_and_dismissed_in_the_view() {
    let mut a = cli_legacy_alerts()[0].clone();
    a["status"] = json!("dismissed");
    let s = legacy_round_trip(&a, "dismissed");
    assert_eq!(s.alert.status, AlertStatus::Resolved);
    assert!(s.legacy.dismissed);
}

#[test]
fn alerts_v2_evidence_maps_to_legacy_collections() {
    let page = fixture("alert-v2-list-response.json");
    let a = page["value"][0].clone();
    let s = alert_from_json(a, &TenantId::from("t1")).unwrap();
    let l = serde_json::to_value(LegacyAlert::from_stored(&s)).unwrap();
    assert_eq!(l["id"], "da637551227677560813_-961444813");
    assert_eq!(l["status"], "newAlert");
    assert_eq!(l["severity"], "low");
    assert_eq!(l["azureTenantId"], "t1");
    assert_eq!(l["eventDateTime"], "2021-04-26T07:45:50.1160000Z");
    assert_eq!(l["lastModifiedDateTime"], "2021-05-02T14:19:01.3266667Z");
    assert_eq!(l["incidentIds"], json!(["28282"]));
    assert_eq!(
        l["detectionIds"],
        json!(["e0da400f-affd-43ef-b1d5-afc2eb6f2756"])
    );
    assert_eq!(
        l["sourceMaterials"][0],
        s.alert.alert_web_url.clone().unwrap()
    );
    assert_eq!(
        l["recommendedActions"][0],
        "Collect artifacts and determine scope"
    );
    assert_eq!(l["vendorInformation"]["provider"], "Microsoft Defender ATP");
    assert_eq!(l["vendorInformation"]["vendor"], "Microsoft");
    assert_eq!(
        l["azureSubscriptionId"],
        "8700d3a3-3bb7-4fbe-a090-488a1ad04161"
    );
    assert_eq!(l["hostStates"][0]["fqdn"], "tempDns");
    assert_eq!(l["hostStates"][0]["os"], "Windows10");
    assert_eq!(l["hostStates"][0]["riskScore"], "medium");
    let files = l["fileStates"].as_array().unwrap();
    assert_eq!(files.len(), 2, "one file state per hash");
    assert_eq!(files[0]["fileHash"]["hashType"], "sha256");
    assert_eq!(files[1]["fileHash"]["hashType"], "sha1");
    assert_eq!(files[0]["name"], "MsSense.exe");
    assert_eq!(l["processes"][0]["processId"], 4780);
    assert_eq!(l["processes"][0]["parentProcessName"], "services.exe");
    assert_eq!(l["processes"][0]["accountName"], "SYSTEM");
    assert_eq!(l["registryKeyStates"][0]["hive"], "localMachineSystem");
    assert_eq!(l["feedback"], "unknown");
    for key in [
        "triggers",
        "alertDetections",
        "vulnerabilityStates",
        "uriClickSecurityStates",
    ] {
        assert_eq!(l[key], json!([]), "{key}");
    }
    assert!(l["confidence"].is_null());
}

#[test]
fn network_and_user_evidence_map_to_legacy_states() {
    let (_, v2) = demisto_alerts();
    let s = alert_from_json(v2[0].clone(), &TenantId::from("t")).unwrap();
    let l = serde_json::to_value(LegacyAlert::from_stored(&s)).unwrap();
    assert_eq!(l["userStates"][0]["accountName"], "root");
    assert_eq!(l["networkConnections"][0]["destinationAddress"], "0.0.0.0");
    assert_eq!(l["processes"].as_array().unwrap().len(), 2);
}

#[test]
fn kept_legacy_values_win_over_computed_ones() {
    let (_, v2) = demisto_alerts();
    let mut s = alert_from_json(v2[0].clone(), &TenantId::from("t")).unwrap();
    s.legacy.extra.insert("confidence".into(), json!(80));
    s.legacy
        .extra
        .insert("hostStates".into(), json!([{"fqdn": "kept"}]));
    s.legacy
        .extra
        .insert("newerProperty".into(), json!({"a": 1}));
    let l = serde_json::to_value(LegacyAlert::from_stored(&s)).unwrap();
    assert_eq!(l["confidence"], 80);
    assert_eq!(l["hostStates"][0]["fqdn"], "kept");
    assert_eq!(l["newerProperty"], json!({"a": 1}));
}

#[test]
fn kept_value_that_no_longer_fits_is_ignored() {
    let (_, v2) = demisto_alerts();
    let mut s = alert_from_json(v2[0].clone(), &TenantId::from("t")).unwrap();
    s.legacy.extra.insert("confidence".into(), json!("very"));
    s.legacy
        .extra
        .insert("triggers".into(), json!([{"name": "t"}]));
    let l = serde_json::to_value(LegacyAlert::from_stored(&s)).unwrap();
    assert!(l["confidence"].is_null());
    assert_eq!(l["triggers"][0]["name"], "t");
}
