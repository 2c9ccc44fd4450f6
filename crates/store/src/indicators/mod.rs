//! Threat indicators (`tiIndicators`) of one tenant, optionally narrowed to the indicators one
//! application owns (Graph's `ThreatIndicators.ReadWrite.OwnedBy`: an app sees and changes only
//! what it submitted). Scope is by construction: [`IndicatorStore`] is reached from a
//! [`TenantStore`] and every statement it runs starts from the tenant and, when set, the owner.
//!
//! The Graph entity is stored as its JSON document (validated by `model` before it gets here); the
//! columns before it copy the single values that scope, filter, order, expire and match on. Hit
//! counters exist only as columns and are merged into the document when it is read. Every write
//! appends to the tenant's gap-free indicator change log (`ti_indicator_changes`, numbered by
//! `tenants.ti_seq`) and announces [`StoreEvent::Indicators`](crate::StoreEvent::Indicators), so
//! every node's matcher can follow the changes.

mod export_keys;
mod log;
mod read;
mod rows;
mod sweep;
mod write;

use crate::error::StoreError;
use crate::query::Documents;
use crate::tenant::TenantStore;
use crate::value::Value;
use model::datetime;
use model::indicator::TiIndicator;
use serde_json::{Map, Value as Json};
use time::OffsetDateTime;

pub use export_keys::{
    looks_like_export_key, ExportKey, ExportKeyCheck, ExportKeyStore, NewExportKey,
    EXPORT_KEY_PREFIX,
};
pub use read::{IndicatorChange, IndicatorPage};
pub use write::{IndicatorEdit, NewIndicator};

/// The tiIndicator documents of `ti_indicators`.
pub(crate) static TI_INDICATORS: Documents = Documents {
    name: "tiIndicator",
    table: "ti_indicators",
    doc_column: "ti_indicators.doc",
    id_column: "ti_indicators.id",
    default_order: "ingestedDateTime",
    hot_column,
};

/// The column holding exactly the value at `path` of a tiIndicator document.
fn hot_column(path: &[&str]) -> Option<(&'static str, bool)> {
    Some(match path {
        ["externalId"] => ("external_id", true),
        ["action"] => ("action", true),
        ["targetProduct"] => ("target_product", false),
        ["threatType"] => ("threat_type", false),
        ["expirationDateTime"] => ("expiration_date_time", false),
        ["ingestedDateTime"] => ("ingested_date_time", false),
        ["hitCount"] => ("hit_count", false),
        ["lastHitDateTime"] => ("last_hit_date_time", true),
        _ => return None,
    })
}

/// The selected columns of a stored indicator, in [`StoredIndicator::from_columns`] order.
const COLUMNS: &str = "ti_indicators.id, ti_indicators.app_id, ti_indicators.hit_count, \
                       ti_indicators.last_hit_date_time, ti_indicators.doc";

/// A stored indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredIndicator {
    /// The indicator id.
    pub id: String,
    /// The client id of the application that submitted (owns) it.
    pub app_id: String,
    /// The Graph entity, with `hitCount` and `lastHitDateTime` filled in from their columns.
    pub doc: Map<String, Json>,
}

impl StoredIndicator {
    /// Decodes the [`COLUMNS`] at the front of a row.
    fn from_columns(cols: &mut std::vec::IntoIter<Value>) -> Result<Self, StoreError> {
        let mut next = |what: &str| {
            cols.next()
                .ok_or_else(|| StoreError::Corrupt(format!("indicator row lacks {what}")))
        };
        let id = next("id")?.into_text("ti_indicators.id")?;
        let app_id = next("app_id")?.into_text("ti_indicators.app_id")?;
        let hits = next("hit_count")?.as_int("ti_indicators.hit_count")?;
        let last_hit = match next("last_hit_date_time")? {
            Value::Null => Json::Null,
            v => Json::String(v.into_text("ti_indicators.last_hit_date_time")?),
        };
        let text = next("doc")?.into_text("ti_indicators.doc")?;
        let mut doc: Map<String, Json> = serde_json::from_str(&text)
            .map_err(|e| StoreError::Corrupt(format!("indicator {id}: {e}")))?;
        doc.insert("hitCount".into(), Json::from(hits));
        doc.insert("lastHitDateTime".into(), last_hit);
        Ok(StoredIndicator { id, app_id, doc })
    }
}

/// The indicators of one tenant, all of them or those of one owning application.
#[derive(Debug, Clone)]
pub struct IndicatorStore {
    tenant: TenantStore,
    owner: Option<String>,
}

impl TenantStore {
    /// The tenant's indicators submitted by application `app_id` (its client id): what a caller
    /// holding `ThreatIndicators.ReadWrite.OwnedBy` may see and change.
    pub fn indicators_of(&self, app_id: &str) -> IndicatorStore {
        IndicatorStore {
            tenant: self.clone(),
            owner: Some(app_id.to_owned()),
        }
    }

    /// All of the tenant's indicators, whoever submitted them (matching, exports, the sweeper).
    pub fn all_indicators(&self) -> IndicatorStore {
        IndicatorStore {
            tenant: self.clone(),
            owner: None,
        }
    }
}

impl IndicatorStore {
    /// The scope equalities every statement starts from.
    fn scope(&self) -> Vec<(&'static str, Value)> {
        let mut scope = vec![("tenant_id", self.tenant.tenant_id().as_str().into())];
        if let Some(owner) = &self.owner {
            scope.push(("app_id", owner.as_str().into()));
        }
        scope
    }

    /// `WHERE` terms for [`scope`](Self::scope) with placeholders `$1..`, and their values.
    fn scope_sql(&self) -> (String, Vec<Value>) {
        let scope = self.scope();
        let terms: Vec<String> = scope
            .iter()
            .enumerate()
            .map(|(i, (column, _))| format!("{column} = ${}", i + 1))
            .collect();
        (
            terms.join(" AND "),
            scope.into_iter().map(|(_, v)| v).collect(),
        )
    }
}

impl NewIndicator {
    /// What the store keeps of a validated indicator: its Graph document and the copies of the
    /// single values the store indexes, taken from that document (so they always agree). Used by
    /// the API (POST, PATCH, the bulk actions) and by `secgraph indicators import`.
    pub fn from_indicator(indicator: &TiIndicator) -> Result<NewIndicator, serde_json::Error> {
        let doc = match serde_json::to_value(indicator)? {
            Json::Object(map) => map,
            _ => {
                return Err(serde::ser::Error::custom(
                    "a tiIndicator did not serialise to a JSON object",
                ))
            }
        };
        let text = |key: &str| doc.get(key).and_then(Json::as_str).map(str::to_owned);
        Ok(NewIndicator {
            external_id: text("externalId"),
            action: text("action"),
            target_product: text("targetProduct").unwrap_or_default(),
            threat_type: text("threatType").unwrap_or_default(),
            expiration: indicator.body.expiration_date_time,
            doc,
        })
    }
}

/// A date-time as the indicator columns hold it (Graph's fixed-width UTC text).
fn time_text(t: OffsetDateTime) -> Value {
    Value::Text(datetime::format(t))
}
