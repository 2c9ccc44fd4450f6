//! The canonical step: what one alert does when it is processed, given every alert before it in
//! canonical order. The whole grouping is defined by applying it to every alert in that order.
//!
//! 1. A pinned alert goes to its pinned incident (opened for it if needed) and links nothing.
//! 2. Otherwise its **links**: for each of its linkable entities not over the frequency cap
//!    (fewer than `frequency_cap` earlier alerts within the window carry it), each earlier alert
//!    carrying it within the window, credited to the first rule that links the pair (the rule's
//!    kind, window and `min_kinds`).
//! 3. The **candidates** are the live incidents of the linked alerts, oldest first (by the
//!    canonical position of the alert that opened them).
//! 4. The alert joins the oldest candidate it may join: not resolved, and not pushed over the
//!    entity cap. With none it opens an incident.
//! 5. Each other candidate, oldest first, is merged into that incident (becomes redirected into
//!    it) when the guards allow: neither resolved, no two different assignees, no two different
//!    classifications, the union within the entity cap. A candidate older than the target is
//!    never mergeable (it failed 4 for a reason that also forbids the merge), so the younger
//!    incident is always the one redirected.
//! 6. The link codes of the alert's entities record which rule linked it into its incident.

use crate::alerts::{ent_slot, Stamp, NONE, PINNED, SLOT_BITS, SLOT_MASK};
use crate::engine::Engine;
use crate::incidents::{union, within_cap};
use crate::journal::Journal;
use model::enums::AlertClassification;
use std::cmp::Ordering;

/// The guard state of a live incident: its own state and what it inherited from merged ones.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Guard {
    resolved: bool,
    assignee: Option<String>,
    class: Option<AlertClassification>,
}

/// What processing one alert does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Decision {
    /// A pinned alert goes to the incident of this key (opened for it if needed).
    Pinned(u64),
    /// It opens an incident.
    Open,
    /// It joins root `.0` and merges the roots `.1` into it, in that order.
    Join(u32, Vec<u32>),
}

impl Engine {
    /// Processes alert `a` in canonical order (see the module docs), as the last alert. `hint` is
    /// the key to reuse if it opens an incident and the key is free.
    pub(crate) fn step(&mut self, a: u32, hint: Option<u64>, j: &mut Journal) {
        j.touch_alert(a, self.root_key(a));
        let d = self.decide(a, None);
        self.apply(a, &d, hint, j);
    }

    /// What alert `a` does when processed at `at` (`None`: as the last alert), without changing
    /// anything. Leaves the alert's entity keys in `scratch.keys` and its links in
    /// `scratch.links`, for [`Engine::apply`].
    pub(crate) fn decide(&mut self, a: u32, at: Option<Stamp>) -> Decision {
        self.entity_keys(a);
        self.scratch.links.clear();
        if self.alerts.rec(a).flags & PINNED != 0 {
            let key = self.pins.place(self.alerts.id(a)).map(|p| p.key);
            if let Some(key) = key {
                return Decision::Pinned(key);
            }
        }
        self.collect_preds(a);
        self.rate_links(a, at);
        let mut cands = std::mem::take(&mut self.scratch.cands);
        cands.clear();
        cands.extend(self.scratch.links.iter().map(|l| l.0));
        cands.sort_unstable();
        cands.dedup();
        cands.sort_by(|&x, &y| self.cmp_age(x, y));
        let target = cands.iter().copied().find(|&c| self.joinable(c, at));
        let decision = match target {
            None => Decision::Open,
            Some(t) if cands.len() == 1 => Decision::Join(t, Vec::new()),
            Some(t) => Decision::Join(t, self.merges(t, &cands, at)),
        };
        self.scratch.cands = cands;
        decision
    }

