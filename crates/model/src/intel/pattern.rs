//! STIX 2.1 patterning: the syntax tree, [`parse_pattern`], and printing a tree back to pattern
//! text (used by the exporter, so exported patterns always re-parse).
//!
//! The parser recognises the whole STIX 2.1 pattern grammar (OASIS STIX 2.1 §9, the
//! `STIXPattern.g4` grammar), so the importer can say precisely *what* it cannot import instead of
//! failing to parse. Rules, loosest binding first (each has a function of the same name in
//! `grammar.rs`):
//!
//! ```text
//! pattern                     = observation_expressions END
//! observation_expressions     = observation_expression_or { "FOLLOWEDBY" observation_expression_or }
//! observation_expression_or   = observation_expression_and { "OR" observation_expression_and }
//! observation_expression_and  = observation_expression { "AND" observation_expression }
//! observation_expression      = ( "[" comparison_expression "]" | "(" observation_expressions ")" )
//!                               { qualifier }
//! qualifier                   = start_stop_qualifier | within_qualifier | repeated_qualifier
//! start_stop_qualifier        = "START" timestamp "STOP" timestamp
//! within_qualifier            = "WITHIN" (int | float) "SECONDS"          (positive)
//! repeated_qualifier          = "REPEATS" int "TIMES"                    (positive)
//! comparison_expression       = comparison_expression_and { "OR" comparison_expression_and }
//! comparison_expression_and   = prop_test { "AND" prop_test }
//! prop_test                   = object_path ["NOT"] ("=" | "!=") primitive_literal
//!                             | object_path ["NOT"] ("<" | "<=" | ">" | ">=") orderable_literal
//!                             | object_path ["NOT"] "IN" set_literal
//!                             | object_path ["NOT"] ("LIKE" | "MATCHES" | "ISSUBSET" | "ISSUPERSET") string
//!                             | "(" comparison_expression ")"
//!                             | "EXISTS" object_path
//! object_path                 = object_type ":" path_key { "." path_key | "[" (int | "*") "]" }
//! object_type                 = identifier
//! path_key                    = identifier | string
//! set_literal                 = "(" [ primitive_literal { "," primitive_literal } ] ")"
//! primitive_literal           = orderable_literal | "true" | "false"
//! orderable_literal           = int | float | string | timestamp | binary | hex
//! ```
//!
//! Tokens: `identifier = [A-Za-z_][A-Za-z0-9_-]*` (keywords are upper case and reserved);
//! `string = ' { char | \' | \\ } '` (no other escapes); `int = [+-]digits`;
//! `float = [+-][digits].digits`; `timestamp = t'YYYY-MM-DDTHH:MM:SS[.s+]Z'`;
//! `binary = b'base64'`; `hex = h'hexpairs'`; `==` and `<>` are accepted for `=` and `!=`.
//! Whitespace separates tokens.
//!
//! Limits: patterns are at most [`MAX_PATTERN_LEN`] bytes and nest at most [`MAX_DEPTH`] levels
//! (each `[`, `(` adds one), so hostile input is an error, never a stack overflow. Every
//! [`PatternError`] carries the byte span it is about.

use std::fmt;
use time::OffsetDateTime;

pub use super::grammar::parse_pattern;
pub use super::pattern_text::quote;

/// The longest pattern accepted, in bytes.
pub const MAX_PATTERN_LEN: usize = 64 * 1024;
/// The deepest nesting of `[` and `(` accepted.
pub const MAX_DEPTH: usize = 64;

/// A byte range in the pattern text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A syntax error: what is wrong, how to fix it, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// The message, written for whoever wrote the pattern.
    pub message: String,
    /// The bytes it concerns.
    pub span: Span,
}

impl PatternError {
    /// An error about `span`.
    pub fn new(message: impl Into<String>, span: Span) -> Self {
        PatternError {
            message: message.into(),
            span,
        }
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (at bytes {}..{})",
            self.message, self.span.start, self.span.end
        )
    }
}

impl std::error::Error for PatternError {}

/// An observation expression: what must be observed.
#[derive(Debug, Clone, PartialEq)]
pub enum ObservationExpr {
    /// `[ comparison ]`.
    Observation {
        /// The comparison inside the brackets.
        comparison: ComparisonExpr,
        /// From `[` to `]`.
        span: Span,
    },
    /// `a AND b AND …` (two or more).
    And(Vec<ObservationExpr>, Span),
    /// `a OR b OR …` (two or more).
    Or(Vec<ObservationExpr>, Span),
    /// `a FOLLOWEDBY b …` (two or more).
    FollowedBy(Vec<ObservationExpr>, Span),
    /// An observation with a qualifier after it.
    Qualified {
        /// What is qualified.
        expr: Box<ObservationExpr>,
        /// The qualifier.
        qualifier: Qualifier,
        /// From the start of `expr` to the end of the qualifier.
        span: Span,
    },
}

impl ObservationExpr {
    /// Where this expression is in the pattern.
    pub fn span(&self) -> Span {
        match self {
            ObservationExpr::Observation { span, .. }
            | ObservationExpr::And(_, span)
            | ObservationExpr::Or(_, span)
            | ObservationExpr::FollowedBy(_, span)
            | ObservationExpr::Qualified { span, .. } => *span,
        }
    }

