//! Change-notification benchmark (`bench/notifications.sh` runs it against `secgraph serve
//! --allow-insecure-webhooks`): sets up a provider and an analyst over the admin API
//! ([`bench::provider_setup`]), starts a receiver on loopback
//! ([`bench::notification_receiver`]) and subscribes S times (default 100) to
//! `security/alerts_v2`, then measures
//!
//! - **latency**: L alerts pushed one per request at a steady rate, open loop; each `created`
//!   notification's latency runs from sending the push that created its alert to the receiver
//!   getting it — an upper bound of commit-to-receipt (it includes the push request itself).
//!   Correlation's later rewrites of the alerts (`updated`) are reported apart, from the push;
//! - **throughput**: N alerts pushed in batches of 1,000; notifications delivered per second from
//!   the first push to the last of the N×S expected notifications received.
//!
//! Every expected (subscription, alert) pair must arrive within the deadline; correlation's
//! rewrites of grouped alerts are changes too and add notifications, counted separately. Prints its
//! figures and closing `RESULT` lines for scripts.

use anyhow::{bail, Context};
use bench::cpu_share::CpuSample;
use bench::load::percentile_ms;
use bench::notification_receiver::{NotificationReceiver, Received};
use bench::provider_setup::{self, Http};
use bench::{provider_sync, pushed_alerts};
use clap::Parser;
use provider_protocol::{AlertBatch, PushResponse, PROTOCOL_VERSION};
use reqwest::Method;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Change-notification latency and throughput against a running server.
#[derive(Debug, Parser)]
struct Cli {
    /// The server's base URL, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    base: String,
    /// The server's admin credential file (`<data-dir>/admin-token`).
    #[arg(long, value_name = "FILE")]
    admin_token_file: PathBuf,
    /// The server's process id: report its CPU share.
    #[arg(long, value_name = "PID")]
    server_pid: Option<u32>,
    /// Subscriptions (all to security/alerts_v2, each its own URL).
    #[arg(long, default_value_t = 100)]
    subscriptions: usize,
    /// Alerts pushed one at a time for the latency figure.
    #[arg(long, default_value_t = 500)]
    latency_alerts: usize,
    /// Pushes per second in the latency figure.
    #[arg(long, default_value_t = 20.0)]
    rate: f64,
    /// Alerts pushed in batches for the throughput figure.
    #[arg(long, default_value_t = 2_000)]
    alerts: usize,
    /// Seconds every notification has to arrive after the last push.
    #[arg(long, default_value_t = 120)]
    deadline_secs: u64,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let http = Http {
        client: reqwest::Client::builder().no_proxy().build()?,
        base: cli.base.trim_end_matches('/').to_owned(),
    };
    let admin = provider_setup::read_admin_token(&cli.admin_token_file)?;
    let setup =
        provider_setup::set_up(&http, &admin, "notifications", "http://127.0.0.1:9").await?;
    let rx = NotificationReceiver::start().await?;
    let subs = subscribe(&http, &setup.analyst_token, &rx, cli.subscriptions).await?;
    println!("{} subscriptions to security/alerts_v2", subs.len());
    let deadline = Duration::from_secs(cli.deadline_secs);

    let cpu = CpuSample::now(cli.server_pid).map_err(anyhow::Error::msg)?;
    let sent = push_steadily(&http, &setup.provider_token, cli.latency_alerts, cli.rate).await?;
    let got = wait_for(&rx, &subs, sent.keys(), deadline).await?;
    let cpu = cpu.until(&CpuSample::now(cli.server_pid).map_err(anyhow::Error::msg)?);
    // The push's own change is the alert's `created` notification; correlation rewrites the alert
    // later (its incidentId), a separate commit the client cannot time, so those `updated`
    // notifications are reported apart (from the push, not from their own commit).
    let since_push = |kind: &str| -> Vec<Duration> {
        got.iter()
            .filter(|r| (r.change_type == "created") == (kind == "created"))
            .filter_map(|r| {
                sent.get(&r.item)
                    .map(|s| r.at.saturating_duration_since(*s))
            })
            .collect()
    };
    let mut latencies = since_push("created");
    let mut later = since_push("updated");
    let n = latencies.len();
    let (p50, p99) = (
        percentile_ms(&mut latencies, 50.0),
        percentile_ms(&mut latencies, 99.0),
    );
    let max = percentile_ms(&mut latencies, 100.0);
    println!(
        "latency: {n} created notifications of {} alerts at {}/s × {} subscriptions: p50 {p50:.1} ms, p99 {p99:.1} ms, max {max:.1} ms; {}",
        sent.len(), cli.rate, subs.len(), cpu.line(got.len(), "notification")
    );
    println!(
        "  and {} updated notifications (correlation's later rewrites), from the push: p50 {:.1} ms, p99 {:.1} ms",
        later.len(), percentile_ms(&mut later, 50.0), percentile_ms(&mut later, 99.0)
    );
    println!("RESULT latency notifications={n} p50_ms={p50:.1} p99_ms={p99:.1} max_ms={max:.1} others={:.2}", cpu.others_cores().unwrap_or(0.0));

