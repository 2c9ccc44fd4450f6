//! [`AlertChanges`]: what a local PATCH changed in an alert, as sent to the owning provider and as
//! remembered for the race rule ([`crate::push::race`]).
//!
//! Each member is absent when unchanged; `null` means "cleared". The alerts_v2 members come first;
//! `dismissed`, `feedback`, `tags` and `legacyComments` are what only the legacy
//! `microsoft.graph.alert` view writes.

use model::enums::{AlertClassification, AlertDetermination, AlertStatus};
use model::{AlertComment, StoredAlert};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::OffsetDateTime;

/// The changed properties of an alert (see the module docs).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertChanges {
    /// New alerts_v2 `status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<AlertStatus>,
    /// New `resolvedDateTime` (legacy `closedDateTime`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "nullable_time"
    )]
    pub resolved_date_time: Option<Option<OffsetDateTime>>,
    /// New `classification`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub classification: Option<Option<AlertClassification>>,
    /// New `determination`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub determination: Option<Option<AlertDetermination>>,
    /// New `assignedTo`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub assigned_to: Option<Option<String>>,
    /// alerts_v2 comments added (comments are never edited or removed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<AlertComment>,
    /// Legacy `status: dismissed` set or cleared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dismissed: Option<bool>,
    /// New legacy `feedback` (`microsoft.graph.alertFeedback` member).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub feedback: Option<Option<String>>,
    /// New legacy `tags` (the whole list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// New legacy `comments` (the whole list of strings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy_comments: Option<Vec<String>>,
}

impl AlertChanges {
    /// What changed from `before` to `after` (the same alert before and after a PATCH).
    pub fn between(before: &StoredAlert, after: &StoredAlert) -> AlertChanges {
        let (b, a) = (&before.alert, &after.alert);
        let (lb, la) = (&before.legacy, &after.legacy);
        fn changed<T: PartialEq + Clone>(b: &T, a: &T) -> Option<T> {
            (b != a).then(|| a.clone())
        }
        let added = a
            .comments
            .iter()
            .filter(|c| !b.comments.contains(c))
            .cloned()
            .collect();
        AlertChanges {
            status: changed(&b.status, &a.status),
            resolved_date_time: changed(&b.resolved_date_time, &a.resolved_date_time),
            classification: changed(&b.classification, &a.classification),
            determination: changed(&b.determination, &a.determination),
            assigned_to: changed(&b.assigned_to, &a.assigned_to),
            comments: added,
            dismissed: changed(&lb.dismissed, &la.dismissed),
            feedback: changed(&lb.feedback, &la.feedback),
            tags: changed(&lb.tags, &la.tags),
            legacy_comments: changed(&lb.comments, &la.comments),
        }
    }

    /// True when nothing changed (no update is sent).
    pub fn is_empty(&self) -> bool {
        *self == AlertChanges::default()
    }

    /// Folds a later PATCH's changes into these (a later value replaces an earlier one; comments
    /// accumulate), for an alert with several PATCHes not yet acknowledged.
    pub fn then(&mut self, later: &AlertChanges) {
        fn take<T: Clone>(into: &mut Option<T>, from: &Option<T>) {
            if from.is_some() {
                into.clone_from(from);
            }
        }
        take(&mut self.status, &later.status);
        take(&mut self.resolved_date_time, &later.resolved_date_time);
        take(&mut self.classification, &later.classification);
        take(&mut self.determination, &later.determination);
        take(&mut self.assigned_to, &later.assigned_to);
        self.comments.extend(later.comments.iter().cloned());
        take(&mut self.dismissed, &later.dismissed);
        take(&mut self.feedback, &later.feedback);
        take(&mut self.tags, &later.tags);
        take(&mut self.legacy_comments, &later.legacy_comments);
    }
}

/// `Option<Option<T>>` on the wire: absent (skipped) / `null` / a value.
mod nullable {
    use super::*;

    pub fn serialize<T: Serialize, S: Serializer>(
        v: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

/// [`nullable`] for a Graph date-time.
mod nullable_time {
    use super::*;
    use model::datetime;

    pub fn serialize<S: Serializer>(
        v: &Option<Option<OffsetDateTime>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        datetime::optional::serialize(&v.flatten(), s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<OffsetDateTime>>, D::Error> {
        datetime::optional::deserialize(d).map(Some)
    }
}
