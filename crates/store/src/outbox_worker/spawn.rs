//! The background loop of an outbox worker ([`spawn_worker`]): passes back to back while there is
//! work, otherwise waiting for new rows (store events) or the idle poll, with doubling delays after
//! store errors.

use super::{OutboxWorker, WorkerOptions};
use crate::events::StoreEvent;
use crate::outbox::Outbox;
use std::sync::Arc;
use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;

/// A running worker loop.
#[derive(Debug)]
pub struct WorkerHandle {
    stop: watch::Sender<bool>,
    join: JoinHandle<()>,
}

impl WorkerHandle {
    /// The loop's task, to see whether it still runs ([`tokio::task::AbortHandle::is_finished`]).
    pub fn task(&self) -> tokio::task::AbortHandle {
        self.join.abort_handle()
    }

    /// Stops the loop after its current pass and waits for it.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.join.await;
    }
}

/// Resolves when rows of `kinds` may have become available on any node: a
/// [`StoreEvent::Outbox`] of one of them (or of no stated kind), a [`StoreEvent::Resync`], or
/// missed events. Never resolves once the feed is closed (the idle poll still runs). Rows of
/// other kinds do not wake the worker: each wake costs a claim (a write transaction).
async fn outbox_wake(events: &mut broadcast::Receiver<StoreEvent>, kinds: &[&str]) {
    loop {
        match events.recv().await {
            Ok(StoreEvent::Outbox { kind: Some(kind) }) if !kinds.contains(&kind.as_str()) => {}
            Ok(StoreEvent::Outbox { .. } | StoreEvent::Resync)
            | Err(broadcast::error::RecvError::Lagged(_)) => return,
            Ok(_) => {}
            Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
        }
    }
}

/// Runs `worker` on `outbox` in a task until stopped (or its handle is dropped), in
/// [`OutboxWorker::passes`] loops side by side: each runs passes back to back while there is work,
/// otherwise waits for new rows or `idle_poll`; after a store error it waits with doubling delays.
pub fn spawn_worker<W: OutboxWorker + 'static>(
    outbox: Outbox,
    worker: Arc<W>,
    options: WorkerOptions,
) -> WorkerHandle {
    let (stop, stopped) = watch::channel(false);
    // Subscribed before the task starts, so no row enqueued from here on goes unnoticed.
    let feeds: Vec<_> = (0..worker.passes().max(1))
        .map(|_| outbox.store.subscribe())
        .collect();
    let join = tokio::spawn(async move {
        let loops = feeds
            .into_iter()
            .map(|events| pass_loop(&outbox, &*worker, &options, stopped.clone(), events));
        futures::future::join_all(loops).await;
    });
    WorkerHandle { stop, join }
}

/// One loop of [`spawn_worker`].
async fn pass_loop<W: OutboxWorker>(
    outbox: &Outbox,
    worker: &W,
    options: &WorkerOptions,
    mut stopped: watch::Receiver<bool>,
    mut events: broadcast::Receiver<StoreEvent>,
) {
    let mut error_delay = options.base_backoff;
    while !*stopped.borrow() {
        let wait = match outbox.run_once_with(worker, options).await {
            Ok(0) => options.idle_poll,
            Ok(_) => {
                error_delay = options.base_backoff;
                continue;
            }
            Err(e) => {
                tracing::error!(error = %e, "outbox worker pass failed");
                error_delay = (error_delay * 2).min(options.max_backoff);
                error_delay
            }
        };
        tokio::select! {
            changed = stopped.changed() => {
                if changed.is_err() {
                    break; // the handle was dropped
                }
            }
            () = outbox_wake(&mut events, worker.kinds()) => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn outbox(kind: Option<&str>) -> StoreEvent {
        StoreEvent::Outbox {
            kind: kind.map(str::to_owned),
        }
    }

    async fn wakes(events: &mut broadcast::Receiver<StoreEvent>) -> bool {
        let wait = outbox_wake(events, &["webhook"]);
        tokio::time::timeout(Duration::from_millis(50), wait)
            .await
            .is_ok()
    }

    #[tokio::test]
    async fn a_worker_wakes_for_its_own_kinds_only() {
        let (tx, mut events) = broadcast::channel(16);
        tx.send(outbox(Some("provider.alertUpdate"))).unwrap();
        assert!(!wakes(&mut events).await, "another kind's rows");
        for wake in [outbox(Some("webhook")), outbox(None), StoreEvent::Resync] {
            tx.send(outbox(Some("other"))).unwrap();
            tx.send(wake.clone()).unwrap();
            assert!(wakes(&mut events).await, "{wake:?}");
        }
    }
}
