//! [`AlertPatch`]: the writable set of an alerts_v2 alert.

use super::{canonical, forget_kept, history, is_annotation, member, member_or_null, not_writable};
use super::{object, string_or_null, PatchError};
use crate::enums::{AlertClassification, AlertDetermination, AlertStatus};
use crate::StoredAlert;
use serde_json::Value;
use time::OffsetDateTime;

const WRITABLE: &[&str] = &["status", "classification", "determination", "assignedTo"];

/// Determination names from Microsoft's update pages, accepted as aliases of the metadata's.
pub(super) const DETERMINATION_ALIASES: &[(&str, AlertDetermination)] = &[
    ("compromisedUser", AlertDetermination::CompromisedAccount),
    ("clean", AlertDetermination::NotMalicious),
    (
        "insufficientData",
        AlertDetermination::NotEnoughDataToValidate,
    ),
    (
        "confirmedUserActivity",
        AlertDetermination::ConfirmedActivity,
    ),
];

/// `PATCH /security/alerts_v2/{id}`: each field is `None` when the body did not mention it; the
/// inner `None` of the nullable ones means "set to null".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AlertPatch {
    /// `status` (not nullable).
    pub status: Option<AlertStatus>,
    /// `classification`.
    pub classification: Option<Option<AlertClassification>>,
    /// `determination` (also accepts the docs' aliases `compromisedUser`, `clean`,
    /// `insufficientData`, `confirmedUserActivity`).
    pub determination: Option<Option<AlertDetermination>>,
    /// `assignedTo`; `Some(None)` clears it.
    pub assigned_to: Option<Option<String>>,
}

impl AlertPatch {
    /// Parses a PATCH body.
    pub fn from_json(v: &Value) -> Result<AlertPatch, PatchError> {
        let mut patch = AlertPatch::default();
        for (key, value) in object(v)? {
            if is_annotation(key) {
                continue;
            }
            match canonical(key, WRITABLE) {
                Some("status") if value.is_null() => {
                    return Err(PatchError::at(
                        "status",
                        "Property 'status' cannot be null.",
                    ));
                }
                Some("status") => patch.status = Some(member("status", value, &[])?),
                Some("classification") => {
                    patch.classification = Some(member_or_null("classification", value, &[])?)
                }
                Some("determination") => {
                    let d = member_or_null("determination", value, DETERMINATION_ALIASES)?;
                    patch.determination = Some(d);
                }
                Some(_) => patch.assigned_to = Some(string_or_null("assignedTo", value)?),
                None => {
                    return Err(not_writable(
                        key,
                        "microsoft.graph.security.alert",
                        WRITABLE,
                    ));
                }
            }
        }
        Ok(patch)
    }

    /// Applies the patch: sets the fields, stamps `lastUpdateDateTime`, sets `resolvedDateTime`
    /// when the status becomes `resolved` (clears it when the alert is reopened), clears the legacy
    /// `dismissed` flag when the status changes, and appends a legacy `historyStates` entry by
    /// `actor`. A new classification also drops the legacy feedback, so the legacy view's
    /// `feedback` follows the classification.
    pub fn apply(&self, s: &mut StoredAlert, now: OffsetDateTime, actor: &str) {
        let a = &mut s.alert;
        if let Some(status) = self.status {
            if status != a.status {
                s.legacy.dismissed = false;
                a.resolved_date_time = (status == AlertStatus::Resolved).then_some(now);
            }
            a.status = status;
        }
        if let Some(c) = self.classification {
            a.classification = c;
        }
        if let Some(d) = self.determination {
            a.determination = d;
        }
        if let Some(to) = &self.assigned_to {
            a.assigned_to = to.clone();
        }
        a.last_update_date_time = now;
        if self.classification.is_some() {
            s.legacy.feedback = None;
        }
        forget_kept(
            s,
            &[
                "status",
                "assignedTo",
                "closedDateTime",
                "feedback",
                "lastModifiedDateTime",
            ],
        );
        history::record(s, now, Some(actor));
    }
}
