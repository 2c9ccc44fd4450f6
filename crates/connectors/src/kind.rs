//! [`ConnectorKind`]: which product's lines a file or stream holds, so that callers (the CLI,
//! configuration, the push endpoint) choose a mapping by name.

use crate::error::ConnectorError;
use model::StoredAlert;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A built-in connector. Its wire name (configuration, URLs) is lowercase: `suricata`, `wazuh`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConnectorKind {
    /// Suricata EVE JSON ([`crate::suricata`]).
    Suricata,
    /// Wazuh `alerts.json` ([`crate::wazuh`]).
    Wazuh,
}

impl ConnectorKind {
    /// Every connector.
    pub const ALL: &'static [ConnectorKind] = &[ConnectorKind::Suricata, ConnectorKind::Wazuh];

    /// The connector's name (also hashed into its alert ids).
    pub const fn name(self) -> &'static str {
        match self {
            ConnectorKind::Suricata => crate::suricata::CONNECTOR,
            ConnectorKind::Wazuh => crate::wazuh::CONNECTOR,
        }
    }

    /// Maps one line: `Ok(None)` for a line that is valid but no alert (Suricata events other
    /// than `alert`).
    pub fn map_line(self, line: &str) -> Result<Option<StoredAlert>, ConnectorError> {
        match self {
            ConnectorKind::Suricata => crate::suricata::alert_from_eve(line),
            ConnectorKind::Wazuh => crate::wazuh::alert_from_json(line).map(Some),
        }
    }
}

impl fmt::Display for ConnectorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ConnectorKind {
    type Err = String;

    /// Parses a name case-insensitively; the error lists the known names.
    fn from_str(s: &str) -> Result<Self, String> {
        ConnectorKind::ALL
            .iter()
            .copied()
            .find(|k| k.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("'{s}' is not a connector; use one of: suricata, wazuh"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_list_the_known_ones() {
        for k in ConnectorKind::ALL {
            assert_eq!(k.name().parse::<ConnectorKind>(), Ok(*k));
            assert_eq!(
                serde_json::to_string(k).unwrap(),
                format!("\"{}\"", k.name())
            );
        }
        assert_eq!("Wazuh".parse::<ConnectorKind>(), Ok(ConnectorKind::Wazuh));
        let e = "zeek".parse::<ConnectorKind>().unwrap_err();
        assert!(e.contains("suricata, wazuh"), "{e}");
    }
}
