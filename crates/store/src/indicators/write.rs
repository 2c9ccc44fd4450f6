//! Indicator writes: create, edit, delete (by id or by external id), expiry sweeps and hit
//! counters. Every write that changes what matches appends the changed ids to the tenant's
//! indicator change log, announces it and notifies the `security/tiIndicators` subscriptions, in
//! the same transaction.

use super::log::{lock_tenant, log_changes, notify_changes};
use super::rows::{insert_all, rewrite};
use super::{time_text, IndicatorStore, StoredIndicator, COLUMNS};
use crate::backend::Tx;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::value::Value;
use model::TenantId;
use serde_json::{Map, Value as Json};
use time::OffsetDateTime;

/// The values of an indicator to store: the Graph document and the copies of its single values
/// that the store indexes (they must equal the document's).
#[derive(Debug, Clone, PartialEq)]
pub struct NewIndicator {
    /// `externalId`.
    pub external_id: Option<String>,
    /// `action`, its wire string (Graph's own `submitTiIndicators` example omits it for Azure
    /// Sentinel).
    pub action: Option<String>,
    /// `targetProduct`, canonical.
    pub target_product: String,
    /// `threatType`, canonical.
    pub threat_type: String,
    /// `expirationDateTime`.
    pub expiration: OffsetDateTime,
    /// The Graph entity. `id`, `azureTenantId` and `ingestedDateTime` are stamped by the store;
    /// `hitCount` and `lastHitDateTime` are dropped (they live in columns).
    pub doc: Map<String, Json>,
}

/// Why one item of an edit was not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndicatorEdit<E> {
    /// No indicator in scope has that id.
    NotFound,
    /// The edit refused the indicator (for example an invalid change).
    Refused(E),
}

impl IndicatorStore {
    /// Stores `items` as new indicators owned by this store's application, in one transaction
    /// (acknowledged once durable). Returns them as stored, in order.
    pub async fn create(
        &self,
        items: Vec<NewIndicator>,
    ) -> Result<Vec<StoredIndicator>, StoreError> {
        Ok(self.create_logged(items).await?.0)
    }

    /// [`create`](Self::create), also returning the positions `first..=last` the new indicators
    /// took in the tenant's change log (`None` when there were none), so that the caller can index
    /// them without reading them back ([`crate::IndicatorIndex::apply_created`]).
    pub async fn create_logged(
        &self,
        items: Vec<NewIndicator>,
    ) -> Result<(Vec<StoredIndicator>, Option<(i64, i64)>), StoreError> {
        let Some(owner) = self.owner.clone() else {
            return Err(StoreError::Rejected(
                "indicators are created on behalf of an application (use indicators_of)".into(),
            ));
        };
        self.write_locked(move |tx, w| {
            let stored = insert_all(tx, &w.tenant, &owner, items, w.now)?;
            let ids: Vec<&str> = stored.iter().map(|s| s.id.as_str()).collect();
            let last = log_changes(tx, &w.tenant, &ids, w.now)?;
            notify_changes(tx, &w.tenant, "created", &stored, w.now)?;
            let span = last.map(|last| (last + 1 - ids.len() as i64, last));
            Ok((stored, span))
        })
        .await
    }

    /// Applies `edit` to each indicator of `ids` in scope, in one transaction: `edit` gets the
    /// stored indicator and returns its new values (its id, owner, ingestion time and hit counters
    /// stay). One outcome per id, in order.
    pub async fn update<E, F>(
        &self,
        ids: Vec<String>,
        mut edit: F,
    ) -> Result<Vec<Result<StoredIndicator, IndicatorEdit<E>>>, StoreError>
    where
        E: Send + 'static,
        F: FnMut(StoredIndicator) -> Result<NewIndicator, E> + Send + 'static,
    {
        self.write_locked(move |tx, w| {
            let (tenant, scope, scope_params) = (&w.tenant, &w.scope, &w.params);
            let n = scope_params.len() + 1;
            let select = statement(
                tx.dialect(),
                &format!("SELECT {COLUMNS} FROM ti_indicators WHERE {scope} AND id = ${n}"),
            );
            let mut outcomes = Vec::with_capacity(ids.len());
            let mut changed = Vec::new();
            let mut written = Vec::new();
            for id in ids {
                let mut params = scope_params.clone();
                params.push(id.as_str().into());
                let Some(row) = tx.query(&select, &params)?.into_iter().next() else {
                    outcomes.push(Err(IndicatorEdit::NotFound));
                    continue;
                };
                let current = StoredIndicator::from_columns(&mut row.into_iter())?;
                let kept = current.clone();
                match edit(current) {
                    Err(e) => outcomes.push(Err(IndicatorEdit::Refused(e))),
                    Ok(values) => {
                        let stored = rewrite(tx, tenant, kept, values)?;
                        written.push(stored.clone());
                        outcomes.push(Ok(stored));
                        changed.push(id);
                    }
                }
            }
            let ids: Vec<&str> = changed.iter().map(String::as_str).collect();
            log_changes(tx, tenant, &ids, w.now)?;
            notify_changes(tx, tenant, "updated", &written, w.now)?;
            Ok(outcomes)
        })
        .await
    }

