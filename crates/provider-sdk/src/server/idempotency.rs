//! The idempotency cache: secgraph delivers every callback at least once, so a repeated
//! `idempotencyKey` (alert updates) or `actionId` (actions, cancellations) must get the first
//! answer without the provider running the request again.
//!
//! The cache is in memory and bounded: it holds the newest [`DEFAULT_CAPACITY`] keys and forgets
//! the oldest first, and it is empty after a restart. A provider whose requests are not naturally
//! idempotent and that must survive restarts persists its own record of the keys it handled.
//!
//! Two deliveries of one key that arrive together share one call: the second waits for the first
//! answer. If the first is abandoned (its connection dropped) or ends in an error (the provider
//! asked to be called again later), nothing is remembered and the next delivery makes the call.

use parking_lot::Mutex;
use provider_protocol::CallbackAnswer;
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::Arc;
use tokio::sync::OnceCell;

/// How many keys the cache remembers by default.
pub const DEFAULT_CAPACITY: usize = 10_000;

type Slot = Arc<OnceCell<CallbackAnswer>>;

/// A bounded map from request key to the provider's first answer.
#[derive(Debug)]
pub(crate) struct AnswerCache {
    capacity: usize,
    slots: Mutex<Slots>,
}

#[derive(Debug, Default)]
struct Slots {
    by_key: HashMap<String, Slot>,
    /// Keys from oldest to newest, for eviction.
    order: VecDeque<String>,
}

impl AnswerCache {
    /// A cache of at most `capacity` keys (at least one).
    pub(crate) fn new(capacity: usize) -> Self {
        AnswerCache {
            capacity: capacity.max(1),
            slots: Mutex::new(Slots::default()),
        }
    }

    /// The first answer for `key`, running `call` only when there is none yet; an error is
    /// returned and not remembered.
    pub(crate) async fn answer<F, Fut, E>(&self, key: String, call: F) -> Result<CallbackAnswer, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<CallbackAnswer, E>>,
    {
        let slot = self.slot(key);
        slot.get_or_try_init(call).await.cloned()
    }

    fn slot(&self, key: String) -> Slot {
        let mut slots = self.slots.lock();
        if let Some(slot) = slots.by_key.get(&key) {
            return Arc::clone(slot);
        }
        let slot = Slot::default();
        slots.by_key.insert(key.clone(), Arc::clone(&slot));
        slots.order.push_back(key);
        while slots.order.len() > self.capacity {
            if let Some(old) = slots.order.pop_front() {
                slots.by_key.remove(&old);
            }
        }
        slot
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    fn counting(calls: &AtomicU64) -> Result<CallbackAnswer, ()> {
        let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
        Ok(CallbackAnswer::applied(Some(
            provider_protocol::ProviderVersion::Sequence(n),
        )))
    }

    #[tokio::test]
    async fn a_repeated_key_gets_the_first_answer_without_a_second_call() {
        let cache = AnswerCache::new(8);
        let calls = AtomicU64::new(0);
        let first = cache
            .answer("k".into(), || async { counting(&calls) })
            .await;
        let again = cache
            .answer("k".into(), || async { counting(&calls) })
            .await;
        let other = cache
            .answer("j".into(), || async { counting(&calls) })
            .await;
        assert_eq!(first, again);
        assert_ne!(first, other);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn an_error_is_not_remembered() {
        let cache = AnswerCache::new(8);
        let calls = AtomicU64::new(0);
        let failed = cache
            .answer("k".into(), || async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err::<CallbackAnswer, &str>("disk full")
            })
            .await;
        assert_eq!(failed, Err("disk full"));
        let then = cache
            .answer("k".into(), || async { counting(&calls).map_err(|()| "x") })
            .await;
        assert!(then.is_ok());
        assert_eq!(calls.load(Ordering::SeqCst), 2, "the retry called again");
    }

    #[tokio::test]
    async fn the_oldest_key_is_forgotten_past_the_capacity() {
        let cache = AnswerCache::new(2);
        let calls = AtomicU64::new(0);
        for key in ["a", "b", "c"] {
            cache
                .answer(key.into(), || async { counting(&calls) })
                .await
                .unwrap();
        }
        cache
            .answer("c".into(), || async { counting(&calls) })
            .await
            .unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 3, "c is still remembered");
        cache
            .answer("a".into(), || async { counting(&calls) })
            .await
            .unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 4, "a was evicted");
    }

    #[tokio::test]
    async fn two_deliveries_at_once_share_one_call() {
        let cache = Arc::new(AnswerCache::new(8));
        let calls = Arc::new(AtomicU64::new(0));
        let (gate_tx, gate_rx) = tokio::sync::oneshot::channel::<()>();
        let first = {
            let (cache, calls) = (Arc::clone(&cache), Arc::clone(&calls));
            tokio::spawn(async move {
                cache
                    .answer("k".into(), || async move {
                        gate_rx.await.ok();
                        counting(&calls)
                    })
                    .await
            })
        };
        tokio::task::yield_now().await;
        let second = {
            let (cache, calls) = (Arc::clone(&cache), Arc::clone(&calls));
            tokio::spawn(async move {
                cache
                    .answer("k".into(), || async move { counting(&calls) })
                    .await
            })
        };
        tokio::task::yield_now().await;
        gate_tx.send(()).ok();
        let (a, b) = (first.await.unwrap(), second.await.unwrap());
        assert_eq!(a, b);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
