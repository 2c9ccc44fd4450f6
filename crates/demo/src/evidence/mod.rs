//! Alert evidence as Graph JSON (`microsoft.graph.security.alertEvidence` and its subtypes).
//!
//! Items are built as JSON rather than through the model's Rust types, so the generator only
//! depends on Graph's property names (`spec/csdl-security-v1.0.xml`). Every item carries the base
//! properties: `@odata.type`, `createdDateTime`, `verdict`, `remediationStatus`,
//! `remediationStatusDetails`, `roles`, `detailedRoles` and `tags`.

pub(crate) mod cloud;
pub(crate) mod host;
pub(crate) mod identity;
pub(crate) mod mail;
pub(crate) mod network;

use crate::scene::Scene;
use model::enums::{EvidenceRemediationStatus as Rs, EvidenceRole, EvidenceVerdict};
use serde_json::{json, Map, Value};

/// The part an entity plays in an alert.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Part {
    pub roles: &'static [EvidenceRole],
    pub detailed: &'static [&'static str],
    pub verdict: EvidenceVerdict,
}

impl Part {
    /// A part with the given roles, free-text roles and verdict.
    pub(crate) const fn new(
        roles: &'static [EvidenceRole],
        detailed: &'static [&'static str],
        verdict: EvidenceVerdict,
    ) -> Self {
        Part {
            roles,
            detailed,
            verdict,
        }
    }
}

/// Remediation outcomes of malicious entities; `notFound` (gone before response) is ~20 %.
const MALICIOUS_OUTCOMES: &[(Rs, u32)] = &[
    (Rs::NotFound, 20),
    (Rs::Remediated, 22),
    (Rs::Prevented, 12),
    (Rs::Blocked, 12),
    (Rs::None, 14),
    (Rs::Active, 8),
    (Rs::PendingApproval, 5),
    (Rs::Unremediated, 3),
    (Rs::Running, 2),
    (Rs::PartiallyRemediated, 1),
    (Rs::Declined, 1),
];

/// Remediation outcomes of other entities.
const OTHER_OUTCOMES: &[(Rs, u32)] = &[(Rs::NotFound, 20), (Rs::None, 80)];

/// Wraps `props` (a JSON object of the subtype's own properties) into an evidence item of
/// subtype `kind` (`"deviceEvidence"`), adding the base properties.
pub(crate) fn item(scene: &mut Scene<'_>, kind: &str, part: Part, props: Value) -> Value {
    let outcomes = if part.verdict == EvidenceVerdict::Malicious {
        MALICIOUS_OUTCOMES
    } else {
        OTHER_OUTCOMES
    };
    let remediation = scene.dice.weighted(outcomes);
    let roles: Vec<&str> = part.roles.iter().map(|r| r.as_str()).collect();
    let mut map = Map::with_capacity(24);
    map.insert(
        "@odata.type".into(),
        Value::String(format!("#microsoft.graph.security.{kind}")),
    );
    map.insert("createdDateTime".into(), json!(scene.created));
    map.insert("verdict".into(), json!(part.verdict.as_str()));
    map.insert("remediationStatus".into(), json!(remediation.as_str()));
    map.insert("remediationStatusDetails".into(), Value::Null);
    map.insert("roles".into(), json!(roles));
    map.insert("detailedRoles".into(), json!(part.detailed));
    map.insert("tags".into(), json!([]));
    if let Value::Object(own) = props {
        map.extend(own);
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn item_has_every_base_property() {
        let mut scene = Scene::new(1, 1, datetime!(2025-01-01 0:00 UTC), "t");
        let v = item(
            &mut scene,
            "urlEvidence",
            Part::new(&[], &[], EvidenceVerdict::Unknown),
            json!({"url": "https://x"}),
        );
        for key in [
            "@odata.type",
            "createdDateTime",
            "verdict",
            "remediationStatus",
            "remediationStatusDetails",
            "roles",
            "detailedRoles",
            "tags",
            "url",
        ] {
            assert!(v.get(key).is_some(), "{key} missing in {v}");
        }
        assert_eq!(v["@odata.type"], "#microsoft.graph.security.urlEvidence");
    }
}
