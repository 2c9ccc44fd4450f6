//! Event time stamps as products write them.
//!
//! | form | example | from |
//! |---|---|---|
//! | RFC 3339 | `2024-02-15T19:05:11.486Z`, `…+02:00` | ECS `@timestamp`, native `time` |
//! | offset without a colon | `2017-05-18T15:41:45.123456+0200`, `…-0000` | Suricata, Wazuh `timestamp` |
//! | no offset (read as UTC) | `2019-02-21 17:42:03`, `2019-02-21T17:42:03` | hand-written events |
//! | epoch milliseconds | `1708023911486` (number or digit string) | OCSF `time` |
//! | epoch seconds | `1708023911`, `1708023911.486` | Zeek-style `ts` values sent as `time` |
//!
//! An epoch number is read as milliseconds when its magnitude is at least 10^11 (which as seconds
//! would be the year 5138), as seconds otherwise.

use super::fields::Leaf;
use crate::indicator::parse_lenient_date_time;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Epoch values at or above this magnitude are milliseconds.
const MILLIS_FROM: f64 = 1e11;

/// Reads a time stamp value; `None` when it is not one of the accepted forms.
pub(crate) fn parse_leaf(leaf: &Leaf<'_>) -> Option<OffsetDateTime> {
    match leaf {
        Leaf::Str(s) => parse_text(s),
        Leaf::Int(n) => from_epoch_int(i128::from(*n)),
        Leaf::UInt(n) => from_epoch_int(i128::from(*n)),
        Leaf::Float(f) => from_epoch(*f),
        Leaf::Bool(_) => None,
    }
}

/// Reads a time stamp string (see the module table).
pub(crate) fn parse_text(s: &str) -> Option<OffsetDateTime> {
    let t = s.trim();
    if let Ok(d) = OffsetDateTime::parse(t, &Rfc3339) {
        return Some(d);
    }
    if let Some(d) = parse_colonless(t) {
        return Some(d);
    }
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return t
            .parse::<i64>()
            .ok()
            .and_then(|n| from_epoch_int(i128::from(n)));
    }
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return t.parse::<f64>().ok().and_then(from_epoch);
    }
    parse_lenient_date_time(t).ok()
}

/// `…+0200` → `…+02:00` (Suricata, Wazuh), parsed; `None` when `t` does not end in such an
/// offset. Rewritten in a stack buffer: this is every Suricata event's time stamp.
fn parse_colonless(t: &str) -> Option<OffsetDateTime> {
    let b = t.as_bytes();
    let n = b.len();
    if !(6..64).contains(&n) || !matches!(b[n - 5], b'+' | b'-') || !b[n - 6].is_ascii_digit() {
        return None;
    }
    if !b[n - 4..].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut buf = [0u8; 64];
    buf[..n - 2].copy_from_slice(&b[..n - 2]);
    buf[n - 2] = b':';
    buf[n - 1..=n].copy_from_slice(&b[n - 2..]);
    let fixed = std::str::from_utf8(&buf[..=n]).ok()?;
    OffsetDateTime::parse(fixed, &Rfc3339).ok()
}

/// Seconds or milliseconds since 1970, exactly (see the module docs).
fn from_epoch_int(n: i128) -> Option<OffsetDateTime> {
    let unit: i128 = if n.abs() >= MILLIS_FROM as i128 {
        1_000_000
    } else {
        1_000_000_000
    };
    OffsetDateTime::from_unix_timestamp_nanos(n.checked_mul(unit)?).ok()
}

/// Seconds or milliseconds since 1970 with a fraction.
fn from_epoch(x: f64) -> Option<OffsetDateTime> {
    if !x.is_finite() || x.abs() >= 1e17 {
        return None;
    }
    let unit = if x.abs() >= MILLIS_FROM { 1e6 } else { 1e9 };
    let whole = x.trunc();
    let nanos = whole as i128 * unit as i128 + ((x - whole) * unit).round() as i128;
    OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn utc(s: &str) -> String {
        let t = parse_text(s).unwrap_or_else(|| panic!("{s} did not parse"));
        crate::datetime::format(t)
    }

    #[test]
    fn every_documented_form_parses() {
        assert_eq!(
            utc("2017-05-18T15:41:45.123456+0200"),
            "2017-05-18T13:41:45.1234560Z"
        );
        assert_eq!(
            utc("2022-07-12T05:52:18.378379-0000"),
            "2022-07-12T05:52:18.3783790Z"
        );
        assert_eq!(
            utc("2024-02-15T16:05:11.486-0300"),
            "2024-02-15T19:05:11.4860000Z"
        );
        assert_eq!(
            utc("2024-02-15T19:05:11.486Z"),
            "2024-02-15T19:05:11.4860000Z"
        );
        assert_eq!(
            utc("2024-02-15T21:05:11+02:00"),
            "2024-02-15T19:05:11.0000000Z"
        );
        assert_eq!(utc("2019-02-21 17:42:03"), "2019-02-21T17:42:03.0000000Z");
        assert_eq!(utc("1708023911486"), "2024-02-15T19:05:11.4860000Z");
        assert_eq!(utc("1708023911"), "2024-02-15T19:05:11.0000000Z");
        let ms = parse_leaf(&Leaf::Int(1_708_023_911_486)).map(crate::datetime::format);
        assert_eq!(ms.as_deref(), Some("2024-02-15T19:05:11.4860000Z"));
        let s = parse_leaf(&Leaf::Float(1_708_023_911.5)).map(crate::datetime::format);
        assert_eq!(s.as_deref(), Some("2024-02-15T19:05:11.5000000Z"));
    }

    #[test]
    fn placeholders_and_nonsense_do_not_parse() {
        for bad in [
            "{timestamp}",
            "",
            "yesterday",
            "2024-13-01T00:00:00Z",
            "+0200",
        ] {
            assert!(parse_text(bad).is_none(), "{bad}");
        }
        assert!(parse_leaf(&Leaf::Bool(true)).is_none());
        assert!(parse_leaf(&Leaf::Float(f64::INFINITY)).is_none());
        assert!(parse_leaf(&Leaf::Str(Cow::Borrowed("1e400"))).is_none());
    }
}
