//! [`VerifiedTokenCache`]: the claims of tokens that already verified, keyed by the SHA-256 digest
//! of the token text, kept until the token's `exp`.
//!
//! A hit costs one SHA-256 of the token and a read-locked map lookup, instead of parsing and an RSA
//! signature check. Any change to a token (signature included) changes its digest, so a hit is
//! exactly the token that verified. Entries end at `exp` itself (the verifier's leeway is not
//! extended to cached tokens); after that a token goes through the verifier again.
//!
//! The cache is bounded: an insert into a full shard drops expired entries first, then those that
//! expire soonest, which are the oldest since every token secgraph issues has the same lifetime.
//! Large caches are split into 16 independently locked shards by the digest's first byte. When the
//! signing keys change (a key retired), [`clear`](VerifiedTokenCache::clear) it with the verifier.

use crate::token::{Claims, TokenError, TokenVerifier};
use parking_lot::RwLock;
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use time::OffsetDateTime;

type Digest = [u8; 32];

/// A bounded, thread-safe cache of verified tokens.
#[derive(Debug)]
pub struct VerifiedTokenCache {
    shards: Box<[RwLock<Shard>]>,
    shard_capacity: usize,
}

#[derive(Debug, Default)]
struct Shard {
    entries: HashMap<Digest, Entry>,
    /// Every entry by (exp, insertion number): the first is the next to evict.
    by_expiry: BTreeMap<(i64, u64), Digest>,
    inserted: u64,
}

#[derive(Debug)]
struct Entry {
    claims: Arc<Claims>,
    exp: i64,
    seq: u64,
}

/// Caches at least this large are sharded.
const SHARDING_THRESHOLD: usize = 1024;
const SHARDS: usize = 16;

impl VerifiedTokenCache {
    /// The capacity used by the server unless configured (a few MiB of claims).
    pub const DEFAULT_CAPACITY: usize = 10_000;

    /// A cache holding at most `capacity` tokens (at least one).
    pub fn new(capacity: usize) -> VerifiedTokenCache {
        let capacity = capacity.max(1);
        let shards = if capacity >= SHARDING_THRESHOLD {
            SHARDS
        } else {
            1
        };
        VerifiedTokenCache {
            shards: (0..shards).map(|_| RwLock::default()).collect(),
            shard_capacity: capacity / shards,
        }
    }

    /// Most tokens held.
    pub fn capacity(&self) -> usize {
        self.shard_capacity * self.shards.len()
    }

    /// Tokens held (expired ones not yet dropped included).
    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| s.read().entries.len()).sum()
    }

    /// Whether no token is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops every entry (after a signing key was retired).
    pub fn clear(&self) {
        for shard in self.shards.iter() {
            *shard.write() = Shard::default();
        }
    }

    /// The claims of `token` if it verified before and has not expired at `now`.
    pub fn get(&self, token: &str, now: OffsetDateTime) -> Option<Arc<Claims>> {
        self.lookup(&digest(token), now.unix_timestamp())
    }

    /// Remembers that `token` verified with `claims` (until `claims.exp`); returns the shared
    /// claims. A token already expired at `now` is not kept.
    pub fn insert(&self, token: &str, claims: Claims, now: OffsetDateTime) -> Arc<Claims> {
        self.store(digest(token), Arc::new(claims), now.unix_timestamp())
    }

    /// The cached claims of `token`, or else `verifier`'s verdict, remembered when it succeeds.
    pub fn verify(
        &self,
        verifier: &TokenVerifier,
        token: &str,
        now: OffsetDateTime,
    ) -> Result<Arc<Claims>, TokenError> {
        let key = digest(token);
        if let Some(hit) = self.lookup(&key, now.unix_timestamp()) {
            return Ok(hit);
        }
        let claims = verifier.verify(token, now)?;
        Ok(self.store(key, Arc::new(claims), now.unix_timestamp()))
    }

    fn shard(&self, key: &Digest) -> &RwLock<Shard> {
        &self.shards[usize::from(key[0]) % self.shards.len()]
    }

    fn lookup(&self, key: &Digest, now: i64) -> Option<Arc<Claims>> {
        let shard = self.shard(key).read();
        let entry = shard.entries.get(key)?;
        (now < entry.exp).then(|| Arc::clone(&entry.claims))
    }

    fn store(&self, key: Digest, claims: Arc<Claims>, now: i64) -> Arc<Claims> {
        let exp = claims.exp;
        let mut shard = self.shard(&key).write();
        shard.remove(&key);
        shard.drop_expired(now);
        if exp > now {
            while shard.entries.len() >= self.shard_capacity {
                if !shard.evict_first() {
                    break;
                }
            }
            shard.inserted += 1;
            let seq = shard.inserted;
            shard.by_expiry.insert((exp, seq), key);
            let entry = Entry {
                claims: Arc::clone(&claims),
                exp,
                seq,
            };
            shard.entries.insert(key, entry);
        }
        claims
    }
}

impl Default for VerifiedTokenCache {
    fn default() -> Self {
        VerifiedTokenCache::new(VerifiedTokenCache::DEFAULT_CAPACITY)
    }
}

impl Shard {
    fn remove(&mut self, key: &Digest) {
        if let Some(old) = self.entries.remove(key) {
            self.by_expiry.remove(&(old.exp, old.seq));
        }
    }

    /// Drops the entries whose `exp` is at or before `now`.
    fn drop_expired(&mut self, now: i64) {
        while self
            .by_expiry
            .first_key_value()
            .is_some_and(|((exp, _), _)| *exp <= now)
        {
            self.evict_first();
        }
    }

    /// Drops the entry that expires first; false when empty.
    fn evict_first(&mut self) -> bool {
        match self.by_expiry.pop_first() {
            Some((_, key)) => {
                self.entries.remove(&key);
                true
            }
            None => false,
        }
    }
}

fn digest(token: &str) -> Digest {
    Sha256::digest(token.as_bytes()).into()
}
