//! Lookup rates of one core: one query at a time ([`Snapshot::lookup`]), in batches
//! ([`Snapshot::lookup_batch`]), and the same for every match ([`Snapshot::all_matches`],
//! [`Snapshot::all_matches_batch`]).

use crate::queries::{Kind, QuerySet};
use crate::NOW;
use matcher::{Hit, Query, Snapshot};
use std::hint::black_box;
use std::time::Instant;

/// Batch size of the batch figures other than the batch-size sweep.
pub const BATCH: usize = 256;

/// How the queries are asked.
#[derive(Clone, Copy, Debug)]
pub enum Mode {
    /// `lookup`, one query at a time.
    Single,
    /// `lookup_batch` over slices of this many queries.
    Batch(usize),
    /// `all_matches`, one query at a time.
    AllSingle,
    /// `all_matches_batch` over slices of this many queries.
    AllBatch(usize),
}

/// Nanoseconds this thread has run on a CPU (/proc/thread-self/schedstat), so that rates are per
/// second of one core even when other processes share the machine; wall time if unreadable.
fn cpu_ns(wall: Instant) -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| wall.elapsed().as_nanos() as u64)
}

/// Asks every query of `list` once; returns how many matched.
fn pass(snapshot: &Snapshot, list: &[Query<'_>], mode: Mode, hits: &mut Vec<Hit>) -> usize {
    let mut matched = 0;
    match mode {
        Mode::Single => {
            for query in list {
                if let Some(verdict) = snapshot.lookup(black_box(*query), NOW) {
                    matched += 1;
                    black_box(verdict);
                }
            }
        }
        Mode::Batch(size) => {
            let mut out = Vec::with_capacity(size);
            for chunk in list.chunks(size) {
                out.clear();
                snapshot.lookup_batch(black_box(chunk), NOW, &mut out);
                matched += out.iter().filter(|v| v.is_some()).count();
                black_box(&out);
            }
        }
        Mode::AllSingle => {
            for query in list {
                hits.clear();
                snapshot.all_matches(black_box(*query), NOW, hits);
                matched += usize::from(!hits.is_empty());
                black_box(&hits);
            }
        }
        Mode::AllBatch(size) => {
            for chunk in list.chunks(size) {
                snapshot.all_matches_batch(black_box(chunk), NOW, |_, found| {
                    matched += usize::from(!found.is_empty());
                    black_box(found);
                });
            }
        }
    }
    matched
}

/// Lookups per second of one core over `queries`, repeated for at least `secs`; and hit ratio.
pub fn rate(snapshot: &Snapshot, queries: &QuerySet, secs: f64, mode: Mode) -> (f64, f64) {
    let list: Vec<_> = queries.iter().collect();
    if list.is_empty() {
        return (0.0, 0.0);
    }
    let (mut done, mut matched, mut hits) = (0usize, 0usize, Vec::new());
    let started = Instant::now();
    let cpu_start = cpu_ns(started);
    while started.elapsed().as_secs_f64() < secs {
        matched += pass(snapshot, &list, mode, &mut hits);
        done += list.len();
    }
    let cpu = (cpu_ns(started) - cpu_start) as f64 / 1e9;
    (done as f64 / cpu, matched as f64 / done as f64)
}

/// Prints the lookup figures: mixed, hits and misses only, per kind; one at a time, then in
/// batches.
pub fn lookup_figures(snapshot: &Snapshot, queries: &QuerySet, secs: f64) {
    let _ = rate(snapshot, queries, 0.3, Mode::Single); // warm-up
    let (single, hit_ratio) = rate(snapshot, queries, secs, Mode::Single);
    println!(
        "lookups/s, one thread, mixed ({} queries, {:.1}% hits): {:.2} M",
        queries.len(),
        hit_ratio * 100.0,
        single / 1e6
    );
    for size in [16, 64, BATCH, 1024] {
        let (rate, _) = rate(snapshot, queries, secs, Mode::Batch(size));
        println!(
            "lookups/s, one thread, mixed, {:.0} % hits, batches of {size}: {:.2} M",
            hit_ratio * 100.0,
            rate / 1e6
        );
    }
    for (label, want_hit) in [("hits", true), ("misses", false)] {
        let subset = queries.filter(|_, hit| hit == want_hit);
        let (one, _) = rate(snapshot, &subset, secs / 2.0, Mode::Single);
        let (batched, _) = rate(snapshot, &subset, secs / 2.0, Mode::Batch(BATCH));
        println!(
            "lookups/s, one thread, {label} only: {:.2} M; batches of {BATCH}: {:.2} M",
            one / 1e6,
            batched / 1e6
        );
    }
    for kind in Kind::ALL {
        let subset = queries.filter(|k, _| k == kind);
        let (one, hit_ratio) = rate(snapshot, &subset, secs / 2.0, Mode::Single);
        let (batched, _) = rate(snapshot, &subset, secs / 2.0, Mode::Batch(BATCH));
        println!(
            "lookups/s, one thread, {} only ({:.0}% hits): {:.2} M; batches of {BATCH}: {:.2} M",
            kind.name(),
            hit_ratio * 100.0,
            one / 1e6,
            batched / 1e6
        );
    }
    let (one, _) = rate(snapshot, queries, secs / 2.0, Mode::AllSingle);
    let (batched, _) = rate(snapshot, queries, secs / 2.0, Mode::AllBatch(BATCH));
    println!(
        "all_matches/s, one thread, mixed: {:.2} M; batches of {BATCH}: {:.2} M",
        one / 1e6,
        batched / 1e6
    );
}
