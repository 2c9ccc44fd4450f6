//! The syntax tree the parser produces: what the caller wrote, with byte spans, before any name or
//! type is checked.
//!
//! Names and string literals borrow from the option text (a string literal owns its text only when it
//! contained a `''` escape). The binder turns this tree into the typed [`crate::bound`] tree.

use crate::bound::{CompareOp, Function};
use crate::datetime::Iso;
use std::borrow::Cow;
use std::fmt;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A byte range `start..end` in the (decoded) option value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A name as written, with where it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Name<'a> {
    /// The text, e.g. `severity` or `microsoft.graph.security.deviceEvidence`.
    pub text: &'a str,
    /// Where it is.
    pub span: Span,
}

impl Name<'_> {
    /// True for a namespace-qualified name (a type-cast segment such as
    /// `microsoft.graph.security.deviceEvidence`).
    pub fn is_qualified(&self) -> bool {
        self.text.contains('.')
    }
}

/// A `/`-separated path such as `vendorInformation/provider` or `e/microsoft.graph.security.deviceEvidence/hostName`.
#[derive(Debug, Clone, PartialEq)]
pub struct Path<'a> {
    /// The segments, never empty.
    pub segments: Vec<Name<'a>>,
    /// From the first segment to the last.
    pub span: Span,
}

/// An expression with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr<'a> {
    /// What it is.
    pub kind: ExprKind<'a>,
    /// Where it is (for a parenthesised expression, the inside).
    pub span: Span,
}

/// The kinds of `$filter` expressions.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind<'a> {
    /// `a or b or ...`: two or more operands, in order.
    Or(Vec<Expr<'a>>),
    /// `a and b and ...`: two or more operands, in order.
    And(Vec<Expr<'a>>),
    /// `not a`.
    Not(Box<Expr<'a>>),
    /// `left op right`.
    Compare {
        /// The operator.
        op: CompareOp,
        /// The left operand.
        left: Box<Expr<'a>>,
        /// The right operand.
        right: Box<Expr<'a>>,
    },
    /// `value has flag`.
    Has {
        /// The flags value tested.
        value: Box<Expr<'a>>,
        /// The member tested for.
        flag: Box<Expr<'a>>,
    },
    /// `value in (item, ...)`; the list has at least one item.
    In {
        /// The value looked up.
        value: Box<Expr<'a>>,
        /// The candidates.
        list: Vec<Expr<'a>>,
    },
    /// `function(arg, ...)`.
    Call {
        /// The function.
        function: Function,
        /// The arguments as written (the binder checks their number and types).
        args: Vec<Expr<'a>>,
    },
    /// `collection/any(var: predicate)` or `collection/all(var: predicate)`.
    Lambda(Box<Lambda<'a>>),
    /// A property path, or a lambda variable with an optional path below it.
    Path(Path<'a>),
    /// A literal.
    Literal(Literal<'a>),
}

/// `any` or `all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LambdaKind {
    /// True when some element satisfies the predicate (or, bare, when the collection is non-empty).
    Any,
    /// True when every element satisfies the predicate.
    All,
}

impl LambdaKind {
    /// `any` or `all`.
    pub fn name(self) -> &'static str {
        match self {
            LambdaKind::Any => "any",
            LambdaKind::All => "all",
        }
    }
}

/// A lambda over a collection.
#[derive(Debug, Clone, PartialEq)]
pub struct Lambda<'a> {
    /// The collection the lambda ranges over.
    pub collection: Path<'a>,
    /// `any` or `all`.
    pub kind: LambdaKind,
    /// The range variable and the predicate; `None` for the bare `any()`.
    pub body: Option<LambdaBody<'a>>,
}

/// `var: predicate` inside `any(...)`/`all(...)`.
#[derive(Debug, Clone, PartialEq)]
pub struct LambdaBody<'a> {
    /// The range variable.
    pub variable: Name<'a>,
    /// The condition on each element.
    pub predicate: Expr<'a>,
}

/// A literal as written (not yet converted to the type it is compared with).
#[derive(Debug, Clone, PartialEq)]
pub enum Literal<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Boolean(bool),
    /// An integer without fraction or exponent.
    Int(i64),
    /// A number with a fraction or an exponent.
    Double(f64),
    /// A single-quoted string, with `''` already unescaped.
    String(Cow<'a, str>),
    /// An unquoted ISO 8601 date-time, e.g. `2024-01-01T00:00:00Z`.
    DateTime(OffsetDateTime),
    /// An unquoted date, e.g. `2024-01-01`.
    Date(Date),
    /// An unquoted GUID, with its text as written.
    Guid {
        /// The parsed value.
        value: Uuid,
        /// The text as written (kept for comparisons with string properties).
        text: &'a str,
    },
    /// A qualified enum literal, e.g. `microsoft.graph.security.alertSeverity'high'`.
    Enum {
        /// The qualified enum type name as written.
        type_name: &'a str,
        /// The member as written.
        member: Cow<'a, str>,
    },
}

/// One `$orderby` item.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderByItem<'a> {
    /// The property path.
    pub path: Path<'a>,
    /// `desc` was given.
    pub descending: bool,
}

