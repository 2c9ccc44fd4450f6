//! Groupings: which alerts are together in which live incident, independent of the engine, to
//! compare runs. [`rebuild`] recomputes a tenant from scratch (`secgraph correlate --rebuild`);
//! [`Grouping::diff`] reports the differences; [`Engine::restore`] rebuilds an engine after a
//! restart, keeping the host's incident keys where the grouping agrees.

use crate::alerts::{ent_slot, NONE, PINNED};
use crate::change::{IncidentKey, Outcome};
use crate::config::Config;
use crate::engine::{time_nanos, Engine, Place};
use crate::extract::AlertFacts;
use crate::journal::{Journal, KeyState};
use crate::pin::Pin;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// One live incident and its alerts (a redirected incident's alerts are its target's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupedIncident {
    /// The incident's key (keys differ between runs; the alerts are what is compared).
    pub incident: IncidentKey,
    /// Its alerts, in canonical order.
    pub alert_ids: Vec<String>,
}

/// A partition of alerts into live incidents, ordered by each incident's first alert.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grouping {
    /// The live incidents.
    pub incidents: Vec<GroupedIncident>,
}

/// The difference of two groupings: the incidents (as alert sets) only one of them has.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupingDiff {
    /// Incidents of the first grouping with no identical incident in the second.
    pub only_left: Vec<GroupedIncident>,
    /// Incidents of the second grouping with no identical incident in the first.
    pub only_right: Vec<GroupedIncident>,
}

impl GroupingDiff {
    /// Whether the two groupings partition the alerts identically.
    pub fn is_empty(&self) -> bool {
        self.only_left.is_empty() && self.only_right.is_empty()
    }
}

impl Grouping {
    /// The incidents (compared by their alert sets, keys ignored) each grouping has alone.
    pub fn diff(&self, other: &Grouping) -> GroupingDiff {
        let sets = |g: &Grouping| -> BTreeMap<Vec<String>, GroupedIncident> {
            g.incidents
                .iter()
                .map(|i| {
                    let mut ids = i.alert_ids.clone();
                    ids.sort();
                    (ids, i.clone())
                })
                .collect()
        };
        let (left, right) = (sets(self), sets(other));
        GroupingDiff {
            only_left: left
                .iter()
                .filter(|(k, _)| !right.contains_key(*k))
                .map(|(_, v)| v.clone())
                .collect(),
            only_right: right
                .iter()
                .filter(|(k, _)| !left.contains_key(*k))
                .map(|(_, v)| v.clone())
                .collect(),
        }
    }

    /// The incident holding `alert_id`.
    pub fn incident_of(&self, alert_id: &str) -> Option<IncidentKey> {
        self.incidents
            .iter()
            .find(|i| i.alert_ids.iter().any(|a| a == alert_id))
            .map(|i| i.incident)
    }
}

/// The canonical grouping of `alerts` under `config` and `pins`, computed from scratch.
pub fn rebuild(
    config: Config,
    alerts: impl IntoIterator<Item = AlertFacts>,
    pins: &[Pin],
) -> Grouping {
    let (engine, _) = Engine::restore(config, 0, pins, alerts.into_iter().map(|a| (a, None)));
    engine.grouping()
}

impl Engine {
    /// The current grouping of the alerts in the window.
    pub fn grouping(&self) -> Grouping {
        let mut incidents: Vec<(u32, GroupedIncident)> = Vec::new();
        for root in self.incs.roots() {
            let mut group = Vec::new();
            self.incs.group(root, &mut group);
            group.retain(|&s| self.live(s));
            if group.is_empty() {
                continue;
            }
            group.sort_by(|&a, &b| self.alerts.cmp(a, b));
            incidents.push((
                group[0],
                GroupedIncident {
                    incident: IncidentKey(self.incs.key(root)),
                    alert_ids: group
                        .iter()
                        .map(|&s| self.alerts.id(s).to_string())
                        .collect(),
                },
            ));
        }
        incidents.sort_by(|a, b| self.alerts.cmp(a.0, b.0));
        Grouping {
            incidents: incidents.into_iter().map(|(_, g)| g).collect(),
        }
    }

