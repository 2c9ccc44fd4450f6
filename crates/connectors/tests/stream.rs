//! A pushed NDJSON body mapped in one call.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixture;

use connectors::{parse_stream, ConnectorError, ConnectorKind};

#[test]
fn a_mixed_eve_body_gives_its_alerts_and_numbered_errors() {
    // CRLF line ends, a blank line, a cut-off line and a line without `\n` at the end.
    let sample = fixture::lines(fixture::EVE_FILES[0]);
    let body = format!(
        "\u{feff}{}\r\n\r\n{}\r\n{{\"timestamp\":\r\n{}",
        sample[0], sample[2], sample[4]
    );
    let (alerts, errors) = parse_stream(ConnectorKind::Suricata, &body);
    assert_eq!(
        alerts.len(),
        2,
        "two alerts; the flow line is neither alert nor error"
    );
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 4);
    assert!(matches!(errors[0].error, ConnectorError::Json(_)));
    assert!(errors[0].to_string().starts_with("line 4: not JSON"));
}

#[test]
fn a_whole_fixture_file_maps_as_one_stream() {
    let (alerts, errors) = parse_stream(
        ConnectorKind::Suricata,
        &fixture::text(fixture::EVE_FILES[0]),
    );
    assert_eq!((alerts.len(), errors.len()), (4, 0));
    let (alerts, errors) =
        parse_stream(ConnectorKind::Wazuh, &fixture::text(fixture::WAZUH_WRAPPED));
    assert_eq!((alerts.len(), errors.len()), (5, 0));
    let (alerts, errors) = parse_stream(
        ConnectorKind::Wazuh,
        &fixture::text(fixture::WAZUH_TEMPLATES),
    );
    assert_eq!(alerts.len(), 0);
    let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [1, 2, 3, 4, 5]);
}

#[test]
fn every_mapped_fixture_alert_survives_the_stored_json_round_trip() {
    let mut bodies: Vec<(ConnectorKind, String)> = fixture::EVE_FILES
        .iter()
        .map(|f| (ConnectorKind::Suricata, fixture::text(f)))
        .collect();
    bodies.push((ConnectorKind::Wazuh, fixture::text(fixture::WAZUH_WRAPPED)));
    bodies.push((
        ConnectorKind::Wazuh,
        fixture::filled(&fixture::text(fixture::WAZUH_TEMPLATES)),
    ));
    let mut n = 0;
    for (kind, body) in bodies {
        for alert in parse_stream(kind, &body).0 {
            let json = serde_json::to_string(&alert).unwrap();
            let back: connectors::StoredAlert = serde_json::from_str(&json).unwrap();
            assert_eq!(back, alert, "{json}");
            n += 1;
        }
    }
    assert_eq!(n, 9 + 5 + 5);
}
