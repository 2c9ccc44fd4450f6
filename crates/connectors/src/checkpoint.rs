//! The tailer's durable position: how far into which file the sink has taken every line.
//!
//! A checkpoint is a small JSON file:
//! `{"version":1,"offset":1234,"file":{"dev":2049,"ino":131},"fingerprint":{"len":256,"fnv1a64":"…"}}`.
//!
//! * `file` is the identity of the file the offset is in (device and inode on Unix; zeros
//!   elsewhere, where the fingerprint alone decides).
//! * `fingerprint` is a hash (FNV-1a, 64 bit) of the file's first `len` bytes (up to 256). Inode
//!   numbers are reused as soon as a rotated file is deleted, and `copytruncate` keeps the inode
//!   while replacing the content, so identity alone cannot tell "the same file, grown" from "a new
//!   file"; the first bytes of a log (its first time stamp) can.
//! * It is written to `<path>.tmp`, flushed to disk, renamed over `<path>` and the directory is
//!   flushed (Unix), so after a crash the file holds either the old or the new checkpoint, never a
//!   torn one.

use serde::{Deserialize, Serialize};
use std::fs::{self, File, Metadata};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The checkpoint format version written.
pub const VERSION: u32 = 1;

/// Bytes at the start of a file covered by its fingerprint.
pub const FINGERPRINT_BYTES: usize = 256;

/// How far the sink has durably taken one file's lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Format version ([`VERSION`]).
    pub version: u32,
    /// Byte offset just after the last committed line.
    pub offset: u64,
    /// The file the offset is in.
    pub file: FileIdentity,
    /// Its first bytes.
    pub fingerprint: Fingerprint,
}

/// A file's identity while it exists: device and inode numbers on Unix.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileIdentity {
    /// Device number.
    pub dev: u64,
    /// Inode number.
    pub ino: u64,
}

impl FileIdentity {
    /// The identity of the file `meta` describes.
    #[cfg(unix)]
    pub fn of(meta: &Metadata) -> FileIdentity {
        use std::os::unix::fs::MetadataExt;
        FileIdentity {
            dev: meta.dev(),
            ino: meta.ino(),
        }
    }

    /// Without inode numbers every file looks the same; the fingerprint tells files apart.
    #[cfg(not(unix))]
    pub fn of(_meta: &Metadata) -> FileIdentity {
        FileIdentity::default()
    }
}

/// A hash of a file's first bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// How many bytes it covers (0 to [`FINGERPRINT_BYTES`]; fewer when the file was shorter).
    pub len: u64,
    /// FNV-1a 64 of those bytes, 16 lowercase hex digits.
    pub fnv1a64: String,
}

impl Fingerprint {
    /// The fingerprint of `bytes` (all of them; callers pass at most [`FINGERPRINT_BYTES`]).
    pub fn of(bytes: &[u8]) -> Fingerprint {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        Fingerprint {
            len: bytes.len() as u64,
            fnv1a64: format!("{h:016x}"),
        }
    }

    /// The fingerprint of the first `len` bytes of `file` (fewer when it is shorter). Moves the
    /// file's cursor.
    pub fn read(file: &mut File, len: usize) -> io::Result<Fingerprint> {
        let mut buf = Vec::with_capacity(len);
        file.seek(SeekFrom::Start(0))?;
        file.take(len as u64).read_to_end(&mut buf)?;
        Ok(Fingerprint::of(&buf))
    }

    /// True when `file` still starts with the bytes this fingerprint covers (a file now shorter
    /// than them does not). Moves the file's cursor.
    pub fn matches(&self, file: &mut File) -> io::Result<bool> {
        let len = usize::try_from(self.len).unwrap_or(FINGERPRINT_BYTES);
        Ok(Fingerprint::read(file, len)? == *self)
    }
}

/// Reads the checkpoint at `path`; `None` when there is none. A file that is not a checkpoint is
/// an `InvalidData` error naming it (delete it to start the file over).
pub fn load(path: &Path) -> io::Result<Option<Checkpoint>> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let cp: Checkpoint = serde_json::from_str(&text).map_err(|e| {
        let msg = format!("{} is not a connector checkpoint: {e}", path.display());
        io::Error::new(io::ErrorKind::InvalidData, msg)
    })?;
    if cp.version != VERSION {
        let msg = format!(
            "{} is a version {} checkpoint; this build reads version {VERSION}",
            path.display(),
            cp.version
        );
        return Err(io::Error::new(io::ErrorKind::InvalidData, msg));
    }
    Ok(Some(cp))
}

/// Writes `cp` to `path` atomically and durably (see the module docs).
pub fn save(path: &Path, cp: &Checkpoint) -> io::Result<()> {
    let tmp = temp_path(path);
    let json = serde_json::to_vec(cp).map_err(io::Error::other)?;
    {
        let mut f = File::create(&tmp)?;
        f.write_all(&json)?;
        f.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    sync_dir(path)
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".tmp");
    path.with_file_name(name)
}

/// Flushes the directory entry of `path` so the rename survives a crash.
#[cfg(unix)]
fn sync_dir(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => File::open(dir)?.sync_all(),
        _ => File::open(".")?.sync_all(),
    }
}

#[cfg(not(unix))]
fn sync_dir(_path: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_atomically_and_loads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("eve.checkpoint");
        assert_eq!(load(&path).unwrap(), None);
        let cp = Checkpoint {
            version: VERSION,
            offset: 42,
            file: FileIdentity { dev: 1, ino: 2 },
            fingerprint: Fingerprint::of(b"{\"timestamp\""),
        };
        save(&path, &cp).unwrap();
        assert_eq!(load(&path).unwrap(), Some(cp));
        assert!(!temp_path(&path).exists());
    }

    #[test]
    fn garbage_and_future_versions_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cp.json");
        fs::write(&path, "{\"offset\":").unwrap();
        let e = load(&path).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        assert!(e.to_string().contains("cp.json"), "{e}");
        fs::write(&path, r#"{"version":9,"offset":0,"file":{"dev":0,"ino":0},"fingerprint":{"len":0,"fnv1a64":"cbf29ce484222325"}}"#).unwrap();
        assert!(load(&path).unwrap_err().to_string().contains("version 9"));
    }

    #[test]
    fn fingerprint_is_fnv1a_and_checks_the_prefix() {
        assert_eq!(Fingerprint::of(b"").fnv1a64, "cbf29ce484222325");
        assert_eq!(Fingerprint::of(b"a").fnv1a64, "af63dc4c8601ec8c");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        fs::write(&path, b"abcdef").unwrap();
        let mut f = File::open(&path).unwrap();
        let fp = Fingerprint::read(&mut f, 4).unwrap();
        assert_eq!(fp, Fingerprint::of(b"abcd"));
        assert!(fp.matches(&mut f).unwrap());
        fs::write(&path, b"abXdef").unwrap();
        assert!(!fp.matches(&mut File::open(&path).unwrap()).unwrap());
        fs::write(&path, b"ab").unwrap();
        assert!(!fp.matches(&mut File::open(&path).unwrap()).unwrap());
    }
}
