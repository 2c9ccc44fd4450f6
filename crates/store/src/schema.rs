//! The alert table's layout, in one place: the indexed "hot" columns (copies of single values of the
//! stored alert, kept so filters and sorts on them are index-driven) and the secondary indexes.
//!
//! Every index starts with `tenant_id` (tenant scope by construction) and ends with `id` where it
//! serves an ordered list, so the keyset tiebreaker is in index order. Benchmarks iterate
//! [`ALERT_INDEXES`] to report each index's ingest cost.
//!
//! Migration `V1` is generated from these lists; once released, changing them needs a new migration.

use crate::value::Value;
use model::legacy::LegacyAlert;
use model::{datetime, StoredAlert};
use IndexKey::{Column, Folded};

/// What a hot column is read from: the stored alert and its legacy view (legacy-only state may
/// override computed legacy values, so legacy columns read the view itself).
pub(crate) struct Sources<'a> {
    pub(crate) stored: &'a StoredAlert,
    pub(crate) legacy: &'a LegacyAlert,
}

/// An indexed copy of one value of the stored alert.
pub(crate) struct HotColumn {
    /// Column name.
    pub(crate) name: &'static str,
    /// Path of the same value in the alerts_v2 document, when there is one.
    pub(crate) v2_path: Option<&'static [&'static str]>,
    /// Path of the same value in the legacy document, when there is one.
    pub(crate) legacy_path: Option<&'static [&'static str]>,
    /// The column may be NULL.
    pub(crate) nullable: bool,
    /// Reads the value, exactly as the view document serialises it.
    pub(crate) extract: fn(&Sources<'_>) -> Value,
}

fn text<T: AsRef<str>>(v: Option<T>) -> Value {
    v.map_or(Value::Null, |s| Value::Text(s.as_ref().to_owned()))
}

macro_rules! hot {
    ($name:literal, $v2:expr, $legacy:expr, $nullable:literal, $extract:expr) => {
        HotColumn {
            name: $name,
            v2_path: $v2,
            legacy_path: $legacy,
            nullable: $nullable,
            extract: $extract,
        }
    };
}

/// The hot columns of `alerts`, in table order.
pub(crate) static HOT_COLUMNS: &[HotColumn] = &[
    hot!("severity", Some(&["severity"]), None, false, |s| s
        .stored
        .alert
        .severity
        .as_str()
        .into()),
    hot!("status", Some(&["status"]), None, false, |s| s
        .stored
        .alert
        .status
        .as_str()
        .into()),
    hot!(
        "created_date_time",
        Some(&["createdDateTime"]),
        None,
        false,
        |s| { datetime::format(s.stored.alert.created_date_time).into() }
    ),
    hot!(
        "last_update_date_time",
        Some(&["lastUpdateDateTime"]),
        None,
        false,
        |s| { datetime::format(s.stored.alert.last_update_date_time).into() }
    ),
    hot!(
        "service_source",
        Some(&["serviceSource"]),
        None,
        true,
        |s| { text(s.stored.alert.service_source.map(|v| v.as_str())) }
    ),
    hot!(
        "detection_source",
        Some(&["detectionSource"]),
        None,
        true,
        |s| { text(s.stored.alert.detection_source.map(|v| v.as_str())) }
    ),
    hot!("category", Some(&["category"]), None, true, |s| text(
        s.stored.alert.category.as_ref()
    )),
    hot!("assigned_to", Some(&["assignedTo"]), None, true, |s| text(
        s.stored.alert.assigned_to.as_ref()
    )),
    hot!(
        "classification",
        Some(&["classification"]),
        None,
        true,
        |s| { text(s.stored.alert.classification.map(|v| v.as_str())) }
    ),
    hot!("determination", Some(&["determination"]), None, true, |s| {
        text(s.stored.alert.determination.map(|v| v.as_str()))
    }),
    hot!("incident_id", Some(&["incidentId"]), None, true, |s| text(
        s.stored.alert.incident_id.as_ref()
    )),
    hot!(
        "provider_alert_id",
        Some(&["providerAlertId"]),
        None,
        true,
        |s| { text(s.stored.alert.provider_alert_id.as_ref()) }
    ),
    hot!(
        "vendor_provider",
        None,
        Some(&["vendorInformation", "provider"]),
        true,
        |s| {
            text(
                s.legacy
                    .vendor_information
                    .as_ref()
                    .and_then(|v| v.provider.as_ref()),
            )
        }
    ),
    hot!(
        "legacy_created_date_time",
        None,
        Some(&["createdDateTime"]),
        true,
        |s| { text(s.legacy.created_date_time.map(datetime::format)) }
    ),
];

/// A secondary index on `alerts`.
#[derive(Debug, Clone, Copy)]
pub struct AlertIndex {
    /// Index name.
    pub name: &'static str,
    /// The index keys, in order.
    pub columns: &'static [IndexKey],
    /// The `WHERE` clause of a partial index: columns that are mostly NULL index only the rows
    /// with a value (equality and range filters imply `IS NOT NULL`, so they still use it).
    pub partial: Option<&'static str>,
}

