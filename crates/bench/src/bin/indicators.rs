//! Threat-indicator load generator (`bench/indicators.sh` runs it against `secgraph serve`):
//!
//! - `submit`: bulk-submits a deterministic indicator mix ([`bench::ti_mix`]) with
//!   `POST /beta/security/tiIndicators/submitTiIndicators`, large batches over several
//!   connections. Every call must answer 200, which the server sends only after the batch's
//!   transaction committed; afterwards the tenant's `$count` must have grown by exactly the
//!   number submitted.
//! - `events`: sends NDJSON event bodies ([`bench::ti_events`]) to `POST /secgraph/v1/events`
//!   for a fixed time after a warm-up, and checks every answer's verdicts against the ones the
//!   generator knows each body must get.
//!
//! Each prints one line per figure (rate, request latency p50/p99, batch size, verdict mix,
//! alerts raised, CPU per item of the server — with `--server-pid` — and of this process, and the
//! cores other processes used meanwhile) and a closing `RESULT` line for scripts. The server must authenticate nothing (`--auth none`, the
//! emulator mode) or accept `--token`.

use anyhow::Context;
use bench::cpu_share::{CpuSample, CpuShare};
use bench::load::{self, percentile_ms, Check, Outcome, Stop, Target};
use bench::measure::rate;
use bench::ti_events::{check_answer, event_bodies, EventOptions, Verdicts};
use bench::ti_mix::IndicatorSet;
use clap::{Args, Parser, Subcommand};
use std::sync::Arc;
use std::time::Duration;

/// Threat-indicator bulk submit and events endpoint load generator.
#[derive(Debug, Parser)]
struct Cli {
    /// The server's base URL, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    base: String,
    /// A bearer token to send (omit with `secgraph serve --auth none`).
    #[arg(long)]
    token: Option<String>,
    /// The server's process id: report its CPU time per item (read from /proc).
    #[arg(long, value_name = "PID")]
    server_pid: Option<u32>,
    /// Ask for gzip-compressed answers (off by default: enforcement points on a LAN rarely do).
    #[arg(long)]
    gzip: bool,
    /// Tokio worker threads of this load generator.
    #[arg(long, default_value_t = 1)]
    threads: usize,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Bulk-submit the indicator mix and report indicators/s.
    Submit(SubmitArgs),
    /// Send events against the submitted mix and report events/s.
    Events(EventArgs),
}

/// The indicator mix (the same values in `submit` and `events`).
#[derive(Debug, Args)]
struct MixArgs {
    /// Indicators in the mix.
    #[arg(long, default_value_t = 100_000)]
    indicators: usize,
    /// Seed of the mix.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[derive(Debug, Args)]
struct SubmitArgs {
    #[command(flatten)]
    mix: MixArgs,
    /// Indicators per `submitTiIndicators` call (the server's default limit is 10,000).
    #[arg(long, default_value_t = 10_000)]
    batch: usize,
    /// Concurrent connections (calls in flight).
    #[arg(long, default_value_t = 2)]
    connections: usize,
}

#[derive(Debug, Args)]
struct EventArgs {
    #[command(flatten)]
    mix: MixArgs,
    /// Events per request.
    #[arg(long, default_value_t = 1_000)]
    batch: usize,
    /// Concurrent connections (requests in flight).
    #[arg(long, default_value_t = 4)]
    connections: usize,
    /// Seconds measured.
    #[arg(long, default_value_t = 15.0)]
    secs: f64,
    /// Seconds of warm-up before measuring (it raises the hot values' alerts of this window).
    #[arg(long, default_value_t = 3.0)]
    warmup_secs: f64,
    /// Distinct events generated (sent round-robin).
    #[arg(long, default_value_t = 200_000)]
    pool: usize,
    /// Share of events that hit an indicator, in percent.
    #[arg(long, default_value_t = 50)]
    hit_percent: u64,
    /// Share of hits on `alert`/`block` indicators, in percent (the rest hit `allow` ones).
    #[arg(long, default_value_t = 10)]
    alerting_percent: u64,
    /// Alerting hits go to this many `alert`/`block` indicators (0: to all of them).
    #[arg(long, default_value_t = 64)]
    hot: usize,
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
        eprintln!("indicators: {e:#}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut builder = reqwest::Client::builder().tcp_nodelay(true);
    if !cli.gzip {
        builder = builder.no_gzip();
    }
    if let Some(token) = &cli.token {
        let mut headers = reqwest::header::HeaderMap::new();
        let value = format!("Bearer {token}")
            .parse()
            .context("--token is not a valid header value")?;
        headers.insert(reqwest::header::AUTHORIZATION, value);
        builder = builder.default_headers(headers);
    }
    let server = Server {
        client: builder.build().context("cannot build the HTTP client")?,
        base: cli.base.trim_end_matches('/').to_owned(),
        pid: cli.server_pid,
    };
    match cli.command {
        Command::Submit(args) => submit(&server, &args).await,
        Command::Events(args) => events(&server, &args).await,
    }
}

/// The server under test.
struct Server {
    client: reqwest::Client,
    base: String,
    pid: Option<u32>,
}

impl Server {
    /// How many tiIndicators the tenant holds (`GET …/tiIndicators/$count`).
    async fn indicator_count(&self) -> anyhow::Result<usize> {
        let url = format!("{}/beta/security/tiIndicators/$count", self.base);
        let reply = self
            .client
            .get(&url)
            .send()
            .await
            .with_context(|| format!("GET {url}"))?;
        let status = reply.status();
        let text = reply.text().await.with_context(|| format!("GET {url}"))?;
        anyhow::ensure!(status.is_success(), "GET {url} answered {status}: {text}");
        text.trim()
            .parse()
            .with_context(|| format!("GET {url} answered '{text}', not a number"))
    }

