//! The legacy audit log: every patch appends an `alertHistoryState` to the legacy view's
//! `historyStates` (kept in [`LegacyState::extra`](crate::LegacyState), which the legacy view
//! shows as it is). The log keeps the newest [`MAX_ENTRIES`] entries.

use crate::legacy::records::AlertHistoryState;
use crate::legacy::view;
use crate::StoredAlert;
use serde_json::Value;
use time::OffsetDateTime;

/// How many history entries an alert keeps.
pub const MAX_ENTRIES: usize = 100;

/// Appends the alert's state after a change at `now` by `user`.
pub fn record(s: &mut StoredAlert, now: OffsetDateTime, user: Option<&str>) {
    let entry = AlertHistoryState {
        assigned_to: s.alert.assigned_to.clone(),
        comments: s.legacy.comments.clone(),
        feedback: view::feedback(&s.legacy, s.alert.classification),
        status: Some(view::status(s.alert.status, s.legacy.dismissed).into()),
        updated_date_time: Some(now),
        user: user.map(str::to_string),
        ..AlertHistoryState::default()
    };
    let Ok(entry) = serde_json::to_value(entry) else {
        return;
    };
    let log = s
        .legacy
        .extra
        .entry("historyStates")
        .or_insert_with(|| Value::Array(Vec::new()));
    if !log.is_array() {
        *log = Value::Array(Vec::new());
    }
    if let Value::Array(items) = log {
        items.push(entry);
        let excess = items.len().saturating_sub(MAX_ENTRIES);
        items.drain(..excess);
    }
}
