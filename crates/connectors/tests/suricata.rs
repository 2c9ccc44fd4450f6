//! Suricata EVE lines from real sensors into alerts_v2.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixture;

use connectors::suricata::alert_from_eve;
use connectors::ConnectorError;
use model::enums::{AlertSeverity, DetectionSource, EvidenceRemediationStatus, EvidenceRole};
use model::{AlertEvidence, StoredAlert};
use serde_json::Value;
use std::collections::HashSet;

fn map(line: &str) -> StoredAlert {
    alert_from_eve(line)
        .unwrap_or_else(|e| panic!("{e}: {line}"))
        .unwrap_or_else(|| panic!("not an alert: {line}"))
}

fn types(a: &StoredAlert) -> Vec<&str> {
    a.alert
        .evidence
        .iter()
        .map(AlertEvidence::type_name)
        .collect()
}

fn event_type(line: &str) -> String {
    let v: Value = serde_json::from_str(line).unwrap();
    v["event_type"].as_str().unwrap().to_string()
}

#[test]
fn every_alert_line_of_every_eve_fixture_maps_and_other_events_are_none() {
    let mut alerts = 0;
    for file in fixture::EVE_FILES {
        for line in fixture::lines(file) {
            let mapped = alert_from_eve(&line).unwrap_or_else(|e| panic!("{file}: {e}"));
            if event_type(&line) != "alert" {
                assert!(mapped.is_none(), "{file}: {line}");
                continue;
            }
            let a = mapped.unwrap_or_else(|| panic!("{file}: alert line gave None"));
            let v: Value = serde_json::from_str(&line).unwrap();
            assert_eq!(a.alert.title.as_deref(), v["alert"]["signature"].as_str());
            assert!(types(&a).contains(&"ipEvidence"), "{file}: {:?}", types(&a));
            assert!(types(&a).contains(&"networkConnectionEvidence"));
            assert_eq!(a.alert.product_name.as_deref(), Some("Suricata"));
            assert_eq!(a.vendor.provider.as_deref(), Some("Suricata"));
            assert_eq!(a.vendor.vendor.as_deref(), Some("OISF"));
            alerts += 1;
        }
    }
    assert_eq!(alerts, 9, "4 + 4 + 1 alert lines in the samples");
}

#[test]
fn crowdsec_struts_alert_maps_every_key_field() {
    let a = map(&fixture::lines(fixture::EVE_FILES[0])[0]);
    let g = &a.alert;
    assert_eq!(
        g.title.as_deref(),
        Some("ET WEB_SPECIFIC_APPS OGNL Expression Injection (CVE-2017-9791)")
    );
    assert_eq!(g.severity, AlertSeverity::High);
    assert_eq!(g.category.as_deref(), Some("Attempted User Privilege Gain"));
    assert_eq!(g.detector_id.as_deref(), Some("1:2024468:3"));
    assert_eq!(g.detection_source, Some(DetectionSource::Unknown));
    assert_eq!(
        g.provider_alert_id.as_deref(),
        Some("1258832998001901/0/1:2024468/2022-07-10T23:50:05.5331010Z")
    );
    let t = model::datetime::format(g.created_date_time);
    assert_eq!(t, "2022-07-10T23:50:05.5331010Z");
    assert_eq!(g.first_activity_date_time, Some(g.created_date_time));
    assert_eq!(g.last_update_date_time, g.created_date_time);
    assert_eq!(
        g.description.as_deref(),
        Some("TCP 1.2.3.4:52812 -> 127.0.0.1:80, action allowed, app_proto http, flow_id 1258832998001901")
    );
    assert_eq!(
        types(&a),
        [
            "ipEvidence",
            "ipEvidence",
            "networkConnectionEvidence",
            "fileEvidence"
        ]
    );
    let AlertEvidence::File(f) = &g.evidence[3] else {
        panic!("{:?}", g.evidence[3]);
    };
    let d = f.file_details.as_ref().unwrap();
    assert_eq!(
        (d.file_name.as_deref(), d.file_size),
        (Some("%{0b"), Some(1))
    );
    insta::assert_json_snapshot!("suricata_struts_alert", g);
}

