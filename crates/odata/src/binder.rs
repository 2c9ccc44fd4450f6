//! The binder: checks a parsed query against an [`EntitySchema`] and produces the typed
//! [`crate::bound`] tree.
//!
//! Binding resolves every name to its canonical property (case-insensitively), converts every literal
//! to the type it is compared with, and refuses anything the store could not render exactly: unknown
//! properties (with a "did you mean"), operators on types they do not apply to, enum members that do
//! not exist or that the caller may not see. Chains of `and`/`or` become balanced trees, so that the
//! depth of the bound tree stays logarithmic in the number of clauses.

mod call;
mod compare;
mod literal;
mod path;
mod query;

use crate::ast::{Expr, ExprKind, Lambda, LambdaKind, Span};
use crate::bound::{BoundExpr, BoundQuery, BoundValue, Literal};
use crate::error::{ErrorKind, ODataError};
use crate::options::QueryOptions;
use crate::parser::{parse_filter_with_depth, DEFAULT_MAX_DEPTH};
use crate::schema::{ComplexType, EntitySchema, PropType};
use path::Purpose;

/// How to bind.
///
/// Construct with `BindOptions { include_unknown_enum_members: true, ..Default::default() }` so that
/// fields added later keep compiling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindOptions {
    /// The caller sent `Prefer: include-unknown-enum-members`: enum members declared after
    /// `unknownFutureValue` may be used. Default `false`.
    pub include_unknown_enum_members: bool,
    /// The deepest nesting `$filter` may use (parentheses, `not`, calls, `any`/`all`). Default
    /// [`DEFAULT_MAX_DEPTH`] (64).
    pub max_depth: usize,
}

