//! The outbox: work caused by a change (webhook deliveries, provider calls) written in the same
//! transaction as the change, then claimed by workers under a lease, deleted on success and retried
//! later on failure. On SQLite a claim is one leased `UPDATE ... RETURNING` through the writer (on
//! PostgreSQL it will be `FOR UPDATE SKIP LOCKED`). All times come from the store's [`Clock`],
//! except that a row written by a change is stamped with the change's time, which for a tenant
//! whose clock runs ahead (emulator mode, `crate::tenant_clocks`) is the tenant's: such fresh rows
//! are available once the tenant's clock has reached them.
//!
//! [`Clock`]: crate::clock::Clock

use crate::backend::Tx;
use crate::dialect::{placeholders, statement};
use crate::error::StoreError;
use crate::events::StoreEvent;
use crate::handle::Store;
use crate::multirow::{insert_rows, Slot};
use crate::value::{Row, Value};
use model::{datetime, TenantId};
use std::time::Duration;
use time::OffsetDateTime;

/// One claimed outbox row.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxItem {
    /// Row id (pass it to `complete`/`fail`).
    pub id: i64,
    /// The tenant whose change caused it.
    pub tenant_id: TenantId,
    /// What kind of work it is (which worker handles it).
    pub kind: String,
    /// The work's parameters.
    pub payload: serde_json::Value,
    /// Failed attempts so far.
    pub attempts: u32,
    /// When it was enqueued.
    pub created_at: OffsetDateTime,
    /// The last failure's message.
    pub last_error: Option<String>,
}

/// Handle on the outbox table (cheap to clone).
#[derive(Debug, Clone)]
pub struct Outbox {
    pub(crate) store: Store,
}

const INSERT: &str =
    "INSERT INTO outbox (tenant_id, kind, payload, attempts, available_at, created_at) \
                      VALUES ($1, $2, $3, 0, $4, $4)";

/// Inserts an outbox row inside a write transaction.
pub(crate) fn insert(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    kind: &str,
    payload: &serde_json::Value,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let sql = statement(tx.dialect(), INSERT);
    let params = [
        tenant.as_str().into(),
        kind.into(),
        payload.to_string().into(),
        datetime::format(now).into(),
    ];
    tx.execute(&sql, &params)?;
    // Wakes the outbox workers of the kind on every node once this commits.
    tx.announce(&StoreEvent::Outbox {
        kind: Some(kind.to_owned()),
    })?;
    Ok(())
}

/// Rows per multi-row outbox `INSERT` (2 parameters each, well under both backends' limits).
const ROWS_PER_INSERT: usize = 500;

/// Inserts `rows` (kind, payload) inside a write transaction, as [`insert`] does one: a
/// multi-row statement per [`ROWS_PER_INSERT`] rows and one announcement, so that queueing a
/// change's notifications to a hundred subscribers costs one round trip, not a hundred.
/// The rows get ids in the order given.
pub(crate) fn insert_many(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    rows: &[(&str, String)],
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let layout = [
        Slot::Shared(1),
        Slot::Own(0),
        Slot::Own(1),
        Slot::Shared(2),
        Slot::Shared(3),
        Slot::Shared(3),
    ];
    let shared = [
        tenant.as_str().into(),
        Value::Int(0),
        datetime::format(now).into(),
    ];
    let own = rows
        .iter()
        .flat_map(|(kind, payload)| [Value::from(*kind), Value::from(payload.as_str())]);
    insert_rows(
        tx,
        "outbox (tenant_id, kind, payload, attempts, available_at, created_at)",
        &layout,
        &shared,
        own,
        ROWS_PER_INSERT,
    )?;
    let kinds: std::collections::BTreeSet<&str> = rows.iter().map(|(kind, _)| *kind).collect();
    for kind in kinds {
        tx.announce(&StoreEvent::Outbox {
            kind: Some(kind.to_owned()),
        })?;
    }
    Ok(())
}

