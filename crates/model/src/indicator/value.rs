//! Lenient readers for one JSON property value of a tiIndicator body. Each returns `None` for
//! `null` (the caller decides what `null` means) and an [`InputError`] naming the property and the
//! accepted forms otherwise.
//!
//! Leniency, chosen for the clients that really call this API (spec `clients.md` §3):
//! * integers: JSON numbers, integral floats (`3.0`), and numeric strings (`"443"` — MISP builds
//!   ports, sizes and AS numbers from its string attribute values); AS numbers may carry an `AS`
//!   prefix (`"AS13335"`);
//! * booleans: `true`/`false` or the strings `"true"`/`"false"` in any case;
//! * string collections: an array of strings, or one string taken as a one-item list (MISP's
//!   `malware-type` attribute becomes `malwareFamilyNames: "ransomware"`);
//! * date-times: see [`parse_lenient_date_time`];
//! * enum members: any case, plus the aliases in [`super::enums`]; `unknownFutureValue` is never
//!   accepted as input.

use super::error::InputError;
use crate::datetime;
use crate::wire_enum::WireEnum;
use serde_json::Value;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

/// Parses a date-time as clients send it: RFC 3339 with any fraction and `Z` or an offset; a date
/// alone (`2026-12-02` = midnight UTC); or a date and time separated by a space or `T` without an
/// offset (`2019-02-21 17:42:03`, Python's `str(datetime)`), read as UTC.
pub fn parse_lenient_date_time(s: &str) -> Result<OffsetDateTime, String> {
    let t = s.trim();
    if let Ok(d) = datetime::parse(t) {
        return Ok(d);
    }
    if let Ok(d) = Date::parse(t, format_description!("[year]-[month]-[day]")) {
        return Ok(d.midnight().assume_utc());
    }
    let t = t.replacen(' ', "T", 1);
    if let Ok(d) = datetime::parse(&t) {
        return Ok(d);
    }
    let naive = format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
    );
    PrimitiveDateTime::parse(&t, naive)
        .map(PrimitiveDateTime::assume_utc)
        .map_err(|_| {
            format!(
                "'{s}' is not a date-time; send ISO 8601 such as 2026-12-02T00:00:00Z \
                 (a date alone or a date and time without an offset is read as UTC)"
            )
        })
}

/// A JSON value as it appears in a message.
fn shown(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

/// A string.
pub(crate) fn string(name: &str, v: &Value) -> Result<Option<String>, InputError> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        other => Err(InputError::invalid(
            name,
            format!("Property '{name}' must be a string; got {}.", shown(other)),
        )),
    }
}

/// A string collection (one string is a one-item list).
pub(crate) fn strings(name: &str, v: &Value) -> Result<Vec<String>, InputError> {
    let err = |i: usize, item: &Value| {
        InputError::invalid(
            name,
            format!(
                "Property '{name}' must be an array of strings; item {i} is {}.",
                shown(item)
            ),
        )
    };
    match v {
        Value::Null => Ok(Vec::new()),
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                item.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| err(i, item))
            })
            .collect(),
        other => Err(InputError::invalid(
            name,
            format!(
                "Property '{name}' must be an array of strings; got {}.",
                shown(other)
            ),
        )),
    }
}

/// An integer in `min..=max`.
pub(crate) fn integer(
    name: &str,
    v: &Value,
    min: i64,
    max: i64,
) -> Result<Option<i64>, InputError> {
    let n = match v {
        Value::Null => return Ok(None),
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    match n {
        Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err(InputError::invalid(
            name,
            format!(
                "Property '{name}' must be an integer from {min} to {max}; got {}.",
                shown(v)
            ),
        )),
    }
}

/// An autonomous system number (0 to 4294967295), optionally written `AS13335`.
pub(crate) fn asn(name: &str, v: &Value) -> Result<Option<i64>, InputError> {
    let stripped = v.as_str().map(|s| {
        let t = s.trim();
        let digits = t
            .get(..2)
            .filter(|p| p.eq_ignore_ascii_case("AS"))
            .map(|_| &t[2..]);
        Value::String(digits.unwrap_or(t).to_string())
    });
    integer(name, stripped.as_ref().unwrap_or(v), 0, i64::from(u32::MAX))
}

/// A boolean.
pub(crate) fn boolean(name: &str, v: &Value) -> Result<Option<bool>, InputError> {
    match v {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(*b)),
        Value::String(s) if s.trim().eq_ignore_ascii_case("true") => Ok(Some(true)),
        Value::String(s) if s.trim().eq_ignore_ascii_case("false") => Ok(Some(false)),
        other => Err(InputError::invalid(
            name,
            format!(
                "Property '{name}' must be true or false; got {}.",
                shown(other)
            ),
        )),
    }
}

/// A date-time (see [`parse_lenient_date_time`]).
pub(crate) fn date_time(name: &str, v: &Value) -> Result<Option<OffsetDateTime>, InputError> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => parse_lenient_date_time(s)
            .map(Some)
            .map_err(|e| InputError::invalid(name, format!("Property '{name}': {e}."))),
        other => Err(InputError::invalid(
            name,
            format!(
                "Property '{name}' must be a date-time string such as 2026-12-02T00:00:00Z; got {}.",
                shown(other)
            ),
        )),
    }
}

