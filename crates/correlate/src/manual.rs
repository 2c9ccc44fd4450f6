//! Manual control: link an alert to an incident, unlink it, merge incidents, and the guard state
//! the host sets when a user changes an incident.
//!
//! Every manual action on an incident **freezes** it: each alert it holds is pinned to it
//! ([`crate::Pin::Link`]), so no later replay moves them; the incident can still grow through its
//! alerts' entities and be merged by correlation when the guards allow. Then the changed pins
//! are replayed, so the engine stays equal to [`crate::rebuild`] with the same pins.

use crate::alerts::{ent_slot, NONE, PINNED};
use crate::change::{IncidentKey, Outcome};
use crate::engine::{Delta, Engine, Place};
use crate::entity::Entity;
use crate::error::CorrelateError;
use crate::pin::IncidentState;
use crate::replay::Seed;
use std::collections::HashMap;

impl Engine {
    /// Records the guard state of incident `key` (resolved, assignee, classification). A live
    /// incident is frozen and the alerts its state can affect are replayed; the state of a
    /// redirected incident is kept for when it is live again. Unknown keys are ignored.
    pub fn set_incident_state(&mut self, key: IncidentKey, state: IncidentState) -> Outcome {
        let Some(slot) = self.incs.slot_of(key.0) else {
            return Outcome::default();
        };
        let unchanged = match self.pins.states.get(&key.0) {
            Some(old) => *old == state,
            None => state == IncidentState::default(),
        };
        if unchanged {
            return Outcome::default();
        }
        if state == IncidentState::default() {
            self.pins.states.remove(&key.0);
        } else {
            self.pins.states.insert(key.0, state);
        }
        if self.incs.get(slot).is_some_and(|i| i.parent != NONE) {
            return Outcome::default();
        }
        let (mut seeds, mut deltas) = (Vec::new(), Vec::new());
        self.freeze(slot, None, &mut seeds, &mut deltas);
        let mut group = Vec::new();
        self.incs.group(slot, &mut group);
        for a in group {
            if !seeds.iter().any(|s: &Seed| s.slot == a) {
                seeds.push(Seed { slot: a, old: None });
            }
        }
        self.replay_outcome(&seeds, &deltas, HashMap::new())
    }

    /// Puts the alert `alert_id` in the live incident of `key` (a redirected key means its live
    /// incident). The incident is frozen; the alert is pinned and links nothing itself; an
    /// earlier unlink's blocked entities link it again.
    pub fn link(&mut self, alert_id: &str, key: IncidentKey) -> Result<Outcome, CorrelateError> {
        let slot = self
            .alerts
            .find(alert_id)
            .ok_or_else(|| CorrelateError::UnknownAlert(alert_id.to_string()))?;
        let root = self
            .live_slot(key.0)
            .ok_or(CorrelateError::UnknownIncident(key))?;
        let root_key = self.incs.key(root);
        let (mut seeds, mut deltas) = (Vec::new(), Vec::new());
        self.freeze(root, Some(slot), &mut seeds, &mut deltas);
        self.pin(slot, root_key, Vec::new(), &mut seeds, &mut deltas);
        Ok(self.replay_outcome(&seeds, &deltas, HashMap::new()))
    }

    /// Takes the alert `alert_id` out of its incident into an incident of its own (the rest of
    /// the incident is frozen). The entities it has now never link it again unless it is linked
    /// back ([`Engine::link`]); entities it gains later do.
    pub fn unlink(&mut self, alert_id: &str) -> Result<Outcome, CorrelateError> {
        let slot = self
            .alerts
            .find(alert_id)
            .ok_or_else(|| CorrelateError::UnknownAlert(alert_id.to_string()))?;
        let placed = self.alerts.rec(slot).placed;
        let blocked: Vec<Entity> = self
            .alerts
            .ents(slot)
            .iter()
            .map(|&p| self.ents.entity(ent_slot(p)))
            .collect();
        let (mut seeds, mut deltas) = (Vec::new(), Vec::new());
        let mut group = Vec::new();
        let root = self.incs.root(placed);
        if placed != NONE {
            self.incs.group(root, &mut group);
        }
        let key = if group.len() <= 1 && placed != NONE {
            self.incs.key(root)
        } else {
            self.freeze(root, Some(slot), &mut seeds, &mut deltas);
            self.incs.alloc_key()
        };
        self.pin(slot, key, blocked, &mut seeds, &mut deltas);
        Ok(self.replay_outcome(&seeds, &deltas, HashMap::new()))
    }

