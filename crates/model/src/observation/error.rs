//! [`ObservationError`]: why one event (one NDJSON line) yields no [`super::Observation`]. It is a
//! value, because the ingestion endpoint reports each line's outcome and carries on.

use std::fmt;

/// The reason, for programs (the message is for people).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObservationErrorKind {
    /// The line is empty or only whitespace.
    EmptyLine,
    /// The line is not valid JSON.
    InvalidJson,
    /// The line is valid JSON but not an object (an array, a string, …).
    NotAnObject,
    /// The event is an object but has no IP address, domain, URL, file hash or e-mail address
    /// that could be read (Suricata `stats` records, for instance).
    NothingMatchable,
}

impl ObservationErrorKind {
    /// A stable camelCase name (`invalidJson`, …) for per-line results.
    pub const fn as_str(self) -> &'static str {
        match self {
            ObservationErrorKind::EmptyLine => "emptyLine",
            ObservationErrorKind::InvalidJson => "invalidJson",
            ObservationErrorKind::NotAnObject => "notAnObject",
            ObservationErrorKind::NothingMatchable => "nothingMatchable",
        }
    }
}

impl fmt::Display for ObservationErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why one event yields no observation: a kind and a message that says what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservationError {
    /// The reason.
    pub kind: ObservationErrorKind,
    /// For the sender: what is wrong and what to send instead.
    pub message: String,
}

impl ObservationError {
    pub(crate) fn new(kind: ObservationErrorKind, message: impl Into<String>) -> Self {
        ObservationError {
            kind,
            message: message.into(),
        }
    }

    pub(crate) fn empty_line() -> Self {
        Self::new(
            ObservationErrorKind::EmptyLine,
            "line is empty; send one JSON event object per line",
        )
    }

    pub(crate) fn invalid_json(e: &serde_json::Error) -> Self {
        Self::new(
            ObservationErrorKind::InvalidJson,
            format!("line is not valid JSON ({e}); send one JSON event object per line"),
        )
    }

    /// `noun` is `line` or `event`; `what` names the JSON type that was sent (`an array`, …).
    pub(crate) fn not_an_object(noun: &str, what: &str) -> Self {
        Self::new(
            ObservationErrorKind::NotAnObject,
            format!(
                "{noun} is not a JSON object (it is {what}); send one event object per line, \
                 such as {{\"type\":\"dns\",\"dns\":{{\"question\":{{\"name\":\"example.com\"}}}}}}"
            ),
        )
    }
}

impl fmt::Display for ObservationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ObservationError {}
