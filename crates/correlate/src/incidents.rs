//! The incident table: incidents as trees. A live incident is a root; merging redirects a younger
//! root into an older one (it becomes its child), so an incident's *group* — the alerts it
//! answers for — is its whole tree.
//!
//! Each incident keeps the alerts placed in it directly, when it was opened and (for a child)
//! when it was merged, so a replay can take the tree back to any earlier position in canonical
//! order. A root's entity set is the union over its tree, kept current for the entity cap;
//! a child's is recomputed when a replay detaches it.

use crate::alerts::{Stamp, NONE};
use crate::change::Reason;
use smallvec::SmallVec;
use std::cell::OnceCell;
use std::collections::HashMap;

/// Keys map with a mixing hash (keys are sequential).
type KeyMap<V> = HashMap<u64, V, foldhash::fast::FixedState>;

/// What few incidents need: children and the entities of alerts that left the window.
#[derive(Debug, Clone, Default)]
pub(crate) struct Extra {
    /// Incidents merged into this one, in merge order.
    pub children: Vec<u32>,
    /// Entity keys of alerts that left the window (still part of the incident's entity set).
    pub residue: Vec<u64>,
}

/// One incident.
#[derive(Debug, Default)]
pub(crate) struct Incident {
    /// Its key.
    pub key: u64,
    /// Whether the slot holds an incident.
    pub used: bool,
    /// The alert that opened it.
    pub opened: Stamp,
    /// The incident it is merged into, or [`NONE`] when live.
    pub parent: u32,
    /// The live incident of its tree (itself when live), kept current by attach and detach.
    pub top: u32,
    /// The alert whose arrival merged it (meaningful when `parent` is set).
    pub merged: Stamp,
    /// Alerts placed directly in it.
    pub members: SmallVec<[u32; 2]>,
    /// Sorted entity keys; for a root, of its whole tree.
    pub ents: Vec<u64>,
    /// For a root: live alerts in its tree.
    pub live: u32,
    /// Children and residue, when it has any.
    pub extra: Option<Box<Extra>>,
    /// Materialised reasons, until the group changes.
    pub reasons: OnceCell<Box<[Reason]>>,
    /// For the view at an earlier position ([`crate::view`]): each entity key of the alerts
    /// placed directly in it, with the earliest of them (canonical order) that carries it; sorted
    /// by key. Kept current when an alert is placed in it; forgotten when a member leaves or its time
    /// or entities change.
    pub firsts: OnceCell<Vec<(u64, Stamp)>>,
}

impl Incident {
    /// The incidents merged into this one.
    pub(crate) fn children(&self) -> &[u32] {
        self.extra.as_ref().map_or(&[], |x| &x.children)
    }

    /// The residue entity keys.
    pub(crate) fn residue(&self) -> &[u64] {
        self.extra.as_ref().map_or(&[], |x| &x.residue)
    }

    /// The extra part, created when needed.
    pub(crate) fn extra_mut(&mut self) -> &mut Extra {
        self.extra.get_or_insert_with(Default::default)
    }
}

/// The incident table.
#[derive(Debug)]
pub(crate) struct Incidents {
    recs: Vec<Incident>,
    free: Vec<u32>,
    by_key: KeyMap<u32>,
    /// The next key to allocate.
    pub next_key: u64,
    /// Keys a replay emptied, and the live incident each now redirects to.
    pub retired: KeyMap<u64>,
}

impl Incidents {
    /// An empty table allocating keys from `next_key`.
    pub(crate) fn new(next_key: u64) -> Incidents {
        Incidents {
            recs: Vec::new(),
            free: Vec::new(),
            by_key: KeyMap::default(),
            next_key,
            retired: KeyMap::default(),
        }
    }

    /// The incident in `slot`.
    pub(crate) fn get(&self, slot: u32) -> Option<&Incident> {
        self.recs.get(slot as usize).filter(|i| i.used)
    }

    /// The incident in `slot`, mutably.
    pub(crate) fn get_mut(&mut self, slot: u32) -> Option<&mut Incident> {
        self.recs.get_mut(slot as usize).filter(|i| i.used)
    }

    /// The key of `slot` (0 when free).
    pub(crate) fn key(&self, slot: u32) -> u64 {
        self.get(slot).map_or(0, |i| i.key)
    }

    /// The slot of the incident `key`.
    pub(crate) fn slot_of(&self, key: u64) -> Option<u32> {
        self.by_key.get(&key).copied()
    }

    /// Whether `key` is in use (an incident, or retired).
    pub(crate) fn key_taken(&self, key: u64) -> bool {
        self.by_key.contains_key(&key) || self.retired.contains_key(&key)
    }

    /// The live incident `slot` belongs to.
    pub(crate) fn root(&self, slot: u32) -> u32 {
        self.get(slot).map_or(slot, |i| i.top)
    }

    /// Sets the `top` of every incident under `slot` to `top`.
    fn set_top(&mut self, slot: u32, top: u32) {
        let mut tree = Vec::new();
        self.tree(slot, &mut tree);
        for i in tree {
            if let Some(inc) = self.get_mut(i) {
                inc.top = top;
            }
        }
    }

    /// A fresh key.
    pub(crate) fn alloc_key(&mut self) -> u64 {
        while self.key_taken(self.next_key) {
            self.next_key += 1;
        }
        let key = self.next_key;
        self.next_key += 1;
        key
    }

