//! The push figure of the `providers` benchmark: a provider pushes N distinct alerts
//! ([`crate::pushed_alerts`]) to `POST /secgraph/v1/provider/alerts` in batches of 1,000 with a
//! few calls in flight, every answer checked (`200`, one result per alert, in order, each
//! `created`); then re-pushes a tenth of them (every tenth alert) one version higher, each of
//! which must be `updated`; finally the tenant's `$count` must have grown by exactly N.
//!
//! The server answers a batch only after its transaction committed, so the rate is a durable one.

use crate::cpu_share::{CpuSample, CpuShare};
use crate::load::{self, percentile_ms, Check, Stop, Target};
use crate::measure::rate;
use crate::provider_setup::{Http, ProviderSetup};
use crate::pushed_alerts::{self, Order};
use anyhow::Context;
use provider_protocol::{AlertOutcome, PushResponse, PushedAlert};
use std::sync::Arc;
use std::time::Instant;

/// What to push.
#[derive(Debug, Clone)]
pub struct PushOptions {
    /// Distinct alerts.
    pub alerts: usize,
    /// Alerts per batch (at most 1,000, the protocol's limit).
    pub batch: usize,
    /// Batches in flight.
    pub connections: usize,
    /// Every `update_every`-th alert is re-pushed one version higher (10: a tenth); 0: none.
    pub update_every: usize,
    /// The order of the alerts.
    pub order: Order,
    /// The server's pid, for its CPU time.
    pub server_pid: Option<u32>,
}

/// One measured phase.
#[derive(Debug, Clone)]
pub struct Phase {
    /// Alerts pushed.
    pub alerts: usize,
    /// Alerts per second.
    pub rate: f64,
    /// Request latency percentiles, ms.
    pub p50_ms: f64,
    /// Request latency percentiles, ms.
    pub p99_ms: f64,
    /// Who used the CPU meanwhile.
    pub cpu: CpuShare,
}

/// Runs the push figure (see the module docs); prints its lines and `RESULT` lines.
pub async fn run(http: &Http, setup: &ProviderSetup, opts: &PushOptions) -> anyhow::Result<()> {
    anyhow::ensure!(
        (1..=provider_protocol::push::MAX_BATCH_ALERTS).contains(&opts.batch),
        "--batch must be 1 to 1000"
    );
    let started = Instant::now();
    let anchor = demo::anchor_from(time::OffsetDateTime::now_utc());
    let alerts =
        pushed_alerts::generate(opts.alerts, anchor, opts.order).map_err(anyhow::Error::msg)?;
    let updates: Vec<PushedAlert> = match opts.update_every {
        0 => Vec::new(),
        n => alerts
            .iter()
            .step_by(n)
            .map(pushed_alerts::revised)
            .collect(),
    };
    let created_bodies =
        pushed_alerts::batch_bodies(&alerts, opts.batch).map_err(anyhow::Error::msg)?;
    let mean_kib = created_bodies.iter().map(bytes::Bytes::len).sum::<usize>() as f64
        / created_bodies.len().max(1) as f64
        / 1024.0;
    println!(
        "generated {} alerts ({:?} order; {} batches of {}, {mean_kib:.0} KiB each) and {} revisions in {:.1} s (not timed)",
        alerts.len(), opts.order, created_bodies.len(), opts.batch, updates.len(), started.elapsed().as_secs_f64()
    );
    let before = http.alert_count(&setup.analyst_token).await?;
    let target = target(http, &setup.provider_token)?;
    let created = phase(
        &target,
        &alerts,
        created_bodies,
        AlertOutcome::Created,
        opts,
    )
    .await?;
    drop(alerts);
    print_phase("push", &created, opts);
    if !updates.is_empty() {
        let bodies =
            pushed_alerts::batch_bodies(&updates, opts.batch).map_err(anyhow::Error::msg)?;
        let updated = phase(&target, &updates, bodies, AlertOutcome::Updated, opts).await?;
        print_phase("update", &updated, opts);
    }
    let after = http.alert_count(&setup.analyst_token).await?;
    anyhow::ensure!(
        after == before + opts.alerts,
        "every batch answered 200 with a result per alert, but the tenant holds {after} alerts, not {before} + {}",
        opts.alerts
    );
    println!("check: GET /v1.0/security/alerts_v2/$count = {after} (was {before})");
    Ok(())
}

