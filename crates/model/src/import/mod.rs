//! [`alert_from_json`]: turns an alert a user exported from Graph — an alerts_v2
//! `microsoft.graph.security.alert` or a legacy `microsoft.graph.alert` — into a [`StoredAlert`].
//! (A `{"value": [...]}` page is unwrapped by the caller.)
//!
//! * **Shape**: `@odata.type` decides (`#microsoft.graph.alert` → legacy,
//!   `#microsoft.graph.security.alert` → alerts_v2); without it, any of `serviceSource`,
//!   `providerAlertId`, `evidence`, `detectionSource`, `lastUpdateDateTime`, `alertWebUrl`,
//!   `incidentId` means alerts_v2, else any of `vendorInformation`, `eventDateTime`, `hostStates`,
//!   `userStates`, `azureTenantId`, `lastModifiedDateTime` or a `status` of `newAlert`/`dismissed`
//!   means legacy, else alerts_v2.
//! * **Both**: a missing `id` becomes a new UUIDv7; `createdDateTime` is required; `tenantId`
//!   (`azureTenantId`) becomes the importing tenant; OData annotations are dropped.
//! * **alerts_v2**: a missing `lastUpdateDateTime` is `createdDateTime`, a missing `status` is `new`
//!   and a missing `severity` `unknown`. The vendor information comes from a (non-standard)
//!   `vendorInformation` member when present, else from [`vendor::vendor_of`]. Top-level
//!   properties the alerts_v2 schema does not declare are not kept.
//! * **legacy**: see [`legacy`] for the mapping to alerts_v2; every legacy property whose value the
//!   legacy view would not reproduce from the stored alert is kept verbatim in
//!   [`LegacyState::extra`](crate::LegacyState), so the legacy view returns the alert as imported.
//!
//! Errors are short and name the property at fault.

pub mod legacy;
pub mod vendor;

use crate::ids::TenantId;
use crate::{Alert, LegacyState, StoredAlert, VendorInformation};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

const V2_MARKERS: &[&str] = &[
    "serviceSource",
    "providerAlertId",
    "evidence",
    "detectionSource",
    "lastUpdateDateTime",
    "alertWebUrl",
    "incidentId",
];
const LEGACY_MARKERS: &[&str] = &[
    "vendorInformation",
    "eventDateTime",
    "hostStates",
    "userStates",
    "azureTenantId",
    "lastModifiedDateTime",
];

/// Parses one exported alert (see the module docs).
pub fn alert_from_json(v: Value, tenant: &TenantId) -> Result<StoredAlert, String> {
    let Value::Object(mut obj) = v else {
        return Err("an alert must be a JSON object".to_string());
    };
    let is_legacy = is_legacy(&obj);
    obj.retain(|k, _| !k.starts_with('@'));
    if obj.get("id").is_none_or(Value::is_null) {
        obj.insert("id".into(), Value::String(derived_id(&obj)));
    }
    if obj.get("createdDateTime").is_none_or(Value::is_null) {
        return Err("createdDateTime is required".to_string());
    }
    if is_legacy {
        legacy::from_legacy(obj, tenant)
    } else {
        from_v2(obj, tenant)
    }
}

fn is_legacy(obj: &Map<String, Value>) -> bool {
    if let Some(t) = obj.get("@odata.type").and_then(Value::as_str) {
        let t = t.trim_start_matches('#');
        if t.eq_ignore_ascii_case("microsoft.graph.alert") {
            return true;
        }
        if t.eq_ignore_ascii_case("microsoft.graph.security.alert") {
            return false;
        }
    }
    let has = |names: &[&str]| names.iter().any(|n| obj.contains_key(*n));
    let legacy_status = obj
        .get("status")
        .and_then(Value::as_str)
        .is_some_and(|s| s.eq_ignore_ascii_case("newAlert") || s.eq_ignore_ascii_case("dismissed"));
    !has(V2_MARKERS) && (has(LEGACY_MARKERS) || legacy_status)
}

fn from_v2(mut obj: Map<String, Value>, tenant: &TenantId) -> Result<StoredAlert, String> {
    let vendor = match obj.remove("vendorInformation") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            serde_json::from_value::<VendorInformation>(v)
                .map_err(|e| format!("vendorInformation: {e}"))?,
        ),
    };
    if obj.get("lastUpdateDateTime").is_none_or(Value::is_null) {
        let created = obj.get("createdDateTime").cloned().unwrap_or(Value::Null);
        obj.insert("lastUpdateDateTime".into(), created);
    }
    default_member(&mut obj, "status", "new");
    default_member(&mut obj, "severity", "unknown");
    obj.insert("tenantId".into(), Value::String(tenant.to_string()));
    let alert: Alert = parse_naming_property(obj, &v2_probe())?;
    let vendor = vendor.unwrap_or_else(|| vendor::vendor_of(&alert));
    Ok(StoredAlert {
        alert,
        vendor,
        legacy: LegacyState::default(),
        link: None,
    })
}

fn default_member(obj: &mut Map<String, Value>, key: &str, member: &str) {
    if obj.get(key).is_none_or(Value::is_null) {
        obj.insert(key.into(), Value::String(member.into()));
    }
}

/// Deserialises `obj`; on failure, names the first property that does not fit on its own, i.e.
/// added to `probe` (a minimal valid object).
pub(crate) fn parse_naming_property<T: DeserializeOwned>(
    obj: Map<String, Value>,
    probe: &Map<String, Value>,
) -> Result<T, String> {
    let err = match serde_json::from_value::<T>(Value::Object(obj.clone())) {
        Ok(t) => return Ok(t),
        Err(e) => e,
    };
    for (k, v) in obj {
        let mut one = probe.clone();
        one.insert(k.clone(), v);
        if let Err(e) = serde_json::from_value::<T>(Value::Object(one)) {
            return Err(format!("{k}: {e}"));
        }
    }
    Err(err.to_string())
}

/// A minimal valid alerts_v2 object.
fn v2_probe() -> Map<String, Value> {
    let t = Value::String("2000-01-01T00:00:00Z".into());
    let pairs = [
        ("id", Value::String("probe".into())),
        ("createdDateTime", t.clone()),
        ("lastUpdateDateTime", t),
        ("status", Value::String("new".into())),
        ("severity", Value::String("unknown".into())),
    ];
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// Namespace of the ids [`derived_id`] mints (a fixed, random UUID).
const IMPORT_ID_NAMESPACE: uuid::Uuid = uuid::uuid!("3c0b5f2e-8f6a-4d1b-9a7e-52c4e1d0b6a9");

/// The id of an alert that arrives without one, derived from what it is so that importing the same
/// record again updates it instead of adding a copy: from the product and its `providerAlertId` when
/// there is one (a later export of the same provider alert updates it), else from the whole record.
fn derived_id(obj: &Map<String, Value>) -> String {
    let text = |k: &str| obj.get(k).and_then(Value::as_str).unwrap_or("");
    let provider_id = text("providerAlertId");
    let name = if provider_id.is_empty() {
        Value::Object(obj.clone()).to_string()
    } else {
        let product = obj
            .get("vendorInformation")
            .and_then(|v| v.get("provider"))
            .and_then(Value::as_str)
            .unwrap_or_else(|| {
                if text("productName").is_empty() {
                    text("serviceSource")
                } else {
                    text("productName")
                }
            });
        format!("{product}\n{provider_id}")
    };
    uuid::Uuid::new_v5(&IMPORT_ID_NAMESPACE, name.as_bytes()).to_string()
}
