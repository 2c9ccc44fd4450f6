//! Wazuh alerts from real managers (and Wazuh's own templates) into alerts_v2.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixture;

use connectors::wazuh::{alert_from_json, severity};
use connectors::ConnectorError;
use model::enums::{AlertSeverity, DetectionSource, EvidenceRole};
use model::{AlertEvidence, StoredAlert};
use serde_json::Value;
use std::collections::HashSet;

fn map(line: &str) -> StoredAlert {
    alert_from_json(line).unwrap_or_else(|e| panic!("{e}: {line}"))
}

fn types(a: &StoredAlert) -> Vec<&str> {
    a.alert
        .evidence
        .iter()
        .map(AlertEvidence::type_name)
        .collect()
}

fn wrapped(i: usize) -> String {
    fixture::lines(fixture::WAZUH_WRAPPED)[i].clone()
}

fn template(i: usize) -> String {
    fixture::lines(fixture::WAZUH_TEMPLATES)[i].clone()
}

#[test]
fn every_logstash_wrapped_alert_maps_with_an_agent_device() {
    for line in fixture::lines(fixture::WAZUH_WRAPPED) {
        let a = map(&line);
        let v: Value = serde_json::from_str(&line).unwrap();
        let inner = &v["_source"];
        assert_eq!(
            a.alert.title.as_deref(),
            inner["rule"]["description"].as_str()
        );
        assert_eq!(a.alert.detector_id.as_deref(), inner["rule"]["id"].as_str());
        assert_eq!(a.alert.provider_alert_id.as_deref(), inner["id"].as_str());
        assert_eq!(a.alert.severity, AlertSeverity::Informational, "level 3");
        assert_eq!(types(&a)[0], "deviceEvidence");
        assert_eq!(a.vendor.provider.as_deref(), Some("Wazuh"));
    }
}

#[test]
fn vulnerability_detector_alert_maps_every_key_field() {
    let a = map(&wrapped(0));
    let g = &a.alert;
    assert_eq!(
        g.title.as_deref(),
        Some("The CVE-2007-4559 that affected python3.10 was solved due to a package removal/update or a system upgrade")
    );
    assert_eq!(g.category.as_deref(), Some("vulnerability-detector"));
    assert_eq!(g.categories, ["vulnerability-detector"]);
    assert_eq!(g.detection_source, Some(DetectionSource::Unknown));
    let t = model::datetime::format(g.created_date_time);
    assert_eq!(t, "2024-02-15T19:05:11.4860000Z", "-0300 offset read");
    let AlertEvidence::Device(d) = &g.evidence[0] else {
        panic!("{:?}", g.evidence);
    };
    assert_eq!(d.host_name.as_deref(), Some("localhost"));
    assert_eq!(d.last_ip_address.as_deref(), Some("127.0.0.1"));
    assert!(g.description.as_deref().unwrap().starts_with(
        "Rule 23502 (level 3; vulnerability-detector) on agent 000 (localhost), location vulnerability-detector.\n\nCVE-2007-4559 affecting python3.10 was solved"
    ));
}

#[test]
fn sshd_login_gives_source_address_user_and_mitre_techniques() {
    let a = map(&wrapped(1));
    let g = &a.alert;
    assert_eq!(g.mitre_techniques, ["T1078", "T1021"]);
    assert_eq!(g.category.as_deref(), Some("authentication_success"));
    assert_eq!(g.categories, ["syslog", "sshd", "authentication_success"]);
    assert_eq!(types(&a), ["deviceEvidence", "ipEvidence", "userEvidence"]);
    let AlertEvidence::Ip(ip) = &g.evidence[1] else {
        panic!()
    };
    assert_eq!(ip.ip_address.as_deref(), Some("192.168.83.175"));
    assert!(ip.base.has_role(EvidenceRole::Source));
    let AlertEvidence::User(u) = &g.evidence[2] else {
        panic!()
    };
    let account = u.user_account.as_ref().unwrap();
    assert_eq!(account.account_name.as_deref(), Some("root"));
    assert!(u.base.has_role(EvidenceRole::Destination), "dstuser");
    assert!(g
        .description
        .as_deref()
        .unwrap()
        .contains("Accepted publickey for root"));
    insta::assert_json_snapshot!("wazuh_sshd_alert", g);
}

#[test]
fn pam_user_loses_the_uid_suffix() {
    let a = map(&wrapped(2));
    let user = a.alert.evidence.iter().find_map(|e| match e {
        AlertEvidence::User(u) => u.user_account.as_ref()?.account_name.clone(),
        _ => None,
    });
    assert_eq!(user.as_deref(), Some("root"), "from root(uid=0)");
}

#[test]
fn a_bare_alert_is_the_same_alert_as_its_logstash_wrapped_copy() {
    for line in fixture::lines(fixture::WAZUH_WRAPPED) {
        let v: Value = serde_json::from_str(&line).unwrap();
        let bare = v["_source"].to_string();
        assert_eq!(map(&bare), map(&line));
    }
}

#[test]
fn template_placeholders_are_an_error_naming_the_field() {
    for line in fixture::lines(fixture::WAZUH_TEMPLATES) {
        let e = alert_from_json(&line).unwrap_err();
        assert_eq!(
            e,
            ConnectorError::Placeholder {
                field: "timestamp".into(),
                value: "{timestamp}".into()
            }
        );
        assert!(e.to_string().contains("template placeholder"), "{e}");
    }
}

