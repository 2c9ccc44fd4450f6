//! Scalars of the evaluator: a JSON value read as the type an expression expects, a literal as a
//! scalar, and how two scalars compare (date-times as instants, numbers as numbers, text bytewise
//! or with ASCII case folding).

use crate::bound::Literal;
use crate::datetime::parse_date_time;
use serde_json::Value;
use std::borrow::Cow;
use std::cmp::Ordering;
use time::OffsetDateTime;

/// How a JSON value is read: the type of the expression it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Text,
    Integer,
    Real,
    Boolean,
}

/// A non-null value.
#[derive(Debug, Clone)]
pub(super) enum Scalar<'a> {
    Text(Cow<'a, str>),
    Int(i64),
    Real(f64),
    Bool(bool),
    /// A date-time literal (truncated to Graph's 100 ns ticks, the precision documents keep).
    Instant(OffsetDateTime),
    /// A JSON object or array read where text was expected at a path the model types: it is not
    /// null, but equals nothing.
    Opaque,
}

/// Reads `node` as `kind`. With `strict`, a JSON value of another type reads as null (values in
/// dictionaries and in collection elements, which may hold anything); without, a non-text value read
/// as text is [`Scalar::Opaque`] (present, but equal to nothing).
pub(super) fn read(node: Option<&Value>, kind: Kind, strict: bool) -> Option<Scalar<'_>> {
    let node = node?;
    match (kind, node) {
        (_, Value::Null) => None,
        (Kind::Text, Value::String(s)) => Some(Scalar::Text(Cow::Borrowed(s))),
        (Kind::Text, _) if strict => None,
        (Kind::Text, _) => Some(Scalar::Opaque),
        (Kind::Integer | Kind::Real, Value::Number(n)) => Some(match n.as_i64() {
            Some(i) => Scalar::Int(i),
            None => Scalar::Real(n.as_f64()?),
        }),
        (Kind::Boolean, Value::Bool(b)) => Some(Scalar::Bool(*b)),
        _ => None,
    }
}

/// How a value compared with `lit` is read when its own type is unknown (a dictionary value).
pub(super) fn literal_kind(lit: &Literal) -> Option<Kind> {
    match lit {
        Literal::Null => None,
        Literal::Boolean(_) => Some(Kind::Boolean),
        Literal::Int(_) => Some(Kind::Integer),
        Literal::Double(_) => Some(Kind::Real),
        _ => Some(Kind::Text),
    }
}

/// The literal as a scalar; `None` for `null`. GUIDs become their lower-case hyphenated text and
/// enum members their wire name, as documents spell them.
pub(super) fn literal(lit: &Literal) -> Option<Scalar<'_>> {
    Some(match lit {
        Literal::Null => return None,
        Literal::Boolean(b) => Scalar::Bool(*b),
        Literal::Int(i) => Scalar::Int(*i),
        Literal::Double(d) => Scalar::Real(*d),
        Literal::String(s) => Scalar::Text(Cow::Borrowed(s)),
        Literal::DateTime(t) => Scalar::Instant(ticks(*t)),
        Literal::Guid(g) => Scalar::Text(Cow::Owned(g.hyphenated().to_string())),
        Literal::Enum(m) => Scalar::Text(Cow::Borrowed(m)),
    })
}

/// `t` truncated to whole 100 ns ticks.
fn ticks(t: OffsetDateTime) -> OffsetDateTime {
    let nanos = t.nanosecond();
    t.replace_nanosecond(nanos - nanos % 100).unwrap_or(t)
}

/// The text of a date-time as documents store it: UTC, seven fractional digits, `Z`.
fn stored_text(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:07}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.nanosecond() / 100
    )
}

/// The instant `text` names, if it is a date-time.
pub(super) fn instant(text: &str) -> Option<OffsetDateTime> {
    parse_date_time(text).ok().map(ticks)
}

/// The order of `a` and `b`; `None` when they cannot be compared (different types, NaN, opaque).
///
/// Text compared with a date-time is read as an instant if it is one (a dictionary value); text that
/// is no date-time compares with the date-time's stored spelling, as it would in the database.
pub(super) fn order(a: &Scalar<'_>, b: &Scalar<'_>) -> Option<Ordering> {
    use Scalar as S;
    match (a, b) {
        (S::Text(x), S::Text(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        (S::Text(x), S::Instant(t)) => Some(match instant(x) {
            Some(x) => x.cmp(t),
            None => x.as_bytes().cmp(stored_text(*t).as_bytes()),
        }),
        (S::Instant(_), S::Text(_)) => order(b, a).map(Ordering::reverse),
        (S::Instant(x), S::Instant(y)) => Some(x.cmp(y)),
        (S::Int(x), S::Int(y)) => Some(x.cmp(y)),
        (S::Int(x), S::Real(y)) => (*x as f64).partial_cmp(y),
        (S::Real(x), S::Int(y)) => x.partial_cmp(&(*y as f64)),
        (S::Real(x), S::Real(y)) => x.partial_cmp(y),
        (S::Bool(x), S::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// `a eq b`; text ignores ASCII case when `ci`.
pub(super) fn equal(a: &Scalar<'_>, b: &Scalar<'_>, ci: bool) -> bool {
    match (a, b) {
        (Scalar::Text(x), Scalar::Text(y)) if ci => x.eq_ignore_ascii_case(y),
        _ => order(a, b) == Some(Ordering::Equal),
    }
}

/// A value of a date-time property: its instant, or (when it is not a date-time) its text.
pub(super) fn temporal(s: Scalar<'_>) -> Scalar<'_> {
    match s {
        Scalar::Text(text) => match instant(&text) {
            Some(t) => Scalar::Instant(t),
            None => Scalar::Text(text),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strict_reads_refuse_other_json_types() {
        let v = json!(7);
        assert!(read(Some(&v), Kind::Text, true).is_none());
        assert!(matches!(
            read(Some(&v), Kind::Text, false),
            Some(Scalar::Opaque)
        ));
        assert!(matches!(
            read(Some(&v), Kind::Real, true),
            Some(Scalar::Int(7))
        ));
        assert!(read(Some(&json!(null)), Kind::Text, false).is_none());
        assert!(read(Some(&json!("x")), Kind::Boolean, false).is_none());
    }

    #[test]
    fn date_times_compare_as_instants_and_text_otherwise() {
        let t = instant("2024-05-01T10:00:00+02:00").unwrap();
        let text = Scalar::Text("2024-05-01T08:00:00.0000000Z".into());
        assert_eq!(order(&text, &Scalar::Instant(t)), Some(Ordering::Equal));
        let garbage = Scalar::Text("yesterday".into());
        assert_eq!(
            order(&garbage, &Scalar::Instant(t)),
            Some(Ordering::Greater)
        );
        let a = temporal(Scalar::Text("2024-05-01T08:00:00Z".into()));
        let b = temporal(Scalar::Text("2024-05-01T10:00:00+02:00".into()));
        assert!(equal(&a, &b, false));
        assert!(!equal(
            &Scalar::Text("2024-05-01T08:00:00Z".into()),
            &Scalar::Text("2024-05-01T10:00:00+02:00".into()),
            true
        ));
    }

    #[test]
    fn numbers_compare_across_integer_and_real() {
        assert_eq!(
            order(&Scalar::Int(7), &Scalar::Real(7.0)),
            Some(Ordering::Equal)
        );
        assert_eq!(order(&Scalar::Int(1), &Scalar::Text("1".into())), None);
        assert_eq!(order(&Scalar::Real(f64::NAN), &Scalar::Real(1.0)), None);
    }
}
