//! The built-in functions, applied to scalars: text matching and case folding (ASCII only, as the
//! database folds), `length`, `trim` (spaces only) and the date parts of a date-time in UTC.

use super::scalar::Scalar;
use crate::bound::Function;
use std::borrow::Cow;
use time::UtcOffset;

/// `func` applied to its evaluated arguments; `None` (null) when an argument is null or of another
/// type than the function takes.
pub(super) fn apply<'a>(func: Function, args: Vec<Option<Scalar<'a>>>) -> Option<Scalar<'a>> {
    let mut args = args.into_iter();
    let first = args.next().flatten()?;
    match func {
        Function::Contains | Function::StartsWith | Function::EndsWith => {
            let (Scalar::Text(hay), Some(Scalar::Text(needle))) = (first, args.next().flatten())
            else {
                return None;
            };
            Some(Scalar::Bool(text_match(func, &hay, &needle)))
        }
        Function::ToLower => text(first).map(|s| Scalar::Text(Cow::Owned(s.to_ascii_lowercase()))),
        Function::ToUpper => text(first).map(|s| Scalar::Text(Cow::Owned(s.to_ascii_uppercase()))),
        Function::Trim => text(first).map(|s| Scalar::Text(Cow::Owned(s.trim_matches(' ').into()))),
        Function::Length => text(first).map(|s| Scalar::Int(s.chars().count() as i64)),
        _ => date_part(func, &first).map(Scalar::Int),
    }
}

fn text(s: Scalar<'_>) -> Option<Cow<'_, str>> {
    match s {
        Scalar::Text(t) => Some(t),
        _ => None,
    }
}

/// `contains`, `startswith`, `endswith`, ignoring ASCII case.
fn text_match(func: Function, hay: &str, needle: &str) -> bool {
    let (hay, needle) = (hay.to_ascii_lowercase(), needle.to_ascii_lowercase());
    match func {
        Function::StartsWith => hay.starts_with(&needle),
        Function::EndsWith => hay.ends_with(&needle),
        _ => hay.contains(&needle),
    }
}

/// `year()` .. `second()`: of an instant in UTC; of text that is not a date-time, the digits where
/// a stored date-time (`yyyy-mm-ddThh:mm:ss…`) has that part, or null where they are not digits.
fn date_part(func: Function, value: &Scalar<'_>) -> Option<i64> {
    match value {
        Scalar::Instant(t) => {
            let t = t.to_offset(UtcOffset::UTC);
            Some(i64::from(match func {
                Function::Year => return Some(i64::from(t.year())),
                Function::Month => u8::from(t.month()),
                Function::Day => t.day(),
                Function::Hour => t.hour(),
                Function::Minute => t.minute(),
                _ => t.second(),
            }))
        }
        Scalar::Text(s) => {
            let (start, len) = match func {
                Function::Year => (0, 4),
                Function::Month => (5, 2),
                Function::Day => (8, 2),
                Function::Hour => (11, 2),
                Function::Minute => (14, 2),
                _ => (17, 2),
            };
            let digits: String = s.chars().skip(start).take(len).collect();
            let all_digits = digits.len() == len && digits.bytes().all(|b| b.is_ascii_digit());
            all_digits.then(|| digits.parse().ok()).flatten()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Option<Scalar<'_>> {
        Some(Scalar::Text(Cow::Borrowed(s)))
    }

    #[test]
    fn text_functions_fold_ascii_only() {
        let r = apply(Function::Contains, vec![t("Straße ÜBER"), t("über")]);
        assert!(matches!(r, Some(Scalar::Bool(false))));
        let r = apply(Function::StartsWith, vec![t("Straße"), t("STRA")]);
        assert!(matches!(r, Some(Scalar::Bool(true))));
        let r = apply(Function::ToUpper, vec![t("aß")]);
        assert!(matches!(r, Some(Scalar::Text(s)) if s == "Aß"));
        let r = apply(Function::Trim, vec![t("\t x ")]);
        assert!(matches!(r, Some(Scalar::Text(s)) if s == "\t x"));
        let r = apply(Function::Length, vec![t("ßa")]);
        assert!(matches!(r, Some(Scalar::Int(2))));
        assert!(apply(Function::Length, vec![None]).is_none());
    }

    #[test]
    fn date_parts_of_text_read_its_digits() {
        let r = apply(Function::Month, vec![t("2024-05-01")]);
        assert!(matches!(r, Some(Scalar::Int(5))));
        assert!(apply(Function::Hour, vec![t("2024-05-01")]).is_none());
        assert!(apply(Function::Year, vec![t("yesterday")]).is_none());
    }
}
