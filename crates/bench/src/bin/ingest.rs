//! Durable ingest benchmark: how many demo alerts per second `TenantStore::ingest` commits (WAL,
//! `synchronous=FULL`), in batches as `serve --demo` and `import` write them, first with every index,
//! then with each of `store::schema::ALERT_INDEXES` removed in turn — the difference is that index's
//! cost — and with no secondary index at all.
//!
//! The alerts are generated before any timing (generation is not ingest); each configuration writes
//! a fresh database in a temporary directory. Run it in release mode:
//! `cargo run --release -p bench --bin ingest -- [--count 200000] [--batch 10000] [--repeat 1]`.
//!
//! With `--postgres URL` it measures the PostgreSQL backend instead (every index; each run in a
//! fresh schema, dropped afterwards). CPU time and bytes written are then this process's only, and
//! the database size is PostgreSQL's `pg_total_relation_size` of the schema's tables.

/// The server's allocator (crates/secgraph/src/main.rs), so that this measures what it does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::Context;
use bench::measure::{cpu_time, micros_per_item, peak_rss_mib, rate, storage_bytes_written};
use clap::Parser;
use model::{StoredAlert, TenantId};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::schema::ALERT_INDEXES;
use store::{
    Database, IngestOrigin, IngestSummary, PostgresOptions, SqliteOptions, Store, StoreError,
    SystemClock,
};
use tokio::task::JoinHandle;

/// Durable ingest rate and the cost of each alert index.
#[derive(Debug, Parser)]
struct Args {
    /// Demo alerts written per configuration.
    #[arg(long, default_value_t = 200_000)]
    count: usize,
    /// Alerts per `ingest` call (one transaction each; `serve --demo` uses 10,000).
    #[arg(long, default_value_t = 10_000)]
    batch: usize,
    /// `ingest` calls kept in flight. With more than one, a later call may reach the writer first
    /// and its alerts make the earlier call's late for correlation (`serve --demo` keeps one).
    #[arg(long, default_value_t = 1)]
    in_flight: usize,
    /// Override `SqliteOptions::wal_autocheckpoint_pages` (tuning experiments).
    #[arg(long, value_name = "PAGES")]
    wal_pages: Option<u32>,
    /// Override `SqliteOptions::writer_cache_kib`, in MiB (tuning experiments).
    #[arg(long, value_name = "MIB")]
    writer_cache_mib: Option<u32>,
    /// Runs per configuration; the fastest is reported.
    #[arg(long, default_value_t = 1)]
    repeat: usize,
    /// Write the alerts in the order they were created, as a provider feed or a Graph export
    /// delivers them, instead of the generator's shuffled order.
    #[arg(long)]
    time_ordered: bool,
    /// Measure only the configuration with every index.
    #[arg(long)]
    only_all: bool,
    /// Directory for the temporary databases (default: the system's temporary directory).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Measure PostgreSQL at this server (e.g. postgres://postgres@127.0.0.1:5432/test).
    #[arg(long, value_name = "URL")]
    postgres: Option<String>,
}

/// One measured configuration.
struct Run {
    label: String,
    elapsed: Duration,
    /// CPU time used while ingesting (all threads).
    cpu: Duration,
    /// Bytes written to storage while ingesting (WAL, checkpoints).
    written: u64,
    db_bytes: u64,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(
        args.count > 0 && args.batch > 0,
        "--count and --batch must be positive"
    );
    let tenant = TenantId(demo::DEMO_TENANT_ID.into());
    let started = Instant::now();
    let mut alerts = generate(&tenant, args.count);
    if args.time_ordered {
        // Canonical order: time, then id (as correlation orders alerts).
        alerts.sort_by(|a, b| {
            (a.alert.created_date_time, &a.alert.id.0)
                .cmp(&(b.alert.created_date_time, &b.alert.id.0))
        });
    }
    println!(
        "generated {} demo alerts in {:.1} s (not timed below)",
        alerts.len(),
        started.elapsed().as_secs_f64()
    );
    let mut configs: Vec<(String, Vec<String>)> = vec![("all indexes".into(), Vec::new())];
    if !args.only_all && args.postgres.is_none() {
        for index in ALERT_INDEXES {
            configs.push((format!("without {}", index.name), vec![index.name.into()]));
        }
        let every = ALERT_INDEXES.iter().map(|i| i.name.to_owned()).collect();
        configs.push(("no secondary index".into(), every));
    }
    let mut runs = Vec::new();
    for (label, skip) in configs {
        let mut best: Option<Run> = None;
        for _ in 0..args.repeat.max(1) {
            let run = measure(&args, &tenant, &alerts, &label, &skip).await?;
            eprintln!("  {label}: {:.0} alerts/s", rate(alerts.len(), run.elapsed));
            if best.as_ref().is_none_or(|b| run.elapsed < b.elapsed) {
                best = Some(run);
            }
        }
        runs.extend(best);
    }
    print_table(&args, alerts.len(), &runs);
    Ok(())
}