    fn target(&self, path: &str, content_type: &'static str) -> Target {
        Target {
            client: self.client.clone(),
            url: format!("{}{path}", self.base),
            content_type,
        }
    }
}

async fn submit(server: &Server, args: &SubmitArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.batch > 0, "--batch must be at least 1");
    let set =
        IndicatorSet::generate(args.mix.indicators, args.mix.seed).map_err(anyhow::Error::msg)?;
    let bodies: Vec<bytes::Bytes> = set
        .submit_bodies(args.batch)
        .into_iter()
        .map(Into::into)
        .collect();
    let mean_kib = bodies.iter().map(bytes::Bytes::len).sum::<usize>() as f64
        / bodies.len().max(1) as f64
        / 1024.0;
    let before = server.indicator_count().await?;
    let calls = bodies.len();
    let target = server.target(
        "/beta/security/tiIndicators/submitTiIndicators",
        "application/json",
    );
    let check = submit_check();
    let cpu = CpuSample::now(server.pid).map_err(anyhow::Error::msg)?;
    let mut out = load::run(
        &target,
        Arc::new(bodies),
        args.connections,
        Stop::Requests(calls),
        check,
    )
    .await
    .map_err(anyhow::Error::msg)?;
    let share = cpu.until(&CpuSample::now(server.pid).map_err(anyhow::Error::msg)?);
    let after = server.indicator_count().await?;
    anyhow::ensure!(
        after == before + set.indicators.len(),
        "every call answered 200 but the tenant holds {after} indicators, not {before} + {}",
        set.indicators.len()
    );
    let per_s = rate(set.indicators.len(), out.elapsed);
    println!("bulk submit: {} indicators in {calls} calls of {} ({mean_kib:.0} KiB each), {} connections, {:.2} s", set.indicators.len(), args.batch, args.connections, out.elapsed.as_secs_f64());
    println!("bulk submit rate: {per_s:.0} indicators/s (each call answered 200 after its transaction committed; $count grew from {before} to {after})");
    let (p50, p99) = (
        percentile_ms(&mut out.latencies, 50.0),
        percentile_ms(&mut out.latencies, 99.0),
    );
    println!("bulk submit request latency: p50 {p50:.1} ms, p99 {p99:.1} ms");
    println!("{}", share.line(set.indicators.len(), "indicator"));
    println!(
        "RESULT submit batch={} connections={} rate={per_s:.0} p50_ms={p50:.1} p99_ms={p99:.1} others={}",
        args.batch, args.connections, others(&share)
    );
    Ok(())
}

/// Accepts a `submitTiIndicators` answer only when every item succeeded (200, not 206).
fn submit_check() -> Check<()> {
    Arc::new(|i, status, body| match status {
        200 => Ok(()),
        _ => Err(format!(
            "submitTiIndicators call {i} answered {status} (every item must succeed): {}",
            String::from_utf8_lossy(&body[..body.len().min(600)])
        )),
    })
}

/// Checks an events answer against the verdicts its body must get; counts verdicts and alerts.
fn verdict_check(expected: Vec<Verdicts>) -> Check<(Verdicts, usize)> {
    Arc::new(move |i, status, body| {
        if status != 200 {
            let text = String::from_utf8_lossy(&body[..body.len().min(600)]);
            return Err(format!("events request {i} answered {status}: {text}"));
        }
        check_answer(body, &expected[i % expected.len()])
            .map_err(|e| format!("events request {i}: {e}"))
    })
}

async fn events(server: &Server, args: &EventArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.batch > 0 && args.pool >= args.batch,
        "--batch must be at least 1 and at most --pool"
    );
    let set =
        IndicatorSet::generate(args.mix.indicators, args.mix.seed).map_err(anyhow::Error::msg)?;
    let held = server.indicator_count().await?;
    anyhow::ensure!(held == set.indicators.len(), "the tenant holds {held} indicators, the mix has {}: run `indicators submit` with the same --indicators and --seed on a fresh data directory first", set.indicators.len());
    let options = EventOptions {
        batch: args.batch,
        bodies: args.pool / args.batch,
        hit_percent: args.hit_percent,
        alerting_percent: args.alerting_percent,
        hot: args.hot,
        seed: args.mix.seed ^ 0x5eed,
        time: time::OffsetDateTime::now_utc(),
    };
    let made = event_bodies(&set, &options).map_err(anyhow::Error::msg)?;
    let expected: Vec<Verdicts> = made.iter().map(|b| b.expected).collect();
    let bytes_per_request = made.iter().map(|b| b.ndjson.len()).sum::<usize>() / made.len().max(1);
    let bodies: Arc<Vec<bytes::Bytes>> =
        Arc::new(made.into_iter().map(|b| b.ndjson.into()).collect());
    let target = server.target("/secgraph/v1/events", "application/x-ndjson");
    let warm = Stop::After(Duration::from_secs_f64(args.warmup_secs));
    let warmed = load::run(
        &target,
        bodies.clone(),
        args.connections,
        warm,
        verdict_check(expected.clone()),
    )
    .await
    .map_err(anyhow::Error::msg)?;
    let cpu = CpuSample::now(server.pid).map_err(anyhow::Error::msg)?;
    let stop = Stop::After(Duration::from_secs_f64(args.secs));
    let out = load::run(
        &target,
        bodies,
        args.connections,
        stop,
        verdict_check(expected),
    )
    .await
    .map_err(anyhow::Error::msg)?;
    let share = cpu.until(&CpuSample::now(server.pid).map_err(anyhow::Error::msg)?);
    report_events(args, bytes_per_request, &warmed, out, &share);
    Ok(())
}

