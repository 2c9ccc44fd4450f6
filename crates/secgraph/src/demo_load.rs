//! Loading the deterministic demo tenant at start-up (`serve --demo`). Idempotent: the ingest path
//! treats an identical alert as unchanged, so a restart writes nothing new.

use crate::cli::ServeArgs;
use anyhow::Context;
use demo::DemoConfig;
use model::TenantId;
use std::time::Instant;
use store::{IngestOrigin, Store};
use time::OffsetDateTime;

/// What loading the demo did.
#[derive(Debug)]
pub struct Loaded {
    pub tenant: TenantId,
    pub total: usize,
    pub created: usize,
    pub unchanged: usize,
    pub anchor: String,
}

/// Alerts per write transaction while loading.
const BATCH: usize = 2000;

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
    let (mut created, mut updated, mut total) = (0, 0, 0);
    let mut batch = Vec::with_capacity(BATCH);
    for alert in demo::generate(&cfg) {
        batch.push(alert);
        if batch.len() == BATCH {
            let s = ts
                .ingest(std::mem::take(&mut batch), IngestOrigin::Demo)
                .await?;
            (created, updated, total) = (created + s.created, updated + s.updated, total + BATCH);
        }
    }
    let rest = batch.len();
    if rest > 0 {
        let s = ts.ingest(batch, IngestOrigin::Demo).await?;
        (created, updated, total) = (created + s.created, updated + s.updated, total + rest);
    }
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
