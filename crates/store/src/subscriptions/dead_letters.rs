//! The dead-letter list: notifications given up on after the delivery window. Giving up also
//! queues a `missed` lifecycle notification for the subscription (when it has a lifecycle URL),
//! in the same transaction.

use super::lifecycle::queue_lifecycle;
use super::SubscriptionStore;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::outbox::{parse_time, OutboxItem};
use crate::value::Value;
use model::datetime;
use time::OffsetDateTime;

/// A notification secgraph gave up delivering.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadLetter {
    /// The subscription it was for.
    pub subscription_id: String,
    /// The outbox payload (a [`super::ChangeJob`] or [`super::LifecycleJob`]).
    pub payload: serde_json::Value,
    /// Failed attempts.
    pub attempts: u32,
    /// When it was committed.
    pub enqueued: OffsetDateTime,
    /// When it was given up on.
    pub given_up: OffsetDateTime,
    /// The last failure.
    pub last_error: Option<String>,
}

impl SubscriptionStore {
    /// Moves `items` (outbox rows of subscription `subscription_id`, still in the outbox: the
    /// caller completes them) to the dead-letter list, and queues one `missed` lifecycle
    /// notification when the subscription still exists and has a lifecycle URL.
    pub async fn dead_letter(
        &self,
        subscription_id: &str,
        items: &[OutboxItem],
        error: &str,
    ) -> Result<(), StoreError> {
        if items.is_empty() {
            return Ok(());
        }
        let sub = self.get(subscription_id).await?;
        let tenant = self.tenant.tenant_id().clone();
        let now = self.tenant.store().clock().now();
        let rows: Vec<Vec<Value>> = items
            .iter()
            .map(|i| {
                vec![
                    tenant.as_str().into(),
                    subscription_id.into(),
                    i.payload.to_string().into(),
                    Value::Int(i64::from(i.attempts) + 1),
                    datetime::format(i.created_at).into(),
                    datetime::format(now).into(),
                    error.into(),
                ]
            })
            .collect();
        self.tenant
            .store()
            .write(move |tx| {
                let sql = statement(
                    tx.dialect(),
                    "INSERT INTO notification_dead_letters (tenant_id, subscription_id, payload, \
                     attempts, enqueued, given_up, last_error) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                );
                for params in &rows {
                    tx.execute(&sql, params)?;
                }
                if let Some(sub) = &sub {
                    queue_lifecycle(tx, &tenant, sub, "missed", now)?;
                }
                Ok(())
            })
            .await
    }

    /// The dead letters of a subscription, oldest first.
    pub async fn dead_letters(&self, subscription_id: &str) -> Result<Vec<DeadLetter>, StoreError> {
        let store = self.tenant.store();
        let sql = statement(
            store.dialect(),
            "SELECT payload, attempts, enqueued, given_up, last_error FROM notification_dead_letters \
             WHERE tenant_id = $1 AND subscription_id = $2 ORDER BY id",
        );
        let params = [
            self.tenant.tenant_id().as_str().into(),
            subscription_id.into(),
        ];
        let rows = store.read(&sql, &params).await?;
        rows.into_iter()
            .map(|row| {
                let mut c = row.into_iter();
                let mut next = |what: &str| {
                    c.next()
                        .ok_or_else(|| StoreError::Corrupt(format!("dead letter lacks {what}")))
                };
                let payload = serde_json::from_str(&next("payload")?.into_text("payload")?)?;
                let attempts = next("attempts")?.as_int("attempts")?;
                let enqueued = parse_time(&next("enqueued")?.into_text("enqueued")?)?;
                let given_up = parse_time(&next("given_up")?.into_text("given_up")?)?;
                let last_error = next("last_error")?.into_opt_text("last_error")?;
                Ok(DeadLetter {
                    subscription_id: subscription_id.to_owned(),
                    payload,
                    attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                    enqueued,
                    given_up,
                    last_error,
                })
            })
            .collect()
    }
}
