//! [`LegacyAlertPatch`]: `PATCH /security/alerts/{id}` and the items of `updateAlerts`.
//!
//! The change is made on the stored alert, so it shows through alerts_v2 too:
//!
//! | legacy | stored alert |
//! |---|---|
//! | `status` `newAlert`, `inProgress`, `resolved`, `unknown` | `status` `new`, `inProgress`, `resolved`, `unknown` |
//! | `status` `dismissed` | `status` `resolved` + [`LegacyState::dismissed`](crate::LegacyState) |
//! | `closedDateTime` | `resolvedDateTime` (when absent, becoming resolved stamps now and reopening clears it) |
//! | `assignedTo` | `assignedTo` |
//! | `feedback` `truePositive`, `falsePositive`, `benignPositive`, `unknown` | [`LegacyState::feedback`](crate::LegacyState) and `classification` `truePositive`, `falsePositive`, `informationalExpectedActivity`, `unknown` |
//! | `comments`, `tags` | [`LegacyState::comments`](crate::LegacyState), [`LegacyState::tags`](crate::LegacyState) (replaced) |

use super::{canonical, forget_kept, history, is_annotation, member, member_or_null, not_writable};
use super::{object, string_or_null, strings, PatchError};
use crate::datetime;
use crate::enums::{AlertClassification, AlertStatus};
use crate::legacy::enums::{AlertFeedback, LegacyAlertStatus};
use crate::{StoredAlert, VendorInformation};
use serde_json::{Map, Value};
use time::OffsetDateTime;

const WRITABLE: &[&str] = &[
    "assignedTo",
    "closedDateTime",
    "comments",
    "feedback",
    "status",
    "tags",
    "vendorInformation",
];
const ALLOWED: &[&str] = &[
    "assignedTo",
    "closedDateTime",
    "comments",
    "feedback",
    "status",
    "tags",
    "vendorInformation",
    "id",
];

/// A legacy alert update. `vendorInformation` is required; each other field is `None` when the
/// body did not mention it (the inner `None` of nullable fields means "set to null").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LegacyAlertPatch {
    /// `id` (only in `updateAlerts` items).
    pub id: Option<String>,
    /// `vendorInformation/provider`.
    pub provider: String,
    /// `vendorInformation/vendor`.
    pub vendor: String,
    /// `assignedTo`.
    pub assigned_to: Option<Option<String>>,
    /// `closedDateTime`.
    pub closed_date_time: Option<Option<OffsetDateTime>>,
    /// `comments` (replaces the list).
    pub comments: Option<Vec<String>>,
    /// `feedback`.
    pub feedback: Option<Option<AlertFeedback>>,
    /// `status` (not nullable; `dismissed` and `newAlert` included).
    pub status: Option<LegacyAlertStatus>,
    /// `tags` (replaces the list).
    pub tags: Option<Vec<String>>,
}

impl LegacyAlertPatch {
    /// Parses a PATCH body or one `updateAlerts` item.
    pub fn from_json(v: &Value) -> Result<LegacyAlertPatch, PatchError> {
        let mut patch = LegacyAlertPatch::default();
        let mut vendor = None;
        for (key, value) in object(v)? {
            if is_annotation(key) {
                continue;
            }
            let Some(name) = canonical(key, ALLOWED) else {
                return Err(not_writable(key, "microsoft.graph.alert", WRITABLE));
            };
            match name {
                "id" => patch.id = string_or_null("id", value)?,
                "vendorInformation" => vendor = Some(vendor_information(value)?),
                _ => patch.set(name, value)?,
            }
        }
        let (provider, vendor) = vendor.ok_or_else(|| {
            PatchError::at(
                "vendorInformation",
                "Property 'vendorInformation' with 'provider' and 'vendor' is required to update an alert.",
            )
        })?;
        patch.provider = provider;
        patch.vendor = vendor;
        Ok(patch)
    }

    fn set(&mut self, name: &str, value: &Value) -> Result<(), PatchError> {
        match name {
            "assignedTo" => self.assigned_to = Some(string_or_null(name, value)?),
            "closedDateTime" => {
                let s = string_or_null(name, value)?;
                let t = s.as_deref().map(datetime::parse).transpose();
                self.closed_date_time = Some(t.map_err(|e| PatchError::at(name, e))?);
            }
            "comments" => self.comments = Some(strings(name, value)?),
            "feedback" => self.feedback = Some(member_or_null(name, value, &[])?),
            "status" if value.is_null() => {
                return Err(PatchError::at(name, "Property 'status' cannot be null."));
            }
            "status" => self.status = Some(member(name, value, &[])?),
            _ => self.tags = Some(strings(name, value)?),
        }
        Ok(())
    }

