//! The delivery history behind replay (a secgraph extension): every change notification a
//! receiver accepted is kept for a retention window, keyed by (tenant, subscription, sequence,
//! notification id), and [`SubscriptionStore::replay`] queues the retained ones after a sequence
//! again, through the ordinary outbox and delivery path.
//!
//! **Sequence.** Each subscription counts its notifications: the change's transaction takes the
//! next numbers of the subscription's counter (`subscriptions.notification_seq`,
//! [`reserve_sequences`]) for the notifications it queues, so the numbers follow commit order without
//! gaps within a subscription ([`super::ChangeJob::subscription_sequence`], delivered as
//! `@secgraph.sequence`). A receiver keeps the highest sequence it has processed and asks for
//! everything after it. (The tenant's change sequence was not used: incidents and indicators are
//! outside that feed.)
//!
//! **Retention.** Rows older than the retention ([`DEFAULT_RETENTION`], 7 days) are removed by the
//! subscription sweep ([`Store::sweep_subscriptions_retaining`](crate::Store)); the highest
//! sequence removed from a subscription's history is remembered (`subscriptions.history_floor`) so
//! a replay from before it is refused instead of silently incomplete.

use super::{ChangeJob, SubscriptionStore, CHANGE_KIND};
use crate::backend::Tx;
use crate::dialect::{placeholders, statement};
use crate::error::StoreError;
use crate::multirow::{insert_new_rows, Slot};
use crate::outbox;
use crate::value::Value;
use model::{datetime, TenantId};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;
use time::OffsetDateTime;

/// How long delivered notifications are kept by default.
pub const DEFAULT_RETENTION: Duration = Duration::from_secs(7 * 24 * 3600);
/// History rows per `INSERT` (4 parameters each, well under both backends' limits).
const HISTORY_ROWS_PER_STATEMENT: usize = 250;
/// Most notifications one replay request queues (the answer says where to continue).
pub const MAX_REPLAY: usize = 10_000;

/// The `V9__notification_history` migration (both backends, additive).
pub(crate) const V9_NOTIFICATION_HISTORY: &str = "CREATE TABLE notification_history (
    tenant_id {text} NOT NULL REFERENCES tenants(id),
    subscription_id {text} NOT NULL,
    sequence {int} NOT NULL,
    id {text} NOT NULL,
    payload {text} NOT NULL,
    delivered {text} NOT NULL,
    PRIMARY KEY (tenant_id, subscription_id, sequence, id)
);
CREATE INDEX notification_history_delivered ON notification_history (delivered);
ALTER TABLE subscriptions ADD COLUMN history_floor {int} NOT NULL DEFAULT 0;
ALTER TABLE subscriptions ADD COLUMN notification_seq {int} NOT NULL DEFAULT 0;
";

/// The history rows of one [`SubscriptionStore::record`] call: the values all its rows share
/// (tenant, time, dropped) and each row's own (subscription, sequence, id, payload).
pub(crate) struct HistoryRows {
    shared: Vec<Value>,
    own: Vec<Value>,
}

/// Writes the history rows of concurrent calls in one transaction (the store's
/// [`Coalescer`](crate::coalesce::Coalescer) for them): a hundred receivers answering at once cost
/// one COMMIT, not a hundred.
pub(crate) fn write_history(
    tx: &mut dyn Tx,
    calls: Vec<HistoryRows>,
) -> Result<Vec<()>, StoreError> {
    let count = calls.len();
    let layout = [
        Slot::Shared(1),
        Slot::Own(0),
        Slot::Own(1),
        Slot::Own(2),
        Slot::Own(3),
        Slot::Shared(2),
        Slot::Shared(3),
    ];
    for call in calls {
        insert_new_rows(
            tx,
            "notification_history (tenant_id, subscription_id, sequence, id, payload, \
             delivered, dropped)",
            &layout,
            &call.shared,
            call.own,
            HISTORY_ROWS_PER_STATEMENT,
        )?;
    }
    Ok(vec![(); count])
}

