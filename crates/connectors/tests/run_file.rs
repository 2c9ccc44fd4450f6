//! `run_file` end to end: real files, a real sink, rotation while running, a failing sink,
//! restarts. Every test counts what the sink received per alert id.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixture;

use connectors::{run_file, ConnectorKind, RunOptions, RunStats, StoredAlert};
use std::collections::HashMap;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// One sink call: the alert ids of the batch and whether the sink accepted it.
type Call = (Vec<String>, bool);

/// Every batch the sink was called with, accepted or not.
#[derive(Clone, Default)]
struct Sink {
    calls: Arc<Mutex<Vec<Call>>>,
    /// How many calls to refuse before accepting.
    refuse: Arc<Mutex<usize>>,
}

impl Sink {
    fn refusing(n: usize) -> Sink {
        let sink = Sink::default();
        *sink.refuse.lock().unwrap() = n;
        sink
    }

    /// Accepted alert ids with how often each was accepted.
    fn accepted(&self) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for (ids, ok) in self.calls.lock().unwrap().iter() {
            for id in ids.iter().filter(|_| *ok) {
                *counts.entry(id.clone()).or_insert(0) += 1;
            }
        }
        counts
    }

    fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    fn start(
        &self,
        log: &Path,
        cp: &Path,
    ) -> (JoinHandle<std::io::Result<RunStats>>, watch::Sender<bool>) {
        let (stop_tx, stop_rx) = watch::channel(false);
        let options = RunOptions {
            poll_interval: Duration::from_millis(10),
            batch_lines: 7,
            retry_initial: Duration::from_millis(5),
            retry_max: Duration::from_millis(20),
            ..RunOptions::default()
        };
        let me = self.clone();
        let sink = move |alerts: Vec<StoredAlert>| {
            let me = me.clone();
            async move {
                let ids: Vec<String> = alerts.iter().map(|a| a.alert.id.0.clone()).collect();
                let mut refuse = me.refuse.lock().unwrap();
                let ok = *refuse == 0;
                *refuse = refuse.saturating_sub(1);
                me.calls.lock().unwrap().push((ids, ok));
                if ok {
                    Ok(())
                } else {
                    Err("store unavailable".to_string())
                }
            }
        };
        let task = tokio::spawn(run_file(
            log.to_path_buf(),
            cp.to_path_buf(),
            ConnectorKind::Suricata,
            sink,
            options,
            stop_rx,
        ));
        (task, stop_tx)
    }
}

async fn stop(task: JoinHandle<std::io::Result<RunStats>>, stop: watch::Sender<bool>) -> RunStats {
    // Let a duplicate, if the tailer were to produce one, reach the sink before stopping.
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.send(true).unwrap();
    task.await.unwrap().unwrap()
}

fn paths() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("eve.json");
    let cp = tmp.path().join("eve.checkpoint");
    (tmp, log, cp)
}

fn alerts(range: std::ops::Range<u64>) -> String {
    range.map(fixture::eve_alert).collect()
}

fn assert_each_once(sink: &Sink, expected: usize) {
    let accepted = sink.accepted();
    assert_eq!(accepted.len(), expected, "distinct alerts accepted");
    let twice: Vec<_> = accepted.iter().filter(|(_, n)| **n != 1).collect();
    assert!(twice.is_empty(), "accepted more than once: {twice:?}");
}

#[tokio::test]
async fn rename_rotation_delivers_every_line_exactly_once() {
    let (_tmp, log, cp) = paths();
    let mut writer = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .unwrap();
    writer.write_all(alerts(0..20).as_bytes()).unwrap();
    writer.write_all(fixture::eve_flow().as_bytes()).unwrap();
    let sink = Sink::default();
    let (task, stop_tx) = sink.start(&log, &cp);
    fixture::wait_for("the first 20 alerts", || sink.accepted().len() == 20).await;
    fs::rename(&log, log.with_extension("json.1")).unwrap();
    writer.write_all(alerts(20..30).as_bytes()).unwrap(); // the writer has not reopened yet
    let mut writer = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .unwrap();
    writer.write_all(alerts(30..50).as_bytes()).unwrap();
    fixture::wait_for("all 50 alerts", || sink.accepted().len() == 50).await;
    let stats = stop(task, stop_tx).await;
    assert_each_once(&sink, 50);
    assert_eq!((stats.alerts, stats.ignored, stats.failed), (50, 1, 0));
    assert_eq!(stats.lines, 51);
}