    /// Checks that the patch names the alert's provider and vendor (case-insensitively); a stored
    /// alert without a provider or vendor accepts any.
    pub fn check_vendor(&self, s: &StoredAlert) -> Result<(), PatchError> {
        let VendorInformation {
            provider, vendor, ..
        } = &s.vendor;
        let same = |stored: &Option<String>, given: &str| {
            stored
                .as_deref()
                .is_none_or(|v| v.trim().eq_ignore_ascii_case(given.trim()))
        };
        if same(provider, &self.provider) && same(vendor, &self.vendor) {
            return Ok(());
        }
        Err(PatchError::at(
            "vendorInformation",
            format!(
                "vendorInformation (provider '{}', vendor '{}') does not match the alert's (provider '{}', vendor '{}').",
                self.provider,
                self.vendor,
                provider.as_deref().unwrap_or(""),
                vendor.as_deref().unwrap_or("")
            ),
        ))
    }

    /// Checks the vendor, then applies the patch (see the module docs), stamps
    /// `lastUpdateDateTime` and appends a `historyStates` entry. Nothing changes on error.
    pub fn apply(&self, s: &mut StoredAlert, now: OffsetDateTime) -> Result<(), PatchError> {
        self.check_vendor(s)?;
        if let Some(status) = self.status {
            self.apply_status(s, status, now);
        }
        if let Some(closed) = self.closed_date_time {
            s.alert.resolved_date_time = closed;
        }
        if let Some(to) = &self.assigned_to {
            s.alert.assigned_to = to.clone();
        }
        if let Some(f) = self.feedback {
            s.legacy.feedback = f.map(|f| f.as_str().to_string());
            if let Some(c) = f.and_then(classification) {
                s.alert.classification = Some(c);
            }
        }
        if let Some(c) = &self.comments {
            s.legacy.comments = c.clone();
        }
        if let Some(t) = &self.tags {
            s.legacy.tags = t.clone();
        }
        s.alert.last_update_date_time = now;
        let written = [
            "assignedTo",
            "closedDateTime",
            "comments",
            "feedback",
            "status",
            "tags",
        ];
        forget_kept(s, &written);
        forget_kept(s, &["lastModifiedDateTime"]);
        history::record(s, now, None);
        Ok(())
    }

    fn apply_status(&self, s: &mut StoredAlert, status: LegacyAlertStatus, now: OffsetDateTime) {
        let (v2, dismissed) = match status {
            LegacyAlertStatus::NewAlert => (AlertStatus::New, false),
            LegacyAlertStatus::InProgress => (AlertStatus::InProgress, false),
            LegacyAlertStatus::Resolved => (AlertStatus::Resolved, false),
            LegacyAlertStatus::Dismissed => (AlertStatus::Resolved, true),
            LegacyAlertStatus::Unknown | LegacyAlertStatus::UnknownFutureValue => {
                (AlertStatus::Unknown, false)
            }
        };
        let a = &mut s.alert;
        if v2 != AlertStatus::Resolved {
            a.resolved_date_time = None;
        } else if a.status != AlertStatus::Resolved || a.resolved_date_time.is_none() {
            a.resolved_date_time = Some(now);
        }
        a.status = v2;
        s.legacy.dismissed = dismissed;
    }
}

/// The classification a legacy feedback stands for (see the module docs).
fn classification(f: AlertFeedback) -> Option<AlertClassification> {
    match f {
        AlertFeedback::TruePositive => Some(AlertClassification::TruePositive),
        AlertFeedback::FalsePositive => Some(AlertClassification::FalsePositive),
        AlertFeedback::BenignPositive => Some(AlertClassification::InformationalExpectedActivity),
        AlertFeedback::Unknown => Some(AlertClassification::Unknown),
        AlertFeedback::UnknownFutureValue => None,
    }
}

/// `{provider, vendor}`, both required strings; other members are ignored.
pub(super) fn vendor_information(v: &Value) -> Result<(String, String), PatchError> {
    let key = "vendorInformation";
    let obj: &Map<String, Value> = v.as_object().ok_or_else(|| {
        PatchError::at(
            key,
            "Property 'vendorInformation' must be an object with 'provider' and 'vendor'.",
        )
    })?;
    let field = |name: &str| {
        let found = obj
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v);
        match found.and_then(Value::as_str) {
            Some(s) if !s.trim().is_empty() => Ok(s.to_string()),
            _ => Err(PatchError::at(
                key,
                format!("Property 'vendorInformation/{name}' is required and must be a non-empty string."),
            )),
        }
    };
    Ok((field("provider")?, field("vendor")?))
}
