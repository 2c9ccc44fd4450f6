//! Replay: take a region back to canonical position `p`, process its alerts again in canonical
//! order, and retire the incident keys nothing reclaimed.
//!
//! Taking back: every region alert leaves its incident (remembering the key as a hint: it opens
//! under the same key again if it opens one); incidents opened at or after `p` are deleted (their
//! keys freed); merges made at or after `p` are undone; the surviving trees' entity sets and
//! counts are recomputed from their remaining alerts and residue. That is exactly the state the
//! canonical process had at `p` for these trees.
//!
//! A freed key that no replayed incident took again is *retired*: it now redirects to the live
//! incident that holds the alert which had opened it ([`crate::Change::Redirected`]).

use crate::alerts::{ent_slot, Stamp, NONE};
use crate::engine::{Delta, Engine};
use crate::incidents::union;
use crate::journal::Journal;
use crate::region::{Region, Seed};
use crate::Outcome;
use std::cmp::Ordering;
use std::collections::HashMap;

impl Engine {
    /// Replays the region of `seeds` (see the module docs) and returns the outcome. `hints` maps
    /// alerts to the key they should reopen under.
    pub(crate) fn replay(
        &mut self,
        seeds: &[Seed],
        deltas: &[Delta],
        mut hints: HashMap<u32, u64>,
        j: &mut Journal,
    ) {
        let Some(p) = self.earliest(seeds) else {
            return;
        };
        let region = self.region(seeds, deltas, p);
        let freed = self.rollback(&region, p, j, &mut hints);
        let mut order: Vec<u32> = region
            .alerts
            .iter()
            .copied()
            .filter(|&s| self.live(s))
            .collect();
        order.sort_by(|&a, &b| self.alerts.cmp(a, b));
        for a in order {
            let hint = hints.get(&a).copied();
            self.step(a, hint, j);
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

    /// Takes the region back to `p`; returns the freed keys with the alert that had opened each.
    fn rollback(
        &mut self,
        region: &Region,
        p: Stamp,
        j: &mut Journal,
        hints: &mut HashMap<u32, u64>,
    ) -> Vec<(u64, u32)> {
        for &a in &region.alerts {
            j.touch_alert(a, self.root_key(a));
        }
        let mut changed = std::collections::HashSet::new();
        for root in self.changing_trees(region, p) {
            let mut tree = Vec::new();
            self.incs.tree(root, &mut tree);
            for i in tree {
                let key = self.incs.key(i);
                j.touch_incident(key, self.inc_state(key));
                let members = self
                    .incs
                    .get(i)
                    .map(|x| x.members.to_vec())
                    .unwrap_or_default();
                for m in members {
                    j.touch_alert(m, self.root_key(m));
                }
                changed.insert(i);
            }
        }
        for &a in &region.alerts {
            let placed = self.alerts.rec(a).placed;
            if placed == NONE {
                continue;
            }
            hints.entry(a).or_insert_with(|| self.incs.key(placed));
            if let Some(inc) = self.incs.get_mut(placed) {
                inc.members.retain(|m| *m != a);
            }
            if let Some(r) = self.alerts.rec_mut(a) {
                r.placed = NONE;
            }
            self.alerts.clear_codes(a);
        }
        let mut freed = Vec::new();
        for &i in &region.incidents {
            let Some(inc) = self.incs.get(i) else {
                continue;
            };
            let (opened, merged, parent, key) = (inc.opened, inc.merged, inc.parent, inc.key);
            if self.alerts.cmp_stamp(opened, p) != Ordering::Less {
                freed.push((key, opened.slot));
                self.incs.detach(i);
                self.incs.delete(i);
            } else if parent != NONE && self.alerts.cmp_stamp(merged, p) != Ordering::Less {
                self.incs.detach(i);
            }
        }
        for &i in &region.incidents {
            if changed.contains(&i) && self.incs.get(i).is_some_and(|inc| inc.parent == NONE) {
                self.recompute(i);
            }
        }
        freed
    }

    /// The current roots of the region's trees that taking back to `p` changes: a tree with an
    /// alert at or after `p`, an incident opened or merged at or after `p`.
    fn changing_trees(&self, region: &Region, p: Stamp) -> Vec<u32> {
        let mut roots: Vec<u32> = region
            .incidents
            .iter()
            .copied()
            .filter(|&i| self.changes_at(i, p))
            .map(|i| self.incs.root(i))
            .collect();
        roots.sort_unstable();
        roots.dedup();
        roots
    }

    /// Whether incident `i` has an alert at or after `p`, or was opened or merged at or after it.
    fn changes_at(&self, i: u32, p: Stamp) -> bool {
        let Some(inc) = self.incs.get(i) else {
            return false;
        };
        let after = |s: Stamp| self.alerts.cmp_stamp(s, p) != Ordering::Less;
        after(inc.opened)
            || (inc.parent != NONE && after(inc.merged))
            || inc.members.iter().any(|&m| after(self.alerts.stamp(m)))
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
