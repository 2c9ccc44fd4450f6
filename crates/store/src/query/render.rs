//! `$filter` → SQL predicate.
//!
//! Semantics, following OData rather than SQL's three-valued logic:
//! - `eq null` / `ne null` are `IS NULL` / `IS NOT NULL`; `x ne 'v'` is true when `x` is null; any
//!   other comparison with a null operand is false. `not` is rendered `(p) IS NOT TRUE` so that a
//!   null-valued comparison under `not` is true, and `all` fails on elements whose predicate is null.
//! - `eq`, `ne`, `in`, `contains`, `startswith`, `endswith` on strings (and GUIDs) ignore case (ASCII
//!   case folding on SQLite). Enum members are canonical, so enum comparisons are exact and use the
//!   indexes; alert ids compare exactly. Range comparisons and ordering are binary.
//! - Date-times are stored as fixed-width UTC text, so they compare as text; literals are rendered
//!   the same way. `year()`..`second()` read the digits of that text (null where they are not
//!   digits).
//! - A value whose JSON type is not the one read — a number or an array compared with a string, a
//!   string compared with a number, `1` where a Boolean is expected — is null, and a collection that
//!   is not a JSON array has no elements. Only dictionary values and values inside collection
//!   elements can be such (see [`Dialect::json_scalar`](crate::dialect::Dialect::json_scalar)).
//! - `contains` and friends escape `%`, `_` and `\` in the needle (`ESCAPE '\'`).
//! - Lambdas: `c/any(x: p)` is `EXISTS (SELECT 1 FROM json_each(c) AS eN WHERE p)`, `c/all(x: p)` is
//!   `NOT EXISTS (... WHERE (p) IS NOT TRUE)`; the `N`-th nested variable is alias `eN`.

use super::literals::{escape_like, literal_kind, literal_value};
use super::{path_sql, resolve_as, scope_source, Documents, SqlParams};
use crate::dialect::Kind;
use crate::error::StoreError;
use crate::value::Value;
use odata::bound::{BoundExpr, BoundValue, CompareOp, Function, Literal, ValuePath};
use odata::schema::PropType;

/// Renders `expr` over `docs`, adding its parameters to `p`.
pub(crate) fn render_filter(
    p: &mut SqlParams,
    docs: &'static Documents,
    expr: &BoundExpr,
) -> Result<String, StoreError> {
    Renderer { p, docs, depth: 0 }.expr(expr)
}

/// A rendered value expression with what comparisons need to know about it.
struct Operand {
    sql: String,
    nullable: bool,
    /// Compare case-insensitively (strings, GUIDs; not ids or enums).
    ci: bool,
}

struct Renderer<'a> {
    p: &'a mut SqlParams,
    docs: &'static Documents,
    /// How many lambdas enclose what is being rendered: the next one's variable is `e{depth + 1}`.
    depth: usize,
}

