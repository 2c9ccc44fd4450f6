//! The sync-back figure of the `providers` benchmark: with a [`ProviderDouble`] registered as
//! the provider, M pushed alerts are PATCHed (`{"status": "inProgress"}`, through
//! `PATCH /v1.0/security/alerts_v2/{id}` with an analyst's token) at a steady rate, open loop
//! (a PATCH is sent on its tick whether or not earlier ones were answered). The latency of one
//! alert is from sending its PATCH to the double receiving its signed `alertUpdates` call.
//! Every alert's update must arrive within the deadline, every PATCH must answer `200`, and the
//! stored alerts must end `applied`; repeated deliveries of one update are counted.

use crate::cpu_share::{CpuSample, CpuShare};
use crate::load::percentile_ms;
use crate::provider_double::{Arrival, ProviderDouble};
use crate::provider_setup::{self, Http};
use crate::pushed_alerts;
use anyhow::{bail, Context};
use provider_protocol::{AlertBatch, PushResponse, PROTOCOL_VERSION};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What to measure.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Alerts pushed, then PATCHed once each.
    pub patches: usize,
    /// PATCHes per second.
    pub rate: f64,
    /// How long after the last PATCH every update must have arrived.
    pub deadline: Duration,
    /// The server's pid, for its CPU time.
    pub server_pid: Option<u32>,
}

/// What the figure measured.
#[derive(Debug, Clone)]
pub struct SyncFigures {
    /// Alerts whose update arrived.
    pub delivered: usize,
    /// PATCH-to-arrival latencies, one per alert.
    pub latencies: Vec<Duration>,
    /// PATCH request latencies.
    pub patch_latencies: Vec<Duration>,
    /// Updates (idempotency keys) that arrived more than once.
    pub repeated: usize,
    /// Calls the double refused.
    pub refused: usize,
    /// The PATCH rate achieved.
    pub achieved_rate: f64,
    /// Who used the CPU while PATCHing.
    pub cpu: CpuShare,
}

/// Runs the sync-back figure against the server at `http` (see the module docs).
pub async fn run(
    http: &Http,
    admin_token: &str,
    opts: &SyncOptions,
) -> anyhow::Result<SyncFigures> {
    anyhow::ensure!(
        opts.patches > 0 && opts.rate > 0.0,
        "--patches and --rate must be positive"
    );
    let double = ProviderDouble::start()
        .await
        .context("cannot start the provider double")?;
    let setup = provider_setup::set_up(http, admin_token, "bench sync", &double.base_url).await?;
    double
        .set_secret(&setup.signing_secret)
        .map_err(anyhow::Error::msg)?;
    let ids = push_all(http, &setup.provider_token, opts.patches).await?;
    let cpu = CpuSample::now(opts.server_pid).map_err(anyhow::Error::msg)?;
    let (sent, patch_latencies, elapsed) =
        patch_all(http, &setup.analyst_token, &ids, opts.rate).await?;
    let cpu = cpu.until(&CpuSample::now(opts.server_pid).map_err(anyhow::Error::msg)?);
    let waited = Instant::now();
    while double.distinct() < ids.len() && waited.elapsed() < opts.deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let arrivals = double.arrivals();
    let refused = double.refused();
    double.stop().await;
    let (latencies, repeated) = match_arrivals(&sent, &arrivals)?;
    if latencies.len() < ids.len() {
        bail!(
            "only {} of {} alert updates reached the provider within {:.0} s of the last PATCH",
            latencies.len(),
            ids.len(),
            opts.deadline.as_secs_f64()
        );
    }
    check_applied(http, &setup.analyst_token, &ids).await?;
    Ok(SyncFigures {
        delivered: latencies.len(),
        latencies,
        patch_latencies,
        repeated,
        refused,
        achieved_rate: ids.len() as f64 / elapsed.as_secs_f64().max(1e-9),
        cpu,
    })
}

/// Pushes `count` alerts (version 1) in batches of 1,000; answers their secgraph ids.
pub async fn push_all(http: &Http, token: &str, count: usize) -> anyhow::Result<Vec<String>> {
    let anchor = demo::anchor_from(time::OffsetDateTime::now_utc());
    let alerts = pushed_alerts::generate(count, anchor, pushed_alerts::Order::Created)
        .map_err(anyhow::Error::msg)?;
    let mut ids = Vec::with_capacity(count);
    for chunk in alerts.chunks(provider_protocol::push::MAX_BATCH_ALERTS) {
        let batch = AlertBatch {
            protocol_version: PROTOCOL_VERSION,
            alerts: chunk.to_vec(),
        };
        let body = serde_json::to_value(&batch).context("cannot serialise a batch")?;
        let path = provider_protocol::endpoint::PUSH_ALERTS_PATH;
        let answer: PushResponse =
            serde_json::from_value(http.json(Method::POST, path, token, Some(&body)).await?)
                .context("unreadable push answer")?;
        for r in answer.results {
            match r.alert_id {
                Some(id) if r.outcome == provider_protocol::AlertOutcome::Created => {
                    ids.push(id.as_str().to_owned())
                }
                _ => bail!(
                    "pushing {} answered {r:?}, not created",
                    r.provider_alert_id
                ),
            }
        }
    }
    anyhow::ensure!(
        ids.len() == count,
        "{} alerts created of {count}",
        ids.len()
    );
    Ok(ids)
}

