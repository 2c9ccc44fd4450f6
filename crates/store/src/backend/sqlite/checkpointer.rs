//! Checkpoints off the writer's path. In WAL mode a commit appends pages to the WAL; a checkpoint
//! copies them back into the database file and syncs it. SQLite's automatic checkpoint runs inside
//! the COMMIT that crosses its threshold, on the writer thread, so every caller queued behind that
//! commit waits for it (about 40 % of the writer's time under bulk ingest). Here the writer only
//! counts WAL pages (a WAL hook) and, each time another `threshold` pages have been appended, wakes
//! a thread with its own connection that runs a `PASSIVE` checkpoint, which neither waits for nor
//! blocks readers and the writer. Durability does not depend on it: a commit is durable once its
//! WAL frames are synced (`synchronous=FULL`).
//!
//! A `PASSIVE` checkpoint that runs while the writer appends never catches up with it, and the WAL
//! starts over from its beginning only once every frame has been copied back. So when the WAL
//! reaches [`CATCH_UP`] thresholds the writer runs one checkpoint itself, between two
//! transactions: it copies only the frames the checkpointer has not copied yet, and the next
//! transaction restarts the WAL. The WAL stays bounded whatever happens.

use crate::error::StoreError;
use rusqlite::Connection;
use std::cell::Cell;
use std::path::Path;
use std::sync::mpsc;

/// WAL size, in thresholds, at which the writer finishes the checkpoint itself.
const CATCH_UP: i64 = 2;

thread_local! {
    /// Pages in the WAL after the last commit on this thread's connection (set by the WAL hook;
    /// the writer thread owns exactly one connection).
    static WAL_PAGES: Cell<i64> = const { Cell::new(0) };
}

fn record_pages(_: &rusqlite::hooks::Wal, pages: std::ffi::c_int) -> rusqlite::Result<()> {
    WAL_PAGES.with(|p| p.set(i64::from(pages)));
    Ok(())
}

/// The writer's side: decides after each commit whether a checkpoint is due.
#[derive(Debug)]
pub(crate) struct Checkpoints {
    /// Pages per checkpoint; 0 disables checkpoints (until the connection closes).
    threshold: i64,
    /// WAL size at which the next checkpoint is requested.
    next: i64,
    /// WAL size after the previous commit (a smaller one means the WAL restarted).
    last: i64,
    wake: Option<mpsc::SyncSender<()>>,
}

impl Checkpoints {
    /// Installs the WAL hook on the writer connection `conn` (replacing SQLite's automatic
    /// checkpoint) and starts the checkpoint thread on a second connection to `path`.
    pub(crate) fn start(
        conn: &Connection,
        path: &Path,
        threshold_pages: u32,
        configure: impl FnOnce(&Connection) -> Result<(), StoreError>,
    ) -> Result<Checkpoints, StoreError> {
        conn.wal_hook(Some(record_pages));
        let threshold = i64::from(threshold_pages);
        let wake = if threshold > 0 {
            let own = Connection::open(path)
                .map_err(|e| StoreError::Open(format!("{}: {e}", path.display())))?;
            configure(&own)?;
            let (wake, rx) = mpsc::sync_channel(1);
            std::thread::Builder::new()
                .name("secgraph-store-checkpoint".into())
                .spawn(move || run(&own, &rx))
                .map_err(|e| StoreError::Open(format!("cannot start the checkpointer: {e}")))?;
            Some(wake)
        } else {
            None
        };
        Ok(Checkpoints {
            threshold,
            next: threshold,
            last: 0,
            wake,
        })
    }

    /// Called by the writer after each COMMIT.
    pub(crate) fn committed(&mut self, conn: &Connection) {
        let Some(wake) = &self.wake else { return };
        let pages = WAL_PAGES.with(Cell::get);
        if pages < self.last {
            self.next = self.threshold;
        }
        self.last = pages;
        if pages >= self.threshold * CATCH_UP {
            checkpoint(conn);
        } else if pages >= self.next {
            self.next = pages + self.threshold;
            // A full channel means a checkpoint is already pending: it will take these pages too.
            let _ = wake.try_send(());
        }
    }
}

fn run(conn: &Connection, wake: &mpsc::Receiver<()>) {
    while wake.recv().is_ok() {
        checkpoint(conn);
    }
}

/// Copies what it can of the WAL back into the database without waiting for anyone.
fn checkpoint(conn: &Connection) {
    let result = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
        ))
    });
    match result {
        Ok((_, log, done)) => tracing::debug!(log, done, "checkpoint"),
        Err(e) => tracing::warn!(error = %e, "checkpoint failed; the next one retries"),
    }
}
