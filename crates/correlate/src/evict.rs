//! Sliding the window: alerts created before a horizon leave the engine, so memory follows the
//! window, not the history.
//!
//! An evicted alert leaves the entity index (an entity no alert carries any more is forgotten)
//! and its incident; its entities stay in the incident's entity set (the *residue*), so the entity
//! cap still counts them. An incident tree with no alert left is forgotten with its state and
//! pins; the host keeps its own record of it.
//!
//! The host calls [`Engine::evict_before`] with `now - window - lateness`, where *lateness* is how
//! late an alert may arrive and still be placed exactly as [`crate::rebuild`] would place it: a
//! change at canonical position `p` replays alerts that link back at most one window, so the
//! guarantee holds for alerts created at least one window after the horizon. Older stragglers are
//! still correlated, against what the engine holds.

use crate::alerts::{ent_slot, NONE};
use crate::engine::{time_nanos, Engine};
use crate::incidents::union;
use time::OffsetDateTime;

impl Engine {
    /// Forgets every alert created before `t` (see the module docs).
    pub fn evict_before(&mut self, t: OffsetDateTime) {
        let cut = time_nanos(t);
        self.horizon = self.horizon.max(cut);
        let mut dropped = false;
        while let Some(&slot) = self.alerts.timeline.front() {
            if self.alerts.rec(slot).t >= cut {
                break;
            }
            dropped |= self.evict(slot);
        }
        if dropped {
            let incs = &self.incs;
            let alive: Vec<u64> = incs
                .retired
                .iter()
                .filter(|(_, into)| {
                    incs.slot_of(**into).is_some() || incs.retired.contains_key(into)
                })
                .map(|(k, _)| *k)
                .collect();
            let keep: std::collections::HashSet<u64> = alive.into_iter().collect();
            self.incs.retired.retain(|k, _| keep.contains(k));
        }
    }

    /// Evicts the oldest alert `slot`; whether an incident tree was forgotten.
    fn evict(&mut self, slot: u32) -> bool {
        let ents: Vec<u32> = self
            .alerts
            .ents(slot)
            .iter()
            .map(|&p| ent_slot(p))
            .collect();
        let mut keys: Vec<u64> = ents.iter().map(|&e| self.ents.key(e)).collect();
        keys.sort_unstable();
        keys.dedup();
        for &e in &ents {
            match self.ents.postings(e).first() {
                Some(&first) if first == slot => {
                    if let Some(p) = self.ents.postings_mut(e) {
                        p.remove(0);
                    }
                }
                _ => self.remove_posting(e, slot),
            }
            self.ents.release_if_unused(e);
        }
        let placed = self.alerts.rec(slot).placed;
        let mut dropped = false;
        if placed != NONE {
            let root = self.incs.root(placed);
            if let Some(inc) = self.incs.get_mut(placed) {
                inc.members.retain(|m| *m != slot);
                inc.firsts.take();
                let residue = &mut inc.extra_mut().residue;
                *residue = union(residue, &keys);
            }
            let left = match self.incs.get_mut(root) {
                Some(r) => {
                    r.live = r.live.saturating_sub(1);
                    r.reasons.take();
                    r.live
                }
                None => 1,
            };
            if left == 0 {
                self.drop_tree(root);
                dropped = true;
            }
        }
        self.pins.remove_place(self.alerts.id(slot));
        self.alerts.timeline.pop_front();
        self.alerts.remove(slot);
        dropped
    }

    /// Forgets the tree under `root` (no alert left in it).
    fn drop_tree(&mut self, root: u32) {
        let mut tree = Vec::new();
        self.incs.tree(root, &mut tree);
        for i in tree {
            let key = self.incs.key(i);
            self.pins.states.remove(&key);
            self.incs.delete(i);
        }
    }
}