#[test]
fn addresses_ports_and_roles_land_in_ip_and_connection_evidence() {
    let a = map(&fixture::lines(fixture::EVE_FILES[0])[0]);
    let AlertEvidence::Ip(src) = &a.alert.evidence[0] else {
        panic!()
    };
    assert_eq!(src.ip_address.as_deref(), Some("1.2.3.4"));
    assert!(src.base.has_role(EvidenceRole::Source));
    let AlertEvidence::Ip(dst) = &a.alert.evidence[1] else {
        panic!()
    };
    assert_eq!(dst.ip_address.as_deref(), Some("127.0.0.1"));
    assert!(dst.base.has_role(EvidenceRole::Destination));
    let AlertEvidence::NetworkConnection(c) = &a.alert.evidence[2] else {
        panic!()
    };
    assert_eq!((c.source_port, c.destination_port), (Some(52812), Some(80)));
    assert_eq!(c.protocol.as_ref().map(|p| p.as_str()), Some("tcp"));
    assert_eq!(c.base.remediation_status, None, "allowed traffic");
}

#[test]
fn http_alert_gives_url_and_split_file_path() {
    let a = map(&fixture::lines(fixture::EVE_FILES[1])[0]);
    let url = a.alert.evidence.iter().find_map(|e| match e {
        AlertEvidence::Url(u) => u.url.clone(),
        _ => None,
    });
    assert_eq!(
        url.as_deref(),
        Some("http://34.245.178.108/cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh")
    );
    let file = a.alert.evidence.iter().find_map(|e| match e {
        AlertEvidence::File(f) => f.file_details.clone(),
        _ => None,
    });
    let file = file.unwrap();
    assert_eq!(file.file_path.as_deref(), Some("/bin"));
    assert_eq!(file.file_name.as_deref(), Some("sh"));
    assert_eq!(file.file_size, Some(33));
}

#[test]
fn plus_0200_offsets_are_read_and_the_description_leaves_out_what_is_absent() {
    let a = map(&fixture::lines(fixture::EVE_FILES[2])[0]);
    let t = model::datetime::format(a.alert.created_date_time);
    assert_eq!(t, "2011-08-12T12:52:57.7163600Z");
    assert_eq!(a.alert.severity, AlertSeverity::Medium);
    assert_eq!(
        a.alert.description.as_deref(),
        Some(
            "TCP 147.32.84.165:1181 -> 78.40.125.4:6667, action allowed, flow_id 1031464864740687"
        )
    );
}

#[test]
fn ids_are_stable_across_runs_and_distinct_across_lines() {
    let all = || -> Vec<String> {
        fixture::EVE_FILES
            .iter()
            .flat_map(|f| fixture::lines(f))
            .filter_map(|l| alert_from_eve(&l).unwrap())
            .map(|a| a.alert.id.0)
            .collect()
    };
    let first = all();
    assert_eq!(first, all());
    let distinct: HashSet<&String> = first.iter().collect();
    assert_eq!(distinct.len(), first.len(), "{first:?}");
    // The whole alert is deterministic, not just its id: a re-read line is an identical upsert.
    let line = &fixture::lines(fixture::EVE_FILES[1])[0];
    assert_eq!(map(line), map(line));
}

/// The Tenzir `fileinfo` event (real hashes) turned into an alert on the same transfer.
fn fileinfo_as_alert() -> String {
    let mut v: Value = serde_json::from_str(&fixture::lines(fixture::EVE_FILES[2])[2]).unwrap();
    v["event_type"] = "alert".into();
    v["alert"] = serde_json::json!({"action": "blocked", "gid": 1, "signature_id": 1000001,
        "rev": 2, "signature": "LOCAL file download", "category": "Misc activity", "severity": 4,
        "metadata": {"mitre_technique_id": ["T1105", "T1105"]}});
    v.to_string()
}

