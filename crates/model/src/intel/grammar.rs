//! The STIX patterning parser: one function per rule of the grammar in the
//! [`pattern`](crate::intel::pattern) module docs, recursive descent over the tokens of `token.rs`,
//! with a depth limit and byte spans on every error. This file holds the parser state and the
//! observation-level rules; `comparison.rs` the rules inside an observation's brackets.

use super::pattern::{ObservationExpr, PatternError, Qualifier, Span, MAX_DEPTH, MAX_PATTERN_LEN};
use super::token::{tokenize, Tok, Token};

const KEYWORDS: &[&str] = &[
    "AND",
    "OR",
    "NOT",
    "FOLLOWEDBY",
    "LIKE",
    "MATCHES",
    "ISSUPERSET",
    "ISSUBSET",
    "EXISTS",
    "IN",
    "START",
    "STOP",
    "SECONDS",
    "TIMES",
    "WITHIN",
    "REPEATS",
];

/// Whether `s` is a reserved keyword (exact, upper case).
pub(crate) fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Parses a STIX 2.1 pattern (`pattern = observation_expressions END`).
pub fn parse_pattern(text: &str) -> Result<ObservationExpr, PatternError> {
    if text.len() > MAX_PATTERN_LEN {
        return Err(PatternError::new(
            format!(
                "the pattern is {} bytes long; at most {MAX_PATTERN_LEN} are accepted",
                text.len()
            ),
            Span::new(0, text.len()),
        ));
    }
    let tokens = tokenize(text)?;
    let mut p = Parser {
        tokens,
        pos: 0,
        depth: 0,
    };
    if p.peek() == &Tok::End {
        return Err(p.unexpected("a pattern, which starts with '[' or '('"));
    }
    let expr = p.observation_expressions()?;
    if p.peek() != &Tok::End {
        return Err(p.unexpected("AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern"));
    }
    Ok(expr)
}

pub(crate) struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

/// Which operator a chain of operands is joined by.
#[derive(Clone, Copy)]
pub(crate) enum Join {
    And,
    Or,
    FollowedBy,
}

impl Parser {
    pub(crate) fn peek(&self) -> &Tok {
        &self.tokens[self.pos.min(self.tokens.len() - 1)].tok
    }

    pub(crate) fn span(&self) -> Span {
        self.tokens[self.pos.min(self.tokens.len() - 1)].span
    }

    pub(crate) fn bump(&mut self) -> Token {
        let t = self.tokens[self.pos.min(self.tokens.len() - 1)].clone();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        t
    }

    /// The span of the last token consumed.
    pub(crate) fn prev_span(&self) -> Span {
        self.tokens[self.pos.saturating_sub(1)].span
    }

