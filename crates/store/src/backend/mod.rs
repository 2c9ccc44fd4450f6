//! The private storage seam: a [`Backend`] (SQLite or PostgreSQL) runs reads and queued write jobs; everything above it
//! (queries, ingest, outbox) is written once against the backend's [`Dialect`].
//!
//! Writes are *jobs*: closures run by the backend's single writer inside a transaction (through the
//! [`Tx`] trait), several jobs per transaction (group commit). A job's result is handed back only
//! after COMMIT, so an acknowledged write is durable.

pub(crate) mod postgres;
pub(crate) mod sqlite;

use crate::dialect::Dialect;
use crate::error::StoreError;
use crate::events::StoreEvent;
use crate::value::{Row, Value};
use parking_lot::Mutex;
use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc;
use tokio::sync::{broadcast, oneshot};

/// A boxed, sendable future.
pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A storage engine.
pub(crate) trait Backend: Send + Sync + Debug {
    /// How this backend spells SQL.
    fn dialect(&self) -> &'static dyn Dialect;

    /// Runs one read statement and returns all its rows.
    fn read<'a>(
        &'a self,
        sql: &'a str,
        params: &'a [Value],
    ) -> BoxFuture<'a, Result<Vec<Row>, StoreError>>;

    /// Queues a write job for the writer; fails only when the writer has stopped.
    fn submit(&self, job: Job) -> Result<(), StoreError>;

    /// Finishes queued writes and stops the writer. Later writes fail with [`StoreError::Closed`].
    fn shutdown(&self) -> BoxFuture<'_, ()>;

    /// The committed changes of every node ([`crate::events`]).
    fn subscribe(&self) -> broadcast::Receiver<StoreEvent>;
}

/// The statements a write job may run inside the writer's transaction.
pub(crate) trait Tx {
    /// The dialect of the connection.
    fn dialect(&self) -> &'static dyn Dialect;
    /// Runs a statement that returns rows (a `SELECT`, or a write with `RETURNING`).
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError>;
    /// Runs a statement and returns the number of rows it changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<usize, StoreError>;
    /// Tells every node's subscribers about `event` once this job's transaction commits (and never
    /// if it rolls back).
    fn announce(&mut self, event: &StoreEvent) -> Result<(), StoreError>;
}

/// What the writer does with a finished job: whether to roll its savepoint back, and how to tell the
/// caller the outcome once the transaction's fate (`Ok` after COMMIT, or the COMMIT error) is known.
pub(crate) struct JobOutcome {
    /// The job failed: undo its statements (other jobs in the same transaction are unaffected).
    pub(crate) failed: bool,
    /// Called exactly once, after COMMIT (or its failure).
    pub(crate) finish: Finish,
}

/// Tells a job's caller how its transaction ended.
pub(crate) type Finish = Box<dyn FnOnce(Result<(), StoreError>) + Send>;

/// A write job.
pub(crate) type Job = Box<dyn FnOnce(&mut dyn Tx) -> JobOutcome + Send>;

/// Wraps `work` as a job and returns it with the receiver of its result.
pub(crate) fn job<R, F>(work: F) -> (Job, oneshot::Receiver<Result<R, StoreError>>)
where
    R: Send + 'static,
    F: FnOnce(&mut dyn Tx) -> Result<R, StoreError> + Send + 'static,
{
    let (tx, rx) = oneshot::channel();
    let job: Job = Box::new(move |t: &mut dyn Tx| {
        let result = work(t);
        JobOutcome {
            failed: result.is_err(),
            finish: Box::new(move |commit: Result<(), StoreError>| {
                let _ = tx.send(commit.and(result));
            }),
        }
    });
    (job, rx)
}

/// A message to writer threads.
pub(crate) enum Msg {
    Job(Job),
    /// Stop after the jobs queued before this message; answer when done.
    Shutdown(oneshot::Sender<()>),
}

/// The sending side of a backend's write queue, read by `writers` threads: jobs go in until
/// [`shutdown`](JobQueue::shutdown), which lets every writer finish what was queued before and stop.
pub(crate) struct JobQueue {
    sender: Mutex<Option<mpsc::Sender<Msg>>>,
    writers: usize,
}

impl Debug for JobQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobQueue")
            .field("writers", &self.writers)
            .field("open", &self.sender.lock().is_some())
            .finish()
    }
}

impl JobQueue {
    /// A queue for `writers` threads, and the receiving side they share.
    pub(crate) fn new(writers: usize) -> (JobQueue, mpsc::Receiver<Msg>) {
        let (tx, rx) = mpsc::channel();
        let queue = JobQueue {
            sender: Mutex::new(Some(tx)),
            writers,
        };
        (queue, rx)
    }

    /// Queues a job; fails once the queue is shut down or its writers are gone.
    pub(crate) fn submit(&self, job: Job) -> Result<(), StoreError> {
        let sender = self.sender.lock();
        let sender = sender.as_ref().ok_or(StoreError::Closed)?;
        sender.send(Msg::Job(job)).map_err(|_| StoreError::Closed)
    }

    /// Stops taking jobs; resolves when every writer has finished the queued ones and stopped.
    pub(crate) async fn shutdown(&self) {
        let Some(sender) = self.sender.lock().take() else {
            return;
        };
        let mut replies = Vec::with_capacity(self.writers);
        for _ in 0..self.writers {
            let (tx, rx) = oneshot::channel();
            if sender.send(Msg::Shutdown(tx)).is_ok() {
                replies.push(rx);
            }
        }
        for reply in replies {
            let _ = reply.await;
        }
    }
}
