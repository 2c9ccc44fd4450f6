//! Provider load generator (`bench/providers.sh` runs it against `secgraph serve`):
//!
//! - `push`: sets up a provider over the admin API ([`bench::provider_setup`]), then pushes N
//!   distinct alerts in batches of 1,000 and re-pushes a tenth one version higher
//!   ([`bench::provider_push`]): alerts/s, request p50/p99, server CPU per alert.
//! - `sync`: sets up a provider whose callback URL is a signature-checking double
//!   ([`bench::provider_double`]), pushes M alerts and PATCHes them at a steady rate
//!   ([`bench::provider_sync`]): the time from each PATCH to the provider receiving the update.
//!
//! Both need only the server's base URL and its data directory's `admin-token` file; each prints
//! its figures and closing `RESULT` lines for scripts, and exits non-zero when a check fails.

use anyhow::Context;
use bench::provider_push::{self, PushOptions};
use bench::provider_setup::{self, Http};
use bench::provider_sync::{self, SyncOptions};
use bench::pushed_alerts::Order;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::time::Duration;

/// Provider push and sync-back load generator.
#[derive(Debug, Parser)]
struct Cli {
    /// The server's base URL, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    base: String,
    /// The server's admin credential file (`<data-dir>/admin-token`).
    #[arg(long, value_name = "FILE")]
    admin_token_file: PathBuf,
    /// The server's process id: report its CPU time per alert (read from /proc).
    #[arg(long, value_name = "PID")]
    server_pid: Option<u32>,
    /// Tokio worker threads of this load generator.
    #[arg(long, default_value_t = 1)]
    threads: usize,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Push alerts in batches and report alerts/s.
    Push(PushArgs),
    /// PATCH pushed alerts at a steady rate and report the sync-back latency.
    Sync(SyncArgs),
}

#[derive(Debug, Args)]
struct PushArgs {
    /// Distinct alerts pushed.
    #[arg(long, default_value_t = 200_000)]
    alerts: usize,
    /// Alerts per batch (the protocol's limit is 1,000).
    #[arg(long, default_value_t = 1_000)]
    batch: usize,
    /// Batches in flight.
    #[arg(long, default_value_t = 2)]
    connections: usize,
    /// The order alerts are pushed in: by creation time (a provider's feed) or the demo
    /// generator's shuffled order.
    #[arg(long, value_enum, default_value_t = OrderArg::Created)]
    order: OrderArg,
    /// Re-push every N-th alert one version higher (10: a tenth; 0: no update figure).
    #[arg(long, default_value_t = 10)]
    update_every: usize,
}

/// `--order`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum OrderArg {
    Created,
    Shuffled,
}

#[derive(Debug, Args)]
struct SyncArgs {
    /// Alerts pushed and then PATCHed once each.
    #[arg(long, default_value_t = 2_000)]
    patches: usize,
    /// PATCHes per second.
    #[arg(long, default_value_t = 200.0)]
    rate: f64,
    /// Seconds after the last PATCH by which every update must have reached the provider.
    #[arg(long, default_value_t = 30.0)]
    deadline_secs: f64,
}

fn main() {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cli.threads.max(1))
        .enable_all()
        .build();
    let result = match runtime {
        Ok(rt) => rt.block_on(run(cli)),
        Err(e) => Err(anyhow::anyhow!("cannot start the async runtime: {e}")),
    };
    if let Err(e) = result {
        eprintln!("providers: {e:#}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let admin_token = provider_setup::read_admin_token(&cli.admin_token_file)?;
    let http = Http {
        client: reqwest::Client::builder()
            .tcp_nodelay(true)
            .no_gzip()
            .build()
            .context("cannot build the HTTP client")?,
        base: cli.base.trim_end_matches('/').to_owned(),
    };
    match cli.command {
        Command::Push(args) => {
            let setup = provider_setup::set_up(
                &http,
                &admin_token,
                "bench push",
                "http://127.0.0.1:9/unused",
            )
            .await?;
            let opts = PushOptions {
                alerts: args.alerts,
                batch: args.batch,
                connections: args.connections,
                update_every: args.update_every,
                order: match args.order {
                    OrderArg::Created => Order::Created,
                    OrderArg::Shuffled => Order::Shuffled,
                },
                server_pid: cli.server_pid,
            };
            provider_push::run(&http, &setup, &opts).await
        }
        Command::Sync(args) => {
            anyhow::ensure!(args.deadline_secs > 0.0, "--deadline-secs must be positive");
            let opts = SyncOptions {
                patches: args.patches,
                rate: args.rate,
                deadline: Duration::from_secs_f64(args.deadline_secs),
                server_pid: cli.server_pid,
            };
            let mut figures = provider_sync::run(&http, &admin_token, &opts).await?;
            provider_sync::report(&mut figures, &opts);
            Ok(())
        }
    }
}
