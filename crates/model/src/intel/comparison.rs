//! The comparison-level rules of the STIX patterning parser (inside an observation's
//! brackets): comparisons, property tests, operators, literals and object paths. The grammar is in
//! the [`pattern`](crate::intel::pattern) module docs; the observation-level rules are in `grammar.rs`.

use super::grammar::{is_keyword, Join, Parser};
use super::pattern::{
    CompareOp, ComparisonExpr, Literal, ObjectPath, PathStep, PatternError, PropTest, Span,
};
use super::token::Tok;

impl Parser {
    /// `comparison_expression = comparison_expression_and { "OR" comparison_expression_and }`
    pub(crate) fn comparison_expression(&mut self) -> Result<ComparisonExpr, PatternError> {
        let first = self.comparison_expression_and()?;
        self.comparison_chain(first, "OR", Join::Or, |p| p.comparison_expression_and())
    }

    /// `comparison_expression_and = prop_test { "AND" prop_test }`
    fn comparison_expression_and(&mut self) -> Result<ComparisonExpr, PatternError> {
        let first = self.prop_test()?;
        self.comparison_chain(first, "AND", Join::And, |p| p.prop_test())
    }

    fn comparison_chain(
        &mut self,
        first: ComparisonExpr,
        kw: &str,
        join: Join,
        mut operand: impl FnMut(&mut Self) -> Result<ComparisonExpr, PatternError>,
    ) -> Result<ComparisonExpr, PatternError> {
        if !self.at_keyword(kw) {
            return Ok(first);
        }
        let mut span = first.span();
        let mut items = Vec::new();
        push_comparison(&mut items, first, join);
        while self.at_keyword(kw) {
            self.bump();
            let next = operand(self)?;
            span = span.to(next.span());
            push_comparison(&mut items, next, join);
        }
        Ok(match join {
            Join::And => ComparisonExpr::And(items, span),
            _ => ComparisonExpr::Or(items, span),
        })
    }

    /// `prop_test = object_path ["NOT"] operator literal | "(" comparison_expression ")" | "EXISTS" object_path`
    fn prop_test(&mut self) -> Result<ComparisonExpr, PatternError> {
        let start = self.span();
        if self.peek() == &Tok::LParen {
            self.enter(start)?;
            self.bump();
            let mut inner = self.comparison_expression()?;
            let close = self.close((&Tok::RParen, ")"), "parenthesis", "AND, OR", start)?;
            self.leave();
            inner.set_span(start.to(close));
            return Ok(inner);
        }
        if self.at_keyword("EXISTS") {
            self.bump();
            let path = self.object_path()?;
            let span = start.to(path.span);
            return Ok(ComparisonExpr::Exists { path, span });
        }
        let path = self.object_path()?;
        let negated = self.at_keyword("NOT");
        if negated {
            self.bump();
        }
        let op_span = self.span();
        let op = self.compare_op()?;
        let value = self.operand(op, op_span)?;
        let span = start.to(self.prev_span());
        Ok(ComparisonExpr::Test(PropTest {
            path,
            negated,
            op,
            value,
            span,
        }))
    }

    fn compare_op(&mut self) -> Result<CompareOp, PatternError> {
        let op = match self.peek() {
            Tok::Eq => CompareOp::Eq,
            Tok::Neq => CompareOp::Neq,
            Tok::Lt => CompareOp::Lt,
            Tok::Le => CompareOp::Le,
            Tok::Gt => CompareOp::Gt,
            Tok::Ge => CompareOp::Ge,
            Tok::Ident(s) if s == "IN" => CompareOp::In,
            Tok::Ident(s) if s == "LIKE" => CompareOp::Like,
            Tok::Ident(s) if s == "MATCHES" => CompareOp::Matches,
            Tok::Ident(s) if s == "ISSUBSET" => CompareOp::IsSubset,
            Tok::Ident(s) if s == "ISSUPERSET" => CompareOp::IsSuperset,
            _ => {
                return Err(self.unexpected(
                    "a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET)",
                ))
            }
        };
        self.bump();
        Ok(op)
    }