/// The demo alerts of the benchmark (anchor 2026-11-01, default seed).
fn generate(tenant: &TenantId, count: usize) -> Vec<StoredAlert> {
    let mut cfg =
        demo::DemoConfig::new(tenant.clone(), time::macros::datetime!(2026-11-01 0:00 UTC));
    cfg.count = count;
    demo::generate(&cfg).collect()
}

/// Ingests `alerts` into a fresh store without the indexes in `skip`; times the ingest calls only.
async fn measure(
    args: &Args,
    tenant: &TenantId,
    alerts: &[StoredAlert],
    label: &str,
    skip: &[String],
) -> anyhow::Result<Run> {
    let dir = match &args.dir {
        Some(d) => tempfile::tempdir_in(d),
        None => tempfile::tempdir(),
    }
    .context("cannot create a temporary directory")?;
    let path = dir.path().join("ingest.sqlite");
    let schema = args.postgres.as_deref().map(Schema::create).transpose()?;
    let store = match &schema {
        Some(schema) => {
            let url = schema.url.clone();
            tokio::task::spawn_blocking(move || {
                Store::open_postgres(&url, Arc::new(SystemClock), PostgresOptions::default())
            })
            .await??
        }
        None => {
            let mut options = SqliteOptions {
                bench_skip_indexes: skip.to_vec(),
                ..SqliteOptions::default()
            };
            if let Some(pages) = args.wal_pages {
                options.wal_autocheckpoint_pages = pages;
            }
            if let Some(mib) = args.writer_cache_mib {
                options.writer_cache_kib = mib * 1024;
            }
            Store::open_sqlite_with(&path, Arc::new(SystemClock), options)?
        }
    };
    store.ensure_tenant(tenant, demo::DEMO_TENANT_NAME).await?;
    let batches: Vec<Vec<StoredAlert>> = alerts.chunks(args.batch).map(<[_]>::to_vec).collect();
    let ts = store.tenant(tenant);
    let (cpu0, written0) = (cpu_time(), storage_bytes_written());
    let started = Instant::now();
    let mut pending = VecDeque::new();
    for batch in batches {
        if pending.len() >= args.in_flight.max(1) {
            if let Some(call) = pending.pop_front() {
                finish(call).await?;
            }
        }
        let ts = ts.clone();
        pending.push_back(tokio::spawn(async move {
            ts.ingest(batch, IngestOrigin::Demo).await
        }));
    }
    for call in pending {
        finish(call).await?;
    }
    let elapsed = started.elapsed();
    let (cpu1, written1) = (cpu_time(), storage_bytes_written());
    store.shutdown().await;
    Ok(Run {
        label: label.to_owned(),
        elapsed,
        cpu: cpu1
            .zip(cpu0)
            .map_or(Duration::ZERO, |(b, a)| b.saturating_sub(a)),
        written: written1
            .zip(written0)
            .map_or(0, |(b, a)| b.saturating_sub(a)),
        db_bytes: match &schema {
            Some(schema) => schema.size()?,
            None => database_bytes(&path),
        },
    })
}

/// A fresh PostgreSQL schema for one run, dropped when done.
struct Schema {
    server: String,
    name: String,
    url: String,
}