/// One `$select` item.
#[derive(Debug, Clone, PartialEq)]
pub enum SelectItem<'a> {
    /// `*`: all properties.
    Star(Span),
    /// A property path (the binder accepts top-level properties only).
    Path(Path<'a>),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.segments.iter().enumerate() {
            if i > 0 {
                f.write_str("/")?;
            }
            f.write_str(s.text)?;
        }
        Ok(())
    }
}

/// Renders the tree as an S-expression, e.g. `(and (eq severity 'high') (any tags t (eq t 'x')))`:
/// unambiguous, for tests and logs.
impl fmt::Display for Expr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Or(items) => list(f, "or", items),
            ExprKind::And(items) => list(f, "and", items),
            ExprKind::Not(e) => write!(f, "(not {e})"),
            ExprKind::Compare { op, left, right } => write!(f, "({} {left} {right})", op.name()),
            ExprKind::Has { value, flag } => write!(f, "(has {value} {flag})"),
            ExprKind::In { value, list: items } => {
                write!(f, "(in {value}")?;
                items.iter().try_for_each(|i| write!(f, " {i}"))?;
                f.write_str(")")
            }
            ExprKind::Call { function, args } => list(f, function.name(), args),
            ExprKind::Lambda(l) => match &l.body {
                None => write!(f, "({} {})", l.kind.name(), l.collection),
                Some(b) => write!(
                    f,
                    "({} {} {} {})",
                    l.kind.name(),
                    l.collection,
                    b.variable.text,
                    b.predicate
                ),
            },
            ExprKind::Path(p) => write!(f, "{p}"),
            ExprKind::Literal(l) => write!(f, "{l}"),
        }
    }
}

fn list(f: &mut fmt::Formatter<'_>, head: &str, items: &[Expr<'_>]) -> fmt::Result {
    write!(f, "({head}")?;
    items.iter().try_for_each(|i| write!(f, " {i}"))?;
    f.write_str(")")
}

impl fmt::Display for Literal<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Null => f.write_str("null"),
            Literal::Boolean(b) => write!(f, "{b}"),
            Literal::Int(i) => write!(f, "{i}"),
            Literal::Double(d) => write!(f, "{d:?}"),
            Literal::String(s) => write!(f, "'{}'", s.replace('\'', "''")),
            Literal::DateTime(dt) => write!(f, "{}", Iso(*dt)),
            Literal::Date(d) => write!(f, "{d}"),
            Literal::Guid { value, .. } => write!(f, "{value}"),
            Literal::Enum { type_name, member } => {
                write!(f, "{type_name}'{}'", member.replace('\'', "''"))
            }
        }
    }
}
