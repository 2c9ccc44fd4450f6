//! [`OpenEnum`]: an enum value that keeps members this schema does not know.
//!
//! Evidence and legacy sub-records come from many providers and newer Graph versions; a member we have
//! never heard of must not make a whole alert unreadable. Such a value is kept as the string it came
//! as and written back unchanged; known members are matched case-insensitively and written in Graph's
//! camelCase.

use crate::wire_enum::WireEnum;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// A member of `E`, or a string that is not one of its members.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OpenEnum<E> {
    /// A declared member.
    Known(E),
    /// A value that is not a declared member, exactly as it came.
    Unknown(String),
}

impl<E: WireEnum> OpenEnum<E> {
    /// Parses `s`: a member (any case) or, failing that, the raw string.
    pub fn parse(s: &str) -> Self {
        match E::from_wire(s) {
            Some(e) => OpenEnum::Known(e),
            None => OpenEnum::Unknown(s.to_string()),
        }
    }

    /// The member, if the value is a declared one.
    pub fn known(&self) -> Option<E> {
        match self {
            OpenEnum::Known(e) => Some(*e),
            OpenEnum::Unknown(_) => None,
        }
    }

    /// The wire string: Graph's spelling of a member, or the raw value.
    pub fn as_str(&self) -> &str {
        match self {
            OpenEnum::Known(e) => e.wire_str(),
            OpenEnum::Unknown(s) => s,
        }
    }

    /// True when callers that did not opt into evolvable members must see `unknownFutureValue`
    /// instead: a member declared after the sentinel, or an unknown value of an evolvable enum (which
    /// can only be a member newer than our schema).
    pub fn is_evolvable(&self) -> bool {
        let ty = E::enum_type();
        match self {
            OpenEnum::Known(e) => ty.is_evolvable_member(e.wire_str()),
            OpenEnum::Unknown(_) => ty.sentinel_index().is_some(),
        }
    }
}

impl<E> From<E> for OpenEnum<E> {
    fn from(e: E) -> Self {
        OpenEnum::Known(e)
    }
}

impl<E: WireEnum> fmt::Display for OpenEnum<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<E: WireEnum> Serialize for OpenEnum<E> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de, E: WireEnum> Deserialize<'de> for OpenEnum<E> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<'de, str>::deserialize(d)?;
        Ok(OpenEnum::parse(&s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::EvidenceRemediationStatus as Status;

    #[test]
    fn known_members_match_any_case_and_unknown_ones_are_kept() {
        let v: Vec<OpenEnum<Status>> =
            serde_json::from_str(r#"["Remediated","quarantined"]"#).unwrap();
        assert_eq!(v[0], OpenEnum::Known(Status::Remediated));
        assert_eq!(v[1], OpenEnum::Unknown("quarantined".into()));
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"["remediated","quarantined"]"#
        );
    }

    #[test]
    fn evolvable_means_after_the_sentinel_or_unknown() {
        assert!(OpenEnum::Known(Status::Active).is_evolvable());
        assert!(!OpenEnum::Known(Status::Blocked).is_evolvable());
        assert!(OpenEnum::<Status>::Unknown("x".into()).is_evolvable());
    }
}