    /// Merges the live incident of `from` into the live incident of `into`, whatever the guards
    /// say (a person decided): both are frozen, `from`'s alerts pinned to `into`, and `from`
    /// becomes redirected into it.
    pub fn merge(
        &mut self,
        from: IncidentKey,
        into: IncidentKey,
    ) -> Result<Outcome, CorrelateError> {
        let f = self
            .live_slot(from.0)
            .ok_or(CorrelateError::UnknownIncident(from))?;
        let t = self
            .live_slot(into.0)
            .ok_or(CorrelateError::UnknownIncident(into))?;
        if f == t {
            return Err(CorrelateError::MergeIntoSelf(from));
        }
        let into_key = self.incs.key(t);
        let (mut seeds, mut deltas) = (Vec::new(), Vec::new());
        self.freeze(t, None, &mut seeds, &mut deltas);
        let mut group = Vec::new();
        self.incs.group(f, &mut group);
        for a in group {
            let blocked = self.blocked_of(a);
            self.pin(a, into_key, blocked, &mut seeds, &mut deltas);
        }
        Ok(self.replay_outcome(&seeds, &deltas, HashMap::new()))
    }

    /// The live incident of `key`, following redirects and retired keys.
    pub(crate) fn live_slot(&self, mut key: u64) -> Option<u32> {
        for _ in 0..64 {
            if let Some(slot) = self.incs.slot_of(key) {
                return Some(self.incs.root(slot));
            }
            key = *self.incs.retired.get(&key)?;
        }
        None
    }

    /// The blocked entities of alert `slot`'s pin.
    fn blocked_of(&self, slot: u32) -> Vec<Entity> {
        self.pins
            .place(self.alerts.id(slot))
            .map(|p| p.blocked.clone())
            .unwrap_or_default()
    }

    /// Pins every alert of root `root`'s group to it (but `except`), keeping their blocked
    /// entities.
    fn freeze(
        &mut self,
        root: u32,
        except: Option<u32>,
        seeds: &mut Vec<Seed>,
        deltas: &mut Vec<Delta>,
    ) {
        let key = self.incs.key(root);
        let mut group = Vec::new();
        self.incs.group(root, &mut group);
        for a in group.into_iter().filter(|&a| Some(a) != except) {
            let blocked = self.blocked_of(a);
            self.pin(a, key, blocked, seeds, deltas);
        }
    }

    /// Pins alert `slot` to `key` with `blocked` entities; records a seed (and the entity deltas)
    /// when anything changed.
    fn pin(
        &mut self,
        slot: u32,
        key: u64,
        blocked: Vec<Entity>,
        seeds: &mut Vec<Seed>,
        deltas: &mut Vec<Delta>,
    ) {
        let id: Box<str> = self.alerts.id(slot).into();
        let place = Place { key, blocked };
        let before = self.pins.place(&id).cloned();
        if before.as_ref() == Some(&place) {
            return;
        }
        let unblocked: Vec<Entity> = before
            .map(|b| {
                b.blocked
                    .into_iter()
                    .filter(|e| !place.blocked.contains(e))
                    .collect()
            })
            .unwrap_or_default();
        let old: Vec<u32> = self
            .alerts
            .ents(slot)
            .iter()
            .map(|&p| ent_slot(p))
            .collect();
        let mut wanted: Vec<Entity> = old.iter().map(|&e| self.ents.entity(e)).collect();
        wanted.extend(unblocked);
        self.pins.set_place(id.clone(), place);
        if let Some(r) = self.alerts.rec_mut(slot) {
            r.flags |= PINNED;
        }
        let new = self.linkable(&id, &wanted);
        let changed = new != old;
        if changed {
            let at = self.alerts.stamp(slot);
            for &e in old.iter().filter(|e| !new.contains(e)) {
                self.remove_posting(e, slot);
                deltas.push(Delta {
                    ent: e,
                    at,
                    delta: -1,
                });
                self.scratch.orphans.push(e);
            }
            for &e in new.iter().filter(|e| !old.contains(e)) {
                self.add_posting(e, slot);
                deltas.push(Delta {
                    ent: e,
                    at,
                    delta: 1,
                });
            }
            self.alerts.set_ents(slot, &new);
            self.member_changed(slot);
        }
        let t = self.alerts.rec(slot).t;
        seeds.push(Seed {
            slot,
            old: changed.then_some((t, old)),
        });
    }
}
