//! Comparisons (`eq ne gt ge lt le`), `in` and `has`: operand binding, type checks, and folding of
//! comparisons between two literals into a constant.

use super::literal::{describe, fold, natural};
use super::path::Purpose;
use super::Binder;
use crate::ast::{self, Expr, ExprKind, Span};
use crate::bound::{BoundExpr, BoundValue, CompareOp, Literal};
use crate::error::{ErrorKind, ODataError};
use crate::schema::PropType;

/// A bound value and its type.
pub(super) struct Value {
    pub value: BoundValue,
    /// [`PropType::Dictionary`] for a value inside an open dictionary (any JSON type).
    pub ty: PropType,
    pub span: Span,
}

/// One side of a comparison: a value, or a literal still waiting for the type it will be compared with.
pub(super) enum Operand<'x, 'a> {
    Value(Value),
    Literal(&'x ast::Literal<'a>, Span),
}

fn is_numeric(ty: PropType) -> bool {
    matches!(ty, PropType::Int32 | PropType::Int64 | PropType::Double)
}

/// True when values of types `a` and `b` can be compared with each other.
fn compatible(a: PropType, b: PropType) -> bool {
    match (a, b) {
        (PropType::Dictionary, _) | (_, PropType::Dictionary) => true,
        (PropType::Enum(x), PropType::Enum(y)) => std::ptr::eq(x, y) || x.name == y.name,
        (PropType::String | PropType::Guid, PropType::String | PropType::Guid) => true,
        (PropType::Boolean, PropType::Boolean)
        | (PropType::DateTimeOffset, PropType::DateTimeOffset) => true,
        _ => is_numeric(a) && is_numeric(b),
    }
}

/// The constant a folded comparison yields.
fn constant(b: bool) -> BoundExpr {
    BoundExpr::Value(BoundValue::Literal(Literal::Boolean(b)))
}

