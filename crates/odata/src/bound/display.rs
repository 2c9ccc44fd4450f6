//! A compact S-expression rendering of the bound tree, for logs and tests:
//! `(and (eq severity #high) (any evidence (eq $1/remediationStatus #notFound)))`.
//!
//! Paths print canonically; `$n` is the variable of the `n`-th enclosing lambda; enum members print
//! as `#member`, strings in single quotes, date-times as ISO 8601.

use super::{BoundExpr, BoundValue, Literal, ValuePath};
use crate::datetime::Iso;
use std::fmt;

impl fmt::Display for BoundExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BoundExpr::And(a, b) => write!(f, "(and {a} {b})"),
            BoundExpr::Or(a, b) => write!(f, "(or {a} {b})"),
            BoundExpr::Not(a) => write!(f, "(not {a})"),
            BoundExpr::Compare { op, left, right } => write!(f, "({} {left} {right})", op.name()),
            BoundExpr::In { value, list } => {
                write!(f, "(in {value}")?;
                list.iter().try_for_each(|l| write!(f, " {l}"))?;
                f.write_str(")")
            }
            BoundExpr::Has { value, flag } => write!(f, "(has {value} #{flag})"),
            BoundExpr::Any {
                collection,
                predicate: None,
            } => write!(f, "(any {collection})"),
            BoundExpr::Any {
                collection,
                predicate: Some(p),
            } => write!(f, "(any {collection} {p})"),
            BoundExpr::All {
                collection,
                predicate,
            } => write!(f, "(all {collection} {predicate})"),
            BoundExpr::Value(v) => write!(f, "{v}"),
        }
    }
}

impl fmt::Display for ValuePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        match (self.scope, path.is_empty()) {
            (0, _) => f.write_str(&path),
            (n, true) => write!(f, "${n}"),
            (n, false) => write!(f, "${n}/{path}"),
        }
    }
}

impl fmt::Display for BoundValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BoundValue::Path(p) => write!(f, "{p}"),
            BoundValue::Literal(l) => write!(f, "{l}"),
            BoundValue::Call { func, args } => {
                write!(f, "({}", func.name())?;
                args.iter().try_for_each(|a| write!(f, " {a}"))?;
                f.write_str(")")
            }
        }
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Null => f.write_str("null"),
            Literal::Boolean(b) => write!(f, "{b}"),
            Literal::Int(i) => write!(f, "{i}"),
            Literal::Double(d) => write!(f, "{d:?}"),
            Literal::String(s) => write!(f, "'{}'", s.replace('\'', "''")),
            Literal::DateTime(dt) => write!(f, "{}", Iso(*dt)),
            Literal::Guid(g) => write!(f, "{g}"),
            Literal::Enum(m) => write!(f, "#{m}"),
        }
    }
}
