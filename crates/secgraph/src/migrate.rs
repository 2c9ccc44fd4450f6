//! `secgraph migrate --from DB --to DB`: moves a whole deployment (tenants, alerts and their change
//! history, the outbox, applications, secrets, consents, signing keys) from one database to another —
//! typically from the one-node SQLite file to PostgreSQL — and verifies the copy by row counts and
//! SHA-256 checksums read back from both sides (`store::transfer`).
//!
//! Both databases are named explicitly; nothing is taken from the configuration, because moving data
//! should never guess. The source must exist and hold a deployment; the target must hold none unless
//! `--force`, which deletes everything in it first. Stop the servers on the source before migrating:
//! a change during the migration fails the verification.

use crate::cli::MigrateArgs;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use store::transfer::{self, Progress, TransferOptions, TransferReport};
use store::{Database, Store, SystemClock};

/// Runs the migrate command.
pub async fn run(args: MigrateArgs) -> anyhow::Result<()> {
    crate::logging::init("warn");
    let from = Database::parse(&args.from).context("--from")?;
    let to = Database::parse(&args.to).context("--to")?;
    anyhow::ensure!(
        !same_database(&from, &to),
        "--from and --to name the same database ({from})"
    );
    if let Database::Sqlite(path) = &from {
        anyhow::ensure!(
            path.is_file(),
            "the source {from} does not exist (a SQLite source must be an existing file)"
        );
    }
    let source = open(&from, "source").await?;
    let tenants = transfer::row_counts(&source)
        .await?
        .into_iter()
        .find(|(t, _)| t == "tenants")
        .map_or(0, |(_, n)| n);
    anyhow::ensure!(
        tenants > 0,
        "the source {from} holds no tenants: nothing to migrate (is it the right database?)"
    );
    let target = open(&to, "target").await?;
    let options = TransferOptions {
        batch: args.batch,
        force: args.force,
    };
    println!(
        "migrating {from} to {to} in batches of {}{}",
        options.batch,
        if options.force {
            " (--force: the target is emptied first)"
        } else {
            ""
        }
    );
    let bar = spinner();
    let result = transfer::migrate(&source, &target, &options, &mut |p| show(&bar, &p)).await;
    bar.finish_and_clear();
    source.shutdown().await;
    target.shutdown().await;
    let report = result.with_context(|| format!("migrating {from} to {to} failed"))?;
    print_summary(&report);
    Ok(())
}

/// Whether `a` and `b` are one database (the same URL, or the same SQLite file).
fn same_database(a: &Database, b: &Database) -> bool {
    match (a, b) {
        (Database::Sqlite(a), Database::Sqlite(b)) => absolute(a) == absolute(b),
        _ => a == b,
    }
}

/// `path` made absolute with symbolic links resolved, as far as it exists.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) if !dir.as_os_str().is_empty() => absolute(dir).join(name),
        _ => std::env::current_dir().unwrap_or_default().join(path),
    }
}

/// Opens (and migrates the schema of) a store; connecting to PostgreSQL blocks, so it runs on the
/// blocking pool.
async fn open(database: &Database, role: &str) -> anyhow::Result<Store> {
    let (db, shown) = (database.clone(), database.to_string());
    tokio::task::spawn_blocking(move || Store::open(&db, Arc::new(SystemClock)))
        .await
        .context("the store's opening task failed")?
        .with_context(|| format!("cannot open the {role} {shown}"))
}

/// A spinner with the running row count, on a terminal only.
fn spinner() -> ProgressBar {
    if !std::io::stdout().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// Prints one progress line per table copied and per table verified.
fn show(bar: &ProgressBar, p: &Progress<'_>) {
    let line = match p {
        Progress::Batch { table, rows } => {
            bar.set_message(format!("copying {table}: {rows} rows"));
            return;
        }
        Progress::Cleared { table, rows } => {
            format!("cleared {table}: deleted {rows} rows from the target")
        }
        Progress::Copied {
            table,
            rows,
            elapsed,
        } => format!(
            "copied {table}: {rows} rows in {:.2} s ({} rows/s)",
            elapsed.as_secs_f64(),
            per_second(*rows, *elapsed)
        ),
        Progress::Verified(t) => format!(
            "verified {}: {} rows, sha256 {} ({:.2} s)",
            t.table,
            t.rows,
            &t.sha256[..16],
            t.verify_time.as_secs_f64()
        ),
    };
    bar.suspend(|| println!("{line}"));
}

fn per_second(rows: u64, elapsed: Duration) -> u64 {
    let secs = elapsed.as_secs_f64();
    if secs > 0.0 {
        // Rounded for display: far below 2^53.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let rate = (rows as f64 / secs).round() as u64;
        rate
    } else {
        rows
    }
}

fn print_summary(report: &TransferReport) {
    println!(
        "{:<20} {:>9} {:>9} {:>10} {:>9}  sha256",
        "table", "rows", "copy s", "rows/s", "verify s"
    );
    for t in &report.tables {
        println!(
            "{:<20} {:>9} {:>9.2} {:>10} {:>9.2}  {}",
            t.table,
            t.rows,
            t.copy_time.as_secs_f64(),
            per_second(t.rows, t.copy_time),
            t.verify_time.as_secs_f64(),
            t.sha256
        );
    }
    let copy: Duration = report.tables.iter().map(|t| t.copy_time).sum();
    println!(
        "migrated {} rows in {:.2} s (copy {:.2} s, {} rows/s); every table verified: row counts and checksums match",
        report.rows(),
        report.elapsed.as_secs_f64(),
        copy.as_secs_f64(),
        per_second(report.rows(), copy)
    );
}
