//! The default demo set shows every member of the alert enums, several providers and every
//! evidence kind a client may want to render.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use model::enums::{
    AlertClassification, AlertDetermination, AlertSeverity, AlertStatus, DetectionSource,
    ServiceSource,
};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Debug;
use std::hash::Hash;

/// Asserts that every member of `all` except `unknownFutureValue` occurs in `seen`.
fn assert_covers<T: Copy + Eq + Hash + Debug>(
    name: &str,
    all: &[T],
    wire: fn(T) -> &'static str,
    seen: &HashSet<T>,
) {
    let missing: Vec<&str> = all
        .iter()
        .filter(|m| wire(**m) != "unknownFutureValue" && !seen.contains(m))
        .map(|m| wire(*m))
        .collect();
    assert!(
        missing.is_empty(),
        "{name} members never generated: {missing:?}"
    );
}

#[test]
fn every_severity_status_classification_and_determination_occurs() {
    let alerts = common::alerts();
    let sev: HashSet<_> = alerts.iter().map(|a| a.alert.severity).collect();
    let status: HashSet<_> = alerts.iter().map(|a| a.alert.status).collect();
    let class: HashSet<_> = alerts
        .iter()
        .filter_map(|a| a.alert.classification)
        .collect();
    let det: HashSet<_> = alerts
        .iter()
        .filter_map(|a| a.alert.determination)
        .collect();
    assert_covers("severity", AlertSeverity::ALL, AlertSeverity::as_str, &sev);
    assert_covers("status", AlertStatus::ALL, AlertStatus::as_str, &status);
    assert_covers(
        "classification",
        AlertClassification::ALL,
        AlertClassification::as_str,
        &class,
    );
    assert_covers(
        "determination",
        AlertDetermination::ALL,
        AlertDetermination::as_str,
        &det,
    );
}

#[test]
fn evolvable_members_occur() {
    let alerts = common::alerts();
    let services: HashSet<_> = alerts
        .iter()
        .filter_map(|a| a.alert.service_source)
        .collect();
    let sources: HashSet<_> = alerts
        .iter()
        .filter_map(|a| a.alert.detection_source)
        .collect();
    for s in [
        ServiceSource::MicrosoftSentinel,
        ServiceSource::MicrosoftDefenderForCloud,
    ] {
        assert!(s.is_evolvable() && services.contains(&s), "{s} missing");
    }
    assert!(sources.contains(&DetectionSource::ScheduledAlerts));
    let json = common::alerts_json();
    let evolvable_remediation = common::evidence(&json)
        .iter()
        .filter(|(_, e)| {
            e["remediationStatus"] == "pendingApproval" || e["remediationStatus"] == "active"
        })
        .count();
    assert!(evolvable_remediation > 0);
}

#[test]
fn at_least_four_providers_and_some_are_not_microsoft() {
    let alerts = common::alerts();
    let mut per_product: BTreeMap<String, usize> = BTreeMap::new();
    for a in &alerts {
        *per_product
            .entry(a.alert.product_name.clone().unwrap())
            .or_default() += 1;
    }
    assert!(per_product.len() >= 4, "{per_product:?}");
    for product in [
        "Suricata",
        "Wazuh",
        "Microsoft Defender for Endpoint",
        "Microsoft Defender for Office 365",
        "Microsoft Defender for Cloud Apps",
    ] {
        assert!(
            per_product.get(product).copied().unwrap_or(0) >= 20,
            "{product}: {per_product:?}"
        );
    }
    let vendors: BTreeSet<_> = alerts
        .iter()
        .filter_map(|a| a.vendor.vendor.clone())
        .collect();
    assert!(vendors.contains("OISF") && vendors.contains("Wazuh") && vendors.contains("Microsoft"));
    for a in alerts
        .iter()
        .filter(|a| a.vendor.vendor.as_deref() != Some("Microsoft"))
    {
        assert_eq!(
            a.alert.service_source,
            Some(ServiceSource::Unknown),
            "{}",
            a.alert.id
        );
        assert!(matches!(
            a.alert.detection_source,
            Some(DetectionSource::Unknown | DetectionSource::CustomDetection)
        ));
        assert!(
            uuid::Uuid::parse_str(a.alert.id.as_str()).is_ok(),
            "non-Microsoft ids are GUIDs"
        );
    }
}

