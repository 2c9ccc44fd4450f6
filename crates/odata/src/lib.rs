//! OData query options for secgraph: parse, then bind against an entity schema.
//!
//! No HTTP, no SQL. The API crate hands the raw query string to [`parse_query_string`], then
//! [`bind`]s the result against the entity's [`schema::EntitySchema`]; the store renders the
//! [`bound`] tree to SQL with bind parameters only. Every failure is an [`ODataError`] saying which
//! option failed, where (a byte offset in the decoded value), and what to write instead.
//!
//! ```
//! use odata::{bind, parse_query_string, BindOptions};
//! let options = parse_query_string("$filter=severity%20eq%20%27High%27&$top=5").unwrap();
//! let query = bind(&options, &odata::testing::ALERT, &BindOptions::default()).unwrap();
//! assert_eq!(query.top, Some(5));
//! ```
//!
//! # Pipeline
//!
//! 1. [`options`]: split the query string, decode with form rules (`+` is a space), recognise system
//!    options with or without `$`, in any case; check `$top`, `$skip`, `$count`.
//! 2. [`parser`]: a hand-written recursive-descent parser producing an [`ast`] with byte spans.
//! 3. [`binder`]: resolve names case-insensitively to canonical properties, type-check, convert
//!    literals, and produce [`bound::BoundQuery`].
//!
//! # `$filter` grammar
//!
//! Keywords and function names are case-insensitive; whitespace separates tokens.
//!
//! ```text
//! filter      = or_expr END
//! or_expr     = and_expr { "or" and_expr }
//! and_expr    = not_expr { "and" not_expr }
//! not_expr    = "not" not_expr | comparison
//! comparison  = primary [ cmp_op primary | "has" primary | "in" list ]
//! cmp_op      = "eq" | "ne" | "gt" | "ge" | "lt" | "le"
//! list        = "(" primary { "," primary } ")"
//! primary     = "(" or_expr ")" | literal | call | path_expr
//! call        = function "(" [ primary { "," primary } ] ")"
//! function    = "contains" | "startswith" | "endswith" | "tolower" | "toupper" | "length" | "trim"
//!             | "year" | "month" | "day" | "hour" | "minute" | "second"
//! path_expr   = segment { "/" segment } [ "/" lambda ]
//! segment     = name | qualified_name            (a qualified name is a type cast)
//! lambda      = ("any" | "all") "(" [ name ":" or_expr ] ")"     (all needs the predicate)
//! literal     = string | integer | double | date_time | date | guid | enum_literal
//!             | "true" | "false" | "null"
//! string      = "'" { char | "''" } "'"
//! integer     = [ "-" ] digits
//! double      = [ "-" ] digits [ "." digits ] [ ("e" | "E") [ "+" | "-" ] digits ]
//! date        = YYYY "-" MM "-" DD
//! date_time   = date "T" hh ":" mm [ ":" ss [ "." digits ] ] ( "Z" | ("+" | "-") hh ":" mm )
//! guid        = 8HEX "-" 4HEX "-" 4HEX "-" 4HEX "-" 12HEX
//! enum_literal = qualified_name string           (e.g. microsoft.graph.security.alertSeverity'high')
//! name        = (letter | "_") { letter | digit | "_" }
//! qualified_name = name "." name { "." name }
//! ```
//!
//! Precedence from loosest to tightest: `or`, `and`, `not`, comparisons, primaries; so
//! `not a eq b` is `not (a eq b)`. Comparisons do not chain. Arithmetic, `$it`, `$root`, parameter
//! aliases and OData v2 typed literals (`datetime'...'`) are refused with a message saying so.
//!
//! # The list options
//!
//! ```text
//! orderby     = order_item { "," order_item }      order_item  = path [ "asc" | "desc" ]
//! select      = select_item { "," select_item }    select_item = "*" | path
//! expand      = expand_item { "," expand_item }    expand_item = "*" | name
//! path        = segment { "/" segment }
//! ```
//!
//! Nested `$expand` options (`alerts($select=id)`) are refused as not supported.
//!
//! # Limits
//!
//! * Each option value is at most [`parser::MAX_OPTION_LEN`] bytes (8 KiB) after decoding.
//! * `$filter` nests at most [`BindOptions::max_depth`] levels (default 64): each parenthesis,
//!   `not`, function call and `any`/`all` adds one. Deeper input is a [`ErrorKind::TooDeep`] error,
//!   never a stack overflow.
//! * `and`/`or` chains are parsed by loops and bound into balanced trees, so a long chain of clauses
//!   yields a bound tree of logarithmic depth.

pub mod ast;
pub mod binder;
pub mod bound;
mod datetime;
pub mod error;
pub mod eval;
mod lexer;
pub mod options;
pub mod parser;
pub mod schema;
mod suggestion;
#[doc(hidden)]
pub mod testing;

pub use binder::{bind, bind_filter, BindOptions};
pub use error::{ErrorKind, ODataError};
pub use options::{encode_query_value, parse_query_string, QueryOptions};
pub use parser::{parse_expand, parse_filter, parse_orderby, parse_select};
