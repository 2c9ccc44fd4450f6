//! Group commit for small, independent writes that arrive concurrently (e.g. the delivery history
//! of a hundred webhook POSTs finishing at once): [`Coalescer::submit`] queues the caller's item and
//! answers once a transaction holding it has committed, so nothing is acknowledged before it is
//! durable — but a burst of N items costs a few transactions instead of N, each with its own
//! COMMIT (and on PostgreSQL its own WAL flush).
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

/// Writes a flush's items inside its transaction.
pub(crate) type WriteAll<T> = fn(&mut dyn Tx, Vec<T>) -> Result<(), StoreError>;

/// One queue of items written together by `write`.
pub(crate) struct Coalescer<T> {
    write: WriteAll<T>,
    state: Arc<Mutex<Queue<T>>>,
}

struct Queue<T> {
    waiting: Vec<(T, oneshot::Sender<Result<(), StoreError>>)>,
    flushing: bool,
}

impl<T: Send + 'static> Coalescer<T> {
    /// A queue whose flushes write their items with `write`.
    pub(crate) fn new(write: WriteAll<T>) -> Self {
        Coalescer {
            write,
            state: Arc::new(Mutex::new(Queue {
                waiting: Vec::new(),
                flushing: false,
            })),
        }
    }

    /// Writes `item` in a transaction shared with the items submitted meanwhile; answers after
    /// that transaction's outcome (an error fails every item of that flush).
    pub(crate) async fn submit(&self, store: &Store, item: T) -> Result<(), StoreError> {
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
async fn flush<T: Send + 'static>(store: Store, state: Arc<Mutex<Queue<T>>>, write: WriteAll<T>) {
    // Ends the flushing state even when the task is dropped mid-flush (its runtime shutting down):
    // the next submission then starts a flush for whatever still waits.
    struct Dropped<'a, T>(&'a Mutex<Queue<T>>);
    impl<T> Drop for Dropped<'_, T> {
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
        let outcome = store.write(move |tx| write(tx, items)).await;
        for reply in replies {
            let _ = reply.send(outcome.clone());
        }
    }
}
