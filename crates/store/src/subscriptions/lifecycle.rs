//! The lifecycle sweep across tenants ([`Store::sweep_subscriptions`]): subscriptions past their
//! `expirationDateTime` are deleted and their subscribers sent `subscriptionRemoved`; those within
//! [`REAUTHORIZE_BEFORE`] of it are sent `reauthorizationRequired` (once per renewal); delivery
//! history older than the retention is removed. Run it on a timer; every time it reads is the
//! store clock's.

use super::rows::from_row;
use super::{lifecycle_notification, LifecycleJob, Subscription, LIFECYCLE_KIND};
use crate::backend::Tx;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::handle::Store;
use crate::outbox;
use crate::value::Value;
use model::{datetime, TenantId};
use std::time::Duration;
use time::OffsetDateTime;

/// How long before expiry `reauthorizationRequired` is sent.
pub const REAUTHORIZE_BEFORE: Duration = Duration::from_secs(3600);

/// What one sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepSummary {
    /// Subscriptions deleted because they expired.
    pub removed: usize,
    /// `reauthorizationRequired` notifications queued.
    pub reauthorize: usize,
    /// Delivery-history rows removed because they were older than the retention.
    pub history_removed: usize,
}

impl Store {
    /// Removes expired subscriptions (queueing `subscriptionRemoved`) and queues
    /// `reauthorizationRequired` for those expiring within [`REAUTHORIZE_BEFORE`], in one
    /// transaction.
    pub async fn sweep_subscriptions(&self) -> Result<SweepSummary, StoreError> {
        self.sweep_subscriptions_retaining(super::DEFAULT_RETENTION)
            .await
    }

    /// [`Store::sweep_subscriptions`], also removing delivery-history rows older than
    /// `retention` (see [`super::SubscriptionStore::replay`]).
    pub async fn sweep_subscriptions_retaining(
        &self,
        retention: Duration,
    ) -> Result<SweepSummary, StoreError> {
        let now = self.clock().now();
        self.write(move |tx| {
            let removed = remove_expired(tx, now)?;
            let reauthorize = queue_reauthorization(tx, now)?;
            let history_removed = super::sweep_history(tx, now - retention)?;
            Ok(SweepSummary {
                removed,
                reauthorize,
                history_removed,
            })
        })
        .await
    }
}

/// Subscriptions (with their tenants) selected by `condition` over `params`.
fn select(
    tx: &mut dyn Tx,
    condition: &str,
    params: &[Value],
) -> Result<Vec<(TenantId, Subscription)>, StoreError> {
    let sql = statement(
        tx.dialect(),
        &format!(
            "SELECT tenant_id, doc FROM subscriptions WHERE {condition} ORDER BY tenant_id, id"
        ),
    );
    let rows = tx.query(&sql, params)?;
    rows.into_iter()
        .map(|row| {
            let mut cols = row.into_iter();
            let tenant = cols
                .next()
                .ok_or_else(|| StoreError::Corrupt("subscription row lacks tenant_id".into()))?
                .into_text("subscriptions.tenant_id")?;
            Ok((TenantId(tenant), from_row(cols.collect())?))
        })
        .collect()
}

fn remove_expired(tx: &mut dyn Tx, now: OffsetDateTime) -> Result<usize, StoreError> {
    let expired = select(tx, "expires <= $1", &[datetime::format(now).into()])?;
    for (tenant, sub) in &expired {
        queue_lifecycle(tx, tenant, sub, "subscriptionRemoved", now)?;
        let sql = statement(
            tx.dialect(),
            "DELETE FROM subscriptions WHERE tenant_id = $1 AND id = $2",
        );
        tx.execute(&sql, &[tenant.as_str().into(), sub.id.as_str().into()])?;
    }
    Ok(expired.len())
}

fn queue_reauthorization(tx: &mut dyn Tx, now: OffsetDateTime) -> Result<usize, StoreError> {
    let soon = datetime::format(now + REAUTHORIZE_BEFORE);
    let due = select(
        tx,
        "reauth_queued IS NULL AND expires <= $1",
        &[soon.into()],
    )?;
    for (tenant, sub) in &due {
        queue_lifecycle(tx, tenant, sub, "reauthorizationRequired", now)?;
        let sql = statement(
            tx.dialect(),
            "UPDATE subscriptions SET reauth_queued = $3 WHERE tenant_id = $1 AND id = $2",
        );
        let params = [
            tenant.as_str().into(),
            sub.id.as_str().into(),
            Value::from(datetime::format(now)),
        ];
        tx.execute(&sql, &params)?;
    }
    Ok(due.len())
}

/// Queues the lifecycle notification `event` of `sub` when it has a `lifecycleNotificationUrl`.
pub(crate) fn queue_lifecycle(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    sub: &Subscription,
    event: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let Some(url) = &sub.lifecycle_notification_url else {
        return Ok(());
    };
    let job = LifecycleJob {
        url: url.clone(),
        notification: lifecycle_notification(tenant.as_str(), sub, event),
    };
    let payload = serde_json::to_value(&job)?;
    outbox::insert(tx, tenant, LIFECYCLE_KIND, &payload, now)
}
