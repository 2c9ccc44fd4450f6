//! [`NotificationDelivery`]: the outbox worker that POSTs change and lifecycle notifications.
//!
//! * **Batches.** The rows of one subscription claimed in one pass go out as one
//!   `{"value":[...]}` POST (lifecycle rows: one POST per URL); `clientState`, the URL and
//!   `subscriptionExpirationDateTime` are read from the subscription when it is sent, so a renewal
//!   or URL change applies to what is still queued, and a deleted subscription's rows are dropped.
//! * **At least once.** A row is deleted only after a 2xx; each notification keeps the id it was
//!   given at commit, so a receiver can drop repeats.
//! * **Backoff.** A failure is retried with doubling delays, never later than the end of the
//!   delivery window ([`DeliveryOptions::window`], 4 h after the change committed); at the end of
//!   the window the rows go to the dead-letter list and a `missed` lifecycle notification is
//!   queued.
//! * **Slow receivers.** In the [`Lane::Fast`] lane a receiver has [`DeliveryOptions::fast_timeout`]
//!   (3 s). One that does not answer in time is marked slow for [`DeliveryOptions::slow_for`]: its
//!   queued rows move to the [`Lane::Slow`] lane, which a worker of its own serves with a longer
//!   timeout, and its new changes are queued there too, so it never holds up other subscribers.
//! * **Fault injection.** A tenant's fault profile may drop or delay a POST ([`super::faults`]).

mod options;

pub use options::{DeliveryOptions, Lane};

use super::{content, faults, WebhookPolicy};
use crate::{OutboundClient, OutboundRequest};
use auth::TokenIssuer;
use model::datetime;
use store::metrics::{DeliveryResult, NotificationKind as Kind};
use store::subscriptions::{
    ChangeJob, LifecycleJob, Subscription, CHANGE_KIND, LIFECYCLE_KIND, SLOW_CHANGE_KIND,
};
use store::{OutboxFailure, OutboxItem, OutboxWorker, Store};
use time::OffsetDateTime;

/// Delivers notification rows of one [`Lane`].
#[derive(Debug, Clone)]
pub struct NotificationDelivery {
    store: Store,
    client: OutboundClient,
    webhooks: WebhookPolicy,
    lane: Lane,
    options: DeliveryOptions,
    /// Signs the `validationTokens` of rich-notification collections (none without it).
    tokens: Option<TokenIssuer>,
}

impl NotificationDelivery {
    /// A worker for `lane`.
    pub fn new(
        store: Store,
        client: OutboundClient,
        webhooks: WebhookPolicy,
        lane: Lane,
        options: DeliveryOptions,
    ) -> Self {
        NotificationDelivery {
            store,
            client,
            webhooks,
            lane,
            options,
            tokens: None,
        }
    }

    /// Adds `validationTokens`, issued by `issuer` and signed with the store's active signing
    /// key, to collections that carry encrypted content.
    pub fn with_validation_tokens(mut self, issuer: TokenIssuer) -> Self {
        self.tokens = Some(issuer);
        self
    }

    /// When to retry `item` after a failure at `now`: the backoff, but no later than the end of
    /// its window; `None` once the window is over.
    fn retry_at(&self, item: &OutboxItem, now: OffsetDateTime) -> Option<OffsetDateTime> {
        let deadline = item.created_at + self.options.window;
        if now >= deadline {
            return None;
        }
        let factor = 2u32.saturating_pow(item.attempts.min(30));
        let delay = self
            .options
            .base_backoff
            .saturating_mul(factor)
            .min(self.options.max_backoff);
        Some((now + delay).min(deadline))
    }

    /// Counts `n` change notifications whose delivery attempt ended in `result`.
    fn count(&self, result: DeliveryResult, n: usize) {
        self.store.metrics().delivery(Kind::change, result, n);
    }

    /// POSTs `body` (a notification collection) to `url`. `Err`: why it was not accepted, and whether the
    /// receiver ran out of time.
    async fn post(&self, url: &str, body: serde_json::Value) -> Result<(), (String, bool)> {
        let (url, policy) = self.webhooks.check(url).map_err(|e| (e, false))?;
        let timeout = match self.lane {
            Lane::Fast => self.options.fast_timeout,
            Lane::Slow => self.options.slow_timeout,
        };
        let req = OutboundRequest::post_json(url, body.to_string())
            .with_policy(policy)
            .with_timeout(timeout);
        match self.client.send(req).await {
            Ok(resp) if resp.is_success() => Ok(()),
            Ok(resp) => Err((format!("the receiver answered {}", resp.status), false)),
            Err(crate::OutboundError::Timeout { limit }) => {
                Err((format!("no answer within {} ms", limit.as_millis()), true))
            }
            Err(e) => Err((e.to_string(), false)),
        }
    }