/// The push endpoint with the provider's token.
fn target(http: &Http, token: &str) -> anyhow::Result<Target> {
    let mut headers = reqwest::header::HeaderMap::new();
    let value = format!("Bearer {token}")
        .parse()
        .context("the provider token is not a valid header value")?;
    headers.insert(reqwest::header::AUTHORIZATION, value);
    let client = reqwest::Client::builder()
        .tcp_nodelay(true)
        .no_gzip()
        .default_headers(headers)
        .build()
        .context("cannot build the HTTP client")?;
    Ok(Target {
        client,
        url: format!(
            "{}{}",
            http.base,
            provider_protocol::endpoint::PUSH_ALERTS_PATH
        ),
        content_type: "application/json",
    })
}

/// Pushes `bodies` (the batches of `alerts`) once; every result must be `outcome`.
async fn phase(
    target: &Target,
    alerts: &[PushedAlert],
    bodies: Vec<bytes::Bytes>,
    outcome: AlertOutcome,
    opts: &PushOptions,
) -> anyhow::Result<Phase> {
    let expected: Vec<Vec<String>> = alerts
        .chunks(opts.batch)
        .map(|c| c.iter().map(|a| a.provider_alert_id.clone()).collect())
        .collect();
    let calls = bodies.len();
    let cpu = CpuSample::now(opts.server_pid).map_err(anyhow::Error::msg)?;
    let mut out = load::run(
        target,
        Arc::new(bodies),
        opts.connections,
        Stop::Requests(calls),
        results_check(Arc::new(expected), outcome),
    )
    .await
    .map_err(anyhow::Error::msg)?;
    let cpu = cpu.until(&CpuSample::now(opts.server_pid).map_err(anyhow::Error::msg)?);
    let pushed: usize = out.counted.iter().sum();
    anyhow::ensure!(
        pushed == alerts.len(),
        "{pushed} results for {} alerts",
        alerts.len()
    );
    Ok(Phase {
        alerts: pushed,
        rate: rate(pushed, out.elapsed),
        p50_ms: percentile_ms(&mut out.latencies, 50.0),
        p99_ms: percentile_ms(&mut out.latencies, 99.0),
        cpu,
    })
}

/// Accepts an answer only when it is `200` with one result per alert of the batch, in order,
/// each with `outcome`; counts the alerts.
pub fn results_check(expected: Arc<Vec<Vec<String>>>, outcome: AlertOutcome) -> Check<usize> {
    Arc::new(move |i, status, body| {
        let show = || String::from_utf8_lossy(&body[..body.len().min(600)]).into_owned();
        if status != 200 {
            return Err(format!("push call {i} answered {status}: {}", show()));
        }
        let answer: PushResponse = serde_json::from_slice(body)
            .map_err(|e| format!("push call {i}: unreadable answer ({e}): {}", show()))?;
        let ids = &expected[i % expected.len()];
        if answer.results.len() != ids.len() {
            return Err(format!(
                "push call {i}: {} results for {} alerts",
                answer.results.len(),
                ids.len()
            ));
        }
        for (r, id) in answer.results.iter().zip(ids) {
            if r.provider_alert_id != *id || r.outcome != outcome || r.alert_id.is_none() {
                return Err(format!(
                    "push call {i}: expected {id} {outcome:?} with an alertId, got {r:?}"
                ));
            }
        }
        Ok(ids.len())
    })
}

fn print_phase(name: &str, p: &Phase, opts: &PushOptions) {
    println!(
        "{name}: {} alerts in batches of {}, {} connections: {:.0} alerts/s; request p50 {:.1} ms, p99 {:.1} ms",
        p.alerts, opts.batch, opts.connections, p.rate, p.p50_ms, p.p99_ms
    );
    println!("{name} {}", p.cpu.line(p.alerts, "alert"));
    let server_us = p.cpu.server.map_or("?".to_owned(), |d| {
        format!("{:.1}", d.as_secs_f64() * 1e6 / p.alerts.max(1) as f64)
    });
    let others = p
        .cpu
        .others_cores()
        .map_or("?".to_owned(), |c| format!("{c:.2}"));
    println!(
        "RESULT {name} alerts={} order={:?} batch={} connections={} rate={:.0} p50_ms={:.1} p99_ms={:.1} server_us={server_us} others={others}",
        p.alerts, opts.order, opts.batch, opts.connections, p.rate, p.p50_ms, p.p99_ms
    );
}
