//! [`InputError`]: why one tiIndicator body (a POST, a PATCH, or one item of a bulk action) was
//! rejected. It is a value, not a panic or a whole-request failure, because `submitTiIndicators`
//! and `updateTiIndicators` report each item's outcome separately.

use std::fmt;

/// A stable, machine-readable reason, for clients and for per-item bulk results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputErrorCode {
    /// The body (or the bulk item) is not a JSON object.
    InvalidBody,
    /// A required property is absent or `null`.
    MissingProperty,
    /// A property has a value of the wrong type, outside its range, or in the wrong syntax.
    InvalidProperty,
    /// A PATCH tries to change a property that cannot be changed (for this target product).
    PropertyNotUpdateable,
}

impl InputErrorCode {
    /// The code's wire spelling (`MissingProperty`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            InputErrorCode::InvalidBody => "InvalidBody",
            InputErrorCode::MissingProperty => "MissingProperty",
            InputErrorCode::InvalidProperty => "InvalidProperty",
            InputErrorCode::PropertyNotUpdateable => "PropertyNotUpdateable",
        }
    }
}

impl fmt::Display for InputErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a tiIndicator body was rejected: a stable code, the property at fault (canonical spelling)
/// and a message for the caller that names the property and says what to send instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The reason, stable across releases.
    pub code: InputErrorCode,
    /// The property at fault, when one is.
    pub property: Option<String>,
    /// What is wrong and what is allowed instead.
    pub message: String,
}

impl InputError {
    /// `property` has a value that cannot be accepted.
    pub fn invalid(property: &str, message: impl Into<String>) -> Self {
        Self::at(InputErrorCode::InvalidProperty, property, message)
    }

    /// `property` is required but absent.
    pub fn missing(property: &str, message: impl Into<String>) -> Self {
        Self::at(InputErrorCode::MissingProperty, property, message)
    }

    /// None of a group of properties is present, though one is required.
    pub fn missing_one_of(message: impl Into<String>) -> Self {
        InputError {
            code: InputErrorCode::MissingProperty,
            property: None,
            message: message.into(),
        }
    }

    /// `property` cannot be changed by a PATCH.
    pub fn not_updateable(property: &str, message: impl Into<String>) -> Self {
        Self::at(InputErrorCode::PropertyNotUpdateable, property, message)
    }

    /// The body as a whole is unusable.
    pub fn body(message: impl Into<String>) -> Self {
        InputError {
            code: InputErrorCode::InvalidBody,
            property: None,
            message: message.into(),
        }
    }

    fn at(code: InputErrorCode, property: &str, message: impl Into<String>) -> Self {
        InputError {
            code,
            property: Some(property.to_string()),
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InputError {}
