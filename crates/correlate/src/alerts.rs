//! The alert table: one compact record per alert in the window, its id and entity list in pools,
//! an id index, and the timeline (every live alert in canonical order).
//!
//! **Canonical order** is (`createdDateTime`, alert id): the order in which the engine's result is
//! defined ([`crate::engine`]). A [`Stamp`] names a position in it.
//!
//! An alert's entity list holds one packed `u32` per linkable entity: the entity's slot in the
//! interner (low 24 bits) and the *link code* (high 8 bits): 0 when the alert joined nothing
//! through the entity, else 1 + the index of the rule it linked by (for `correlationReasons`).

use crate::pool::{hash_str, map_bytes, HashedMap, Pool};
use std::cmp::Ordering;
use std::collections::{HashMap, VecDeque};

/// "No slot" for `u32` slot fields.
pub(crate) const NONE: u32 = u32::MAX;
/// Bits of a packed entity entry that hold the entity slot.
pub(crate) const SLOT_BITS: u32 = 24;
/// Mask of the entity slot in a packed entry.
pub(crate) const SLOT_MASK: u32 = (1 << SLOT_BITS) - 1;

/// The entity slot of a packed entry.
pub(crate) fn ent_slot(packed: u32) -> u32 {
    packed & SLOT_MASK
}

/// The link code of a packed entry (0: none, else rule index + 1).
pub(crate) fn ent_code(packed: u32) -> u8 {
    (packed >> SLOT_BITS) as u8
}

/// A position in canonical order: a time and the alert at it (whose id breaks ties).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// `createdDateTime` in nanoseconds since the Unix epoch.
    pub t: i64,
    /// The alert's slot.
    pub slot: u32,
}

/// One alert in the window.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AlertRec {
    /// `createdDateTime`, nanoseconds since the Unix epoch.
    pub t: i64,
    id_off: u32,
    id_len: u32,
    ents_off: u32,
    /// The incident the alert was placed in (not following redirects), or [`NONE`].
    pub placed: u32,
    ents_len: u16,
    /// [`LIVE`] and [`PINNED`].
    pub flags: u8,
}

/// The record holds an alert.
pub(crate) const LIVE: u8 = 1;
/// The alert has a place pin ([`crate::pin::Pin`]).
pub(crate) const PINNED: u8 = 2;

/// The alert table.
#[derive(Debug, Default)]
pub(crate) struct Alerts {
    recs: Vec<AlertRec>,
    free: Vec<u32>,
    ids: Pool<u8>,
    ents: Pool<u32>,
    index: HashedMap,
    collided: HashMap<Box<str>, u32>,
    /// The time each moved alert had before its last move ([`Alerts::move_to`]): stamps taken
    /// there still name that alert, so they compare by its id like the stamps of held alerts.
    moved: HashMap<u32, i64, foldhash::fast::FixedState>,
    /// Live alerts in canonical order.
    pub timeline: VecDeque<u32>,
}

impl Alerts {
    /// The record of `slot` (a dead default when out of range).
    pub(crate) fn rec(&self, slot: u32) -> &AlertRec {
        const DEAD: AlertRec = AlertRec {
            t: 0,
            id_off: 0,
            id_len: 0,
            ents_off: 0,
            placed: NONE,
            ents_len: 0,
            flags: 0,
        };
        self.recs.get(slot as usize).unwrap_or(&DEAD)
    }

    /// The record of `slot`, mutably.
    pub(crate) fn rec_mut(&mut self, slot: u32) -> Option<&mut AlertRec> {
        self.recs.get_mut(slot as usize)
    }

    /// Whether `slot` holds a live alert.
    pub(crate) fn is_live(&self, slot: u32) -> bool {
        self.rec(slot).flags & LIVE != 0
    }

    /// The id of `slot`.
    pub(crate) fn id(&self, slot: u32) -> &str {
        let r = self.rec(slot);
        std::str::from_utf8(self.ids.get(r.id_off, r.id_len)).unwrap_or("")
    }

    /// The packed entity entries of `slot`.
    pub(crate) fn ents(&self, slot: u32) -> &[u32] {
        let r = self.rec(slot);
        self.ents.get(r.ents_off, u32::from(r.ents_len))
    }

    /// The packed entity entries of `slot`, mutably (to set link codes).
    pub(crate) fn ents_mut(&mut self, slot: u32) -> &mut [u32] {
        let r = *self.rec(slot);
        self.ents.get_mut(r.ents_off, u32::from(r.ents_len))
    }

    /// Clears every link code of `slot`.
    pub(crate) fn clear_codes(&mut self, slot: u32) {
        for e in self.ents_mut(slot) {
            *e &= SLOT_MASK;
        }
    }

    /// The canonical-order stamp of `slot`.
    pub(crate) fn stamp(&self, slot: u32) -> Stamp {
        Stamp {
            t: self.rec(slot).t,
            slot,
        }
    }

    /// Canonical order of two live alerts.
    pub(crate) fn cmp(&self, a: u32, b: u32) -> Ordering {
        if a == b {
            return Ordering::Equal;
        }
        let (ta, tb) = (self.rec(a).t, self.rec(b).t);
        ta.cmp(&tb).then_with(|| self.id(a).cmp(self.id(b)))
    }

