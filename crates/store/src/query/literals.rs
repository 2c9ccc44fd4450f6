//! Literals of bound filters as SQL parameters: their values, how an untyped JSON value compared
//! with them is read, and LIKE patterns.

use crate::dialect::Kind;
use crate::value::Value;
use model::datetime;
use odata::bound::Literal;

/// Escapes LIKE wildcards and the escape character itself.
pub(crate) fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// How a value compared with `l` is read from JSON when its own type is unknown.
pub(crate) fn literal_kind(l: &Literal) -> Option<Kind> {
    match l {
        Literal::Boolean(_) => Some(Kind::Boolean),
        Literal::Int(_) => Some(Kind::Integer),
        Literal::Double(_) => Some(Kind::Real),
        Literal::Null => None,
        _ => Some(Kind::Text),
    }
}

/// A literal as a bind parameter (date-times in the stored fixed-width form).
pub(crate) fn literal_value(l: &Literal) -> Value {
    match l {
        Literal::Null => Value::Null,
        Literal::Boolean(b) => Value::Bool(*b),
        Literal::Int(i) => Value::Int(*i),
        Literal::Double(f) => Value::Real(*f),
        Literal::String(s) => Value::Text(s.clone()),
        Literal::DateTime(t) => Value::Text(datetime::format(*t)),
        Literal::Guid(g) => Value::Text(g.hyphenated().to_string()),
        Literal::Enum(e) => Value::Text((*e).to_owned()),
    }
}
