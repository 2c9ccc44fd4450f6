//! The journal of one engine call: the state of every alert and incident it touches, recorded
//! before the first change, so that the [`Outcome`] is the difference between before and after —
//! whatever path (a step, a replay, a manual action) got there.

use crate::alerts::NONE;
use crate::change::{Change, IncidentKey, Outcome};
use crate::engine::Engine;
use std::collections::{BTreeSet, HashSet};

type FastSet<T> = HashSet<T, foldhash::fast::FixedState>;

/// The state of an incident key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyState {
    /// No such incident.
    Absent,
    /// A live incident.
    Live,
    /// Redirected into this key.
    Redirected(u64),
}

/// States before the call, in first-touch order.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    /// List reasons only for incidents whose alerts changed (restores), not for every incident
    /// an alert of the call belongs to.
    pub quiet: bool,
    alerts: Vec<(u32, Option<u64>)>,
    alert_seen: FastSet<u32>,
    incidents: Vec<(u64, KeyState)>,
    incident_seen: FastSet<u64>,
    /// Alerts whose link codes changed (their incident's reasons change).
    recoded: Vec<u32>,
}

impl Journal {
    /// Records that alert `slot` belonged to the live incident `root` (if not yet recorded).
    pub(crate) fn touch_alert(&mut self, slot: u32, root: Option<u64>) {
        if self.alert_seen.insert(slot) {
            self.alerts.push((slot, root));
        }
    }

    /// Records that alert `slot`'s link codes changed.
    pub(crate) fn recode(&mut self, slot: u32) {
        self.recoded.push(slot);
    }

    /// Records the state of incident `key` (if not yet recorded).
    pub(crate) fn touch_incident(&mut self, key: u64, state: KeyState) {
        if self.incident_seen.insert(key) {
            self.incidents.push((key, state));
        }
    }
}

impl Engine {
    /// The current state of incident `key`.
    pub(crate) fn inc_state(&self, key: u64) -> KeyState {
        match self.incs.slot_of(key).and_then(|s| self.incs.get(s)) {
            Some(inc) if inc.parent == NONE => KeyState::Live,
            Some(inc) => KeyState::Redirected(self.incs.key(inc.parent)),
            None => match self.incs.retired.get(&key) {
                Some(&into) => KeyState::Redirected(into),
                None => KeyState::Absent,
            },
        }
    }

    /// The outcome of a call: openings, reopenings, redirects, assignments, then the reasons of
    /// every live incident whose alerts changed
    /// (named only; see [`Change::Reasons`]).
    pub(crate) fn finish(&self, j: Journal) -> Outcome {
        let mut opened = Vec::new();
        let mut reopened = Vec::new();
        let mut redirected = Vec::new();
        let mut dirty = BTreeSet::new();
        for &(key, before) in &j.incidents {
            let after = self.inc_state(key);
            if before == KeyState::Absent && after != KeyState::Absent {
                opened.push(Change::Opened {
                    incident: IncidentKey(key),
                });
            }
            if matches!(before, KeyState::Redirected(_)) && after == KeyState::Live {
                reopened.push(Change::Reopened {
                    incident: IncidentKey(key),
                });
            }
            if let KeyState::Redirected(into) = after {
                if before != after {
                    redirected.push(Change::Redirected {
                        from: IncidentKey(key),
                        into: IncidentKey(into),
                    });
                }
            }
            if after == KeyState::Live && before != after {
                dirty.insert(key);
            }
        }
        let mut assigned: Vec<(u32, u64)> = Vec::new();
        for &(slot, before) in &j.alerts {
            if !self.live(slot) {
                continue;
            }
            let after = self.root_key(slot);
            if let Some(key) = after {
                if !j.quiet || after != before {
                    dirty.insert(key);
                }
                if after != before {
                    assigned.push((slot, key));
                }
            }
            if let Some(b) = before.filter(|&b| after != Some(b)) {
                if self.inc_state(b) == KeyState::Live {
                    dirty.insert(b);
                }
            }
        }
        for &slot in &j.recoded {
            if let Some(key) = self.live(slot).then(|| self.root_key(slot)).flatten() {
                dirty.insert(key);
            }
        }
        assigned.sort_by(|a, b| self.alerts.cmp(a.0, b.0));
        let mut changes = opened;
        changes.extend(reopened);
        changes.extend(redirected);
        changes.extend(assigned.into_iter().map(|(slot, key)| Change::Assigned {
            alert_id: self.alerts.id(slot).to_string(),
            incident: IncidentKey(key),
        }));
        for key in dirty {
            changes.push(Change::Reasons {
                incident: IncidentKey(key),
            });
        }
        Outcome { changes }
    }
}
