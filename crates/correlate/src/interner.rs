//! The entity index: every linkable entity of the alerts in the window, interned once, with its
//! *postings* (the alerts carrying it, in canonical order).
//!
//! Interning is collision-safe: an entity is found by a 64-bit hash of its kind and value and
//! then confirmed against the stored value; a different entity whose hash collides goes to a
//! small exact map instead. The entity's **key** (its hash, or a derived value for a collided
//! entity) is what incidents store in their entity sets: unlike a slot it stays meaningful after
//! the entity leaves the index. Values are stored in one pool; postings hold up to four alert
//! slots inline.

use crate::alerts::SLOT_MASK;
use crate::entity::{Entity, EntityKind};
use crate::pool::{hash_str, map_bytes, HashedMap, Pool};
use smallvec::SmallVec;
use std::collections::HashMap;

/// The alerts carrying one entity, in canonical order.
pub(crate) type Postings = SmallVec<[u32; 4]>;

/// One interned entity.
#[derive(Debug, Clone, Default)]
pub(crate) struct EntityRec {
    /// The entity's key (see the module docs).
    pub key: u64,
    val_off: u32,
    val_len: u32,
    kind: u8,
    /// The alerts carrying it.
    pub postings: Postings,
}

/// The interner. Values are never empty (a free record has `val_len == 0`).
#[derive(Debug, Default)]
pub(crate) struct Interner {
    recs: Vec<EntityRec>,
    free: Vec<u32>,
    values: Pool<u8>,
    index: HashedMap,
    collided: HashMap<(u8, Box<str>), u32>,
    live: usize,
}

impl Interner {
    /// The postings of `slot` (empty when out of range).
    pub(crate) fn postings(&self, slot: u32) -> &[u32] {
        self.recs
            .get(slot as usize)
            .map_or(&[], |r| &r.postings[..])
    }

    /// The postings of `slot`, mutably.
    pub(crate) fn postings_mut(&mut self, slot: u32) -> Option<&mut Postings> {
        self.recs.get_mut(slot as usize).map(|r| &mut r.postings)
    }

    /// The key of `slot`.
    pub(crate) fn key(&self, slot: u32) -> u64 {
        self.recs.get(slot as usize).map_or(0, |r| r.key)
    }

    /// The kind of `slot`.
    pub(crate) fn kind(&self, slot: u32) -> EntityKind {
        let k = self.recs.get(slot as usize).map_or(0, |r| r.kind);
        EntityKind::from_index(k).unwrap_or(EntityKind::Device)
    }

    /// The value of `slot`.
    pub(crate) fn value(&self, slot: u32) -> &str {
        match self.recs.get(slot as usize) {
            Some(r) => std::str::from_utf8(self.values.get(r.val_off, r.val_len)).unwrap_or(""),
            None => "",
        }
    }

    /// The entity of `slot`.
    pub(crate) fn entity(&self, slot: u32) -> Entity {
        Entity::new(self.kind(slot), self.value(slot))
    }

    /// The slot of `entity`, if interned.
    pub(crate) fn find(&self, entity: &Entity) -> Option<u32> {
        let kind = entity.kind.index();
        let h = hash_str(kind, &entity.value);
        if let Some(&slot) = self.index.get(&h) {
            if self.is(slot, kind, &entity.value) {
                return Some(slot);
            }
        }
        if self.collided.is_empty() {
            return None;
        }
        let probe = (kind, Box::<str>::from(entity.value.as_str()));
        self.collided.get(&probe).copied()
    }

    fn is(&self, slot: u32, kind: u8, value: &str) -> bool {
        self.recs.get(slot as usize).is_some_and(|r| r.kind == kind) && self.value(slot) == value
    }

    /// The slot of `entity`, interning it when new; `None` when the index is full (2^24 live
    /// entities: the entity is then not indexed).
    pub(crate) fn intern(&mut self, entity: &Entity) -> Option<u32> {
        if let Some(slot) = self.find(entity) {
            return Some(slot);
        }
        let kind = entity.kind.index();
        let h = hash_str(kind, &entity.value);
        let collides = self.index.contains_key(&h);
        let slot = match self.free.pop() {
            Some(s) => s,
            None if self.recs.len() as u32 <= SLOT_MASK => {
                self.recs.push(EntityRec::default());
                (self.recs.len() - 1) as u32
            }
            None => return None,
        };
        let key = if collides {
            h.rotate_left(29) ^ u64::from(slot) ^ 0x9e37_79b9_7f4a_7c15
        } else {
            h
        };
        let rec = EntityRec {
            key,
            val_off: self.values.push(entity.value.as_bytes()),
            val_len: entity.value.len() as u32,
            kind,
            postings: Postings::new(),
        };
        self.recs[slot as usize] = rec;
        if collides {
            self.collided
                .insert((kind, entity.value.as_str().into()), slot);
        } else {
            self.index.insert(h, slot);
        }
        self.live += 1;
        Some(slot)
    }

    /// Forgets `slot` if no alert carries it any more.
    pub(crate) fn release_if_unused(&mut self, slot: u32) {
        let Some(r) = self.recs.get(slot as usize) else {
            return;
        };
        if !r.postings.is_empty() || r.val_len == 0 {
            return;
        }
        let kind = r.kind;
        let value = self.value(slot).to_string();
        let h = hash_str(kind, &value);
        if self.index.get(&h) == Some(&slot) {
            self.index.remove(&h);
        } else {
            self.collided.remove(&(kind, value.as_str().into()));
        }
        let len = r.val_len;
        self.values.release(len);
        self.recs[slot as usize] = EntityRec::default();
        self.free.push(slot);
        self.live -= 1;
        if self.values.wants_compaction() {
            let spans = self.recs.iter_mut().filter(|r| r.val_len > 0);
            self.values
                .compact(spans.map(|r| (&mut r.val_off, r.val_len)));
        }
    }

    /// How many entities are interned.
    pub(crate) fn len(&self) -> usize {
        self.live
    }

    /// How many postings there are in all.
    pub(crate) fn postings_total(&self) -> usize {
        self.recs.iter().map(|r| r.postings.len()).sum()
    }

    /// Heap bytes: records, values, the hash index, and postings spilled out of line.
    pub(crate) fn bytes(&self) -> usize {
        let spilled: usize = self
            .recs
            .iter()
            .filter(|r| r.postings.spilled())
            .map(|r| r.postings.capacity() * 4)
            .sum();
        self.recs.capacity() * std::mem::size_of::<EntityRec>()
            + self.free.capacity() * 4
            + self.values.bytes()
            + map_bytes(self.index.capacity(), 16)
            + self.collided.len() * 64
            + spilled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_once_releases_and_reuses_slots() {
        let mut i = Interner::default();
        let a = Entity::new(EntityKind::Ip, "203.0.113.7");
        let b = Entity::new(EntityKind::Domain, "203.0.113.7");
        let sa = i.intern(&a).unwrap();
        let sb = i.intern(&b).unwrap();
        assert_ne!(sa, sb, "the kind is part of the identity");
        assert_eq!(i.intern(&a), Some(sa));
        assert_eq!(i.entity(sb), b);
        assert_eq!(i.len(), 2);
        i.release_if_unused(sa);
        assert_eq!(i.find(&a), None);
        assert_eq!(i.len(), 1);
        let sc = i
            .intern(&Entity::new(EntityKind::Url, "http://x.test/"))
            .unwrap();
        assert_eq!(sc, sa, "freed slots are reused");
        assert_eq!(i.value(sc), "http://x.test/");
    }
}