#[test]
fn filled_templates_map_and_syscheck_gives_file_evidence() {
    let levels: Vec<AlertSeverity> = fixture::lines(fixture::WAZUH_TEMPLATES)
        .iter()
        .map(|l| map(&fixture::filled(l)).alert.severity)
        .collect();
    use AlertSeverity::*;
    assert_eq!(levels, [Low, Medium, Medium, Informational, Informational]);
    let a = map(&fixture::filled(&template(0)));
    assert_eq!(types(&a), ["deviceEvidence", "fileEvidence"]);
    let AlertEvidence::File(f) = &a.alert.evidence[1] else {
        panic!()
    };
    assert!(
        f.base.has_role(EvidenceRole::Created),
        "syscheck event added"
    );
    let d = f.file_details.as_ref().unwrap();
    assert_eq!(d.file_path.as_deref(), Some("/var/log"));
    assert_eq!(d.file_name.as_deref(), Some("lastlog"));
    assert_eq!(d.file_size, Some(38));
    let t = model::datetime::format(a.alert.created_date_time);
    assert_eq!(t, "2024-01-01T10:00:00.0000000Z");
}

#[test]
fn ids_are_stable_across_runs_and_distinct_across_lines() {
    let all = || -> Vec<String> {
        let wrapped = fixture::lines(fixture::WAZUH_WRAPPED);
        let filled = fixture::lines(fixture::WAZUH_TEMPLATES)
            .iter()
            .map(|l| fixture::filled(l))
            .collect::<Vec<_>>();
        wrapped
            .iter()
            .chain(&filled)
            .map(|l| map(l).alert.id.0)
            .collect()
    };
    let first = all();
    assert_eq!(first, all());
    let distinct: HashSet<&String> = first.iter().collect();
    assert_eq!(
        distinct.len(),
        first.len(),
        "templates share id and time: agent and rule differ"
    );
}

#[test]
fn syscheck_hashes_registry_paths_custom_rules_and_suricata_data() {
    let mut v: Value = serde_json::from_str(&fixture::filled(&template(0))).unwrap();
    v["syscheck"]["event"] = "modified".into();
    v["syscheck"]["md5_after"] = "70041821ACF87389E40DDCB092004184".into();
    v["syscheck"]["sha256_after"] =
        "2e4c462b3424afcc04f43429d5f001e4ef9a28143bfeefb9af2254b4df3a7c1a".into();
    v["rule"]["id"] = "100200".into();
    let a = map(&v.to_string());
    assert_eq!(
        a.alert.detection_source,
        Some(DetectionSource::CustomDetection)
    );
    let AlertEvidence::File(f) = &a.alert.evidence[1] else {
        panic!()
    };
    assert!(f.base.has_role(EvidenceRole::Edited));
    let d = f.file_details.as_ref().unwrap();
    assert_eq!(d.md5.as_deref(), Some("70041821acf87389e40ddcb092004184"));
    assert!(d.sha256.is_some());

    v["syscheck"]["path"] = r"HKEY_LOCAL_MACHINE\System\CurrentControlSet\Services\evil".into();
    v["syscheck"]["value_name"] = "ImagePath".into();
    let a = map(&v.to_string());
    let AlertEvidence::RegistryValue(r) = &a.alert.evidence[1] else {
        panic!("{:?}", a.alert.evidence[1])
    };
    assert_eq!(r.registry_hive.as_deref(), Some("HKEY_LOCAL_MACHINE"));
    assert_eq!(
        r.registry_key.as_deref(),
        Some(r"System\CurrentControlSet\Services\evil")
    );
    assert_eq!(r.registry_value_name.as_deref(), Some("ImagePath"));

    // Wazuh's Suricata integration: the EVE record sits in `data`, ports as strings.
    let mut v: Value = serde_json::from_str(&wrapped(1)).unwrap();
    v["_source"]["data"] = serde_json::json!({"src_ip": "10.0.0.5", "src_port": "4444",
        "dest_ip": "10.0.0.9", "dest_port": "80", "proto": "TCP"});
    let a = map(&v.to_string());
    let c = a.alert.evidence.iter().find_map(|e| match e {
        AlertEvidence::NetworkConnection(c) => Some((c.source_port, c.destination_port)),
        _ => None,
    });
    assert_eq!(c, Some((Some(4444), Some(80))));
}

#[test]
fn errors_name_the_field_under_source_and_what_was_expected() {
    let mut v: Value = serde_json::from_str(&wrapped(1)).unwrap();
    v["_source"]["rule"]["level"] = 16.into();
    let e = alert_from_json(&v.to_string()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "_source.rule.level: expected the rule level, a whole number 0-15, found the number 16"
    );
    v["_source"].as_object_mut().unwrap().remove("id");
    let e = alert_from_json(&v.to_string()).unwrap_err();
    assert!(e.to_string().starts_with("_source.id: missing"), "{e}");
    let e = alert_from_json("[]").unwrap_err();
    assert_eq!(e.to_string(), "expected a JSON object, found an array");
}

#[test]
fn levels_map_to_the_documented_severities() {
    let expected = [
        (0, AlertSeverity::Informational),
        (3, AlertSeverity::Informational),
        (4, AlertSeverity::Low),
        (6, AlertSeverity::Low),
        (7, AlertSeverity::Medium),
        (11, AlertSeverity::Medium),
        (12, AlertSeverity::High),
        (15, AlertSeverity::High),
    ];
    for (level, s) in expected {
        assert_eq!(severity(level), s, "level {level}");
    }
}
