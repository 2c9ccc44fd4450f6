//! ISO 8601 dates and date-times as OData writes them, parsed and printed by hand (no regex, no
//! allocation on success).
//!
//! Accepted: `YYYY-MM-DD` and `YYYY-MM-DDThh:mm[:ss[.f…]]` followed by `Z` or `±hh:mm`. Any number of
//! fractional digits is accepted; digits past the ninth (nanoseconds) are ignored. `T` and `Z` may be
//! lower case. A date-time without an offset is refused: its instant would be ambiguous.

use std::fmt;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// Why a date or date-time did not parse: the byte offset inside the text and what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateTimeError {
    /// Offset of the problem relative to the start of the parsed text.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

fn fail<T>(offset: usize, message: impl Into<String>) -> Result<T, DateTimeError> {
    Err(DateTimeError {
        offset,
        message: message.into(),
    })
}

/// Reads exactly `n` ASCII digits at `at`.
fn digits(b: &[u8], at: usize, n: usize, what: &str) -> Result<u32, DateTimeError> {
    let mut v = 0u32;
    for i in at..at + n {
        match b.get(i) {
            Some(c) if c.is_ascii_digit() => v = v * 10 + u32::from(c - b'0'),
            _ => return fail(i, format!("expected {n} digits for the {what}")),
        }
    }
    Ok(v)
}

fn expect_byte(b: &[u8], at: usize, want: u8, what: &str) -> Result<(), DateTimeError> {
    if b.get(at) == Some(&want) {
        Ok(())
    } else {
        fail(at, format!("expected '{}' {what}", want as char))
    }
}

/// Parses the `YYYY-MM-DD` that starts `b` (its first 10 bytes).
fn date_prefix(b: &[u8]) -> Result<Date, DateTimeError> {
    let year = digits(b, 0, 4, "year")?;
    expect_byte(b, 4, b'-', "after the year")?;
    let month = digits(b, 5, 2, "month")?;
    expect_byte(b, 7, b'-', "after the month")?;
    let day = digits(b, 8, 2, "day")?;
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(|| DateTimeError {
            offset: 5,
            message: format!("month {month:02} does not exist"),
        })?;
    // year < 10_000 and day < 100: both conversions are exact.
    let (year, day) = (year as i32, day as u8);
    Date::from_calendar_date(year, month, day).or_else(|_| {
        fail(
            8,
            format!(
                "{year:04}-{:02}-{day:02} is not a day of the calendar",
                month as u8
            ),
        )
    })
}

/// Parses a whole date, `YYYY-MM-DD`.
pub(crate) fn parse_date(text: &str) -> Result<Date, DateTimeError> {
    let b = text.as_bytes();
    let date = date_prefix(b)?;
    if b.len() > 10 {
        return fail(10, "unexpected text after the date");
    }
    Ok(date)
}

/// Parses a whole date-time, `YYYY-MM-DDThh:mm[:ss[.fraction]](Z|±hh:mm)`.
pub(crate) fn parse_date_time(text: &str) -> Result<OffsetDateTime, DateTimeError> {
    let b = text.as_bytes();
    let date = date_prefix(b)?;
    if !matches!(b.get(10), Some(b'T' | b't')) {
        return fail(10, "expected 'T' between the date and the time");
    }
    let hour = digits(b, 11, 2, "hour")?;
    expect_byte(b, 13, b':', "after the hour")?;
    let minute = digits(b, 14, 2, "minute")?;
    let (mut second, mut nanos, mut at) = (0, 0, 16);
    if b.get(at) == Some(&b':') {
        second = digits(b, 17, 2, "second")?;
        at = 19;
        if b.get(at) == Some(&b'.') {
            (nanos, at) = fraction(b, at + 1)?;
        }
    }
    let time = u8::try_from(hour)
        .ok()
        .zip(u8::try_from(minute).ok())
        .zip(u8::try_from(second).ok())
        .and_then(|((h, m), s)| Time::from_hms_nano(h, m, s, nanos).ok())
        .ok_or_else(|| DateTimeError {
            offset: 11,
            message: format!("{hour:02}:{minute:02}:{second:02} is not a time of day"),
        })?;
    let offset = offset(b, at)?;
    Ok(PrimitiveDateTime::new(date, time).assume_offset(offset))
}