/// What a replay request did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replay {
    /// Notifications were queued (possibly none).
    Queued {
        /// How many.
        count: usize,
        /// The highest sequence queued (`since` when none).
        last_sequence: i64,
        /// Whether more retained notifications follow (ask again from `last_sequence`).
        more: bool,
    },
    /// Notifications after `since` up to `floor` were removed by the retention sweep.
    Expired {
        /// The highest sequence no longer retained.
        floor: i64,
    },
    /// The subscription does not exist (in this tenant).
    NotFound,
}

impl SubscriptionStore {
    /// Records `jobs` (of one subscription, just accepted by its receiver) in the history; a
    /// notification recorded before (a redelivery or a replay) keeps its first record.
    pub async fn record_delivered(&self, jobs: &[ChangeJob]) -> Result<(), StoreError> {
        self.record(jobs, false).await
    }

    /// Records `jobs` (of one subscription) as dropped by fault injection (`crate::faults`):
    /// counted as delivered, never sent, and marked `dropped` so the history shows it; a replay
    /// sends them like any retained notification.
    pub async fn record_dropped(&self, jobs: &[ChangeJob]) -> Result<(), StoreError> {
        self.record(jobs, true).await
    }

    async fn record(&self, jobs: &[ChangeJob], dropped: bool) -> Result<(), StoreError> {
        if jobs.is_empty() {
            return Ok(());
        }
        let tenant = self.tenant.tenant_id().as_str();
        let now = datetime::format(self.tenant.store().clock().now());
        let shared = vec![Value::from(tenant), now.into(), Value::Int(dropped.into())];
        let mut own = Vec::with_capacity(jobs.len() * 4);
        for job in jobs {
            let mut kept = job.clone();
            kept.replay = false;
            own.extend([
                job.subscription_id.as_str().into(),
                Value::Int(job.subscription_sequence),
                job.id.as_str().into(),
                serde_json::to_string(&kept)?.into(),
            ]);
        }
        let store = self.tenant.store();
        store
            .history_writes()
            .submit(store, HistoryRows { shared, own })
            .await
    }

    /// Queues again, as replays, the retained notifications of `subscription_id` with a sequence
    /// after `since` (at most [`MAX_REPLAY`]), in one transaction.
    pub async fn replay(&self, subscription_id: &str, since: i64) -> Result<Replay, StoreError> {
        let tenant = self.tenant.tenant_id().clone();
        let sub = subscription_id.to_owned();
        let now = self.tenant.store().clock().now();
        self.tenant
            .store()
            .write(move |tx| {
                match history_floor(tx, tenant.as_str(), &sub)? {
                    None => return Ok(Replay::NotFound),
                    Some(floor) if since < floor => return Ok(Replay::Expired { floor }),
                    Some(_) => {}
                }
                let (jobs, more) = retained_after(tx, tenant.as_str(), &sub, since)?;
                let mut last_sequence = since;
                let mut rows = Vec::with_capacity(jobs.len());
                for mut job in jobs.iter().cloned() {
                    job.replay = true;
                    last_sequence = last_sequence.max(job.subscription_sequence);
                    rows.push((CHANGE_KIND, serde_json::to_string(&job)?));
                }
                outbox::insert_many(tx, &tenant, &rows, now)?;
                Ok(Replay::Queued {
                    count: jobs.len(),
                    last_sequence,
                    more,
                })
            })
            .await
    }
}

