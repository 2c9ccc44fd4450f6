//! The buckets of one node: a sharded map from (tenant, application, category) to [`Bucket`],
//! each shard behind its own `parking_lot` mutex held only for the bucket's arithmetic. A lookup
//! borrows the caller's strings (no allocation); a key is allocated only when its bucket is made.
//!
//! Memory stays bounded without a background task: when a shard reaches its sweep mark on an
//! insert, it forgets every idle bucket (quota full again, nothing in progress: forgetting it
//! changes nothing), and the mark moves to twice what is left. So a shard holds the buckets used
//! within their longest window, plus at most as many idle ones.

use super::bucket::{Bucket, Verdict};
use super::{Category, Limit};
use parking_lot::Mutex;
use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher, RandomState};

const SHARDS: usize = 16;
/// A shard is first swept when it holds this many buckets.
const FIRST_SWEEP: usize = 1024;

/// A bucket's key, owned.
#[derive(Debug)]
struct Key {
    tenant: Box<str>,
    app: Box<str>,
    category: Category,
}

/// A key as borrowed parts, so the map can be searched without building a [`Key`].
trait KeyParts {
    fn parts(&self) -> (&str, &str, Category);
}

impl KeyParts for Key {
    fn parts(&self) -> (&str, &str, Category) {
        (&self.tenant, &self.app, self.category)
    }
}

impl KeyParts for (&str, &str, Category) {
    fn parts(&self) -> (&str, &str, Category) {
        *self
    }
}

impl<'a> Borrow<dyn KeyParts + 'a> for Key {
    fn borrow(&self) -> &(dyn KeyParts + 'a) {
        self
    }
}

impl Hash for dyn KeyParts + '_ {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.parts().hash(state);
    }
}

impl PartialEq for dyn KeyParts + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.parts() == other.parts()
    }
}

impl Eq for dyn KeyParts + '_ {}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.parts().hash(state);
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.parts() == other.parts()
    }
}

impl Eq for Key {}

struct Shard {
    buckets: HashMap<Key, Bucket>,
    sweep_at: usize,
}

/// Every bucket of this node.
pub struct Buckets {
    shards: Box<[Mutex<Shard>]>,
    hasher: RandomState,
}

impl Buckets {
    /// No buckets yet.
    pub fn new() -> Buckets {
        let shards = (0..SHARDS)
            .map(|_| {
                Mutex::new(Shard {
                    buckets: HashMap::new(),
                    sweep_at: FIRST_SWEEP,
                })
            })
            .collect();
        Buckets {
            shards,
            hasher: RandomState::new(),
        }
    }

    /// Admits or refuses one request of `app` in `tenant` on `category` at `now`; `limit` makes
    /// the bucket when there is none yet. `None` when the limit is no limit at all.
    pub fn admit(
        &self,
        (tenant, app, category): (&str, &str, Category),
        now: u64,
        limit: impl FnOnce() -> Limit,
    ) -> Option<Verdict> {
        let parts = (tenant, app, category);
        let view: &dyn KeyParts = &parts;
        let index = usize::try_from(self.hasher.hash_one(view) % SHARDS as u64).unwrap_or(0);
        let mut shard = self.shards[index].lock();
        if let Some(bucket) = shard.buckets.get_mut(view) {
            return (!bucket.is_unlimited()).then(|| bucket.admit(now));
        }
        let limit = limit();
        let mut bucket = Bucket::new(&limit.rates, limit.concurrent);
        let verdict = (!bucket.is_unlimited()).then(|| bucket.admit(now));
        if shard.buckets.len() >= shard.sweep_at {
            shard.buckets.retain(|_, b| !b.is_idle(now));
            shard.sweep_at = (shard.buckets.len() * 2).max(FIRST_SWEEP);
        }
        let key = Key {
            tenant: tenant.into(),
            app: app.into(),
            category,
        };
        shard.buckets.insert(key, bucket);
        verdict
    }

    /// How many buckets are kept (for tests of the eviction).
    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| s.lock().buckets.len()).sum()
    }

    /// Whether no bucket is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for Buckets {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::throttle::Rate;

    fn one_per_second() -> Limit {
        Limit {
            rates: vec![Rate {
                requests: 1,
                window_seconds: 1,
            }],
            concurrent: 0,
        }
    }

    #[test]
    fn keys_are_found_by_their_borrowed_parts() {
        let b = Buckets::new();
        let key = ("t1", "app", Category::LegacyAlerts);
        assert!(matches!(
            b.admit(key, 0, one_per_second),
            Some(Verdict::Allowed { .. })
        ));
        let again = b.admit(key, 0, || panic!("the bucket exists"));
        assert!(matches!(again, Some(Verdict::Refused { .. })));
        let other = b.admit(("t1", "app2", Category::LegacyAlerts), 0, one_per_second);
        assert!(matches!(other, Some(Verdict::Allowed { .. })));
        assert_eq!(b.len(), 2);
    }

    #[test]
    fn idle_buckets_are_forgotten_when_a_shard_fills() {
        let b = Buckets::new();
        let apps: Vec<String> = (0..SHARDS * FIRST_SWEEP * 2)
            .map(|i| format!("app{i}"))
            .collect();
        for app in &apps {
            b.admit(("t", app, Category::TiIndicators), 0, one_per_second);
        }
        assert!(b.len() >= SHARDS * FIRST_SWEEP, "busy buckets are kept");
        // Later every bucket is full again: the next sweep of each shard drops them.
        let later: Vec<String> = (0..apps.len() * 3).map(|i| format!("later{i}")).collect();
        for app in &later {
            b.admit(
                ("t", app, Category::TiIndicators),
                2_000_000_000,
                one_per_second,
            );
        }
        let inserted = apps.len() + later.len();
        assert!(
            b.len() <= inserted - apps.len() / 2,
            "idle buckets were swept: {} of {inserted} kept",
            b.len()
        );
    }

    #[test]
    fn an_unlimited_limit_admits_without_a_verdict() {
        let b = Buckets::new();
        assert!(b
            .admit(("t", "a", Category::AlertsV2), 0, Limit::default)
            .is_none());
        assert!(b
            .admit(("t", "a", Category::AlertsV2), 0, Limit::default)
            .is_none());
    }
}
