//! The lexer: turns an option value into tokens with byte spans, one at a time, without allocating
//! (except for a string literal that contains a `''` escape).
//!
//! Tokens: names (`severity`, `microsoft.graph.security.deviceEvidence`), literals (strings, numbers,
//! date-times, dates, GUIDs, qualified enum literals), and the punctuation `( ) , / : *`. Keywords
//! (`and`, `eq`, `true`, ...) are names here; the parser recognises them case-insensitively.

use crate::ast::{Literal, Span};
use crate::datetime::{parse_date, parse_date_time};
use crate::error::{ErrorKind, ODataError};
use std::borrow::Cow;
use uuid::Uuid;

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok<'a> {
    /// A simple or namespace-qualified name.
    Name(&'a str),
    /// A literal other than `true`, `false` and `null` (those are names until the parser sees them).
    Literal(Literal<'a>),
    OpenParen,
    CloseParen,
    Comma,
    Slash,
    Colon,
    Star,
    /// The end of the text.
    End,
}

/// A token and where it is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token<'a> {
    pub tok: Tok<'a>,
    pub span: Span,
}

/// Reads tokens from one option value.
pub(crate) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    option: &'static str,
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'a> Lexer<'a> {
    /// A lexer over `src`, reporting errors against `option` (e.g. `$filter`).
    pub fn new(src: &'a str, option: &'static str) -> Self {
        Lexer {
            src,
            pos: 0,
            option,
        }
    }

    /// The text being read.
    pub fn source(&self) -> &'a str {
        self.src
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.src.as_bytes().get(at).copied()
    }

    fn error(&self, kind: ErrorKind, at: usize, message: impl Into<String>) -> ODataError {
        ODataError::new(self.option, kind, message).at(at)
    }

    /// The next token; [`Tok::End`] at the end, forever.
    pub fn next_token(&mut self) -> Result<Token<'a>, ODataError> {
        while self.byte(self.pos).is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
        let start = self.pos;
        let Some(b) = self.byte(start) else {
            return Ok(Token {
                tok: Tok::End,
                span: Span::new(start, start),
            });
        };
        let punct = match b {
            b'(' => Some(Tok::OpenParen),
            b')' => Some(Tok::CloseParen),
            b',' => Some(Tok::Comma),
            b'/' => Some(Tok::Slash),
            b':' => Some(Tok::Colon),
            b'*' => Some(Tok::Star),
            _ => None,
        };
        let tok = if let Some(p) = punct {
            self.pos += 1;
            p
        } else if b == b'\'' {
            Tok::Literal(Literal::String(self.string(start)?))
        } else if b.is_ascii_hexdigit() && self.guid_at(start) {
            self.guid(start)?
        } else if b.is_ascii_digit() && self.date_at(start) {
            self.date_or_time(start)?
        } else if b.is_ascii_digit() || b == b'-' {
            self.number(start)?
        } else if is_name_start(b) {
            self.name_or_typed_literal(start)?
        } else {
            return Err(self.unexpected_char(start));
        };
        Ok(Token {
            tok,
            span: Span::new(start, self.pos),
        })
    }

    fn unexpected_char(&self, at: usize) -> ODataError {
        let c = self.src[at..].chars().next().unwrap_or(' ');
        let hint = match c {
            '"' => "; strings are written in single quotes: 'text'",
            '=' | '<' | '>' | '!' => "; comparisons are written eq, ne, gt, ge, lt, le",
            '$' | '@' => "; $it, $root and parameter aliases are not supported",
            '[' | ']' => "; lists are written in parentheses: status in ('new', 'inProgress')",
            _ => "",
        };
        self.error(
            ErrorKind::Syntax,
            at,
            format!("unexpected character '{c}'{hint}"),
        )
    }

    /// A single-quoted string starting at `start`; `''` stands for one quote.
    fn string(&mut self, start: usize) -> Result<Cow<'a, str>, ODataError> {
        let mut owned: Option<String> = None;
        let mut from = start + 1;
        loop {
            let Some(rel) = self.src[from..].find('\'') else {
                return Err(self.error(
                    ErrorKind::Syntax,
                    start,
                    format!(
                        "unterminated string literal starting at {start}; quotes inside strings \
                         are written ''"
                    ),
                ));
            };
            let quote = from + rel;
            if self.byte(quote + 1) == Some(b'\'') {
                owned
                    .get_or_insert_with(String::new)
                    .push_str(&self.src[from..=quote]);
                from = quote + 2;
                continue;
            }
            if let Some(c) = self.byte(quote + 1).filter(|c| is_name_char(*c)) {
                let msg = format!(
                    "the string starting at {start} ends at {quote}, directly followed by '{}'; \
                     quotes inside strings are written '' (e.g. 'it''s')",
                    c as char
                );
                return Err(self.error(ErrorKind::Syntax, quote, msg));
            }
            self.pos = quote + 1;
            return Ok(match owned {
                Some(mut s) => {
                    s.push_str(&self.src[from..quote]);
                    Cow::Owned(s)
                }
                None => Cow::Borrowed(&self.src[start + 1..quote]),
            });
        }
    }

    /// True when a GUID (`8-4-4-4-12` hex digits) starts at `at` and is not followed by a name character.
    fn guid_at(&self, at: usize) -> bool {
        let b = self.src.as_bytes();
        let Some(text) = b.get(at..at + 36) else {
            return false;
        };
        let shape = text.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        });
        shape
            && !b
                .get(at + 36)
                .is_some_and(|c| is_name_char(*c) || *c == b'-')
    }

    fn guid(&mut self, start: usize) -> Result<Tok<'a>, ODataError> {
        let text = &self.src[start..start + 36];
        let value = Uuid::try_parse(text).map_err(|_| {
            self.error(
                ErrorKind::InvalidValue,
                start,
                format!("'{text}' is not a valid GUID"),
            )
        })?;
        self.pos = start + 36;
        Ok(Tok::Literal(Literal::Guid { value, text }))
    }

    /// True when `YYYY-MM-DD` starts at `at`.
    fn date_at(&self, at: usize) -> bool {
        self.src.as_bytes().get(at..at + 10).is_some_and(|d| {
            d.iter().enumerate().all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                _ => c.is_ascii_digit(),
            })
        })
    }

    /// An unquoted date or date-time starting at `start`.
    fn date_or_time(&mut self, start: usize) -> Result<Tok<'a>, ODataError> {
        let b = self.src.as_bytes();
        let mut end = start;
        while b
            .get(end)
            .is_some_and(|c| c.is_ascii_alphanumeric() || b":.+-".contains(c))
        {
            end += 1;
        }
        let text = &self.src[start..end];
        let located = |e: crate::datetime::DateTimeError| {
            let what = if text.len() > 10 { "date-time" } else { "date" };
            self.error(
                ErrorKind::InvalidValue,
                start + e.offset,
                format!("invalid {what} '{text}': {}", e.message),
            )
        };
        let lit = if text.len() > 10 {
            Literal::DateTime(parse_date_time(text).map_err(located)?)
        } else {
            Literal::Date(parse_date(text).map_err(located)?)
        };
        self.pos = end;
        Ok(Tok::Literal(lit))
    }

    /// An integer or a double: `-?digits[.digits][(e|E)[+|-]digits]`.
    fn number(&mut self, start: usize) -> Result<Tok<'a>, ODataError> {
        let (end, is_double) = self.scan_number(start)?;
        let text = &self.src[start..end];
        self.pos = end;
        let lit = if is_double {
            text.parse::<f64>()
                .ok()
                .filter(|d| d.is_finite())
                .map(Literal::Double)
        } else {
            text.parse::<i64>().ok().map(Literal::Int)
        };
        lit.map(Tok::Literal).ok_or_else(|| {
            let limit = if is_double {
                "a finite Edm.Double"
            } else {
                "Edm.Int64"
            };
            let msg = format!("the number {text} is out of range for {limit}");
            self.error(ErrorKind::InvalidValue, start, msg)
        })
    }

    /// Finds the end of the number starting at `start`, and whether it has a fraction or exponent.
    fn scan_number(&self, start: usize) -> Result<(usize, bool), ODataError> {
        let b = self.src.as_bytes();
        let digits_from = |mut i: usize| {
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            i
        };
        let first_digit = if b.get(start) == Some(&b'-') {
            start + 1
        } else {
            start
        };
        if !b.get(first_digit).is_some_and(u8::is_ascii_digit) {
            let msg = "'-' must be directly followed by digits (a negative number); arithmetic is \
                       not supported";
            return Err(self.error(ErrorKind::Syntax, start, msg));
        }
        let mut end = digits_from(first_digit);
        let mut is_double = false;
        if b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_digit) {
            end = digits_from(end + 1);
            is_double = true;
        }
        if matches!(b.get(end), Some(b'e' | b'E')) {
            let sign = usize::from(matches!(b.get(end + 1), Some(b'+' | b'-')));
            let at = end + 1 + sign;
            if !b.get(at).is_some_and(u8::is_ascii_digit) {
                let msg = "expected digits in the exponent of the number";
                return Err(self.error(ErrorKind::Syntax, at, msg));
            }
            end = digits_from(at);
            is_double = true;
        }
        if let Some(c) = b.get(end).filter(|c| is_name_char(**c) || **c == b'.') {
            let msg = format!(
                "unexpected '{}' after the number {}",
                *c as char,
                &self.src[start..end]
            );
            return Err(self.error(ErrorKind::Syntax, end, msg));
        }
        Ok((end, is_double))
    }

    /// A name (`a`, `a.b.c`), or a qualified enum literal when a quote follows it directly.
    fn name_or_typed_literal(&mut self, start: usize) -> Result<Tok<'a>, ODataError> {
        let b = self.src.as_bytes();
        let mut end = start;
        loop {
            while b.get(end).is_some_and(|c| is_name_char(*c)) {
                end += 1;
            }
            if b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(|c| is_name_start(*c)) {
                end += 1;
            } else {
                break;
            }
        }
        let name = &self.src[start..end];
        self.pos = end;
        if b.get(end) != Some(&b'\'') {
            return Ok(Tok::Name(name));
        }
        if !name.contains('.') {
            return Err(self.error(
                ErrorKind::Syntax,
                start,
                format!(
                    "{name}'...' is not a literal this service understands; write date-times and \
                     GUIDs without quotes or prefix (2024-01-01T00:00:00Z) and enum members as \
                     'member' or Namespace.enumType'member'"
                ),
            ));
        }
        let member = self.string(end)?;
        Ok(Tok::Literal(Literal::Enum {
            type_name: name,
            member,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Tok<'_>> {
        let mut lx = Lexer::new(src, "$filter");
        let mut out = Vec::new();
        loop {
            let t = lx.next_token().unwrap();
            if t.tok == Tok::End {
                return out;
            }
            out.push(t.tok);
        }
    }

    #[test]
    fn guid_beginning_with_a_letter_is_a_guid_not_a_name() {
        let t = toks("deadbeef-0000-4000-8000-00000000000a");
        assert!(matches!(t[0], Tok::Literal(Literal::Guid { .. })));
    }

    #[test]
    fn date_then_punctuation() {
        let t = toks("(2024-01-01,2024-01-01T00:00Z)");
        assert!(matches!(t[1], Tok::Literal(Literal::Date(_))));
        assert!(matches!(t[3], Tok::Literal(Literal::DateTime(_))));
        assert_eq!(t.len(), 5);
    }

    #[test]
    fn string_escapes_allocate_only_when_needed() {
        assert!(matches!(
            &toks("'abc'")[0],
            Tok::Literal(Literal::String(Cow::Borrowed("abc")))
        ));
        match &toks("'it''s'''")[0] {
            Tok::Literal(Literal::String(Cow::Owned(s))) => assert_eq!(s, "it's'"),
            other => panic!("{other:?}"),
        }
    }
}
