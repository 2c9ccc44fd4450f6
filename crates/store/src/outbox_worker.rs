//! Running outbox work: the [`OutboxWorker`] contract, a single explicit pass
//! ([`Outbox::run_once`], what tests call to drain the outbox) and a background loop
//! ([`spawn_worker`]) that wakes on new rows, polls, and backs off when the store fails.

mod spawn;

pub use spawn::{spawn_worker, WorkerHandle};

use crate::error::StoreError;
use crate::outbox::{Outbox, OutboxItem};
use futures::stream::{self, StreamExt};
use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;
use time::OffsetDateTime;

/// Why handling an item failed, and when to try again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxFailure {
    /// What went wrong (kept as the row's `last_error`).
    pub message: String,
    /// Retry at this time instead of after the exponential backoff.
    pub retry_at: Option<OffsetDateTime>,
    /// Never retry: the row is dropped (and logged).
    pub permanent: bool,
}

impl OutboxFailure {
    /// A failure retried after the exponential backoff.
    pub fn retry(message: impl Into<String>) -> Self {
        OutboxFailure {
            message: message.into(),
            retry_at: None,
            permanent: false,
        }
    }

    /// A failure retried at `at` (e.g. from a `Retry-After`).
    pub fn retry_at(message: impl Into<String>, at: OffsetDateTime) -> Self {
        OutboxFailure {
            message: message.into(),
            retry_at: Some(at),
            permanent: false,
        }
    }

    /// A failure that retrying cannot fix.
    pub fn permanent(message: impl Into<String>) -> Self {
        OutboxFailure {
            message: message.into(),
            retry_at: None,
            permanent: true,
        }
    }
}

/// Handles outbox rows of some kinds. `handle` may be written as `async fn`.
pub trait OutboxWorker: Send + Sync {
    /// The kinds this worker handles.
    fn kinds(&self) -> &[&'static str];
    /// How many items of one pass are handled at the same time (default 1: one after another).
    /// Workers whose items wait on the network raise it so that one slow call does not hold up
    /// the others.
    fn concurrency(&self) -> usize {
        1
    }
    /// How many passes of this worker run at the same time on one node (default 1). A worker
    /// without order keys whose items wait on the network raises it, so that rows committed while
    /// one pass waits for its slowest call are claimed at once by another pass instead of after
    /// the whole pass. (With order keys it must stay 1: two passes could run one key's items out of
    /// order.)
    fn passes(&self) -> usize {
        1
    }
    /// Items of one pass with the same key are handled one after another in enqueue order, and
    /// when one fails the later ones wait for its retry (e.g. the updates of one alert). `None`
    /// (the default): the item has no order with the others.
    fn order_key(&self, item: &OutboxItem) -> Option<String> {
        let _ = item;
        None
    }
    /// Items of one pass with the same batch key (and no order key) are handed to
    /// [`OutboxWorker::handle_batch`] together, at most [`OutboxWorker::max_batch`] at a time
    /// (e.g. the notifications of one subscription, sent in one POST). `None` (the default):
    /// the item is handled alone.
    fn batch_key(&self, item: &OutboxItem) -> Option<String> {
        let _ = item;
        None
    }
    /// The most items one [`OutboxWorker::handle_batch`] call gets (default 100).
    fn max_batch(&self) -> usize {
        100
    }
    /// Does the work of one item.
    fn handle(&self, item: &OutboxItem) -> impl Future<Output = Result<(), OutboxFailure>> + Send;
    /// Does the work of a batch; one outcome per item, in order. The default handles the items
    /// one after another.
    fn handle_batch(
        &self,
        items: &[OutboxItem],
    ) -> impl Future<Output = Vec<Result<(), OutboxFailure>>> + Send {
        async move {
            let mut outcomes = Vec::with_capacity(items.len());
            for item in items {
                outcomes.push(self.handle(item).await);
            }
            outcomes
        }
    }
}

/// How a worker claims and retries.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Lease owner name (unique per worker).
    pub owner: String,
    /// Items claimed per pass.
    pub batch: u32,
    /// How long a claimed item stays leased before another worker may take it.
    pub lease: Duration,
    /// First retry delay; doubled per failed attempt.
    pub base_backoff: Duration,
    /// Longest retry delay.
    pub max_backoff: Duration,
    /// How often an idle loop polls (it also wakes when rows are enqueued).
    pub idle_poll: Duration,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        WorkerOptions {
            owner: format!("worker-{}", uuid::Uuid::new_v4()),
            batch: 32,
            lease: Duration::from_secs(60),
            base_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(3600),
            idle_poll: Duration::from_secs(1),
        }
    }
}

impl WorkerOptions {
    /// The delay before retry number `attempts` (1-based).
    pub fn backoff(&self, attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempts.saturating_sub(1));
        self.base_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

impl Outbox {
    /// One pass with default options: claims available items of the worker's kinds, handles each,
    /// completes or fails it. Returns how many items were handled (successfully or not).
    pub async fn run_once<W: OutboxWorker>(&self, worker: &W) -> Result<usize, StoreError> {
        self.run_once_with(worker, &WorkerOptions::default()).await
    }

