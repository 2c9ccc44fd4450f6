//! The store's operational metrics, one set per [`Store`] (several servers in one process — the
//! tests — keep separate counts): how long store operations take, labelled by the store module
//! that issued them, and what happened to outgoing webhook notifications. The HTTP API registers
//! them in its Prometheus registry ([`StoreMetrics::register`]) next to the gauges it computes at
//! scrape time ([`Store::outbox_depth`]). No label carries a tenant id.

use crate::error::StoreError;
use crate::handle::Store;
use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::panic::Location;
use std::time::Duration;
use time::OffsetDateTime;

/// Whether a store operation read or wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EncodeLabelValue)]
#[allow(non_camel_case_types)]
pub enum OpKind {
    /// One read statement.
    read,
    /// One write job, from its submission to its COMMIT (waiting for the writer included).
    write,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct OpLabels {
    kind: OpKind,
    op: String,
}

/// What became of notifications after a delivery attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EncodeLabelValue)]
#[allow(non_camel_case_types)]
pub enum DeliveryResult {
    /// The receiver answered 2xx.
    delivered,
    /// The attempt failed; the notification will be tried again.
    retried,
    /// The attempt failed after the delivery window; the notification went to the dead-letter list.
    dead_lettered,
    /// The attempt failed and the notification was given up without a dead-letter entry
    /// (lifecycle notifications after their window).
    failed,
}

/// Which kind of notification was delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EncodeLabelValue)]
#[allow(non_camel_case_types)]
pub enum NotificationKind {
    /// A change notification.
    change,
    /// A lifecycle notification.
    lifecycle,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct DeliveryLabels {
    kind: NotificationKind,
    result: DeliveryResult,
}

/// Bucket bounds of store operation durations, in seconds: 50 µs to ~13 s.
fn op_histogram() -> Histogram {
    Histogram::new(prometheus_client::metrics::histogram::exponential_buckets(
        0.000_05, 4.0, 10,
    ))
}

/// The metrics of one store (cheap to clone; clones share the counts).
#[derive(Debug, Clone)]
pub struct StoreMetrics {
    ops: Family<OpLabels, Histogram, fn() -> Histogram>,
    deliveries: Family<DeliveryLabels, Counter>,
}

impl Default for StoreMetrics {
    fn default() -> Self {
        StoreMetrics {
            ops: Family::new_with_constructor(op_histogram),
            deliveries: Family::default(),
        }
    }
}

impl StoreMetrics {
    /// Adds this store's series to `registry`.
    pub fn register(&self, registry: &mut Registry) {
        registry.register(
            "secgraph_store_operation_duration_seconds",
            "Store operations by kind (read: one statement; write: one job from submission to \
             COMMIT) and by the store module that issued them",
            self.ops.clone(),
        );
        registry.register(
            "secgraph_webhook_notifications",
            "Notifications after a delivery attempt, by kind and result",
            self.deliveries.clone(),
        );
    }

    /// Records one store operation issued from `caller`.
    pub(crate) fn observe(&self, kind: OpKind, caller: &Location<'_>, took: Duration) {
        let labels = OpLabels {
            kind,
            op: module_of(caller.file()),
        };
        self.ops.get_or_create(&labels).observe(took.as_secs_f64());
    }

    /// Counts `n` notifications of `kind` whose delivery attempt ended in `result`.
    pub fn delivery(&self, kind: NotificationKind, result: DeliveryResult, n: usize) {
        let labels = DeliveryLabels { kind, result };
        self.deliveries
            .get_or_create(&labels)
            .inc_by(u64::try_from(n).unwrap_or(u64::MAX));
    }
}

/// The store module a source file holds: `crates/store/src/subscriptions/rows.rs` ->
/// `subscriptions::rows`, `.../indicator_index/mod.rs` -> `indicator_index`.
fn module_of(file: &str) -> String {
    let file = file.replace('\\', "/");
    let rel = file.rsplit_once("/src/").map_or(file.as_str(), |(_, r)| r);
    let rel = rel.strip_suffix(".rs").unwrap_or(rel);
    let rel = rel.strip_suffix("/mod").unwrap_or(rel);
    rel.replace('/', "::")
}

/// Rows waiting in the outbox of one kind: how many, and when the oldest was enqueued.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxDepth {
    /// The rows' kind (which worker handles them).
    pub kind: String,
    /// Rows waiting (leased or not).
    pub rows: u64,
    /// When the oldest of them was enqueued.
    pub oldest: OffsetDateTime,
}

impl Store {
    /// This store's metrics.
    pub fn metrics(&self) -> &StoreMetrics {
        self.metrics_ref()
    }

    /// The outbox's rows by kind, over every tenant (an operator's count: one grouped query).
    pub async fn outbox_depth(&self) -> Result<Vec<OutboxDepth>, StoreError> {
        let rows = self
            .read(
                "SELECT kind, COUNT(*), MIN(created_at) FROM outbox GROUP BY kind ORDER BY kind",
                &[],
            )
            .await?;
        rows.into_iter()
            .map(|row| {
                let mut it = row.into_iter();
                let mut next = |what: &str| {
                    it.next()
                        .ok_or_else(|| StoreError::Corrupt(format!("outbox depth lacks {what}")))
                };
                let kind = next("kind")?.into_text("outbox.kind")?;
                let rows = next("count")?.as_int("COUNT(*)")?;
                let oldest = next("oldest")?.into_text("outbox.created_at")?;
                Ok(OutboxDepth {
                    kind,
                    rows: u64::try_from(rows).unwrap_or(0),
                    oldest: crate::outbox::parse_time(&oldest)?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::module_of;

    #[test]
    fn operations_are_named_after_their_module() {
        assert_eq!(module_of("crates/store/src/outbox.rs"), "outbox");
        assert_eq!(
            module_of("/w/crates/store/src/subscriptions/rows.rs"),
            "subscriptions::rows"
        );
        assert_eq!(
            module_of("crates/store/src/indicator_index/mod.rs"),
            "indicator_index"
        );
    }
}