impl<'a> Binder<'a, '_> {
    /// Binds a value-producing expression; literals are left for the caller to convert.
    pub(super) fn operand<'x>(&mut self, e: &'x Expr<'a>) -> Result<Operand<'x, 'a>, ODataError> {
        match &e.kind {
            ExprKind::Literal(lit) => Ok(Operand::Literal(lit, e.span)),
            ExprKind::Path(p) => {
                let r = self.resolve(p, Purpose::Filter)?;
                Ok(Operand::Value(Value {
                    value: BoundValue::Path(r.value),
                    ty: r.shape.ty,
                    span: e.span,
                }))
            }
            ExprKind::Call { function, args } => {
                self.call(*function, args, e.span).map(Operand::Value)
            }
            _ => {
                let msg = format!(
                    "'{}' is a condition, not a value; combine conditions with and, or, not",
                    self.text(e.span)
                );
                Err(self.error(ErrorKind::TypeMismatch, e.span, msg))
            }
        }
    }

    /// Refuses `op` on values of `v`'s type (collections, complex values, ordering on Booleans).
    fn check_comparable(&self, op: CompareOp, v: &Value) -> Result<(), ODataError> {
        let what = self.text(v.span);
        let msg = match v.ty {
            PropType::Collection(element) => {
                let inner = match element {
                    PropType::Complex(c) => {
                        format!("x/{}", c.properties.first().map_or("property", |p| p.name))
                    }
                    _ => "x".to_string(),
                };
                format!(
                    "'{what}' is a collection ({}); compare its elements with a lambda, e.g. \
                     {what}/any(x: {inner} eq ...)",
                    v.ty.type_name()
                )
            }
            PropType::Complex(c) => format!(
                "'{what}' is a complex value ({}); compare one of its properties, e.g. {what}/{}",
                c.name,
                c.properties.first().map_or("property", |p| p.name)
            ),
            PropType::Boolean if op.is_ordering() => {
                format!(
                    "'{what}' is Edm.Boolean; only eq and ne apply to it, not {}",
                    op.name()
                )
            }
            _ => return Ok(()),
        };
        Err(self.error(ErrorKind::InvalidUse, v.span, msg))
    }

    /// `left op right`.
    pub(super) fn compare(
        &mut self,
        op: CompareOp,
        left: &Expr<'a>,
        right: &Expr<'a>,
        span: Span,
    ) -> Result<BoundExpr, ODataError> {
        let (l, r) = (self.operand(left)?, self.operand(right)?);
        for side in [&l, &r] {
            if let (Operand::Literal(ast::Literal::Null, at), true) = (side, op.is_ordering()) {
                let msg = format!("null can only be compared with eq or ne, not {}", op.name());
                return Err(self.error(ErrorKind::InvalidUse, *at, msg));
            }
        }
        let (left, right) = match (l, r) {
            (Operand::Literal(a, _), Operand::Literal(b, _)) => return self.fold(op, a, b, span),
            (Operand::Value(v), Operand::Literal(lit, at)) => {
                let lit = self.literal_for(op, &v, lit, at)?;
                (v.value, BoundValue::Literal(lit))
            }
            (Operand::Literal(lit, at), Operand::Value(v)) => {
                let lit = self.literal_for(op, &v, lit, at)?;
                (BoundValue::Literal(lit), v.value)
            }
            (Operand::Value(a), Operand::Value(b)) => {
                self.check_comparable(op, &a)?;
                self.check_comparable(op, &b)?;
                if !compatible(a.ty, b.ty) {
                    let msg = format!(
                        "cannot compare '{}' ({}) with '{}' ({})",
                        self.text(a.span),
                        a.ty.type_name(),
                        self.text(b.span),
                        b.ty.type_name()
                    );
                    return Err(self.error(ErrorKind::TypeMismatch, span, msg));
                }
                (a.value, b.value)
            }
        };
        Ok(BoundExpr::Compare { op, left, right })
    }

    /// The literal `lit` converted for `v op lit`.
    fn literal_for(
        &self,
        op: CompareOp,
        v: &Value,
        lit: &ast::Literal<'_>,
        at: Span,
    ) -> Result<Literal, ODataError> {
        let is_complex_null = matches!((v.ty, lit), (PropType::Complex(_), ast::Literal::Null));
        if !is_complex_null {
            self.check_comparable(op, v)?;
        }
        self.convert(lit, at, v.ty, self.text(v.span))
    }

    /// `a op b` for two literals: a constant.
    fn fold(
        &self,
        op: CompareOp,
        a: &ast::Literal<'_>,
        b: &ast::Literal<'_>,
        span: Span,
    ) -> Result<BoundExpr, ODataError> {
        let (x, y) = (natural(a), natural(b));
        let ordering_bool = op.is_ordering() && matches!(x, Literal::Boolean(_));
        match fold(op, &x, &y).filter(|_| !ordering_bool) {
            Some(result) => Ok(constant(result)),
            None => {
                let msg = format!(
                    "cannot compare {} with {} using {}",
                    describe(a),
                    describe(b),
                    op.name()
                );
                Err(self.error(ErrorKind::TypeMismatch, span, msg))
            }
        }
    }

    /// `value in (item, ...)`.
    pub(super) fn in_list(
        &mut self,
        value: &Expr<'a>,
        list: &[Expr<'a>],
    ) -> Result<BoundExpr, ODataError> {
        let operand = self.operand(value)?;
        let mut items = Vec::with_capacity(list.len());
        for item in list {
            let ExprKind::Literal(lit) = &item.kind else {
                let msg =
                    "the list after 'in' holds literals only, e.g. status in ('new', 'inProgress')";
                return Err(self.error(ErrorKind::InvalidUse, item.span, msg));
            };
            if matches!(lit, ast::Literal::Null) {
                let msg = "null cannot be in an 'in' list; test it with eq null";
                return Err(self.error(ErrorKind::InvalidUse, item.span, msg));
            }
            items.push((lit, item.span));
        }
        match operand {
            Operand::Value(v) => {
                self.check_comparable(CompareOp::Eq, &v)?;
                let what = self.text(v.span);
                let list = items
                    .into_iter()
                    .map(|(lit, at)| self.convert(lit, at, v.ty, what))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(BoundExpr::In {
                    value: v.value,
                    list,
                })
            }
            Operand::Literal(a, _) => {
                let x = natural(a);
                let mut found = false;
                for (b, at) in items {
                    match fold(CompareOp::Eq, &x, &natural(b)) {
                        Some(equal) => found |= equal,
                        None => {
                            let msg =
                                format!("cannot compare {} with {}", describe(a), describe(b));
                            return Err(self.error(ErrorKind::TypeMismatch, at, msg));
                        }
                    }
                }
                Ok(constant(found))
            }
        }
    }

    /// `value has flag`, on a flags enum.
    pub(super) fn has(
        &mut self,
        value: &Expr<'a>,
        flag: &Expr<'a>,
    ) -> Result<BoundExpr, ODataError> {
        let Operand::Value(v) = self.operand(value)? else {
            let msg = "'has' needs a flags-enum property on its left";
            return Err(self.error(ErrorKind::InvalidUse, value.span, msg));
        };
        let what = self.text(v.span);
        let e = match v.ty {
            PropType::Enum(e) if e.is_flags => e,
            other => {
                let hint = if matches!(other, PropType::Enum(_)) {
                    "; use eq"
                } else {
                    ""
                };
                let msg = format!(
                    "'has' applies to flags enums only; '{what}' is {}{hint}",
                    other.type_name()
                );
                return Err(self.error(ErrorKind::InvalidUse, v.span, msg));
            }
        };
        let lit = match &flag.kind {
            ExprKind::Literal(lit) if !matches!(lit, ast::Literal::Null) => lit,
            _ => {
                let msg = format!(
                    "the right side of 'has' must be a member of {}, e.g. '{}'",
                    e.name,
                    e.members.first().unwrap_or(&"")
                );
                return Err(self.error(ErrorKind::InvalidUse, flag.span, msg));
            }
        };
        let flag = self.enum_member(lit, flag.span, e, what)?;
        Ok(BoundExpr::Has {
            value: v.value,
            flag,
        })
    }
}
