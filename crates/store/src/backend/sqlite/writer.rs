//! The writer: one thread owning the write connection. It takes every queued job (group commit), runs
//! them in one `BEGIN IMMEDIATE` transaction — each inside its own savepoint, so a job that fails is
//! undone without touching the others — commits (durably: WAL with `synchronous=FULL`), and only then
//! answers each job's caller. Checkpoints run elsewhere ([`super::checkpointer`]).

use super::checkpointer::Checkpoints;
use super::reader::read_row;
use crate::backend::{Finish, Job, JobOutcome, JobQueue, Msg, Tx};
use crate::dialect::{Dialect, Sqlite};
use crate::error::StoreError;
use crate::events::StoreEvent;
use crate::value::{Row, Value};
use rusqlite::{params_from_iter, Connection};
use std::panic::AssertUnwindSafe;
use std::sync::mpsc;
use tokio::sync::broadcast;

/// Most jobs in one transaction; more stay queued for the next one.
const MAX_JOBS_PER_COMMIT: usize = 1024;

/// Starts the writer thread on `conn`; committed announcements go to `events`.
pub(crate) fn start(
    conn: Connection,
    checkpoints: Checkpoints,
    events: broadcast::Sender<StoreEvent>,
) -> Result<JobQueue, StoreError> {
    let (queue, rx) = JobQueue::new(1);
    std::thread::Builder::new()
        .name("secgraph-store-writer".into())
        .spawn(move || run(conn, checkpoints, rx, &events))
        .map_err(|e| StoreError::Open(format!("cannot start the writer thread: {e}")))?;
    Ok(queue)
}

/// The writer loop: block for one message, drain what else is queued, run it all in one transaction.
fn run(
    mut conn: Connection,
    mut checkpoints: Checkpoints,
    rx: mpsc::Receiver<Msg>,
    events: &broadcast::Sender<StoreEvent>,
) {
    while let Ok(first) = rx.recv() {
        let mut jobs = Vec::new();
        let mut stop = None;
        let mut next = Some(first);
        while let Some(msg) = next.take() {
            match msg {
                Msg::Job(job) => jobs.push(job),
                Msg::Shutdown(reply) => {
                    stop = Some(reply);
                    break;
                }
            }
            if jobs.len() < MAX_JOBS_PER_COMMIT {
                next = rx.try_recv().ok();
            }
        }
        if !jobs.is_empty() {
            commit_group(&mut conn, jobs, events);
            checkpoints.committed(&conn);
        }
        if let Some(reply) = stop {
            let _ = reply.send(());
            return;
        }
    }
}

/// Runs `jobs` in one transaction, answers each, and publishes what the committed ones announced.
fn commit_group(conn: &mut Connection, jobs: Vec<Job>, events: &broadcast::Sender<StoreEvent>) {
    let mut finishes = Vec::with_capacity(jobs.len());
    let mut announced = Vec::new();
    let result = run_group(conn, jobs, &mut finishes, &mut announced);
    if result.is_err() {
        let _ = conn.execute_batch("ROLLBACK");
        tracing::error!(error = ?result, "store write transaction failed");
    } else {
        for event in announced {
            // No subscriber is not an error.
            let _ = events.send(event);
        }
    }
    for finish in finishes {
        finish(result.clone());
    }
}

fn run_group(
    conn: &mut Connection,
    jobs: Vec<Job>,
    finishes: &mut Vec<Finish>,
    announced: &mut Vec<StoreEvent>,
) -> Result<(), StoreError> {
    // Jobs that never run (BEGIN or a savepoint failed) drop their reply channel: their callers see
    // the write as abandoned.
    conn.execute_batch("BEGIN IMMEDIATE")?;
    for job in jobs {
        conn.execute_batch("SAVEPOINT job")?;
        let before = announced.len();
        let mut tx = SqliteTx {
            conn,
            announced: &mut *announced,
        };
        match std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut tx))) {
            Ok(JobOutcome { failed, finish }) => {
                finishes.push(finish);
                if failed {
                    conn.execute_batch("ROLLBACK TO job")?;
                    announced.truncate(before);
                }
            }
            Err(_) => {
                tracing::error!("a store write job panicked; its changes were rolled back");
                conn.execute_batch("ROLLBACK TO job")?;
                announced.truncate(before);
            }
        }
        conn.execute_batch("RELEASE job")?;
    }
    conn.execute_batch("COMMIT")?;
    Ok(())
}

/// The writer's transaction as seen by jobs.
struct SqliteTx<'c> {
    conn: &'c Connection,
    /// What the transaction's jobs announced, published after COMMIT.
    announced: &'c mut Vec<StoreEvent>,
}

impl Tx for SqliteTx<'_> {
    fn dialect(&self) -> &'static dyn Dialect {
        &Sqlite
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let width = stmt.column_count();
        let mut rows = stmt.query(params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(read_row(row, width)?);
        }
        Ok(out)
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<usize, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        Ok(stmt.execute(params_from_iter(params))?)
    }

    fn announce(&mut self, event: &StoreEvent) -> Result<(), StoreError> {
        if !self.announced.contains(event) {
            self.announced.push(event.clone());
        }
        Ok(())
    }
}
