//! The bound query: what the binder produces after checking a parsed query against an [`EntitySchema`].
//!
//! Everything here names only properties that exist, with their canonical spelling and type, and
//! literals already converted to the type they are compared with. The `store` crate renders this tree
//! to parameterised SQL; nothing in it is raw user text except string literal *values*.
//!
//! [`EntitySchema`]: crate::schema::EntitySchema

mod display;

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
    /// The type the path evaluates to. [`PropType::Dictionary`] when the path reaches into an open
    /// dictionary (see `open_segments`): the value there may be of any JSON type.
    pub ty: PropType,
    /// Keys below a [`PropType::Dictionary`] property, verbatim as the caller wrote them (they name
    /// JSON members, not schema properties, so they are user text: render them as bind parameters).
    /// Empty unless the last of `segments` is a dictionary and the path goes below it, as in
    /// `customDetails/threatLevel` (segments `["customDetails"]`, open segments `["threatLevel"]`).
    pub open_segments: Vec<String>,
}

impl PropertyPath {
    /// A path of schema properties only (no open segments).
    pub fn new(segments: Vec<&'static str>, ty: PropType) -> Self {
        PropertyPath {
            segments,
            ty,
            open_segments: Vec::new(),
        }
    }

    /// The segments (then the open segments) joined with `/`, as written in OData.
    pub fn display(&self) -> String {
        let mut out = self.segments.join("/");
        for key in &self.open_segments {
            if !out.is_empty() {
                out.push('/');
            }
            out.push_str(key);
        }
        out
    }
}

/// A boolean expression.
#[derive(Debug, Clone)]
pub enum BoundExpr {
    /// Both hold. A chain `a and b and c ...` is bound as a balanced tree (depth log2 of its length).
    And(Box<BoundExpr>, Box<BoundExpr>),
    /// Either holds; chains are balanced like `And`.
    Or(Box<BoundExpr>, Box<BoundExpr>),
    /// Does not hold.
    Not(Box<BoundExpr>),
    /// `left op right`. At most one side is a literal (a comparison of two literals is folded into
    /// `Value(Literal(Boolean))`); `null` literals appear only with `eq`/`ne`. Ordering operators never
    /// apply to Booleans, complex values or collections.
    Compare {
        /// The operator.
        op: CompareOp,
        /// The left operand, as written.
        left: BoundValue,
        /// The right operand, as written.
        right: BoundValue,
    },
    /// `value in (a, b, ...)`; the list is non-empty and converted to the value's type.
    In {
        /// A path or a function call.
        value: BoundValue,
        /// Non-null literals.
        list: Vec<Literal>,
    },
    /// `value has flag` on a flags enum; `flag` is a member of that enum.
    Has {
        /// A path to a flags-enum property.
        value: BoundValue,
        /// The canonical member.
        flag: &'static str,
    },
    /// `collection/any(var: predicate)`; `predicate` is `None` for the bare `collection/any()`.
    Any {
        /// The collection (its `path.ty` is a `Collection`); the lambda variable ranges over it.
        collection: ValuePath,
        /// The condition on one element. Inside it, paths from this lambda's variable have as
        /// [`ValuePath::scope`] the number of lambdas enclosing them, this one included.
        predicate: Option<Box<BoundExpr>>,
    },
    /// `collection/all(var: predicate)`.
    All {
        /// The collection, as for `Any`.
        collection: ValuePath,
        /// The condition every element must meet.
        predicate: Box<BoundExpr>,
    },
    /// A boolean-valued expression used as a predicate (a Boolean property, `contains(...)`, `true`).
    Value(BoundValue),
}

/// Comparison operators. Enum members order by their declaration order in the enum type (OData
/// compares enums by underlying value), not alphabetically.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// `eq`.
    Eq,
    /// `ne`.
    Ne,
    /// `gt`.
    Gt,
    /// `ge`.
    Ge,
    /// `lt`.
    Lt,
    /// `le`.
    Le,
}

impl CompareOp {
    /// All operators.
    pub const ALL: [CompareOp; 6] = [
        CompareOp::Eq,
        CompareOp::Ne,
        CompareOp::Gt,
        CompareOp::Ge,
        CompareOp::Lt,
        CompareOp::Le,
    ];

    /// The OData keyword (`eq`, `ne`, ...).
    pub fn name(self) -> &'static str {
        match self {
            CompareOp::Eq => "eq",
            CompareOp::Ne => "ne",
            CompareOp::Gt => "gt",
            CompareOp::Ge => "ge",
            CompareOp::Lt => "lt",
            CompareOp::Le => "le",
        }
    }

    /// The operator spelled `keyword`, case-insensitively.
    pub fn from_keyword(keyword: &str) -> Option<CompareOp> {
        CompareOp::ALL
            .into_iter()
            .find(|op| op.name().eq_ignore_ascii_case(keyword))
    }

    /// True for `gt`, `ge`, `lt`, `le`.
    pub fn is_ordering(self) -> bool {
        !matches!(self, CompareOp::Eq | CompareOp::Ne)
    }

    /// The operator that gives the same answer with its operands swapped (`a lt b` is `b gt a`).
    pub fn mirror(self) -> CompareOp {
        match self {
            CompareOp::Gt => CompareOp::Lt,
            CompareOp::Ge => CompareOp::Le,
            CompareOp::Lt => CompareOp::Gt,
            CompareOp::Le => CompareOp::Ge,
            other => other,
        }
    }

    /// Whether `left op right` holds when `left` orders `ordering` to `right`.
    pub fn accepts(self, ordering: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        match self {
            CompareOp::Eq => ordering == Equal,
            CompareOp::Ne => ordering != Equal,
            CompareOp::Gt => ordering == Greater,
            CompareOp::Ge => ordering != Less,
            CompareOp::Lt => ordering == Less,
            CompareOp::Le => ordering != Greater,
        }
    }
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
    /// A property path (from the entity or a lambda variable).
    Path(ValuePath),
    /// A literal, already of the type it is compared with.
    Literal(Literal),
    /// A built-in function applied to type-checked arguments.
    Call {
        /// The function.
        func: Function,
        /// Its arguments, as many as it takes.
        args: Vec<BoundValue>,
    },
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
    /// All functions.
    pub const ALL: [Function; 13] = [
        Function::Contains,
        Function::StartsWith,
        Function::EndsWith,
        Function::ToLower,
        Function::ToUpper,
        Function::Length,
        Function::Trim,
        Function::Year,
        Function::Month,
        Function::Day,
        Function::Hour,
        Function::Minute,
        Function::Second,
    ];

    /// The function named `name`, case-insensitively.
    pub fn from_name(name: &str) -> Option<Function> {
        Function::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

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
    /// `null`.
    Null,
    /// `true`/`false`.
    Boolean(bool),
    /// An integer (compared with Int32/Int64 values, or with open dictionary values).
    Int(i64),
    /// A number with a fraction or exponent (or an integer compared with a Double value).
    Double(f64),
    /// Text (string literals, GUIDs compared with strings, enum members inside dictionaries).
    String(String),
    /// An instant; date literals become midnight UTC.
    DateTime(OffsetDateTime),
    /// A GUID compared with a Guid value.
    Guid(Uuid),
    /// An enum member in its canonical wire spelling.
    Enum(&'static str),
}
