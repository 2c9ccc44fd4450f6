//! Function calls: arity and argument types of the built-in functions, and their result types.

use super::compare::{Operand, Value};
use super::literal::describe;
use super::Binder;
use crate::ast::{Expr, Span};
use crate::bound::{BoundValue, Function};
use crate::error::{ErrorKind, ODataError};
use crate::schema::PropType;

/// The parameter types and the result type of `f`.
fn signature(f: Function) -> (&'static [PropType], PropType) {
    const STR: &[PropType] = &[PropType::String];
    const STR_STR: &[PropType] = &[PropType::String, PropType::String];
    const DATE_TIME: &[PropType] = &[PropType::DateTimeOffset];
    match f {
        Function::Contains | Function::StartsWith | Function::EndsWith => {
            (STR_STR, PropType::Boolean)
        }
        Function::ToLower | Function::ToUpper | Function::Trim => (STR, PropType::String),
        Function::Length => (STR, PropType::Int32),
        Function::Year
        | Function::Month
        | Function::Day
        | Function::Hour
        | Function::Minute
        | Function::Second => (DATE_TIME, PropType::Int32),
    }
}

/// True when a value of type `actual` may be passed where `param` is expected.
fn accepts(param: PropType, actual: PropType) -> bool {
    matches!(
        (param, actual),
        (_, PropType::Dictionary)
            | (PropType::String, PropType::String)
            | (PropType::DateTimeOffset, PropType::DateTimeOffset)
    )
}

impl<'a> Binder<'a, '_> {
    /// `f(args...)`, type-checked.
    pub(super) fn call(
        &mut self,
        f: Function,
        args: &[Expr<'a>],
        span: Span,
    ) -> Result<Value, ODataError> {
        let (params, result) = signature(f);
        if args.len() != params.len() {
            let msg = format!(
                "{}() takes {} argument{}, found {}",
                f.name(),
                params.len(),
                if params.len() == 1 { "" } else { "s" },
                args.len()
            );
            return Err(self.error(ErrorKind::TypeMismatch, span, msg));
        }
        let mut bound = Vec::with_capacity(args.len());
        for (arg, param) in args.iter().zip(params) {
            bound.push(self.argument(f, arg, *param)?);
        }
        Ok(Value {
            value: BoundValue::Call {
                func: f,
                args: bound,
            },
            ty: result,
            span,
        })
    }

    /// One argument of `f`, expected to be of type `param`.
    fn argument(
        &mut self,
        f: Function,
        arg: &Expr<'a>,
        param: PropType,
    ) -> Result<BoundValue, ODataError> {
        match self.operand(arg)? {
            Operand::Value(v) if accepts(param, v.ty) => Ok(v.value),
            Operand::Value(v) => {
                let what = self.text(v.span);
                let hint = match v.ty {
                    PropType::Collection(_) => {
                        format!(
                            "; to test its elements write {what}/any(x: {}(x, ...))",
                            f.name()
                        )
                    }
                    _ => String::new(),
                };
                let msg = format!(
                    "{}() needs {} arguments; '{what}' is {}{hint}",
                    f.name(),
                    param.type_name(),
                    v.ty.type_name()
                );
                Err(self.error(ErrorKind::TypeMismatch, v.span, msg))
            }
            Operand::Literal(lit, span) => {
                use crate::ast::Literal as L;
                let fits = matches!(
                    (param, lit),
                    (PropType::String, L::String(_) | L::Guid { .. })
                        | (
                            PropType::DateTimeOffset,
                            L::DateTime(_) | L::Date(_) | L::String(_)
                        )
                );
                if matches!(lit, L::Null) {
                    let msg = format!("null is not a valid argument of {}()", f.name());
                    return Err(self.error(ErrorKind::TypeMismatch, span, msg));
                }
                if !fits {
                    let msg = format!(
                        "{}() needs {} arguments; {} is {}",
                        f.name(),
                        param.type_name(),
                        self.text(span),
                        describe(lit)
                    );
                    return Err(self.error(ErrorKind::TypeMismatch, span, msg));
                }
                self.convert(lit, span, param, f.name())
                    .map(BoundValue::Literal)
            }
        }
    }
}