    /// Opens an incident `key` (not in use) for the alert at `opened`.
    pub(crate) fn open(&mut self, key: u64, opened: Stamp) -> u32 {
        self.retired.remove(&key);
        if key >= self.next_key {
            self.next_key = key + 1;
        }
        let inc = Incident {
            key,
            used: true,
            opened,
            parent: NONE,
            merged: opened,
            ..Incident::default()
        };
        let slot = match self.free.pop() {
            Some(s) => {
                self.recs[s as usize] = inc;
                s
            }
            None => {
                self.recs.push(inc);
                (self.recs.len() - 1) as u32
            }
        };
        self.recs[slot as usize].top = slot;
        self.by_key.insert(key, slot);
        slot
    }

    /// Deletes the incident in `slot` (its key becomes free).
    pub(crate) fn delete(&mut self, slot: u32) {
        if self.get(slot).is_none() {
            return;
        }
        self.release_key(slot);
        self.recs[slot as usize] = Incident::default();
        self.free.push(slot);
    }

    /// Frees the key of the incident in `slot` (which stays, keyless to lookups, until deleted).
    pub(crate) fn release_key(&mut self, slot: u32) {
        let Some(key) = self.get(slot).map(|i| i.key) else {
            return;
        };
        if self.by_key.get(&key) == Some(&slot) {
            self.by_key.remove(&key);
        }
    }

    /// Gives the incident in `slot` the key `key` (not in use).
    pub(crate) fn rekey(&mut self, slot: u32, key: u64) {
        if let Some(inc) = self.get_mut(slot) {
            inc.key = key;
            self.by_key.insert(key, slot);
        }
    }

    /// Makes `child` (a root) a child of `parent`, merged by the alert at `merged`, at `index`
    /// among its children (they are kept in merge order).
    pub(crate) fn attach(&mut self, child: u32, parent: u32, merged: Stamp, index: usize) {
        if let Some(c) = self.get_mut(child) {
            c.parent = parent;
            c.merged = merged;
            c.ents = Vec::new();
        }
        if let Some(p) = self.get_mut(parent) {
            let children = &mut p.extra_mut().children;
            children.insert(index.min(children.len()), child);
        }
        let top = self.root(parent);
        self.set_top(child, top);
    }

    /// Detaches `child` from its parent (it is live again; its entity set must be recomputed).
    pub(crate) fn detach(&mut self, child: u32) {
        let Some(parent) = self.get(child).map(|c| c.parent).filter(|&p| p != NONE) else {
            return;
        };
        if let Some(x) = self.get_mut(parent).and_then(|p| p.extra.as_mut()) {
            x.children.retain(|c| *c != child);
        }
        if let Some(c) = self.get_mut(child) {
            c.parent = NONE;
        }
        self.set_top(child, child);
    }

    /// Every incident of the tree under `root`, root first.
    pub(crate) fn tree(&self, root: u32, out: &mut Vec<u32>) {
        let start = out.len();
        out.push(root);
        let mut i = start;
        while i < out.len() {
            if let Some(inc) = self.get(out[i]) {
                out.extend_from_slice(inc.children());
            }
            i += 1;
        }
    }

    /// Every alert of the tree under `root`.
    pub(crate) fn group(&self, root: u32, out: &mut Vec<u32>) {
        let mut tree = Vec::new();
        self.tree(root, &mut tree);
        for slot in tree {
            if let Some(inc) = self.get(slot) {
                out.extend_from_slice(&inc.members);
            }
        }
    }

    /// The live (root) incidents.
    pub(crate) fn roots(&self) -> impl Iterator<Item = u32> + '_ {
        self.recs
            .iter()
            .enumerate()
            .filter(|(_, i)| i.used && i.parent == NONE)
            .map(|(s, _)| s as u32)
    }

    /// How many incidents (live and redirected) are held.
    pub(crate) fn len(&self) -> usize {
        self.by_key.len()
    }

    /// Heap bytes.
    pub(crate) fn bytes(&self) -> usize {
        let own: usize = self
            .recs
            .iter()
            .map(|i| {
                let members = if i.members.spilled() {
                    i.members.capacity() * 4
                } else {
                    0
                };
                let extra = i.extra.as_ref().map_or(0, |x| {
                    std::mem::size_of::<Extra>()
                        + x.children.capacity() * 4
                        + x.residue.capacity() * 8
                });
                let reasons = i.reasons.get().map_or(0, |r| r.len() * 96);
                let firsts = i.firsts.get().map_or(0, |f| f.capacity() * 24);
                members + i.ents.capacity() * 8 + extra + reasons + firsts
            })
            .sum();
        own + self.recs.capacity() * std::mem::size_of::<Incident>()
            + self.free.capacity() * 4
            + crate::pool::map_bytes(self.by_key.capacity(), 16)
            + crate::pool::map_bytes(self.retired.capacity(), 16)
    }
}

/// The union of two sorted key sets.
pub(crate) fn union(a: &[u64], b: &[u64]) -> Vec<u64> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// The size of the union of two sorted key sets, without building it.
pub(crate) fn union_len(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
        n += 1;
    }
    n + (a.len() - i) + (b.len() - j)
}

/// Whether the union of two sorted key sets has at most `cap` keys: the larger set plus the
/// smaller one's keys missing from it (binary searches), stopping early.
pub(crate) fn within_cap(a: &[u64], b: &[u64], cap: usize) -> bool {
    if a.len() + b.len() <= cap {
        return true;
    }
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.len() * 8 > large.len() {
        return union_len(a, b) <= cap;
    }
    let mut n = large.len();
    for k in small {
        if large.binary_search(k).is_err() {
            n += 1;
            if n > cap {
                return false;
            }
        }
    }
    n <= cap
}
