//! `secgraph import`: loads alerts exported from Graph (alerts_v2 or legacy shape) from NDJSON, a JSON
//! array or a Graph page into a tenant. Bad records are reported by line (or array index) and skipped;
//! good ones are kept. Progress goes to a terminal; a summary is printed at the end.

use crate::cli::ImportArgs;
use crate::config::Config;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use model::{StoredAlert, TenantId};
use serde_json::Value;
use std::io::{BufRead, BufReader, IsTerminal};
use store::{IngestOrigin, TenantStore};

mod layout;

use layout::{Layout, NumberedLine};

/// How many skip reasons the summary lists one by one.
const LISTED_SKIPS: usize = 50;

/// Import totals.
#[derive(Debug, Default)]
pub struct Summary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped: Vec<(String, String)>,
}

/// Runs the import command.
pub async fn run(args: ImportArgs) -> anyhow::Result<()> {
    let config = Config::for_common(&args.common)?;
    crate::logging::init("warn");
    // Opened first, so a mistyped path leaves no data directory or tenant behind.
    let file = std::fs::File::open(&args.file)
        .with_context(|| format!("cannot open {}", args.file.display()))?;
    std::fs::create_dir_all(&config.data_dir)?;
    let store = config.open_store().await?;
    let tenant = TenantId(args.tenant.clone());
    store.ensure_tenant(&tenant, &args.tenant).await?;
    // Imported alerts are matched against the tenant's threat indicators like any other write.
    let indicators = store::IndicatorIndex::new(store.clone());
    store.add_hook(indicators.enrichment_hook());
    indicators.tenant(&tenant).await?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let progress = progress_bar(size);
    let mut importer = Importer {
        ts: store.tenant(&tenant),
        tenant,
        batch: Vec::new(),
        batch_size: args.batch.max(1),
        summary: Summary::default(),
    };
    let reader = BufReader::new(progress.wrap_read(file));
    match layout::detect(reader)? {
        Layout::Document(doc) => importer.document(doc).await?,
        Layout::Lines(rest, read) => importer.lines(read, rest).await?,
    }
    importer.flush().await?;
    progress.finish_and_clear();
    store.shutdown().await;
    print_summary(&importer.summary, &args.file.display().to_string());
    Ok(())
}

struct Importer {
    ts: TenantStore,
    tenant: TenantId,
    batch: Vec<StoredAlert>,
    batch_size: usize,
    summary: Summary,
}

impl Importer {
    /// Imports the lines read while detecting the layout, then the rest of the file.
    async fn lines(
        &mut self,
        read: Vec<NumberedLine>,
        mut rest: layout::Lines<impl BufRead>,
    ) -> anyhow::Result<()> {
        for line in read {
            self.line(line).await?;
        }
        while let Some(line) = rest.next_non_blank().context("cannot read the file")? {
            self.line(line).await?;
        }
        Ok(())
    }

    async fn line(&mut self, (number, text): NumberedLine) -> anyhow::Result<()> {
        let place = format!("line {number}");
        match text.map(|t| serde_json::from_str::<Value>(&t)) {
            Ok(Ok(v)) => self.record(place, v).await?,
            Ok(Err(e)) => self.summary.skipped.push((place, format!("not JSON: {e}"))),
            Err(reason) => self.summary.skipped.push((place, reason)),
        }
        Ok(())
    }

    async fn document(&mut self, doc: Value) -> anyhow::Result<()> {
        let items = match doc {
            Value::Array(items) => items,
            Value::Object(mut page) => match page.remove("value") {
                Some(Value::Array(items)) => items,
                _ => vec![Value::Object(page)],
            },
            _ => anyhow::bail!("the JSON document is neither an array of alerts nor a Graph page"),
        };
        for (i, item) in items.into_iter().enumerate() {
            self.record(format!("item {i}"), item).await?;
        }
        Ok(())
    }

    async fn record(&mut self, place: String, v: Value) -> anyhow::Result<()> {
        match model::import::alert_from_json(v, &self.tenant) {
            Ok(alert) => {
                self.batch.push(alert);
                if self.batch.len() >= self.batch_size {
                    self.flush().await?;
                }
            }
            Err(reason) => self.summary.skipped.push((place, reason)),
        }
        Ok(())
    }

    async fn flush(&mut self) -> anyhow::Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let n = self.batch.len();
        let s = self
            .ts
            .ingest(std::mem::take(&mut self.batch), IngestOrigin::Import)
            .await?;
        self.summary.created += s.created;
        self.summary.updated += s.updated;
        self.summary.unchanged += n - s.created - s.updated;
        Ok(())
    }
}

fn progress_bar(size: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(size);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
    {
        bar.set_style(style);
    }
    bar
}

fn print_summary(s: &Summary, file: &str) {
    let imported = s.created + s.updated + s.unchanged;
    let noun = if imported == 1 { "alert" } else { "alerts" };
    println!(
        "{file}: imported {imported} {noun} ({} new, {} updated, {} unchanged); skipped {}",
        s.created,
        s.updated,
        s.unchanged,
        s.skipped.len()
    );
    for (place, reason) in s.skipped.iter().take(LISTED_SKIPS) {
        println!("  skipped {place}: {reason}");
    }
    if s.skipped.len() > LISTED_SKIPS {
        println!("  … and {} more", s.skipped.len() - LISTED_SKIPS);
    }
}