/// When each alert's PATCH was sent.
type Sent = HashMap<String, Instant>;

/// PATCHes every alert once, `rate` per second, open loop; answers the send instants, the
/// PATCH latencies and the time from the first send to the last answer.
async fn patch_all(
    http: &Http,
    token: &str,
    ids: &[String],
    rate: f64,
) -> anyhow::Result<(Sent, Vec<Duration>, Duration)> {
    let sent = Arc::new(Mutex::new(HashMap::with_capacity(ids.len())));
    let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let body = Arc::new(json!({"status": "inProgress"}));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(ids.len());
    for id in ids {
        ticks.tick().await;
        let (http, token, id, body, sent) = (
            http.clone(),
            token.to_owned(),
            id.clone(),
            body.clone(),
            sent.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let path = format!("/v1.0/security/alerts_v2/{id}");
            let at = Instant::now();
            sent.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(id, at);
            let (status, text) = http.send(Method::PATCH, &path, &token, Some(&body)).await?;
            if status != 200 {
                bail!("PATCH {path} answered {status}: {text}");
            }
            Ok::<Duration, anyhow::Error>(at.elapsed())
        }));
    }
    let mut latencies = Vec::with_capacity(ids.len());
    for task in tasks {
        latencies.push(task.await.context("a PATCH task failed")??);
    }
    let elapsed = started.elapsed();
    let sent = std::mem::take(
        &mut *sent
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    Ok((sent, latencies, elapsed))
}

/// Each alert's latency (send to its first arrival) and how many updates arrived more than once.
/// An arrival for an alert that was never PATCHed is an error.
pub fn match_arrivals(sent: &Sent, arrivals: &[Arrival]) -> anyhow::Result<(Vec<Duration>, usize)> {
    let mut first: HashMap<&str, Instant> = HashMap::with_capacity(sent.len());
    let mut per_key: HashMap<uuid::Uuid, usize> = HashMap::with_capacity(sent.len());
    for a in arrivals {
        if !sent.contains_key(&a.alert_id) {
            bail!(
                "the provider received an update of {}, which was not PATCHed",
                a.alert_id
            );
        }
        first.entry(&a.alert_id).or_insert(a.at);
        *per_key.entry(a.idempotency_key).or_default() += 1;
    }
    let latencies = first
        .iter()
        .filter_map(|(id, at)| sent.get(*id).map(|s| at.saturating_duration_since(*s)))
        .collect();
    Ok((latencies, per_key.values().filter(|&&n| n > 1).count()))
}

/// The first, middle and last alert must show `providerSync.state = applied` (the double's
/// answer written back), within 10 s.
async fn check_applied(http: &Http, token: &str, ids: &[String]) -> anyhow::Result<()> {
    let sample = [0, ids.len() / 2, ids.len() - 1];
    let waited = Instant::now();
    for i in sample {
        let path = format!("/v1.0/security/alerts_v2/{}", ids[i]);
        loop {
            let alert = http.json(Method::GET, &path, token, None).await?;
            let state = alert
                .pointer("/providerSync/state")
                .and_then(Value::as_str)
                .unwrap_or("none");
            if state == "applied" {
                break;
            }
            if waited.elapsed() > Duration::from_secs(10) {
                bail!("{path}: providerSync.state is {state}, not applied, 10 s after delivery");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    Ok(())
}

/// Prints the figure's lines and its `RESULT` line.
pub fn report(f: &mut SyncFigures, opts: &SyncOptions) {
    let p = |l: &mut Vec<Duration>, q: f64| percentile_ms(l, q);
    let (p50, p90, p99, max) = (
        p(&mut f.latencies, 50.0),
        p(&mut f.latencies, 90.0),
        p(&mut f.latencies, 99.0),
        p(&mut f.latencies, 100.0),
    );
    let (patch50, patch99) = (
        p(&mut f.patch_latencies, 50.0),
        p(&mut f.patch_latencies, 99.0),
    );
    println!(
        "sync-back: {} PATCHes at {:.0}/s asked ({:.1}/s achieved); every update delivered, {} delivered more than once, {} calls refused by the double",
        f.delivered, opts.rate, f.achieved_rate, f.repeated, f.refused
    );
    println!("sync-back latency (PATCH sent -> provider received): p50 {p50:.1} ms, p90 {p90:.1} ms, p99 {p99:.1} ms, max {max:.1} ms");
    println!("PATCH request latency: p50 {patch50:.1} ms, p99 {patch99:.1} ms");
    println!("sync {}", f.cpu.line(f.delivered, "PATCH"));
    let others = f
        .cpu
        .others_cores()
        .map_or("?".to_owned(), |c| format!("{c:.2}"));
    println!(
        "RESULT sync patches={} rate={:.0} p50_ms={p50:.1} p90_ms={p90:.1} p99_ms={p99:.1} max_ms={max:.1} patch_p99_ms={patch99:.1} repeated={} others={others}",
        f.delivered, opts.rate, f.repeated
    );
}
