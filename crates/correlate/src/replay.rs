//! Replay: after a late alert, a changed alert or a manual decision, bring the engine to the
//! canonical result by re-deciding only the alerts whose decision may have changed
//! ([`crate::suspects`]), each at its own canonical position ([`crate::view`]).
//!
//! Suspects are taken in canonical order. For each, the step is computed again against the
//! incidents as they were at its position; when it matches what the alert did (the incident it
//! was placed in, the incident it opened, the incidents it merged), nothing changes — only its
//! link codes may. Otherwise its old effects are undone (it leaves its incident, its merges are
//! detached) and the new decision is carried out; the trees both touch become dirty, which
//! queues the later alerts that link into them. An alert that opened an incident and no longer
//! does leaves it *emptied*: the key is freed at once (a later alert re-deciding may open under
//! it), and every later alert of it is re-decided, so it ends empty and is deleted.
//!
//! A freed key that no incident took again is *retired*: it now redirects to the live incident
//! that holds the alert which had opened it ([`crate::Change::Redirected`]).

use crate::alerts::{ent_slot, Stamp, NONE};
use crate::engine::{Delta, Engine};
use crate::incidents::union;
use crate::journal::Journal;
use crate::step::Decision;
use crate::suspects::Suspects;
use crate::Outcome;
use std::cmp::Ordering;
use std::collections::HashMap;

/// A changed alert: its slot, and (when its entities or time changed) what they were.
#[derive(Debug, Clone)]
pub(crate) struct Seed {
    /// The alert.
    pub slot: u32,
    /// Its former time and linkable entity slots, when they changed.
    pub old: Option<(i64, Vec<u32>)>,
}

impl Engine {
    /// Replays after `seeds` changed (see the module docs). `deltas` are the entity counts the
    /// change moved; `hints` maps alerts to the key they should open under.
    pub(crate) fn replay(
        &mut self,
        seeds: &[Seed],
        deltas: &[Delta],
        hints: HashMap<u32, u64>,
        j: &mut Journal,
    ) {
        let Some(p) = self.earliest(seeds) else {
            return;
        };
        j.quiet = true;
        let mut w = Suspects::default();
        for seed in seeds {
            let old = seed.old.as_ref().map(|(t, _)| Stamp {
                t: *t,
                slot: seed.slot,
            });
            let placed = self.alerts.rec(seed.slot).placed;
            match old {
                Some(old) if old.t != self.alerts.rec(seed.slot).t => {
                    self.undo(seed.slot, old, &mut w, j);
                }
                _ if placed != NONE => {
                    // Keep the current tree's entity set an upper bound (the seed's entities
                    // may have changed); it is recomputed when the replay settles.
                    let mut keys: Vec<u64> = self
                        .alerts
                        .ents(seed.slot)
                        .iter()
                        .map(|&e| self.ents.key(ent_slot(e)))
                        .collect();
                    keys.sort_unstable();
                    keys.dedup();
                    let root = self.incs.root(placed);
                    if let Some(r) = self.incs.get_mut(root) {
                        r.ents = union(&r.ents, &keys);
                    }
                    w.touched.push(root);
                    self.dirty(placed, p, &mut w);
                }
                _ => {}
            }
            self.suspect(seed.slot, &mut w);
            j.recode(seed.slot);
        }
        for d in deltas {
            self.queue_carriers(d.ent, d.at, deltas, None, &mut w);
        }
        while let Some(a) = self.next_suspect(&mut w) {
            self.redecide(a, &hints, &mut w, j);
        }
        self.settle(&mut w, j);
    }

    /// Re-decides suspect `a` at its position.
    fn redecide(&mut self, a: u32, hints: &HashMap<u32, u64>, w: &mut Suspects, j: &mut Journal) {
        let at = self.alerts.stamp(a);
        let d = self.decide(a, Some(at));
        if self.did(a, at, &d) {
            if let Decision::Join(t, merges) = &d {
                let before: Vec<u32> = self.alerts.ents(a).to_vec();
                self.alerts.clear_codes(a);
                self.set_codes(a, *t, merges);
                if self.alerts.ents(a) != &before[..] {
                    j.recode(a);
                    let root = self.incs.root(*t);
                    if let Some(inc) = self.incs.get_mut(root) {
                        inc.reasons.take();
                    }
                }
            }
            return;
        }
        let placed = self.alerts.rec(a).placed;
        let hint = hints
            .get(&a)
            .copied()
            .or_else(|| (placed != NONE).then(|| self.incs.key(placed)));
        j.touch_alert(a, self.root_key(a));
        self.undo(a, at, w, j);
        if let Decision::Join(_, merges) = &d {
            for &c in merges {
                if self.incs.get(c).is_some_and(|i| i.parent != NONE) {
                    self.cut(c, at, w, j);
                }
            }
        }
        if let Decision::Pinned(key) = d {
            // The pinned incident was opened after `a`: in canonical order `a` opens it.
            if let Some(s) = self.incs.slot_of(key) {
                if self
                    .incs
                    .get(s)
                    .is_some_and(|i| !self.before(i.opened, Some(at)))
                {
                    self.empty(s, w, j);
                }
            }
        }
        // `undo`, `cut` and `empty` left the decision's scratch state (keys, links) alone.
        self.apply(a, &d, hint, j);
        let now = self.alerts.rec(a).placed;
        self.dirty(now, at, w);
    }

