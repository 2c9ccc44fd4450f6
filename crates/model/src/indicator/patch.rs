//! Changing a stored indicator: `PATCH /security/tiIndicators/{id}` bodies and
//! `updateTiIndicators` items ([`parse_patch`], [`update_item_id`]).
//!
//! * Writable: Graph's editable set ([`EDITABLE`], plus our `criticalInfrastructureOverride`)
//!   for `Azure Sentinel`; only [`EDITABLE_DEFENDER`] for `Microsoft Defender ATP`.
//! * Any other property of the model may be sent only with its current value (clients send back
//!   what they read, and Graph's docs ask for `targetProduct` in every update); a different value
//!   is a `PropertyNotUpdateable` error naming the property and listing the writable ones.
//! * `id` may be sent if it is the indicator's own; the other server-stamped properties are
//!   ignored, as on create.
//! * Graph's docs say `expirationDateTime` and `targetProduct` "must be supplied", but Microsoft's
//!   update examples (`tiindicator-update-request.json`, `-update-many-request.json`) send neither
//!   and succeed, so neither is required here.
//! * Unknown properties are set in `additional_properties` (`null` removes one).
//! * After the change the whole body must still pass [`validate`].

use super::error::InputError;
use super::input::{canonical, object, set_property, SERVER_STAMPED};
use super::validation::validate;
use super::{TargetProduct, TiIndicator, TiIndicatorBody, TiIndicatorId};
use serde_json::Value;

/// What a PATCH may change on an `Azure Sentinel` indicator.
pub const EDITABLE: &[&str] = &[
    "action",
    "activityGroupNames",
    "additionalInformation",
    "confidence",
    "description",
    "diamondModel",
    "expirationDateTime",
    "externalId",
    "isActive",
    "killChain",
    "knownFalsePositives",
    "lastReportedDateTime",
    "malwareFamilyNames",
    "passiveOnly",
    "severity",
    "tags",
    "tlpLevel",
    "criticalInfrastructureOverride",
];

/// What a PATCH may change on a `Microsoft Defender ATP` indicator.
pub const EDITABLE_DEFENDER: &[&str] = &["description", "expirationDateTime", "severity"];

/// The outcome of a valid PATCH: the indicator as it is to be stored, and the properties the
/// body wrote (Graph spelling; unknown properties as sent), in body order.
#[derive(Debug, Clone, PartialEq)]
pub struct TiIndicatorPatch {
    /// `existing` with the body applied; server-stamped properties unchanged.
    pub indicator: TiIndicator,
    /// The properties written.
    pub changed: Vec<String>,
}

/// The writable set for indicators of `target`.
pub fn editable_for(target: TargetProduct) -> &'static [&'static str] {
    match target {
        TargetProduct::AzureSentinel => EDITABLE,
        TargetProduct::MicrosoftDefenderAtp => EDITABLE_DEFENDER,
    }
}

/// Applies a PATCH body (or `updateTiIndicators` item) to `existing`, without changing it.
pub fn parse_patch(json: &Value, existing: &TiIndicator) -> Result<TiIndicatorPatch, InputError> {
    let obj = object(json)?;
    let editable = editable_for(existing.body.target_product);
    let mut body = existing.body.clone();
    let mut changed = Vec::new();
    for (key, v) in obj {
        if key.contains('@') {
            continue;
        }
        let Some(name) = canonical(key) else {
            match v {
                Value::Null => body.additional_properties.remove(key),
                _ => body.additional_properties.insert(key.clone(), v.clone()),
            };
            changed.push(key.clone());
            continue;
        };
        if name == "id" {
            check_id(v, existing, editable)?;
        } else if SERVER_STAMPED.contains(&name) {
            continue;
        } else if editable.contains(&name) {
            set_property(&mut body, name, v)?;
            changed.push(name.to_string());
        } else {
            check_unchanged(&existing.body, name, v, editable)?;
        }
    }
    validate(&body)?;
    let indicator = TiIndicator {
        body,
        ..existing.clone()
    };
    Ok(TiIndicatorPatch { indicator, changed })
}

/// The id an `updateTiIndicators` item names (property `id`, any case).
pub fn update_item_id(json: &Value) -> Result<TiIndicatorId, InputError> {
    let obj = object(json)?;
    let id = obj
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("id"))
        .map(|(_, v)| v);
    match id {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(TiIndicatorId(s.trim().to_string())),
        Some(other) => Err(InputError::invalid(
            "id",
            format!("Property 'id' must be the id of the indicator to update; got {other}."),
        )),
        None => Err(InputError::missing(
            "id",
            "Each updateTiIndicators item needs 'id', the id of the indicator to update.",
        )),
    }
}

fn not_updateable(name: &str, target: TargetProduct, editable: &[&str]) -> InputError {
    InputError::not_updateable(
        name,
        format!(
            "Property '{name}' cannot be updated; the updatable properties of {target} indicators are: {}.",
            editable.join(", ")
        ),
    )
}

fn check_id(v: &Value, existing: &TiIndicator, editable: &[&str]) -> Result<(), InputError> {
    match v.as_str() {
        Some(s) if s.trim().eq_ignore_ascii_case(existing.id.as_str()) => Ok(()),
        _ => Err(not_updateable("id", existing.body.target_product, editable)),
    }
}

/// Accepts a non-writable property only when it would not change.
fn check_unchanged(
    current: &TiIndicatorBody,
    name: &'static str,
    v: &Value,
    editable: &[&str],
) -> Result<(), InputError> {
    let mut probe = current.clone();
    match set_property(&mut probe, name, v) {
        Ok(()) if probe == *current => Ok(()),
        _ => Err(not_updateable(name, current.target_product, editable)),
    }
}