/// Takes the next `count` numbers of each subscription's notification counter at once, in the
/// transaction that queues the notifications: one statement per distinct count (usually one).
/// Returns, per subscription id, the first number of its range; a subscription that is gone is
/// absent (its notifications are numbered 0).
pub(crate) fn reserve_sequences(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    counts: &[(&str, i64)],
) -> Result<HashMap<String, i64>, StoreError> {
    let mut by_count: BTreeMap<i64, Vec<&str>> = BTreeMap::new();
    for &(sub, count) in counts {
        by_count.entry(count).or_default().push(sub);
    }
    let mut first = HashMap::with_capacity(counts.len());
    for (count, subs) in by_count {
        let sql = statement(
            tx.dialect(),
            &format!(
                "UPDATE subscriptions SET notification_seq = notification_seq + $2 \
                 WHERE tenant_id = $1 AND id IN ({}) RETURNING id, notification_seq",
                placeholders(3, subs.len())
            ),
        );
        let mut params = vec![Value::from(tenant.as_str()), Value::Int(count)];
        params.extend(subs.iter().map(|s| Value::from(*s)));
        for row in tx.query(&sql, &params)? {
            let mut cols = row.into_iter();
            let (Some(id), Some(last)) = (cols.next(), cols.next()) else {
                return Err(StoreError::Corrupt("short subscriptions row".into()));
            };
            let last = last.as_int("subscriptions.notification_seq")?;
            first.insert(id.into_text("subscriptions.id")?, last - count + 1);
        }
    }
    Ok(first)
}

/// The subscription's `history_floor`, or `None` when it does not exist.
fn history_floor(tx: &mut dyn Tx, tenant: &str, sub: &str) -> Result<Option<i64>, StoreError> {
    let sql = statement(
        tx.dialect(),
        "SELECT history_floor FROM subscriptions WHERE tenant_id = $1 AND id = $2",
    );
    let rows = tx.query(&sql, &[tenant.into(), sub.into()])?;
    rows.into_iter()
        .next()
        .and_then(|r| r.into_iter().next())
        .map(|v| v.as_int("subscriptions.history_floor"))
        .transpose()
}

/// Up to [`MAX_REPLAY`] retained jobs after `since`, and whether more follow.
fn retained_after(
    tx: &mut dyn Tx,
    tenant: &str,
    sub: &str,
    since: i64,
) -> Result<(Vec<ChangeJob>, bool), StoreError> {
    let sql = statement(
        tx.dialect(),
        &format!(
            "SELECT payload FROM notification_history WHERE tenant_id = $1 AND subscription_id = $2 \
             AND sequence > $3 ORDER BY sequence, id LIMIT {}",
            MAX_REPLAY + 1
        ),
    );
    let rows = tx.query(&sql, &[tenant.into(), sub.into(), Value::Int(since)])?;
    let mut jobs = Vec::with_capacity(rows.len());
    for row in rows {
        let text = row
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::Corrupt("history row lacks payload".into()))?
            .into_text("notification_history.payload")?;
        jobs.push(serde_json::from_str::<ChangeJob>(&text)?);
    }
    let more = jobs.len() > MAX_REPLAY;
    jobs.truncate(MAX_REPLAY);
    Ok((jobs, more))
}

/// Removes history rows delivered before `cutoff`, raising each affected subscription's
/// `history_floor` to the highest sequence removed. Returns the rows removed.
pub(crate) fn sweep_history(tx: &mut dyn Tx, cutoff: OffsetDateTime) -> Result<usize, StoreError> {
    let cutoff = datetime::format(cutoff);
    let sql = statement(
        tx.dialect(),
        "SELECT tenant_id, subscription_id, MAX(sequence) FROM notification_history \
         WHERE delivered < $1 GROUP BY tenant_id, subscription_id",
    );
    let floors = tx.query(&sql, &[cutoff.as_str().into()])?;
    let raise = statement(
        tx.dialect(),
        "UPDATE subscriptions SET history_floor = $3 \
         WHERE tenant_id = $1 AND id = $2 AND history_floor < $3",
    );
    for row in floors {
        let mut cols = row.into_iter();
        let mut next = |what: &str| {
            cols.next()
                .ok_or_else(|| StoreError::Corrupt(format!("history sweep row lacks {what}")))
        };
        let tenant = next("tenant_id")?.into_text("notification_history.tenant_id")?;
        let sub = next("subscription_id")?.into_text("notification_history.subscription_id")?;
        let max = next("max")?.as_int("MAX(sequence)")?;
        tx.execute(&raise, &[tenant.into(), sub.into(), Value::Int(max)])?;
    }
    let sql = statement(
        tx.dialect(),
        "DELETE FROM notification_history WHERE delivered < $1",
    );
    tx.execute(&sql, &[cutoff.into()])
}