impl Renderer<'_> {
    fn expr(&mut self, e: &BoundExpr) -> Result<String, StoreError> {
        Ok(match e {
            BoundExpr::And(a, b) => format!("({}) AND ({})", self.expr(a)?, self.expr(b)?),
            BoundExpr::Or(a, b) => format!("({}) OR ({})", self.expr(a)?, self.expr(b)?),
            BoundExpr::Not(a) => format!("({}) IS NOT TRUE", self.expr(a)?),
            BoundExpr::Compare { op, left, right } => self.compare(*op, left, right)?,
            BoundExpr::In { value, list } => self.in_list(value, list)?,
            BoundExpr::Has { value, flag } => self.has(value, flag)?,
            BoundExpr::Any {
                collection,
                predicate,
            } => self.lambda(collection, predicate.as_deref(), false)?,
            BoundExpr::All {
                collection,
                predicate,
            } => self.lambda(collection, Some(predicate), true)?,
            BoundExpr::Value(v) => self.predicate_value(v)?,
        })
    }

    fn compare(
        &mut self,
        op: CompareOp,
        left: &BoundValue,
        right: &BoundValue,
    ) -> Result<String, StoreError> {
        let (op, left, right) = match (left, right) {
            (BoundValue::Literal(_), r) if !matches!(r, BoundValue::Literal(_)) => {
                (op.mirror(), right, left)
            }
            _ => (op, left, right),
        };
        match right {
            BoundValue::Literal(Literal::Null) => {
                let l = self.operand(left)?;
                match op {
                    CompareOp::Eq => Ok(format!("{} IS NULL", l.sql)),
                    CompareOp::Ne => Ok(format!("{} IS NOT NULL", l.sql)),
                    _ => Err(StoreError::InvalidQuery(
                        "null can only be compared with eq or ne".into(),
                    )),
                }
            }
            BoundValue::Literal(Literal::Enum(member)) if op.is_ordering() => {
                self.enum_order(op, left, member)
            }
            BoundValue::Literal(lit) => {
                let l = self.operand_as(left, literal_kind(lit))?;
                let ci = l.ci && matches!(lit, Literal::String(_) | Literal::Guid(_));
                let r = self.p.bind(literal_value(lit));
                Ok(self.comparison(op, &l, &r, ci))
            }
            _ => {
                let l = self.operand(left)?;
                let r = self.operand(right)?;
                let ci = l.ci && r.ci;
                Ok(match op {
                    CompareOp::Eq => self.p.dialect.null_safe_eq(&l.sql, &r.sql, ci),
                    CompareOp::Ne => {
                        format!("NOT ({})", self.p.dialect.null_safe_eq(&l.sql, &r.sql, ci))
                    }
                    _ => format!("{} {} {}", l.sql, sql_op(op), r.sql),
                })
            }
        }
    }

    /// `e gt 'member'` and friends compare declaration order: rendered as membership in the set of
    /// members on the requested side, which keeps enum columns index-friendly.
    fn enum_order(
        &mut self,
        op: CompareOp,
        left: &BoundValue,
        member: &str,
    ) -> Result<String, StoreError> {
        let ty = match left {
            BoundValue::Path(p) => p.path.ty,
            _ => {
                return Err(StoreError::InvalidQuery(
                    "an enum member can only be compared with a property".into(),
                ))
            }
        };
        let PropType::Enum(e) = ty else {
            return Err(StoreError::InvalidQuery(format!(
                "'{member}' is not comparable with {}",
                ty.type_name()
            )));
        };
        let pos = e.members.iter().position(|m| *m == member).unwrap_or(0);
        let chosen: Vec<Literal> = e
            .members
            .iter()
            .enumerate()
            .filter(|(i, _)| match op {
                CompareOp::Gt => *i > pos,
                CompareOp::Ge => *i >= pos,
                CompareOp::Lt => *i < pos,
                _ => *i <= pos,
            })
            .map(|(_, m)| Literal::Enum(m))
            .collect();
        self.in_list(left, &chosen)
    }

    /// `l op r` where `r` is a bound parameter.
    fn comparison(&self, op: CompareOp, l: &Operand, r: &str, ci: bool) -> String {
        let d = self.p.dialect;
        let eq = if ci {
            d.ci_eq(&l.sql, r)
        } else {
            format!("{} = {r}", l.sql)
        };
        match op {
            CompareOp::Eq => eq,
            CompareOp::Ne => {
                let ne = if ci {
                    format!("NOT ({eq})")
                } else {
                    format!("{} <> {r}", l.sql)
                };
                if l.nullable {
                    format!("({} IS NULL OR {ne})", l.sql)
                } else {
                    ne
                }
            }
            _ => format!("{} {} {r}", l.sql, sql_op(op)),
        }
    }

    fn in_list(&mut self, value: &BoundValue, list: &[Literal]) -> Result<String, StoreError> {
        let v = self.operand_as(value, list.iter().find_map(literal_kind))?;
        let with_null = list.iter().any(|l| matches!(l, Literal::Null));
        let items: Vec<String> = list
            .iter()
            .filter(|l| !matches!(l, Literal::Null))
            .map(|l| self.p.bind(literal_value(l)))
            .collect();
        let ci = v.ci
            && list
                .iter()
                .any(|l| matches!(l, Literal::String(_) | Literal::Guid(_)));
        let mut sql = match (items.is_empty(), ci) {
            (true, _) => "1 = 0".to_owned(),
            (false, true) => self.p.dialect.ci_in(&v.sql, &items),
            (false, false) => format!("{} IN ({})", v.sql, items.join(", ")),
        };
        if with_null {
            sql = format!("({sql} OR {} IS NULL)", v.sql);
        }
        Ok(sql)
    }

    fn has(&mut self, value: &BoundValue, flag: &str) -> Result<String, StoreError> {
        let v = self.operand(value)?;
        let needle = self.p.bind(Value::Text(format!(",{flag},")));
        let hay = format!("',' || replace({}, ' ', '') || ','", v.sql);
        Ok(format!("{} > 0", self.p.dialect.position(&hay, &needle)))
    }

    fn lambda(
        &mut self,
        collection: &ValuePath,
        pred: Option<&BoundExpr>,
        all: bool,
    ) -> Result<String, StoreError> {
        let d = self.p.dialect;
        // The variable is named for the nesting depth, which the binder numbers scopes by: the
        // collection may start from an outer variable (`x/a/any(y: x/b/any(z: ..))`), so its own
        // scope does not tell the depth.
        let alias = format!("e{}", self.depth + 1);
        let src = scope_source(self.p, self.docs, collection.scope);
        let path = path_sql(self.p, &collection.path)?.unwrap_or_else(|| d.json_root().to_owned());
        let from = d.json_each(&src, &path, &alias);
        self.depth += 1;
        let pred = pred.map(|p| self.expr(p)).transpose();
        self.depth -= 1;
        let pred = pred?;
        let elements = d
            .json_element_filter(&alias)
            .map_or_else(String::new, |f| format!("{f} AND "));
        Ok(match (all, pred) {
            (false, None) => match d.json_element_filter(&alias) {
                Some(f) => format!("EXISTS (SELECT 1 FROM {from} WHERE {f})"),
                None => format!("EXISTS (SELECT 1 FROM {from})"),
            },
            (false, Some(p)) => format!("EXISTS (SELECT 1 FROM {from} WHERE {elements}{p})"),
            (true, Some(p)) => {
                format!("NOT EXISTS (SELECT 1 FROM {from} WHERE {elements}({p}) IS NOT TRUE)")
            }
            (true, None) => d.true_predicate().to_owned(),
        })
    }

    /// A Boolean-valued expression used as a predicate.
    fn predicate_value(&mut self, v: &BoundValue) -> Result<String, StoreError> {
        let d = self.p.dialect;
        match v {
            BoundValue::Literal(Literal::Boolean(true)) => Ok(d.true_predicate().to_owned()),
            BoundValue::Literal(Literal::Boolean(false)) => {
                Ok(format!("NOT ({})", d.true_predicate()))
            }
            BoundValue::Call { func, args } if is_text_match(*func) => self.text_match(*func, args),
            BoundValue::Path(_) => Ok(d.is_true(&self.operand(v)?.sql)),
            other => Err(StoreError::InvalidQuery(format!(
                "{other:?} is not a Boolean expression"
            ))),
        }
    }

    /// `contains`, `startswith`, `endswith`: a case-insensitive LIKE with the needle escaped.
    fn text_match(&mut self, func: Function, args: &[BoundValue]) -> Result<String, StoreError> {
        let (hay, needle) = match args {
            [hay, BoundValue::Literal(Literal::String(n))] => (hay, n),
            _ => {
                return Err(StoreError::InvalidQuery(format!(
                    "the second argument of {} must be a string literal",
                    func.name()
                )))
            }
        };
        let hay = self.operand(hay)?;
        let escaped = escape_like(needle);
        let pattern = match func {
            Function::StartsWith => format!("{escaped}%"),
            Function::EndsWith => format!("%{escaped}"),
            _ => format!("%{escaped}%"),
        };
        let p = self.p.bind(Value::Text(pattern));
        Ok(self.p.dialect.ci_like(&hay.sql, &p))
    }

    fn operand(&mut self, v: &BoundValue) -> Result<Operand, StoreError> {
        self.operand_as(v, None)
    }

    /// An operand; a value below an open dictionary is read as `hint` (see [`resolve_as`]).
    fn operand_as(&mut self, v: &BoundValue, hint: Option<Kind>) -> Result<Operand, StoreError> {
        match v {
            BoundValue::Path(path) => {
                let r = resolve_as(self.p, self.docs, path, hint)?;
                let ci = !r.exact && is_string(&path.path.ty);
                Ok(Operand {
                    sql: r.sql,
                    nullable: r.nullable,
                    ci,
                })
            }
            BoundValue::Literal(l) => {
                let ci = matches!(l, Literal::String(_) | Literal::Guid(_));
                Ok(Operand {
                    sql: self.p.bind(literal_value(l)),
                    nullable: matches!(l, Literal::Null),
                    ci,
                })
            }
            BoundValue::Call { func, args } => self.call(*func, args),
        }
    }

    fn call(&mut self, func: Function, args: &[BoundValue]) -> Result<Operand, StoreError> {
        if is_text_match(func) {
            let sql = self.text_match(func, args)?;
            return Ok(Operand {
                sql: format!("({sql})"),
                nullable: true,
                ci: false,
            });
        }
        let [arg] = args else {
            return Err(StoreError::InvalidQuery(format!(
                "{} takes one argument",
                func.name()
            )));
        };
        let a = self.operand(arg)?.sql;
        let (sql, ci) = match func {
            Function::ToLower => (format!("lower({a})"), true),
            Function::ToUpper => (format!("upper({a})"), true),
            Function::Trim => (format!("trim({a})"), true),
            Function::Length => (format!("length({a})"), false),
            _ => (date_part(func, &a), false),
        };
        Ok(Operand {
            sql,
            nullable: true,
            ci,
        })
    }
}

