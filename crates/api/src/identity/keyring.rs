//! The signing keys of the deployment, as this node knows them: the active key (signs new tokens)
//! and every published key (verifies tokens; retired keys stay published until their tokens
//! expire). Kept in the store so every node shares them; read at start, after a rotation here, when
//! any node changes identity rows (the store's change feed), when a token names a key this node has
//! not seen (at most once a second), and when the copy in memory is a minute old (in case the feed
//! was down).

use super::IdentityError;
use auth::{Audiences, PublicKey, SigningKey, TokenVerifier, VerifiedTokenCache};
use parking_lot::RwLock;
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::Store;

/// Least time between two store reads caused by unknown key ids (a flood of forged `kid`s costs
/// one read a second, not one per request).
const REFRESH_INTERVAL: Duration = Duration::from_secs(1);

/// Keys older than this are re-read before use, so a rotation or retirement on another node
/// reaches this one within a minute.
const MAX_AGE: Duration = Duration::from_secs(60);

/// The keys at one moment, with the verifier built from them.
#[derive(Debug)]
pub struct KeySet {
    /// The key that signs new tokens.
    pub active: SigningKey,
    /// Every published key, the active one first.
    pub published: Vec<SigningKey>,
    /// Verifies tokens against the published keys.
    pub verifier: TokenVerifier,
    /// When they were read from the store.
    pub read_at: Instant,
}

/// The node's view of the signing keys.
pub struct Keyring {
    store: Store,
    audiences: Audiences,
    current: RwLock<Arc<KeySet>>,
    refresh: tokio::sync::Mutex<Option<Instant>>,
    cache: VerifiedTokenCache,
}

impl Keyring {
    /// Reads the keys, creating the first one when the store has none.
    pub async fn load(store: Store, audiences: Audiences) -> Result<Keyring, IdentityError> {
        let set = read(&store, &audiences).await?;
        Ok(Keyring {
            store,
            audiences,
            current: RwLock::new(Arc::new(set)),
            refresh: tokio::sync::Mutex::new(None),
            cache: VerifiedTokenCache::default(),
        })
    }

    /// Tokens verified with these keys; emptied when a key stops being published (retired), so a
    /// retired key's tokens are refused at once.
    pub fn cache(&self) -> &VerifiedTokenCache {
        &self.cache
    }

    /// The keys as last read.
    pub fn current(&self) -> Arc<KeySet> {
        self.current.read().clone()
    }

    /// The keys, re-read first when they are older than [`MAX_AGE`].
    pub async fn fresh(&self) -> Arc<KeySet> {
        let current = self.current();
        if current.read_at.elapsed() < MAX_AGE {
            return current;
        }
        let _one_reader = self.refresh.lock().await;
        let current = self.current();
        if current.read_at.elapsed() < MAX_AGE {
            return current;
        }
        match read(&self.store, &self.audiences).await {
            Ok(set) => self.replace(set),
            Err(e) => {
                tracing::warn!("cannot re-read the signing keys: {e}");
                current
            }
        }
    }

    /// Re-reads the keys because a token named `kid`, unless they were read less than
    /// [`REFRESH_INTERVAL`] ago; returns the (possibly unchanged) keys.
    pub async fn refresh_for(&self, kid: &str) -> Arc<KeySet> {
        let mut last = self.refresh.lock().await;
        let current = self.current();
        if current.published.iter().any(|k| k.kid == kid) {
            return current;
        }
        if last.is_some_and(|t| t.elapsed() < REFRESH_INTERVAL) {
            return current;
        }
        *last = Some(Instant::now());
        match read(&self.store, &self.audiences).await {
            Ok(set) => self.replace(set),
            Err(e) => {
                tracing::warn!("cannot re-read the signing keys: {e}");
                current
            }
        }
    }

    /// Re-reads the keys now (after this node rotated them).
    pub async fn reload(&self) -> Result<Arc<KeySet>, IdentityError> {
        let set = read(&self.store, &self.audiences).await?;
        Ok(self.replace(set))
    }

    fn replace(&self, set: KeySet) -> Arc<KeySet> {
        let set = Arc::new(set);
        let previous = std::mem::replace(&mut *self.current.write(), set.clone());
        let retired = previous
            .published
            .iter()
            .any(|old| !set.published.iter().any(|k| k.kid == old.kid));
        if retired {
            self.cache.clear();
        }
        set
    }
}

/// Reads the active and published keys from the store (creating a first key if there is none).
async fn read(store: &Store, audiences: &Audiences) -> Result<KeySet, IdentityError> {
    let ids = store.identity();
    let active = ids.active_signing_key().await?;
    let published = ids.published_signing_keys().await?;
    let publics: Vec<PublicKey> = published.iter().map(|k| k.public_key().clone()).collect();
    Ok(KeySet {
        verifier: TokenVerifier::new(&publics, audiences),
        active,
        published,
        read_at: Instant::now(),
    })
}
