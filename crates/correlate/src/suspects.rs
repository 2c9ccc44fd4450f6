//! The suspects of a replay: the alerts whose canonical decision may differ from the one the
//! engine holds, found by dirty propagation as the replay goes.
//!
//! An alert's step reads only its links (the earlier carriers of its uncapped entities) and the
//! incident trees of the alerts it links to, as they were at its position ([`crate::view`]). So
//! it can decide differently only if
//!
//! * it changed itself (a *seed*: new, updated, pinned);
//! * the frequency count of one of its entities moved (a [`Delta`]: an alert carrying the entity
//!   was added or removed before it, within the window) — then it is a *carrier* of that entity;
//! * a tree it links into changed before its position: an alert moved, a merge was made or
//!   undone, an incident was opened, emptied or its guard state changed — then it carries an
//!   entity (uncapped at its position) of an alert of that tree.
//!
//! The replay walks the suspects in canonical order; each one whose decision stands changes
//! nothing and makes nothing dirty, so the work follows what actually changes, not everything a
//! change could reach.

use crate::alerts::{ent_slot, Stamp};
use crate::engine::{Delta, Engine};
use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap, HashSet};

type FastSet<T> = HashSet<T, foldhash::fast::FixedState>;
type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// The work list of one replay.
#[derive(Debug, Default)]
pub(crate) struct Suspects {
    /// Queued alerts by (time, slot); ties in time are ordered by id when taken.
    queue: BinaryHeap<Reverse<(i64, u32)>>,
    queued: FastSet<u32>,
    /// The alert being re-decided: only later alerts are queued.
    cursor: Option<Stamp>,
    /// Per entity, the position after which its carriers were already queued.
    scanned: FastMap<u32, (Stamp, i64)>,
    /// Incidents whose tree changed (their roots' entity sets and counts are recomputed).
    pub touched: Vec<u32>,
    /// Incidents whose opener left them: (slot, key, opener), deleted at the end.
    pub emptied: Vec<(u32, u64, u32)>,
}

impl Engine {
    /// Queues alert `a` if it is after the cursor.
    pub(crate) fn suspect(&self, a: u32, w: &mut Suspects) {
        if !self.live(a) {
            return;
        }
        let s = self.alerts.stamp(a);
        if w.cursor
            .is_some_and(|c| self.alerts.cmp_stamp(s, c) != Ordering::Greater)
        {
            return;
        }
        if w.queued.insert(a) {
            w.queue.push(Reverse((s.t, a)));
        }
    }

    /// The next suspect in canonical order (it becomes the cursor).
    pub(crate) fn next_suspect(&self, w: &mut Suspects) -> Option<u32> {
        let Reverse((t, first)) = w.queue.pop()?;
        let mut best = first;
        let mut tied = vec![first];
        while let Some(&Reverse((t2, s))) = w.queue.peek() {
            if t2 != t {
                break;
            }
            w.queue.pop();
            tied.push(s);
        }
        for &s in &tied {
            if self.alerts.cmp(s, best) == Ordering::Less {
                best = s;
            }
        }
        for s in tied.into_iter().filter(|&s| s != best) {
            w.queue.push(Reverse((t, s)));
        }
        w.queued.remove(&best);
        w.cursor = Some(self.alerts.stamp(best));
        Some(best)
    }

    /// The tree of incident `slot` changed at `at`: queues every later alert that links into it
    /// (see the module docs).
    pub(crate) fn dirty(&self, slot: u32, at: Stamp, w: &mut Suspects) {
        if self.incs.get(slot).is_none() {
            return;
        }
        w.touched.push(slot);
        let mut group = Vec::new();
        self.incs.group(self.incs.root(slot), &mut group);
        // A later alert links into the tree only through a member within the window before it.
        let newest = group.iter().map(|&m| self.alerts.rec(m).t).max();
        let until = newest
            .map_or(at.t, |t| t.max(at.t))
            .saturating_add(self.c.window);
        for m in group {
            for &p in self.alerts.ents(m) {
                self.queue_carriers(ent_slot(p), at, &[], Some(until), w);
            }
        }
    }

    /// Queues the carriers of `ent` after `at` that may link through it: not over the frequency
    /// cap at their position, now or — with the `moved` counts undone — before the change.
    /// Without `moved`, each entity's carriers are scanned once per replay from the earliest
    /// position asked.
    pub(crate) fn queue_carriers(
        &self,
        ent: u32,
        at: Stamp,
        moved: &[Delta],
        until: Option<i64>,
        w: &mut Suspects,
    ) {
        let e = self;
        let memo = moved.is_empty();
        let postings = e.ents.postings(ent);
        let after = |s: u32| e.alerts.cmp_stamp(e.alerts.stamp(s), at) == Ordering::Greater;
        let until = until.unwrap_or(i64::MAX);
        let mut end = match until {
            i64::MAX => postings.len(),
            _ => postings.partition_point(|&s| e.alerts.rec(s).t <= until),
        };
        if memo {
            // Checked before any search: a big incident's members share their entities, so
            // most calls from `dirty` find the entity already scanned. The memo is the span
            // (after a stamp, up to a time) whose carriers are already queued.
            let span = match w.scanned.get(&ent) {
                Some(&(done, done_until)) => {
                    let done_first = e.alerts.cmp_stamp(done, at) != Ordering::Greater;
                    match (done_first, done_until >= until) {
                        (true, true) => return,
                        // Only the carriers up to the earlier scan's start are new.
                        (false, true) => {
                            end = end.min(postings.partition_point(|&s| {
                                e.alerts.cmp_stamp(e.alerts.stamp(s), done) != Ordering::Greater
                            }));
                            match done.t <= until {
                                true => (at, done_until),
                                false => (done, done_until),
                            }
                        }
                        // The spans overlap: their union is one span.
                        (true, false) if done_until >= at.t => (done, until),
                        _ => (at, until),
                    }
                }
                None => (at, until),
            };
            w.scanned.insert(ent, span);
        }
        let start = postings.partition_point(|&s| !after(s));
        if start >= end {
            return;
        }
        let cap = e.c.frequency_cap as i64;
        let window = e.c.window;
        let mine: Vec<Delta> = moved.iter().filter(|d| d.ent == ent).copied().collect();
        let slack: i64 = mine.iter().map(|d| i64::from(d.delta).abs()).sum();
        // Saturated: every carrier in start..end has at least the carriers between the last
        // one's window start and `at` before it, both now and before the change.
        let last_t = e.alerts.rec(postings[end - 1]).t;
        let lo_last = postings[..start]
            .partition_point(|&s| e.alerts.rec(s).t < last_t.saturating_sub(window));
        if (start - lo_last) as i64 - slack >= cap {
            return;
        }
        let first_t = e.alerts.rec(postings[start]).t;
        let mut lo = postings[..start]
            .partition_point(|&s| e.alerts.rec(s).t < first_t.saturating_sub(window));
        for (j, &d) in postings.iter().enumerate().take(end).skip(start) {
            let sd = e.alerts.stamp(d);
            if !memo && sd.t.saturating_sub(at.t) > window {
                break;
            }
            while lo < j && e.alerts.rec(postings[lo]).t < sd.t.saturating_sub(window) {
                lo += 1;
            }
            let count = (j - lo) as i64;
            let moved_here: i64 = mine
                .iter()
                .filter(|x| {
                    sd.t - x.at.t <= window && e.alerts.cmp_stamp(x.at, sd) == Ordering::Less
                })
                .map(|x| i64::from(x.delta))
                .sum();
            if count < cap || count - moved_here < cap {
                self.suspect(d, w);
            }
        }
    }
}
