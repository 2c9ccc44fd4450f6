//! How an import file is laid out: NDJSON (one alert per line) or one JSON document (an array of
//! alerts, a Graph page `{"value": [...]}` or a single alert), decided from the first non-blank line.
//!
//! - The first line is complete JSON: an array or a Graph page alone in the file is a document;
//!   anything else is NDJSON, whatever the length of that line.
//! - The first line is not complete JSON but opens an object or array: the file is parsed as one
//!   document (a pretty-printed export). When that fails and the next non-blank line is JSON on its
//!   own, it is NDJSON with a bad first line; otherwise it is a broken document, an error that says
//!   where.
//! - Otherwise it is NDJSON with a bad first line.
//!
//! The file is read once, front to back, so it may be a pipe (`/dev/stdin`, a FIFO): what the
//! document parser consumed before failing is replayed to the line reader. NDJSON is streamed; line
//! numbers count every line of the file, blank ones included. A UTF-8 byte order mark (as Windows
//! PowerShell writes) is ignored.

use serde_json::Value;
use std::io::{BufRead, Chain, Cursor, Read};

/// One line of an NDJSON file: its 1-based number and its text, or why it is not text.
pub type NumberedLine = (usize, Result<String, String>);

/// What NDJSON lines are read from: bytes consumed while deciding the layout, replayed, then the
/// rest of the file.
pub type Replay<R> = Chain<Cursor<Vec<u8>>, R>;

/// The file's layout.
pub enum Layout<R> {
    /// One JSON document, already parsed.
    Document(Value),
    /// NDJSON: the lines read while deciding, then the rest of the file.
    Lines(Lines<Replay<R>>, Vec<NumberedLine>),
}

/// Reads `reader` far enough to decide its layout.
pub fn detect<R: BufRead>(reader: R) -> anyhow::Result<Layout<R>> {
    let mut lines = Lines::new(Cursor::new(Vec::new()).chain(reader), 0);
    let Some((first_no, first)) = lines.next_non_blank()? else {
        return Ok(Layout::Lines(lines, Vec::new()));
    };
    let Ok(text) = &first else {
        return Ok(Layout::Lines(lines, vec![(first_no, first)]));
    };
    match serde_json::from_str::<Value>(text) {
        Ok(doc) if is_document(&doc) => match lines.next_non_blank()? {
            None => Ok(Layout::Document(doc)),
            Some(second) => Ok(Layout::Lines(lines, vec![(first_no, first), second])),
        },
        Err(_) if opens_document(text) => multi_line(lines, first_no, text.clone()),
        _ => Ok(Layout::Lines(lines, vec![(first_no, first)])),
    }
}

/// Most bytes kept for replay while parsing a multi-line document. NDJSON with a bad first line
/// fails within its first lines; a document that fails later than this is reported as broken.
const REPLAY_LIMIT: usize = 16 << 20;

/// Parses the file as one document starting with `first` (line `first_no`); when that fails, decides
/// between NDJSON with a bad first line and a broken document.
fn multi_line<R: BufRead>(
    lines: Lines<Replay<R>>,
    first_no: usize,
    first: String,
) -> anyhow::Result<Layout<R>> {
    // Nothing was replayed before the first line, so the file's reader stands right after it.
    let (_, rest) = lines.reader.into_inner();
    // Blank lines in front keep the parser's line numbers those of the file.
    let head = format!("{}{first}\n", "\n".repeat(first_no - 1));
    let mut tee = Tee {
        inner: rest,
        seen: Vec::new(),
        overflowed: false,
    };
    let error = match serde_json::from_reader(Cursor::new(head).chain(&mut tee)) {
        Ok(doc) => return Ok(Layout::Document(doc)),
        Err(e) if e.is_io() => return Err(anyhow::Error::new(e).context("cannot read the file")),
        Err(e) => e,
    };
    let broken = || anyhow::anyhow!("the file is neither NDJSON nor one JSON document: {error}");
    if tee.overflowed {
        return Err(broken());
    }
    let mut lines = Lines::new(Cursor::new(tee.seen).chain(tee.inner), first_no);
    match lines.next_non_blank()? {
        Some(second) if is_json(&second.1) => {
            Ok(Layout::Lines(lines, vec![(first_no, Ok(first)), second]))
        }
        _ => Err(broken()),
    }
}

/// A reader that keeps what it reads, up to [`REPLAY_LIMIT`].
struct Tee<R> {
    inner: R,
    seen: Vec<u8>,
    overflowed: bool,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if !self.overflowed {
            if self.seen.len() + n > REPLAY_LIMIT {
                self.overflowed = true;
                self.seen = Vec::new();
            } else {
                self.seen.extend_from_slice(&buf[..n]);
            }
        }
        Ok(n)
    }
}

/// An array of alerts or a Graph page: what a one-line document looks like (an alert is an object
/// without a `value` array).
fn is_document(v: &Value) -> bool {
    match v {
        Value::Array(_) => true,
        Value::Object(o) => matches!(o.get("value"), Some(Value::Array(_))),
        _ => false,
    }
}

fn opens_document(text: &str) -> bool {
    text.starts_with('{') || text.starts_with('[')
}

fn is_json(line: &Result<String, String>) -> bool {
    line.as_ref()
        .is_ok_and(|text| serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok())
}

/// The UTF-8 byte order mark.
const BOM: &str = "\u{feff}";

/// The lines of a file with their numbers; a line that is not UTF-8 is reported, not fatal.
pub struct Lines<R> {
    reader: R,
    number: usize,
    buf: Vec<u8>,
}

impl<R: BufRead> Lines<R> {
    /// Lines of `reader`, numbered from `after + 1`.
    fn new(reader: R, after: usize) -> Self {
        Lines {
            reader,
            number: after,
            buf: Vec::new(),
        }
    }

    /// The next line that is not blank, trimmed, or `None` at the end of the file.
    pub fn next_non_blank(&mut self) -> std::io::Result<Option<NumberedLine>> {
        loop {
            self.buf.clear();
            if self.reader.read_until(b'\n', &mut self.buf)? == 0 {
                return Ok(None);
            }
            self.number += 1;
            let text = match std::str::from_utf8(&self.buf) {
                Ok(text) if self.number == 1 => text.trim_start_matches(BOM).trim(),
                Ok(text) => text.trim(),
                Err(e) => return Ok(Some((self.number, Err(format!("not UTF-8: {e}"))))),
            };
            if !text.is_empty() {
                return Ok(Some((self.number, Ok(text.to_owned()))));
            }
        }
    }
}
