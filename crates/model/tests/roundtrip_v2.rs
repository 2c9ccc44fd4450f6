//! alerts_v2 alerts from Microsoft's docs and real captures survive deserialise → serialise with
//! every property, evidence included.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{assert_keeps, demisto_alerts, fixture};
use model::{Alert, AlertEvidence};
use serde_json::Value;
use std::path::PathBuf;

fn round_trip(input: &Value, name: &str) -> Alert {
    let alert: Alert =
        serde_json::from_value(input.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let output = serde_json::to_value(&alert).unwrap();
    assert_keeps(input, &output, name);
    let again: Alert = serde_json::from_value(output).unwrap();
    assert_eq!(again, alert, "{name}: second round trip");
    alert
}

#[test]
fn docs_list_response_keeps_every_property() {
    let page = fixture("alert-v2-list-response.json");
    for (n, a) in page["value"].as_array().unwrap().iter().enumerate() {
        let alert = round_trip(a, &format!("docs[{n}]"));
        let types: Vec<&str> = alert
            .evidence
            .iter()
            .map(AlertEvidence::type_name)
            .collect();
        assert_eq!(
            types,
            [
                "deviceEvidence",
                "fileEvidence",
                "processEvidence",
                "registryKeyEvidence"
            ]
        );
        assert!(alert
            .evidence
            .iter()
            .all(|e| !matches!(e, AlertEvidence::Other { .. })));
    }
}

#[test]
fn demisto_alerts_keep_every_property() {
    let (_, v2) = demisto_alerts();
    assert_eq!(v2.len(), 2);
    for (n, a) in v2.iter().enumerate() {
        let alert = round_trip(a, &format!("demisto[{n}]"));
        assert!(alert
            .evidence
            .iter()
            .all(|e| !matches!(e, AlertEvidence::Other { .. })));
    }
}

/// Elastic-licensed capture: read from the shared sample set when it is beside the repository.
#[test]
fn elastic_capture_keeps_every_property_when_present() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(
        "../../../shared/data/graph/alert-v2-mde-evidence-4-types_elastic-m365-defender.ndjson",
    );
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} not present", path.display());
        return;
    };
    for (n, line) in text.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        let v: Value = serde_json::from_str(line).unwrap();
        round_trip(&v, &format!("elastic[{n}]"));
    }
}