#[tokio::test]
async fn copytruncate_rotation_delivers_every_line_exactly_once() {
    let (_tmp, log, cp) = paths();
    let mut writer = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .unwrap();
    writer.write_all(alerts(0..20).as_bytes()).unwrap();
    let sink = Sink::default();
    let (task, stop_tx) = sink.start(&log, &cp);
    fixture::wait_for("the first 20 alerts", || sink.accepted().len() == 20).await;
    fs::copy(&log, log.with_extension("json.1")).unwrap();
    OpenOptions::new()
        .write(true)
        .open(&log)
        .unwrap()
        .set_len(0)
        .unwrap();
    writer.write_all(alerts(20..25).as_bytes()).unwrap(); // O_APPEND: from offset 0 again
    fixture::wait_for("25 alerts", || sink.accepted().len() == 25).await;
    // Truncated again and at once written past the old offset.
    fs::copy(&log, log.with_extension("json.2")).unwrap();
    OpenOptions::new()
        .write(true)
        .open(&log)
        .unwrap()
        .set_len(0)
        .unwrap();
    writer.write_all(alerts(25..45).as_bytes()).unwrap();
    fixture::wait_for("45 alerts", || sink.accepted().len() == 45).await;
    stop(task, stop_tx).await;
    assert_each_once(&sink, 45);
}

#[tokio::test]
async fn a_sink_that_fails_twice_gets_the_same_batch_again_and_nothing_is_lost() {
    let (_tmp, log, cp) = paths();
    fs::write(&log, alerts(0..5)).unwrap();
    let sink = Sink::refusing(2);
    let (task, stop_tx) = sink.start(&log, &cp);
    fixture::wait_for("5 alerts", || sink.accepted().len() == 5).await;
    let stats = stop(task, stop_tx).await;
    let calls = sink.calls();
    assert_eq!(calls.len(), 3);
    assert_eq!(
        calls.iter().map(|c| c.1).collect::<Vec<_>>(),
        [false, false, true]
    );
    assert_eq!(
        calls[0].0, calls[2].0,
        "the refused batch came again, whole"
    );
    assert_eq!(calls[1].0, calls[2].0);
    assert_eq!(
        (stats.sink_failures, stats.alerts, stats.batches),
        (2, 5, 1)
    );
    assert_each_once(&sink, 5);
}

#[tokio::test]
async fn a_restart_resumes_after_the_last_accepted_batch() {
    let (_tmp, log, cp) = paths();
    fs::write(&log, alerts(0..10)).unwrap();
    let first = Sink::default();
    let (task, stop_tx) = first.start(&log, &cp);
    fixture::wait_for("10 alerts", || first.accepted().len() == 10).await;
    stop(task, stop_tx).await;
    let mut f = OpenOptions::new().append(true).open(&log).unwrap();
    f.write_all(alerts(10..16).as_bytes()).unwrap();
    let second = Sink::default();
    let (task, stop_tx) = second.start(&log, &cp);
    fixture::wait_for("6 more alerts", || second.accepted().len() == 6).await;
    stop(task, stop_tx).await;
    assert_each_once(&second, 6);
    let before: Vec<String> = first.accepted().into_keys().collect();
    assert!(
        before.iter().all(|id| !second.accepted().contains_key(id)),
        "nothing again"
    );
}

#[tokio::test]
async fn stopping_while_the_sink_refuses_keeps_the_batch_for_the_next_run() {
    let (_tmp, log, cp) = paths();
    fs::write(&log, alerts(0..3)).unwrap();
    let down = Sink::refusing(usize::MAX);
    let (task, stop_tx) = down.start(&log, &cp);
    fixture::wait_for("a refused call", || !down.calls().is_empty()).await;
    let stats = stop(task, stop_tx).await;
    assert_eq!(stats.batches, 0);
    let up = Sink::default();
    let (task, stop_tx) = up.start(&log, &cp);
    fixture::wait_for("3 alerts", || up.accepted().len() == 3).await;
    stop(task, stop_tx).await;
    assert_each_once(&up, 3);
}

#[tokio::test]
async fn unmappable_lines_are_counted_and_skipped_and_the_loop_goes_on() {
    let (_tmp, log, cp) = paths();
    let bad = "{\"timestamp\":\"2011-08-12T14:52:57.716360+0200\",\"event_type\":\"alert\"}\n";
    fs::write(
        &log,
        format!("{}not json\n\n{bad}{}", alerts(0..1), alerts(1..2)),
    )
    .unwrap();
    let sink = Sink::default();
    let (task, stop_tx) = sink.start(&log, &cp);
    fixture::wait_for("2 alerts", || sink.accepted().len() == 2).await;
    let stats = stop(task, stop_tx).await;
    assert_eq!((stats.lines, stats.alerts, stats.failed), (4, 2, 2));
}

#[tokio::test]
async fn a_file_that_appears_later_is_followed_and_a_dropped_sender_stops_the_run() {
    let (_tmp, log, cp) = paths();
    let sink = Sink::default();
    let (task, stop_tx) = sink.start(&log, &cp);
    tokio::time::sleep(Duration::from_millis(50)).await;
    fs::write(&log, alerts(0..2)).unwrap();
    fixture::wait_for("2 alerts", || sink.accepted().len() == 2).await;
    drop(stop_tx);
    let stats = tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("stopped")
        .unwrap()
        .unwrap();
    assert_eq!(stats.alerts, 2);
}
