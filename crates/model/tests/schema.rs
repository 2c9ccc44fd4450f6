//! The property tables match what the structs serialise, key for key and type for type.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{cli_legacy_alerts, demisto_alerts, fixture};
use model::schema::{ALERT, ALERT_EVIDENCE, LEGACY_ALERT};
use model::{alert_from_json, Alert, AlertEvidence, LegacyAlert, TenantId};
use odata::schema::{PropType, Property};
use serde_json::{json, Map, Value};

/// Checks every key of `m` against `props` and every value against its declared type.
fn check_object(m: &Map<String, Value>, props: &[Property], path: &str) {
    for (k, v) in m {
        if k == "@odata.type" {
            continue;
        }
        let p = props
            .iter()
            .find(|p| p.name == k)
            .unwrap_or_else(|| panic!("{path}/{k}: not in the table"));
        check(v, &p.ty, &format!("{path}/{k}"));
    }
}

fn check(v: &Value, ty: &PropType, path: &str) {
    let ok = match (ty, v) {
        (_, Value::Null) => true,
        (PropType::String | PropType::Guid, Value::String(_)) => true,
        (PropType::Int32 | PropType::Int64, Value::Number(n)) => n.is_i64(),
        (PropType::Double, Value::Number(_)) | (PropType::Boolean, Value::Bool(_)) => true,
        (PropType::Dictionary, Value::Object(_)) => true,
        (PropType::DateTimeOffset, Value::String(s)) => model::datetime::parse(s).is_ok(),
        (PropType::Enum(e), Value::String(s)) => e.members.contains(&s.as_str()),
        (PropType::Collection(inner), Value::Array(items)) => {
            items
                .iter()
                .enumerate()
                .for_each(|(n, i)| check(i, inner, &format!("{path}[{n}]")));
            true
        }
        (PropType::Complex(ct), Value::Object(m)) => {
            let runtime = m
                .get("@odata.type")
                .and_then(Value::as_str)
                .filter(|_| !ct.derived.is_empty());
            let ct = runtime
                .map(|t| ct.derived_type(t.trim_start_matches('#')).unwrap())
                .unwrap_or(ct);
            check_object(m, ct.properties, path);
            true
        }
        _ => false,
    };
    assert!(ok, "{path}: {v} is not a {}", ty.type_name());
}

fn fully_populated_alert() -> Value {
    let mut a = fixture("alert-v2-list-response.json")["value"][0].clone();
    let extra = json!({
        "actorDisplayName": "actor", "additionalData": {"k": "v"}, "alertPolicyId": "p", "assignedTo": "me",
        "categories": ["c"], "comments": [{"comment": "x", "createdByDisplayName": "me",
        "createdDateTime": "2024-01-01T00:00:00Z"}], "customDetails": {"d": [1]},
        "investigationState": "running", "productName": "Microsoft Defender for Endpoint",
        "resolvedDateTime": "2024-01-02T00:00:00Z", "threatDisplayName": "t", "threatFamilyName": "f",
        "threatIntelligenceMatches": [{"indicatorId": "i", "action": "block", "kind": "ip", "value": "203.0.113.7"}]
    });
    for (k, v) in extra.as_object().unwrap() {
        a[k] = v.clone();
    }
    a
}

#[test]
fn every_property_of_a_fully_populated_alert_is_in_the_table_and_vice_versa() {
    let alert: Alert = serde_json::from_value(fully_populated_alert()).unwrap();
    let out = serde_json::to_value(&alert).unwrap();
    let m = out.as_object().unwrap();
    for (k, v) in m {
        assert!(!v.is_null() && v != &json!([]), "{k} is not populated");
    }
    check_object(m, ALERT.properties, "alert");
    for p in ALERT.properties {
        assert!(
            m.contains_key(p.name),
            "{} is in the table but not serialised",
            p.name
        );
    }
}

#[test]
fn every_evidence_subtype_serialises_exactly_its_table() {
    assert_eq!(ALERT_EVIDENCE.derived.len(), 48);
    for d in ALERT_EVIDENCE.derived {
        let e = AlertEvidence::from_parts(Some(d.name), Map::new());
        assert!(
            !matches!(e, AlertEvidence::Other { .. }),
            "{} is not typed",
            d.name
        );
        assert_eq!(e.odata_type(), format!("#{}", d.name));
        let v = serde_json::to_value(&e).unwrap();
        let keys: Vec<&String> = v.as_object().unwrap().keys().skip(1).collect();
        let names: Vec<&str> = d.properties.iter().map(|p| p.name).collect();
        assert_eq!(keys, names, "{}", d.name);
    }
}

#[test]
fn real_alerts_fit_their_tables() {
    let (legacy, v2) = demisto_alerts();
    let docs = fixture("alert-v2-list-response.json")["value"]
        .as_array()
        .unwrap()
        .clone();
    for a in v2.into_iter().chain(docs) {
        let s = alert_from_json(a, &TenantId::from("t")).unwrap();
        let out = serde_json::to_value(&s.alert).unwrap();
        check_object(out.as_object().unwrap(), ALERT.properties, "alert");
        let view = serde_json::to_value(LegacyAlert::from_stored(&s)).unwrap();
        check_object(view.as_object().unwrap(), LEGACY_ALERT.properties, "legacy");
    }
    for a in legacy.into_iter().chain(cli_legacy_alerts()) {
        let s = alert_from_json(a, &TenantId::from("t")).unwrap();
        let out = serde_json::to_value(&s.alert).unwrap();
        check_object(out.as_object().unwrap(), ALERT.properties, "alert");
    }
}

#[test]
fn legacy_alert_serialises_exactly_its_table() {
    let v = serde_json::to_value(LegacyAlert::default()).unwrap();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys[0], "@odata.type");
    let names: Vec<&str> = LEGACY_ALERT.properties.iter().map(|p| p.name).collect();
    assert_eq!(keys[1..], names);
    let file_hash = LEGACY_ALERT
        .properties
        .iter()
        .find(|p| p.name == "fileStates")
        .unwrap();
    let PropType::Collection(PropType::Complex(fs)) = file_hash.ty else {
        panic!("fileStates")
    };
    let PropType::Complex(fh) = fs.property("fileHash").unwrap().ty else {
        panic!("fileHash")
    };
    assert!(fh.property("hashType").is_some() && fh.property("hashValue").is_some());
}

#[test]
fn evidence_properties_resolve_behind_casts_and_in_nested_values() {
    let device = ALERT_EVIDENCE
        .derived_type("microsoft.graph.security.deviceEvidence")
        .unwrap();
    assert!(device.property("remediationStatus").is_some());
    let session = ALERT_EVIDENCE
        .derived_type("hostLogonSessionEvidence")
        .unwrap();
    let PropType::Complex(host) = session.property("host").unwrap().ty else {
        panic!("host")
    };
    assert!(host.property("verdict").is_some() && host.property("osBuild").is_some());
    let ad = ALERT_EVIDENCE
        .derived_type("activeDirectoryDomainEvidence")
        .unwrap();
    assert!(matches!(
        ad.property("trustedDomains").unwrap().ty,
        PropType::Collection(_)
    ));
}
