//! `matcher-bench`: the matcher's performance figures, one line each.
//!
//! Generates the deterministic mix (1,000,000 indicators by default), then measures the
//! snapshot build, memory per indicator (the snapshot's own accounting and the growth of the
//! process's resident set), the single-thread lookup rate (mixed, hits, misses, per kind; one
//! query at a time and in batches, `Snapshot::lookup_batch`; see `rates`), and the cost of
//! incremental updates. Run it in release mode: `bench/matcher.sh`.
//!
//! Usage: `matcher-bench [--count N] [--queries N] [--secs S]`

mod data;
mod queries;
mod rates;

use data::{Rng, Value};
use matcher::{Entry, Snapshot, SnapshotBuilder};
use queries::QuerySet;
use rates::{lookup_figures, Mode, BATCH};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// The clock every lookup is made at.
pub const NOW: i64 = 1_800_000_000;

struct Options {
    count: usize,
    queries: usize,
    secs: f64,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        count: 1_000_000,
        queries: 1 << 20,
        secs: 2.0,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let bad = |e: &dyn std::fmt::Display| format!("{flag} {value}: {e}");
        match flag.as_str() {
            "--count" => options.count = value.parse().map_err(|e| bad(&e))?,
            "--queries" => options.queries = value.parse().map_err(|e| bad(&e))?,
            "--secs" => options.secs = value.parse().map_err(|e| bad(&e))?,
            _ => {
                return Err(format!(
                    "unknown flag {flag}; use --count, --queries, --secs"
                ))
            }
        }
    }
    Ok(options)
}

fn main() {
    match options().and_then(|o| run(&o)) {
        Ok(()) => {}
        Err(message) => {
            eprintln!("matcher-bench: {message}");
            std::process::exit(2);
        }
    }
}

/// Resident set size of this process in bytes (`VmRSS` of /proc/self/status).
fn rss_bytes() -> Result<u64, String> {
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| e.to_string())?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .ok_or("no VmRSS in /proc/self/status")?;
    let kb: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .ok_or("unreadable VmRSS")?;
    Ok(kb * 1024)
}

fn build(indicators: &[(Value, Entry)]) -> Result<Snapshot, String> {
    let mut builder = SnapshotBuilder::new();
    for (value, entry) in indicators {
        builder
            .insert(value.observable(), *entry)
            .map_err(|e| e.to_string())?;
    }
    Ok(builder.build())
}

fn run(options: &Options) -> Result<(), String> {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    eprintln!(
        "(load average before: {}; rates are per CPU-second of the bench thread)",
        load.trim()
    );
    let mut rng = Rng::new(0x5ec9_7a9b);
    let indicators = data::indicators(options.count, NOW, &mut rng);
    println!("indicators: {} (30% addresses, 10% CIDR blocks, 30% domains, 20% hashes, 10% URLs; 80% of IPs v4)", options.count);
    let rss_before = rss_bytes()?;
    let started = Instant::now();
    let snapshot = build(&indicators)?;
    let build_time = started.elapsed();
    let rss_after = rss_bytes()?;
    println!(
        "build (insert + index) of {}: {:.0} ms",
        options.count,
        ms(build_time)
    );
    let per = |bytes: f64| bytes / options.count.max(1) as f64;
    println!(
        "memory per indicator (Snapshot::memory_bytes): {:.1} bytes",
        per(snapshot.memory_bytes() as f64)
    );
    println!(
        "memory per indicator (RSS growth over the build): {:.1} bytes",
        per(rss_after.saturating_sub(rss_before) as f64)
    );
    let huge = std::fs::read_to_string("/proc/self/smaps_rollup").unwrap_or_default();
    if let Some(line) = huge.lines().find(|l| l.starts_with("AnonHugePages")) {
        eprintln!(
            "(transparent huge pages in use: {})",
            line.trim_start_matches("AnonHugePages:").trim()
        );
    }
    println!(
        "main-memory latency (dependent loads over 64 MiB): {:.0} ns",
        memory_latency_ns(&mut Rng::new(7))
    );
    let started = Instant::now();
    let queries = queries::generate(options.queries, &indicators, &snapshot, NOW, &mut rng);
    eprintln!(
        "(generated {} queries in {:.1} s)",
        queries.len(),
        started.elapsed().as_secs_f64()
    );
    lookup_figures(&snapshot, &queries, options.secs);
    update_figures(&snapshot, &indicators, &queries, options, &mut rng)
}

