//! The incidents as the canonical process saw them at an earlier position: the *view at* a
//! [`Stamp`]. A replay ([`crate::replay`]) re-decides an alert at its own position while the
//! incident table already holds what later alerts did; the view leaves those out.
//!
//! At position `t` (the state after every alert before `t` was processed):
//!
//! * an incident's live incident is found by following merges made before `t`;
//! * a tree holds the incidents merged into its root before `t`;
//! * its alerts are its members placed before `t` (the alerts evicted from the window are older
//!   than anything, and count through the residue).
//!
//! `None` means *now*: the current state, with the cached `top` and entity sets (the in-order
//! path, which never pays for the view).

use crate::alerts::{ent_slot, Stamp, NONE};
use crate::engine::Engine;
use crate::incidents::union;
use std::borrow::Cow;
use std::cmp::Ordering;

impl Engine {
    /// Whether `s` is before `at` in canonical order (everything is before *now*).
    pub(crate) fn before(&self, s: Stamp, at: Option<Stamp>) -> bool {
        at.is_none_or(|at| self.alerts.cmp_stamp(s, at) == Ordering::Less)
    }

    /// The live incident that incident `slot` belonged to at `at`.
    pub(crate) fn root_at(&self, slot: u32, at: Option<Stamp>) -> u32 {
        if at.is_none() {
            return self.incs.root(slot);
        }
        let mut s = slot;
        while let Some(inc) = self.incs.get(s) {
            if inc.parent == NONE || !self.before(inc.merged, at) {
                break;
            }
            s = inc.parent;
        }
        s
    }

    /// Every incident of the tree under `root` at `at`, root first (children in merge order).
    pub(crate) fn tree_at(&self, root: u32, at: Option<Stamp>, out: &mut Vec<u32>) {
        if at.is_none() {
            self.incs.tree(root, out);
            return;
        }
        let start = out.len();
        out.push(root);
        let mut i = start;
        while i < out.len() {
            let node = out[i];
            out.extend(self.children_at(node, at));
            i += 1;
        }
    }

    /// The incidents merged into `slot` before `at`, in merge order.
    pub(crate) fn children_at(
        &self,
        slot: u32,
        at: Option<Stamp>,
    ) -> impl Iterator<Item = u32> + '_ {
        let children = self.incs.get(slot).map_or(&[][..], |i| i.children());
        children
            .iter()
            .copied()
            .filter(move |&c| self.incs.get(c).is_some_and(|x| self.before(x.merged, at)))
    }

    /// The sorted entity keys of root `root`'s tree at `at`.
    pub(crate) fn ents_at(&self, root: u32, at: Option<Stamp>) -> Cow<'_, [u64]> {
        if at.is_none() {
            return Cow::Borrowed(self.incs.get(root).map_or(&[][..], |i| &i.ents[..]));
        }
        let mut tree = Vec::new();
        self.tree_at(root, at, &mut tree);
        let mut keys: Vec<u64> = Vec::new();
        for &i in &tree {
            let Some(inc) = self.incs.get(i) else {
                continue;
            };
            // A key is in the set at `at` when some member placed before `at` carries it: when
            // the earliest member carrying it is. Both lists are sorted, so the sets are merged,
            // not sorted.
            let mine: Vec<u64> = self
                .firsts(i)
                .iter()
                .filter(|(_, s)| self.before(*s, at))
                .map(|&(k, _)| k)
                .collect();
            let node = match inc.residue() {
                [] => mine,
                residue => union(residue, &mine),
            };
            keys = match keys.is_empty() {
                true => node,
                false => union(&keys, &node),
            };
        }
        Cow::Owned(keys)
    }

    /// Incident `slot`'s [`Incident::firsts`](crate::incidents::Incident::firsts), computed when
    /// missing: each key once per incident instead of once per member, so the view of an incident
    /// of thousands of alerts sharing a few hundred entities costs the few hundred.
    fn firsts(&self, slot: u32) -> &[(u64, Stamp)] {
        let Some(inc) = self.incs.get(slot) else {
            return &[];
        };
        inc.firsts.get_or_init(|| {
            let mut pairs: Vec<(u64, Stamp)> = Vec::new();
            for &m in &inc.members {
                let s = self.alerts.stamp(m);
                let ents = self.alerts.ents(m);
                pairs.extend(ents.iter().map(|&p| (self.ents.key(ent_slot(p)), s)));
            }
            pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(self.alerts.cmp_stamp(a.1, b.1)));
            // The first of each key's run is its earliest carrier.
            pairs.dedup_by_key(|p| p.0);
            pairs
        })
    }

    /// Alert `a` was just placed in incident `slot`: its keys enter the incident's
    /// [`firsts`](Engine::firsts) when they are computed (a join need not recompute them).
    pub(crate) fn first_member(&mut self, a: u32, slot: u32) {
        let Some(f) = self.incs.get_mut(slot).and_then(|i| i.firsts.get_mut()) else {
            return;
        };
        let s = self.alerts.stamp(a);
        for &p in self.alerts.ents(a) {
            let k = self.ents.key(ent_slot(p));
            match f.binary_search_by_key(&k, |e| e.0) {
                Ok(i) => {
                    if self.alerts.cmp_stamp(s, f[i].1) == Ordering::Less {
                        f[i].1 = s;
                    }
                }
                Err(i) => f.insert(i, (k, s)),
            }
        }
    }

    /// Alert `a`'s time or entities changed: the incident it is placed in forgets its
    /// [`firsts`](Engine::firsts).
    pub(crate) fn member_changed(&mut self, a: u32) {
        let placed = self.alerts.rec(a).placed;
        if let Some(inc) = (placed != NONE)
            .then(|| self.incs.get_mut(placed))
            .flatten()
        {
            inc.firsts.take();
        }
    }
}
