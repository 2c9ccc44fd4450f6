//! `correlate-bench`: the correlation engine's figures, one line each (`bench/correlate.sh`).
//!
//! 1. **fill**: 1,000,000 alerts of the synthetic stream ([`stream`]) spanning the 24 h window,
//!    ingested in order; the engine's real heap afterwards (a counting global allocator around
//!    the server's mimalloc: live bytes after minus before) and its own accounting of the entity
//!    index ([`correlate::Stats`]).
//! 2. **steady in order**: the stream goes on past the window; every 1,000 alerts the window
//!    slides (`evict_before(newest - window - 10 min)`), so about 1,000,000 alerts stay in it;
//!    alerts/s on one core and the latency of each `ingest` (p50, p99, max).
//! 3. **steady with late alerts**: the same, with a share of alerts arriving up to some minutes
//!    late (each replays its region).
//! 4. **extract**: `AlertFacts::from_alert` on demo alerts, alerts/s.
//!
//! Alerts of phases 2 and 3 are generated before their timing starts. Usage:
//! `correlate-bench [--count N] [--steady N] [--late-steady N] [--late-percent P]
//! [--late-minutes M] [--seed S]`

mod stream;

use cap::Cap;
use correlate::{AlertFacts, Config, Engine};
use std::time::{Duration, Instant};
use stream::Stream;
use time::macros::datetime;

/// The server's allocator, counted.
#[global_allocator]
static ALLOCATOR: Cap<mimalloc::MiMalloc> = Cap::new(mimalloc::MiMalloc, usize::MAX);

struct Options {
    count: u64,
    steady: u64,
    late_steady: u64,
    late_percent: u64,
    late_minutes: i64,
    seed: u64,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        count: 1_000_000,
        steady: 200_000,
        late_steady: 20_000,
        late_percent: 1,
        late_minutes: 2,
        seed: 7,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let bad = |e: &dyn std::fmt::Display| format!("{flag} {value}: {e}");
        match flag.as_str() {
            "--count" => o.count = value.parse().map_err(|e| bad(&e))?,
            "--steady" => o.steady = value.parse().map_err(|e| bad(&e))?,
            "--late-steady" => o.late_steady = value.parse().map_err(|e| bad(&e))?,
            "--late-percent" => o.late_percent = value.parse().map_err(|e| bad(&e))?,
            "--late-minutes" => o.late_minutes = value.parse().map_err(|e| bad(&e))?,
            "--seed" => o.seed = value.parse().map_err(|e| bad(&e))?,
            _ => return Err(format!("unknown flag {flag}; use --count, --steady, --late-steady, --late-percent, --late-minutes, --seed")),
        }
    }
    if o.count == 0 || o.steady == 0 || o.late_steady == 0 {
        return Err("--count, --steady and --late-steady must be positive".into());
    }
    Ok(o)
}

