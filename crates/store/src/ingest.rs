//! THE ingest path: every alert write (import, demo, provider push, API PATCH) goes through
//! [`AlertWriter::put`] inside a writer transaction (`ingest` runs the first step, preparation, on
//! the caller's side and hands the writer [`AlertWriter::write`]). Per alert: `before_write` hooks
//! (enrichment) and encoding, compare with the stored row (an identical write is a no-op: no change record), write the row with
//! both view documents and its hot columns, take the tenant's next change sequence number, record
//! the change, then `after_write` hooks (which may enqueue outbox rows in the same transaction).
//! Any error undoes the whole job; the caller hears back only after COMMIT.

mod stages;
mod statements;
mod stored;

pub(crate) use stored::Existing;

use crate::backend::Tx;
use crate::dialect::statement;
use crate::encode::Encoded;
use crate::error::StoreError;
use crate::events::StoreEvent;
use crate::hooks::{
    AlertChange, ChangeType, HookContext, IngestHook, IngestOrigin, JobState, WriteInfo,
};
use crate::prepared::{prepare, prepare_batch, BatchContext, Prepared};
use crate::tenant::TenantStore;
use crate::value::Value;
use model::{datetime, AlertId, StoredAlert, TenantId};
use statements::Statements;
use std::collections::HashSet;
use std::sync::Arc;
use time::OffsetDateTime;

/// What an ingest call did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestSummary {
    /// Alerts that did not exist.
    pub created: usize,
    /// Alerts that existed and changed.
    pub updated: usize,
    /// Alerts identical to the stored row (nothing written).
    pub unchanged: usize,
    /// The tenant's change sequence number after this call (`None` if nothing changed).
    pub last_seq: Option<i64>,
}

/// How one `put` ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// What an ingest does with an alert whose id is already stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OnExisting {
    /// Write the new revision (the stored one is compared and replaced).
    Replace,
    /// Leave the stored alert as it is.
    Keep,
}

/// Writes alerts of one tenant inside one writer job.
pub(crate) struct AlertWriter<'a> {
    tx: &'a mut dyn Tx,
    tenant: &'a TenantId,
    origin: &'a IngestOrigin,
    hooks: &'a [Arc<dyn IngestHook>],
    now: OffsetDateTime,
    at: String,
    seq: i64,
    sql: Statements,
    /// What the hooks keep until the job ends.
    job: JobState,
    pub(crate) summary: IngestSummary,
}

impl<'a> AlertWriter<'a> {
    /// Starts writing for `tenant` (which must exist).
    pub(crate) fn begin(
        tx: &'a mut dyn Tx,
        tenant: &'a TenantId,
        origin: &'a IngestOrigin,
        hooks: &'a [Arc<dyn IngestHook>],
        now: OffsetDateTime,
    ) -> Result<Self, StoreError> {
        // Locks the tenant's row until COMMIT (PostgreSQL): writers on other nodes take their turn, so
        // the change sequence has no gaps and no duplicates.
        let d = tx.dialect();
        let sql = statement(
            d,
            &format!(
                "SELECT change_seq FROM tenants WHERE id = $1{}",
                d.lock_rows()
            ),
        );
        let rows = tx.query(&sql, &[tenant.as_str().into()])?;
        let seq = match rows.first().and_then(|r| r.first()) {
            Some(v) => v.as_int("tenants.change_seq")?,
            None => return Err(StoreError::UnknownTenant(tenant.clone())),
        };
        let sql = Statements::new(&*tx);
        let at = datetime::format(now);
        let mut w = AlertWriter {
            tx,
            tenant,
            origin,
            hooks,
            now,
            at,
            seq,
            sql,
            job: JobState::default(),
            summary: IngestSummary::default(),
        };
        w.begin_hooks()?;
        Ok(w)
    }

    /// The tenant written to.
    pub(crate) fn tenant(&self) -> &TenantId {
        self.tenant
    }

    /// The store clock's time of this write.
    pub(crate) fn now(&self) -> OffsetDateTime {
        self.now
    }

    /// The transaction, for rows written beside the alerts (e.g. a provider's health).
    pub(crate) fn tx(&mut self) -> &mut dyn Tx {
        &mut *self.tx
    }

    /// Writes one alert through the ingest path: `before_write` hooks, then [`write`](Self::write).
    /// `existing` is the stored row when the caller has already read it. Returns the outcome and the
    /// alert as written (after enrichment).
    pub(crate) fn put(
        &mut self,
        alert: StoredAlert,
        existing: Option<Option<Existing>>,
    ) -> Result<(Outcome, StoredAlert), StoreError> {
        let info = WriteInfo {
            tenant_id: self.tenant,
            origin: self.origin,
            now: self.now,
        };
        let prepared = prepare(alert, self.hooks, &info)?;
        self.write(prepared, existing)
    }

    /// Writes one prepared alert: `settle` hooks, compare with the stored row (identical: no-op),
    /// write the row, take the next change sequence number, record the change, run the
    /// `after_write` hooks.
    pub(crate) fn write(
        &mut self,
        prepared: Prepared,
        existing: Option<Option<Existing>>,
    ) -> Result<(Outcome, StoredAlert), StoreError> {
        let Prepared { mut alert, mut enc } = prepared;
        let existing = match existing {
            Some(e) => e,
            None => self.load(&alert.alert.id)?,
        };
        self.settle(&mut alert, &mut enc)?;
        if existing.as_ref().is_some_and(|e| e.is_written_as(&enc)) {
            self.summary.unchanged += 1;
            return Ok((Outcome::Unchanged, alert));
        }
        self.seq += 1;
        self.write_row(&alert.alert.id, enc, existing.is_some())?;
        let change_type = if existing.is_some() {
            ChangeType::Updated
        } else {
            ChangeType::Created
        };
        self.record_change(&alert.alert.id, change_type)?;
        let previous = match (&existing, self.hooks.is_empty()) {
            (Some(e), false) => Some(e.decode()?),
            _ => None,
        };
        self.after_write(change_type, previous.as_ref(), &alert)?;
        self.summary.last_seq = Some(self.seq);
        Ok(match change_type {
            ChangeType::Created => {
                self.summary.created += 1;
                (Outcome::Created, alert)
            }
            ChangeType::Updated => {
                self.summary.updated += 1;
                (Outcome::Updated, alert)
            }
        })
    }

