//! What one write job gathers for `finish_job` ([`Job`]): the engine's changes, the incidents to
//! roll up, the alerts to rewrite, and the incident rows read or made on the way.

use crate::incidents::rows::IncidentRow;
use correlate::{Change, Outcome};
use std::collections::{BTreeSet, HashMap, HashSet};
use time::OffsetDateTime;

/// What a write job gathered for `finish_job`.
#[derive(Debug, Default)]
pub(crate) struct Job {
    /// Engine changes not yet applied to incident rows, in order.
    pub(crate) changes: Vec<Change>,
    /// Incidents whose roll-up must be recomputed.
    pub(crate) touched: BTreeSet<u64>,
    /// Alerts the engine moved that must be rewritten (their `incidentId`).
    pub(crate) moved: BTreeSet<String>,
    /// Where the engine moved alerts: alert id → its new incident.
    pub(crate) moved_to: HashMap<String, u64>,
    /// Alerts moved out of an incident into another, (from, to), for the roll-up.
    pub(crate) moves: Vec<(u64, u64)>,
    /// The manual decisions or guard states changed: persist the pins.
    pub(crate) pins_changed: bool,
    /// Incident rows read or made during the job (written once, at its end), by number.
    pub(crate) rows: HashMap<i64, IncidentRow>,
    /// The rows of `rows` that changed.
    pub(crate) dirty: BTreeSet<i64>,
    /// The rows of `rows` made during the job (the database has no such incident yet).
    pub(crate) fresh: BTreeSet<i64>,
    /// The earliest alert the job settled into each incident: (title, createdDateTime), which
    /// names a new incident.
    pub(crate) firsts: HashMap<u64, (Option<String>, OffsetDateTime)>,
    /// Incidents the engine opened during the job: every alert of one was written by the job, so
    /// neither its row nor its tally is read.
    pub(crate) opened: BTreeSet<u64>,
    /// Alerts `prepare_batch` correlated: `settle` only reads where they went.
    pub(crate) batched: HashSet<String>,
}

impl Job {
    /// Records an engine outcome produced while settling `settling` (whose own row is being
    /// written, so it is not rewritten).
    pub(crate) fn record(&mut self, outcome: Outcome, settling: Option<&str>) {
        self.record_with(outcome, |id| settling == Some(id));
    }

    /// [`record`](Self::record) where `settling` tells which alerts are being written by this job
    /// (a batch's).
    pub(crate) fn record_with(&mut self, outcome: Outcome, settling: impl Fn(&str) -> bool) {
        for change in &outcome.changes {
            match change {
                Change::Opened { incident } => {
                    self.touched.insert(incident.0);
                    self.opened.insert(incident.0);
                }
                Change::Reopened { incident } => {
                    self.touched.insert(incident.0);
                }
                Change::Assigned { alert_id, incident } => {
                    self.touched.insert(incident.0);
                    if !settling(alert_id.as_str()) {
                        self.moved.insert(alert_id.clone());
                        self.moved_to.insert(alert_id.clone(), incident.0);
                    }
                }
                Change::Redirected { from, into } => {
                    self.touched.insert(from.0);
                    self.touched.insert(into.0);
                }
                Change::Reasons { incident, .. } => {
                    self.touched.insert(incident.0);
                }
            }
        }
        self.changes.extend(outcome.changes);
    }

    /// Remembers alert `title`, created at `created`, as settled into incident `key` (the
    /// earliest one names a new incident).
    pub(super) fn note_first(&mut self, key: u64, title: Option<&str>, created: OffsetDateTime) {
        let earlier = self.firsts.get(&key).is_none_or(|(_, t)| created < *t);
        if earlier {
            self.firsts.insert(key, (title.map(str::to_owned), created));
        }
    }
}