    /// Whether `a`'s recorded effects (at stamp `at`) are decision `d`.
    fn did(&self, a: u32, at: Stamp, d: &Decision) -> bool {
        let placed = self.alerts.rec(a).placed;
        let Some(inc) = self.incs.get(placed) else {
            return false;
        };
        let opened = inc.opened == at;
        if self.incs.slot_of(inc.key) != Some(placed) {
            return false;
        }
        let mut merged: Vec<u32> = self.merged_by(placed, at);
        match d {
            Decision::Pinned(key) => {
                self.incs.slot_of(*key) == Some(placed)
                    && (opened || self.before(inc.opened, Some(at)))
            }
            // An alert that correlates into no incident opens one of its own; it holds a key a
            // pin names only when canonical order would not give it that key (a fresh one).
            Decision::Open => opened && merged.is_empty() && !self.pins.claimed(inc.key),
            Decision::Join(t, merges) => {
                let mut want = merges.clone();
                want.sort_unstable();
                merged.sort_unstable();
                *t == placed && !opened && want == merged
            }
        }
    }

    /// The children of `slot` merged by the alert at `at`.
    fn merged_by(&self, slot: u32, at: Stamp) -> Vec<u32> {
        let children = self.incs.get(slot).map_or(&[][..], |i| i.children());
        children
            .iter()
            .copied()
            .filter(|&c| self.incs.get(c).is_some_and(|i| i.merged == at))
            .collect()
    }

    /// Undoes what alert `a` did when processed at `at`: its merges are detached, it leaves its
    /// incident (which is emptied if `a` had opened it).
    fn undo(&mut self, a: u32, at: Stamp, w: &mut Suspects, j: &mut Journal) {
        let placed = self.alerts.rec(a).placed;
        let Some(inc) = self.incs.get(placed) else {
            return;
        };
        let opened = inc.opened == at;
        j.touch_alert(a, self.root_key(a));
        for c in self.merged_by(placed, at) {
            self.cut(c, at, w, j);
        }
        let root = self.incs.root(placed);
        if let Some(inc) = self.incs.get_mut(placed) {
            inc.members.retain(|m| *m != a);
            inc.firsts.take();
        }
        if let Some(r) = self.incs.get_mut(root) {
            r.reasons.take();
        }
        if let Some(r) = self.alerts.rec_mut(a) {
            r.placed = NONE;
        }
        self.alerts.clear_codes(a);
        self.dirty(placed, at, w);
        // Alerts that linked to `a` are within the window after it.
        let until = at.t.saturating_add(self.c.window);
        for &p in self.alerts.ents(a) {
            self.queue_carriers(ent_slot(p), at, &[], Some(until), w);
        }
        if opened {
            self.empty(placed, w, j);
        }
    }

    /// Frees the key of incident `slot`, whose opener left it or which a pinned alert must open
    /// earlier: every later alert of it is re-decided, and it is deleted when the replay ends.
    fn empty(&mut self, slot: u32, w: &mut Suspects, j: &mut Journal) {
        let key = self.incs.key(slot);
        if self.incs.slot_of(key) != Some(slot) {
            return;
        }
        let opener = self.incs.get(slot).map_or(NONE, |i| i.opened.slot);
        j.touch_incident(key, self.inc_state(key));
        self.incs.release_key(slot);
        w.emptied.push((slot, key, opener));
        let mut group = Vec::new();
        self.incs.group(slot, &mut group);
        for m in group {
            self.suspect(m, w);
        }
        self.suspect(opener, w);
    }

