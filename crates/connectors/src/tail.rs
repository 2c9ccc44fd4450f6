//! [`Tailer`]: follows one log file by path, line by line, across restarts, rotation and
//! truncation, and remembers in a [`checkpoint`](crate::checkpoint) how far the caller has durably
//! taken its lines.
//!
//! # Contract
//! * [`Tailer::poll`] returns the complete lines (ended by `\n`) after the last one returned; a
//!   partial last line waits for its line feed. Each [`Line`] carries its byte offsets. A file that
//!   does not exist yet is waited for (polls return nothing).
//! * [`Tailer::commit`] records that every line up to an offset is durable at the caller and
//!   writes the checkpoint (atomically, flushed). Nothing is committed by reading alone, so a crash
//!   between the two re-delivers lines: at-least-once, which deterministic alert ids make
//!   effectively once.
//! * Between commits, polls return lines of one file only: a rotation or truncation is acted on
//!   once every line returned so far has been committed, so an offset always refers to the file
//!   its lines came from.
//!
//! # Files changing under us
//! * **Restart**: the checkpoint's offset is used when the file at the path is still the one it
//!   names (same device and inode, same first bytes, at least that long); otherwise the file is
//!   new and is read from 0. Lines a rotated-away file received after the last commit while the
//!   tailer was stopped are not read: the rotated copy is not searched for.
//! * **Rename rotation** (`mv eve.json eve.json.1`, writer reopens): the open handle still reads
//!   the old file. Once the path names another, non-empty file (the writer has moved over), the old
//!   file is drained to its end, including a last line without a line feed, and then the new file
//!   is read from 0. Lines written to the old file after the writer moved over are not read.
//! * **Truncation** (`copytruncate`, `> eve.json`): the file is shorter than the read offset, or its
//!   first bytes changed (it was truncated and written again past the offset before we looked): it
//!   is read again from 0. Lines written between logrotate's copy and its truncation exist only in
//!   the copy and are not read: that is `copytruncate`'s own race.
//! * Inode numbers are Unix-only; elsewhere only truncation (by size and first bytes) is noticed.
//!
//! Lines longer than the limit ([`DEFAULT_MAX_LINE_BYTES`] unless set) are not kept in memory:
//! they are returned as [`Line::oversized`] with empty text, so the caller can count and skip
//! them. Invalid UTF-8 is replaced by U+FFFD.

use crate::checkpoint::{self, Checkpoint, FileIdentity, Fingerprint, FINGERPRINT_BYTES};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Longest line kept by default: 4 MiB (EVE lines with payloads reach hundreds of kilobytes).
pub const DEFAULT_MAX_LINE_BYTES: usize = 4 << 20;

/// A poll stops adding lines once it holds this many bytes (at least one line is returned).
const POLL_BYTES: usize = 8 << 20;

/// One line of the followed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The line without its `\n` (and a `\r` before it); empty when [`Line::oversized`].
    pub text: String,
    /// Byte offset of its first byte.
    pub offset: u64,
    /// Byte offset just after its line feed: what to [`Tailer::commit`] once it is durable.
    pub offset_after: u64,
    /// The line was longer than the limit; its bytes were skipped.
    pub oversized: bool,
}

/// Follows one file (see the module docs).
pub struct Tailer {
    path: PathBuf,
    checkpoint_path: PathBuf,
    /// The checkpoint found at open, used when the path is first opened.
    saved: Option<Checkpoint>,
    current: Option<Current>,
    max_line_bytes: usize,
}

/// The file being read.
struct Current {
    file: File,
    identity: FileIdentity,
    fingerprint: Fingerprint,
    /// Just after the last line returned.
    read_pos: u64,
    /// Just after the last line committed.
    committed: u64,
}

impl Tailer {
    /// A tailer of `path` that keeps its checkpoint at `checkpoint_path` (whose directory must
    /// exist). Reads the checkpoint now: an unreadable one is an error, not a silent restart.
    pub fn open(
        path: impl Into<PathBuf>,
        checkpoint_path: impl Into<PathBuf>,
    ) -> io::Result<Tailer> {
        let checkpoint_path = checkpoint_path.into();
        Ok(Tailer {
            path: path.into(),
            saved: checkpoint::load(&checkpoint_path)?,
            checkpoint_path,
            current: None,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
        })
    }

    /// Sets the longest line kept (at least 1 byte).
    pub fn with_max_line_bytes(mut self, max: usize) -> Tailer {
        self.max_line_bytes = max.max(1);
        self
    }

