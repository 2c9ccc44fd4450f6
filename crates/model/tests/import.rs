//! Import of exported alerts: shape detection, defaults and errors.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{cli_legacy_alerts, fixture};
use model::enums::{AlertSeverity, AlertStatus, ServiceSource};
use model::{alert_from_json, TenantId};
use serde_json::{json, Value};

fn import(v: Value) -> Result<model::StoredAlert, String> {
    alert_from_json(v, &TenantId::from("mine"))
}

#[test]
fn v2_defaults_and_tenant() {
    let s =
        import(json!({"createdDateTime": "2024-01-01T00:00:00Z", "title": "t", "evidence": []}))
            .unwrap();
    let id = uuid::Uuid::parse_str(s.alert.id.as_str()).unwrap();
    assert_eq!(
        id.get_version_num(),
        5,
        "a name-based id, stable across imports"
    );
    assert_eq!(s.alert.last_update_date_time, s.alert.created_date_time);
    assert_eq!(
        (s.alert.status, s.alert.severity),
        (AlertStatus::New, AlertSeverity::Unknown)
    );
    assert_eq!(s.alert.tenant_id.as_deref(), Some("mine"));
    assert!(s.legacy.extra.is_empty());
}

#[test]
fn v2_vendor_comes_from_service_detection_source_or_product() {
    let docs = fixture("alert-v2-list-response.json")["value"][0].clone();
    let s = import(docs).unwrap();
    assert_eq!(s.vendor.provider.as_deref(), Some("Microsoft Defender ATP"));
    let base = json!({"id": "a", "createdDateTime": "2024-01-01T00:00:00Z", "serviceSource": null});
    let mut by_detection = base.clone();
    by_detection["detectionSource"] = json!("scheduledAlerts");
    assert_eq!(
        import(by_detection).unwrap().vendor.provider.as_deref(),
        Some("Azure Sentinel")
    );
    let mut by_product = base.clone();
    by_product["productName"] = json!("Suricata");
    let v = import(by_product).unwrap().vendor;
    assert_eq!(
        (v.provider.as_deref(), v.vendor.as_deref()),
        (Some("Suricata"), None)
    );
    let mut explicit = base;
    explicit["vendorInformation"] = json!({"provider": "P", "vendor": "V"});
    assert_eq!(
        import(explicit).unwrap().vendor.vendor.as_deref(),
        Some("V")
    );
}

#[test]
fn errors_name_the_property() {
    assert_eq!(
        import(json!({"title": "t"})).unwrap_err(),
        "createdDateTime is required"
    );
    let e = import(
        json!({"createdDateTime": "2024-01-01T00:00:00Z", "severity": "critical", "evidence": []}),
    );
    let e = e.unwrap_err();
    assert!(e.starts_with("severity:"), "{e}");
    let e = import(json!({"createdDateTime": "soon", "evidence": []})).unwrap_err();
    assert!(e.starts_with("createdDateTime:"), "{e}");
    assert!(import(json!([1])).is_err());
    let legacy = json!({"createdDateTime": "2024-01-01T00:00:00Z", "vendorInformation": {}, "confidence": "x"});
    assert!(import(legacy).unwrap_err().starts_with("confidence:"));
}

#[test]
fn legacy_shape_is_detected_by_type_or_properties() {
    let typed = json!({"@odata.type": "#microsoft.graph.alert", "createdDateTime": "2024-01-01T00:00:00Z", "status": "newAlert"});
    let s = import(typed).unwrap();
    assert_eq!(s.alert.status, AlertStatus::New);
    let by_props = cli_legacy_alerts()[2].clone();
    let s = import(by_props).unwrap();
    assert_eq!(
        s.alert.service_source,
        Some(ServiceSource::MicrosoftDefenderForCloudApps)
    );
    assert_eq!(s.alert.tenant_id.as_deref(), Some("mine"));
    assert_eq!(s.alert.evidence.len(), 3, "two cloud apps and a user");
}

#[test]
fn an_alert_without_id_gets_the_same_id_on_every_import() {
    let a = json!({"title": "x", "createdDateTime": "2026-10-01T00:00:00Z", "severity": "low", "productName": "Suricata", "providerAlertId": "flow-1"});
    let first = import(a.clone()).unwrap();
    let again = import(a.clone()).unwrap();
    assert_eq!(
        first.alert.id, again.alert.id,
        "re-importing must update, not duplicate"
    );
    let mut changed = a.clone();
    changed["status"] = json!("resolved");
    assert_eq!(
        import(changed).unwrap().alert.id,
        first.alert.id,
        "same provider alert → same id"
    );
    let mut other = a;
    other["providerAlertId"] = json!("flow-2");
    assert_ne!(import(other).unwrap().alert.id, first.alert.id);
    let no_provider_id = json!({"title": "y", "createdDateTime": "2026-10-01T00:00:00Z"});
    assert_eq!(
        import(no_provider_id.clone()).unwrap().alert.id,
        import(no_provider_id).unwrap().alert.id
    );
}
