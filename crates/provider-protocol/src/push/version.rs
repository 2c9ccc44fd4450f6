//! Provider versions and the ordering rule: an update is applied only when its version is newer than
//! the stored one, so pushes that arrive late, twice or out of order never overwrite a newer state.
//!
//! A version is either a non-negative integer that grows with every change of the alert
//! (`"version": 17`) or an RFC 3339 timestamp of the change (`"version": "2025-03-01T10:00:00.123Z"`).
//! A provider picks one kind per alert and keeps it: versions of different kinds cannot be ordered.
//!
//! | stored | incoming | decision |
//! |---|---|---|
//! | none | any | [`Decision::Create`] |
//! | `v` | newer than `v` | [`Decision::Apply`] |
//! | `v` | equal to `v` | [`Decision::Duplicate`]: a re-send of the same revision, reported `unchanged` |
//! | `v` | older than `v` | [`Decision::Stale`]: ignored, reported `stale` |
//! | `v` | the other kind | [`Decision::KindMismatch`]: reported `rejected` |

use super::AlertOutcome;
use model::datetime;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use time::OffsetDateTime;

/// A provider's version of one alert (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderVersion {
    /// A counter that grows with every change (a JSON number; keep it below 2^53 when the provider
    /// is written in JavaScript).
    Sequence(u64),
    /// The time of the change (a JSON string), compared as an instant whatever its offset.
    Timestamp(OffsetDateTime),
}

impl ProviderVersion {
    /// Orders two versions of the same kind; `None` for different kinds.
    pub fn compare(&self, other: &ProviderVersion) -> Option<Ordering> {
        match (self, other) {
            (ProviderVersion::Sequence(a), ProviderVersion::Sequence(b)) => Some(a.cmp(b)),
            (ProviderVersion::Timestamp(a), ProviderVersion::Timestamp(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }

    /// `integer` or `timestamp`, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            ProviderVersion::Sequence(_) => "integer",
            ProviderVersion::Timestamp(_) => "timestamp",
        }
    }
}

impl fmt::Display for ProviderVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProviderVersion::Sequence(n) => write!(f, "{n}"),
            ProviderVersion::Timestamp(t) => f.write_str(&datetime::format(*t)),
        }
    }
}

impl Serialize for ProviderVersion {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ProviderVersion::Sequence(n) => s.serialize_u64(*n),
            ProviderVersion::Timestamp(t) => s.serialize_str(&datetime::format(*t)),
        }
    }
}

impl<'de> Deserialize<'de> for ProviderVersion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(VersionVisitor)
    }
}

struct VersionVisitor;

const EXPECTED: &str =
    "a non-negative integer or an RFC 3339 timestamp such as 2025-03-01T10:00:00Z";

impl Visitor<'_> for VersionVisitor {
    type Value = ProviderVersion;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(EXPECTED)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<ProviderVersion, E> {
        Ok(ProviderVersion::Sequence(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<ProviderVersion, E> {
        u64::try_from(v)
            .map(ProviderVersion::Sequence)
            .map_err(|_| E::custom(format!("version {v} is negative; send {EXPECTED}")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<ProviderVersion, E> {
        Err(E::custom(format!(
            "version {v} is not an integer; send {EXPECTED}"
        )))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<ProviderVersion, E> {
        datetime::parse(v)
            .map(ProviderVersion::Timestamp)
            .map_err(|_| E::custom(format!("version '{v}' is not {EXPECTED}")))
    }
}

/// What to do with an incoming provider update of an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The alert is new: store it.
    Create,
    /// Newer than the stored version: replace the alert.
    Apply,
    /// Newer, but a local PATCH the provider has not yet applied wins for the properties it
    /// changed: replace the alert, then put those properties back (see [`super::race`]).
    ApplyKeepingLocal,
    /// The stored version again: nothing to do.
    Duplicate,
    /// Older than the stored version: ignore.
    Stale,
    /// Not comparable with the stored version: refuse.
    KindMismatch,
}

impl Decision {
    /// The per-alert result reported to the provider.
    pub fn outcome(self) -> AlertOutcome {
        match self {
            Decision::Create => AlertOutcome::Created,
            Decision::Apply | Decision::ApplyKeepingLocal => AlertOutcome::Updated,
            Decision::Duplicate => AlertOutcome::Unchanged,
            Decision::Stale => AlertOutcome::Stale,
            Decision::KindMismatch => AlertOutcome::Rejected,
        }
    }

    /// True when the incoming alert is written.
    pub fn writes(self) -> bool {
        matches!(
            self,
            Decision::Create | Decision::Apply | Decision::ApplyKeepingLocal
        )
    }
}

/// The ordering rule (see the module table).
pub fn order(stored: Option<&ProviderVersion>, incoming: &ProviderVersion) -> Decision {
    let Some(stored) = stored else {
        return Decision::Create;
    };
    match incoming.compare(stored) {
        None => Decision::KindMismatch,
        Some(Ordering::Greater) => Decision::Apply,
        Some(Ordering::Equal) => Decision::Duplicate,
        Some(Ordering::Less) => Decision::Stale,
    }
}

/// The reason reported with [`Decision::KindMismatch`].
pub fn kind_mismatch_reason(stored: &ProviderVersion, incoming: &ProviderVersion) -> String {
    format!(
        "version {incoming} is a {} but the stored version {stored} is a {}; keep one kind of \
         version per alert",
        incoming.kind(),
        stored.kind()
    )
}
