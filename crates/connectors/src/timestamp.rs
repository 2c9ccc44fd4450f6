//! Event time stamps as Suricata and Wazuh write them.
//!
//! | form | example |
//! |---|---|
//! | offset without a colon (Suricata `timestamp`, Wazuh `timestamp`) | `2011-08-12T14:52:57.716360+0200`, `2022-07-12T05:52:18.378379-0000` |
//! | RFC 3339 (indexer `@timestamp`) | `2024-02-15T19:05:11.486Z`, `…+02:00` |
//!
//! A value like `"{timestamp}"` (Wazuh's sample-alert templates) is a placeholder, reported as
//! [`ConnectorError::Placeholder`] rather than as an unreadable time.

use crate::error::ConnectorError;
use crate::record::Record;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// What a time stamp field must hold.
const EXPECTED: &str = "a time stamp such as 2024-01-01T10:00:00.000+0000";

/// The required time stamp at `path`.
pub(crate) fn required(rec: &Record<'_>, path: &str) -> Result<OffsetDateTime, ConnectorError> {
    let value = rec.require(path, EXPECTED)?;
    let Some(text) = value.as_str() else {
        return Err(rec.invalid(path, EXPECTED, value));
    };
    if is_placeholder(text) {
        return Err(ConnectorError::Placeholder {
            field: rec.field(path),
            value: text.to_string(),
        });
    }
    parse(text).ok_or_else(|| rec.invalid(path, EXPECTED, value))
}

/// Parses either form of the module table.
pub(crate) fn parse(text: &str) -> Option<OffsetDateTime> {
    let t = text.trim();
    OffsetDateTime::parse(t, &Rfc3339)
        .ok()
        .or_else(|| with_offset_colon(t).and_then(|f| OffsetDateTime::parse(&f, &Rfc3339).ok()))
}

/// `…+0200` → `…+02:00`; `None` when `t` does not end in a four-digit offset.
fn with_offset_colon(t: &str) -> Option<String> {
    let split = t.len().checked_sub(5)?;
    let (head, offset) = (t.get(..split)?, t.get(split..)?);
    let mut chars = offset.chars();
    let sign = chars.next()?;
    let digits = chars.as_str();
    let ok = matches!(sign, '+' | '-')
        && digits.bytes().all(|b| b.is_ascii_digit())
        && head.ends_with(|c: char| c.is_ascii_digit());
    ok.then(|| format!("{head}{sign}{}:{}", &digits[..2], &digits[2..]))
}

/// True for an unfilled template variable: `{name}` with a word inside.
pub(crate) fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    t.len() > 2
        && t.starts_with('{')
        && t.ends_with('}')
        && t[1..t.len() - 1]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'@' | b'.' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::datetime::format;

    fn utc(s: &str) -> String {
        format(parse(s).unwrap_or_else(|| panic!("{s} did not parse")))
    }

    #[test]
    fn both_forms_parse_to_the_same_instant() {
        assert_eq!(
            utc("2011-08-12T14:52:57.716360+0200"),
            "2011-08-12T12:52:57.7163600Z"
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
    }

    #[test]
    fn placeholders_and_nonsense_are_told_apart() {
        assert!(is_placeholder("{timestamp}"));
        assert!(!is_placeholder("{}"));
        assert!(!is_placeholder("2024-01-01T00:00:00Z"));
        for bad in [
            "{timestamp}",
            "",
            "+0200",
            "2024-13-01T00:00:00+0000",
            "yesterday",
        ] {
            assert!(parse(bad).is_none(), "{bad}");
        }
    }
}
