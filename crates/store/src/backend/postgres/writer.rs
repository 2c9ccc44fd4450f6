//! The writers: a few threads, each owning one blocking connection, taking jobs from one queue. Each
//! job runs in its own transaction (PostgreSQL groups the WAL flushes of concurrent commits itself), so
//! a job's locks are never held across another job's: see the module documentation of the backend.

use super::{as_params, connect_blocking};
use crate::backend::{Job, JobOutcome, JobQueue, Msg, Tx};
use crate::dialect::{Dialect, Postgres};
use crate::error::StoreError;
use crate::events::StoreEvent;
use crate::value::{Row, Value};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::{mpsc, Arc};

/// Prepared statements kept per writer connection before the cache is emptied.
const STATEMENT_CACHE: usize = 256;

/// Starts `count` writer threads, each connected before this returns (so a bad URL or an
/// unreachable server fails the open, not the first write).
pub(crate) fn start(
    config: &tokio_postgres::Config,
    channel: &str,
    count: usize,
) -> Result<JobQueue, StoreError> {
    let (queue, rx) = JobQueue::new(count);
    let rx = Arc::new(Mutex::new(rx));
    for i in 0..count {
        let (ready_tx, ready_rx) = mpsc::channel();
        let config = config.clone();
        let channel = channel.to_owned();
        let rx = rx.clone();
        std::thread::Builder::new()
            .name(format!("secgraph-pg-writer-{i}"))
            .spawn(move || match connect_blocking(&config) {
                Ok(client) => {
                    let _ = ready_tx.send(Ok(()));
                    run(Connection::new(client, config, channel), &rx);
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                }
            })
            .map_err(|e| StoreError::Open(format!("cannot start a writer thread: {e}")))?;
        ready_rx
            .recv()
            .map_err(|_| StoreError::Open("a writer thread stopped while connecting".into()))??;
    }
    Ok(queue)
}

/// A writer's connection, reopened when the server closed it.
struct Connection {
    client: postgres::Client,
    config: tokio_postgres::Config,
    statements: HashMap<String, postgres::Statement>,
    /// The change feed's notification channel.
    channel: String,
}

impl Connection {
    fn new(client: postgres::Client, config: tokio_postgres::Config, channel: String) -> Self {
        Connection {
            client,
            config,
            statements: HashMap::new(),
            channel,
        }
    }

    /// Reconnects if the connection was lost (a server restart, a failover).
    fn ensure_open(&mut self) -> Result<(), StoreError> {
        if self.client.is_closed() {
            self.client = connect_blocking(&self.config)?;
            self.statements.clear();
        }
        Ok(())
    }

    fn prepare(&mut self, sql: &str) -> Result<postgres::Statement, StoreError> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        if self.statements.len() >= STATEMENT_CACHE {
            self.statements.clear();
        }
        let stmt = self.client.prepare(sql)?;
        self.statements.insert(sql.to_owned(), stmt.clone());
        Ok(stmt)
    }
}

/// A writer loop: take one job at a time and run it in its own transaction.
fn run(mut conn: Connection, rx: &Mutex<mpsc::Receiver<Msg>>) {
    loop {
        let msg = rx.lock().recv();
        match msg {
            Ok(Msg::Job(job)) => run_job(&mut conn, job),
            Ok(Msg::Shutdown(reply)) => {
                let _ = reply.send(());
                return;
            }
            Err(_) => return,
        }
    }
}

fn run_job(conn: &mut Connection, job: Job) {
    if let Err(e) = conn
        .ensure_open()
        .and_then(|()| Ok(conn.client.batch_execute("BEGIN")?))
    {
        // The job never ran: dropping it drops its reply channel, and the caller sees the write
        // as abandoned.
        tracing::error!(error = %e, "cannot start a PostgreSQL write transaction");
        return;
    }
    let mut tx = PostgresTx {
        conn,
        announced: Vec::new(),
    };
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut tx)));
    let (rollback, finish) = match outcome {
        Ok(JobOutcome { failed, finish }) => (failed, Some(finish)),
        Err(_) => {
            tracing::error!("a store write job panicked; its changes were rolled back");
            (true, None)
        }
    };
    let end = if rollback { "ROLLBACK" } else { "COMMIT" };
    let result = conn.client.batch_execute(end).map_err(StoreError::from);
    if let Err(e) = &result {
        tracing::error!(error = %e, "store write transaction failed");
    }
    if let Some(finish) = finish {
        // A failed job reports its own error; a commit failure is everyone's.
        finish(if rollback { Ok(()) } else { result });
    }
}

/// The writer's transaction as seen by jobs.
struct PostgresTx<'c> {
    conn: &'c mut Connection,
    /// The events this transaction has announced (each is sent once: a job queueing a thousand
    /// outbox rows makes one `pg_notify` round trip, not a thousand).
    announced: Vec<StoreEvent>,
}

impl Tx for PostgresTx<'_> {
    fn dialect(&self) -> &'static dyn Dialect {
        &Postgres
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let stmt = self.conn.prepare(sql)?;
        let rows = self.conn.client.query(&stmt, &as_params(params))?;
        rows.iter().map(Value::row_from_postgres).collect()
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<usize, StoreError> {
        let stmt = self.conn.prepare(sql)?;
        let n = self.conn.client.execute(&stmt, &as_params(params))?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    fn announce(&mut self, event: &StoreEvent) -> Result<(), StoreError> {
        // Delivered to every listening node at COMMIT (PostgreSQL would fold identical ones of one
        // transaction too, but only after a round trip each).
        if self.announced.contains(event) {
            return Ok(());
        }
        self.announced.push(event.clone());
        self.execute(
            "SELECT pg_notify($1, $2)",
            &[self.conn.channel.as_str().into(), event.to_payload().into()],
        )?;
        Ok(())
    }
}
