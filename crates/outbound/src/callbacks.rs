//! The outbox worker that calls providers back: alert updates (sync-back), security actions and
//! their cancellations. Each row is delivered
//! at least once with the idempotency key fixed when the change was committed, signed with the
//! provider's active secrets, under the provider's address allowance; the provider's answer is
//! written back onto the alert. A failed call is retried with the outbox's exponential backoff (or
//! the provider's `Retry-After`) and recorded in the provider's health for the tenant, so the
//! operator sees a provider that keeps failing. A row that can never be delivered (the provider
//! was removed, its address is refused) ends the alert's pending state as `rejected` with a reason
//! saying so, rather than leaving it pending for ever.

use crate::provider::ProviderTarget;
use crate::{CallFailure, OutboundClient};
use provider_protocol::CallbackAnswer;
use store::providers::{AlertUpdateJob, Provider, ALERT_UPDATE_KIND};
use store::security_actions::{ActionJob, CancelJob, ACTION_CANCEL_KIND, ACTION_KIND};
use store::{OutboxFailure, OutboxItem, OutboxWorker, Store};

/// Provider calls one pass of the worker makes at the same time.
const CONCURRENT_CALLS: usize = 16;

/// Delivers provider callbacks from the outbox.
#[derive(Debug, Clone)]
pub struct ProviderCallbacks {
    store: Store,
    client: OutboundClient,
}

impl ProviderCallbacks {
    /// A worker writing answers to `store` and calling out through `client`.
    pub fn new(store: Store, client: OutboundClient) -> Self {
        ProviderCallbacks { store, client }
    }

    async fn alert_update(&self, item: &OutboxItem) -> Result<(), OutboxFailure> {
        let job: AlertUpdateJob = serde_json::from_value(item.payload.clone())
            .map_err(|e| OutboxFailure::permanent(format!("unreadable alert update: {e}")))?;
        let update = &job.update;
        let tenant = self.store.tenant(&item.tenant_id);
        let Some(provider) = self.provider(&job.provider_id).await? else {
            let reason = "not delivered: the provider is no longer registered";
            let answer = CallbackAnswer::rejected(reason);
            tenant
                .record_sync_answer(
                    &update.alert_id,
                    &job.provider_id,
                    update.idempotency_key,
                    answer,
                )
                .await
                .map_err(store_failure)?;
            return Err(OutboxFailure::permanent(reason));
        };
        let keys = provider.signing_keys().map_err(store_failure)?;
        let target = target(&provider, &keys);
        // The wall clock, not the store's: the provider checks the signature's time against its own.
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        match self.client.send_alert_update(&target, update, now).await {
            Ok(answer) => {
                tenant
                    .record_sync_answer(
                        &update.alert_id,
                        provider.name(),
                        update.idempotency_key,
                        answer,
                    )
                    .await
                    .map_err(store_failure)?;
                Ok(())
            }
            Err(f) if !f.retryable => {
                let answer = CallbackAnswer::rejected(format!("not delivered: {}", f.message));
                tenant
                    .record_sync_answer(
                        &update.alert_id,
                        provider.name(),
                        update.idempotency_key,
                        answer,
                    )
                    .await
                    .map_err(store_failure)?;
                Err(OutboxFailure::permanent(f.message))
            }
            Err(f) => Err(self.failed(item, &provider, f).await),
        }
    }

    /// Delivers an action invocation or cancellation; the provider's answer goes onto the action
    /// (a rejected invocation ends it `Failed`). One that can never be delivered ends it `Failed`
    /// too, saying why.
    async fn action(&self, item: &OutboxItem) -> Result<(), OutboxFailure> {
        let (provider_id, call) = ActionCall::from_item(item)?;
        let actions = self.store.tenant(&item.tenant_id).security_actions();
        let record = |answer: CallbackAnswer| {
            let (actions, kind, id) = (actions.clone(), item.kind.clone(), call.action_id());
            async move {
                actions
                    .record_answer(&id, &kind, answer)
                    .await
                    .map_err(store_failure)?;
                Ok::<(), OutboxFailure>(())
            }
        };
        let Some(provider) = self.provider(&provider_id).await? else {
            let reason = "not delivered: the provider is no longer registered";
            record(CallbackAnswer::rejected(reason)).await?;
            return Err(OutboxFailure::permanent(reason));
        };
        let keys = provider.signing_keys().map_err(store_failure)?;
        let target = target(&provider, &keys);
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let answer = match &call {
            ActionCall::Invoke(i) => self.client.invoke_action(&target, i, now).await,
            ActionCall::Cancel(c) => self.client.cancel_action(&target, c, now).await,
        };
        match answer {
            Ok(answer) => record(answer).await,
            Err(f) if !f.retryable => {
                record(CallbackAnswer::rejected(format!(
                    "not delivered: {}",
                    f.message
                )))
                .await?;
                Err(OutboxFailure::permanent(f.message))
            }
            Err(f) => Err(self.failed(item, &provider, f).await),
        }
    }