    /// Canonical order of two stamps. A stamp of a held alert — at its time, or at the time it
    /// had before it last moved — compares by (time, id). A stamp whose alert has left the
    /// window compares by time alone and, on a tie, before the other (it is older than anything
    /// still held).
    pub(crate) fn cmp_stamp(&self, a: Stamp, b: Stamp) -> Ordering {
        if a.t != b.t {
            return a.t.cmp(&b.t);
        }
        let held = |s: Stamp| {
            self.is_live(s.slot)
                && (self.rec(s.slot).t == s.t || self.moved.get(&s.slot) == Some(&s.t))
        };
        match (held(a), held(b)) {
            // Equal times: the ids decide (a moved alert's stamp has its old time, not `rec.t`).
            (true, true) if a.slot == b.slot => Ordering::Equal,
            (true, true) => self.id(a.slot).cmp(self.id(b.slot)),
            (false, true) => Ordering::Less,
            (true, false) => Ordering::Greater,
            (false, false) => a.slot.cmp(&b.slot),
        }
    }

    /// The slot of the alert `id`.
    pub(crate) fn find(&self, id: &str) -> Option<u32> {
        let h = hash_str(0, id);
        if let Some(&slot) = self.index.get(&h) {
            if self.id(slot) == id {
                return Some(slot);
            }
        }
        if self.collided.is_empty() {
            return None;
        }
        self.collided.get(id).copied()
    }

    /// Adds an alert (not yet on the timeline), returning its slot.
    pub(crate) fn insert(&mut self, id: &str, t: i64, ents: &[u32]) -> u32 {
        let rec = AlertRec {
            t,
            id_off: self.ids.push(id.as_bytes()),
            id_len: id.len() as u32,
            ents_off: self.ents.push(ents),
            placed: NONE,
            ents_len: ents.len() as u16,
            flags: LIVE,
        };
        let slot = match self.free.pop() {
            Some(s) => {
                self.recs[s as usize] = rec;
                s
            }
            None => {
                self.recs.push(rec);
                (self.recs.len() - 1) as u32
            }
        };
        let h = hash_str(0, id);
        match self.index.get(&h) {
            Some(_) => {
                self.collided.insert(id.into(), slot);
            }
            None => {
                self.index.insert(h, slot);
            }
        }
        slot
    }

    /// Replaces the entity entries of `slot`.
    pub(crate) fn set_ents(&mut self, slot: u32, ents: &[u32]) {
        let Some(r) = self.recs.get(slot as usize).copied() else {
            return;
        };
        self.ents.release(u32::from(r.ents_len));
        let off = self.ents.push(ents);
        if let Some(r) = self.recs.get_mut(slot as usize) {
            r.ents_off = off;
            r.ents_len = ents.len() as u16;
        }
    }

    /// Puts `slot` on the timeline at its canonical position.
    pub(crate) fn enter_timeline(&mut self, slot: u32) {
        let at = match self.timeline.back() {
            Some(&last) if self.cmp(last, slot) == Ordering::Less => self.timeline.len(),
            None => 0,
            _ => self
                .timeline
                .partition_point(|&s| self.cmp(s, slot) == Ordering::Less),
        };
        self.timeline.insert(at, slot);
    }

    /// Whether `slot` is the last alert in canonical order.
    pub(crate) fn is_last(&self, slot: u32) -> bool {
        self.timeline.back() == Some(&slot)
    }

    /// Takes `slot` off the timeline (wherever it is).
    pub(crate) fn leave_timeline(&mut self, slot: u32) {
        if self.timeline.front() == Some(&slot) {
            self.timeline.pop_front();
            return;
        }
        let at = self
            .timeline
            .partition_point(|&s| self.cmp(s, slot) == Ordering::Less);
        if self.timeline.get(at) == Some(&slot) {
            self.timeline.remove(at);
        }
    }

    /// Moves live alert `slot` to time `t`, remembering where it was.
    pub(crate) fn move_to(&mut self, slot: u32, t: i64) {
        let Some(r) = self.recs.get_mut(slot as usize) else {
            return;
        };
        if r.t != t {
            self.moved.insert(slot, r.t);
            r.t = t;
        }
    }

    /// Frees `slot` (already off the timeline and detached from incidents).
    pub(crate) fn remove(&mut self, slot: u32) {
        self.moved.remove(&slot);
        let Some(r) = self.recs.get(slot as usize).copied() else {
            return;
        };
        if r.flags & LIVE == 0 {
            return;
        }
        let id = self.id(slot).to_string();
        let h = hash_str(0, &id);
        if self.index.get(&h) == Some(&slot) {
            self.index.remove(&h);
        } else {
            self.collided.remove(id.as_str());
        }
        self.ids.release(r.id_len);
        self.ents.release(u32::from(r.ents_len));
        if let Some(r) = self.recs.get_mut(slot as usize) {
            r.flags = 0;
            r.placed = NONE;
            r.id_len = 0;
            r.ents_len = 0;
        }
        self.free.push(slot);
        self.compact_if_needed();
    }

    fn compact_if_needed(&mut self) {
        let live = |r: &AlertRec| r.flags & LIVE != 0;
        if self.ids.wants_compaction() {
            let spans = self.recs.iter_mut().filter(|r| live(r));
            self.ids.compact(spans.map(|r| (&mut r.id_off, r.id_len)));
        }
        if self.ents.wants_compaction() {
            let spans = self.recs.iter_mut().filter(|r| live(r));
            self.ents
                .compact(spans.map(|r| (&mut r.ents_off, u32::from(r.ents_len))));
        }
    }

    /// How many alerts are live.
    pub(crate) fn len(&self) -> usize {
        self.timeline.len()
    }

    /// Heap bytes: (records, ids and their index, entity lists).
    pub(crate) fn bytes(&self) -> (usize, usize, usize) {
        let recs = self.recs.capacity() * std::mem::size_of::<AlertRec>()
            + self.free.capacity() * 4
            + self.timeline.capacity() * 4
            + map_bytes(self.moved.capacity(), 12);
        let ids =
            self.ids.bytes() + map_bytes(self.index.capacity(), 16) + self.collided.len() * 64;
        (recs, ids, self.ents.bytes())
    }
}
