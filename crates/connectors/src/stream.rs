//! [`parse_stream`]: a pushed NDJSON body (one event per line) mapped in one call, for the push
//! endpoint. Blank lines are skipped; lines that are valid but no alert (Suricata `flow`, `dns`,
//! ...) are neither alerts nor errors; every other line is an alert or a [`LineError`] with its
//! 1-based line number. One bad line never rejects the others.

use crate::error::LineError;
use crate::kind::ConnectorKind;
use model::StoredAlert;

/// Maps every line of `body` (see the module docs). `\r\n` line ends and a leading byte-order
/// mark are accepted; the last line needs no line feed.
pub fn parse_stream(kind: ConnectorKind, body: &str) -> (Vec<StoredAlert>, Vec<LineError>) {
    let mut alerts = Vec::new();
    let mut errors = Vec::new();
    let body = body.strip_prefix('\u{feff}').unwrap_or(body);
    for (i, line) in body.split('\n').enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match kind.map_line(line) {
            Ok(Some(alert)) => alerts.push(alert),
            Ok(None) => {}
            Err(error) => errors.push(LineError { line: i + 1, error }),
        }
    }
    (alerts, errors)
}