    /// Change notifications of one subscription.
    async fn changes(&self, items: &[OutboxItem]) -> Vec<Result<(), OutboxFailure>> {
        let all = |r: Result<(), OutboxFailure>| vec![r; items.len()];
        let Some(first) = items.first() else {
            return Vec::new();
        };
        let jobs: Result<Vec<ChangeJob>, _> = items
            .iter()
            .map(|i| serde_json::from_value::<ChangeJob>(i.payload.clone()))
            .collect();
        let jobs = match jobs {
            Ok(j) => j,
            Err(e) => return all(Err(OutboxFailure::permanent(format!("unreadable: {e}")))),
        };
        let sub_id = jobs[0].subscription_id.clone();
        let subs = self.store.tenant(&first.tenant_id).subscriptions();
        let now = self.store.clock().now();
        let sub = match subs.get(&sub_id).await {
            Ok(Some(s)) => s,
            // The subscription was deleted or expired: nothing more is sent for it.
            Ok(None) => return all(Ok(())),
            Err(e) => return all(Err(OutboxFailure::retry(format!("store: {e}")))),
        };
        if self.lane == Lane::Fast {
            match subs.slow_until(&sub_id).await {
                Ok(Some(until)) if until > now => return self.to_slow_lane(items, now).await,
                Ok(_) => {}
                Err(e) => return all(Err(OutboxFailure::retry(format!("store: {e}")))),
            }
        }
        if let Some(outcome) =
            faults::before_post(&self.store, &first.tenant_id, &subs, &jobs).await
        {
            return all(outcome);
        }
        let body = match self.collection(&first.tenant_id, &sub, &jobs).await {
            Ok(body) => body,
            Err(e) => return all(Err(OutboxFailure::retry(e))),
        };
        let posted = self.post(&sub.notification_url, body).await;
        if posted.is_ok() {
            self.count(DeliveryResult::delivered, items.len());
        }
        match posted {
            // Kept for replays; when that fails the batch is sent again (at least once).
            Ok(()) => match subs.record_delivered(&jobs).await {
                Ok(()) => all(Ok(())),
                Err(e) => all(Err(OutboxFailure::retry(format!("history: {e}")))),
            },
            Err((why, true)) if self.lane == Lane::Fast => {
                tracing::info!(subscription = %sub_id, %why, "slow receiver moved to the slow lane");
                self.count(DeliveryResult::retried, items.len());
                if let Err(e) = subs.mark_slow(&sub_id, now + self.options.slow_for).await {
                    return all(Err(OutboxFailure::retry(format!("store: {e}"))));
                }
                self.to_slow_lane(items, now).await
            }
            Err((why, _)) => self.failed(&subs, &sub_id, items, now, why).await,
        }
    }

    /// The `changeNotificationCollection` of `jobs` for `sub`, with `encryptedContent` on each
    /// notification when the subscription includes resource data.
    async fn collection(
        &self,
        tenant: &model::TenantId,
        sub: &Subscription,
        jobs: &[ChangeJob],
    ) -> Result<serde_json::Value, String> {
        let certificate = content::certificate_of(sub)?;
        let mut value = Vec::with_capacity(jobs.len());
        for job in jobs {
            let mut n = notification(tenant.as_str(), sub, job);
            let rich =
                content::encrypted_content(&self.store, tenant, sub, certificate.as_ref(), job);
            if let Some(c) = rich.await? {
                n["encryptedContent"] = c;
            }
            value.push(n);
        }
        let mut body = serde_json::json!({ "value": value });
        if let (Some(issuer), Some(_)) = (&self.tokens, certificate) {
            let key = self.store.identity().active_signing_key().await;
            let key = key.map_err(|e| format!("store: {e}"))?;
            let now = self.store.clock().now();
            let token = content::validation_token(issuer, &key, tenant.as_str(), sub, now)?;
            body["validationTokens"] = serde_json::json!([token]);
        }
        Ok(body)
    }

    /// Moves `items` to the slow lane, available there at once.
    async fn to_slow_lane(
        &self,
        items: &[OutboxItem],
        now: OffsetDateTime,
    ) -> Vec<Result<(), OutboxFailure>> {
        let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
        let outcome = match self.store.outbox().rekind(&ids, SLOW_CHANGE_KIND).await {
            Ok(_) => OutboxFailure::retry_at("the receiver is slow: moved to the slow lane", now),
            Err(e) => OutboxFailure::retry(format!("store: {e}")),
        };
        vec![Err(outcome); items.len()]
    }

