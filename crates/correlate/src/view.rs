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
            keys.extend_from_slice(inc.residue());
            for &m in &inc.members {
                if self.before(self.alerts.stamp(m), at) {
                    keys.extend(
                        self.alerts
                            .ents(m)
                            .iter()
                            .map(|&p| self.ents.key(ent_slot(p))),
                    );
                }
            }
        }
        keys.sort_unstable();
        keys.dedup();
        Cow::Owned(keys)
    }
}
