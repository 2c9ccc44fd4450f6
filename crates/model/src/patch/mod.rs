//! Request bodies that change a stored alert: the alerts_v2 `PATCH` ([`AlertPatch`]), the legacy
//! `PATCH /security/alerts/{id}` and `updateAlerts` items ([`LegacyAlertPatch`]), and comment
//! bodies ([`parse_comment_body`]); the incident `PATCH` ([`IncidentPatch`]); and the
//! secure-score control-profile `PATCH` ([`ControlProfilePatch`]).
//!
//! Parsing is strict and explains itself: a property that cannot be written is an error naming it
//! and listing the writable ones; a wrong type or an unknown enum member says what is allowed.
//! Property names match case-insensitively and OData annotations (`@odata.type`, `x@odata.type`)
//! are ignored. Enum members match case-insensitively.

mod alert;
mod comment;
mod control_profile;
mod history;
mod incident;
mod legacy;

pub use alert::AlertPatch;
pub use comment::parse_comment_body;
pub use control_profile::ControlProfilePatch;
pub use incident::IncidentPatch;
pub use legacy::LegacyAlertPatch;

use crate::wire_enum::WireEnum;
use serde_json::{Map, Value};
use std::fmt;

/// Why a body was rejected: a message for the caller and, when one property is at fault, its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchError {
    /// What is wrong and what is allowed instead.
    pub message: String,
    /// The property at fault, in its canonical spelling.
    pub property: Option<String>,
}

impl PatchError {
    /// An error about `property`.
    pub fn at(property: &str, message: impl Into<String>) -> Self {
        PatchError {
            message: message.into(),
            property: Some(property.to_string()),
        }
    }

    /// An error about the body as a whole.
    pub fn body(message: impl Into<String>) -> Self {
        PatchError {
            message: message.into(),
            property: None,
        }
    }
}

impl fmt::Display for PatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PatchError {}

/// The body as an object.
fn object(v: &Value) -> Result<&Map<String, Value>, PatchError> {
    v.as_object()
        .ok_or_else(|| PatchError::body("The request body must be a JSON object."))
}

/// True for instance and property annotations (`@odata.type`, `status@odata.type`).
fn is_annotation(key: &str) -> bool {
    key.contains('@')
}

/// The canonical spelling of `key` among `names`.
fn canonical(key: &str, names: &[&'static str]) -> Option<&'static str> {
    names.iter().copied().find(|n| n.eq_ignore_ascii_case(key))
}

/// The error for a property that is not writable.
fn not_writable(key: &str, entity: &str, names: &[&str]) -> PatchError {
    PatchError::at(
        key,
        format!(
            "Property '{key}' of {entity} cannot be updated; the writable properties are: {}.",
            names.join(", ")
        ),
    )
}

/// A string, or `None` for `null`.
fn string_or_null(key: &str, v: &Value) -> Result<Option<String>, PatchError> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        _ => Err(PatchError::at(
            key,
            format!("Property '{key}' must be a string or null."),
        )),
    }
}

/// A list of strings.
fn strings(key: &str, v: &Value) -> Result<Vec<String>, PatchError> {
    let err = || {
        PatchError::at(
            key,
            format!("Property '{key}' must be an array of strings."),
        )
    };
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string).ok_or_else(err))
            .collect(),
        _ => Err(err()),
    }
}

/// A settable member of `E` (not `unknownFutureValue`), optionally under an alias.
fn member<E: WireEnum>(key: &str, v: &Value, aliases: &[(&str, E)]) -> Result<E, PatchError> {
    let ty = E::enum_type();
    let settable: Vec<&str> = ty
        .members
        .iter()
        .copied()
        .filter(|m| *m != "unknownFutureValue")
        .collect();
    let err = |what: String| {
        PatchError::at(
            key,
            format!("{what} for '{key}'; use one of: {}.", settable.join(", ")),
        )
    };
    let Some(s) = v.as_str() else {
        return Err(err(format!("Expected a {} member", ty.name)));
    };
    let found = E::from_wire(s).or_else(|| {
        aliases
            .iter()
            .find(|(a, _)| a.eq_ignore_ascii_case(s))
            .map(|(_, e)| *e)
    });
    match found {
        Some(e) if e.wire_str() != "unknownFutureValue" => Ok(e),
        _ => Err(err(format!("'{s}' is not a valid {} member", ty.name))),
    }
}

/// A member of `E`, or `None` for `null`.
fn member_or_null<E: WireEnum>(
    key: &str,
    v: &Value,
    aliases: &[(&str, E)],
) -> Result<Option<E>, PatchError> {
    match v {
        Value::Null => Ok(None),
        _ => member(key, v, aliases).map(Some),
    }
}

/// The properties a patch wrote, so that values kept from a legacy import no longer shadow them.
fn forget_kept(s: &mut crate::StoredAlert, names: &[&str]) {
    for n in names {
        s.legacy.extra.remove(*n);
    }
}