    let cpu = CpuSample::now(cli.server_pid).map_err(anyhow::Error::msg)?;
    let started = Instant::now();
    let ids = provider_sync::push_all(&http, &setup.provider_token, cli.alerts).await?;
    let pushed = started.elapsed();
    let got = wait_for(&rx, &subs, ids.iter(), deadline).await?;
    let last = got.iter().map(|r| r.at).max().unwrap_or(started);
    let elapsed = last.saturating_duration_since(started);
    let cpu = cpu.until(&CpuSample::now(cli.server_pid).map_err(anyhow::Error::msg)?);
    let rate = got.len() as f64 / elapsed.as_secs_f64().max(1e-9);
    println!(
        "throughput: {} alerts pushed in {:.1} s; {} notifications received in {:.1} s: {rate:.0}/s ({} POSTs so far); {}",
        ids.len(), pushed.as_secs_f64(), got.len(), elapsed.as_secs_f64(), rx.posts(), cpu.line(got.len(), "notification")
    );
    println!(
        "RESULT throughput notifications={} rate={rate:.0} others={:.2}",
        got.len(),
        cpu.others_cores().unwrap_or(0.0)
    );
    Ok(())
}

/// Creates `n` subscriptions to `security/alerts_v2`, each delivered to its own URL of `rx`.
async fn subscribe(
    http: &Http,
    token: &str,
    rx: &NotificationReceiver,
    n: usize,
) -> anyhow::Result<HashSet<String>> {
    let expires = time::OffsetDateTime::now_utc() + time::Duration::days(1);
    let expires = expires.format(&time::format_description::well_known::Rfc3339)?;
    let mut ids = HashSet::with_capacity(n);
    for k in 0..n {
        let body = json!({"changeType": "created,updated", "resource": "security/alerts_v2",
            "notificationUrl": rx.url(k), "expirationDateTime": expires, "clientState": "bench"});
        let sub = http
            .json(Method::POST, "/v1.0/subscriptions", token, Some(&body))
            .await?;
        ids.insert(
            sub["id"]
                .as_str()
                .context("subscription without id")?
                .to_owned(),
        );
    }
    Ok(ids)
}

/// Pushes `count` alerts one per request, `rate` per second, open loop; answers when each alert's
/// push was sent, by secgraph alert id.
async fn push_steadily(
    http: &Http,
    token: &str,
    count: usize,
    rate: f64,
) -> anyhow::Result<HashMap<String, Instant>> {
    let anchor = demo::anchor_from(time::OffsetDateTime::now_utc());
    let mut alerts = pushed_alerts::generate(count, anchor, pushed_alerts::Order::Created)
        .map_err(anyhow::Error::msg)?;
    let mut tasks = Vec::with_capacity(count);
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / rate.max(0.001)));
    for (i, mut alert) in alerts.drain(..).enumerate() {
        alert.provider_alert_id = format!("latency-{i:08}");
        tick.tick().await;
        let body = serde_json::to_value(AlertBatch {
            protocol_version: PROTOCOL_VERSION,
            alerts: vec![alert],
        })?;
        let (http, token) = (
            Http {
                client: http.client.clone(),
                base: http.base.clone(),
            },
            token.to_owned(),
        );
        tasks.push(tokio::spawn(async move {
            let at = Instant::now();
            let path = provider_protocol::endpoint::PUSH_ALERTS_PATH;
            let answer: PushResponse =
                serde_json::from_value(http.json(Method::POST, path, &token, Some(&body)).await?)?;
            match answer.results.into_iter().next().and_then(|r| r.alert_id) {
                Some(id) => Ok::<_, anyhow::Error>((id.as_str().to_owned(), at)),
                None => bail!("a push created no alert"),
            }
        }));
    }
    let mut sent = HashMap::with_capacity(count);
    for t in tasks {
        let (id, at) = t.await??;
        sent.insert(id, at);
    }
    Ok(sent)
}

/// Waits until every subscription of `subs` received a notification of every item of `items`;
/// answers everything received (extras included).
async fn wait_for<'a>(
    rx: &NotificationReceiver,
    subs: &HashSet<String>,
    items: impl Iterator<Item = &'a String>,
    deadline: Duration,
) -> anyhow::Result<Vec<Received>> {
    let items: HashSet<&String> = items.collect();
    let expected = items.len() * subs.len();
    let until = Instant::now() + deadline;
    let mut got: Vec<Received> = Vec::new();
    let mut pairs: HashSet<(String, String)> = HashSet::with_capacity(expected);
    while pairs.len() < expected {
        if Instant::now() > until {
            bail!(
                "{} of {expected} notifications arrived within {deadline:?}",
                pairs.len()
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        for r in rx.take() {
            if subs.contains(&r.subscription) && items.contains(&r.item) {
                pairs.insert((r.subscription.clone(), r.item.clone()));
            }
            got.push(r);
        }
    }
    Ok(got)
}
