//! Fault injection into change-notification deliveries (emulator; `store::faults`): each POST of
//! a tenant that has a fault profile takes the next delivery decision of that tenant on this node.
//! A dropped POST is not sent; its notifications are recorded in the delivery history as
//! delivered and dropped (so a replay sends them) and the outbox rows are done. A delayed POST
//! waits before it is sent. Lifecycle notifications are never faulted.

use model::TenantId;
use store::subscriptions::{ChangeJob, SubscriptionStore};
use store::{OutboxFailure, Store};

/// Applies the tenant's next delivery decision to the POST of `jobs`: `Some(outcome)` when the
/// POST must not be sent (dropped, or the profile could not be read), after any delay `None`.
pub(super) async fn before_post(
    store: &Store,
    tenant: &TenantId,
    subs: &SubscriptionStore,
    jobs: &[ChangeJob],
) -> Option<Result<(), OutboxFailure>> {
    let fault = match store.fault_profiles().active(store, tenant).await {
        Ok(active) => active.map(|a| a.next_delivery()).unwrap_or_default(),
        Err(e) => return Some(Err(OutboxFailure::retry(format!("store: {e}")))),
    };
    if fault.drop {
        let subscription = jobs.first().map(|j| j.subscription_id.as_str());
        tracing::info!(
            ?subscription,
            "delivery dropped by the tenant's fault profile"
        );
        return Some(match subs.record_dropped(jobs).await {
            Ok(()) => Ok(()),
            Err(e) => Err(OutboxFailure::retry(format!("history: {e}"))),
        });
    }
    if let Some(delay) = fault.delay {
        tokio::time::sleep(delay).await;
    }
    None
}
