//! [`IncidentPatch`]: the writable set of an incident (`PATCH /security/incidents/{id}`).

use super::{canonical, is_annotation, member, member_or_null, not_writable};
use super::{object, string_or_null, strings, PatchError};
use crate::enums::{AlertClassification, AlertDetermination};
use crate::incident::{Incident, IncidentStatus};
use serde_json::Value;
use time::OffsetDateTime;

const WRITABLE: &[&str] = &[
    "assignedTo",
    "classification",
    "customTags",
    "determination",
    "status",
];

/// `PATCH /security/incidents/{id}`: each field is `None` when the body did not mention it; the
/// inner `None` of the nullable ones means "set to null".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IncidentPatch {
    /// `status` (not nullable; never `redirected`, which only merging sets).
    pub status: Option<IncidentStatus>,
    /// `classification`.
    pub classification: Option<Option<AlertClassification>>,
    /// `determination` (also the docs' aliases, as for alerts).
    pub determination: Option<Option<AlertDetermination>>,
    /// `assignedTo`; `Some(None)` clears it.
    pub assigned_to: Option<Option<String>>,
    /// `customTags`: replaces the whole list (`null` empties it).
    pub custom_tags: Option<Vec<String>>,
}

impl IncidentPatch {
    /// Parses a PATCH body. `include_unknown_enum_members` is the caller's
    /// `Prefer: include-unknown-enum-members`: without it the evolvable status `awaitingAction` is
    /// refused, as Graph refuses it.
    pub fn from_json(v: &Value, include_unknown_enum_members: bool) -> Result<Self, PatchError> {
        let mut patch = IncidentPatch::default();
        for (key, value) in object(v)? {
            if is_annotation(key) {
                continue;
            }
            match canonical(key, WRITABLE) {
                Some("status") => {
                    patch.status = Some(status(value, include_unknown_enum_members)?);
                }
                Some("classification") => {
                    patch.classification = Some(member_or_null("classification", value, &[])?)
                }
                Some("determination") => {
                    let aliases = super::alert::DETERMINATION_ALIASES;
                    patch.determination = Some(member_or_null("determination", value, aliases)?);
                }
                Some("customTags") => patch.custom_tags = Some(strings("customTags", value)?),
                Some(_) => patch.assigned_to = Some(string_or_null("assignedTo", value)?),
                None => {
                    return Err(not_writable(
                        key,
                        "microsoft.graph.security.incident",
                        WRITABLE,
                    ))
                }
            }
        }
        Ok(patch)
    }

    /// Applies the patch to `incident`, stamping `lastUpdateDateTime` and `lastModifiedBy`.
    pub fn apply(&self, incident: &mut Incident, now: OffsetDateTime, actor: &str) {
        if let Some(s) = self.status {
            incident.status = s;
        }
        if let Some(c) = self.classification {
            incident.classification = c;
        }
        if let Some(d) = self.determination {
            incident.determination = d;
        }
        if let Some(a) = &self.assigned_to {
            incident.assigned_to = a.clone();
        }
        if let Some(tags) = &self.custom_tags {
            incident.custom_tags = tags.clone();
        }
        incident.last_update_date_time = now;
        incident.last_modified_by = Some(actor.to_owned());
    }
}

fn status(value: &Value, include_unknown: bool) -> Result<IncidentStatus, PatchError> {
    if value.is_null() {
        return Err(PatchError::at(
            "status",
            "Property 'status' cannot be null.",
        ));
    }
    let s: IncidentStatus = member("status", value, &[])?;
    match s {
        IncidentStatus::Redirected => Err(PatchError::at(
            "status",
            "Status 'redirected' is set when an incident is merged into another; merge it with \
             POST /security/incidents/{id}/secgraph.mergeInto instead.",
        )),
        s if s.is_evolvable() && !include_unknown => Err(PatchError::at(
            "status",
            format!(
                "'{}' is an evolvable member of microsoft.graph.security.incidentStatus: send \
                 'Prefer: include-unknown-enum-members' to use it.",
                s.as_str()
            ),
        )),
        s => Ok(s),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_docs_example_with_its_casing() {
        let body = json!({"classification": "TruePositive", "determination": "MultiStagedAttack",
                          "customTags": ["Demo"]});
        let p = IncidentPatch::from_json(&body, false).unwrap();
        assert_eq!(
            p.classification,
            Some(Some(AlertClassification::TruePositive))
        );
        assert_eq!(
            p.determination,
            Some(Some(AlertDetermination::MultiStagedAttack))
        );
        assert_eq!(p.custom_tags, Some(vec!["Demo".to_owned()]));
        assert_eq!(p.status, None);
    }

    #[test]
    fn refuses_what_is_not_writable_and_names_it() {
        let e = IncidentPatch::from_json(&json!({"severity": "high"}), false).unwrap_err();
        assert_eq!(e.property.as_deref(), Some("severity"));
        assert!(
            e.message.contains("assignedTo, classification, customTags"),
            "{e}"
        );
        let e = IncidentPatch::from_json(&json!({"status": "redirected"}), true).unwrap_err();
        assert!(e.message.contains("mergeInto"), "{e}");
        let e = IncidentPatch::from_json(&json!({"status": "awaitingAction"}), false).unwrap_err();
        assert!(e.message.contains("include-unknown-enum-members"), "{e}");
        let p = IncidentPatch::from_json(&json!({"status": "awaitingAction"}), true).unwrap();
        assert_eq!(p.status, Some(IncidentStatus::AwaitingAction));
        let e = IncidentPatch::from_json(&json!({"status": null}), true).unwrap_err();
        assert_eq!(e.property.as_deref(), Some("status"));
    }
}
