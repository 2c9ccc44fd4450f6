//! The region of a change: the alerts whose canonical step may decide differently after a late
//! alert, a changed alert or a manual decision, and the incident trees those decisions touch.
//!
//! Let `p` be the earliest canonical position changed. Steps before `p` read only alerts before
//! `p`, so they stand. A step after `p` reads the alerts it links to and their incidents; it can
//! only change if one of those is in the region. So the region is the closure, from the changed
//! alerts, of:
//!
//! * alert → the earlier alerts it links to (at or after `p`) and the incidents of those before
//!   `p`; the later alerts that link to it; its own incident and its pinned incident;
//! * incident → its whole current tree: every alert of it at or after `p`, and every later alert
//!   (at or after `p`) linking to one of its alerts.
//!
//! A link exists in the old or the new state: entities the change added or removed count, and an
//! alert whose frequency count the change moved across the cap counts as linked either way (the
//! [`Delta`]s). Everything outside the region keeps its decision, so replaying the region's alerts
//! in canonical order from the incidents' state at `p` ends where a full rebuild ends.

use crate::alerts::{ent_slot, Stamp, NONE, PINNED};
use crate::engine::{Delta, Engine};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

/// A changed alert: its slot, and (when its entities or time changed) what they were.
#[derive(Debug, Clone)]
pub(crate) struct Seed {
    /// The alert.
    pub slot: u32,
    /// Its former time and linkable entity slots, when they changed.
    pub old: Option<(i64, Vec<u32>)>,
}

/// The region: alerts at or after `p` to replay, and the incidents of the trees they touch.
#[derive(Debug, Default)]
pub(crate) struct Region {
    /// Alerts to replay.
    pub alerts: Vec<u32>,
    /// Every incident of every touched tree.
    pub incidents: Vec<u32>,
}

/// The closure's work lists.
struct Walk<'e> {
    engine: &'e Engine,
    p: Stamp,
    deltas: &'e [Delta],
    alerts: HashSet<u32>,
    incidents: HashSet<u32>,
    queue: Vec<u32>,
    inc_queue: Vec<u32>,
    memo: HashMap<u32, Vec<u32>>,
    region: Region,
}

impl Engine {
    /// The region of `seeds` (see the module docs); `p` is the earliest changed position.
    pub(crate) fn region(&self, seeds: &[Seed], deltas: &[Delta], p: Stamp) -> Region {
        let mut w = Walk {
            engine: self,
            p,
            deltas,
            alerts: HashSet::new(),
            incidents: HashSet::new(),
            queue: Vec::new(),
            inc_queue: Vec::new(),
            memo: HashMap::new(),
            region: Region::default(),
        };
        for seed in seeds {
            if let Some((t, ents)) = &seed.old {
                w.neighbours(
                    Stamp {
                        t: *t,
                        slot: seed.slot,
                    },
                    ents,
                );
            }
            w.push(seed.slot);
        }
        loop {
            if let Some(a) = w.queue.pop() {
                w.visit_alert(a);
            } else if let Some(i) = w.inc_queue.pop() {
                w.visit_incident(i);
            } else {
                break;
            }
        }
        w.region
    }
}

