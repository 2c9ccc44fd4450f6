//! [`run_file`]: a connector that follows a log file and hands its alerts to a sink.
//!
//! The loop: poll up to [`RunOptions::batch_lines`] lines ([`Tailer`]), map them, give the
//! alerts to the sink, and commit the batch's end offset once the sink said `Ok` (the sink returns
//! only after its write is durable). So a crash re-delivers at most the batch in flight, and the
//! deterministic alert ids turn that into upserts of identical alerts.
//!
//! * A sink `Err` retries the **same** batch after a back-off (doubling from
//!   [`RunOptions::retry_initial`] up to [`RunOptions::retry_max`]); later lines wait.
//! * Lines that do not map (and oversized lines) are logged with file and offset, counted in
//!   [`RunStats::failed`] and skipped; valid lines that are no alert are counted in
//!   [`RunStats::ignored`]. Neither stops the loop. A batch with no alert is committed without
//!   calling the sink.
//! * I/O errors while reading or committing are logged and retried; only an unreadable checkpoint
//!   at start is returned as an error.
//! * File reads and checkpoint writes run on tokio's blocking pool.
//! * Stop: set the watch channel to `true` (or drop its sender). The loop stops between batches
//!   and during waits; a sink call in progress is awaited. A batch not yet committed is delivered
//!   again by the next run.

use crate::kind::ConnectorKind;
use crate::tail::{Tailer, DEFAULT_MAX_LINE_BYTES};
use model::StoredAlert;
use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::watch;

/// How [`run_file`] polls, batches and retries.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Wait between polls when the file has no new complete line (default 250 ms).
    pub poll_interval: Duration,
    /// Most lines per batch (default 500).
    pub batch_lines: usize,
    /// First wait before retrying a refused batch or a failed read or commit (default 200 ms).
    pub retry_initial: Duration,
    /// Longest wait between retries (default 30 s).
    pub retry_max: Duration,
    /// Longest line kept (default [`DEFAULT_MAX_LINE_BYTES`]).
    pub max_line_bytes: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            poll_interval: Duration::from_millis(250),
            batch_lines: 500,
            retry_initial: Duration::from_millis(200),
            retry_max: Duration::from_secs(30),
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
        }
    }
}

/// What a run did, counting committed batches only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunStats {
    /// Non-blank lines read.
    pub lines: u64,
    /// Alerts the sink accepted.
    pub alerts: u64,
    /// Alerts left out because the same batch already held an alert with their id (the same
    /// event logged twice).
    pub duplicates: u64,
    /// Valid lines that are no alert (Suricata `flow`, `stats`, ...).
    pub ignored: u64,
    /// Lines that did not map or were too long: logged and skipped.
    pub failed: u64,
    /// Batches committed.
    pub batches: u64,
    /// Times the sink refused a batch (each was retried).
    pub sink_failures: u64,
}

/// One polled batch, mapped.
#[derive(Default)]
struct Mapped {
    alerts: Vec<StoredAlert>,
    offset_after: u64,
    stats: RunStats,
}

/// Follows `path` as a `kind` log, keeping its checkpoint at `checkpoint`, and gives each batch of
/// alerts to `sink` until `stop` is set (see the module docs). Returns the counts of this run.
pub async fn run_file<S, F>(
    path: impl Into<PathBuf>,
    checkpoint: impl Into<PathBuf>,
    kind: ConnectorKind,
    mut sink: S,
    options: RunOptions,
    mut stop: watch::Receiver<bool>,
) -> io::Result<RunStats>
where
    S: FnMut(Vec<StoredAlert>) -> F,
    F: Future<Output = Result<(), String>>,
{
    let mut tailer = Tailer::open(path, checkpoint)?.with_max_line_bytes(options.max_line_bytes);
    let mut total = RunStats::default();
    let batch_lines = options.batch_lines.max(1);
    while !stopped(&stop) {
        let (t, polled) = blocking(tailer, move |t| poll_and_map(t, kind, batch_lines)).await?;
        tailer = t;
        let batch = match polled {
            Ok(Some(batch)) => batch,
            Ok(None) => {
                pause(&mut stop, options.poll_interval).await;
                continue;
            }
            Err(e) => {
                let file = tailer.path().display().to_string();
                tracing::warn!(%file, error = %e, "reading the file failed; retrying");
                pause(&mut stop, options.retry_initial).await;
                continue;
            }
        };
        let mut stats = batch.stats;
        if !batch.alerts.is_empty() {
            let Some(failures) = deliver(&mut sink, &batch.alerts, &options, &mut stop).await
            else {
                break;
            };
            stats.sink_failures = failures;
        }
        let (t, committed) = commit(tailer, batch.offset_after, &options, &mut stop).await?;
        tailer = t;
        if !committed {
            break;
        }
        stats.alerts = batch.alerts.len() as u64;
        stats.batches = 1;
        total.add(&stats);
    }
    Ok(total)
}

