//! `microsoft.graph.security.incident`: a group of alerts that belong to one attack.
//!
//! [`Incident`] serialises straight to Graph JSON, every property present (`null` or `[]` when it
//! has no value), as `/beta` shows it. Two properties are beta-only ([`BETA_ONLY`]:
//! `recommendedActions`, `recommendedHuntingQueries`); [`Incident::to_wire`] leaves them out of the
//! `/v1.0` shape, and [`schema::INCIDENT_V1`] does not know them, so `$select` and `$filter` on them
//! under `/v1.0` are 400s as in Graph.
//!
//! * `status` is an evolvable enum ([`IncidentStatus`]): `awaitingAction` is declared after
//!   `unknownFutureValue` and shown only to callers that send `Prefer: include-unknown-enum-members`.
//! * `id` is a numeric-looking string, one per-tenant sequence (`"1"`, `"2"`, …), as in Defender.
//! * [ext] `correlationReasons`: why the incident's alerts belong together ([`CorrelationReason`]),
//!   written by secgraph's correlation; documented in `docs/incidents.md`.
//! * [`IncidentPatch`]: the writable set (`PATCH /security/incidents/{id}`).

pub mod schema;

pub use crate::patch::IncidentPatch;

use crate::alert::AlertComment;
use crate::datetime;
use crate::enums::{AlertClassification, AlertDetermination, AlertSeverity};
use crate::ids::IncidentId;
use crate::wire_enum;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

wire_enum! {
    /// `microsoft.graph.security.incidentStatus` (`awaitingAction` is evolvable).
    pub enum IncidentStatus: "microsoft.graph.security.incidentStatus" {
        Active = "active", Resolved = "resolved", InProgress = "inProgress",
        Redirected = "redirected", UnknownFutureValue = "unknownFutureValue",
        AwaitingAction = "awaitingAction",
    }
}

/// The properties `/v1.0` does not have (Graph serves them under `/beta` only).
pub const BETA_ONLY: &[&str] = &["recommendedActions", "recommendedHuntingQueries"];

/// `microsoft.graph.security.incident`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Incident {
    /// The per-tenant number, as a string (`"42"`).
    pub id: IncidentId,
    /// Owner of the incident (free text), or `null`. Writable.
    #[serde(default)]
    pub assigned_to: Option<String>,
    /// Writable.
    #[serde(default)]
    pub classification: Option<AlertClassification>,
    /// Comments by the SecOps team, oldest first; appended with `POST …/comments`.
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub comments: Vec<AlertComment>,
    /// When the incident was opened.
    #[serde(with = "datetime::required")]
    pub created_date_time: OffsetDateTime,
    /// Writable; a PATCH replaces the whole list.
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub custom_tags: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Writable.
    #[serde(default)]
    pub determination: Option<AlertDetermination>,
    #[serde(default)]
    pub display_name: Option<String>,
    /// Where the incident can be read: this server's own `security/incidents/{id}` URL.
    #[serde(default)]
    pub incident_web_url: Option<String>,
    /// The identity that last changed the incident through the API.
    #[serde(default)]
    pub last_modified_by: Option<String>,
    #[serde(with = "datetime::required")]
    pub last_update_date_time: OffsetDateTime,
    /// Newer property (2025 CSDL); secgraph does not compute one (`null`).
    #[serde(default)]
    pub priority_score: Option<i32>,
    /// Beta only.
    #[serde(default)]
    pub recommended_actions: Option<String>,
    /// Beta only.
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub recommended_hunting_queries: Vec<RecommendedHuntingQuery>,
    /// The incident this one was merged into (then `status` is `redirected`).
    #[serde(default)]
    pub redirect_incident_id: Option<String>,
    #[serde(default)]
    pub resolving_comment: Option<String>,
    /// The highest severity of the incident's active alerts.
    pub severity: AlertSeverity,
    /// Writable (except `redirected`, which only merging sets).
    pub status: IncidentStatus,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub system_tags: Vec<String>,
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// [ext] secgraph: why the incident's alerts were grouped (one entry per rule and shared
    /// entity). Always present, `[]` when the incident holds one alert or was built by hand.
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub correlation_reasons: Vec<CorrelationReason>,
}

/// `microsoft.graph.security.recommendedHuntingQuery` (beta).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecommendedHuntingQuery {
    /// The query (KQL).
    #[serde(default)]
    pub kql_text: Option<String>,
}

