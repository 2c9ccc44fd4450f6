//! Loading the deterministic demo tenant at start-up (`serve --demo`). Idempotent: the ingest path
//! treats an identical alert as unchanged, so a restart writes nothing new.

use crate::cli::ServeArgs;
use anyhow::Context;
use demo::DemoConfig;
use model::TenantId;
use std::time::Instant;
use store::{IngestOrigin, IngestSummary, Store, StoreError};
use time::OffsetDateTime;
use tokio::task::JoinHandle;

/// What loading the demo did.
#[derive(Debug)]
pub struct Loaded {
    pub tenant: TenantId,
    pub total: usize,
    pub created: usize,
    pub unchanged: usize,
    pub anchor: String,
}

/// Alerts per `ingest` call (one write transaction each) while loading. Larger transactions touch
/// each index page once for more alerts, which is most of the ingest cost (`docs/performance.md`).
const BATCH: usize = 10_000;

/// Running totals of the load.
#[derive(Default)]
struct Totals {
    created: usize,
    updated: usize,
    total: usize,
}

/// Generates and ingests the demo alerts into `tenant`.
pub async fn load(store: &Store, args: &ServeArgs, tenant: &TenantId) -> anyhow::Result<Loaded> {
    let anchor = match &args.demo_anchor {
        Some(text) => parse_anchor(text)?,
        None => demo::anchor_from(store.clock().now()),
    };
    store.ensure_tenant(tenant, demo::DEMO_TENANT_NAME).await?;
    let mut cfg = DemoConfig::new(tenant.clone(), anchor);
    if let Some(n) = args.demo_count {
        cfg.count = n;
    }
    if let Some(seed) = args.demo_seed {
        cfg.seed = seed;
    }
    let started = Instant::now();
    let ts = store.tenant(tenant);
    let mut totals = Totals::default();
    // Written in creation order, one call after the other, so that correlation takes every
    // alert in order (a late alert costs a replay); the next batch is generated while one is
    // written.
    let order = demo::creation_order(&cfg);
    let mut pending = None;
    for chunk in order.chunks(BATCH) {
        let (cfg, chunk) = (cfg.clone(), chunk.to_vec());
        let alerts: Vec<_> = tokio::task::spawn_blocking(move || {
            chunk
                .iter()
                .filter_map(|&i| demo::alert_at(&cfg, i).ok())
                .collect()
        })
        .await
        .context("generating demo alerts failed")?;
        if let Some(call) = pending.take() {
            finish(call, &mut totals).await?;
        }
        let ts = ts.clone();
        let n = alerts.len();
        pending = Some((
            n,
            tokio::spawn(async move { ts.ingest(alerts, IngestOrigin::Demo).await }),
        ));
    }
    if let Some(call) = pending {
        finish(call, &mut totals).await?;
    }
    crate::demo_secure_score::load(store, &cfg).await?;
    let Totals {
        created,
        updated,
        total,
    } = totals;
    tracing::info!(
        total,
        created,
        updated,
        millis = started.elapsed().as_millis() as u64,
        "demo tenant loaded"
    );
    Ok(Loaded {
        tenant: tenant.clone(),
        total,
        created,
        unchanged: total - created - updated,
        anchor: model::datetime::format(anchor),
    })
}

/// Waits for one `ingest` call of `n` alerts and adds up what it did.
async fn finish(
    (n, call): (usize, JoinHandle<Result<IngestSummary, StoreError>>),
    totals: &mut Totals,
) -> anyhow::Result<()> {
    let s = call.await.context("a demo ingest task failed")??;
    totals.created += s.created;
    totals.updated += s.updated;
    totals.total += n;
    Ok(())
}

/// Accepts an RFC 3339 date-time or a `YYYY-MM-DD` date (midnight UTC).
fn parse_anchor(text: &str) -> anyhow::Result<OffsetDateTime> {
    if let Ok(t) = model::datetime::parse(text) {
        return Ok(t);
    }
    let date = time::Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .with_context(|| {
        format!("--demo-anchor '{text}' is neither an RFC 3339 date-time nor a YYYY-MM-DD date")
    })?;
    Ok(date.midnight().assume_utc())
}
