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
use serde_json::value::RawValue;
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
    /// The stored `correlationReasons`, unparsed, when the row was read without them
    /// ([`load_many`]): `incident.correlation_reasons` is then empty and a save writes these back.
    /// Whoever sets the reasons clears this. (JSON text.)
    pub(crate) stored_reasons: Option<String>,
}

/// The member of the incident document that [`load_many`] leaves unparsed.
const REASONS: &str = "correlationReasons";

/// The selected columns of a row, in [`from_columns`] order.
pub(crate) const COLUMNS: &str = "incidents.num, incidents.status_by_user, incidents.doc";

/// Decodes the [`COLUMNS`] at the front of a row.
pub(crate) fn from_columns(
    cols: &mut std::vec::IntoIter<Value>,
) -> Result<IncidentRow, StoreError> {
    decode(cols, false)
}

/// [`from_columns`] without parsing the incident's `correlationReasons` (on a large incident,
/// thousands of alert ids), which most write jobs only carry over: they are kept as text in
/// [`IncidentRow::stored_reasons`].
fn from_columns_keeping_reasons(
    cols: &mut std::vec::IntoIter<Value>,
) -> Result<IncidentRow, StoreError> {
    decode(cols, true)
}

/// Decodes the [`COLUMNS`] at the front of a row, the reasons as text when `keep_reasons`.
fn decode(
    cols: &mut std::vec::IntoIter<Value>,
    keep_reasons: bool,
) -> Result<IncidentRow, StoreError> {
    let mut next = |what: &str| {
        cols.next()
            .ok_or_else(|| StoreError::Corrupt(format!("incident row lacks {what}")))
    };
    let num = next("num")?.as_int("incidents.num")?;
    let status_by_user = next("status_by_user")?.as_int("incidents.status_by_user")? != 0;
    let text = next("doc")?.into_text("incidents.doc")?;
    let corrupt =
        |e: serde_json::Error| StoreError::Corrupt(format!("incident {num} document: {e}"));
    if !keep_reasons {
        return Ok(IncidentRow {
            num,
            status_by_user,
            incident: serde_json::from_str(&text).map_err(corrupt)?,
            stored_reasons: None,
        });
    }
    let mut raw: std::collections::BTreeMap<&str, &RawValue> =
        serde_json::from_str(&text).map_err(corrupt)?;
    let stored_reasons = raw.remove(REASONS).map(|r| r.get().to_owned());
    let mut members = serde_json::Map::new();
    for (k, v) in raw {
        let value: serde_json::Value = serde_json::from_str(v.get()).map_err(corrupt)?;
        members.insert(k.to_owned(), value);
    }
    let incident: Incident =
        serde_json::from_value(serde_json::Value::Object(members)).map_err(corrupt)?;
    Ok(IncidentRow {
        num,
        status_by_user,
        incident,
        stored_reasons,
    })
}

/// The document of `row`: its incident, with the stored reasons when it carries them unparsed.
fn document(row: &IncidentRow) -> Result<String, StoreError> {
    let corrupt = |e: String| StoreError::Corrupt(format!("incident {}: {e}", row.num));
    let doc = serde_json::to_string(&row.incident).map_err(|e| corrupt(e.to_string()))?;
    let Some(reasons) = &row.stored_reasons else {
        return Ok(doc);
    };
    // Serialised with no reasons, the member reads exactly so (a quote inside a string value is
    // escaped, so this text cannot occur there).
    let empty = format!("\"{REASONS}\":[]");
    let at = doc
        .find(&empty)
        .ok_or_else(|| corrupt("no correlationReasons member to fill".into()))?;
    let value_at = at + empty.len() - 2;
    let mut out = String::with_capacity(doc.len() + reasons.len());
    out.push_str(&doc[..value_at]);
    out.push_str(reasons);
    out.push_str(&doc[value_at + 2..]);
    Ok(out)
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

/// The rows of the incidents `nums` that exist, their reasons left unparsed
/// ([`IncidentRow::stored_reasons`]).
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
            let row = from_columns_keeping_reasons(&mut row.into_iter())?;
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
    let doc = document(row)?;
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
        doc.as_str().into(),
    ];
    tx.execute(sql, &params)?;
    let id = row.num.to_string();
    let entity = || {
        serde_json::from_str(&doc)
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
    fn a_row_read_without_its_reasons_is_written_back_with_them() {
        use model::incident::{CorrelatedEntity, CorrelationReason};
        let mut incident = Incident::open(
            model::IncidentId("7".into()),
            "t",
            time::OffsetDateTime::UNIX_EPOCH,
        );
        incident.summary = Some("2 alerts (2 active).".into());
        incident.correlation_reasons = vec![CorrelationReason {
            rule: "sharedDevice".into(),
            entity: CorrelatedEntity {
                kind: "device".into(),
                value: "ws01".into(),
            },
            alert_ids: vec!["a".into(), "b \"quoted\"".into()],
        }];
        let doc = serde_json::to_string(&incident).unwrap();
        let cols = vec![Value::Int(7), Value::Int(1), Value::Text(doc.clone())];
        let row = from_columns_keeping_reasons(&mut cols.into_iter()).unwrap();
        assert!(row.incident.correlation_reasons.is_empty(), "not parsed");
        assert!(row.status_by_user);
        assert_eq!(row.incident.summary, incident.summary);
        assert_eq!(document(&row).unwrap(), doc, "written back as stored");
        let full =
            from_columns(&mut vec![Value::Int(7), Value::Int(1), Value::Text(doc)].into_iter());
        assert_eq!(full.unwrap().incident, incident);
        let mut changed = row.clone();
        changed.incident.correlation_reasons.clear();
        changed.stored_reasons = None;
        assert!(document(&changed)
            .unwrap()
            .contains("\"correlationReasons\":[]"));
    }

    #[test]
    fn ids_are_canonical_positive_numbers() {
        assert_eq!(parse_id("42"), Some(42));
        for bad in ["042", "+42", "-1", "0", "4 2", "x", ""] {
            assert_eq!(parse_id(bad), None, "{bad}");
        }
    }
}