#[test]
fn every_evidence_kind_occurs_with_base_properties() {
    let json = common::alerts_json();
    let evidence = common::evidence(&json);
    let kinds: BTreeSet<&str> = evidence
        .iter()
        .map(|(_, e)| e["@odata.type"].as_str().unwrap())
        .collect();
    for kind in [
        "deviceEvidence",
        "userEvidence",
        "ipEvidence",
        "urlEvidence",
        "fileEvidence",
        "processEvidence",
        "mailboxEvidence",
        "analyzedMessageEvidence",
        "cloudApplicationEvidence",
        "networkConnectionEvidence",
        "registryValueEvidence",
        "mailboxConfigurationEvidence",
        "azureResourceEvidence",
    ] {
        assert!(
            kinds.contains(format!("#microsoft.graph.security.{kind}").as_str()),
            "{kind} missing: {kinds:?}"
        );
    }
    for (_, e) in &evidence {
        for key in [
            "createdDateTime",
            "remediationStatus",
            "verdict",
            "roles",
            "detailedRoles",
        ] {
            assert!(
                e.get(key).is_some_and(|v| !v.is_null()),
                "{key} missing in {e}"
            );
        }
    }
    let not_found = evidence
        .iter()
        .filter(|(_, e)| e["remediationStatus"] == "notFound")
        .count();
    let share = not_found as f64 / evidence.len() as f64;
    assert!((0.12..=0.28).contains(&share), "notFound share {share}");
}

#[test]
fn files_carry_all_three_hashes() {
    let json = common::alerts_json();
    let files: Vec<_> = common::evidence(&json)
        .into_iter()
        .filter(|(_, e)| e["@odata.type"] == "#microsoft.graph.security.fileEvidence")
        .collect();
    assert!(!files.is_empty());
    for (_, f) in files {
        let d = &f["fileDetails"];
        for (key, len) in [("md5", 32), ("sha1", 40), ("sha256", 64)] {
            assert_eq!(d[key].as_str().map(str::len), Some(len), "{key} in {d}");
        }
    }
}

#[test]
fn mitre_techniques_are_well_formed_and_varied() {
    let alerts = common::alerts();
    let mut techniques = BTreeSet::new();
    for t in alerts.iter().flat_map(|a| &a.alert.mitre_techniques) {
        let (id, sub) = t.split_once('.').unwrap_or((t, "000"));
        assert!(
            id.len() == 5 && id.starts_with('T') && id[1..].bytes().all(|b| b.is_ascii_digit()),
            "{t}"
        );
        assert!(
            sub.len() == 3 && sub.bytes().all(|b| b.is_ascii_digit()),
            "{t}"
        );
        techniques.insert(t.clone());
    }
    for t in [
        "T1059.001",
        "T1566.001",
        "T1566.002",
        "T1071",
        "T1110",
        "T1190",
        "T1003.001",
    ] {
        assert!(techniques.contains(t), "{t} missing");
    }
    let categories: BTreeSet<_> = alerts
        .iter()
        .filter_map(|a| a.alert.category.clone())
        .collect();
    for c in [
        "Execution",
        "InitialAccess",
        "CommandAndControl",
        "CredentialAccess",
        "LateralMovement",
        "Exfiltration",
        "DefenseEvasion",
        "Discovery",
        "Persistence",
        "SuspiciousActivity",
    ] {
        assert!(categories.contains(c), "{c} missing: {categories:?}");
    }
}

#[test]
fn entities_recur_across_providers() {
    let json = common::alerts_json();
    let mut products_by_ip: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut products_by_user: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (product, e) in common::evidence(&json) {
        if let Some(ip) = e["ipAddress"].as_str() {
            products_by_ip
                .entry(ip.to_string())
                .or_default()
                .insert(product.clone());
        }
        if let Some(upn) = e["userAccount"]["userPrincipalName"].as_str() {
            products_by_user
                .entry(upn.to_string())
                .or_default()
                .insert(product);
        }
    }
    let shared_ips = products_by_ip.values().filter(|p| p.len() >= 3).count();
    let shared_users = products_by_user.values().filter(|p| p.len() >= 3).count();
    assert!(shared_ips >= 3, "{products_by_ip:?}");
    assert!(shared_users >= 3, "{products_by_user:?}");
}