    fn write_row(&mut self, id: &AlertId, enc: Encoded, exists: bool) -> Result<(), StoreError> {
        let mut params = Vec::with_capacity(7 + enc.columns.len());
        params.extend([
            self.tenant.as_str().into(),
            id.as_str().into(),
            enc.doc.into(),
            enc.legacy_doc.into(),
            enc.extra.into(),
            enc.evolvable.map_or(Value::Null, Value::Text),
            Value::Int(self.seq),
        ]);
        params.extend(enc.columns);
        let sql = if exists {
            &self.sql.update
        } else {
            &self.sql.insert
        };
        self.tx.execute(sql, &params)?;
        Ok(())
    }

    fn record_change(&mut self, id: &AlertId, change_type: ChangeType) -> Result<(), StoreError> {
        let params = [
            self.tenant.as_str().into(),
            Value::Int(self.seq),
            id.as_str().into(),
            change_type.as_str().into(),
            self.origin.as_str().into_owned().into(),
            self.at.clone().into(),
        ];
        self.tx.execute(&self.sql.change, &params)?;
        Ok(())
    }

    fn after_write(
        &mut self,
        change_type: ChangeType,
        previous: Option<&StoredAlert>,
        alert: &StoredAlert,
    ) -> Result<(), StoreError> {
        if self.hooks.is_empty() {
            return Ok(());
        }
        let change = AlertChange {
            tenant_id: self.tenant,
            seq: self.seq,
            change_type,
            origin: self.origin,
            at: self.now,
            previous,
            alert,
        };
        let mut ctx = HookContext::new(&mut *self.tx, self.tenant, self.now, &mut self.job);
        for hook in self.hooks {
            hook.after_write(&mut ctx, &change)
                .map_err(StoreError::Hook)?;
        }
        Ok(())
    }

    /// Stores the tenant's advanced change sequence.
    pub(crate) fn finish(mut self) -> Result<IngestSummary, StoreError> {
        self.finish_hooks()?;
        if self.summary.last_seq.is_some() {
            let sql = statement(
                self.tx.dialect(),
                "UPDATE tenants SET change_seq = $2 WHERE id = $1",
            );
            self.tx
                .execute(&sql, &[self.tenant.as_str().into(), Value::Int(self.seq)])?;
            self.tx.announce(&StoreEvent::Alerts {
                tenant: self.tenant.clone(),
                seq: self.seq,
            })?;
        }
        Ok(self.summary)
    }
}

impl TenantStore {
    /// THE ingest function: every alert write goes through it (import, demo, push, PATCH, later
    /// connectors/detections). Upsert by (tenant, alert id), all alerts in one transaction: all are
    /// written or none. Resolves after COMMIT.
    ///
    /// The `before_write` hooks and the encoding run on the caller's side (a blocking-pool thread for
    /// large batches), so the single writer only compares and writes rows: while it commits one
    /// batch, the next one is being prepared.
    pub async fn ingest(
        &self,
        batch: Vec<StoredAlert>,
        origin: IngestOrigin,
    ) -> Result<IngestSummary, StoreError> {
        self.ingest_with(batch, origin, OnExisting::Replace).await
    }

    /// [`ingest`](Self::ingest) for sources that never revise an alert (connectors replaying a log
    /// line after a restart): an alert whose id is already stored is left as it is (counted
    /// `unchanged`), so a replay cannot undo what analysts changed since.
    pub async fn ingest_new(
        &self,
        batch: Vec<StoredAlert>,
        origin: IngestOrigin,
    ) -> Result<IngestSummary, StoreError> {
        self.ingest_with(batch, origin, OnExisting::Keep).await
    }

    async fn ingest_with(
        &self,
        batch: Vec<StoredAlert>,
        origin: IngestOrigin,
        on_existing: OnExisting,
    ) -> Result<IngestSummary, StoreError> {
        let store = self.store().clone();
        let ctx = BatchContext {
            tenant: self.tenant_id().clone(),
            origin,
            hooks: store.hooks(),
            now: store.now_for(self.tenant_id()),
        };
        let (prepared, ctx) = prepare_batch(batch, ctx).await?;
        let summary = store
            .write(move |tx| {
                let mut w = AlertWriter::begin(tx, &ctx.tenant, &ctx.origin, &ctx.hooks, ctx.now)?;
                let mut stored = w.open_batch(&prepared)?;
                let mut written = HashSet::with_capacity(prepared.len());
                for p in prepared {
                    if on_existing == OnExisting::Keep && stored.contains_key(&p.alert.alert.id) {
                        w.summary.unchanged += 1;
                        continue;
                    }
                    // An id seen earlier in this batch was written since the lookup: read it again.
                    let existing = written
                        .insert(p.alert.alert.id.clone())
                        .then(|| stored.remove(&p.alert.alert.id));
                    w.write(p, existing)?;
                }
                w.finish()
            })
            .await?;
        Ok(summary)
    }
}
