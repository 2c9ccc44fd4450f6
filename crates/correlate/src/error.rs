//! The errors of the engine's manual operations and of configuration checks.

use crate::change::IncidentKey;
use thiserror::Error;

/// Why a manual operation ([`crate::Engine::link`], [`crate::Engine::unlink`],
/// [`crate::Engine::merge`]) was refused. Nothing changed when one is returned.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CorrelateError {
    /// The engine holds no alert with this id (never ingested, or evicted).
    #[error("no alert '{0}' in the correlation window")]
    UnknownAlert(String),
    /// The engine holds no incident with this key (never opened, or evicted).
    #[error("no incident {0} in the correlation window")]
    UnknownIncident(IncidentKey),
    /// An incident cannot be merged into itself (or into an incident already merged into it).
    #[error("incident {0} cannot be merged into itself")]
    MergeIntoSelf(IncidentKey),
}

/// What is wrong with a [`crate::Config`] ([`crate::Config::validate`]).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// The window is zero or negative.
    #[error("window must be positive")]
    Window,
    /// More rules than [`crate::config::MAX_RULES`].
    #[error("{0} rules; at most 255 are allowed")]
    TooManyRules(usize),
    /// A rule without a name (its position).
    #[error("rule {0} has no name")]
    RuleName(usize),
    /// Two rules share a name.
    #[error("two rules are named '{0}'")]
    DuplicateRule(String),
    /// A rule's `min_kinds` is 0 or more than its distinct kinds.
    #[error("rule '{0}': min_kinds must be between 1 and the number of its distinct entity kinds")]
    MinKinds(String),
    /// A rule's window is not positive or exceeds the configuration's window.
    #[error("rule '{0}': window must be positive and at most the configuration's window")]
    RuleWindow(String),
    /// `frequency_cap` or `entity_cap` is 0.
    #[error("frequency_cap and entity_cap must be at least 1")]
    Cap,
    /// A stop-list IP block does not parse.
    #[error("stop_list.ip_ranges: '{0}' is not an address block such as 10.0.0.0/8")]
    IpRange(String),
}