    /// The followed path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The committed offset in the file being read (`None` before the file was first opened).
    pub fn committed(&self) -> Option<u64> {
        self.current.as_ref().map(|c| c.committed)
    }

    /// Up to `max_lines` (at least 1) complete lines after the last one returned; empty when there
    /// are none yet (see the module docs for rotation and truncation).
    pub fn poll(&mut self, max_lines: usize) -> io::Result<Vec<Line>> {
        let max_lines = max_lines.max(1);
        if self.current.is_none() && !self.open_path()? {
            return Ok(Vec::new());
        }
        let outstanding = self.outstanding();
        if self.truncated()? {
            if outstanding {
                return Ok(Vec::new());
            }
            self.restart_current()?;
        }
        let replacement = self.replacement()?;
        let mut lines = self.read_lines(max_lines)?;
        if replacement.is_some() && lines.len() < max_lines {
            lines.extend(self.read_remainder()?);
        }
        if !lines.is_empty() || outstanding {
            return Ok(lines);
        }
        match replacement {
            Some(file) => {
                self.switch_to(file)?;
                self.read_lines(max_lines)
            }
            None => Ok(lines),
        }
    }

    /// Records that every line up to `offset` (a returned [`Line::offset_after`]) is durable, and
    /// writes the checkpoint. `offset` must lie between the last commit and the last line
    /// returned; the commit counts only once the checkpoint is on disk.
    pub fn commit(&mut self, offset: u64) -> io::Result<()> {
        let Some(cur) = self.current.as_mut() else {
            return Err(invalid_input("nothing has been read yet".into()));
        };
        if offset < cur.committed || offset > cur.read_pos {
            return Err(invalid_input(format!(
                "offset {offset} is outside the uncommitted range {}..={}",
                cur.committed, cur.read_pos
            )));
        }
        let cp = Checkpoint {
            version: checkpoint::VERSION,
            offset,
            file: cur.identity,
            fingerprint: cur.fingerprint.clone(),
        };
        checkpoint::save(&self.checkpoint_path, &cp)?;
        cur.committed = offset;
        Ok(())
    }

    fn outstanding(&self) -> bool {
        self.current
            .as_ref()
            .is_some_and(|c| c.read_pos > c.committed)
    }

    /// Opens the path for the first time, resuming at the checkpoint when it names this file.
    /// `false` when the file does not exist yet.
    fn open_path(&mut self) -> io::Result<bool> {
        let Some(mut file) = open_if_exists(&self.path)? else {
            return Ok(false);
        };
        let meta = file.metadata()?;
        let identity = FileIdentity::of(&meta);
        let start = match self.saved.take() {
            Some(cp) => self.resume_offset(&cp, identity, meta.len(), &mut file)?,
            None => 0,
        };
        let fingerprint = Fingerprint::read(&mut file, FINGERPRINT_BYTES)?;
        self.current = Some(Current {
            file,
            identity,
            fingerprint,
            read_pos: start,
            committed: start,
        });
        Ok(true)
    }

    fn resume_offset(
        &self,
        cp: &Checkpoint,
        identity: FileIdentity,
        len: u64,
        file: &mut File,
    ) -> io::Result<u64> {
        let path = self.path.display();
        if cp.file != identity {
            tracing::info!(file = %path, "the file was replaced while stopped; reading it from the start");
            Ok(0)
        } else if len < cp.offset || !cp.fingerprint.matches(file)? {
            tracing::info!(file = %path, "the file was truncated while stopped; reading it from the start");
            Ok(0)
        } else {
            tracing::debug!(file = %path, offset = cp.offset, "resuming at the checkpoint");
            Ok(cp.offset)
        }
    }

    /// True when the current file is shorter than the read offset or its first bytes changed.
    /// Extends the fingerprint while the file is shorter than [`FINGERPRINT_BYTES`].
    fn truncated(&mut self) -> io::Result<bool> {
        let Some(cur) = self.current.as_mut() else {
            return Ok(false);
        };
        let len = cur.file.metadata()?.len();
        if len < cur.read_pos || !cur.fingerprint.matches(&mut cur.file)? {
            return Ok(true);
        }
        if cur.fingerprint.len < FINGERPRINT_BYTES as u64 && len > cur.fingerprint.len {
            cur.fingerprint = Fingerprint::read(&mut cur.file, FINGERPRINT_BYTES)?;
        }
        Ok(false)
    }