    /// The candidates `cands` the alert being processed merges into its target `t` at `at`,
    /// oldest first: each one the guards allow and the entity cap admits after the earlier ones.
    /// Entity sets are bounded by the current trees' first (exact at `at` only when that fails).
    fn merges(&self, t: u32, cands: &[u32], at: Option<Stamp>) -> Vec<u32> {
        let keys = &self.scratch.keys;
        let cap = self.c.entity_cap;
        let mut merges = Vec::new();
        let mut bound = union(self.ents_bound(t), keys);
        let mut exact: Option<Vec<u64>> = None;
        for &c in cands.iter().filter(|&&c| c != t) {
            if self.incs.get(c).is_none() || !self.guards_allow(t, c, &merges, at) {
                continue;
            }
            let cb = self.ents_bound(c);
            let fits = within_cap(&bound, cb, cap)
                || (at.is_some() && {
                    let e = exact.get_or_insert_with(|| {
                        let mut e = union(&self.ents_at(t, at), keys);
                        for &m in &merges {
                            e = union(&e, &self.ents_at(m, at));
                        }
                        e
                    });
                    within_cap(e, &self.ents_at(c, at), cap)
                });
            if fits {
                bound = union(&bound, cb);
                if let Some(e) = exact.as_mut() {
                    *e = union(e, &self.ents_at(c, at));
                }
                merges.push(c);
            }
        }
        merges
    }

    /// An upper bound of root `c`'s entity set at any position: its current tree's (exact now).
    fn ents_bound(&self, c: u32) -> &[u64] {
        self.incs
            .get(self.incs.root(c))
            .map_or(&[][..], |i| &i.ents[..])
    }

    /// Carries out `a`'s decision `d` (from [`Engine::decide`], with its scratch state).
    pub(crate) fn apply(&mut self, a: u32, d: &Decision, hint: Option<u64>, j: &mut Journal) {
        match d {
            Decision::Pinned(key) => self.place_pinned(a, *key, j),
            Decision::Open => self.open_for(a, hint, j),
            Decision::Join(t, merges) => {
                self.place(a, *t);
                for &c in merges {
                    self.merge_into(c, *t, self.alerts.stamp(a), j);
                }
                self.set_codes(a, *t, merges);
            }
        }
    }

    /// Fills `scratch.keys` with the sorted entity keys of `a`.
    fn entity_keys(&mut self, a: u32) {
        let mut keys = std::mem::take(&mut self.scratch.keys);
        keys.clear();
        keys.extend(
            self.alerts
                .ents(a)
                .iter()
                .map(|&p| self.ents.key(ent_slot(p))),
        );
        keys.sort_unstable();
        keys.dedup();
        self.scratch.keys = keys;
    }

    /// The earlier alerts sharing an uncapped entity with `a` within the window.
    fn collect_preds(&mut self, a: u32) {
        let mut preds = std::mem::take(&mut self.scratch.preds);
        preds.clear();
        let t = self.alerts.rec(a).t;
        let from = t.saturating_sub(self.c.window);
        for (idx, &packed) in self.alerts.ents(a).iter().enumerate() {
            let e = ent_slot(packed);
            let postings = self.ents.postings(e);
            let pos = match postings.last() {
                Some(&last) if last == a => postings.len() - 1,
                _ => postings.partition_point(|&s| self.alerts.cmp(s, a) == Ordering::Less),
            };
            let lo = postings[..pos].partition_point(|&s| self.alerts.rec(s).t < from);
            if pos - lo >= self.c.frequency_cap {
                continue;
            }
            let kind = self.ents.kind(e).index();
            preds.extend(postings[lo..pos].iter().map(|&b| (b, idx as u8, kind)));
        }
        self.scratch.preds = preds;
    }

