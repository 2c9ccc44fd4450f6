//! The tenant's indicator change log: the lock every indicator write takes first, the entries
//! (and change-feed announcement) it appends, and the change notifications to the tenant's
//! `security/tiIndicators` subscriptions it queues.

use super::StoredIndicator;
use crate::backend::Tx;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::events::StoreEvent;
use crate::multirow::{insert_rows, Slot};
use crate::subscriptions::{notify, Changed, SubscriptionResource};
use crate::value::Value;
use model::{datetime, TenantId};
use serde_json::Value as Json;
use time::OffsetDateTime;

/// Change-log rows per `INSERT` statement.
const CHANGES_PER_STATEMENT: usize = 1000;

/// Locks the tenant's row (PostgreSQL) before an indicator write touches anything else, so that
/// indicator writers of one tenant, on any node, take turns and its change log has no gaps. Taking
/// it first matters: inserting a row takes a key-share lock on the tenant row (the foreign key), and
/// two transactions that each held one and then asked for the row lock deadlocked.
pub(super) fn lock_tenant(tx: &mut dyn Tx, tenant: &TenantId) -> Result<(), StoreError> {
    let d = tx.dialect();
    let sql = statement(
        d,
        &format!("SELECT 1 FROM tenants WHERE id = $1{}", d.lock_rows()),
    );
    if tx.query(&sql, &[tenant.as_str().into()])?.is_empty() {
        return Err(StoreError::UnknownTenant(tenant.clone()));
    }
    Ok(())
}

/// Appends `ids` to the tenant's indicator change log under the next sequence numbers and
/// announces the new sequence. The caller has locked the tenant's row ([`lock_tenant`]).
pub(super) fn log_changes(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    ids: &[&str],
    now: OffsetDateTime,
) -> Result<Option<i64>, StoreError> {
    if ids.is_empty() {
        return Ok(None);
    }
    let d = tx.dialect();
    let sql = statement(
        d,
        &format!("SELECT ti_seq FROM tenants WHERE id = $1{}", d.lock_rows()),
    );
    let rows = tx.query(&sql, &[tenant.as_str().into()])?;
    let mut seq = match rows.first().and_then(|r| r.first()) {
        Some(v) => v.as_int("tenants.ti_seq")?,
        None => return Err(StoreError::UnknownTenant(tenant.clone())),
    };
    let at = datetime::format(now);
    let first = seq;
    seq += ids.len() as i64;
    let own = (first + 1..=seq)
        .zip(ids)
        .flat_map(|(n, id)| [Value::Int(n), (*id).into()]);
    insert_rows(
        tx,
        "ti_indicator_changes (tenant_id, seq, indicator_id, at)",
        &[Slot::Shared(1), Slot::Own(0), Slot::Own(1), Slot::Shared(2)],
        &[tenant.as_str().into(), at.as_str().into()],
        own,
        CHANGES_PER_STATEMENT,
    )?;
    let update = statement(d, "UPDATE tenants SET ti_seq = $2 WHERE id = $1");
    tx.execute(&update, &[tenant.as_str().into(), Value::Int(seq)])?;
    tx.announce(&StoreEvent::Indicators {
        tenant: tenant.clone(),
        seq,
    })?;
    Ok(Some(seq))
}

/// Queues, in the write's transaction, the `change_type` (`created`, `updated`, `deleted`)
/// notifications of `indicators` (as written, or as they were when deleted) to the tenant's
/// `security/tiIndicators` subscriptions — each indicator to its owning application's
/// subscriptions only (`ThreatIndicators.ReadWrite.OwnedBy`).
pub(super) fn notify_changes(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    change_type: &str,
    indicators: &[StoredIndicator],
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let entities: Vec<_> = indicators
        .iter()
        .map(|i| move || Ok(Json::Object(i.doc.clone())))
        .collect();
    let changes: Vec<Changed<'_>> = indicators
        .iter()
        .zip(&entities)
        .map(|(i, entity)| Changed {
            kind: SubscriptionResource::TiIndicators,
            id: &i.id,
            change_type,
            sequence: 0,
            owner: Some(&i.app_id),
            entity,
        })
        .collect();
    notify(tx, tenant, now, &changes)
}
