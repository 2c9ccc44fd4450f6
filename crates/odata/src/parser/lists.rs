//! The comma-list options: `$orderby`, `$select` and `$expand`.

use super::{Parser, DEFAULT_MAX_DEPTH};
use crate::ast::{Name, OrderByItem, Path, SelectItem};
use crate::error::{ErrorKind, ODataError};
use crate::lexer::Tok;

/// Parses `$orderby`.
///
/// `orderby = order_item { "," order_item }`, `order_item = path [ "asc" | "desc" ]`
pub fn parse_orderby(text: &str) -> Result<Vec<OrderByItem<'_>>, ODataError> {
    let mut p = Parser::new(text, "$orderby", DEFAULT_MAX_DEPTH)?;
    p.comma_list(|p| {
        let path = p.list_path("a property to sort by")?;
        let descending = if p.at_keyword("desc") {
            p.advance()?;
            true
        } else {
            if p.at_keyword("asc") {
                p.advance()?;
            }
            false
        };
        Ok(OrderByItem { path, descending })
    })
}

/// Parses `$select`.
///
/// `select = select_item { "," select_item }`, `select_item = "*" | path`
pub fn parse_select(text: &str) -> Result<Vec<SelectItem<'_>>, ODataError> {
    let mut p = Parser::new(text, "$select", DEFAULT_MAX_DEPTH)?;
    p.comma_list(|p| {
        if p.cur.tok == Tok::Star {
            return Ok(SelectItem::Star(p.advance()?.span));
        }
        Ok(SelectItem::Path(p.list_path("a property name")?))
    })
}

/// Parses `$expand`. Nested options (`alerts($select=id)`) are refused as not supported.
///
/// `expand = expand_item { "," expand_item }`, `expand_item = "*" | name`
pub fn parse_expand(text: &str) -> Result<Vec<Name<'_>>, ODataError> {
    let mut p = Parser::new(text, "$expand", DEFAULT_MAX_DEPTH)?;
    p.comma_list(|p| {
        if p.cur.tok == Tok::Star {
            let span = p.advance()?.span;
            return Ok(Name { text: "*", span });
        }
        let path = p.list_path("a navigation property name")?;
        match path.segments.as_slice() {
            [name] => Ok(*name),
            _ => {
                let msg = format!(
                    "'{path}': $expand takes navigation property names of this entity only, e.g. \
                     $expand=alerts"
                );
                Err(p.error(ErrorKind::NotSupported, path.span.start, msg))
            }
        }
    })
}

impl<'a> Parser<'a> {
    /// `list = item { "," item } END`, refusing an empty value.
    fn comma_list<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<T, ODataError>,
    ) -> Result<Vec<T>, ODataError> {
        if self.cur.tok == Tok::End {
            let msg = format!(
                "{} is empty; leave it out or give at least one item",
                self.option
            );
            return Err(self.error(ErrorKind::Syntax, 0, msg));
        }
        let mut items = vec![item(self)?];
        loop {
            match self.cur.tok {
                Tok::End => return Ok(items),
                Tok::Comma => {
                    self.advance()?;
                    items.push(item(self)?);
                }
                _ => {
                    let found = self.describe(&self.cur);
                    let msg = format!("expected ',' or the end of {}, found {found}", self.option);
                    return Err(self.error(ErrorKind::Syntax, self.cur.span.start, msg));
                }
            }
        }
    }

    /// `path = name { "/" name }`, with a clear error for function calls and nested options.
    fn list_path(&mut self, what: &str) -> Result<Path<'a>, ODataError> {
        let tok = self.advance()?;
        let Tok::Name(text) = tok.tok else {
            let msg = format!("expected {what}, found {}", self.describe(&tok));
            return Err(self.error(ErrorKind::Syntax, tok.span.start, msg));
        };
        let mut segments = vec![Name {
            text,
            span: tok.span,
        }];
        while self.cur.tok == Tok::Slash {
            self.advance()?;
            segments.push(self.path_segment()?);
        }
        let span = tok.span.to(segments.last().map_or(tok.span, |s| s.span));
        if self.cur.tok == Tok::OpenParen {
            let msg = match self.option {
                "$expand" => format!(
                    "nested options in $expand are not supported; write $expand={text} and query \
                     the expanded items separately to filter or select them"
                ),
                _ => format!(
                    "{} accepts property paths only, not function calls",
                    self.option
                ),
            };
            return Err(self.error(ErrorKind::NotSupported, self.cur.span.start, msg));
        }
        Ok(Path { segments, span })
    }
}