/// The members a client may send (everything but `unknownFutureValue`), for messages.
pub(crate) fn settable_members<E: WireEnum>() -> String {
    E::enum_type()
        .members
        .iter()
        .copied()
        .filter(|m| *m != "unknownFutureValue")
        .collect::<Vec<_>>()
        .join(", ")
}

/// A member of `E` (any case, or one of `aliases`).
pub(crate) fn member<E: WireEnum>(
    name: &str,
    v: &Value,
    aliases: &[(&str, E)],
) -> Result<Option<E>, InputError> {
    let found = match v {
        Value::Null => return Ok(None),
        Value::String(s) => lookup(s.trim(), aliases),
        _ => None,
    };
    found.map(Some).ok_or_else(|| {
        InputError::invalid(
            name,
            format!(
                "Property '{name}' has value {}; use one of: {}.",
                shown(v),
                settable_members::<E>()
            ),
        )
    })
}

fn lookup<E: WireEnum>(s: &str, aliases: &[(&str, E)]) -> Option<E> {
    E::from_wire(s)
        .or_else(|| {
            aliases
                .iter()
                .find(|(a, _)| a.eq_ignore_ascii_case(s))
                .map(|(_, e)| *e)
        })
        .filter(|e| e.wire_str() != "unknownFutureValue")
}

/// A collection of members of `E` (one string is a one-item list).
pub(crate) fn members<E: WireEnum>(
    name: &str,
    v: &Value,
    aliases: &[(&str, E)],
) -> Result<Vec<E>, InputError> {
    let items = strings(name, v)?;
    items
        .iter()
        .map(|s| {
            lookup(s.trim(), aliases).ok_or_else(|| {
                InputError::invalid(
                    name,
                    format!(
                        "Property '{name}' has item '{s}'; each item must be one of: {}.",
                        settable_members::<E>()
                    ),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datetime::format;
    use serde_json::json;

    #[test]
    fn date_times_accept_rfc3339_date_only_and_naive_forms() {
        for (input, want) in [
            (
                "2019-03-01T21:43:37.5031462+00:00",
                "2019-03-01T21:43:37.5031462Z",
            ),
            ("2026-12-02", "2026-12-02T00:00:00.0000000Z"),
            ("2019-02-21 17:42:03", "2019-02-21T17:42:03.0000000Z"),
            ("2019-02-21 17:42:03.25", "2019-02-21T17:42:03.2500000Z"),
            ("2019-02-21T17:42:03", "2019-02-21T17:42:03.0000000Z"),
            ("2019-02-21 19:42:03+02:00", "2019-02-21T17:42:03.0000000Z"),
        ] {
            let got = parse_lenient_date_time(input).map(format);
            assert_eq!(got.as_deref(), Ok(want), "{input}");
        }
        for bad in ["2026-13-01", "yesterday", "2026-12-02 25:00:00", ""] {
            let e = parse_lenient_date_time(bad).unwrap_err();
            assert!(e.contains("send ISO 8601"), "{bad}: {e}");
        }
    }

    #[test]
    fn integers_accept_numbers_integral_floats_and_numeric_strings() {
        assert_eq!(integer("p", &json!(3), 0, 5), Ok(Some(3)));
        assert_eq!(integer("p", &json!(3.0), 0, 5), Ok(Some(3)));
        assert_eq!(integer("p", &json!(" 4 "), 0, 5), Ok(Some(4)));
        assert_eq!(integer("p", &json!(null), 0, 5), Ok(None));
        for bad in [json!(6), json!(-1), json!(2.5), json!("high"), json!(true)] {
            let e = integer("severity", &bad, 0, 5).unwrap_err();
            assert_eq!(
                e.message,
                format!("Property 'severity' must be an integer from 0 to 5; got {bad}.")
            );
        }
        assert_eq!(asn("a", &json!("AS13335")), Ok(Some(13335)));
        assert_eq!(asn("a", &json!("as13335")), Ok(Some(13335)));
        assert_eq!(asn("a", &json!(4_294_967_295_i64)), Ok(Some(4_294_967_295)));
        assert!(asn("a", &json!(4_294_967_296_i64)).is_err());
    }

    #[test]
    fn strings_booleans_and_collections() {
        assert_eq!(strings("t", &json!("one")), Ok(vec!["one".to_string()]));
        assert_eq!(strings("t", &json!(null)), Ok(vec![]));
        let e = strings("tags", &json!(["a", 1])).unwrap_err();
        assert_eq!(
            e.message,
            "Property 'tags' must be an array of strings; item 1 is 1."
        );
        assert_eq!(boolean("b", &json!("TRUE")), Ok(Some(true)));
        assert!(boolean("isActive", &json!(1)).is_err());
        assert!(string("description", &json!(5)).is_err());
    }
}
