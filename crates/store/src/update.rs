//! Read-modify-write of alerts (PATCH, comments, legacy `updateAlerts`): the read, the caller's
//! change and the write happen in one writer transaction, through the ingest path.
//!
//! The store changes nothing but what the closure changes (the API sets `lastUpdateDateTime`); a
//! change that leaves the alert identical writes nothing.

use crate::error::StoreError;
use crate::hooks::IngestOrigin;
use crate::ingest::{AlertWriter, Existing};
use crate::outbox;
use crate::providers::sync;
use crate::tenant::TenantStore;
use model::{AlertId, StoredAlert};
use std::fmt;

/// Why one id of [`TenantStore::update_alerts`] was not updated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateError {
    /// No alert with this id in the tenant.
    NotFound,
    /// The change closure refused it; the message is for the caller.
    Rejected(String),
}

impl fmt::Display for UpdateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpdateError::NotFound => f.write_str("no alert with this id exists"),
            UpdateError::Rejected(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for UpdateError {}

/// Applies `change` to the stored alert `id` and writes the result. A client's change (origin
/// `api`) of a provider's alert is staged for sync-back in the same transaction
/// ([`crate::providers::sync`]).
pub(crate) fn modify(
    w: &mut AlertWriter<'_>,
    id: &AlertId,
    change: &mut dyn FnMut(&mut StoredAlert) -> Result<(), String>,
    sync_back: Option<&Option<String>>,
) -> Result<Result<StoredAlert, UpdateError>, StoreError> {
    let Some(existing): Option<Existing> = w.load(id)? else {
        return Ok(Err(UpdateError::NotFound));
    };
    let mut alert = existing.decode()?;
    let before = (sync_back.is_some() && alert.link.is_some()).then(|| alert.clone());
    if let Err(msg) = change(&mut alert) {
        return Ok(Err(UpdateError::Rejected(msg)));
    }
    if alert.alert.id != *id {
        return Ok(Err(UpdateError::Rejected(
            "the id of an alert cannot be changed".into(),
        )));
    }
    let job = match &before {
        Some(before) => {
            let actor = sync_back.and_then(Option::as_deref);
            sync::stage(w.tenant(), before, &mut alert, actor, w.now())?
        }
        None => None,
    };
    let (_, written) = w.put(alert, Some(Some(existing)))?;
    if let Some(job) = job {
        let payload = serde_json::to_value(&job)
            .map_err(|e| StoreError::Corrupt(format!("alert update job: {e}")))?;
        let (tenant, now) = (w.tenant().clone(), w.now());
        outbox::insert(w.tx(), &tenant, sync::ALERT_UPDATE_KIND, &payload, now)?;
    }
    Ok(Ok(written))
}

impl TenantStore {
    /// Read-modify-write of one alert inside one write transaction, through the same ingest path
    /// (hooks, change sequence, outbox). `Ok(None)` if the id is unknown in this tenant. The closure's
    /// `Err(msg)` aborts with `StoreError::Rejected(msg)`.
    pub async fn update_alert<F>(
        &self,
        id: &AlertId,
        change: F,
    ) -> Result<Option<StoredAlert>, StoreError>
    where
        F: FnOnce(&mut StoredAlert) -> Result<(), String> + Send + 'static,
    {
        let mut change = Some(change);
        let mut once = move |a: &mut StoredAlert| match change.take() {
            Some(f) => f(a),
            None => Err("the change was already applied".to_owned()),
        };
        let results = self
            .update_many(vec![id.clone()], IngestOrigin::Api, move |a| once(a))
            .await?;
        match results.into_iter().next() {
            Some(Ok(alert)) => Ok(Some(alert)),
            Some(Err(UpdateError::NotFound)) | None => Ok(None),
            Some(Err(UpdateError::Rejected(msg))) => Err(StoreError::Rejected(msg)),
        }
    }

    /// The same for several ids in one transaction (legacy updateAlerts); per-id result, in the
    /// order of `ids`. A refused or unknown id does not stop the others.
    pub async fn update_alerts<F>(
        &self,
        ids: Vec<AlertId>,
        change: F,
    ) -> Result<Vec<Result<StoredAlert, UpdateError>>, StoreError>
    where
        F: FnMut(&mut StoredAlert) -> Result<(), String> + Send + 'static,
    {
        self.update_many(ids, IngestOrigin::Api, change).await
    }

    /// Rewrites the alerts of `ids` through the ingest path with no change of their own, so that
    /// `before_write` hooks (enrichment) recompute what they add; an alert whose result is
    /// unchanged is not written. Recorded with `origin`.
    pub async fn rewrite_alerts(
        &self,
        ids: Vec<AlertId>,
        origin: IngestOrigin,
    ) -> Result<Vec<Result<StoredAlert, UpdateError>>, StoreError> {
        self.update_many(ids, origin, |_| Ok(())).await
    }

    pub(crate) async fn update_many<F>(
        &self,
        ids: Vec<AlertId>,
        origin: IngestOrigin,
        mut change: F,
    ) -> Result<Vec<Result<StoredAlert, UpdateError>>, StoreError>
    where
        F: FnMut(&mut StoredAlert) -> Result<(), String> + Send + 'static,
    {
        let store = self.store().clone();
        let (tenant, hooks, now) = (
            self.tenant_id().clone(),
            store.hooks(),
            store.now_for(self.tenant_id()),
        );
        let actor = self.actor().map(str::to_owned);
        store
            .write(move |tx| {
                let mut w = match AlertWriter::begin(tx, &tenant, &origin, &hooks, now) {
                    Err(StoreError::UnknownTenant(_)) => {
                        return Ok(ids.iter().map(|_| Err(UpdateError::NotFound)).collect());
                    }
                    other => other?,
                };
                // A client's change (origin `api`) of a provider's alert is synced back.
                let sync_back = (origin == IngestOrigin::Api).then_some(&actor);
                let results = ids
                    .iter()
                    .map(|id| modify(&mut w, id, &mut change, sync_back))
                    .collect::<Result<Vec<_>, _>>()?;
                w.finish()?;
                Ok(results)
            })
            .await
    }
}
