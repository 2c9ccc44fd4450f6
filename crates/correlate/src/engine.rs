//! The engine: one tenant's correlation state and its public operations.
//!
//! # The canonical grouping
//!
//! The result is *defined* as what [`Engine::step`](crate::step) produces when every alert is
//! processed once, in canonical order — (`createdDateTime`, alert id) — with the pins applied.
//! Processing one alert reads only alerts before it in that order, so an alert that arrives in
//! order is simply processed ([`crate::step`]); one that arrives late (or changes, or a manual
//! decision) re-decides, each at its own position, only the later alerts whose decision may
//! change ([`crate::suspects`], [`crate::replay`]). Either way the engine ends where
//! [`crate::rebuild`] ends.

use crate::alerts::{ent_slot, Alerts, Stamp, LIVE, NONE, PINNED};
use crate::change::{IncidentKey, Outcome, Reason};
use crate::config::Config;
use crate::entity::Entity;
use crate::extract::AlertFacts;
use crate::incidents::Incidents;
use crate::interner::Interner;
use crate::journal::Journal;
use crate::pin::{Pin, Pins};
use crate::replay::Seed;
use crate::rules::Compiled;
use std::collections::HashMap;
use time::OffsetDateTime;

/// Where a pinned alert belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    /// The incident key.
    pub key: u64,
    /// Entities that no longer link the alert (an unlink's).
    pub blocked: Vec<Entity>,
}

/// A change of one alert's linkable entities, for the frequency-cap bookkeeping of a replay:
/// `delta` alerts carrying `ent` at `at`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Delta {
    /// The entity slot.
    pub ent: u32,
    /// Where in canonical order.
    pub at: Stamp,
    /// +1 added, -1 removed.
    pub delta: i32,
}

/// Reused buffers of the hot path.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// (alert, entity index, kind index) of every earlier alert sharing an uncapped entity.
    pub preds: Vec<(u32, u8, u8)>,
    /// (candidate root, entity index, rule) of every link made.
    pub links: Vec<(u32, u8, u8)>,
    /// Candidate roots.
    pub cands: Vec<u32>,
    /// The processed alert's entity keys.
    pub keys: Vec<u64>,
    /// Entities an alert stopped carrying: released after the replay if nothing carries them.
    pub orphans: Vec<u32>,
}

/// Counts and memory of an engine ([`Engine::stats`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Alerts in the window.
    pub alerts: usize,
    /// Distinct linkable entities in the window.
    pub entities: usize,
    /// Entity occurrences (alert, entity) indexed.
    pub postings: usize,
    /// Incidents held (live and redirected).
    pub incidents: usize,
    /// Approximate heap bytes of the entity index: interned entities, their postings and the
    /// per-alert entity lists.
    pub index_bytes: usize,
    /// Approximate heap bytes of everything (index, alert records and ids, incidents, pins).
    pub bytes: usize,
}

/// One tenant's correlation state. `Send`; not shared between threads.
#[derive(Debug)]
pub struct Engine {
    pub(crate) config: Config,
    pub(crate) c: Compiled,
    pub(crate) alerts: Alerts,
    pub(crate) ents: Interner,
    pub(crate) incs: Incidents,
    pub(crate) pins: Pins,
    /// Alerts created before this (nanoseconds) have been evicted.
    pub(crate) horizon: i64,
    pub(crate) scratch: Scratch,
}

/// `createdDateTime` in nanoseconds since the Unix epoch, saturated.
pub(crate) fn time_nanos(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos()).unwrap_or(if t.unix_timestamp() < 0 {
        i64::MIN
    } else {
        i64::MAX
    })
}

