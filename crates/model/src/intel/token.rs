//! The STIX patterning lexer: turns pattern text into [`Token`]s with byte spans. The token
//! grammar is in the [`pattern`](crate::intel::pattern) module docs; keywords are not recognised here
//! (they are identifiers the parser compares exactly, so `and` can get a helpful message).

use super::pattern::{PatternError, Span};
use time::OffsetDateTime;

/// One lexical token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    LBracket,
    RBracket,
    LParen,
    RParen,
    Colon,
    Dot,
    Comma,
    Star,
    Eq,
    Neq,
    Lt,
    Le,
    Gt,
    Ge,
    /// `[A-Za-z_][A-Za-z0-9_-]*`: object types, property names, keywords, `true`/`false`.
    Ident(String),
    /// A `'…'` string with its escapes decoded.
    Str(String),
    Int(i64),
    Float(f64),
    /// `t'…'`.
    Timestamp(OffsetDateTime),
    /// `b'…'`, kept as its base64 text (validated).
    Binary(String),
    /// `h'…'`, kept as its hex text (validated, lower case).
    Hex(String),
    End,
}

/// A token and where it is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub span: Span,
}

impl Tok {
    /// How a message names this token, e.g. `identifier 'and'` or `end of pattern`.
    pub fn describe(&self) -> String {
        match self {
            Tok::LBracket => "'['".into(),
            Tok::RBracket => "']'".into(),
            Tok::LParen => "'('".into(),
            Tok::RParen => "')'".into(),
            Tok::Colon => "':'".into(),
            Tok::Dot => "'.'".into(),
            Tok::Comma => "','".into(),
            Tok::Star => "'*'".into(),
            Tok::Eq => "'='".into(),
            Tok::Neq => "'!='".into(),
            Tok::Lt => "'<'".into(),
            Tok::Le => "'<='".into(),
            Tok::Gt => "'>'".into(),
            Tok::Ge => "'>='".into(),
            Tok::Ident(s) => format!("'{s}'"),
            Tok::Str(s) => format!("string '{s}'"),
            Tok::Int(i) => format!("number {i}"),
            Tok::Float(f) => format!("number {f}"),
            Tok::Timestamp(_) => "a timestamp literal".into(),
            Tok::Binary(_) => "a binary literal".into(),
            Tok::Hex(_) => "a hex literal".into(),
            Tok::End => "end of pattern".into(),
        }
    }
}

/// Splits `text` into tokens, ending with [`Tok::End`].
pub(crate) fn tokenize(text: &str) -> Result<Vec<Token>, PatternError> {
    let mut lexer = Lexer { text, pos: 0 };
    let mut out = Vec::new();
    loop {
        let token = lexer.next_token()?;
        let end = token.tok == Tok::End;
        out.push(token);
        if end {
            return Ok(out);
        }
    }
}