    /// Turns `scratch.preds` into links (candidate root, entity index, rule).
    fn rate_links(&mut self, a: u32, at: Option<Stamp>) {
        let mut preds = std::mem::take(&mut self.scratch.preds);
        let mut links = std::mem::take(&mut self.scratch.links);
        links.clear();
        let t = self.alerts.rec(a).t;
        if self.c.multi {
            preds.sort_unstable_by_key(|p| p.0);
        }
        let mut i = 0;
        while i < preds.len() {
            let b = preds[i].0;
            let mut end = i + 1;
            let mut shared = 1u8 << preds[i].2;
            if self.c.multi {
                while end < preds.len() && preds[end].0 == b {
                    shared |= 1 << preds[end].2;
                    end += 1;
                }
            }
            let placed = self.alerts.rec(b).placed;
            if placed != NONE {
                let root = self.root_at(placed, at);
                let dt = t - self.alerts.rec(b).t;
                for &(_, idx, kind) in &preds[i..end] {
                    let bit = 1u8 << kind;
                    let own = if self.c.multi { shared } else { bit };
                    if let Some(rule) = self.c.rule_for(bit, own, dt) {
                        links.push((root, idx, rule));
                    }
                }
            }
            i = end;
        }
        self.scratch.preds = preds;
        self.scratch.links = links;
    }

    /// Records, on each entity of `a`, the first rule that linked it into an incident now in its
    /// group (`merged`: the roots it joined or merged).
    pub(crate) fn set_codes(&mut self, a: u32, target: u32, merged: &[u32]) {
        let links = std::mem::take(&mut self.scratch.links);
        let ents = self.alerts.ents_mut(a);
        for &(root, idx, rule) in &links {
            if root != target && !merged.contains(&root) {
                continue;
            }
            if let Some(e) = ents.get_mut(usize::from(idx)) {
                let code = (*e >> SLOT_BITS) as u8;
                let new = rule.saturating_add(1);
                if code == 0 || new < code {
                    *e = (*e & SLOT_MASK) | (u32::from(new) << SLOT_BITS);
                }
            }
        }
        self.scratch.links = links;
    }

    /// Canonical age order of two incidents: by the position of the alert that opened them.
    pub(crate) fn cmp_age(&self, x: u32, y: u32) -> Ordering {
        let (ox, oy) = (self.incs.get(x), self.incs.get(y));
        let (Some(ix), Some(iy)) = (ox, oy) else {
            return x.cmp(&y);
        };
        self.alerts
            .cmp_stamp(ix.opened, iy.opened)
            .then(ix.key.cmp(&iy.key))
    }

    /// Whether the alert being processed (its keys in `scratch.keys`) may join root `c` at `at`.
    fn joinable(&self, c: u32, at: Option<Stamp>) -> bool {
        if self.incs.get(c).is_none() || self.guard(c, at, &[]).resolved {
            return false;
        }
        let (keys, cap) = (&self.scratch.keys, self.c.entity_cap);
        within_cap(self.ents_bound(c), keys, cap)
            || (at.is_some() && within_cap(&self.ents_at(c, at), keys, cap))
    }

    /// Whether the guards let root `c` merge into root `t` (with the roots `merged` just merged
    /// into it) at `at`: neither resolved, no two assignees, no two classifications.
    fn guards_allow(&self, t: u32, c: u32, merged: &[u32], at: Option<Stamp>) -> bool {
        if self.pins.states.is_empty() {
            return true;
        }
        let (gt, gc) = (self.guard(t, at, merged), self.guard(c, at, &[]));
        let differ = |a: &Option<String>, b: &Option<String>| a.is_some() && b.is_some() && a != b;
        let classes_differ = gt.class.is_some() && gc.class.is_some() && gt.class != gc.class;
        let refused = gt.resolved || gc.resolved || differ(&gt.assignee, &gc.assignee);
        !(refused || classes_differ)
    }