    fn restart_current(&mut self) -> io::Result<()> {
        if let Some(cur) = self.current.as_mut() {
            tracing::info!(file = %self.path.display(), "the file was truncated; reading it from the start");
            cur.fingerprint = Fingerprint::read(&mut cur.file, FINGERPRINT_BYTES)?;
            cur.read_pos = 0;
            cur.committed = 0;
        }
        Ok(())
    }

    /// The file now at the path, when it is another, non-empty file than the one being read.
    fn replacement(&self) -> io::Result<Option<File>> {
        let Some(cur) = self.current.as_ref() else {
            return Ok(None);
        };
        let Some(file) = open_if_exists(&self.path)? else {
            return Ok(None);
        };
        let meta = file.metadata()?;
        let other = FileIdentity::of(&meta) != cur.identity && meta.len() > 0;
        Ok(other.then_some(file))
    }

    fn switch_to(&mut self, mut file: File) -> io::Result<()> {
        tracing::info!(file = %self.path.display(), "the file was rotated; reading the new one from the start");
        let identity = FileIdentity::of(&file.metadata()?);
        let fingerprint = Fingerprint::read(&mut file, FINGERPRINT_BYTES)?;
        self.current = Some(Current {
            file,
            identity,
            fingerprint,
            read_pos: 0,
            committed: 0,
        });
        Ok(())
    }

    /// Complete lines from the read offset, up to `max` lines or [`POLL_BYTES`].
    fn read_lines(&mut self, max: usize) -> io::Result<Vec<Line>> {
        let limit = self.max_line_bytes;
        let Some(cur) = self.current.as_mut() else {
            return Ok(Vec::new());
        };
        cur.file.seek(SeekFrom::Start(cur.read_pos))?;
        let mut reader = BufReader::with_capacity(64 * 1024, &mut cur.file);
        let (mut lines, mut pos, mut bytes) = (Vec::new(), cur.read_pos, 0usize);
        let mut buf = Vec::new();
        while lines.len() < max && bytes < POLL_BYTES {
            buf.clear();
            let n = (&mut reader)
                .take(limit as u64 + 1)
                .read_until(b'\n', &mut buf)?;
            if buf.last() == Some(&b'\n') {
                lines.push(Line::new(&buf, pos));
            } else if n <= limit {
                break; // end of file, possibly inside a line that is still being written
            } else if let Some(rest) = skip_line(&mut reader)? {
                lines.push(Line::skipped(pos, pos + n as u64 + rest));
            } else {
                break; // an oversized line whose end is not written yet
            }
            bytes += n;
            pos = lines.last().map_or(pos, |l| l.offset_after);
        }
        cur.read_pos = pos;
        Ok(lines)
    }

    /// The bytes after the last complete line, as a final line (the writer has moved on).
    fn read_remainder(&mut self) -> io::Result<Option<Line>> {
        let limit = self.max_line_bytes as u64;
        let Some(cur) = self.current.as_mut() else {
            return Ok(None);
        };
        let end = cur.file.metadata()?.len();
        if end <= cur.read_pos {
            return Ok(None);
        }
        let line = if end - cur.read_pos > limit {
            Line::skipped(cur.read_pos, end)
        } else {
            let mut buf = Vec::new();
            cur.file.seek(SeekFrom::Start(cur.read_pos))?;
            (&mut cur.file)
                .take(end - cur.read_pos)
                .read_to_end(&mut buf)?;
            Line::new(&buf, cur.read_pos)
        };
        cur.read_pos = line.offset_after;
        Ok(Some(line))
    }
}

impl Line {
    /// The line whose bytes (with their line feed, if any) start at `offset`.
    fn new(bytes: &[u8], offset: u64) -> Line {
        let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        let body = body.strip_suffix(b"\r").unwrap_or(body);
        Line {
            text: String::from_utf8_lossy(body).into_owned(),
            offset,
            offset_after: offset + bytes.len() as u64,
            oversized: false,
        }
    }

    fn skipped(offset: u64, offset_after: u64) -> Line {
        Line {
            text: String::new(),
            offset,
            offset_after,
            oversized: true,
        }
    }
}

/// Consumes up to and including the next line feed; the bytes consumed, or `None` at the end of
/// the file before one.
fn skip_line(reader: &mut impl BufRead) -> io::Result<Option<u64>> {
    let mut skipped = 0u64;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(None);
        }
        let (take, done) = match buf.iter().position(|b| *b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        reader.consume(take);
        skipped += take as u64;
        if done {
            return Ok(Some(skipped));
        }
    }
}

fn open_if_exists(path: &Path) -> io::Result<Option<File>> {
    match File::open(path) {
        Ok(f) => Ok(Some(f)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

fn invalid_input(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}