impl RunStats {
    fn add(&mut self, o: &RunStats) {
        self.lines += o.lines;
        self.alerts += o.alerts;
        self.duplicates += o.duplicates;
        self.ignored += o.ignored;
        self.failed += o.failed;
        self.batches += o.batches;
        self.sink_failures += o.sink_failures;
    }
}

/// Polls one batch and maps it; `None` when there is no new line.
fn poll_and_map(t: &mut Tailer, kind: ConnectorKind, max: usize) -> io::Result<Option<Mapped>> {
    let lines = t.poll(max)?;
    let Some(last) = lines.last() else {
        return Ok(None);
    };
    let mut m = Mapped {
        offset_after: last.offset_after,
        ..Mapped::default()
    };
    let file = t.path().display().to_string();
    for line in &lines {
        if !line.oversized && line.text.trim().is_empty() {
            continue;
        }
        m.stats.lines += 1;
        let offset = line.offset;
        if line.oversized {
            m.stats.failed += 1;
            tracing::warn!(%file, offset, "line skipped: longer than the line limit");
            continue;
        }
        match kind.map_line(&line.text) {
            Ok(Some(a)) if m.alerts.iter().any(|b| b.alert.id == a.alert.id) => {
                m.stats.duplicates += 1;
            }
            Ok(Some(a)) => m.alerts.push(a),
            Ok(None) => m.stats.ignored += 1,
            Err(e) => {
                m.stats.failed += 1;
                tracing::warn!(%file, offset, error = %e, "line skipped: it does not map to an alert");
            }
        }
    }
    Ok(Some(m))
}

/// Gives `alerts` to the sink until it accepts them; the number of refusals, or `None` when
/// stopped first.
async fn deliver<S, F>(
    sink: &mut S,
    alerts: &[StoredAlert],
    options: &RunOptions,
    stop: &mut watch::Receiver<bool>,
) -> Option<u64>
where
    S: FnMut(Vec<StoredAlert>) -> F,
    F: Future<Output = Result<(), String>>,
{
    let mut delay = options.retry_initial;
    let mut failures = 0;
    loop {
        match sink(alerts.to_vec()).await {
            Ok(()) => return Some(failures),
            Err(e) => {
                failures += 1;
                let retry_ms = delay.as_millis() as u64;
                tracing::warn!(error = %e, retry_ms, alerts = alerts.len(), "the sink refused a batch; retrying it");
                if pause(stop, delay).await {
                    return None;
                }
                delay = (delay * 2).min(options.retry_max);
            }
        }
    }
}

/// Commits `offset`, retrying failures; `false` when stopped first.
async fn commit(
    mut tailer: Tailer,
    offset: u64,
    options: &RunOptions,
    stop: &mut watch::Receiver<bool>,
) -> io::Result<(Tailer, bool)> {
    let mut delay = options.retry_initial;
    loop {
        let (t, result) = blocking(tailer, move |t| t.commit(offset)).await?;
        tailer = t;
        match result {
            Ok(()) => return Ok((tailer, true)),
            Err(e) => {
                let file = tailer.path().display().to_string();
                tracing::warn!(%file, offset, error = %e, "writing the checkpoint failed; retrying");
                if pause(stop, delay).await {
                    return Ok((tailer, false));
                }
                delay = (delay * 2).min(options.retry_max);
            }
        }
    }
}

/// Runs `f` on the tailer on the blocking pool and hands the tailer back.
async fn blocking<R, G>(mut tailer: Tailer, f: G) -> io::Result<(Tailer, R)>
where
    R: Send + 'static,
    G: FnOnce(&mut Tailer) -> R + Send + 'static,
{
    tokio::task::spawn_blocking(move || {
        let r = f(&mut tailer);
        (tailer, r)
    })
    .await
    .map_err(io::Error::other)
}

/// True when a stop was requested or nobody can request one any more.
fn stopped(stop: &watch::Receiver<bool>) -> bool {
    stop.has_changed().is_err() || *stop.borrow()
}

/// Waits `d` or until a stop is requested; true when stopped.
async fn pause(stop: &mut watch::Receiver<bool>, d: Duration) -> bool {
    if stopped(stop) {
        return true;
    }
    tokio::select! {
        _ = tokio::time::sleep(d) => stopped(stop),
        changed = stop.changed() => changed.is_err() || *stop.borrow(),
    }
}
