//! Durable JSON files in the state directory. A file is read whole and written whole: to a
//! temporary file beside it, flushed to disk, renamed over the old one, and the directory flushed,
//! so a crash leaves either the old or the new content, never a torn file. The journal is
//! append-only, one JSON object a line, each line flushed before the call is answered.

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// The content of `path`, or the default when the file does not exist yet. A file that exists
/// but does not parse is an error naming it: the firewall refuses to start rather than forget
/// its block list.
pub fn read<T: DeserializeOwned + Default>(path: &Path) -> io::Result<T> {
    match fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{} is not readable state: {e}", path.display()),
            )
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(T::default()),
        Err(e) => Err(e),
    }
}

/// Replaces `path` with `value` atomically (see the module docs).
pub fn write<T: Serialize>(path: &Path, value: &T) -> io::Result<()> {
    let bytes = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
    let tmp = path.with_extension("json.tmp");
    {
        let mut file = File::create(&tmp)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    sync_dir(path)
}

/// Appends `value` as one line to `path` and flushes it to disk.
pub fn append_line<T: Serialize>(path: &Path, value: &T) -> io::Result<()> {
    let mut line = serde_json::to_vec(value).map_err(io::Error::other)?;
    line.push(b'\n');
    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    file.write_all(&line)?;
    file.sync_data()
}

/// Flushes the directory holding `path`, so a rename survives a crash.
fn sync_dir(path: &Path) -> io::Result<()> {
    match path.parent() {
        #[cfg(unix)]
        Some(dir) => File::open(dir)?.sync_all(),
        _ => Ok(()),
    }
}