    /// The guard of root `root` at `at`, with the roots `merged` just merged into it (its last
    /// children): its own state; assignee and classification inherited, when it has none, from
    /// the first incident of its tree (breadth first, children in merge order) that has one.
    pub(crate) fn guard(&self, root: u32, at: Option<Stamp>, merged: &[u32]) -> Guard {
        if self.pins.states.is_empty() {
            return Guard::default();
        }
        let mut guard = Guard::default();
        let mut tree = vec![root];
        let mut i = 0;
        while i < tree.len() {
            let node = tree[i];
            tree.extend(self.children_at(node, at));
            if i == 0 {
                tree.extend_from_slice(merged);
            }
            i += 1;
        }
        for (n, slot) in tree.into_iter().enumerate() {
            let Some(state) = self.pins.states.get(&self.incs.key(slot)) else {
                continue;
            };
            if n == 0 {
                guard.resolved = state.resolved;
            }
            guard.assignee = guard.assignee.or_else(|| state.assignee());
            guard.class = guard.class.or_else(|| state.class());
        }
        guard
    }

    /// Opens an incident for `a` alone, under `hint` when that key is free and no pin names it.
    pub(crate) fn open_for(&mut self, a: u32, hint: Option<u64>, j: &mut Journal) {
        // A key a pin names is opened by its pinned alerts, never by one that merely correlates.
        let key = match hint.filter(|&k| !self.incs.key_taken(k) && !self.pins.claimed(k)) {
            Some(k) => k,
            None => self.incs.alloc_key(),
        };
        self.open_keyed(a, key, j);
    }

    /// Opens incident `key` for `a`.
    pub(crate) fn open_keyed(&mut self, a: u32, key: u64, j: &mut Journal) -> u32 {
        j.touch_incident(key, self.inc_state(key));
        let slot = self.incs.open(key, self.alerts.stamp(a));
        self.place(a, slot);
        slot
    }

    /// Puts `a` in `slot` directly; the root's entity set and count grow.
    pub(crate) fn place(&mut self, a: u32, slot: u32) {
        if let Some(r) = self.alerts.rec_mut(a) {
            r.placed = slot;
        }
        let root = self.incs.root(slot);
        if let Some(inc) = self.incs.get_mut(slot) {
            inc.members.push(a);
        }
        self.first_member(a, slot);
        let keys = std::mem::take(&mut self.scratch.keys);
        if let Some(r) = self.incs.get_mut(root) {
            for &k in &keys {
                if let Err(at) = r.ents.binary_search(&k) {
                    r.ents.insert(at, k);
                }
            }
            r.live += 1;
            r.reasons.take();
        }
        self.scratch.keys = keys;
    }

    /// Merges root `c` into root `t` (the alert at `by` bridged them).
    pub(crate) fn merge_into(&mut self, c: u32, t: u32, by: Stamp, j: &mut Journal) {
        let ckey = self.incs.key(c);
        j.touch_incident(ckey, self.inc_state(ckey));
        let mut group = Vec::new();
        self.incs.group(c, &mut group);
        for s in group {
            j.touch_alert(s, self.root_key(s));
        }
        let (cents, clive) = match self.incs.get_mut(c) {
            Some(ic) => {
                ic.reasons.take();
                (std::mem::take(&mut ic.ents), ic.live)
            }
            None => return,
        };
        let top = self.incs.root(t);
        if let Some(it) = self.incs.get_mut(top) {
            it.ents = union(&it.ents, &cents);
            it.live += clive;
            it.reasons.take();
        }
        let children = self.incs.get(t).map_or(&[][..], |i| i.children());
        let index = children.partition_point(|&x| {
            self.incs
                .get(x)
                .is_some_and(|i| self.alerts.cmp_stamp(i.merged, by) != Ordering::Greater)
        });
        self.incs.attach(c, t, by, index);
    }

    /// Places pinned alert `a` in incident `key`, opening it when it does not exist.
    pub(crate) fn place_pinned(&mut self, a: u32, key: u64, j: &mut Journal) {
        match self.incs.slot_of(key) {
            Some(slot) => self.place(a, slot),
            None => {
                self.open_keyed(a, key, j);
            }
        }
    }
}
