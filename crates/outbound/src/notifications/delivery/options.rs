//! What a [`super::NotificationDelivery`] serves ([`Lane`]) and its timing and batching settings
//! ([`DeliveryOptions`]).

use std::time::Duration;

/// Which rows a worker serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// Change and lifecycle notifications of receivers that answer in time.
    Fast,
    /// Change notifications of receivers marked slow.
    Slow,
}

/// Timing of deliveries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryOptions {
    /// How long a fast-lane receiver has to answer (Graph's 3 s).
    pub fast_timeout: Duration,
    /// How long a slow-lane receiver has.
    pub slow_timeout: Duration,
    /// How long a receiver stays in the slow lane after answering too slowly.
    pub slow_for: Duration,
    /// How long after its commit a notification is retried before it is dead-lettered.
    pub window: Duration,
    /// First retry delay (doubled per failed attempt).
    pub base_backoff: Duration,
    /// Longest retry delay.
    pub max_backoff: Duration,
    /// Most notifications per POST.
    pub max_batch: usize,
    /// Batches sent at the same time by one pass.
    pub concurrency: usize,
    /// Passes running side by side ([`store::OutboxWorker::passes`]).
    pub passes: usize,
}

impl Default for DeliveryOptions {
    fn default() -> Self {
        DeliveryOptions {
            fast_timeout: Duration::from_secs(3),
            slow_timeout: Duration::from_secs(30),
            slow_for: Duration::from_secs(600),
            window: Duration::from_secs(4 * 3600),
            base_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(1800),
            max_batch: 200,
            concurrency: 32,
            passes: 4,
        }
    }
}
