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
