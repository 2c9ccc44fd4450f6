//! Validation failures: every envelope's `validate` collects [`Problem`]s, each naming the member at
//! fault with a JSON-path-like location (`alerts[3].providerAlertId`) and saying what to send
//! instead, so one answer tells a vendor everything that is wrong.

use crate::PROTOCOL_VERSION;
use std::fmt;

/// One thing wrong with an envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where: a member path such as `actions[0].parameters[1].type`; empty for the body as a whole.
    pub path: String,
    /// What is wrong and what to do instead.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// A non-empty list of [`Problem`]s: the error of every validation in this crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The problems, in the order the members appear.
    pub problems: Vec<Problem>,
}

impl Invalid {
    /// One problem at `path`.
    pub fn at(path: impl Into<String>, message: impl Into<String>) -> Self {
        Invalid {
            problems: vec![Problem {
                path: path.into(),
                message: message.into(),
            }],
        }
    }

    /// True when some problem's path is `path` and its message contains `needle` (for tests and
    /// for callers that map particular problems to particular answers).
    pub fn mentions(&self, path: &str, needle: &str) -> bool {
        self.problems
            .iter()
            .any(|p| p.path == path && p.message.contains(needle))
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Invalid {}

/// Collects problems while an envelope is checked.
#[derive(Debug, Default)]
pub(crate) struct Problems(Vec<Problem>);

impl Problems {
    /// Records a problem.
    pub(crate) fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }

    /// Records the problems of a nested validation.
    pub(crate) fn extend(&mut self, r: Result<(), Invalid>) {
        if let Err(e) = r {
            self.0.extend(e.problems);
        }
    }

    /// `Ok` when nothing was recorded.
    pub(crate) fn finish(self) -> Result<(), Invalid> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Invalid { problems: self.0 })
        }
    }

    /// Checks `protocolVersion`.
    pub(crate) fn version(&mut self, v: u32) {
        if v != PROTOCOL_VERSION {
            self.push(
                "protocolVersion",
                format!("version {v} is not supported; send {PROTOCOL_VERSION}"),
            );
        }
    }

    /// Checks a required text: not blank, at most `max` characters, no control characters.
    pub(crate) fn text(&mut self, path: &str, value: &str, max: usize) {
        if value.trim().is_empty() {
            self.push(path, "must not be empty");
        } else {
            self.optional_text(path, value, max);
        }
    }

    /// Checks an optional text: at most `max` characters, no control characters.
    pub(crate) fn optional_text(&mut self, path: &str, value: &str, max: usize) {
        let n = value.chars().count();
        if n > max {
            self.push(path, format!("is {n} characters long; the limit is {max}"));
        } else if value.chars().any(char::is_control) {
            self.push(path, "must not contain control characters");
        }
    }

    /// Checks a name that is also an identifier: 1 to `max` ASCII letters and digits, starting with
    /// a letter (such as `blockIp` or `deviceId`).
    pub(crate) fn identifier(&mut self, path: &str, value: &str, max: usize) {
        let ok = value.len() <= max
            && value
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
            && value.chars().all(|c| c.is_ascii_alphanumeric());
        if !ok {
            self.push(
                path,
                format!(
                    "'{value}' is not a name; use 1 to {max} ASCII letters and digits starting \
                     with a letter, such as blockIp"
                ),
            );
        }
    }
}

/// `{base}[{i}]`.
pub(crate) fn item(base: &str, i: usize) -> String {
    format!("{base}[{i}]")
}