    async fn provider(&self, id: &str) -> Result<Option<Provider>, OutboxFailure> {
        self.store.providers().get(id).await.map_err(store_failure)
    }

    /// Records a retryable failure in the provider's health and turns it into an outbox retry.
    async fn failed(
        &self,
        item: &OutboxItem,
        provider: &Provider,
        f: CallFailure,
    ) -> OutboxFailure {
        let message = format!("{} call failed: {}", item.kind, f.message);
        if let Err(e) = self
            .store
            .providers()
            .record_error(&item.tenant_id, &provider.id, &message)
            .await
        {
            tracing::warn!(error = %e, "recording a provider failure failed");
        }
        match f.retry_at {
            Some(at) => OutboxFailure::retry_at(message, at),
            None => OutboxFailure::retry(message),
        }
    }
}

/// A security-action outbox row's call.
enum ActionCall {
    Invoke(provider_protocol::ActionInvocation),
    Cancel(provider_protocol::ActionCancellation),
}

impl ActionCall {
    /// The provider's registry id and the call of an [`ACTION_KIND`] or [`ACTION_CANCEL_KIND`] row.
    fn from_item(item: &OutboxItem) -> Result<(String, ActionCall), OutboxFailure> {
        let unreadable = |e: serde_json::Error| {
            OutboxFailure::permanent(format!("unreadable {}: {e}", item.kind))
        };
        let payload = item.payload.clone();
        if item.kind == ACTION_KIND {
            let job: ActionJob = serde_json::from_value(payload).map_err(unreadable)?;
            Ok((job.provider_id, ActionCall::Invoke(job.invocation)))
        } else {
            let job: CancelJob = serde_json::from_value(payload).map_err(unreadable)?;
            Ok((job.provider_id, ActionCall::Cancel(job.cancellation)))
        }
    }

    fn action_id(&self) -> String {
        match self {
            ActionCall::Invoke(i) => i.action_id.to_string(),
            ActionCall::Cancel(c) => c.action_id.to_string(),
        }
    }
}

/// Where and how to call `provider`.
pub(crate) fn target<'a>(
    provider: &'a Provider,
    keys: &'a [provider_protocol::SigningKey],
) -> ProviderTarget<'a> {
    ProviderTarget {
        callback_base_url: &provider.manifest.callback_base_url,
        keys,
        allow_private: provider.allow_private,
        timeout: None,
    }
}

/// A store failure while handling an item: retried (the store may come back).
fn store_failure(e: store::StoreError) -> OutboxFailure {
    OutboxFailure::retry(format!("store: {e}"))
}

impl OutboxWorker for ProviderCallbacks {
    fn kinds(&self) -> &[&'static str] {
        &[ALERT_UPDATE_KIND, ACTION_KIND, ACTION_CANCEL_KIND]
    }

    /// Calls wait on providers, not on us: a pass sends its calls at the same time.
    fn concurrency(&self) -> usize {
        CONCURRENT_CALLS
    }

    /// The updates of one alert, and an action's invocation and cancellation, reach the provider
    /// in the order they were made.
    fn order_key(&self, item: &OutboxItem) -> Option<String> {
        let id = match item.kind.as_str() {
            ALERT_UPDATE_KIND => item.payload.pointer("/update/alertId"),
            ACTION_KIND => item.payload.pointer("/invocation/actionId"),
            ACTION_CANCEL_KIND => item.payload.pointer("/cancellation/actionId"),
            _ => None,
        }?;
        Some(format!("{}/{}", item.tenant_id, id.as_str()?))
    }

    async fn handle(&self, item: &OutboxItem) -> Result<(), OutboxFailure> {
        match item.kind.as_str() {
            ALERT_UPDATE_KIND => self.alert_update(item).await,
            ACTION_KIND | ACTION_CANCEL_KIND => self.action(item).await,
            other => Err(OutboxFailure::permanent(format!(
                "the provider callback worker does not handle '{other}'"
            ))),
        }
    }
}
