//! Where a stored alerts_v2 document holds evolvable enum members (members declared after
//! `unknownFutureValue`, shown only to callers that send `Prefer: include-unknown-enum-members`).
//!
//! Found once, at write time, by [`model::evolvable_spans`] (one pass over the text guided by the
//! schema), and stored as the byte ranges of those string values (`"12-29,804-810"`); an alert
//! without such members stores `NULL`. A read then shows the default view by splicing
//! `unknownFutureValue` into those ranges, without parsing the document. If the pass cannot follow
//! the text the column holds `*` and readers fall back to the full rewrite.

use std::fmt::Write;
use std::ops::Range;

/// What readers splice into each range.
pub(crate) const HIDDEN: &str = "unknownFutureValue";
/// The column value that asks readers to rewrite the document by parsing it.
const REWRITE: &str = "*";

/// The column value for `doc` (canonical serde_json output of an alert): `None` when it holds no
/// evolvable member.
pub(crate) fn encode_spans(doc: &str) -> Option<String> {
    let Some(spans) = model::evolvable_spans(doc) else {
        return Some(REWRITE.to_owned());
    };
    if spans.is_empty() {
        return None;
    }
    Some(format_spans(&spans))
}

/// The column value of `spans` (`"12-29,804-810"`).
fn format_spans(spans: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(spans.len() * 10);
    for (i, r) in spans.iter().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        // Writing into a String cannot fail.
        let _ = write!(out, "{sep}{}-{}", r.start, r.end);
    }
    out
}

/// The column value `spans` after replacements of `from` bytes by `to` bytes at `at` (ascending,
/// offsets into the document before the replacements): each range moves by the growth of the
/// replacements before it. `None` when the column is not a list of ranges or a replacement
/// overlaps a range (the caller then scans the new document with [`encode_spans`]).
pub(crate) fn shift_spans(spans: &str, at: &[usize], from: usize, to: usize) -> Option<String> {
    let mut ranges = decode_spans(spans)?;
    for r in &mut ranges {
        let before = at.iter().take_while(|&&a| a < r.start).count();
        let overlaps_end = at.get(before).is_some_and(|&a| a < r.end);
        let overlaps_start = before > 0 && at[before - 1] + from > r.start;
        if overlaps_end || overlaps_start {
            return None;
        }
        let shift = |x: usize| (x + before * to).checked_sub(before * from);
        *r = shift(r.start)?..shift(r.end)?;
    }
    Some(format_spans(&ranges))
}

/// Parses a column value; `None` means "rewrite by parsing".
pub(crate) fn decode_spans(text: &str) -> Option<Vec<Range<usize>>> {
    text.split(',')
        .map(|pair| {
            let (a, b) = pair.split_once('-')?;
            let (a, b) = (a.parse().ok()?, b.parse().ok()?);
            (a <= b).then_some(a..b)
        })
        .collect()
}

/// `json` with each range replaced by `unknownFutureValue`; `None` if a range does not fit.
pub(crate) fn apply_spans(json: &str, spans: &[Range<usize>]) -> Option<String> {
    let mut out = String::with_capacity(json.len() + spans.len() * HIDDEN.len());
    write_spans(&mut out, json, 0, spans).then_some(out)
}

/// Appends `json[from..]` to `out` with each range (offsets into `json`, none before `from`)
/// replaced by `unknownFutureValue`. False, with nothing appended, if a range does not fit.
pub(crate) fn write_spans(
    out: &mut String,
    json: &str,
    from: usize,
    spans: &[Range<usize>],
) -> bool {
    let on_boundary = |i: usize| json.is_char_boundary(i);
    let fits = spans.iter().try_fold(from, |at, r| {
        (at <= r.start && r.start <= r.end && on_boundary(r.start) && on_boundary(r.end))
            .then_some(r.end)
    });
    if fits.is_none() || !on_boundary(from) {
        return false;
    }
    let mut at = from;
    for r in spans {
        out.push_str(&json[at..r.start]);
        out.push_str(HIDDEN);
        at = r.end;
    }
    out.push_str(&json[at..]);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splicing_the_spans_equals_the_full_rewrite() {
        let doc = r#"{"id":"a","serviceSource":"microsoftSentinel","title":"x \"q\"","evidence":[{"remediationStatus":"active","verdict":"malicious"}],"detectionSource":"antivirus"}"#;
        let spans = decode_spans(&encode_spans(doc).unwrap()).unwrap();
        assert_eq!(spans.len(), 2);
        let mut v: serde_json::Value = serde_json::from_str(doc).unwrap();
        model::hide_evolvable_members(&mut v);
        assert_eq!(apply_spans(doc, &spans).unwrap(), v.to_string());
    }

    #[test]
    fn text_the_pass_cannot_follow_asks_for_a_rewrite() {
        assert_eq!(decode_spans(REWRITE), None);
        assert_eq!(encode_spans(r#"{"a":"#).as_deref(), Some(REWRITE));
        assert_eq!(
            encode_spans(r#"{"serviceSource":"microsoftDefenderForEndpoint"}"#),
            None
        );
        assert!(apply_spans("abc", &[0..1, 2..9]).is_none());
    }

    #[test]
    fn writing_from_an_offset_appends_the_rest_or_nothing() {
        let doc = r#"{"id":"a","serviceSource":"microsoftSentinel"}"#;
        let spans = decode_spans(&encode_spans(doc).unwrap()).unwrap();
        let mut out = String::from("[");
        assert!(write_spans(&mut out, doc, 1, &spans));
        assert_eq!(out, r#"["id":"a","serviceSource":"unknownFutureValue"}"#);
        // A range before the offset, past the end or reversed leaves the buffer untouched.
        for (start, end) in [(0, 2), (40, 99), (30, 20)] {
            let bad = [Range { start, end }];
            let mut out = String::from("[");
            assert!(!write_spans(&mut out, doc, 1, &bad), "{bad:?}");
            assert_eq!(out, "[");
        }
    }

    #[test]
    fn spans_shift_by_the_growth_of_the_replacements_before_them() {
        // Ranges 10-20 and 40-50; 3-byte placeholders at 0 and 30 become 5-byte values.
        assert_eq!(
            shift_spans("10-20,40-50", &[0, 30], 3, 5).as_deref(),
            Some("12-22,44-54")
        );
        // Shrinking, and a replacement after every range.
        assert_eq!(
            shift_spans("10-20,40-50", &[0, 60], 5, 1).as_deref(),
            Some("6-16,36-46")
        );
        // A replacement inside or overlapping a range: the caller scans again.
        assert_eq!(shift_spans("10-20", &[15], 3, 5), None);
        assert_eq!(shift_spans("10-20", &[8], 3, 5), None);
        // The "rewrite by parsing" marker is not a list of ranges.
        assert_eq!(shift_spans("*", &[0], 3, 5), None);
    }
}