    /// A failed POST: each item is retried within its window, or dead-lettered after it.
    async fn failed(
        &self,
        subs: &store::subscriptions::SubscriptionStore,
        sub_id: &str,
        items: &[OutboxItem],
        now: OffsetDateTime,
        why: String,
    ) -> Vec<Result<(), OutboxFailure>> {
        let expired: Vec<OutboxItem> = items
            .iter()
            .filter(|i| self.retry_at(i, now).is_none())
            .cloned()
            .collect();
        let dead = match subs.dead_letter(sub_id, &expired, &why).await {
            Ok(()) => Ok(()),
            Err(e) => Err(format!("store: {e}")),
        };
        let dead_n = if dead.is_ok() { expired.len() } else { 0 };
        self.count(DeliveryResult::dead_lettered, dead_n);
        self.count(DeliveryResult::retried, items.len() - dead_n);
        items
            .iter()
            .map(|i| match (self.retry_at(i, now), &dead) {
                (Some(at), _) => Err(OutboxFailure::retry_at(why.clone(), at)),
                (None, Ok(())) => Err(OutboxFailure::permanent(format!(
                    "dead-lettered after the delivery window: {why}"
                ))),
                (None, Err(e)) => Err(OutboxFailure::retry(e.clone())),
            })
            .collect()
    }

    /// Lifecycle notifications to one URL.
    async fn lifecycle(&self, items: &[OutboxItem]) -> Vec<Result<(), OutboxFailure>> {
        let mut url = None;
        let mut body = Vec::with_capacity(items.len());
        for item in items {
            match serde_json::from_value::<LifecycleJob>(item.payload.clone()) {
                Ok(job) => {
                    url = Some(job.url);
                    body.push(job.notification);
                }
                Err(e) => {
                    let f = OutboxFailure::permanent(format!("unreadable: {e}"));
                    return vec![Err(f); items.len()];
                }
            }
        }
        let Some(url) = url else { return Vec::new() };
        let now = self.store.clock().now();
        let outcomes: Vec<_> = match self.post(&url, serde_json::json!({ "value": body })).await {
            Ok(()) => vec![Ok(()); items.len()],
            Err((why, _)) => items
                .iter()
                .map(|i| match self.retry_at(i, now) {
                    Some(at) => Err(OutboxFailure::retry_at(why.clone(), at)),
                    None => Err(OutboxFailure::permanent(format!(
                        "lifecycle notification given up after the delivery window: {why}"
                    ))),
                })
                .collect(),
        };
        for outcome in &outcomes {
            let result = match outcome {
                Ok(()) => DeliveryResult::delivered,
                Err(f) if f.permanent => DeliveryResult::failed,
                Err(_) => DeliveryResult::retried,
            };
            self.store.metrics().delivery(Kind::lifecycle, result, 1);
        }
        outcomes
    }
}

/// The `changeNotification` of `job` for `sub`, with secgraph's annotations: `@secgraph.sequence`
/// (the notification's place in the subscription's history, what a replay starts after) and, on
/// replays, `@secgraph.replayed`.
fn notification(tenant: &str, sub: &Subscription, job: &ChangeJob) -> serde_json::Value {
    let mut n = serde_json::json!({
        "id": job.id,
        "subscriptionId": sub.id,
        "subscriptionExpirationDateTime": datetime::format(sub.expiration_date_time),
        "clientState": sub.client_state,
        "changeType": job.change_type,
        "resource": job.resource,
        "tenantId": tenant,
        "resourceData": job.resource_data,
        "@secgraph.sequence": job.subscription_sequence,
    });
    if job.replay {
        n["@secgraph.replayed"] = serde_json::Value::Bool(true);
    }
    n
}

impl OutboxWorker for NotificationDelivery {
    fn kinds(&self) -> &[&'static str] {
        match self.lane {
            Lane::Fast => &[CHANGE_KIND, LIFECYCLE_KIND],
            Lane::Slow => &[SLOW_CHANGE_KIND],
        }
    }

    fn concurrency(&self) -> usize {
        self.options.concurrency
    }

    /// Passes side by side: a change committed while one pass waits on a receiver is claimed by
    /// another at once (notifications have no order key; each carries its sequence).
    fn passes(&self) -> usize {
        self.options.passes
    }

    /// One POST per subscription (change rows) or per URL (lifecycle rows).
    fn batch_key(&self, item: &OutboxItem) -> Option<String> {
        if item.kind == LIFECYCLE_KIND {
            let url = item.payload.get("url")?.as_str()?;
            return Some(format!("lifecycle {url}"));
        }
        let sub = item.payload.get("subscriptionId")?.as_str()?;
        Some(format!("{} {sub}", item.tenant_id))
    }

    fn max_batch(&self) -> usize {
        self.options.max_batch
    }

    async fn handle(&self, item: &OutboxItem) -> Result<(), OutboxFailure> {
        let outcome = self.handle_batch(std::slice::from_ref(item)).await;
        outcome.into_iter().next().unwrap_or(Ok(()))
    }

    async fn handle_batch(&self, items: &[OutboxItem]) -> Vec<Result<(), OutboxFailure>> {
        match items.first().map(|i| i.kind.as_str()) {
            Some(LIFECYCLE_KIND) => self.lifecycle(items).await,
            Some(_) => self.changes(items).await,
            None => Vec::new(),
        }
    }
}