impl Schema {
    fn create(server: &str) -> anyhow::Result<Schema> {
        let name = format!("bench_ingest_{}", std::process::id());
        Schema::run(
            server,
            &format!("DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"),
        )?;
        Ok(Schema {
            server: server.to_owned(),
            url: Database::postgres_in_schema(server, &name),
            name,
        })
    }

    /// Bytes of the schema's tables, indexes and TOAST.
    fn size(&self) -> anyhow::Result<u64> {
        let (server, name) = (self.server.clone(), self.name.clone());
        std::thread::spawn(move || -> anyhow::Result<u64> {
            let mut client = postgres::Client::connect(&server, postgres::NoTls)?;
            let row = client.query_one(
                "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::int8 FROM pg_class c \
                 JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'",
                &[&name],
            )?;
            Ok(u64::try_from(row.get::<_, i64>(0)).unwrap_or(0))
        })
        .join()
        .map_err(|_| anyhow::anyhow!("the size query panicked"))?
    }

    /// Runs `sql` on the server from a thread of its own (the blocking client has its own runtime).
    fn run(server: &str, sql: &str) -> anyhow::Result<()> {
        let (server, sql) = (server.to_owned(), sql.to_owned());
        std::thread::spawn(move || -> anyhow::Result<()> {
            let mut client = postgres::Client::connect(&server, postgres::NoTls)
                .with_context(|| format!("cannot connect to {server}"))?;
            client.batch_execute(&sql)?;
            Ok(())
        })
        .join()
        .map_err(|_| anyhow::anyhow!("the schema statement panicked"))?
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let _ = Schema::run(
            &self.server,
            &format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name),
        );
    }
}

/// Waits for one `ingest` call.
async fn finish(call: JoinHandle<Result<IngestSummary, StoreError>>) -> anyhow::Result<()> {
    let summary = call.await.context("an ingest task failed")??;
    anyhow::ensure!(
        summary.created > 0,
        "the benchmark wrote into a non-empty store"
    );
    Ok(())
}

/// The database file and its WAL, in bytes.
fn database_bytes(path: &Path) -> u64 {
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    [path, wal.as_path()]
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

fn print_table(args: &Args, n: usize, runs: &[Run]) {
    println!(
        "\ndurable ingest of {n} demo alerts into {}, {} per call, {} calls in flight, best of {}",
        if args.postgres.is_some() {
            "PostgreSQL (synchronous_commit as the server has it)"
        } else {
            "SQLite (WAL + synchronous=FULL)"
        },
        args.batch,
        args.in_flight.max(1),
        args.repeat.max(1)
    );
    println!(
        "{:<34} {:>9} {:>9} {:>9} {:>9} {:>7}   index cost per alert: wall µs, CPU µs, KiB written",
        "configuration", "alerts/s", "µs/alert", "CPU µs", "KiB wr.", "DB MiB",
    );
    let all = runs.first().map(|r| figures(n, r));
    for run in runs {
        let f = figures(n, run);
        let cost = match all {
            Some(a) if !run.label.starts_with("all") => format!(
                "{:+.1} µs, {:+.1} µs, {:+.1} KiB",
                a.0 - f.0,
                a.1 - f.1,
                a.2 - f.2
            ),
            _ => String::new(),
        };
        println!(
            "{:<34} {:>9.0} {:>9.1} {:>9.1} {:>9.1} {:>7.0}   {cost}",
            run.label,
            rate(n, run.elapsed),
            f.0,
            f.1,
            f.2,
            run.db_bytes as f64 / (1024.0 * 1024.0),
        );
    }
    println!(
        "(wall time is noisy on a shared disk; CPU time and bytes written are the steadier costs)"
    );
    if let Some(mib) = peak_rss_mib() {
        println!("(benchmark process peak RSS {mib:.0} MiB, mostly the pre-generated alerts)");
    }
}

/// Wall µs, CPU µs and KiB written per alert.
fn figures(n: usize, run: &Run) -> (f64, f64, f64) {
    (
        micros_per_item(n, run.elapsed),
        micros_per_item(n, run.cpu),
        run.written as f64 / 1024.0 / n.max(1) as f64,
    )
}