/// Reads the fractional-second digits starting at `at`; returns nanoseconds and the next offset.
fn fraction(b: &[u8], at: usize) -> Result<(u32, usize), DateTimeError> {
    let mut end = at;
    let mut nanos = 0u32;
    while let Some(c) = b.get(end).filter(|c| c.is_ascii_digit()) {
        if end - at < 9 {
            nanos = nanos * 10 + u32::from(c - b'0');
        }
        end += 1;
    }
    if end == at {
        return fail(at, "expected digits after the '.' of the seconds");
    }
    for _ in (end - at)..9 {
        nanos *= 10;
    }
    Ok((nanos, end))
}

/// Reads `Z` or `±hh:mm` at `at`, which must end the text.
fn offset(b: &[u8], at: usize) -> Result<UtcOffset, DateTimeError> {
    let (offset, end) = match b.get(at) {
        Some(b'Z' | b'z') => (UtcOffset::UTC, at + 1),
        Some(sign @ (b'+' | b'-')) => {
            let h = digits(b, at + 1, 2, "offset hours")?;
            expect_byte(b, at + 3, b':', "in the offset")?;
            let m = digits(b, at + 4, 2, "offset minutes")?;
            let sign: i8 = if *sign == b'-' { -1 } else { 1 };
            let parts = i8::try_from(h).ok().zip(i8::try_from(m).ok());
            let offset = parts
                .and_then(|(h, m)| UtcOffset::from_hms(sign * h, sign * m, 0).ok())
                .filter(|_| h < 24 && m < 60)
                .ok_or_else(|| DateTimeError {
                    offset: at,
                    message: "the offset is out of range".into(),
                })?;
            (offset, at + 6)
        }
        _ => {
            return fail(
                at,
                "the date-time has no time zone; end it with 'Z' for UTC or an offset such as \
                 +01:00 (in a URL, '+' is written %2B)",
            )
        }
    };
    if end < b.len() {
        return fail(end, "unexpected text after the date-time");
    }
    Ok(offset)
}

/// Prints a date-time as ISO 8601 with `Z` for UTC and only the fractional digits it needs.
pub(crate) struct Iso(pub OffsetDateTime);

impl fmt::Display for Iso {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dt = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            dt.year(),
            dt.month() as u8,
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second()
        )?;
        let nanos = dt.nanosecond();
        if nanos != 0 {
            let digits = format!("{nanos:09}");
            write!(f, ".{}", digits.trim_end_matches('0'))?;
        }
        let off = dt.offset();
        if off.is_utc() {
            f.write_str("Z")
        } else {
            let (h, m, _) = off.as_hms();
            let sign = if off.is_negative() { '-' } else { '+' };
            write!(f, "{sign}{:02}:{:02}", h.abs(), m.abs())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> String {
        parse_date_time(s)
            .map(|d| Iso(d).to_string())
            .unwrap_or_else(|e| format!("{e:?}"))
    }

    #[test]
    fn fractions_from_none_to_more_than_nine_digits() {
        assert_eq!(dt("2024-01-01T00:00:00Z"), "2024-01-01T00:00:00Z");
        assert_eq!(dt("2024-01-01T00:00:00.5Z"), "2024-01-01T00:00:00.5Z");
        assert_eq!(
            dt("2021-04-27T12:19:27.7211305Z"),
            "2021-04-27T12:19:27.7211305Z"
        );
        assert_eq!(
            dt("2024-01-01T00:00:00.1234567891234Z"),
            "2024-01-01T00:00:00.123456789Z"
        );
    }

    #[test]
    fn offsets_and_optional_seconds() {
        assert_eq!(dt("2024-01-01T10:30+01:00"), "2024-01-01T10:30:00+01:00");
        assert_eq!(dt("2026-12-31t21:44:03-05:30"), "2026-12-31T21:44:03-05:30");
        assert_eq!(dt("2024-01-01T00:00:00z"), "2024-01-01T00:00:00Z");
    }

    #[test]
    fn invalid_components_are_located() {
        let e = parse_date_time("2024-02-30T00:00:00Z").unwrap_err();
        assert_eq!(e.offset, 8);
        let e = parse_date_time("2024-01-01T25:00:00Z").unwrap_err();
        assert_eq!(e.offset, 11);
        let e = parse_date_time("2024-01-01T00:00:00").unwrap_err();
        assert_eq!(e.offset, 19);
        let e = parse_date_time("2024-01-01T00:00:00+24:00").unwrap_err();
        assert_eq!(e.offset, 19);
        assert!(parse_date("2024-13-01").is_err());
        assert!(parse_date("2024-01-01x").is_err());
        assert_eq!(
            parse_date("2024-02-29").map(|d| d.to_string()),
            Ok("2024-02-29".into())
        );
    }
}