    /// One pass with `options`: claims up to `options.batch` items, handles them
    /// ([`OutboxWorker::concurrency`] at a time, items of one [`OutboxWorker::order_key`] in
    /// order), then deletes the handled ones in one statement.
    pub async fn run_once_with<W: OutboxWorker>(
        &self,
        worker: &W,
        options: &WorkerOptions,
    ) -> Result<usize, StoreError> {
        let items = self
            .claim(worker.kinds(), options.batch, options.lease, &options.owner)
            .await?;
        let n = items.len();
        let results: Vec<Result<Vec<i64>, StoreError>> = stream::iter(units(worker, items))
            .map(|unit| async move {
                match unit {
                    Unit::Chain(chain) => self.run_chain(worker, chain, options).await,
                    Unit::Batch(batch) => self.run_batch(worker, batch, options).await,
                }
            })
            .buffer_unordered(worker.concurrency().max(1))
            .collect()
            .await;
        let mut done = Vec::with_capacity(n);
        let mut first_error = None;
        for result in results {
            match result {
                Ok(ids) => done.extend(ids),
                Err(e) => first_error = first_error.or(Some(e)),
            }
        }
        self.complete_many(&done).await?;
        match first_error {
            Some(e) => Err(e),
            None => Ok(n),
        }
    }

    /// Handles a batch. Returns the ids to delete (handled, or failed for good); each retryable
    /// failure records its item's attempt.
    async fn run_batch<W: OutboxWorker>(
        &self,
        worker: &W,
        batch: Vec<OutboxItem>,
        options: &WorkerOptions,
    ) -> Result<Vec<i64>, StoreError> {
        let outcomes = worker.handle_batch(&batch).await;
        let mut done = Vec::with_capacity(batch.len());
        for (i, item) in batch.iter().enumerate() {
            match outcomes.get(i) {
                Some(Ok(())) => done.push(item.id),
                Some(Err(f)) if f.permanent => {
                    tracing::warn!(id = item.id, kind = %item.kind, error = %f.message, "outbox item dropped");
                    done.push(item.id);
                }
                Some(Err(f)) => {
                    let now = self.store.clock().now();
                    let retry_at = f
                        .retry_at
                        .unwrap_or(now + options.backoff(item.attempts + 1));
                    self.fail(item.id, retry_at, &f.message).await?;
                }
                // A worker that returned too few outcomes: the item waits for its lease to end.
                None => tracing::error!(id = item.id, "handle_batch returned no outcome"),
            }
        }
        Ok(done)
    }

    /// Handles a chain of items in order. Returns the ids to delete (handled, or failed for good);
    /// a retryable failure records the attempt and defers the rest of the chain to its retry time.
    async fn run_chain<W: OutboxWorker>(
        &self,
        worker: &W,
        chain: Vec<OutboxItem>,
        options: &WorkerOptions,
    ) -> Result<Vec<i64>, StoreError> {
        let mut done = Vec::with_capacity(chain.len());
        let mut rest = chain.into_iter();
        while let Some(item) = rest.next() {
            match worker.handle(&item).await {
                Ok(()) => done.push(item.id),
                Err(f) if f.permanent => {
                    tracing::warn!(id = item.id, kind = %item.kind, error = %f.message, "outbox item dropped");
                    done.push(item.id);
                }
                Err(f) => {
                    let now = self.store.clock().now();
                    let retry_at = f
                        .retry_at
                        .unwrap_or(now + options.backoff(item.attempts + 1));
                    self.fail(item.id, retry_at, &f.message).await?;
                    let held: Vec<i64> = rest.map(|i| i.id).collect();
                    self.defer(&held, retry_at).await?;
                    break;
                }
            }
        }
        Ok(done)
    }
}

/// What one pass hands to the worker at a time.
enum Unit {
    /// Items handled in order, one by one.
    Chain(Vec<OutboxItem>),
    /// Items handed over together.
    Batch(Vec<OutboxItem>),
}

/// Splits claimed items (oldest first) into units: the items of one order key in order, the
/// items of one batch key in batches of at most `max_batch`, and each other item alone.
fn units<W: OutboxWorker>(worker: &W, items: Vec<OutboxItem>) -> Vec<Unit> {
    let mut rest = Vec::with_capacity(items.len());
    let mut batches: Vec<Vec<OutboxItem>> = Vec::new();
    let mut open: HashMap<String, usize> = HashMap::new();
    let max = worker.max_batch().max(1);
    for item in items {
        if worker.order_key(&item).is_some() {
            rest.push(item);
            continue;
        }
        match worker.batch_key(&item) {
            Some(key) => match open.get(&key) {
                Some(&i) if batches[i].len() < max => batches[i].push(item),
                _ => {
                    open.insert(key, batches.len());
                    batches.push(vec![item]);
                }
            },
            None => rest.push(item),
        }
    }
    let mut units: Vec<Unit> = chains(worker, rest).into_iter().map(Unit::Chain).collect();
    units.extend(batches.into_iter().map(Unit::Batch));
    units
}

/// Splits items (oldest first) into chains: the items of one order key in order, and each
/// keyless item alone.
fn chains<W: OutboxWorker>(worker: &W, items: Vec<OutboxItem>) -> Vec<Vec<OutboxItem>> {
    let mut chains: Vec<Vec<OutboxItem>> = Vec::with_capacity(items.len());
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for item in items {
        match worker.order_key(&item) {
            Some(key) => match by_key.get(&key) {
                Some(&i) => chains[i].push(item),
                None => {
                    by_key.insert(key, chains.len());
                    chains.push(vec![item]);
                }
            },
            None => chains.push(vec![item]),
        }
    }
    chains
}
