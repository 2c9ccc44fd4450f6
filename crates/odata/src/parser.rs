//! The recursive-descent parser for `$filter` (the grammar is in the crate documentation; each rule's
//! function below carries its rule).
//!
//! Recursion is bounded: every nesting construct (parentheses, `not`, a function call, `any`/`all`)
//! counts one level against `max_depth`, so hostile input gets a [`ErrorKind::TooDeep`] error, never a
//! stack overflow. Chains of `and`/`or` are loops, not recursion, and produce one n-ary node.

mod lists;
mod primary;

pub use lists::{parse_expand, parse_orderby, parse_select};

use crate::ast::{Expr, ExprKind, Literal, Span};
use crate::bound::CompareOp;
use crate::error::{ErrorKind, ODataError};
use crate::lexer::{Lexer, Tok, Token};

/// The longest option value accepted, in bytes (after percent-decoding): 8 KiB.
pub const MAX_OPTION_LEN: usize = 8 * 1024;

/// The default nesting limit of `$filter` (see [`parse_filter_with_depth`]).
pub const DEFAULT_MAX_DEPTH: usize = 64;

/// Functions OData defines that this service does not implement (they get a "not supported" error
/// rather than "unknown function").
const UNSUPPORTED_FUNCTIONS: &[&str] = &[
    "indexof",
    "substring",
    "concat",
    "matchespattern",
    "round",
    "floor",
    "ceiling",
    "date",
    "time",
    "now",
    "fractionalseconds",
    "totaloffsetminutes",
    "totalseconds",
    "maxdatetime",
    "mindatetime",
    "cast",
    "isof",
    "hassubset",
    "hassubsequence",
];

/// Binary operator keywords: never a value, so a message can say a value is missing before them.
const OPERATORS: &[&str] = &["and", "or", "eq", "ne", "gt", "ge", "lt", "le", "has", "in"];

/// Arithmetic operators of OData, which this service does not implement.
const ARITHMETIC: &[&str] = &["add", "sub", "mul", "div", "divby", "mod"];

/// Parses a `$filter` value with the default depth limit.
pub fn parse_filter(text: &str) -> Result<Expr<'_>, ODataError> {
    parse_filter_with_depth(text, DEFAULT_MAX_DEPTH)
}

/// Parses a `$filter` value, refusing nesting deeper than `max_depth`.
///
/// `filter = or_expr END`
pub fn parse_filter_with_depth(text: &str, max_depth: usize) -> Result<Expr<'_>, ODataError> {
    let mut p = Parser::new(text, "$filter", max_depth)?;
    if p.cur.tok == Tok::End {
        return Err(p.error(
            ErrorKind::Syntax,
            0,
            "the filter is empty; write a condition such as severity eq 'high'",
        ));
    }
    let expr = p.parse_or()?;
    if p.cur.tok != Tok::End {
        let found = p.describe(&p.cur);
        let msg = if matches!(p.cur.tok, Tok::CloseParen) {
            format!("found {found} without a matching '('")
        } else if matches!(p.cur.tok, Tok::Name(_)) {
            format!(
                "expected an operator (eq, ne, gt, ge, lt, le, has, in), 'and', 'or' or the end \
                 of the filter, found {found}"
            )
        } else {
            format!("expected 'and', 'or' or the end of the filter, found {found}")
        };
        return Err(p.error(ErrorKind::Syntax, p.cur.span.start, msg));
    }
    Ok(expr)
}

/// Parser state shared by the `$filter` grammar and the list options.
pub(crate) struct Parser<'a> {
    lexer: Lexer<'a>,
    /// The lookahead token.
    pub cur: Token<'a>,
    depth: usize,
    max_depth: usize,
    pub option: &'static str,
}

impl<'a> Parser<'a> {
    /// A parser over `src` (at most [`MAX_OPTION_LEN`] bytes) for the option `option`.
    pub fn new(src: &'a str, option: &'static str, max_depth: usize) -> Result<Self, ODataError> {
        if src.len() > MAX_OPTION_LEN {
            let msg = format!(
                "the value is {} bytes long; the limit is {MAX_OPTION_LEN} bytes",
                src.len()
            );
            return Err(ODataError::new(option, ErrorKind::InvalidValue, msg));
        }
        let mut lexer = Lexer::new(src, option);
        let cur = lexer.next_token()?;
        Ok(Parser {
            lexer,
            cur,
            depth: 0,
            max_depth,
            option,
        })
    }