/// Nanoseconds per dependent load over a random cycle through 64 MiB: the machine's main-memory
/// latency, which bounds the rate of lookups that hit (each reads at least one line of it).
fn memory_latency_ns(rng: &mut Rng) -> f64 {
    const LINES: usize = 1 << 20; // 64 MiB of 64-byte lines
    let mut order: Vec<u32> = (0..LINES as u32).collect();
    for i in (1..LINES).rev() {
        order.swap(i, rng.below(i as u64) as usize);
    }
    let mut next = vec![0u32; LINES * 16];
    for pair in order.windows(2) {
        next[pair[0] as usize * 16] = pair[1] * 16;
    }
    next[order[LINES - 1] as usize * 16] = order[0] * 16;
    let (mut at, steps) = (0u32, 2_000_000);
    let started = Instant::now();
    for _ in 0..steps {
        at = next[at as usize];
    }
    black_box(at);
    started.elapsed().as_secs_f64() * 1e9 / f64::from(steps)
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

/// 1,000 indicators replaced (key removed, a new value added under it).
type Changes = (Vec<u32>, Vec<(Value, Entry)>);

fn update_figures(
    snapshot: &Snapshot,
    indicators: &[(Value, Entry)],
    queries: &QuerySet,
    options: &Options,
    rng: &mut Rng,
) -> Result<(), String> {
    let count = indicators.len() as u64;
    if count == 0 {
        return Ok(());
    }
    let removed: Vec<u32> = (0..1000).map(|_| rng.below(count) as u32).collect();
    let fresh = data::indicators(1000, NOW, rng);
    let changes: Changes = (removed, fresh);
    let started = Instant::now();
    let batch = snapshot
        .apply(&changes.0, (0..1000).map(|i| added(&changes, i)))
        .map_err(|e| e.to_string())?;
    let took = ms(started.elapsed());
    println!("update: one apply of 1,000 replaced indicators: {took:.2} ms");
    black_box(batch);
    let current = single_updates(snapshot, &changes)?;
    let (one, _) = rates::rate(&current, queries, options.secs / 2.0, Mode::Single);
    let (batched, _) = rates::rate(&current, queries, options.secs / 2.0, Mode::Batch(BATCH));
    println!(
        "lookups/s, one thread, mixed, with {} pending changes in the overlay: {:.2} M; batches of {BATCH}: {:.2} M",
        current.pending_changes(),
        one / 1e6,
        batched / 1e6
    );
    let started = Instant::now();
    let compacted = current.compact().map_err(|e| e.to_string())?;
    println!(
        "rebuild (compact) of {} entries from a snapshot: {:.0} ms",
        compacted.len(),
        ms(started.elapsed())
    );
    Ok(())
}

/// The `i`th replacement as `apply` takes it.
fn added<'a>(changes: &'a Changes, i: usize) -> (matcher::Observable<'a>, Entry) {
    let (removed, fresh) = changes;
    let entry = Entry {
        key: removed[i],
        ..fresh[i].1
    };
    (fresh[i].0.observable(), entry)
}

/// Applies the changes one at a time, printing the mean and worst cost; returns the result.
fn single_updates(snapshot: &Snapshot, changes: &Changes) -> Result<Snapshot, String> {
    let (mut current, mut slowest, mut total) = (None::<Snapshot>, Duration::ZERO, Duration::ZERO);
    for i in 0..changes.0.len() {
        let from = current.as_ref().unwrap_or(snapshot);
        let started = Instant::now();
        let next = from
            .apply(&changes.0[i..=i], [added(changes, i)])
            .map_err(|e| e.to_string())?;
        let took = started.elapsed();
        (slowest, total) = (slowest.max(took), total + took);
        current = Some(next);
    }
    println!(
        "update: 1,000 applies of 1 replaced indicator each: mean {:.0} us, max {:.0} us",
        total.as_secs_f64() * 1e6 / changes.0.len().max(1) as f64,
        slowest.as_secs_f64() * 1e6
    );
    current.ok_or_else(|| "no change applied".to_owned())
}