/// One key of an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexKey {
    /// The column as it is.
    Column(&'static str),
    /// The column with its case folded the way case-insensitive filters compare it.
    Folded(&'static str),
}

impl AlertIndex {
    /// The key list as written in `CREATE INDEX` for `dialect`.
    pub(crate) fn key_list(&self, dialect: &dyn crate::dialect::Dialect) -> String {
        let keys: Vec<String> = self
            .columns
            .iter()
            .map(|k| match k {
                IndexKey::Column(c) => (*c).to_owned(),
                IndexKey::Folded(c) => dialect.ci_index_key(c),
            })
            .collect();
        keys.join(", ")
    }
}

/// The secondary indexes on `alerts` (the primary key `(tenant_id, id)` comes with the table).
/// String columns compared case-insensitively are indexed case-folded ([`IndexKey::Folded`]) so
/// equality filters on them still use the index.
pub const ALERT_INDEXES: &[AlertIndex] = &[
    AlertIndex {
        name: "alerts_created",
        columns: &[
            Column("tenant_id"),
            Column("created_date_time"),
            Column("id"),
        ],
        partial: None,
    },
    AlertIndex {
        name: "alerts_severity_created",
        columns: &[
            Column("tenant_id"),
            Column("severity"),
            Column("created_date_time"),
            Column("id"),
        ],
        partial: None,
    },
    AlertIndex {
        name: "alerts_status_created",
        columns: &[
            Column("tenant_id"),
            Column("status"),
            Column("created_date_time"),
            Column("id"),
        ],
        partial: None,
    },
    AlertIndex {
        name: "alerts_last_update",
        columns: &[
            Column("tenant_id"),
            Column("last_update_date_time"),
            Column("id"),
        ],
        partial: None,
    },
    AlertIndex {
        name: "alerts_assigned_to",
        columns: &[
            Column("tenant_id"),
            Folded("assigned_to"),
            Column("created_date_time"),
            Column("id"),
        ],
        partial: Some("assigned_to IS NOT NULL"),
    },
    AlertIndex {
        name: "alerts_incident",
        columns: &[
            Column("tenant_id"),
            Folded("incident_id"),
            Column("created_date_time"),
            Column("id"),
        ],
        partial: Some("incident_id IS NOT NULL"),
    },
    AlertIndex {
        name: "alerts_provider_alert",
        columns: &[
            Column("tenant_id"),
            Folded("provider_alert_id"),
            Column("created_date_time"),
            Column("id"),
        ],
        partial: Some("provider_alert_id IS NOT NULL"),
    },
    AlertIndex {
        name: "alerts_legacy_created",
        columns: &[
            Column("tenant_id"),
            Column("legacy_created_date_time"),
            Column("id"),
        ],
        partial: None,
    },
];

/// The hot column holding exactly the value at `segments` of the view's document, if any.
pub(crate) fn hot_column(legacy: bool, segments: &[&str]) -> Option<&'static HotColumn> {
    HOT_COLUMNS.iter().find(|c| {
        let path = if legacy { c.legacy_path } else { c.v2_path };
        path.is_some_and(|p| p == segments)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::encode;
    use serde_json::{json, Value as Json};

    fn at<'a>(doc: &'a Json, path: &[&str]) -> &'a Json {
        path.iter()
            .fold(doc, |v, k| v.get(k).unwrap_or(&Json::Null))
    }

    fn as_json(v: &Value) -> Json {
        v.to_json()
    }

    #[test]
    fn hot_columns_equal_the_document_values() {
        let full = json!({
            "alert": {
                "id": "h", "createdDateTime": "2024-01-02T03:04:05.123+01:00",
                "lastUpdateDateTime": "2024-01-03T00:00:00Z", "severity": "high", "status": "inProgress",
                "serviceSource": "microsoftSentinel", "detectionSource": "antivirus", "category": "Execution",
                "assignedTo": "a@b.c", "classification": "truePositive", "determination": "malware",
                "incidentId": "7", "providerAlertId": "p-1"
            },
            "vendor": {"provider": "MDATP", "vendor": "Microsoft"},
            "legacy": {}
        });
        let sparse = json!({
            "alert": {"id": "s", "createdDateTime": "2024-01-02T00:00:00Z", "lastUpdateDateTime": "2024-01-02T00:00:00Z",
                      "severity": "low", "status": "new"},
            "vendor": {}
        });
        for fixture in [full, sparse] {
            let alert: StoredAlert = serde_json::from_value(fixture).unwrap();
            let enc = encode(&alert).unwrap();
            let doc: Json = serde_json::from_str(&enc.doc).unwrap();
            let legacy: Json = serde_json::from_str(&enc.legacy_doc).unwrap();
            for (c, v) in HOT_COLUMNS.iter().zip(&enc.columns) {
                if let Some(p) = c.v2_path {
                    assert_eq!(&as_json(v), at(&doc, p), "{} vs alerts_v2 {p:?}", c.name);
                }
                if let Some(p) = c.legacy_path {
                    assert_eq!(&as_json(v), at(&legacy, p), "{} vs legacy {p:?}", c.name);
                }
                assert!(
                    c.nullable || *v != Value::Null,
                    "{} is declared NOT NULL",
                    c.name
                );
            }
        }
    }

    #[test]
    fn every_index_starts_with_the_tenant() {
        for i in ALERT_INDEXES {
            assert_eq!(i.columns[0], IndexKey::Column("tenant_id"), "{}", i.name);
        }
    }
}