struct Lexer<'a> {
    text: &'a str,
    pos: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn peek2(&self) -> Option<char> {
        self.text[self.pos..].chars().nth(1)
    }

    fn next_token(&mut self) -> Result<Token, PatternError> {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += self.peek().map_or(1, char::len_utf8);
        }
        let start = self.pos;
        let Some(c) = self.peek() else {
            return Ok(self.token(Tok::End, start));
        };
        let punct = match c {
            '[' => Some(Tok::LBracket),
            ']' => Some(Tok::RBracket),
            '(' => Some(Tok::LParen),
            ')' => Some(Tok::RParen),
            ':' => Some(Tok::Colon),
            '.' if !self.peek2().is_some_and(|d| d.is_ascii_digit()) => Some(Tok::Dot),
            ',' => Some(Tok::Comma),
            '*' => Some(Tok::Star),
            _ => None,
        };
        if let Some(tok) = punct {
            self.pos += 1;
            return Ok(self.token(tok, start));
        }
        match c {
            '=' | '!' | '<' | '>' => self.operator(start),
            '\'' => {
                let s = self.string_body(start)?;
                Ok(self.token(Tok::Str(s), start))
            }
            't' | 'b' | 'h' if self.peek2() == Some('\'') => self.prefixed_literal(c, start),
            c if c.is_ascii_alphabetic() || c == '_' => Ok(self.identifier(start)),
            c if c.is_ascii_digit() || matches!(c, '-' | '+' | '.') => self.number(start),
            '"' => Err(self.error(
                start,
                start + 1,
                "strings are quoted with ' (single quotes), not \"",
            )),
            other => Err(self.error(
                start,
                start + other.len_utf8(),
                &format!("unexpected character '{other}'"),
            )),
        }
    }

    fn token(&self, tok: Tok, start: usize) -> Token {
        Token {
            tok,
            span: Span::new(start, self.pos),
        }
    }

    fn error(&self, start: usize, end: usize, message: &str) -> PatternError {
        PatternError::new(message, Span::new(start, end))
    }

    /// `=` `==` `!=` `<>` `<` `<=` `>` `>=`.
    fn operator(&mut self, start: usize) -> Result<Token, PatternError> {
        let rest = &self.text[start..];
        let (tok, len) = if rest.starts_with("==") {
            (Tok::Eq, 2)
        } else if rest.starts_with("!=") || rest.starts_with("<>") {
            (Tok::Neq, 2)
        } else if rest.starts_with("<=") {
            (Tok::Le, 2)
        } else if rest.starts_with(">=") {
            (Tok::Ge, 2)
        } else if rest.starts_with('=') {
            (Tok::Eq, 1)
        } else if rest.starts_with('<') {
            (Tok::Lt, 1)
        } else if rest.starts_with('>') {
            (Tok::Gt, 1)
        } else {
            return Err(self.error(start, start + 1, "'!' must be followed by '=' (write !=)"));
        };
        self.pos += len;
        Ok(self.token(tok, start))
    }

    fn identifier(&mut self, start: usize) -> Token {
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            self.pos += 1;
        }
        let ident = self.text[start..self.pos].to_string();
        self.token(Tok::Ident(ident), start)
    }

    /// The body of a `'…'` string starting at `self.pos` (the opening quote); only `\'` and `\\`
    /// are escapes.
    fn string_body(&mut self, literal_start: usize) -> Result<String, PatternError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(self.error(
                    literal_start,
                    self.pos,
                    "unterminated string literal: close it with '",
                ));
            };
            let at = self.pos;
            self.pos += c.len_utf8();
            match c {
                '\'' => return Ok(out),
                '\\' => match self.peek() {
                    Some(e @ ('\'' | '\\')) => {
                        out.push(e);
                        self.pos += 1;
                    }
                    Some(e) => {
                        return Err(self.error(
                            at,
                            self.pos + e.len_utf8(),
                            &format!(
                                "invalid escape \\{e} in a string literal: only \\' and \\\\ are allowed"
                            ),
                        ))
                    }
                    None => {
                        return Err(self.error(
                            literal_start,
                            self.pos,
                            "unterminated string literal: close it with '",
                        ))
                    }
                },
                c => out.push(c),
            }
        }
    }

    /// `t'…'`, `b'…'` and `h'…'`.
    fn prefixed_literal(&mut self, prefix: char, start: usize) -> Result<Token, PatternError> {
        self.pos += 1;
        let body = self.string_body(start)?;
        let tok = match prefix {
            't' => Tok::Timestamp(self.timestamp(&body, start)?),
            'b' => Tok::Binary(self.binary(body, start)?),
            _ => Tok::Hex(self.hex(body, start)?),
        };
        Ok(self.token(tok, start))
    }

    fn timestamp(&self, body: &str, start: usize) -> Result<OffsetDateTime, PatternError> {
        let bad = |why: &str| {
            self.error(
                start,
                self.pos,
                &format!(
                    "t'{body}' is not a STIX timestamp such as t'2016-01-01T00:00:00Z' ({why})"
                ),
            )
        };
        let utc = "it must be in UTC, ending in Z";
        match crate::datetime::parse(body) {
            Ok(t) if body.ends_with('Z') => Ok(t),
            Ok(_) => Err(bad(utc)),
            Err(_) if crate::datetime::parse(&format!("{body}Z")).is_ok() => Err(bad(utc)),
            Err(_) => Err(bad("not an RFC 3339 date-time")),
        }
    }

    fn binary(&self, body: String, start: usize) -> Result<String, PatternError> {
        let data = body.trim_end_matches('=');
        let pad = body.len() - data.len();
        let ok = body.len() % 4 == 0
            && pad <= 2
            && data
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/');
        if ok {
            Ok(body)
        } else {
            Err(self.error(
                start,
                self.pos,
                &format!(
                    "b'{body}' is not base64 (A-Z a-z 0-9 + / with = padding to a multiple of 4)"
                ),
            ))
        }
    }

    fn hex(&self, body: String, start: usize) -> Result<String, PatternError> {
        if body.len() % 2 == 0 && body.chars().all(|c| c.is_ascii_hexdigit()) {
            Ok(body.to_ascii_lowercase())
        } else {
            Err(self.error(
                start,
                self.pos,
                &format!("h'{body}' must hold an even number of hex digits"),
            ))
        }
    }

    /// `[+-]? digits` or `[+-]? digits? '.' digits`.
    fn number(&mut self, start: usize) -> Result<Token, PatternError> {
        if matches!(self.peek(), Some('-' | '+')) {
            self.pos += 1;
        }
        let digits = |lx: &mut Self| {
            let from = lx.pos;
            while lx.peek().is_some_and(|c| c.is_ascii_digit()) {
                lx.pos += 1;
            }
            lx.pos > from
        };
        let int_digits = digits(self);
        let mut is_float = false;
        if self.peek() == Some('.') {
            self.pos += 1;
            is_float = true;
            if !digits(self) {
                return Err(self.error(start, self.pos, "a number needs digits after '.'"));
            }
        } else if !int_digits {
            return Err(self.error(start, self.pos, "'-' and '+' must be followed by a number"));
        }
        if self
            .peek()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        {
            self.identifier(start);
            let text = &self.text[start..self.pos];
            return Err(self.error(start, self.pos, &format!("'{text}' is not a number")));
        }
        let text = &self.text[start..self.pos];
        let tok = if is_float {
            text.parse::<f64>().map(Tok::Float).ok()
        } else {
            text.parse::<i64>().map(Tok::Int).ok()
        };
        match tok {
            Some(tok) => Ok(self.token(tok, start)),
            None => Err(self.error(
                start,
                self.pos,
                &format!("{text} does not fit a 64-bit integer"),
            )),
        }
    }
}
