//! The tenant's indicator change log: the lock every indicator write takes first, and the entries
//! (and change-feed announcement) it appends.

use crate::backend::Tx;
use crate::dialect::{statement, values_list, Slot};
use crate::error::StoreError;
use crate::events::StoreEvent;
use crate::value::Value;
use model::{datetime, TenantId};
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
    for chunk in ids.chunks(CHANGES_PER_STATEMENT) {
        let rows = values_list(
            chunk.len(),
            2,
            &[Slot::Shared(1), Slot::Own(0), Slot::Own(1), Slot::Shared(2)],
        );
        let insert = statement(
            d,
            &format!(
                "INSERT INTO ti_indicator_changes (tenant_id, seq, indicator_id, at) VALUES {rows}"
            ),
        );
        let mut params = Vec::with_capacity(2 + 2 * chunk.len());
        params.push(tenant.as_str().into());
        params.push(at.as_str().into());
        for id in chunk {
            seq += 1;
            params.push(Value::Int(seq));
            params.push((*id).into());
        }
        tx.execute(&insert, &params)?;
    }
    let update = statement(d, "UPDATE tenants SET ti_seq = $2 WHERE id = $1");
    tx.execute(&update, &[tenant.as_str().into(), Value::Int(seq)])?;
    tx.announce(&StoreEvent::Indicators {
        tenant: tenant.clone(),
        seq,
    })?;
    Ok(Some(seq))
}