impl Walk<'_> {
    fn push(&mut self, a: u32) {
        if self.alerts.insert(a) {
            self.queue.push(a);
            self.region.alerts.push(a);
        }
    }

    fn push_incident(&mut self, slot: u32) {
        if slot != NONE && !self.incidents.contains(&slot) {
            self.inc_queue.push(slot);
        }
    }

    /// Whether stamp `s` is at or after `p`.
    fn after_p(&self, s: Stamp) -> bool {
        self.engine.alerts.cmp_stamp(s, self.p) != Ordering::Less
    }

    fn visit_alert(&mut self, a: u32) {
        let e = self.engine;
        let rec = *e.alerts.rec(a);
        self.push_incident(rec.placed);
        if rec.flags & PINNED != 0 {
            let key = e.pins.places.get(e.alerts.id(a)).map(|p| p.key);
            if let Some(slot) = key.and_then(|k| e.incs.slot_of(k)) {
                self.push_incident(slot);
            }
        }
        let ents: Vec<u32> = e.alerts.ents(a).iter().map(|&p| ent_slot(p)).collect();
        self.neighbours(e.alerts.stamp(a), &ents);
    }

    /// Pushes what an alert at `at` with entities `ents` links to, before and after it.
    fn neighbours(&mut self, at: Stamp, ents: &[u32]) {
        let e = self.engine;
        let w = e.c.window;
        for &ent in ents {
            let postings = e.ents.postings(ent);
            let idx = postings
                .partition_point(|&s| e.alerts.cmp_stamp(e.alerts.stamp(s), at) == Ordering::Less);
            let from = at.t.saturating_sub(w);
            let lo = postings[..idx].partition_point(|&s| e.alerts.rec(s).t < from);
            let count = (idx - lo) as i64;
            if !self.capped(ent, at, count) {
                let preds: Vec<u32> = postings[lo..idx].to_vec();
                for b in preds {
                    if self.after_p(e.alerts.stamp(b)) {
                        self.push(b);
                    } else {
                        self.push_incident(e.alerts.rec(b).placed);
                    }
                }
            }
            let until = at.t.saturating_add(w);
            let succs: Vec<u32> = self
                .uncapped(ent)
                .iter()
                .copied()
                .filter(|&d| {
                    let sd = e.alerts.stamp(d);
                    sd.t <= until && e.alerts.cmp_stamp(sd, at) == Ordering::Greater
                })
                .collect();
            for d in succs {
                self.push(d);
            }
        }
    }

    /// Whether entity `ent` is over the cap at `at` both now (`count` earlier carriers in the
    /// window) and before the change.
    fn capped(&self, ent: u32, at: Stamp, count: i64) -> bool {
        let e = self.engine;
        let cap = e.c.frequency_cap as i64;
        let moved: i64 = self
            .deltas
            .iter()
            .filter(|d| {
                d.ent == ent
                    && at.t - d.at.t <= e.c.window
                    && e.alerts.cmp_stamp(d.at, at) == Ordering::Less
            })
            .map(|d| i64::from(d.delta))
            .sum();
        count >= cap && count - moved >= cap
    }

    /// The carriers of `ent` at or after `p` that are not over the cap (now or before).
    fn uncapped(&mut self, ent: u32) -> &[u32] {
        if !self.memo.contains_key(&ent) {
            let list = self.compute_uncapped(ent);
            self.memo.insert(ent, list);
        }
        self.memo.get(&ent).map(|v| &v[..]).unwrap_or(&[])
    }

    fn compute_uncapped(&self, ent: u32) -> Vec<u32> {
        let e = self.engine;
        let postings = e.ents.postings(ent);
        let start = postings.partition_point(|&s| !self.after_p(e.alerts.stamp(s)));
        let first = postings.get(start).map_or(i64::MAX, |&s| e.alerts.rec(s).t);
        let from_first = first.saturating_sub(e.c.window);
        let mut lo = postings[..start].partition_point(|&s| e.alerts.rec(s).t < from_first);
        let mut out = Vec::new();
        for (j, &d) in postings.iter().enumerate().skip(start) {
            let t = e.alerts.rec(d).t;
            let from = t.saturating_sub(e.c.window);
            while lo < j && e.alerts.rec(postings[lo]).t < from {
                lo += 1;
            }
            if !self.capped(ent, e.alerts.stamp(d), (j - lo) as i64) {
                out.push(d);
            }
        }
        out
    }

    fn visit_incident(&mut self, slot: u32) {
        let e = self.engine;
        let root = e.incs.root(slot);
        if self.incidents.contains(&root) {
            return;
        }
        let mut tree = Vec::new();
        e.incs.tree(root, &mut tree);
        let from = self.p.t.saturating_sub(e.c.window);
        for &i in &tree {
            self.incidents.insert(i);
            self.region.incidents.push(i);
            let members: Vec<u32> = e
                .incs
                .get(i)
                .map(|x| x.members.to_vec())
                .unwrap_or_default();
            for m in members {
                if self.after_p(e.alerts.stamp(m)) {
                    self.push(m);
                } else if e.alerts.rec(m).t >= from {
                    self.later_links(m);
                }
            }
        }
    }

    /// Pushes the alerts at or after `p` that link to alert `m` (before `p`).
    fn later_links(&mut self, m: u32) {
        let e = self.engine;
        let until = e.alerts.rec(m).t.saturating_add(e.c.window);
        let ents: Vec<u32> = e.alerts.ents(m).iter().map(|&p| ent_slot(p)).collect();
        for ent in ents {
            let succs: Vec<u32> = self
                .uncapped(ent)
                .iter()
                .copied()
                .filter(|&d| e.alerts.rec(d).t <= until)
                .collect();
            for d in succs {
                self.push(d);
            }
        }
    }
}
