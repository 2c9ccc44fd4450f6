//! Where a stored alerts_v2 document holds evolvable enum members (members declared after
//! `unknownFutureValue`, shown only to callers that send `Prefer: include-unknown-enum-members`).
//!
//! Found once, at write time, by comparing the document with its rewrite by
//! [`model::hide_evolvable_members`], and stored as the byte ranges of the string values that differ
//! (`"12-29,804-810"`). A read then shows the default view by splicing `unknownFutureValue` into those
//! ranges, without parsing the document. If the two texts cannot be aligned value by value the
//! column holds `*` and readers fall back to the full rewrite.

use std::ops::Range;

/// What readers splice into each range.
const HIDDEN: &str = "unknownFutureValue";
/// The column value that asks readers to rewrite the document by parsing it.
const REWRITE: &str = "*";

/// The ranges of `doc` (canonical serde_json output of an alert) that hide to `unknownFutureValue`.
pub(crate) fn encode_spans(doc: &str) -> String {
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(doc) else {
        return REWRITE.to_owned();
    };
    model::hide_evolvable_members(&mut value);
    let hidden = value.to_string();
    match diff_string_values(doc, &hidden) {
        Some(spans) if !spans.is_empty() => spans
            .iter()
            .map(|r| format!("{}-{}", r.start, r.end))
            .collect::<Vec<_>>()
            .join(","),
        _ => REWRITE.to_owned(),
    }
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
    let mut at = 0;
    for r in spans {
        if r.start < at || !json.is_char_boundary(r.start) || !json.is_char_boundary(r.end) {
            return None;
        }
        out.push_str(json.get(at..r.start)?);
        out.push_str(HIDDEN);
        at = r.end;
    }
    out.push_str(json.get(at..)?);
    Some(out)
}

/// The ranges of `original` whose string values differ from `rewritten`, when the two texts are
/// otherwise identical; `None` when they are not aligned that way.
fn diff_string_values(original: &str, rewritten: &str) -> Option<Vec<Range<usize>>> {
    let (a, b) = (original.as_bytes(), rewritten.as_bytes());
    let (mut i, mut j, mut spans) = (0, 0, Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        let start_a = a[..i].iter().rposition(|c| *c == b'"')? + 1;
        let start_b = b[..j].iter().rposition(|c| *c == b'"')? + 1;
        if i - start_a != j - start_b {
            return None;
        }
        let end_a = start_a
            + a[start_a..]
                .iter()
                .position(|c| *c == b'"' || *c == b'\\')?;
        let end_b = start_b
            + b[start_b..]
                .iter()
                .position(|c| *c == b'"' || *c == b'\\')?;
        if a[end_a] != b'"' || b[end_b] != b'"' || &rewritten[start_b..end_b] != HIDDEN {
            return None;
        }
        spans.push(start_a..end_a);
        (i, j) = (end_a, end_b);
    }
    Some(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splicing_the_spans_equals_the_full_rewrite() {
        let doc = r#"{"id":"a","serviceSource":"microsoftSentinel","title":"x \"q\"","evidence":[{"remediationStatus":"active","verdict":"malicious"}],"detectionSource":"antivirus"}"#;
        let spans = decode_spans(&encode_spans(doc)).unwrap();
        assert_eq!(spans.len(), 2);
        let mut v: serde_json::Value = serde_json::from_str(doc).unwrap();
        model::hide_evolvable_members(&mut v);
        assert_eq!(apply_spans(doc, &spans).unwrap(), v.to_string());
    }

    #[test]
    fn misaligned_texts_ask_for_a_rewrite() {
        assert_eq!(decode_spans(REWRITE), None);
        assert_eq!(diff_string_values(r#"{"a":1}"#, r#"{"a":2}"#), None);
        assert!(apply_spans("abc", &[0..1, 2..9]).is_none());
    }
}
