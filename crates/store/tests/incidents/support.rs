//! Alerts with evidence for the incident tests, and reading an alert's incident.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use crate::common::{alert, tenant_a, TestStore};
use model::{AlertId, StoredAlert};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// An alert created `minute` minutes after 2024-05-01T00:00Z with `evidence`.
pub fn with_evidence(id: &str, minute: i64, severity: &str, evidence: Value) -> StoredAlert {
    let created = time::macros::datetime!(2024-05-01 00:00 UTC) + time::Duration::minutes(minute);
    let at = model::datetime::format(created);
    alert(
        id,
        json!({"createdDateTime": at, "lastUpdateDateTime": at, "severity": severity,
               "evidence": evidence}),
    )
}

/// Device evidence for host `name`.
pub fn device(name: &str) -> Value {
    json!({"@odata.type": "#microsoft.graph.security.deviceEvidence", "deviceDnsName": name,
           "roles": [], "tags": [], "detailedRoles": [], "verdict": "suspicious",
           "remediationStatus": "none", "createdDateTime": "2024-05-01T00:00:00Z"})
}

/// IP evidence for `ip`.
pub fn ip(ip: &str) -> Value {
    json!({"@odata.type": "#microsoft.graph.security.ipEvidence", "ipAddress": ip,
           "roles": [], "tags": [], "detailedRoles": [], "verdict": "suspicious",
           "remediationStatus": "none", "createdDateTime": "2024-05-01T00:00:00Z"})
}

pub async fn incident_of(t: &TestStore, id: &str) -> String {
    let a = t
        .store
        .tenant(&tenant_a())
        .get_alert(&AlertId(id.into()))
        .await
        .unwrap()
        .unwrap();
    a.alert.incident_id.expect("every alert has an incident")
}

/// The grouping of alerts `ids` of tenant A: the sets of them that share an incident (incident
/// ids may differ between two stores with the same grouping).
pub async fn grouping(t: &TestStore, ids: &[String]) -> BTreeSet<BTreeSet<String>> {
    let mut by_incident: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for id in ids {
        let incident = incident_of(t, id).await;
        by_incident.entry(incident).or_default().insert(id.clone());
    }
    by_incident.into_values().collect()
}

/// Asserts that every incident of the alerts `ids` of tenant A shows the roll-up of the alerts in
/// it now (count, active count, providers, categories, severity, status) — computed here from the
/// alerts themselves, so a roll-up kept by counting changes is checked against one made by
/// reading everything.
pub async fn assert_rolled_up(t: &TestStore, ids: &[String]) {
    use model::enums::{AlertSeverity, AlertStatus};
    use model::IncidentStatus;
    let tenant = t.store.tenant(&tenant_a());
    let mut members: BTreeMap<String, Vec<StoredAlert>> = BTreeMap::new();
    for id in ids {
        let a = tenant
            .get_alert(&AlertId(id.clone()))
            .await
            .unwrap()
            .unwrap();
        let incident = a
            .alert
            .incident_id
            .clone()
            .expect("every alert has an incident");
        members.entry(incident).or_default().push(a);
    }
    for (incident, alerts) in members {
        let i = tenant.incidents().get(&incident).await.unwrap().unwrap();
        let active: Vec<&StoredAlert> = alerts
            .iter()
            .filter(|a| a.alert.status != AlertStatus::Resolved)
            .collect();
        let rank = |s: AlertSeverity| AlertSeverity::ALL.iter().position(|m| *m == s).unwrap();
        let highest = |it: &mut dyn Iterator<Item = &StoredAlert>| {
            it.map(|a| a.alert.severity).max_by_key(|s| rank(*s))
        };
        let severity = highest(&mut active.iter().copied()).or_else(|| highest(&mut alerts.iter()));
        let providers: BTreeSet<&str> = alerts
            .iter()
            .filter_map(|a| a.vendor.provider.as_deref())
            .collect();
        let categories: BTreeSet<&str> = alerts
            .iter()
            .filter_map(|a| a.alert.category.as_deref())
            .collect();
        let noun = if alerts.len() == 1 { "alert" } else { "alerts" };
        let mut summary = format!("{} {noun} ({} active)", alerts.len(), active.len());
        if !providers.is_empty() {
            let list: Vec<&str> = providers.into_iter().collect();
            summary.push_str(&format!(" from {}", list.join(", ")));
        }
        if !categories.is_empty() {
            let list: Vec<&str> = categories.into_iter().collect();
            summary.push_str(&format!("; categories: {}", list.join(", ")));
        }
        summary.push('.');
        assert_eq!(
            i.summary.as_deref(),
            Some(summary.as_str()),
            "incident {incident}"
        );
        assert_eq!(Some(i.severity), severity, "incident {incident}");
        let status = if active.is_empty() {
            IncidentStatus::Resolved
        } else if alerts
            .iter()
            .any(|a| a.alert.status == AlertStatus::InProgress)
        {
            IncidentStatus::InProgress
        } else {
            IncidentStatus::Active
        };
        assert_eq!(
            i.status, status,
            "incident {incident} (no analyst set its status)"
        );
    }
}