    /// Moves to the next token, returning the one that was current.
    pub fn advance(&mut self) -> Result<Token<'a>, ODataError> {
        let next = self.lexer.next_token()?;
        Ok(std::mem::replace(&mut self.cur, next))
    }

    /// An error of this option at `at`.
    pub fn error(&self, kind: ErrorKind, at: usize, message: impl Into<String>) -> ODataError {
        ODataError::new(self.option, kind, message).at(at)
    }

    /// How a token is named in messages: its text in quotes, or "the end of the input".
    pub fn describe(&self, t: &Token<'_>) -> String {
        if t.tok == Tok::End {
            return "the end of the input".into();
        }
        let text = &self.lexer.source()[t.span.start..t.span.end];
        let (text, more) = match text.char_indices().nth(40) {
            Some((cut, _)) => (&text[..cut], "..."),
            None => (text, ""),
        };
        match t.tok {
            Tok::Literal(Literal::String(_)) => format!("the string {text}{more}"),
            _ => format!("'{text}{more}'"),
        }
    }

    /// True when the current token is the keyword `kw` (case-insensitive).
    pub fn at_keyword(&self, kw: &str) -> bool {
        matches!(self.cur.tok, Tok::Name(n) if n.eq_ignore_ascii_case(kw))
    }

    fn enter(&mut self, at: usize) -> Result<(), ODataError> {
        self.depth += 1;
        if self.depth > self.max_depth {
            let msg = format!(
                "the expression nests more than {} levels deep (parentheses, not, function calls \
                 and any/all each add a level); simplify it",
                self.max_depth
            );
            return Err(self.error(ErrorKind::TooDeep, at, msg));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Consumes the `)` that closes the `(` at `open`, or explains what was expected instead.
    fn close(&mut self, open: usize, expected: &str) -> Result<Span, ODataError> {
        if self.cur.tok == Tok::CloseParen {
            return Ok(self.advance()?.span);
        }
        let found = self.describe(&self.cur);
        let msg =
            format!("expected {expected}')' to close the '(' at position {open}, found {found}");
        Err(self.error(ErrorKind::Syntax, self.cur.span.start, msg))
    }

    /// `or_expr = and_expr { "or" and_expr }`
    fn parse_or(&mut self) -> Result<Expr<'a>, ODataError> {
        self.enter(self.cur.span.start)?;
        let first = self.parse_and()?;
        let expr = self.chain(first, "or", Self::parse_and, ExprKind::Or)?;
        self.leave();
        Ok(expr)
    }

    /// `and_expr = not_expr { "and" not_expr }`
    fn parse_and(&mut self) -> Result<Expr<'a>, ODataError> {
        let first = self.parse_not()?;
        self.chain(first, "and", Self::parse_not, ExprKind::And)
    }

    /// Collects `first { kw next }` into one n-ary node (or returns `first` alone).
    fn chain(
        &mut self,
        first: Expr<'a>,
        kw: &str,
        next: fn(&mut Self) -> Result<Expr<'a>, ODataError>,
        node: fn(Vec<Expr<'a>>) -> ExprKind<'a>,
    ) -> Result<Expr<'a>, ODataError> {
        if !self.at_keyword(kw) {
            return Ok(first);
        }
        let mut span = first.span;
        let mut items = vec![first];
        while self.at_keyword(kw) {
            self.advance()?;
            let item = next(self)?;
            span = span.to(item.span);
            items.push(item);
        }
        Ok(Expr {
            kind: node(items),
            span,
        })
    }

    /// `not_expr = "not" not_expr | comparison`
    fn parse_not(&mut self) -> Result<Expr<'a>, ODataError> {
        if !self.at_keyword("not") {
            return self.parse_comparison();
        }
        let kw = self.advance()?.span;
        self.enter(kw.start)?;
        let inner = self.parse_not()?;
        self.leave();
        Ok(Expr {
            span: kw.to(inner.span),
            kind: ExprKind::Not(Box::new(inner)),
        })
    }

    /// `comparison = primary [ ("eq"|"ne"|"gt"|"ge"|"lt"|"le") primary | "has" primary | "in" list ]`
    fn parse_comparison(&mut self) -> Result<Expr<'a>, ODataError> {
        let left = self.parse_primary()?;
        let Tok::Name(word) = self.cur.tok else {
            return Ok(left);
        };
        let start = left.span.start;
        let (kind, end) = if let Some(op) = CompareOp::from_keyword(word) {
            self.advance()?;
            let right = self.parse_primary()?;
            let end = right.span.end;
            (
                ExprKind::Compare {
                    op,
                    left: Box::new(left),
                    right: Box::new(right),
                },
                end,
            )
        } else if word.eq_ignore_ascii_case("has") {
            self.advance()?;
            let flag = self.parse_primary()?;
            let end = flag.span.end;
            (
                ExprKind::Has {
                    value: Box::new(left),
                    flag: Box::new(flag),
                },
                end,
            )
        } else if word.eq_ignore_ascii_case("in") {
            self.advance()?;
            let (list, close) = self.parse_in_list()?;
            (
                ExprKind::In {
                    value: Box::new(left),
                    list,
                },
                close.end,
            )
        } else if ARITHMETIC.iter().any(|a| a.eq_ignore_ascii_case(word)) {
            let msg = format!("the arithmetic operator '{word}' is not supported");
            return Err(self.error(ErrorKind::NotSupported, self.cur.span.start, msg));
        } else {
            return Ok(left);
        };
        Ok(Expr {
            kind,
            span: Span::new(start, end),
        })
    }
}