impl Outbox {
    /// Enqueues a row outside any alert change (committed on its own).
    pub async fn enqueue(
        &self,
        tenant: &TenantId,
        kind: &str,
        payload: serde_json::Value,
    ) -> Result<(), StoreError> {
        let (tenant, kind, now) = (tenant.clone(), kind.to_owned(), self.store.clock().now());
        self.store
            .write(move |tx| insert(tx, &tenant, &kind, &payload, now))
            .await?;
        Ok(())
    }

    /// Leases up to `limit` available rows of `kinds` to `owner` for `lease`: rows whose
    /// `available_at` has come and whose previous lease (if any) has expired. Oldest first.
    pub async fn claim(
        &self,
        kinds: &[&str],
        limit: u32,
        lease: Duration,
        owner: &str,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        if kinds.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let now = self.store.clock().now();
        let (ahead, ahead_params) = self.store.fresh_rows_ahead(5 + kinds.len());
        let template = format!(
            "UPDATE outbox SET lease_owner = $1, lease_until = $2 WHERE id IN (\
               SELECT id FROM outbox WHERE kind IN ({}) AND (available_at <= $3{ahead}) \
               AND (lease_until IS NULL OR lease_until <= $3) ORDER BY available_at, id LIMIT $4{{skip_locked}}) \
             RETURNING id, tenant_id, kind, payload, attempts, created_at, last_error",
            placeholders(5, kinds.len())
        );
        let mut params: Vec<Value> = vec![
            owner.into(),
            datetime::format(now + lease).into(),
            datetime::format(now).into(),
            Value::Int(i64::from(limit)),
        ];
        params.extend(kinds.iter().map(|k| Value::from(*k)));
        params.extend(ahead_params);
        let rows = self
            .store
            .write(move |tx| {
                // Claimers on other nodes skip the rows this one is leasing instead of waiting for
                // them (PostgreSQL); SQLite has one writer, so there is nobody to skip.
                let d = tx.dialect();
                let sql = statement(d, &template.replace("{skip_locked}", d.skip_locked()));
                tx.query(&sql, &params)
            })
            .await?;
        let mut items = rows
            .into_iter()
            .map(item_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        items.sort_by_key(|i| i.id);
        Ok(items)
    }

    /// Releases the leases held by `owner`: a worker that starts under the name it had before a
    /// crash or restart calls it, since nothing it leased then is in flight any more (otherwise
    /// those rows would wait for their leases to expire). Returns how many were released.
    pub async fn release_leases(&self, owner: &str) -> Result<u64, StoreError> {
        let owner = owner.to_owned();
        let n = self
            .store
            .write(move |tx| {
                let sql = statement(
                    tx.dialect(),
                    "UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1",
                );
                tx.execute(&sql, &[owner.as_str().into()])
            })
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Deletes a handled row. Returns whether it existed.
    pub async fn complete(&self, id: i64) -> Result<bool, StoreError> {
        let n = self
            .store
            .write(move |tx| {
                tx.execute(
                    &statement(tx.dialect(), "DELETE FROM outbox WHERE id = $1"),
                    &[Value::Int(id)],
                )
            })
            .await?;
        Ok(n > 0)
    }

    /// Deletes handled rows in one statement. Returns how many existed.
    pub async fn complete_many(&self, ids: &[i64]) -> Result<u64, StoreError> {
        if ids.is_empty() {
            return Ok(0);
        }
        let template = format!(
            "DELETE FROM outbox WHERE id IN ({})",
            placeholders(1, ids.len())
        );
        let params: Vec<Value> = ids.iter().map(|id| Value::Int(*id)).collect();
        let n = self
            .store
            .write(move |tx| tx.execute(&statement(tx.dialect(), &template), &params))
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Puts leased rows back without counting an attempt, available again at `at`: rows that wait
    /// for an earlier row of the same order key that failed (see
    /// [`OutboxWorker::order_key`](crate::OutboxWorker::order_key)).
    pub async fn defer(&self, ids: &[i64], at: OffsetDateTime) -> Result<u64, StoreError> {
        if ids.is_empty() {
            return Ok(0);
        }
        let template = format!(
            "UPDATE outbox SET available_at = $1, lease_owner = NULL, lease_until = NULL \
             WHERE id IN ({})",
            placeholders(2, ids.len())
        );
        let mut params: Vec<Value> = vec![datetime::format(at).into()];
        params.extend(ids.iter().map(|id| Value::Int(*id)));
        let n = self
            .store
            .write(move |tx| tx.execute(&statement(tx.dialect(), &template), &params))
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Moves rows to another kind (another worker's lane), keeping everything else (their
    /// attempts and enqueue time included).
    pub async fn rekind(&self, ids: &[i64], kind: &str) -> Result<u64, StoreError> {
        if ids.is_empty() {
            return Ok(0);
        }
        let template = format!(
            "UPDATE outbox SET kind = $1 WHERE id IN ({})",
            placeholders(2, ids.len())
        );
        let mut params: Vec<Value> = vec![kind.into()];
        params.extend(ids.iter().map(|id| Value::Int(*id)));
        let event = StoreEvent::Outbox {
            kind: Some(kind.to_owned()),
        };
        let n = self
            .store
            .write(move |tx| {
                let n = tx.execute(&statement(tx.dialect(), &template), &params)?;
                // Wakes the workers of the new kind.
                tx.announce(&event)?;
                Ok(n)
            })
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Records a failed attempt: releases the lease and makes the row available again at `retry_at`.
    pub async fn fail(
        &self,
        id: i64,
        retry_at: OffsetDateTime,
        error: &str,
    ) -> Result<bool, StoreError> {
        let params = vec![
            Value::Int(id),
            datetime::format(retry_at).into(),
            error.into(),
        ];
        let n = self
            .store
            .write(move |tx| {
                let sql = statement(
                    tx.dialect(),
                    "UPDATE outbox SET attempts = attempts + 1, available_at = $2, lease_owner = NULL, \
                     lease_until = NULL, last_error = $3 WHERE id = $1",
                );
                tx.execute(&sql, &params)
            })
            .await?;
        Ok(n > 0)
    }

    /// Rows waiting (leased or not), optionally of one kind.
    pub async fn pending(&self, kind: Option<&str>) -> Result<u64, StoreError> {
        let (sql, params) = match kind {
            Some(k) => (
                "SELECT COUNT(*) FROM outbox WHERE kind = $1",
                vec![Value::from(k)],
            ),
            None => ("SELECT COUNT(*) FROM outbox", vec![]),
        };
        let rows = self
            .store
            .read(&statement(self.store.dialect(), sql), &params)
            .await?;
        let n = rows
            .first()
            .and_then(|r| r.first())
            .map_or(Ok(0), |v| v.as_int("COUNT(*)"))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

fn item_from_row(row: Row) -> Result<OutboxItem, StoreError> {
    let mut it = row.into_iter();
    let mut next = |what: &str| {
        it.next()
            .ok_or_else(|| StoreError::Corrupt(format!("outbox row lacks {what}")))
    };
    let id = next("id")?.as_int("outbox.id")?;
    let tenant_id = TenantId(next("tenant_id")?.into_text("outbox.tenant_id")?);
    let kind = next("kind")?.into_text("outbox.kind")?;
    let payload = serde_json::from_str(&next("payload")?.into_text("outbox.payload")?)?;
    let attempts = u32::try_from(next("attempts")?.as_int("outbox.attempts")?).unwrap_or(u32::MAX);
    let created_at = parse_time(&next("created_at")?.into_text("outbox.created_at")?)?;
    let last_error = next("last_error")?.into_opt_text("outbox.last_error")?;
    Ok(OutboxItem {
        id,
        tenant_id,
        kind,
        payload,
        attempts,
        created_at,
        last_error,
    })
}

/// Parses a stored timestamp.
pub(crate) fn parse_time(s: &str) -> Result<OffsetDateTime, StoreError> {
    datetime::parse(s).map_err(StoreError::Corrupt)
}
