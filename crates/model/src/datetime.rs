//! Graph's `Edm.DateTimeOffset` on the wire: we emit UTC with seven fractional digits
//! (`2021-04-27T12:19:27.7211305Z`) and accept zero to seven (or more, truncated to nanoseconds)
//! fractional digits with `Z` or a `±hh:mm` offset, as the SDKs send them.

use serde::{Deserialize, Deserializer, Serializer};
use std::fmt::Write;
use time::{format_description::well_known::Rfc3339, OffsetDateTime, UtcOffset};

/// Formats `t` as Graph does: UTC, seven fractional digits, `Z`.
pub fn format(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    let mut s = String::with_capacity(28);
    let _ = write!(
        s,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:07}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.nanosecond() / 100
    );
    s
}

/// Parses an RFC 3339 date-time with any number of fractional digits and `Z`, `z` or `±hh:mm`.
pub fn parse(s: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(s.trim(), &Rfc3339).map_err(|e| {
        format!("'{s}' is not an ISO 8601 date-time such as 2024-01-31T12:00:00Z ({e})")
    })
}

/// Serde adapter for `OffsetDateTime` fields.
pub mod required {
    use super::*;

    pub fn serialize<S: Serializer>(t: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(*t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Serde adapter for `Option<OffsetDateTime>` fields (`null` when absent).
pub mod optional {
    use super::*;

    pub fn serialize<S: Serializer>(t: &Option<OffsetDateTime>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&format(*t)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        let s = Option::<std::borrow::Cow<'de, str>>::deserialize(d)?;
        match s {
            Some(s) if !s.trim().is_empty() => {
                parse(&s).map(Some).map_err(serde::de::Error::custom)
            }
            _ => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emits_seven_digits_in_utc() {
        let t = parse("2021-04-27T14:19:27.72113+02:00").unwrap();
        assert_eq!(format(t), "2021-04-27T12:19:27.7211300Z");
    }

    #[test]
    fn accepts_zero_to_seven_digits_and_offsets() {
        for s in [
            "2026-12-31T21:44:03+00:00",
            "2026-12-01T18:23:45.935000+00:00",
            "2026-12-01T00:00:00.000Z",
            "2021-04-27T12:19:27.7211305Z",
        ] {
            parse(s).unwrap();
        }
        assert!(parse("2026-12-02").is_err());
    }
}