#[test]
fn fileinfo_hashes_blocked_action_local_rules_and_mitre_metadata() {
    let a = map(&fileinfo_as_alert());
    let g = &a.alert;
    assert_eq!(g.severity, AlertSeverity::Informational, "priority 4");
    assert_eq!(g.detection_source, Some(DetectionSource::CustomDetection));
    assert_eq!(g.detector_id.as_deref(), Some("1:1000001:2"));
    assert_eq!(g.mitre_techniques, ["T1105"]);
    let d = g
        .evidence
        .iter()
        .find_map(|e| match e {
            AlertEvidence::File(f) => f.file_details.clone(),
            _ => None,
        })
        .unwrap();
    assert_eq!(d.md5.as_deref(), Some("70041821acf87389e40ddcb092004184"));
    assert_eq!(
        d.sha1.as_deref(),
        Some("10395ab3566395ca050232d2c1a0dbad69eb5fd2")
    );
    assert_eq!(
        d.sha256.as_deref(),
        Some("2e4c462b3424afcc04f43429d5f001e4ef9a28143bfeefb9af2254b4df3a7c1a")
    );
    let conn = g.evidence.iter().find_map(|e| match e {
        AlertEvidence::NetworkConnection(c) => c.base.remediation_status.clone(),
        _ => None,
    });
    assert_eq!(
        conn.and_then(|s| s.known()),
        Some(EvidenceRemediationStatus::Blocked)
    );
    assert!(types(&a).contains(&"urlEvidence"));
}

#[test]
fn dns_alerts_name_the_queried_domain_and_ipv6_is_canonical() {
    let line = r#"{"timestamp":"2024-03-01T10:00:00.000000+0100","flow_id":7,"event_type":"alert","src_ip":"2001:0db8:0000:0000:0000:0000:0000:0001","src_port":5353,"dest_ip":"2001:db8::53","dest_port":53,"proto":"UDP","alert":{"action":"allowed","gid":1,"signature_id":2027863,"rev":1,"signature":"ET INFO Observed DNS Query to .cloud TLD","category":"Potentially Bad Traffic","severity":2},"dns":{"query":[{"type":"query","id":1,"rrname":"evil.example.cloud","rrtype":"A","tx_id":0}]},"app_proto":"dns"}"#;
    let a = map(line);
    let names: Vec<String> = a
        .alert
        .evidence
        .iter()
        .filter_map(|e| match e {
            AlertEvidence::Dns(d) => d.domain_name.clone(),
            AlertEvidence::Ip(i) => i.ip_address.clone(),
            _ => None,
        })
        .collect();
    assert_eq!(names, ["2001:db8::1", "2001:db8::53", "evil.example.cloud"]);
    assert!(a
        .alert
        .description
        .as_deref()
        .unwrap()
        .contains("UDP [2001:0db8:0000:0000:0000:0000:0000:0001]:5353 -> [2001:db8::53]:53"));
}

#[test]
fn errors_name_the_field_and_what_was_expected() {
    let base = fixture::lines(fixture::EVE_FILES[2])[0].clone();
    let mut v: Value = serde_json::from_str(&base).unwrap();
    v["alert"].as_object_mut().unwrap().remove("signature_id");
    let e = alert_from_eve(&v.to_string()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "alert.signature_id: missing; expected the rule's signature id, a whole number"
    );
    let mut v: Value = serde_json::from_str(&base).unwrap();
    v["alert"]["severity"] = "high".into();
    let e = alert_from_eve(&v.to_string()).unwrap_err();
    assert!(
        matches!(&e, ConnectorError::Invalid { field, .. } if field == "alert.severity"),
        "{e}"
    );
    let mut v: Value = serde_json::from_str(&base).unwrap();
    v["timestamp"] = "12/08/2011 14:52".into();
    let e = alert_from_eve(&v.to_string()).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("timestamp: expected a time stamp"),
        "{e}"
    );
    let e = alert_from_eve(r#"{"timestamp":"2011-08-12T14:52:57+0200"}"#).unwrap_err();
    assert!(e.to_string().starts_with("event_type: missing"), "{e}");
    let cut = &base[..base.len() / 2];
    assert!(matches!(alert_from_eve(cut), Err(ConnectorError::Json(_))));
}