fn main() {
    if let Err(message) = options().and_then(|o| run(&o)) {
        eprintln!("correlate-bench: {message}");
        std::process::exit(2);
    }
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn run(o: &Options) -> Result<(), String> {
    let config = Config::default();
    let window = config.window;
    let start = datetime!(2025-03-01 00:00 UTC);
    let spacing = window / o.count as f64;
    let mut stream = Stream::new(o.seed, start, spacing);
    let before = ALLOCATOR.allocated();
    let mut engine = Engine::new(config, 1);
    let mut busy = Duration::ZERO;
    for i in 0..o.count {
        let facts = stream.alert(i);
        let t = Instant::now();
        let out = engine.ingest(facts);
        read_reasons(&engine, &out);
        busy += t.elapsed();
        drop(out);
    }
    let heap = ALLOCATOR.allocated().saturating_sub(before);
    let s = engine.stats();
    println!(
        "fill: {} alerts in order over {}: {:.0} alerts/s (ingest only, {:.1} us each)",
        o.count,
        correlate::config::window::format(window),
        o.count as f64 / busy.as_secs_f64(),
        busy.as_secs_f64() * 1e6 / o.count as f64
    );
    report_memory("after fill", &engine, heap);
    println!(
        "  incidents {} ({:.2} alerts each), entities {}, postings {} ({:.1} per alert)",
        s.incidents,
        s.alerts as f64 / s.incidents.max(1) as f64,
        s.entities,
        s.postings,
        s.postings as f64 / s.alerts.max(1) as f64
    );
    let mut sizes: Vec<usize> = engine
        .grouping()
        .incidents
        .iter()
        .map(|i| i.alert_ids.len())
        .collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    println!(
        "  largest incidents: {:?} alerts; {} incidents of 1 alert",
        &sizes[..sizes.len().min(5)],
        sizes.iter().filter(|&&n| n == 1).count()
    );
    let mut next = o.count;
    let batch = generate(&mut stream, &mut next, o.steady, 0, 0, o.seed);
    steady("steady, in order", &mut engine, batch, window);
    let batch = generate(
        &mut stream,
        &mut next,
        o.late_steady,
        o.late_percent,
        o.late_minutes,
        o.seed,
    );
    let label = format!(
        "steady, {}% up to {} min late",
        o.late_percent, o.late_minutes
    );
    steady(&label, &mut engine, batch, window);
    report_memory(
        "after steady",
        &engine,
        ALLOCATOR.allocated().saturating_sub(before),
    );
    extract_rate();
    Ok(())
}

fn report_memory(label: &str, engine: &Engine, heap: usize) {
    let s = engine.stats();
    println!(
        "memory {label}: {} alerts in the window; real heap {:.1} MiB ({:.0} B/alert); \
         entity index {:.1} MiB by the engine's accounting (whole engine {:.1} MiB)",
        s.alerts,
        mib(heap),
        heap as f64 / s.alerts.max(1) as f64,
        mib(s.index_bytes),
        mib(s.bytes)
    );
}

/// The next `n` alerts of the stream in arrival order: `late_percent` of them arrive up to
/// `late_minutes` after their creation, the others on time.
fn generate(
    stream: &mut Stream,
    next: &mut u64,
    n: u64,
    late_percent: u64,
    late_minutes: i64,
    seed: u64,
) -> Vec<AlertFacts> {
    let mut rng = bench::rng::Rng::new(seed ^ *next);
    let mut batch: Vec<(time::OffsetDateTime, AlertFacts)> = (0..n)
        .map(|k| {
            let facts = stream.alert(*next + k);
            let delay = if late_percent > 0 && rng.percent(late_percent) {
                time::Duration::seconds(rng.below(late_minutes.max(1) as u64 * 60) as i64)
            } else {
                time::Duration::ZERO
            };
            (facts.created + delay, facts)
        })
        .collect();
    *next += n;
    batch.sort_by_key(|a| a.0);
    batch.into_iter().map(|(_, f)| f).collect()
}

/// Reads the reasons of every incident `out` says changed, as a host that persists each call's
/// outcome on its own does (the worst case: the store reads them once per write job).
fn read_reasons(engine: &Engine, out: &correlate::Outcome) {
    for change in &out.changes {
        if let correlate::Change::Reasons { incident } = change {
            std::hint::black_box(engine.reasons(*incident));
        }
    }
}

/// Ingests `batch` (sliding the window every 1,000 alerts) and prints rate and latencies.
fn steady(label: &str, engine: &mut Engine, batch: Vec<AlertFacts>, window: time::Duration) {
    let n = batch.len();
    let mut lat: Vec<u32> = Vec::with_capacity(n);
    let mut newest = batch.first().map(|f| f.created);
    let slack = time::Duration::minutes(10);
    let started = Instant::now();
    for (k, facts) in batch.into_iter().enumerate() {
        newest = newest.max(Some(facts.created));
        let t = Instant::now();
        let out = engine.ingest(facts);
        read_reasons(engine, &out);
        lat.push(t.elapsed().as_nanos().min(u128::from(u32::MAX)) as u32);
        drop(out);
        if k % 1000 == 999 {
            if let Some(newest) = newest {
                engine.evict_before(newest - window - slack);
            }
        }
    }
    let elapsed = started.elapsed();
    lat.sort_unstable();
    let pct = |p: f64| f64::from(lat[((n as f64 * p) as usize).min(n - 1)]) / 1000.0;
    println!(
        "{label}: {n} alerts, {:.0} alerts/s on one core (eviction included); \
         ingest p50 {:.1} us, p99 {:.1} us, p99.9 {:.0} us, max {:.0} us",
        n as f64 / elapsed.as_secs_f64(),
        pct(0.5),
        pct(0.99),
        pct(0.999),
        pct(1.0)
    );
}

/// Entity extraction from typed Graph alerts (the demo set's).
fn extract_rate() {
    let cfg = demo::DemoConfig::new(
        model::TenantId(demo::DEMO_TENANT_ID.into()),
        datetime!(2025-03-01 00:00 UTC),
    );
    let alerts: Vec<model::StoredAlert> = demo::generate(&demo::DemoConfig {
        count: 20_000,
        ..cfg
    })
    .collect();
    let started = Instant::now();
    let mut entities = 0usize;
    for _ in 0..5 {
        for a in &alerts {
            entities += AlertFacts::from_alert(&a.alert).entities.len();
        }
    }
    let n = alerts.len() * 5;
    println!(
        "extract: {:.0} demo alerts/s ({:.1} entities each)",
        n as f64 / started.elapsed().as_secs_f64(),
        entities as f64 / n as f64
    );
}