impl Default for BindOptions {
    fn default() -> Self {
        BindOptions {
            include_unknown_enum_members: false,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

/// Binds all query options of a request against `schema`.
///
/// `$top`, `$skip`, `$count` and `$skiptoken` are copied; `$format`, `$levels`, `$deltatoken` and
/// unknown non-`$` parameters are left to the caller.
pub fn bind(
    options: &QueryOptions,
    schema: &'static EntitySchema,
    opts: &BindOptions,
) -> Result<BoundQuery, ODataError> {
    let filter = options
        .filter
        .as_deref()
        .map(|f| bind_filter(f, schema, opts))
        .transpose()?;
    let orderby = match options.orderby.as_deref() {
        Some(text) => query::orderby(text, schema)?,
        None => Vec::new(),
    };
    let select = match options.select.as_deref() {
        Some(text) => query::select(text, schema)?,
        None => None,
    };
    let expand = match options.expand.as_deref() {
        Some(text) => query::expand(text)?,
        None => Vec::new(),
    };
    Ok(BoundQuery {
        filter,
        orderby,
        select,
        expand,
        top: options.top,
        skip: options.skip,
        count: options.count,
        skiptoken: options.skiptoken.clone(),
    })
}

/// Parses and binds one `$filter` value (also used for the `?$filter=` of subscription resources).
pub fn bind_filter(
    text: &str,
    schema: &'static EntitySchema,
    opts: &BindOptions,
) -> Result<BoundExpr, ODataError> {
    let expr = parse_filter_with_depth(text, opts.max_depth)?;
    let mut binder = Binder::new(text, "$filter", schema, opts);
    binder.expr(&expr)
}

/// The value a lambda variable ranges over.
#[derive(Debug, Clone, Copy)]
struct Shape {
    /// The declared type.
    ty: PropType,
    /// For a complex value after a type-cast segment: the derived type it was narrowed to.
    narrowed: Option<&'static ComplexType>,
}

/// A lambda variable in scope.
struct Scope<'a> {
    name: &'a str,
    element: Shape,
}

/// Binding state for one option value.
struct Binder<'a, 'o> {
    src: &'a str,
    option: &'static str,
    schema: &'static EntitySchema,
    opts: &'o BindOptions,
    /// Lambda variables, outermost first (`ValuePath::scope` is the index plus one).
    scopes: Vec<Scope<'a>>,
}

impl<'a, 'o> Binder<'a, 'o> {
    fn new(
        src: &'a str,
        option: &'static str,
        schema: &'static EntitySchema,
        opts: &'o BindOptions,
    ) -> Self {
        Binder {
            src,
            option,
            schema,
            opts,
            scopes: Vec::new(),
        }
    }

    fn error(&self, kind: ErrorKind, span: Span, message: impl Into<String>) -> ODataError {
        ODataError::new(self.option, kind, message).at(span.start)
    }

    /// The source text of `span`, for messages.
    fn text(&self, span: Span) -> &'a str {
        self.src.get(span.start..span.end).unwrap_or("")
    }

    /// Binds a boolean expression.
    fn expr(&mut self, e: &Expr<'a>) -> Result<BoundExpr, ODataError> {
        match &e.kind {
            ExprKind::Or(items) => self.chain(items, e.span, BoundExpr::Or),
            ExprKind::And(items) => self.chain(items, e.span, BoundExpr::And),
            ExprKind::Not(inner) => Ok(BoundExpr::Not(Box::new(self.expr(inner)?))),
            ExprKind::Compare { op, left, right } => self.compare(*op, left, right, e.span),
            ExprKind::Has { value, flag } => self.has(value, flag),
            ExprKind::In { value, list } => self.in_list(value, list),
            ExprKind::Lambda(lambda) => self.lambda(lambda, e.span),
            ExprKind::Path(_) | ExprKind::Call { .. } | ExprKind::Literal(_) => self.predicate(e),
        }
    }

    /// Binds the operands of an n-ary `and`/`or` and joins them into a balanced tree.
    fn chain(
        &mut self,
        items: &[Expr<'a>],
        span: Span,
        join: fn(Box<BoundExpr>, Box<BoundExpr>) -> BoundExpr,
    ) -> Result<BoundExpr, ODataError> {
        let mut level = items
            .iter()
            .map(|i| self.expr(i))
            .collect::<Result<Vec<_>, _>>()?;
        while level.len() > 1 {
            let mut next = Vec::with_capacity(level.len().div_ceil(2));
            let mut it = level.into_iter();
            while let Some(a) = it.next() {
                next.push(match it.next() {
                    Some(b) => join(Box::new(a), Box::new(b)),
                    None => a,
                });
            }
            level = next;
        }
        level
            .pop()
            .ok_or_else(|| self.error(ErrorKind::Syntax, span, "an and/or without operands"))
    }

    /// A value used as a condition by itself: a Boolean property, a Boolean function, `true`/`false`.
    fn predicate(&mut self, e: &Expr<'a>) -> Result<BoundExpr, ODataError> {
        match self.operand(e)? {
            compare::Operand::Value(v) if matches!(v.ty, PropType::Boolean) => {
                Ok(BoundExpr::Value(v.value))
            }
            compare::Operand::Value(v) => {
                let msg = format!(
                    "'{}' is {}, not a condition; compare it with a value, e.g. {} eq ...",
                    self.text(v.span),
                    v.ty.type_name(),
                    self.text(v.span)
                );
                Err(self.error(ErrorKind::InvalidUse, v.span, msg))
            }
            compare::Operand::Literal(crate::ast::Literal::Boolean(b), _) => {
                Ok(BoundExpr::Value(BoundValue::Literal(Literal::Boolean(*b))))
            }
            compare::Operand::Literal(_, span) => {
                let msg = format!("the literal {} alone is not a condition", self.text(span));
                Err(self.error(ErrorKind::TypeMismatch, span, msg))
            }
        }
    }

    /// `collection/any(v: predicate)`, `collection/all(v: predicate)`, `collection/any()`.
    fn lambda(&mut self, l: &Lambda<'a>, span: Span) -> Result<BoundExpr, ODataError> {
        let resolved = self.resolve(&l.collection, Purpose::Filter)?;
        let PropType::Collection(element) = resolved.shape.ty else {
            let msg = format!(
                "{}() applies to collections; '{}' is {}",
                l.kind.name(),
                l.collection,
                resolved.shape.ty.type_name()
            );
            return Err(self.error(ErrorKind::InvalidUse, l.collection.span, msg));
        };
        let collection = resolved.value;
        let Some(body) = &l.body else {
            return match l.kind {
                LambdaKind::Any => Ok(BoundExpr::Any {
                    collection,
                    predicate: None,
                }),
                LambdaKind::All => {
                    Err(self.error(ErrorKind::Syntax, span, "all() needs a condition"))
                }
            };
        };
        let name = body.variable.text;
        if self.scopes.iter().any(|s| s.name == name) {
            let msg = format!(
                "the variable '{name}' is already used by an enclosing any/all; choose another name"
            );
            return Err(self.error(ErrorKind::Syntax, body.variable.span, msg));
        }
        let element = Shape {
            ty: *element,
            narrowed: None,
        };
        self.scopes.push(Scope { name, element });
        let predicate = self.expr(&body.predicate);
        self.scopes.pop();
        let predicate = Box::new(predicate?);
        Ok(match l.kind {
            LambdaKind::Any => BoundExpr::Any {
                collection,
                predicate: Some(predicate),
            },
            LambdaKind::All => BoundExpr::All {
                collection,
                predicate,
            },
        })
    }
}