    /// Deletes each indicator of `ids` in scope; whether each existed, in order.
    pub async fn delete(&self, ids: Vec<String>) -> Result<Vec<bool>, StoreError> {
        self.delete_where("id", ids)
            .await
            .map(|counts| counts.into_iter().map(|n| n > 0).collect())
    }

    /// Deletes the indicators in scope whose `externalId` is each of `external_ids`; how many each
    /// deleted, in order.
    pub async fn delete_by_external_id(
        &self,
        external_ids: Vec<String>,
    ) -> Result<Vec<usize>, StoreError> {
        self.delete_where("external_id", external_ids).await
    }

    /// Deletes the indicators in scope that expired before `cutoff`; how many.
    pub async fn delete_expired(&self, cutoff: OffsetDateTime) -> Result<usize, StoreError> {
        self.write_locked(move |tx, w| {
            let n = w.params.len() + 1;
            let mut params = w.params.clone();
            params.push(time_text(cutoff));
            let sql = statement(
                tx.dialect(),
                &format!(
                    "DELETE FROM ti_indicators WHERE {} AND expiration_date_time < ${n} \
                     RETURNING {COLUMNS}",
                    w.scope
                ),
            );
            let deleted = tx
                .query(&sql, &params)?
                .into_iter()
                .map(|r| StoredIndicator::from_columns(&mut r.into_iter()))
                .collect::<Result<Vec<_>, _>>()?;
            let refs: Vec<&str> = deleted.iter().map(|i| i.id.as_str()).collect();
            log_changes(tx, &w.tenant, &refs, w.now)?;
            notify_changes(tx, &w.tenant, "deleted", &deleted, w.now)?;
            Ok(deleted.len())
        })
        .await
    }

    /// Adds matches to the hit counters: `(id, hits, last hit time)` for each indicator hit. Ids
    /// no longer stored are skipped. Hit counters do not change what matches, so nothing is logged.
    pub async fn record_hits(
        &self,
        mut hits: Vec<(String, u64, OffsetDateTime)>,
    ) -> Result<(), StoreError> {
        // One order for every writer, so that concurrent flushes (several nodes) cannot deadlock.
        hits.sort_by(|a, b| a.0.cmp(&b.0));
        let (scope, scope_params) = self.scope_sql();
        self.tenant
            .store()
            .write(move |tx| {
                let n = scope_params.len();
                let sql = statement(
                    tx.dialect(),
                    &format!(
                        "UPDATE ti_indicators SET hit_count = hit_count + ${}, \
                         last_hit_date_time = CASE WHEN last_hit_date_time IS NULL \
                         OR last_hit_date_time < ${} THEN ${} ELSE last_hit_date_time END \
                         WHERE {scope} AND id = ${}",
                        n + 1,
                        n + 2,
                        n + 2,
                        n + 3
                    ),
                );
                for (id, count, at) in hits {
                    let mut params = scope_params.clone();
                    params.push(Value::Int(i64::try_from(count).unwrap_or(i64::MAX)));
                    params.push(time_text(at));
                    params.push(id.into());
                    tx.execute(&sql, &params)?;
                }
                Ok(())
            })
            .await
    }

    /// Deletes the rows in scope whose `column` equals each of `values`; the counts, in order.
    async fn delete_where(
        &self,
        column: &'static str,
        values: Vec<String>,
    ) -> Result<Vec<usize>, StoreError> {
        self.write_locked(move |tx, w| {
            let n = w.params.len() + 1;
            let sql = statement(
                tx.dialect(),
                &format!(
                    "DELETE FROM ti_indicators WHERE {} AND {column} = ${n} RETURNING {COLUMNS}",
                    w.scope
                ),
            );
            let mut counts = Vec::with_capacity(values.len());
            let mut deleted = Vec::new();
            for value in values {
                let mut params = w.params.clone();
                params.push(value.into());
                let rows = tx.query(&sql, &params)?;
                counts.push(rows.len());
                for row in rows {
                    deleted.push(StoredIndicator::from_columns(&mut row.into_iter())?);
                }
            }
            let refs: Vec<&str> = deleted.iter().map(|i| i.id.as_str()).collect();
            log_changes(tx, &w.tenant, &refs, w.now)?;
            notify_changes(tx, &w.tenant, "deleted", &deleted, w.now)?;
            Ok(counts)
        })
        .await
    }

    /// Runs `work` in one write transaction that first locks the tenant's row
    /// ([`lock_tenant`]), giving it the tenant, this store's scope and the store clock's now.
    async fn write_locked<R, F>(&self, work: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&mut dyn Tx, &Locked) -> Result<R, StoreError> + Send + 'static,
    {
        let (scope, params) = self.scope_sql();
        let locked = Locked {
            tenant: self.tenant.tenant_id().clone(),
            scope,
            params,
            now: self.tenant.now(),
        };
        self.tenant
            .store()
            .write(move |tx| {
                lock_tenant(tx, &locked.tenant)?;
                work(tx, &locked)
            })
            .await
    }
}

/// What an indicator write knows inside its transaction ([`IndicatorStore::write_locked`]).
struct Locked {
    /// The tenant (its row is locked).
    tenant: TenantId,
    /// The scope's `WHERE` terms, with placeholders `$1..`.
    scope: String,
    /// The scope's values.
    params: Vec<Value>,
    /// The store clock's time of the write.
    now: OffsetDateTime,
}
