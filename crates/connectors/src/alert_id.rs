//! Deterministic alert ids: UUID v5 over the connector's name and the fields that identify the
//! event, so that reading the same line twice (after a crash, or from a rotated copy) names the
//! same alert and the store upserts it instead of adding a duplicate.

use model::AlertId;
use uuid::Uuid;

/// Namespace of connector alert ids (a fixed random UUID; changing it would re-key every alert).
const NAMESPACE: Uuid = uuid::uuid!("f8e6bf1e-8c89-4edc-91f6-e9f4e3dc97f9");

/// The id of the alert `connector` makes from an event identified by `parts`.
///
/// The name hashed is the connector and the parts joined by line feeds, which no part contains
/// (they are single-line identifiers and time stamps), so distinct part lists never collide by
/// concatenation.
pub(crate) fn alert_id(connector: &str, parts: &[&str]) -> AlertId {
    let mut name = String::from(connector);
    for part in parts {
        name.push('\n');
        name.push_str(part);
    }
    AlertId(Uuid::new_v5(&NAMESPACE, name.as_bytes()).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_parts_same_id_and_boundaries_matter() {
        let a = alert_id("suricata", &["1", "23"]);
        assert_eq!(a, alert_id("suricata", &["1", "23"]));
        assert_ne!(a, alert_id("suricata", &["12", "3"]));
        assert_ne!(a, alert_id("wazuh", &["1", "23"]));
        assert_eq!(Uuid::parse_str(a.as_str()).unwrap().get_version_num(), 5);
    }
}
