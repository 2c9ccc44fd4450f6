//! The row-level statements of indicator writes: inserting a new indicator and rewriting a stored
//! one, with the values the store stamps and the document text it keeps.

use super::write::NewIndicator;
use super::{time_text, StoredIndicator};
use crate::backend::Tx;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::multirow::{insert_rows, Slot};
use crate::value::Value;
use model::{datetime, TenantId};
use serde_json::{Map, Value as Json};
use time::OffsetDateTime;

/// The text of the first column of `row`.
pub(super) fn first_text(row: Vec<Value>, what: &str) -> Result<String, StoreError> {
    row.into_iter()
        .next()
        .ok_or_else(|| StoreError::Corrupt(format!("{what} missing")))?
        .into_text(what)
}

/// Sets `key` to `value`, keeping its position when the document has it.
fn stamp(doc: &mut Map<String, Json>, key: &str, value: Json) {
    match doc.get_mut(key) {
        Some(slot) => *slot = value,
        None => {
            doc.insert(key.to_owned(), value);
        }
    }
}

/// New indicator rows per `INSERT` statement.
const INSERTS_PER_STATEMENT: usize = 500;

/// Inserts `items` as new indicators with fresh ids, several rows per statement; returns them as
/// stored, in order.
pub(super) fn insert_all(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    app_id: &str,
    items: Vec<NewIndicator>,
    ingested: OffsetDateTime,
) -> Result<Vec<StoredIndicator>, StoreError> {
    let mut stored = Vec::with_capacity(items.len());
    let mut own: Vec<Value> = Vec::with_capacity(items.len() * 7);
    for item in items {
        let id = uuid::Uuid::new_v4().to_string();
        let mut doc = item.doc;
        stamp(&mut doc, "id", Json::String(id.clone()));
        stamp(
            &mut doc,
            "azureTenantId",
            Json::String(tenant.as_str().to_owned()),
        );
        stamp(
            &mut doc,
            "ingestedDateTime",
            Json::String(datetime::format(ingested)),
        );
        stamp(&mut doc, "hitCount", Json::from(0));
        stamp(&mut doc, "lastHitDateTime", Json::Null);
        own.extend([
            id.as_str().into(),
            item.external_id.map_or(Value::Null, Value::Text),
            item.action.map_or(Value::Null, Value::Text),
            item.target_product.into(),
            item.threat_type.into(),
            time_text(item.expiration),
            Value::Text(document_text(&doc)?),
        ]);
        stored.push(StoredIndicator {
            id,
            app_id: app_id.to_owned(),
            doc,
        });
    }
    use Slot::{Own, Shared};
    insert_rows(
        tx,
        "ti_indicators (tenant_id, id, app_id, external_id, action, target_product, threat_type, \
         expiration_date_time, ingested_date_time, doc)",
        &[
            Shared(1),
            Own(0),
            Shared(2),
            Own(1),
            Own(2),
            Own(3),
            Own(4),
            Own(5),
            Shared(3),
            Own(6),
        ],
        &[tenant.as_str().into(), app_id.into(), time_text(ingested)],
        own,
        INSERTS_PER_STATEMENT,
    )?;
    Ok(stored)
}

/// Replaces the values of the stored indicator `kept` with `item`, keeping its id, tenant,
/// ingestion time and hit counters; returns it as stored.
pub(super) fn rewrite(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    kept: StoredIndicator,
    item: NewIndicator,
) -> Result<StoredIndicator, StoreError> {
    let mut doc = item.doc;
    for key in [
        "id",
        "azureTenantId",
        "ingestedDateTime",
        "hitCount",
        "lastHitDateTime",
    ] {
        stamp(
            &mut doc,
            key,
            kept.doc.get(key).cloned().unwrap_or(Json::Null),
        );
    }
    let text = document_text(&doc)?;
    let sql = statement(
        tx.dialect(),
        "UPDATE ti_indicators SET external_id = $3, action = $4, target_product = $5, \
         threat_type = $6, expiration_date_time = $7, doc = $8 WHERE tenant_id = $1 AND id = $2",
    );
    tx.execute(
        &sql,
        &[
            tenant.as_str().into(),
            kept.id.as_str().into(),
            item.external_id.map_or(Value::Null, Value::Text),
            item.action.map_or(Value::Null, Value::Text),
            item.target_product.into(),
            item.threat_type.into(),
            time_text(item.expiration),
            Value::Text(text),
        ],
    )?;
    Ok(StoredIndicator { doc, ..kept })
}

/// The stored text of `doc`: without the hit counters, which live in columns.
fn document_text(doc: &Map<String, Json>) -> Result<String, StoreError> {
    let mut stored = doc.clone();
    stored.remove("hitCount");
    stored.remove("lastHitDateTime");
    serde_json::to_string(&stored)
        .map_err(|e| StoreError::Rejected(format!("the indicator cannot be stored: {e}")))
}
