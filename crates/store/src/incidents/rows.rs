//! The row-level statements of incidents, run inside a write transaction: read one or many rows by
//! number (locked on PostgreSQL), write a row (insert or replace; every write notifies the
//! incident subscriptions in the same transaction), and the next free number.

use crate::backend::Tx;
use crate::dialect::{placeholders, statement};
use crate::error::StoreError;
use crate::hooks::ChangeType;
use crate::subscriptions::{notify, Changed, SubscriptionResource};
use crate::value::Value;
use model::{datetime, Incident, TenantId};
use std::collections::HashMap;
use time::OffsetDateTime;

/// A stored incident: the Graph entity and what the row keeps beside it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct IncidentRow {
    /// The per-tenant number (`id` spells it).
    pub(crate) num: i64,
    /// An analyst set the status: the roll-up leaves it alone.
    pub(crate) status_by_user: bool,
    /// The entity.
    pub(crate) incident: Incident,
}

/// The selected columns of a row, in [`from_columns`] order.
pub(crate) const COLUMNS: &str = "incidents.num, incidents.status_by_user, incidents.doc";

/// Decodes the [`COLUMNS`] at the front of a row.
pub(crate) fn from_columns(
    cols: &mut std::vec::IntoIter<Value>,
) -> Result<IncidentRow, StoreError> {
    let mut next = |what: &str| {
        cols.next()
            .ok_or_else(|| StoreError::Corrupt(format!("incident row lacks {what}")))
    };
    let num = next("num")?.as_int("incidents.num")?;
    let status_by_user = next("status_by_user")?.as_int("incidents.status_by_user")? != 0;
    let text = next("doc")?.into_text("incidents.doc")?;
    let incident: Incident = serde_json::from_str(&text)
        .map_err(|e| StoreError::Corrupt(format!("incident {num} document: {e}")))?;
    Ok(IncidentRow {
        num,
        status_by_user,
        incident,
    })
}

/// The number an incident id spells: canonical decimal digits only (`"42"`, not `"042"` or `"+42"`).
pub(crate) fn parse_id(id: &str) -> Option<i64> {
    let n: i64 = id.parse().ok()?;
    (n > 0 && n.to_string() == id).then_some(n)
}

/// The row of incident `num`, locked until the transaction ends on PostgreSQL.
pub(crate) fn load(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    num: i64,
) -> Result<Option<IncidentRow>, StoreError> {
    let d = tx.dialect();
    let sql = statement(
        d,
        &format!(
            "SELECT {COLUMNS} FROM incidents WHERE tenant_id = $1 AND id = $2{}",
            d.lock_rows()
        ),
    );
    let rows = tx.query(&sql, &[tenant.as_str().into(), num.to_string().into()])?;
    rows.into_iter()
        .next()
        .map(|r| from_columns(&mut r.into_iter()))
        .transpose()
}

/// The rows of the incidents `nums` that exist.
pub(crate) fn load_many(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    nums: &[i64],
) -> Result<HashMap<i64, IncidentRow>, StoreError> {
    /// Ids per statement (well under either backend's parameter limit).
    const CHUNK: usize = 500;
    let mut found = HashMap::with_capacity(nums.len());
    for chunk in nums.chunks(CHUNK) {
        let sql = statement(
            tx.dialect(),
            &format!(
                "SELECT {COLUMNS} FROM incidents WHERE tenant_id = $1 AND id IN ({})",
                placeholders(2, chunk.len())
            ),
        );
        let mut params = Vec::with_capacity(chunk.len() + 1);
        params.push(tenant.as_str().into());
        params.extend(chunk.iter().map(|n| Value::from(n.to_string())));
        for row in tx.query(&sql, &params)? {
            let row = from_columns(&mut row.into_iter())?;
            found.insert(row.num, row);
        }
    }
    Ok(found)
}

/// The statement [`save_with`] runs, spelled for `dialect`.
pub(crate) fn save_sql(dialect: &dyn crate::dialect::Dialect) -> String {
    statement(
        dialect,
        "INSERT INTO incidents (tenant_id, id, num, status, severity, assigned_to, classification, \
         determination, created_date_time, last_update_date_time, status_by_user, doc) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (tenant_id, id) DO UPDATE SET status = excluded.status, \
         severity = excluded.severity, assigned_to = excluded.assigned_to, \
         classification = excluded.classification, determination = excluded.determination, \
         created_date_time = excluded.created_date_time, \
         last_update_date_time = excluded.last_update_date_time, \
         status_by_user = excluded.status_by_user, doc = excluded.doc",
    )
}

/// Writes `row` (inserting it, or replacing the stored row of the same number) and, in the same
/// transaction, notifies the tenant's `security/incidents` subscriptions of the `change` made at
/// `now`.
pub(crate) fn save(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    row: &IncidentRow,
    change: ChangeType,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let sql = save_sql(tx.dialect());
    save_with(tx, &sql, tenant, row, change, now)
}

/// [`save`] with the statement already spelled ([`save_sql`]), for many rows.
pub(crate) fn save_with(
    tx: &mut dyn Tx,
    sql: &str,
    tenant: &TenantId,
    row: &IncidentRow,
    change: ChangeType,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let i = &row.incident;
    let doc = serde_json::to_string(i)
        .map_err(|e| StoreError::Corrupt(format!("incident {}: {e}", row.num)))?;
    let params = [
        tenant.as_str().into(),
        row.num.to_string().into(),
        Value::Int(row.num),
        i.status.as_str().into(),
        i.severity.as_str().into(),
        i.assigned_to.clone().into(),
        i.classification.map(|c| c.as_str().to_owned()).into(),
        i.determination.map(|d| d.as_str().to_owned()).into(),
        datetime::format(i.created_date_time).into(),
        datetime::format(i.last_update_date_time).into(),
        Value::Int(i64::from(row.status_by_user)),
        doc.into(),
    ];
    tx.execute(sql, &params)?;
    let id = row.num.to_string();
    let entity = || {
        serde_json::to_value(i)
            .map_err(|e| StoreError::Corrupt(format!("incident {}: {e}", row.num)))
    };
    let changed = Changed {
        kind: SubscriptionResource::Incidents,
        id: &id,
        change_type: change.as_str(),
        sequence: 0,
        owner: None,
        entity: &entity,
    };
    notify(tx, tenant, now, &[changed])
}

/// The largest incident number of `tenant` (0 when it has none).
pub(crate) fn max_num(tx: &mut dyn Tx, tenant: &TenantId) -> Result<i64, StoreError> {
    let sql = statement(
        tx.dialect(),
        "SELECT MAX(num) FROM incidents WHERE tenant_id = $1",
    );
    let rows = tx.query(&sql, &[tenant.as_str().into()])?;
    match rows.into_iter().next().and_then(|r| r.into_iter().next()) {
        Some(v) => Ok(v.into_opt_int("MAX(incidents.num)")?.unwrap_or(0)),
        None => Ok(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_canonical_positive_numbers() {
        assert_eq!(parse_id("42"), Some(42));
        for bad in ["042", "+42", "-1", "0", "4 2", "x", ""] {
            assert_eq!(parse_id(bad), None, "{bad}");
        }
    }
}