    /// Sets the span to `to`: the parser widens it to the parentheses around the expression.
    pub(crate) fn set_span(&mut self, to: Span) {
        match self {
            ObservationExpr::Observation { span, .. }
            | ObservationExpr::And(_, span)
            | ObservationExpr::Or(_, span)
            | ObservationExpr::FollowedBy(_, span)
            | ObservationExpr::Qualified { span, .. } => *span = to,
        }
    }
}

/// A qualifier on an observation expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Qualifier {
    /// `START t'…' STOP t'…'`.
    StartStop {
        /// The first instant.
        start: OffsetDateTime,
        /// The last instant.
        stop: OffsetDateTime,
    },
    /// `WITHIN n SECONDS`.
    Within {
        /// The window.
        seconds: f64,
    },
    /// `REPEATS n TIMES`.
    Repeats {
        /// How often.
        times: u64,
    },
}

impl Qualifier {
    /// The keyword that starts it.
    pub fn keyword(&self) -> &'static str {
        match self {
            Qualifier::StartStop { .. } => "START/STOP",
            Qualifier::Within { .. } => "WITHIN",
            Qualifier::Repeats { .. } => "REPEATS",
        }
    }
}

/// A comparison expression, inside one observation's brackets.
#[derive(Debug, Clone, PartialEq)]
pub enum ComparisonExpr {
    /// One property test.
    Test(PropTest),
    /// `EXISTS path`.
    Exists {
        /// The path that must exist.
        path: ObjectPath,
        /// From `EXISTS` to the end of the path.
        span: Span,
    },
    /// `a AND b …` (two or more).
    And(Vec<ComparisonExpr>, Span),
    /// `a OR b …` (two or more).
    Or(Vec<ComparisonExpr>, Span),
}

impl ComparisonExpr {
    /// Where this expression is in the pattern.
    pub fn span(&self) -> Span {
        match self {
            ComparisonExpr::Test(t) => t.span,
            ComparisonExpr::Exists { span, .. }
            | ComparisonExpr::And(_, span)
            | ComparisonExpr::Or(_, span) => *span,
        }
    }

    /// Sets the span to `to`: the parser widens it to the parentheses around the expression.
    pub(crate) fn set_span(&mut self, to: Span) {
        match self {
            ComparisonExpr::Test(t) => t.span = to,
            ComparisonExpr::Exists { span, .. }
            | ComparisonExpr::And(_, span)
            | ComparisonExpr::Or(_, span) => *span = to,
        }
    }
}

/// `path [NOT] op value`.
#[derive(Debug, Clone, PartialEq)]
pub struct PropTest {
    /// The object path on the left.
    pub path: ObjectPath,
    /// Whether `NOT` precedes the operator.
    pub negated: bool,
    /// The operator.
    pub op: CompareOp,
    /// The right-hand side ([`Literal::Set`] for `IN`).
    pub value: Literal,
    /// The whole test.
    pub span: Span,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// `=`
    Eq,
    /// `!=`
    Neq,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `IN`
    In,
    /// `LIKE`
    Like,
    /// `MATCHES`
    Matches,
    /// `ISSUBSET`
    IsSubset,
    /// `ISSUPERSET`
    IsSuperset,
}

impl CompareOp {
    /// The operator as written in a pattern.
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::Neq => "!=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
            CompareOp::In => "IN",
            CompareOp::Like => "LIKE",
            CompareOp::Matches => "MATCHES",
            CompareOp::IsSubset => "ISSUBSET",
            CompareOp::IsSuperset => "ISSUPERSET",
        }
    }
}

/// `object-type:key.key[0].'quoted key'[*]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectPath {
    /// The STIX Cyber-observable Object type, e.g. `ipv4-addr`.
    pub object_type: String,
    /// The property path; the first step is always a [`PathStep::Key`].
    pub steps: Vec<PathStep>,
    /// The whole path.
    pub span: Span,
}

/// One step of an object path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    /// A property or dictionary key (`.value`, `.'SHA-256'`).
    Key(String),
    /// A list index; `None` is `[*]`.
    Index(Option<u64>),
}

/// A literal on the right of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A decoded string.
    Str(String),
    /// `true` / `false`.
    Bool(bool),
    /// `t'…'`.
    Timestamp(OffsetDateTime),
    /// `b'…'` as its base64 text.
    Binary(String),
    /// `h'…'` as its hex text.
    Hex(String),
    /// `( … )` for `IN`.
    Set(Vec<Literal>),
}

impl Literal {
    /// What kind of literal this is, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Literal::Int(_) => "an integer",
            Literal::Float(_) => "a float",
            Literal::Str(_) => "a string",
            Literal::Bool(_) => "a boolean",
            Literal::Timestamp(_) => "a timestamp",
            Literal::Binary(_) => "a binary literal",
            Literal::Hex(_) => "a hex literal",
            Literal::Set(_) => "a set",
        }
    }
}
