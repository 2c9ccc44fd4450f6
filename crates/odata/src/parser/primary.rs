//! The operands of `$filter`: parenthesised expressions, literals, function calls, property paths and
//! the `any`/`all` lambdas that may end a path.

use super::{Parser, OPERATORS, UNSUPPORTED_FUNCTIONS};
use crate::ast::{Expr, ExprKind, Lambda, LambdaBody, LambdaKind, Literal, Name, Path, Span};
use crate::bound::Function;
use crate::error::{ErrorKind, ODataError};
use crate::lexer::Tok;

impl<'a> Parser<'a> {
    /// `primary = "(" or_expr ")" | literal | call | path_expr`
    pub(super) fn parse_primary(&mut self) -> Result<Expr<'a>, ODataError> {
        let tok = self.advance()?;
        match tok.tok {
            Tok::OpenParen => {
                let inner = self.parse_or()?;
                self.close(tok.span.start, "'and', 'or' or ")?;
                Ok(inner)
            }
            Tok::Literal(lit) => Ok(Expr {
                kind: ExprKind::Literal(lit),
                span: tok.span,
            }),
            Tok::Name(name) => self.parse_name_primary(Name {
                text: name,
                span: tok.span,
            }),
            _ => {
                let found = self.describe(&tok);
                let msg = format!(
                    "expected a value (a property, a literal or a function call), found {found}"
                );
                Err(self.error(ErrorKind::Syntax, tok.span.start, msg))
            }
        }
    }

    /// `literal = "true" | "false" | "null" | ...`, `call = function "(" args ")"`, or a path.
    fn parse_name_primary(&mut self, name: Name<'a>) -> Result<Expr<'a>, ODataError> {
        let keyword = [
            ("true", Literal::Boolean(true)),
            ("false", Literal::Boolean(false)),
            ("null", Literal::Null),
        ]
        .into_iter()
        .find(|(k, _)| name.text.eq_ignore_ascii_case(k));
        if let Some((_, lit)) = keyword {
            return Ok(Expr {
                kind: ExprKind::Literal(lit),
                span: name.span,
            });
        }
        if self.cur.tok == Tok::OpenParen {
            return self.parse_call(name);
        }
        if self.cur.tok != Tok::Slash && OPERATORS.iter().any(|o| o.eq_ignore_ascii_case(name.text))
        {
            let msg = format!("expected a value before '{}'", name.text);
            return Err(self.error(ErrorKind::Syntax, name.span.start, msg));
        }
        self.parse_path_expr(name)
    }

    /// `call = function "(" [ primary { "," primary } ] ")"`
    fn parse_call(&mut self, name: Name<'a>) -> Result<Expr<'a>, ODataError> {
        let Some(function) = Function::from_name(name.text) else {
            return Err(self.unknown_function(name));
        };
        let open = self.advance()?.span.start;
        self.enter(open)?;
        let mut args = Vec::with_capacity(2);
        if self.cur.tok != Tok::CloseParen {
            args.push(self.parse_primary()?);
            while self.cur.tok == Tok::Comma {
                self.advance()?;
                args.push(self.parse_primary()?);
            }
        }
        let close = self.close(open, "',' or ")?;
        self.leave();
        Ok(Expr {
            kind: ExprKind::Call { function, args },
            span: name.span.to(close),
        })
    }

    fn unknown_function(&self, name: Name<'a>) -> ODataError {
        let supported = "contains, startswith, endswith, tolower, toupper, length, trim, year, \
                         month, day, hour, minute, second";
        let lower = name.text.to_ascii_lowercase();
        let (kind, msg) = match lower.as_str() {
            "substringof" => (
                ErrorKind::NotSupported,
                "substringof is OData v2; use contains(property, 'text'), which takes the \
                 searched string first"
                    .to_string(),
            ),
            "any" | "all" => (
                ErrorKind::Syntax,
                format!("{lower}() must follow a collection path, e.g. tags/{lower}(t: t eq 'x')"),
            ),
            _ if UNSUPPORTED_FUNCTIONS.contains(&lower.as_str()) => (
                ErrorKind::NotSupported,
                format!(
                    "the function '{}' is not supported; the supported functions are {supported}",
                    name.text
                ),
            ),
            _ => (
                ErrorKind::Syntax,
                format!(
                    "unknown function '{}'; the supported functions are {supported}",
                    name.text
                ),
            ),
        };
        self.error(kind, name.span.start, msg)
    }

    /// `path_expr = segment { "/" segment } [ "/" lambda ]`
    fn parse_path_expr(&mut self, first: Name<'a>) -> Result<Expr<'a>, ODataError> {
        let mut segments = vec![first];
        while self.cur.tok == Tok::Slash {
            self.advance()?;
            let seg = self.path_segment()?;
            let lambda = [("any", LambdaKind::Any), ("all", LambdaKind::All)]
                .into_iter()
                .find(|(k, _)| seg.text.eq_ignore_ascii_case(k));
            if let (Some((_, kind)), Tok::OpenParen) = (lambda, &self.cur.tok) {
                let span = segments[0].span.to(segments[segments.len() - 1].span);
                return self.parse_lambda(Path { segments, span }, kind);
            }
            segments.push(seg);
        }
        let span = first.span.to(segments[segments.len() - 1].span);
        Ok(Expr {
            kind: ExprKind::Path(Path { segments, span }),
            span,
        })
    }

    /// A name after `/`.
    pub(super) fn path_segment(&mut self) -> Result<Name<'a>, ODataError> {
        let tok = self.advance()?;
        match tok.tok {
            Tok::Name(text) if !OPERATORS.iter().any(|o| o.eq_ignore_ascii_case(text)) => {
                Ok(Name {
                    text,
                    span: tok.span,
                })
            }
            _ => {
                let msg = format!(
                    "expected a property name after '/', found {}",
                    self.describe(&tok)
                );
                Err(self.error(ErrorKind::Syntax, tok.span.start, msg))
            }
        }
    }

    /// `lambda = ("any" | "all") "(" [ variable ":" or_expr ] ")"` (`all` needs the predicate).
    fn parse_lambda(
        &mut self,
        collection: Path<'a>,
        kind: LambdaKind,
    ) -> Result<Expr<'a>, ODataError> {
        let open = self.advance()?.span.start;
        self.enter(open)?;
        let body = if self.cur.tok == Tok::CloseParen {
            if kind == LambdaKind::All {
                let msg = "all() needs a condition, e.g. tags/all(t: t ne 'x')";
                return Err(self.error(ErrorKind::Syntax, self.cur.span.start, msg));
            }
            None
        } else {
            Some(self.parse_lambda_body(kind)?)
        };
        let close = self.close(open, "'and', 'or' or ")?;
        self.leave();
        let span = collection.span.to(close);
        Ok(Expr {
            kind: ExprKind::Lambda(Box::new(Lambda {
                collection,
                kind,
                body,
            })),
            span,
        })
    }

    /// `variable ":" or_expr`
    fn parse_lambda_body(&mut self, kind: LambdaKind) -> Result<LambdaBody<'a>, ODataError> {
        let example = format!("{}(x: x/name eq 'value')", kind.name());
        let tok = self.advance()?;
        let variable = match tok.tok {
            Tok::Name(text) if !text.contains('.') => Name {
                text,
                span: tok.span,
            },
            _ => {
                let found = self.describe(&tok);
                let msg = format!(
                    "expected a variable name in {}(, e.g. {example}, found {found}",
                    kind.name()
                );
                return Err(self.error(ErrorKind::Syntax, tok.span.start, msg));
            }
        };
        if self.cur.tok != Tok::Colon {
            let found = self.describe(&self.cur);
            let msg = format!(
                "expected ':' after the variable '{}', e.g. {example}, found {found}",
                variable.text
            );
            return Err(self.error(ErrorKind::Syntax, self.cur.span.start, msg));
        }
        self.advance()?;
        let predicate = self.parse_or()?;
        Ok(LambdaBody {
            variable,
            predicate,
        })
    }

    /// `list = "(" primary { "," primary } ")"`; returns the items and the span of the `)`.
    pub(super) fn parse_in_list(&mut self) -> Result<(Vec<Expr<'a>>, Span), ODataError> {
        if self.cur.tok != Tok::OpenParen {
            let found = self.describe(&self.cur);
            let msg = format!(
                "expected '(' after 'in', e.g. status in ('new', 'inProgress'), found {found}"
            );
            return Err(self.error(ErrorKind::Syntax, self.cur.span.start, msg));
        }
        let open = self.advance()?.span.start;
        if self.cur.tok == Tok::CloseParen {
            let msg = "the list after 'in' is empty; give at least one value";
            return Err(self.error(ErrorKind::Syntax, self.cur.span.start, msg));
        }
        let mut list = vec![self.parse_primary()?];
        while self.cur.tok == Tok::Comma {
            self.advance()?;
            list.push(self.parse_primary()?);
        }
        let close = self.close(open, "',' or ")?;
        Ok((list, close))
    }
}