fn report_events(
    args: &EventArgs,
    bytes: usize,
    warmed: &Outcome<(Verdicts, usize)>,
    mut out: Outcome<(Verdicts, usize)>,
    cpu: &CpuShare,
) {
    let mut seen = Verdicts::default();
    let alerts: usize = out
        .counted
        .iter()
        .map(|(v, a)| {
            seen.add(v);
            a
        })
        .sum();
    let warm_alerts: usize = warmed.counted.iter().map(|(_, a)| a).sum();
    let n = seen.total();
    let share = |k: usize| 100.0 * k as f64 / n.max(1) as f64;
    let per_s = rate(n, out.elapsed);
    println!("events: {} connections, batch {} events per request ({:.0} KiB), {:.1} s measured after {:.0} s warm-up", args.connections, args.batch, bytes as f64 / 1024.0, out.elapsed.as_secs_f64(), args.warmup_secs);
    println!(
        "events rate: {per_s:.0} events/s ({n} events in {} requests)",
        out.counted.len()
    );
    let (p50, p99) = (
        percentile_ms(&mut out.latencies, 50.0),
        percentile_ms(&mut out.latencies, 99.0),
    );
    println!("events request latency: p50 {p50:.1} ms, p99 {p99:.1} ms");
    println!("verdicts: {:.1}% hits (allow {:.1}%, alert {:.1}%, block {:.1}%), every answer as the generator expected", share(seen.hits()), share(seen.allow), share(seen.alert), share(seen.block));
    println!("alerts raised: {alerts} while measuring ({:.4}% of events; hot alert/block values: {}), {warm_alerts} during the warm-up", share(alerts), if args.hot == 0 { "all".to_owned() } else { args.hot.to_string() });
    println!("{}", cpu.line(n, "event"));
    println!("RESULT events batch={} connections={} rate={per_s:.0} p50_ms={p50:.1} p99_ms={p99:.1} alerts={alerts} others={}", args.batch, args.connections, others(cpu));
}

/// The cores other processes used, for the `RESULT` line (`?` when unknown).
fn others(share: &CpuShare) -> String {
    share
        .others_cores()
        .map_or("?".to_owned(), |c| format!("{c:.2}"))
}