/// [ext] One reason the incident's alerts belong together: a correlation rule linked these alerts
/// because they share this entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CorrelationReason {
    /// The rule's name (`same-device`, …), or `manual` for an analyst's link.
    pub rule: String,
    /// The shared entity.
    pub entity: CorrelatedEntity,
    /// The alerts the entity links, in id order.
    pub alert_ids: Vec<String>,
}

/// [ext] An entity alerts share: its kind (`device`, `user`, `ip`, `fileHash`, `url`, `domain`,
/// `mailbox`, `cloudResource`) and its normalised value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CorrelatedEntity {
    /// The entity kind.
    pub kind: String,
    /// The normalised value (lowercase host names, addresses, hashes, …).
    pub value: String,
}

impl Incident {
    /// A new, empty incident `id` of `tenant` opened at `now`: status `active`, severity
    /// `unknown` until alerts roll up into it.
    pub fn open(id: IncidentId, tenant: &str, now: OffsetDateTime) -> Incident {
        Incident {
            id,
            assigned_to: None,
            classification: None,
            comments: Vec::new(),
            created_date_time: now,
            custom_tags: Vec::new(),
            description: None,
            determination: None,
            display_name: None,
            incident_web_url: None,
            last_modified_by: None,
            last_update_date_time: now,
            priority_score: None,
            recommended_actions: None,
            recommended_hunting_queries: Vec::new(),
            redirect_incident_id: None,
            resolving_comment: None,
            severity: AlertSeverity::Unknown,
            status: IncidentStatus::Active,
            summary: None,
            system_tags: Vec::new(),
            tenant_id: Some(tenant.to_owned()),
            correlation_reasons: Vec::new(),
        }
    }

    /// The incident as a caller sees it: without the [`BETA_ONLY`] properties unless `beta`, and
    /// with `status` `awaitingAction` shown as `unknownFutureValue` unless
    /// `include_unknown_enum_members`.
    pub fn to_wire(&self, beta: bool, include_unknown_enum_members: bool) -> Value {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            if !beta {
                for name in BETA_ONLY {
                    m.remove(*name);
                }
            }
            m.insert(
                "status".into(),
                Value::String(
                    self.status
                        .visible_str(include_unknown_enum_members)
                        .to_owned(),
                ),
            );
        }
        v
    }

    /// True when no alert work remains: `resolved`, or merged into another incident.
    pub fn is_closed(&self) -> bool {
        matches!(
            self.status,
            IncidentStatus::Resolved | IncidentStatus::Redirected
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn sample() -> Incident {
        let now = datetime::parse("2026-11-01T00:00:00Z").unwrap();
        let mut i = Incident::open(IncidentId::from("7"), "t", now);
        i.status = IncidentStatus::AwaitingAction;
        i.recommended_actions = Some("Isolate the device.".into());
        i
    }

    #[test]
    fn v1_leaves_out_the_beta_only_properties() {
        let i = sample();
        let beta = i.to_wire(true, true);
        let v1 = i.to_wire(false, true);
        for name in BETA_ONLY {
            assert!(beta.get(*name).is_some(), "{name} missing under beta");
            assert!(v1.get(*name).is_none(), "{name} shown under v1.0");
        }
        assert_eq!(v1["correlationReasons"], serde_json::json!([]));
    }

    #[test]
    fn awaiting_action_is_evolvable() {
        let i = sample();
        assert_eq!(i.to_wire(false, false)["status"], "unknownFutureValue");
        assert_eq!(i.to_wire(false, true)["status"], "awaitingAction");
        assert!(IncidentStatus::AwaitingAction.is_evolvable());
        assert!(!IncidentStatus::Redirected.is_evolvable());
    }

    #[test]
    fn every_property_is_present_with_null_or_empty() {
        let v = serde_json::to_value(sample()).unwrap();
        let m = v.as_object().unwrap();
        for name in [
            "description",
            "priorityScore",
            "redirectIncidentId",
            "summary",
        ] {
            assert_eq!(m[name], Value::Null, "{name}");
        }
        for name in [
            "comments",
            "customTags",
            "systemTags",
            "recommendedHuntingQueries",
        ] {
            assert_eq!(m[name], serde_json::json!([]), "{name}");
        }
    }
}
