//! Pattern trees back to pattern text: `Display` for every node of [`pattern`](crate::intel::pattern),
//! escaping strings and quoting path keys, and parenthesising only where precedence needs it, so
//! that `parse_pattern(&tree.to_string())` gives the same tree. The exporter builds its patterns
//! this way.

use super::pattern::{
    ComparisonExpr, Literal, ObjectPath, ObservationExpr, PathStep, PropTest, Qualifier,
};
use std::fmt;

/// Writes `s` as a pattern string literal, escaping `'` and `\`.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

fn is_plain_key(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !super::grammar::is_keyword(s)
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Int(i) => write!(f, "{i}"),
            Literal::Float(x) if x.fract() == 0.0 && x.is_finite() => write!(f, "{x:.1}"),
            Literal::Float(x) => write!(f, "{x}"),
            Literal::Str(s) => f.write_str(&quote(s)),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Timestamp(t) => write!(f, "t'{}'", crate::datetime::format(*t)),
            Literal::Binary(b) => write!(f, "b'{b}'"),
            Literal::Hex(h) => write!(f, "h'{h}'"),
            Literal::Set(items) => {
                f.write_str("(")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str(")")
            }
        }
    }
}

impl fmt::Display for ObjectPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.object_type)?;
        for (i, step) in self.steps.iter().enumerate() {
            match step {
                PathStep::Key(k) if i > 0 && is_plain_key(k) => write!(f, ".{k}")?,
                PathStep::Key(k) if i > 0 => write!(f, ".{}", quote(k))?,
                PathStep::Key(k) if is_plain_key(k) => f.write_str(k)?,
                PathStep::Key(k) => f.write_str(&quote(k))?,
                PathStep::Index(Some(n)) => write!(f, "[{n}]")?,
                PathStep::Index(None) => f.write_str("[*]")?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for PropTest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let not = if self.negated { "NOT " } else { "" };
        write!(f, "{} {not}{} {}", self.path, self.op.as_str(), self.value)
    }
}

impl fmt::Display for ComparisonExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ComparisonExpr::Test(t) => write!(f, "{t}"),
            ComparisonExpr::Exists { path, .. } => write!(f, "EXISTS {path}"),
            ComparisonExpr::And(items, _) => {
                join(f, items, " AND ", |e| matches!(e, ComparisonExpr::Or(..)))
            }
            ComparisonExpr::Or(items, _) => join(f, items, " OR ", |_| false),
        }
    }
}

impl fmt::Display for ObservationExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ObservationExpr as O;
        match self {
            O::Observation { comparison, .. } => write!(f, "[{comparison}]"),
            O::And(items, _) => join(f, items, " AND ", |e| {
                matches!(e, O::Or(..) | O::FollowedBy(..))
            }),
            O::Or(items, _) => join(f, items, " OR ", |e| matches!(e, O::FollowedBy(..))),
            O::FollowedBy(items, _) => join(f, items, " FOLLOWEDBY ", |_| false),
            O::Qualified {
                expr, qualifier, ..
            } => {
                if matches!(**expr, O::Observation { .. } | O::Qualified { .. }) {
                    write!(f, "{expr} {qualifier}")
                } else {
                    write!(f, "({expr}) {qualifier}")
                }
            }
        }
    }
}

impl fmt::Display for Qualifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Qualifier::StartStop { start, stop } => write!(
                f,
                "START t'{}' STOP t'{}'",
                crate::datetime::format(*start),
                crate::datetime::format(*stop)
            ),
            Qualifier::Within { seconds } => {
                write!(f, "WITHIN {} SECONDS", Literal::Float(*seconds))
            }
            Qualifier::Repeats { times } => write!(f, "REPEATS {times} TIMES"),
        }
    }
}

/// Writes `items` separated by `sep`, parenthesising those `needs_parens` says bind looser.
fn join<T: fmt::Display>(
    f: &mut fmt::Formatter<'_>,
    items: &[T],
    sep: &str,
    needs_parens: impl Fn(&T) -> bool,
) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        if needs_parens(item) {
            write!(f, "({item})")?;
        } else {
            write!(f, "{item}")?;
        }
    }
    Ok(())
}
