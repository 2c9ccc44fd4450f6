//! Property tables of `microsoft.graph.security.incident`: every property may be `$select`ed;
//! only Graph's documented filterable set — `assignedTo`, `classification`, `createdDateTime`,
//! `determination`, `lastUpdateDateTime`, `severity`, `status` — and `id` may be filtered and sorted
//! on (each has a column in the store). A filter on anything else is a 400 naming the property.
//!
//! [`INCIDENT`] is the `/beta` shape; [`INCIDENT_V1`] lacks the beta-only properties.

use super::IncidentStatus;
use crate::enums::{AlertClassification, AlertDetermination, AlertSeverity};
use crate::schema::ALERT_COMMENT;
use odata::schema::{ComplexType, EntitySchema, PropType, Property};

/// A property clients may `$select` but not filter or sort on.
const fn shown(name: &'static str, ty: PropType) -> Property {
    Property {
        name,
        ty,
        filterable: false,
        sortable: false,
    }
}

/// `microsoft.graph.security.recommendedHuntingQuery` (beta).
pub static RECOMMENDED_HUNTING_QUERY: ComplexType = ComplexType {
    name: "microsoft.graph.security.recommendedHuntingQuery",
    properties: &[shown("kqlText", PropType::String)],
    derived: &[],
};

/// [ext] The shared entity of a correlation reason.
pub static CORRELATED_ENTITY: ComplexType = ComplexType {
    name: "secgraph.correlatedEntity",
    properties: &[
        shown("kind", PropType::String),
        shown("value", PropType::String),
    ],
    derived: &[],
};

/// [ext] `correlationReasons` items.
pub static CORRELATION_REASON: ComplexType = ComplexType {
    name: "secgraph.correlationReason",
    properties: &[
        shown("rule", PropType::String),
        shown("entity", PropType::Complex(&CORRELATED_ENTITY)),
        shown("alertIds", PropType::Collection(&PropType::String)),
    ],
    derived: &[],
};

/// The properties both versions have, filterable ones first.
macro_rules! common_properties {
    ($($extra:expr),* $(,)?) => {
        &[
            Property::new("id", PropType::String),
            Property::new("assignedTo", PropType::String),
            Property::new("classification", PropType::Enum(&AlertClassification::ODATA)),
            Property::new("createdDateTime", PropType::DateTimeOffset),
            Property::new("determination", PropType::Enum(&AlertDetermination::ODATA)),
            Property::new("lastUpdateDateTime", PropType::DateTimeOffset),
            Property::new("severity", PropType::Enum(&AlertSeverity::ODATA)),
            Property::new("status", PropType::Enum(&IncidentStatus::ODATA)),
            shown("comments", PropType::Collection(&PropType::Complex(&ALERT_COMMENT))),
            shown("customTags", PropType::Collection(&PropType::String)),
            shown("description", PropType::String),
            shown("displayName", PropType::String),
            shown("incidentWebUrl", PropType::String),
            shown("lastModifiedBy", PropType::String),
            shown("priorityScore", PropType::Int32),
            shown("redirectIncidentId", PropType::String),
            shown("resolvingComment", PropType::String),
            shown("summary", PropType::String),
            shown("systemTags", PropType::Collection(&PropType::String)),
            shown("tenantId", PropType::String),
            shown(
                "correlationReasons",
                PropType::Collection(&PropType::Complex(&CORRELATION_REASON)),
            ),
            $($extra,)*
        ]
    };
}

/// `microsoft.graph.security.incident` under `/beta`: every property of [`super::Incident`].
pub static INCIDENT: EntitySchema = EntitySchema {
    name: "microsoft.graph.security.incident",
    properties: common_properties![
        shown("recommendedActions", PropType::String),
        shown(
            "recommendedHuntingQueries",
            PropType::Collection(&PropType::Complex(&RECOMMENDED_HUNTING_QUERY)),
        ),
    ],
};

/// `microsoft.graph.security.incident` under `/v1.0`: [`INCIDENT`] without the beta-only
/// properties ([`super::BETA_ONLY`]).
pub static INCIDENT_V1: EntitySchema = EntitySchema {
    name: "microsoft.graph.security.incident",
    properties: common_properties![],
};

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::incident::{Incident, BETA_ONLY};

    #[test]
    fn the_tables_name_exactly_what_the_struct_serialises() {
        let now = crate::datetime::parse("2026-11-01T00:00:00Z").unwrap();
        let i = Incident::open("1".into(), "t", now);
        for (schema, beta) in [(&INCIDENT, true), (&INCIDENT_V1, false)] {
            let v = i.to_wire(beta, true);
            let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
            let mut names: Vec<&str> = schema.properties.iter().map(|p| p.name).collect();
            keys.sort_unstable();
            names.sort_unstable();
            assert_eq!(keys, names, "beta: {beta}");
        }
        for name in BETA_ONLY {
            assert!(INCIDENT_V1.properties.iter().all(|p| p.name != *name));
        }
    }

    #[test]
    fn only_graphs_filterable_set_filters() {
        let filterable: Vec<&str> = INCIDENT
            .properties
            .iter()
            .filter(|p| p.filterable)
            .map(|p| p.name)
            .collect();
        assert_eq!(
            filterable,
            [
                "id",
                "assignedTo",
                "classification",
                "createdDateTime",
                "determination",
                "lastUpdateDateTime",
                "severity",
                "status"
            ]
        );
    }
}
