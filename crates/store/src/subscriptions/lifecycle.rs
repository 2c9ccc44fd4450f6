//! The lifecycle sweep across tenants ([`Store::sweep_subscriptions`]): subscriptions past their
//! `expirationDateTime` are deleted and their subscribers sent `subscriptionRemoved`; those within
//! [`REAUTHORIZE_BEFORE`] of it are sent `reauthorizationRequired` (once per renewal); delivery
//! history older than the retention is removed. Run it on a timer. Expiry is judged on each
//! tenant's clock ([`Store::now_for`]: emulator mode may move it), delivery history on the store
//! clock's.

use super::rows::from_row;
use super::{lifecycle_notification, LifecycleJob, Subscription, LIFECYCLE_KIND};
use crate::backend::Tx;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::handle::Store;
use crate::outbox;
use crate::tenant_clocks::TimeScope;
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
        let scopes = self.time_scopes();
        self.write(move |tx| {
            let mut summary = SweepSummary::default();
            for scope in &scopes {
                summary.removed += remove_expired(tx, scope)?;
                summary.reauthorize += queue_reauthorization(tx, scope)?;
            }
            summary.history_removed = super::sweep_history(tx, now - retention)?;
            Ok(summary)
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

/// `condition` (over `$1`, the time) for the tenants of `scope`, with its parameters.
fn scoped(condition: &str, time: OffsetDateTime, scope: &TimeScope) -> (String, Vec<Value>) {
    let (tenants, mut params) = scope.condition("tenant_id", 2);
    params.insert(0, datetime::format(time).into());
    (format!("{condition} AND {tenants}"), params)
}

fn remove_expired(tx: &mut dyn Tx, scope: &TimeScope) -> Result<usize, StoreError> {
    let now = scope.now;
    let (condition, params) = scoped("expires <= $1", now, scope);
    let expired = select(tx, &condition, &params)?;
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

fn queue_reauthorization(tx: &mut dyn Tx, scope: &TimeScope) -> Result<usize, StoreError> {
    let now = scope.now;
    let (condition, params) = scoped(
        "reauth_queued IS NULL AND expires <= $1",
        now + REAUTHORIZE_BEFORE,
        scope,
    );
    let due = select(tx, &condition, &params)?;
    for (tenant, sub) in &due {
        mark_reauthorization_queued(tx, tenant, sub, now)?;
    }
    Ok(due.len())
}

/// Queues `reauthorizationRequired` for every subscription `client_id` holds in `tenant`, because
/// the tenant's consent to that application changed (revoked, or granted with other permissions):
/// Graph asks subscribers to reauthorize then, so they find out whether their access still holds.
/// Marks them queued like the expiry sweep does; `reauthorize` (or a renewal) clears the mark.
/// Returns how many were queued.
pub(crate) fn consent_changed(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    client_id: &str,
    now: OffsetDateTime,
) -> Result<usize, StoreError> {
    let params = [Value::from(tenant.as_str()), Value::from(client_id)];
    let subs = select(tx, "tenant_id = $1 AND application_id = $2", &params)?;
    for (tenant, sub) in &subs {
        mark_reauthorization_queued(tx, tenant, sub, now)?;
    }
    Ok(subs.len())
}

/// Queues `reauthorizationRequired` for `sub` and records when.
fn mark_reauthorization_queued(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    sub: &Subscription,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
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
    Ok(())
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