    /// The right-hand side of `op`: a set for `IN`, a string for the text operators, an orderable
    /// literal for `<` … `>=`, any primitive literal for `=` and `!=`.
    fn operand(&mut self, op: CompareOp, op_span: Span) -> Result<Literal, PatternError> {
        if op == CompareOp::In {
            return self.set_literal();
        }
        let at = self.span();
        let value = self.primitive_literal()?;
        let fits = match op {
            CompareOp::Eq | CompareOp::Neq => true,
            CompareOp::Lt | CompareOp::Le | CompareOp::Gt | CompareOp::Ge => {
                !matches!(value, Literal::Bool(_))
            }
            _ => matches!(value, Literal::Str(_)),
        };
        if fits {
            return Ok(value);
        }
        let ordering = matches!(
            op,
            CompareOp::Lt | CompareOp::Le | CompareOp::Gt | CompareOp::Ge
        );
        let wants = if ordering {
            "a number, string, timestamp, binary or hex literal"
        } else {
            "a string literal"
        };
        Err(PatternError::new(
            format!("{} takes {wants}; found {}", op.as_str(), value.kind()),
            op_span.to(at),
        ))
    }

    /// `set_literal = "(" [ primitive_literal { "," primitive_literal } ] ")"`
    fn set_literal(&mut self) -> Result<Literal, PatternError> {
        let open = self.expect(
            &Tok::LParen,
            "'(' to start the set after IN, e.g. IN ('a', 'b')",
        )?;
        let mut items = Vec::new();
        if self.peek() != &Tok::RParen {
            loop {
                items.push(self.primitive_literal()?);
                if self.peek() != &Tok::Comma {
                    break;
                }
                self.bump();
            }
        }
        self.close((&Tok::RParen, ")"), "set", "','", open)?;
        Ok(Literal::Set(items))
    }

    /// `primitive_literal = orderable_literal | "true" | "false"`
    fn primitive_literal(&mut self) -> Result<Literal, PatternError> {
        let literal = match self.peek().clone() {
            Tok::Int(i) => Literal::Int(i),
            Tok::Float(x) => Literal::Float(x),
            Tok::Str(s) => Literal::Str(s),
            Tok::Timestamp(t) => Literal::Timestamp(t),
            Tok::Binary(b) => Literal::Binary(b),
            Tok::Hex(h) => Literal::Hex(h),
            Tok::Ident(s) if s == "true" => Literal::Bool(true),
            Tok::Ident(s) if s == "false" => Literal::Bool(false),
            _ => {
                return Err(self
                    .unexpected("a literal such as 'text', 42, true or t'2016-01-01T00:00:00Z'"))
            }
        };
        self.bump();
        Ok(literal)
    }

    /// `object_path = object_type ":" path_key { "." path_key | "[" (int | "*") "]" }`
    fn object_path(&mut self) -> Result<ObjectPath, PatternError> {
        let start = self.span();
        let object_type = match self.peek().clone() {
            Tok::Ident(s) if !is_keyword(&s) => s,
            _ => return Err(self.unexpected("an object path such as ipv4-addr:value")),
        };
        self.bump();
        self.expect(
            &Tok::Colon,
            "':' between the object type and its property, as in ipv4-addr:value",
        )?;
        let mut steps = vec![PathStep::Key(self.path_key()?)];
        loop {
            match self.peek() {
                Tok::Dot => {
                    self.bump();
                    steps.push(PathStep::Key(self.path_key()?));
                }
                Tok::LBracket => steps.push(self.path_index()?),
                _ => break,
            }
        }
        let span = start.to(self.prev_span());
        Ok(ObjectPath {
            object_type,
            steps,
            span,
        })
    }

    /// `path_key = identifier | string`
    fn path_key(&mut self) -> Result<String, PatternError> {
        let key = match self.peek().clone() {
            Tok::Ident(s) if !is_keyword(&s) => s,
            Tok::Str(s) => s,
            _ => return Err(self.unexpected("a property name, or a quoted key such as 'SHA-256'")),
        };
        self.bump();
        Ok(key)
    }

    /// `"[" (int | "*") "]"` after a list property.
    fn path_index(&mut self) -> Result<PathStep, PatternError> {
        self.bump();
        let step = match *self.peek() {
            Tok::Star => PathStep::Index(None),
            Tok::Int(i) if i >= 0 => PathStep::Index(Some(i as u64)),
            _ => return Err(self.unexpected("a list index (0, 1, …) or * inside [ ]")),
        };
        self.bump();
        self.expect(&Tok::RBracket, "']' after the list index")?;
        Ok(step)
    }
}

fn push_comparison(items: &mut Vec<ComparisonExpr>, expr: ComparisonExpr, join: Join) {
    match (join, expr) {
        (Join::And, ComparisonExpr::And(inner, _)) | (Join::Or, ComparisonExpr::Or(inner, _)) => {
            items.extend(inner)
        }
        (_, expr) => items.push(expr),
    }
}
