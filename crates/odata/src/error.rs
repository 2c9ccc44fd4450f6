//! The one error type of this crate: which query option failed, where, and what to fix.

use std::fmt;

/// What went wrong, coarsely; the API maps every kind to a 400 with Graph's error body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The text does not follow the grammar.
    Syntax,
    /// A property name that the entity (or complex type) does not have.
    UnknownProperty,
    /// A property that exists but cannot be used where it was (not filterable, not sortable, not a
    /// collection under `any`, ...).
    InvalidUse,
    /// Operand types that cannot be compared or passed to a function.
    TypeMismatch,
    /// A literal that is malformed or not a member of its enum.
    InvalidValue,
    /// A `$`-option that OData does not define, or one given twice.
    UnknownOption,
    /// An option this service does not support (`$search`, `$apply`, ...).
    NotSupported,
    /// The expression nests deeper than the parser allows.
    TooDeep,
}

/// An error in a query option, carrying the byte position in the option's (decoded) value when there
/// is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ODataError {
    /// The query option it concerns, e.g. `$filter`.
    pub option: &'static str,
    /// Coarse classification.
    pub kind: ErrorKind,
    /// What is wrong and how to fix it, written for the caller.
    pub message: String,
    /// Byte offset in the option's decoded value where the problem starts.
    pub position: Option<usize>,
}

impl ODataError {
    /// A new error for `option`.
    pub fn new(option: &'static str, kind: ErrorKind, message: impl Into<String>) -> Self {
        ODataError {
            option,
            kind,
            message: message.into(),
            position: None,
        }
    }

    /// The same error, located at `position`.
    pub fn at(mut self, position: usize) -> Self {
        self.position = Some(position);
        self
    }
}

impl fmt::Display for ODataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(p) => write!(
                f,
                "Invalid {} at position {}: {}",
                self.option, p, self.message
            ),
            None => write!(f, "Invalid {}: {}", self.option, self.message),
        }
    }
}

impl std::error::Error for ODataError {}
