//! Incidents on the wire: Microsoft's documentation example reads (with its PascalCase enum members
//! and its comment field names), and what secgraph writes reads back unchanged.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fixture;
use model::enums::{AlertClassification, AlertDetermination, AlertSeverity};
use model::{Incident, IncidentStatus};

#[test]
fn the_docs_example_reads_with_its_casing() {
    let page = fixture("incident-list-response.json");
    let incident: Incident = serde_json::from_value(page["value"][0].clone()).unwrap();
    assert_eq!(incident.id.as_str(), "2972395");
    assert_eq!(incident.status, IncidentStatus::Active);
    assert_eq!(incident.severity, AlertSeverity::Medium);
    assert_eq!(
        incident.classification,
        Some(AlertClassification::TruePositive)
    );
    assert_eq!(
        incident.determination,
        Some(AlertDetermination::MultiStagedAttack)
    );
    assert_eq!(incident.custom_tags, ["Demo"]);
    assert_eq!(incident.system_tags, ["Defender Experts"]);
    assert_eq!(
        incident.comments[0].comment.as_deref(),
        Some("Demo incident")
    );
    assert_eq!(incident.redirect_incident_id, None);
    assert!(incident.correlation_reasons.is_empty());
}

#[test]
fn what_secgraph_writes_reads_back() {
    let page = fixture("incident-list-response.json");
    let incident: Incident = serde_json::from_value(page["value"][0].clone()).unwrap();
    let wire = incident.to_wire(true, true);
    assert_eq!(wire["status"], "active", "members are emitted in camelCase");
    assert_eq!(wire["classification"], "truePositive");
    let again: Incident = serde_json::from_value(wire).unwrap();
    assert_eq!(again, incident);
}
