//! The bound query: what the binder produces after checking a parsed query against an [`EntitySchema`].
//!
//! Everything here names only properties that exist, with their canonical spelling and type, and
//! literals already converted to the type they are compared with. The `store` crate renders this tree
//! to parameterised SQL; nothing in it is raw user text except string literal *values*.
//!
//! [`EntitySchema`]: crate::schema::EntitySchema

use crate::schema::PropType;
use time::OffsetDateTime;
use uuid::Uuid;

/// All query options of one request, bound against one entity schema.
#[derive(Debug, Clone, Default)]
pub struct BoundQuery {
    /// `$filter`, if any.
    pub filter: Option<BoundExpr>,
    /// `$orderby` items in order of precedence.
    pub orderby: Vec<OrderBy>,
    /// `$select`: canonical top-level property names; `None` means all properties.
    pub select: Option<Vec<&'static str>>,
    /// `$expand`: canonical navigation property names (which are allowed is decided by the caller).
    pub expand: Vec<String>,
    /// `$top`, if given.
    pub top: Option<u64>,
    /// `$skip`, if given.
    pub skip: Option<u64>,
    /// `$count=true`.
    pub count: bool,
    /// `$skiptoken`, opaque to this crate.
    pub skiptoken: Option<String>,
}

/// One `$orderby` item.
#[derive(Debug, Clone)]
pub struct OrderBy {
    /// Path of a single-valued primitive or enum property from the entity root.
    pub path: PropertyPath,
    /// `desc` was given.
    pub descending: bool,
}

/// A path of canonical property names with the type of its last segment.
#[derive(Debug, Clone)]
pub struct PropertyPath {
    /// Canonical segment names, e.g. `["vendorInformation", "provider"]`. Type-cast segments are dropped.
    pub segments: Vec<&'static str>,
    /// The type the path evaluates to.
    pub ty: PropType,
}

impl PropertyPath {
    /// The segments joined with `/`, as written in OData.
    pub fn display(&self) -> String {
        self.segments.join("/")
    }
}

/// A boolean expression.
#[derive(Debug, Clone)]
pub enum BoundExpr {
    And(Box<BoundExpr>, Box<BoundExpr>),
    Or(Box<BoundExpr>, Box<BoundExpr>),
    Not(Box<BoundExpr>),
    /// `left op right`. At most one side is a literal; `null` literals appear only with `eq`/`ne`.
    Compare { op: CompareOp, left: BoundValue, right: BoundValue },
    /// `value in (a, b, ...)`; the list is non-empty and converted to the value's type.
    In { value: BoundValue, list: Vec<Literal> },
    /// `value has flag` on a flags enum; `flag` is a member of that enum.
    Has { value: BoundValue, flag: &'static str },
    /// `collection/any(var: predicate)`; `predicate` is `None` for the bare `collection/any()`.
    Any { collection: ValuePath, predicate: Option<Box<BoundExpr>> },
    /// `collection/all(var: predicate)`.
    All { collection: ValuePath, predicate: Box<BoundExpr> },
    /// A boolean-valued expression used as a predicate (a Boolean property, `contains(...)`, `true`).
    Value(BoundValue),
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

/// Where a path starts: the entity being queried, or a lambda variable.
#[derive(Debug, Clone)]
pub struct ValuePath {
    /// `0` for the entity root; `n` for the variable of the `n`-th enclosing lambda, counted from the
    /// outermost (`1` is the variable of the outermost `any`/`all`).
    pub scope: usize,
    /// The path from that start. Empty when the lambda variable itself is a primitive (`t eq 'x'`).
    pub path: PropertyPath,
}

/// A value-producing expression.
#[derive(Debug, Clone)]
pub enum BoundValue {
    Path(ValuePath),
    Literal(Literal),
    Call { func: Function, args: Vec<BoundValue> },
}

/// Built-in functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    /// `contains(haystack, needle)` → Boolean.
    Contains,
    /// `startswith(s, prefix)` → Boolean.
    StartsWith,
    /// `endswith(s, suffix)` → Boolean.
    EndsWith,
    /// `tolower(s)` → String.
    ToLower,
    /// `toupper(s)` → String.
    ToUpper,
    /// `length(s)` → Int32.
    Length,
    /// `trim(s)` → String.
    Trim,
    /// `year(dt)` → Int32, in UTC.
    Year,
    /// `month(dt)` → Int32.
    Month,
    /// `day(dt)` → Int32.
    Day,
    /// `hour(dt)` → Int32.
    Hour,
    /// `minute(dt)` → Int32.
    Minute,
    /// `second(dt)` → Int32.
    Second,
}

impl Function {
    /// The OData name of the function.
    pub fn name(self) -> &'static str {
        match self {
            Function::Contains => "contains",
            Function::StartsWith => "startswith",
            Function::EndsWith => "endswith",
            Function::ToLower => "tolower",
            Function::ToUpper => "toupper",
            Function::Length => "length",
            Function::Trim => "trim",
            Function::Year => "year",
            Function::Month => "month",
            Function::Day => "day",
            Function::Hour => "hour",
            Function::Minute => "minute",
            Function::Second => "second",
        }
    }
}

/// A literal, converted to the type of what it is compared with.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Null,
    Boolean(bool),
    Int(i64),
    Double(f64),
    String(String),
    DateTime(OffsetDateTime),
    Guid(Uuid),
    /// An enum member in its canonical wire spelling.
    Enum(&'static str),
}