fn is_text_match(f: Function) -> bool {
    matches!(
        f,
        Function::Contains | Function::StartsWith | Function::EndsWith
    )
}

fn is_string(ty: &PropType) -> bool {
    matches!(ty, PropType::String | PropType::Guid | PropType::Dictionary)
}

/// `year(dt)` .. `second(dt)` from the fixed-width UTC text `yyyy-mm-ddThh:mm:ss.fffffffZ`; NULL
/// unless those characters are all digits (an evidence item kept verbatim may hold any text, and
/// PostgreSQL's cast would fail where SQLite's reads a number prefix).
fn date_part(func: Function, a: &str) -> String {
    let (start, len) = match func {
        Function::Year => (1, 4),
        Function::Month => (6, 2),
        Function::Day => (9, 2),
        Function::Hour => (12, 2),
        Function::Minute => (15, 2),
        _ => (18, 2),
    };
    let digits = format!("substr({a}, {start}, {len})");
    format!(
        "(CASE WHEN length({digits}) = {len} AND ltrim({digits}, '0123456789') = '' \
         THEN CAST({digits} AS INTEGER) END)"
    )
}

fn sql_op(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Eq => "=",
        CompareOp::Ne => "<>",
        CompareOp::Gt => ">",
        CompareOp::Ge => ">=",
        CompareOp::Lt => "<",
        CompareOp::Le => "<=",
    }
}
