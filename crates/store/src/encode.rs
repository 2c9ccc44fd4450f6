//! A stored alert ↔ its row: the alerts_v2 document, the legacy document, the state that only the
//! stored alert has (`extra`: vendor information, legacy-only state and the owning provider's link,
//! so the row is lossless), the
//! evolvable-member flag, and the hot column values.

use crate::error::StoreError;
use crate::schema::{Sources, HOT_COLUMNS};
use crate::value::Value;
use model::legacy::LegacyAlert;
use model::{datetime, Alert, LegacyState, ProviderLink, StoredAlert, VendorInformation};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

/// A stored alert as column values.
#[derive(Debug)]
pub(crate) struct Encoded {
    /// alerts_v2 JSON.
    pub(crate) doc: String,
    /// Legacy `microsoft.graph.alert` JSON.
    pub(crate) legacy_doc: String,
    /// Vendor information and legacy-only state, JSON.
    pub(crate) extra: String,
    /// Where the evolvable enum members are in `doc` ([`crate::evolvable`]); `None` when there are none.
    pub(crate) evolvable: Option<String>,
    /// The hot column values, in [`HOT_COLUMNS`] order.
    pub(crate) columns: Vec<Value>,
}

#[derive(Serialize)]
struct ExtraRef<'a> {
    vendor: &'a VendorInformation,
    legacy: &'a LegacyState,
    #[serde(skip_serializing_if = "Option::is_none")]
    link: &'a Option<ProviderLink>,
}

#[derive(Deserialize)]
struct Extra {
    vendor: VendorInformation,
    legacy: LegacyState,
    #[serde(default)]
    link: Option<ProviderLink>,
}

/// Encodes `alert` for writing.
pub(crate) fn encode(alert: &StoredAlert) -> Result<Encoded, StoreError> {
    let doc = serde_json::to_string(&alert.alert).map_err(encode_error)?;
    let legacy = LegacyAlert::from_stored(alert);
    let legacy_doc = serde_json::to_string(&legacy).map_err(encode_error)?;
    let extra = serde_json::to_string(&ExtraRef {
        vendor: &alert.vendor,
        legacy: &alert.legacy,
        link: &alert.link,
    })
    .map_err(encode_error)?;
    let sources = Sources {
        stored: alert,
        legacy: &legacy,
    };
    let columns = HOT_COLUMNS.iter().map(|c| (c.extract)(&sources)).collect();
    Ok(Encoded {
        evolvable: crate::evolvable::encode_spans(&doc),
        doc,
        legacy_doc,
        extra,
        columns,
    })
}

/// Rebuilds a stored alert from its `doc` and `extra` columns.
pub(crate) fn decode(doc: &str, extra: &str) -> Result<StoredAlert, StoreError> {
    let alert: Alert = serde_json::from_str(doc)?;
    let Extra {
        vendor,
        legacy,
        link,
    } = serde_json::from_str(extra)?;
    Ok(StoredAlert {
        alert,
        vendor,
        legacy,
        link,
    })
}

fn encode_error(e: serde_json::Error) -> StoreError {
    StoreError::Rejected(format!("the alert cannot be serialised: {e}"))
}

/// Rewrites date-time strings among the evidence properties kept verbatim (unknown evidence types
/// and unknown properties; typed date-times already serialise in Graph's form) to Graph's
/// fixed-width UTC form (7 fractional digits, `Z`), so that filters on nested date-times compare
/// them as text exactly like top-level ones, whatever precision and offset the provider used.
pub(crate) fn normalize_evidence_times(alert: &mut StoredAlert) {
    for evidence in &mut alert.alert.evidence {
        for value in evidence.unknown_properties_mut().values_mut() {
            normalize(value);
        }
    }
}

fn normalize(value: &mut Json) {
    match value {
        Json::String(s) if looks_like_date_time(s) => {
            if let Ok(t) = datetime::parse(s) {
                *s = datetime::format(t);
            }
        }
        Json::Array(items) => items.iter_mut().for_each(normalize),
        Json::Object(map) => map.values_mut().for_each(normalize),
        _ => {}
    }
}

/// `yyyy-mm-ddThh:mm` at the start: worth trying to parse.
fn looks_like_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && matches!(b[10], b'T' | b't')
        && b[13] == b':'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_date_times_become_fixed_width_utc() {
        let mut v = serde_json::json!({"a": "2024-01-02T03:04:05+01:00", "b": ["2024-01-02T03:04:05.5Z"], "c": "2024-01-02"});
        normalize(&mut v);
        assert_eq!(v["a"], "2024-01-02T02:04:05.0000000Z");
        assert_eq!(v["b"][0], "2024-01-02T03:04:05.5000000Z");
        assert_eq!(v["c"], "2024-01-02");
    }
}