    /// Leaves a nesting level entered with [`Parser::enter`].
    pub(crate) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    pub(crate) fn at_keyword(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Ident(s) if s == kw)
    }

    /// "expected X; found Y", with a hint when Y is a keyword written in the wrong case.
    pub(crate) fn unexpected(&self, expected: &str) -> PatternError {
        let found = self.peek();
        let mut message = format!("expected {expected}; found {}", found.describe());
        if let Tok::Ident(s) = found {
            let upper = s.to_ascii_uppercase();
            if is_keyword(&upper) && upper != *s {
                message.push_str(&format!(" (keywords are upper case: write {upper})"));
            }
        }
        PatternError::new(message, self.span())
    }

    pub(crate) fn enter(&mut self, at: Span) -> Result<(), PatternError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(PatternError::new(
                format!("the pattern nests deeper than {MAX_DEPTH} brackets and parentheses"),
                at,
            ));
        }
        Ok(())
    }

    pub(crate) fn expect(&mut self, tok: &Tok, what: &str) -> Result<Span, PatternError> {
        if self.peek() == tok {
            Ok(self.bump().span)
        } else {
            Err(self.unexpected(what))
        }
    }

    /// `observation_expressions = observation_expression_or { "FOLLOWEDBY" observation_expression_or }`
    fn observation_expressions(&mut self) -> Result<ObservationExpr, PatternError> {
        let first = self.observation_expression_or()?;
        self.observation_chain(first, "FOLLOWEDBY", Join::FollowedBy, |p| {
            p.observation_expression_or()
        })
    }

    /// `observation_expression_or = observation_expression_and { "OR" observation_expression_and }`
    fn observation_expression_or(&mut self) -> Result<ObservationExpr, PatternError> {
        let first = self.observation_expression_and()?;
        self.observation_chain(first, "OR", Join::Or, |p| p.observation_expression_and())
    }

    /// `observation_expression_and = observation_expression { "AND" observation_expression }`
    fn observation_expression_and(&mut self) -> Result<ObservationExpr, PatternError> {
        let first = self.observation_expression()?;
        self.observation_chain(first, "AND", Join::And, |p| p.observation_expression())
    }

    /// Parses `{ kw operand }` after `first`, flattening nested chains of the same operator.
    fn observation_chain(
        &mut self,
        first: ObservationExpr,
        kw: &str,
        join: Join,
        mut operand: impl FnMut(&mut Self) -> Result<ObservationExpr, PatternError>,
    ) -> Result<ObservationExpr, PatternError> {
        if !self.at_keyword(kw) {
            return Ok(first);
        }
        let mut span = first.span();
        let mut items = Vec::new();
        push_observation(&mut items, first, join);
        while self.at_keyword(kw) {
            self.bump();
            let next = operand(self)?;
            span = span.to(next.span());
            push_observation(&mut items, next, join);
        }
        Ok(match join {
            Join::And => ObservationExpr::And(items, span),
            Join::Or => ObservationExpr::Or(items, span),
            Join::FollowedBy => ObservationExpr::FollowedBy(items, span),
        })
    }

    /// `observation_expression = ( "[" comparison_expression "]" | "(" observation_expressions ")" ) { qualifier }`
    fn observation_expression(&mut self) -> Result<ObservationExpr, PatternError> {
        let open = self.span();
        let mut expr = match self.peek() {
            Tok::LBracket => {
                self.enter(open)?;
                self.bump();
                let comparison = self.comparison_expression()?;
                let close = self.close((&Tok::RBracket, "]"), "observation", "AND, OR", open)?;
                self.leave();
                ObservationExpr::Observation {
                    comparison,
                    span: open.to(close),
                }
            }
            Tok::LParen => {
                self.enter(open)?;
                self.bump();
                let mut inner = self.observation_expressions()?;
                let close = self.close(
                    (&Tok::RParen, ")"),
                    "parenthesis",
                    "AND, OR, FOLLOWEDBY, a qualifier",
                    open,
                )?;
                self.leave();
                inner.set_span(open.to(close));
                inner
            }
            _ => return Err(self.unexpected("'[' to start an observation, or '('")),
        };
        while let Some(qualifier) = self.qualifier()? {
            let span = expr.span().to(self.prev_span());
            expr = ObservationExpr::Qualified {
                expr: Box::new(expr),
                qualifier,
                span,
            };
        }
        Ok(expr)
    }

    /// Expects the closing token of something opened at `open`.
    /// Expects `tok` (written `text`) closing the `what` opened at `open`; `continues` names what
    /// else could have come instead, for the message.
    pub(crate) fn close(
        &mut self,
        (tok, text): (&Tok, &str),
        what: &str,
        continues: &str,
        open: Span,
    ) -> Result<Span, PatternError> {
        if self.peek() == tok {
            return Ok(self.bump().span);
        }
        let mut err = self.unexpected(&format!(
            "{continues} or '{text}' to close the {what} opened at byte {}",
            open.start
        ));
        if self.peek() == &Tok::End {
            err.span = open;
        }
        Err(err)
    }

    /// `qualifier = start_stop_qualifier | within_qualifier | repeated_qualifier`
    fn qualifier(&mut self) -> Result<Option<Qualifier>, PatternError> {
        if self.at_keyword("START") {
            self.start_stop_qualifier().map(Some)
        } else if self.at_keyword("WITHIN") {
            self.within_qualifier().map(Some)
        } else if self.at_keyword("REPEATS") {
            self.repeated_qualifier().map(Some)
        } else {
            Ok(None)
        }
    }

    /// `start_stop_qualifier = "START" timestamp "STOP" timestamp`
    fn start_stop_qualifier(&mut self) -> Result<Qualifier, PatternError> {
        self.bump();
        let start = self.timestamp("START")?;
        if !self.at_keyword("STOP") {
            return Err(self.unexpected("STOP after START t'…'"));
        }
        self.bump();
        let stop_span = self.span();
        let stop = self.timestamp("STOP")?;
        if stop <= start {
            return Err(PatternError::new(
                "the STOP timestamp must be later than the START timestamp",
                stop_span,
            ));
        }
        Ok(Qualifier::StartStop { start, stop })
    }

    fn timestamp(&mut self, after: &str) -> Result<time::OffsetDateTime, PatternError> {
        match self.peek().clone() {
            Tok::Timestamp(t) => {
                self.bump();
                Ok(t)
            }
            _ => Err(self.unexpected(&format!(
                "a timestamp such as t'2016-01-01T00:00:00Z' after {after}"
            ))),
        }
    }

    /// `within_qualifier = "WITHIN" (int | float) "SECONDS"`
    fn within_qualifier(&mut self) -> Result<Qualifier, PatternError> {
        self.bump();
        let seconds = match *self.peek() {
            Tok::Int(i) if i > 0 => i as f64,
            Tok::Float(x) if x > 0.0 => x,
            _ => {
                return Err(self.unexpected(
                    "a positive number of seconds after WITHIN, e.g. WITHIN 300 SECONDS",
                ))
            }
        };
        self.bump();
        if !self.at_keyword("SECONDS") {
            return Err(self.unexpected("SECONDS after WITHIN n"));
        }
        self.bump();
        Ok(Qualifier::Within { seconds })
    }

    /// `repeated_qualifier = "REPEATS" int "TIMES"`
    fn repeated_qualifier(&mut self) -> Result<Qualifier, PatternError> {
        self.bump();
        let times = match *self.peek() {
            Tok::Int(i) if i > 0 => i as u64,
            _ => {
                return Err(
                    self.unexpected("a positive whole number after REPEATS, e.g. REPEATS 5 TIMES")
                )
            }
        };
        self.bump();
        if !self.at_keyword("TIMES") {
            return Err(self.unexpected("TIMES after REPEATS n"));
        }
        self.bump();
        Ok(Qualifier::Repeats { times })
    }
}

fn push_observation(items: &mut Vec<ObservationExpr>, expr: ObservationExpr, join: Join) {
    match (join, expr) {
        (Join::And, ObservationExpr::And(inner, _))
        | (Join::Or, ObservationExpr::Or(inner, _))
        | (Join::FollowedBy, ObservationExpr::FollowedBy(inner, _)) => items.extend(inner),
        (_, expr) => items.push(expr),
    }
}