    /// Detaches incident `c` from its parent (a merge undone; the tree changed at `at`). The
    /// alert that had made the merge is re-decided.
    fn cut(&mut self, c: u32, at: Stamp, w: &mut Suspects, j: &mut Journal) {
        let Some((parent, merger)) = self.incs.get(c).map(|i| (i.parent, i.merged.slot)) else {
            return;
        };
        if parent == NONE {
            return;
        }
        let ckey = self.incs.key(c);
        j.touch_incident(ckey, self.inc_state(ckey));
        let mut group = Vec::new();
        self.incs.group(c, &mut group);
        for s in group {
            j.touch_alert(s, self.root_key(s));
        }
        self.dirty(parent, at, w);
        let root = self.incs.root(parent);
        if let Some(r) = self.incs.get_mut(root) {
            r.reasons.take();
        }
        self.incs.detach(c);
        self.recompute(c);
        self.dirty(c, at, w);
        self.suspect(merger, w);
    }

    /// Ends a replay: deletes the emptied incidents, recomputes the changed trees and retires
    /// the freed keys nothing took again.
    fn settle(&mut self, w: &mut Suspects, j: &mut Journal) {
        let mut freed = Vec::new();
        for &(slot, key, opener) in &w.emptied {
            let empty = self
                .incs
                .get(slot)
                .is_some_and(|i| i.members.is_empty() && i.children().is_empty());
            if empty {
                self.incs.detach(slot);
                self.incs.delete(slot);
                freed.push((key, opener));
            } else if self.incs.get(slot).is_some() {
                // Not reached when the suspects are complete; keep the alerts in a live incident.
                debug_assert!(false, "emptied incident {key} still holds alerts");
                let key = self.incs.alloc_key();
                self.incs.rekey(slot, key);
                j.touch_incident(key, crate::journal::KeyState::Absent);
            }
        }
        let mut roots: Vec<u32> = w
            .touched
            .iter()
            .filter(|&&s| self.incs.get(s).is_some())
            .map(|&s| self.incs.root(s))
            .collect();
        roots.sort_unstable();
        roots.dedup();
        for root in roots {
            self.recompute(root);
        }
        self.retire(&freed);
    }

    /// Replays and finishes: the outcome of one change.
    pub(crate) fn replay_outcome(
        &mut self,
        seeds: &[Seed],
        deltas: &[Delta],
        hints: HashMap<u32, u64>,
    ) -> Outcome {
        let mut j = Journal::default();
        self.replay(seeds, deltas, hints, &mut j);
        for e in std::mem::take(&mut self.scratch.orphans) {
            self.ents.release_if_unused(e);
        }
        self.finish(j)
    }

    /// The earliest position among the seeds (old and new).
    fn earliest(&self, seeds: &[Seed]) -> Option<Stamp> {
        let mut best: Option<Stamp> = None;
        for seed in seeds {
            let mut stamps = vec![self.alerts.stamp(seed.slot)];
            if let Some((t, _)) = &seed.old {
                stamps.push(Stamp {
                    t: *t,
                    slot: seed.slot,
                });
            }
            for s in stamps {
                best = match best {
                    Some(b) if self.alerts.cmp_stamp(b, s) != Ordering::Greater => Some(b),
                    _ => Some(s),
                };
            }
        }
        best
    }

    /// Recomputes the entity set and live count of root `root` from its tree.
    pub(crate) fn recompute(&mut self, root: u32) {
        let mut tree = Vec::new();
        self.incs.tree(root, &mut tree);
        let mut keys: Vec<u64> = Vec::new();
        let mut live = 0u32;
        for &i in &tree {
            let Some(inc) = self.incs.get(i) else {
                continue;
            };
            keys.extend_from_slice(inc.residue());
            for &m in &inc.members {
                live += 1;
                keys.extend(
                    self.alerts
                        .ents(m)
                        .iter()
                        .map(|&p| self.ents.key(ent_slot(p))),
                );
            }
        }
        keys.sort_unstable();
        keys.dedup();
        for &i in &tree {
            if let Some(inc) = self.incs.get_mut(i) {
                inc.reasons.take();
            }
        }
        if let Some(inc) = self.incs.get_mut(root) {
            inc.ents = union(&[], &keys);
            inc.live = live;
        }
    }

    /// Retires the freed keys no incident took again.
    fn retire(&mut self, freed: &[(u64, u32)]) {
        for &(key, opener) in freed {
            if self.incs.key_taken(key) || !self.live(opener) {
                continue;
            }
            if let Some(into) = self.root_key(opener) {
                self.incs.retired.insert(key, into);
            }
        }
    }
}