    /// An engine rebuilt from the host's records after a restart: the `pins`, and every alert of
    /// the window with the incident the host has it in. Alerts are processed in canonical order;
    /// an incident reuses the host's key of its first alert where it can. The outcome brings the
    /// host in line where the canonical grouping differs from its records (reasons are listed
    /// only for incidents whose alerts changed).
    pub fn restore(
        config: Config,
        next_key: u64,
        pins: &[Pin],
        alerts: impl IntoIterator<Item = (AlertFacts, Option<IncidentKey>)>,
    ) -> (Engine, Outcome) {
        let top = pins.iter().map(|p| p.incident().0 + 1).max().unwrap_or(0);
        let mut engine = Engine::new(config, next_key.max(top));
        engine.load_pins(pins);
        let mut latest: HashMap<String, (AlertFacts, Option<IncidentKey>)> = HashMap::new();
        for (facts, key) in alerts {
            latest.insert(facts.alert_id.clone(), (facts, key));
        }
        let mut sorted: Vec<(AlertFacts, Option<IncidentKey>)> = latest.into_values().collect();
        sorted.sort_by(|a, b| {
            (time_nanos(a.0.created), &a.0.alert_id).cmp(&(time_nanos(b.0.created), &b.0.alert_id))
        });
        let mut j = Journal::default();
        j.quiet = true;
        let mut hinted: Vec<(u64, u32)> = Vec::new();
        for (facts, key) in sorted {
            let t = time_nanos(facts.created);
            let slots = engine.linkable(&facts.alert_id, &facts.entities);
            let slot = engine.alerts.insert(&facts.alert_id, t, &slots);
            if engine.pins.is_pinned(&facts.alert_id) {
                if let Some(r) = engine.alerts.rec_mut(slot) {
                    r.flags |= PINNED;
                }
            }
            engine.alerts.timeline.push_back(slot);
            for &e in &slots {
                engine.add_posting(e, slot);
            }
            let hint = key.map(|k| k.0);
            j.touch_alert(slot, hint);
            if let Some(h) = hint {
                j.touch_incident(h, KeyState::Live);
                hinted.push((h, slot));
            }
            engine.step(slot, hint, &mut j);
        }
        for (key, slot) in hinted {
            if !engine.incs.key_taken(key) {
                if let Some(into) = engine.root_key(slot) {
                    engine.incs.retired.insert(key, into);
                }
            }
        }
        let outcome = engine.finish(j);
        (engine, outcome)
    }

    /// Loads persisted pins into an empty engine.
    fn load_pins(&mut self, pins: &[Pin]) {
        for pin in pins {
            match pin {
                Pin::Link { alert_id, incident } => {
                    self.pins.set_place(
                        alert_id.as_str().into(),
                        Place {
                            key: incident.0,
                            blocked: Vec::new(),
                        },
                    );
                }
                Pin::Unlink {
                    alert_id,
                    incident,
                    entities,
                } => {
                    self.pins.set_place(
                        alert_id.as_str().into(),
                        Place {
                            key: incident.0,
                            blocked: entities.clone(),
                        },
                    );
                }
                Pin::State { incident, state } => {
                    self.pins.states.insert(incident.0, state.clone());
                }
            }
        }
    }

    /// Checks the engine's internal invariants (tests): every live alert placed in a held
    /// incident, postings sorted, roots' counts and entity sets equal to a recomputation.
    #[doc(hidden)]
    pub fn check_invariants(&self) -> Result<(), String> {
        for &slot in &self.alerts.timeline {
            let placed = self.alerts.rec(slot).placed;
            if placed == NONE || self.incs.get(placed).is_none() {
                return Err(format!("alert {} is not placed", self.alerts.id(slot)));
            }
            for &p in self.alerts.ents(slot) {
                let postings = self.ents.postings(ent_slot(p));
                if !postings.contains(&slot) {
                    return Err(format!(
                        "alert {} missing from postings",
                        self.alerts.id(slot)
                    ));
                }
                if postings
                    .windows(2)
                    .any(|w| self.alerts.cmp(w[0], w[1]).is_ge())
                {
                    return Err("postings out of order".into());
                }
            }
        }
        for root in self.incs.roots() {
            let Some(inc) = self.incs.get(root) else {
                continue;
            };
            let mut group = Vec::new();
            self.incs.group(root, &mut group);
            if inc.live as usize != group.len() {
                return Err(format!(
                    "incident {} counts {} alerts, holds {}",
                    inc.key,
                    inc.live,
                    group.len()
                ));
            }
        }
        Ok(())
    }
}
