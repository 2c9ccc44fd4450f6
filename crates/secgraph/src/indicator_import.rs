//! `secgraph indicators import`: a STIX 2.1 bundle or MISP event JSON into a tenant's tiIndicators,
//! owned by one application (only it sees and changes them through the API).
//!
//! 1. The file is read and its format told ([`source`]) before the store is opened, so a mistyped
//!    path or a wrong file leaves nothing behind; an unreadable, non-JSON or unrecognised file is an
//!    error.
//! 2. The owner is resolved ([`owner`]): a registered application that can act in the tenant.
//! 3. `model::intel` converts the file; each item is then validated exactly as
//!    `POST /security/tiIndicators` validates it (`parse_new`, then the critical-infrastructure
//!    rail on `block`, with this configuration's server address and host). A refused item is
//!    reported, not fatal.
//! 4. **Idempotence:** items whose `externalId` the application already has in the tenant are
//!    skipped as "already present" (read once, before writing), as are later items repeating an
//!    `externalId` of the same file. Importing a file again therefore adds only what is new; it
//!    does not update indicators already imported (delete them first to replace them).
//! 5. Valid items are stored in batches, one transaction each, with a progress bar on a terminal;
//!    a summary follows ([`summary`]).
//!
//! Exit status: success when something was imported or there was nothing to import; failure when
//! the file is unusable, the owner is refused, a write fails (what was written stays; run the
//! import again to add the rest), or every new item was refused.

mod owner;
mod source;
mod summary;

use crate::cli::CommonArgs;
use crate::config::Config;
use crate::indicators_cli::ImportArgs;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use model::indicator::critical::CriticalInfrastructure;
use model::indicator::{parse_new, TiIndicator, TiIndicatorId};
use model::intel::ImportOptions;
use model::TenantId;
use serde_json::Value;
use std::collections::HashSet;
use std::io::IsTerminal;
use std::time::Instant;
use store::indicators::NewIndicator;
use store::{IndicatorStore, Store};
use summary::Summary;
use time::OffsetDateTime;

/// Runs the import command.
pub async fn run(common: &CommonArgs, args: ImportArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let config = Config::for_common(common)?;
    crate::logging::init("warn");
    let doc = source::read(&args.file)?;
    let format = source::format_of(&doc, args.format, &args.file)?;
    let store = config.open_store().await?;
    let result = import(&store, &config, &args, &doc, format).await;
    store.shutdown().await;
    let (mut summary, owner) = result?;
    summary.elapsed = started.elapsed();
    let shown = format.map_or("empty".to_owned(), |f| f.to_string());
    print!(
        "{}",
        summary.render(
            &args.file.display().to_string(),
            &shown,
            &owner.label,
            &args.tenant
        )
    );
    if let Some(note) = &owner.note {
        println!("  note: {note}");
    }
    if summary.imported == 0 && !summary.refused.is_empty() {
        anyhow::bail!(
            "no indicator of {} was imported: all {} new ones were refused (see above)",
            args.file.display(),
            summary.refused.len()
        );
    }
    Ok(())
}

/// Resolves the owner, converts, validates and stores; the totals and the owner.
async fn import(
    store: &Store,
    config: &Config,
    args: &ImportArgs,
    doc: &Value,
    format: Option<source::Format>,
) -> anyhow::Result<(Summary, owner::Owner)> {
    let tenant = TenantId(args.tenant.trim().to_owned());
    let owner = owner::resolve(store, &tenant, &args.app).await?;
    let mut summary = Summary::default();
    let Some(format) = format else {
        return Ok((summary, owner));
    };
    let now = store.clock().now();
    let report = source::convert(doc, format, &options(args, now), &args.file)?;
    summary.candidates = report.indicators.len();
    summary.skipped = report.skipped;
    let indicators = store.tenant(&tenant).indicators_of(&owner.client_id);
    let public_url = config.public_url_for(config.listen, config.tls_cert.is_some());
    let mut importer = Importer {
        known: indicators.external_ids().await?,
        from_file: HashSet::new(),
        indicators,
        rails: crate::serve::critical_infrastructure(config, &public_url),
        tenant,
        now,
        batch: Vec::new(),
        batch_size: args.batch as usize,
        progress: progress_bar(summary.candidates as u64),
        summary,
    };
    for (i, item) in report.indicators.iter().enumerate() {
        importer.item(i, item).await?;
    }
    importer.flush().await?;
    importer.progress.finish_and_clear();
    Ok((importer.summary, owner))
}

/// The converter's options from the flags; items without an expiry expire `--expiry-days` from now.
fn options(args: &ImportArgs, now: OffsetDateTime) -> ImportOptions {
    let mut opts = ImportOptions::new(now + time::Duration::days(i64::from(args.expiry_days)));
    opts.action = args.action.as_str().to_owned();
    opts.target_product = args.target_product.clone();
    opts.threat_type = args.threat_type.clone();
    opts.tlp = args.tlp.clone();
    opts.include_non_ids = args.include_non_ids;
    opts
}

/// Validates items and writes them in batches.
struct Importer {
    indicators: IndicatorStore,
    /// externalIds the application had before this run.
    known: HashSet<String>,
    /// externalIds of items of this file already accepted.
    from_file: HashSet<String>,
    rails: CriticalInfrastructure,
    tenant: TenantId,
    now: OffsetDateTime,
    batch: Vec<NewIndicator>,
    batch_size: usize,
    progress: ProgressBar,
    summary: Summary,
}

impl Importer {
    /// Checks item `i` of the converter's output and queues it, or records why it was not.
    async fn item(&mut self, i: usize, item: &Value) -> anyhow::Result<()> {
        self.progress.inc(1);
        let external_id = item["externalId"].as_str();
        let source = external_id.map_or_else(|| format!("item {}", i + 1), str::to_owned);
        if let Some(id) = external_id {
            if self.known.contains(id) {
                self.summary.already_present += 1;
                return Ok(());
            }
            if self.from_file.contains(id) {
                self.summary.repeated += 1;
                return Ok(());
            }
        }
        match self.validate(item) {
            Ok(new) => {
                if let Some(id) = external_id {
                    self.from_file.insert(id.to_owned());
                }
                self.batch.push(new);
                if self.batch.len() >= self.batch_size {
                    self.flush().await?;
                }
            }
            Err(message) => self.summary.refused.push((source, message)),
        }
        Ok(())
    }

    /// What `POST /security/tiIndicators` would store for `item`, or why it would refuse it.
    fn validate(&self, item: &Value) -> Result<NewIndicator, String> {
        let body = parse_new(item).map_err(|e| e.message)?;
        if let Some(refusal) = self.rails.refusal(&body) {
            return Err(refusal);
        }
        let id = TiIndicatorId(String::new());
        let indicator = TiIndicator::new(id, self.tenant.clone(), self.now, body);
        NewIndicator::from_indicator(&indicator)
            .map_err(|e| format!("the indicator could not be prepared for storing: {e}"))
    }

    /// Stores the queued items in one transaction.
    async fn flush(&mut self) -> anyhow::Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        let stored = self.indicators.create(batch).await.with_context(|| {
            format!(
                "writing indicators failed after {} were imported; run the import again to add \
                 the rest (those already imported are skipped)",
                self.summary.imported
            )
        })?;
        self.summary.stored(stored.into_iter().map(|s| {
            s.doc["ingestedDateTime"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        }));
        Ok(())
    }
}

/// A bar over the items on a terminal's stderr; hidden otherwise.
fn progress_bar(items: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(items);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} indicators {per_sec} eta {eta}")
    {
        bar.set_style(style);
    }
    bar
}
