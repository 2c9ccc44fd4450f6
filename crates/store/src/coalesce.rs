//! Group commit for small, independent writes that arrive concurrently (e.g. the delivery history
//! of a hundred webhook POSTs finishing at once): [`Coalescer::submit`] queues the caller's item and
//! answers once a transaction holding it has committed, so nothing is acknowledged before it is
//! durable — but a burst of N items costs a few transactions instead of N, each with its own
//! COMMIT (and on PostgreSQL its own WAL flush).
//!
//! A flush answers each item with its own result (`R`, e.g. whether a provider's answer applied),
//! or every item with the transaction's error.
//!
//! While a flush is running, items wait in the queue; when it ends the next flush takes all of
//! them. The flushes run in a spawned task, so a caller that stops waiting (a cancelled request)
//! never strands the others.

use crate::backend::Tx;
use crate::error::StoreError;
use crate::handle::Store;
use parking_lot::Mutex;
use std::mem;
use std::sync::Arc;
use tokio::sync::oneshot;

/// Writes a flush's items inside its transaction; returns each item's result, in order.
pub(crate) type WriteAll<T, R> = fn(&mut dyn Tx, Vec<T>) -> Result<Vec<R>, StoreError>;

/// One queue of items written together by `write`.
pub(crate) struct Coalescer<T, R = ()> {
    write: WriteAll<T, R>,
    state: Arc<Mutex<Queue<T, R>>>,
}

type Reply<R> = oneshot::Sender<Result<R, StoreError>>;

struct Queue<T, R> {
    waiting: Vec<(T, Reply<R>)>,
    flushing: bool,
}

impl<T: Send + 'static, R: Send + 'static> Coalescer<T, R> {
    /// A queue whose flushes write their items with `write`.
    pub(crate) fn new(write: WriteAll<T, R>) -> Self {
        Coalescer {
            write,
            state: Arc::new(Mutex::new(Queue {
                waiting: Vec::new(),
                flushing: false,
            })),
        }
    }

    /// Writes `item` in a transaction shared with the items submitted meanwhile; answers its
    /// result after that transaction's outcome (an error fails every item of that flush).
    pub(crate) async fn submit(&self, store: &Store, item: T) -> Result<R, StoreError> {
        let (reply, answer) = oneshot::channel();
        let start = {
            let mut queue = self.state.lock();
            queue.waiting.push((item, reply));
            !mem::replace(&mut queue.flushing, true)
        };
        if start {
            tokio::spawn(flush(store.clone(), self.state.clone(), self.write));
        }
        answer.await.map_err(|_| {
            StoreError::Backend("a coalesced write was abandoned before it committed".into())
        })?
    }
}

/// Writes what is waiting, one transaction per round, until nothing is.
async fn flush<T: Send + 'static, R: Send + 'static>(
    store: Store,
    state: Arc<Mutex<Queue<T, R>>>,
    write: WriteAll<T, R>,
) {
    // Ends the flushing state even when the task is dropped mid-flush (its runtime shutting down):
    // the next submission then starts a flush for whatever still waits.
    struct Dropped<'a, T, R>(&'a Mutex<Queue<T, R>>);
    impl<T, R> Drop for Dropped<'_, T, R> {
        fn drop(&mut self) {
            self.0.lock().flushing = false;
        }
    }
    let dropped = Dropped(&state);
    loop {
        let batch = {
            let mut queue = state.lock();
            if queue.waiting.is_empty() {
                // Under the lock a submission takes: it either was taken here or starts a flush.
                queue.flushing = false;
                drop(queue);
                mem::forget(dropped);
                return;
            }
            mem::take(&mut queue.waiting)
        };
        let (items, replies): (Vec<T>, Vec<_>) = batch.into_iter().unzip();
        let expected = items.len();
        let outcome = store
            .write(move |tx| {
                let results = write(tx, items)?;
                match results.len() == expected {
                    true => Ok(results),
                    false => Err(StoreError::Backend(format!(
                        "a coalesced write answered {} of {expected} items",
                        results.len()
                    ))),
                }
            })
            .await;
        match outcome {
            Ok(results) => {
                for (reply, result) in replies.into_iter().zip(results) {
                    let _ = reply.send(Ok(result));
                }
            }
            Err(e) => {
                for reply in replies {
                    let _ = reply.send(Err(e.clone()));
                }
            }
        }
    }
}