impl Engine {
    /// An empty engine for `config`, allocating incident keys from `next_key` upwards.
    pub fn new(config: Config, next_key: u64) -> Engine {
        Engine {
            c: Compiled::new(&config),
            config,
            alerts: Alerts::default(),
            ents: Interner::default(),
            incs: Incidents::new(next_key),
            pins: Pins::default(),
            horizon: i64::MIN,
            scratch: Scratch::default(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The next incident key the engine would allocate (persist it with the incidents).
    pub fn next_key(&self) -> u64 {
        self.incs.next_key
    }

    /// Correlates one alert: a new one, or one seen before (its entities or time changed, or
    /// not — then nothing happens). Returns what the host must persist.
    pub fn ingest(&mut self, facts: AlertFacts) -> Outcome {
        let t = time_nanos(facts.created);
        let slots = self.linkable(&facts.alert_id, &facts.entities);
        match self.alerts.find(&facts.alert_id) {
            None => self.insert(&facts.alert_id, t, &slots, None),
            Some(slot) => self.update(slot, t, &slots),
        }
    }

    /// The interned slots of the entities of alert `id` that can link: indexed kinds, not
    /// stop-listed, not blocked by an unlink; sorted, deduplicated.
    pub(crate) fn linkable(&mut self, id: &str, entities: &[Entity]) -> Vec<u32> {
        let blocked = self.pins.place(id).map(|p| &p.blocked[..]).unwrap_or(&[]);
        let mut slots: Vec<u32> = Vec::with_capacity(entities.len());
        for e in entities {
            if e.value.is_empty()
                || !self.c.indexes(e.kind)
                || self.c.stop.is_weak(e)
                || blocked.contains(e)
            {
                continue;
            }
            if let Some(s) = self.ents.intern(e) {
                slots.push(s);
            }
        }
        slots.sort_unstable();
        slots.dedup();
        slots.truncate(usize::from(u16::MAX));
        slots
    }

    /// Adds a new alert and correlates it.
    pub(crate) fn insert(&mut self, id: &str, t: i64, slots: &[u32], hint: Option<u64>) -> Outcome {
        let slot = self.admit(id, t, slots);
        if self.alerts.is_last(slot) {
            let mut j = Journal::default();
            self.step(slot, hint, &mut j);
            return self.finish(j);
        }
        let at = self.alerts.stamp(slot);
        let deltas: Vec<Delta> = slots
            .iter()
            .map(|&ent| Delta { ent, at, delta: 1 })
            .collect();
        let hints = hint.map(|h| (slot, h)).into_iter().collect();
        self.replay_outcome(&[Seed { slot, old: None }], &deltas, hints)
    }

    /// Holds a new alert (its record, its place on the timeline and in its entities' postings)
    /// without deciding where it goes.
    pub(crate) fn admit(&mut self, id: &str, t: i64, slots: &[u32]) -> u32 {
        let slot = self.alerts.insert(id, t, slots);
        if self.pins.is_pinned(id) {
            if let Some(r) = self.alerts.rec_mut(slot) {
                r.flags |= PINNED;
            }
        }
        self.alerts.enter_timeline(slot);
        for &e in slots {
            self.add_posting(e, slot);
        }
        slot
    }

    /// Re-correlates an alert seen before whose entities or time may have changed: one replay
    /// from the earlier of its old and new positions.
    fn update(&mut self, slot: u32, t: i64, slots: &[u32]) -> Outcome {
        let old: Vec<u32> = self
            .alerts
            .ents(slot)
            .iter()
            .map(|&p| ent_slot(p))
            .collect();
        let old_t = self.alerts.rec(slot).t;
        if old_t == t && old == slots {
            return Outcome::default();
        }
        let old_at = self.alerts.stamp(slot);
        for &e in &old {
            self.remove_posting(e, slot);
        }
        self.alerts.leave_timeline(slot);
        self.alerts.move_to(slot, t);
        self.alerts.set_ents(slot, slots);
        self.member_changed(slot);
        self.alerts.enter_timeline(slot);
        for &e in slots {
            self.add_posting(e, slot);
        }
        let at = self.alerts.stamp(slot);
        let mut deltas: Vec<Delta> = old
            .iter()
            .map(|&ent| Delta {
                ent,
                at: old_at,
                delta: -1,
            })
            .collect();
        deltas.extend(slots.iter().map(|&ent| Delta { ent, at, delta: 1 }));
        let seed = Seed {
            slot,
            old: Some((old_t, old.clone())),
        };
        self.scratch.orphans.extend(old);
        self.replay_outcome(&[seed], &deltas, HashMap::new())
    }

    /// Inserts `slot` into the postings of `ent` at its canonical position.
    pub(crate) fn add_posting(&mut self, ent: u32, slot: u32) {
        let at = match self.ents.postings(ent).last() {
            Some(&last) if self.alerts.cmp(last, slot).is_lt() => None,
            None => None,
            _ => Some(
                self.ents
                    .postings(ent)
                    .partition_point(|&s| self.alerts.cmp(s, slot).is_lt()),
            ),
        };
        if let Some(p) = self.ents.postings_mut(ent) {
            match at {
                None => p.push(slot),
                Some(i) => p.insert(i, slot),
            }
        }
    }

    /// Removes `slot` from the postings of `ent`.
    pub(crate) fn remove_posting(&mut self, ent: u32, slot: u32) {
        let i = self
            .ents
            .postings(ent)
            .partition_point(|&s| self.alerts.cmp(s, slot).is_lt());
        if let Some(p) = self.ents.postings_mut(ent) {
            if p.get(i) == Some(&slot) {
                p.remove(i);
            }
        }
    }

    /// The key of the live incident `slot` belongs to.
    pub(crate) fn root_key(&self, slot: u32) -> Option<u64> {
        let placed = self.alerts.rec(slot).placed;
        (placed != NONE).then(|| self.incs.key(self.incs.root(placed)))
    }

    /// The live incident of the alert `alert_id`.
    pub fn incident_of(&self, alert_id: &str) -> Option<IncidentKey> {
        let slot = self.alerts.find(alert_id)?;
        self.root_key(slot).map(IncidentKey)
    }

    /// The `correlationReasons` of the live incident `key` (empty for an unknown or redirected
    /// incident: its reasons are its target's).
    pub fn reasons(&self, key: IncidentKey) -> &[Reason] {
        let Some(slot) = self.incs.slot_of(key.0) else {
            return &[];
        };
        match self.incs.get(slot) {
            Some(inc) if inc.parent == NONE => inc
                .reasons
                .get_or_init(|| self.materialize_reasons(slot).into_boxed_slice()),
            _ => &[],
        }
    }

    /// The manual decisions to persist: every pinned alert and every incident state, sorted.
    pub fn pins(&self) -> Vec<Pin> {
        let mut out: Vec<Pin> = self
            .pins
            .places()
            .map(|(id, p)| match p.blocked.is_empty() {
                true => Pin::Link {
                    alert_id: id.to_string(),
                    incident: IncidentKey(p.key),
                },
                false => Pin::Unlink {
                    alert_id: id.to_string(),
                    incident: IncidentKey(p.key),
                    entities: p.blocked.clone(),
                },
            })
            .collect();
        out.extend(self.pins.states.iter().map(|(k, s)| Pin::State {
            incident: IncidentKey(*k),
            state: s.clone(),
        }));
        out.sort_by_key(pin_order);
        out
    }

    /// Counts and approximate memory.
    pub fn stats(&self) -> Stats {
        let (recs, ids, lists) = self.alerts.bytes();
        let index = self.ents.bytes() + lists;
        let pins = self.pins.pinned_count() * 96 + self.pins.states.len() * 96;
        Stats {
            alerts: self.alerts.len(),
            entities: self.ents.len(),
            postings: self.ents.postings_total(),
            incidents: self.incs.len(),
            index_bytes: index,
            bytes: index + recs + ids + self.incs.bytes() + pins,
        }
    }

    /// Whether `slot` is a live alert.
    pub(crate) fn live(&self, slot: u32) -> bool {
        self.alerts.rec(slot).flags & LIVE != 0
    }

    /// The eviction horizon: alerts created before it have left the engine (`None` before the
    /// first [`Engine::evict_before`]).
    pub fn horizon(&self) -> Option<OffsetDateTime> {
        (self.horizon != i64::MIN)
            .then(|| OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.horizon)).ok())
            .flatten()
    }
}

fn pin_order(p: &Pin) -> (u8, u64, String) {
    match p {
        Pin::Link { alert_id, incident } => (0, incident.0, alert_id.clone()),
        Pin::Unlink {
            alert_id, incident, ..
        } => (0, incident.0, alert_id.clone()),
        Pin::State { incident, .. } => (1, incident.0, String::new()),
    }
}
