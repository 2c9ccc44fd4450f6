//! Where a serialised alert holds the members [`hide_evolvable_members`](super::hide_evolvable_members)
//! would hide, found by one pass over the text: no parse into a `serde_json::Value`, no
//! allocation besides the answer. The store runs it on every alert it writes.
//!
//! The pass follows the same property tables and the same rules as the `Value` walk (exact
//! property names, polymorphic objects resolved by their `@odata.type`, collections, only string
//! values of enum-typed properties), so splicing `unknownFutureValue` into the ranges gives the
//! walk's output byte for byte. Text it cannot follow (not an object, malformed JSON, nesting
//! deeper than serde_json's limit) yields `None`, and the caller falls back to the walk.

use super::is_hidden;
use crate::schema::ALERT;
use odata::schema::{PropType, Property};
use std::ops::Range;

/// The byte ranges of the string contents (between the quotes) in `alert_json` that hide to
/// `unknownFutureValue`, in document order; empty when there are none.
pub fn evolvable_spans(alert_json: &str) -> Option<Vec<Range<usize>>> {
    let mut scan = Scan {
        text: alert_json.as_bytes(),
        at: 0,
        spans: Vec::new(),
    };
    scan.ws();
    if scan.peek()? != b'{' {
        return None;
    }
    scan.object_at(Some(ALERT.properties), 0)?;
    scan.ws();
    (scan.at == scan.text.len()).then_some(scan.spans)
}

/// How deep the pass follows nested values before giving up (serde_json's own limit is 128).
const MAX_DEPTH: usize = 128;

struct Scan<'a> {
    text: &'a [u8],
    at: usize,
    spans: Vec<Range<usize>>,
}

/// A string token: its content's range and whether it holds escapes.
struct Str {
    range: Range<usize>,
    escaped: bool,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.ws();
        (self.peek()? == byte).then(|| self.at += 1)
    }

    fn string(&mut self) -> Option<Str> {
        self.expect(b'"')?;
        let start = self.at;
        let mut escaped = false;
        loop {
            match self.peek()? {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    self.at += 2;
                }
                _ => self.at += 1,
            }
        }
        let range = start..self.at;
        self.at += 1;
        Some(Str { range, escaped })
    }

    /// A property name or type name: `None` when it holds escapes (serde_json escapes only
    /// quotes, backslashes and control characters, which no declared name contains).
    fn plain(&self, s: &Str) -> Option<&str> {
        if s.escaped {
            return None;
        }
        std::str::from_utf8(&self.text[s.range.clone()]).ok()
    }

    /// One value whose declared type is `ty` (`None`: not followed, only skipped).
    fn value(&mut self, ty: Option<&PropType>, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.ws();
        match (self.peek()?, ty) {
            (b'{', Some(PropType::Complex(ct))) => {
                let runtime = if ct.derived.is_empty() {
                    None
                } else {
                    let name = self.odata_type(depth)?;
                    match name {
                        Some(range) => {
                            let name = std::str::from_utf8(&self.text[range]).ok()?;
                            ct.derived_type(name.trim_start_matches('#'))
                        }
                        None => None,
                    }
                };
                self.object_at(Some(runtime.unwrap_or(ct).properties), depth)
            }
            (b'{', _) => self.object_at(None, depth),
            (b'[', Some(PropType::Collection(inner))) => self.array(Some(inner), depth),
            (b'[', _) => self.array(None, depth),
            (b'"', Some(PropType::Enum(e))) => {
                let s = self.string()?;
                let hidden = if s.escaped {
                    // No member needs an escape, so the value is not a member.
                    e.sentinel_index().is_some()
                } else {
                    is_hidden(e, std::str::from_utf8(&self.text[s.range.clone()]).ok()?)
                };
                if hidden {
                    self.spans.push(s.range);
                }
                Some(())
            }
            (b'"', _) => self.string().map(drop),
            _ => self.scalar(),
        }
    }

    fn object_at(&mut self, props: Option<&[Property]>, depth: usize) -> Option<()> {
        self.expect(b'{')?;
        self.ws();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(());
        }
        loop {
            let key = self.string()?;
            self.expect(b':')?;
            let ty = match props {
                // A name with escapes is no property's name.
                Some(props) => self
                    .plain(&key)
                    .and_then(|name| props.iter().find(|p| p.name == name))
                    .map(|p| &p.ty),
                None => None,
            };
            self.value(ty, depth + 1)?;
            self.ws();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, inner: Option<&PropType>, depth: usize) -> Option<()> {
        self.expect(b'[')?;
        self.ws();
        if self.peek()? == b']' {
            self.at += 1;
            return Some(());
        }
        loop {
            self.value(inner, depth + 1)?;
            self.ws();
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// A number, `true`, `false` or `null`.
    fn scalar(&mut self) -> Option<()> {
        let start = self.at;
        while matches!(self.peek()?, b'-' | b'+' | b'.' | b'0'..=b'9' | b'a'..=b'z' | b'E') {
            self.at += 1;
        }
        (self.at > start).then_some(())
    }

    /// Where the `@odata.type` name of the object starting here is, read ahead without moving:
    /// `Some(None)` when it has none (or an escaped one), `None` when the text is malformed.
    fn odata_type(&mut self, depth: usize) -> Option<Option<Range<usize>>> {
        let start = self.at;
        let found = self.find_odata_type(depth);
        self.at = start;
        found
    }

    fn find_odata_type(&mut self, depth: usize) -> Option<Option<Range<usize>>> {
        self.expect(b'{')?;
        self.ws();
        if self.peek()? == b'}' {
            return Some(None);
        }
        loop {
            let key = self.string()?;
            self.expect(b':')?;
            if self.plain(&key) == Some("@odata.type") {
                self.ws();
                if self.peek()? != b'"' {
                    return Some(None);
                }
                let name = self.string()?;
                // A name with escapes is no type's name.
                return Some((!name.escaped).then_some(name.range));
            }
            // Skipped with no declared type: nothing is recorded.
            self.value(None, depth + 1)?;
            self.ws();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => return Some(None),
                _ => return None,
            }
        }
    }
}
