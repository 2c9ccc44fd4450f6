//! `secgraph import`: loads alerts exported from Graph (alerts_v2 or legacy shape) from NDJSON, a JSON
//! array or a Graph page into a tenant. Bad records are reported by line (or array index) and skipped;
//! good ones are kept. Progress goes to a terminal; a summary is printed at the end.

use crate::cli::ImportArgs;
use crate::config::Config;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use model::{StoredAlert, TenantId};
use serde_json::Value;
use std::io::{BufRead, BufReader, IsTerminal, Read};
use std::sync::Arc;
use store::{IngestOrigin, Store, SystemClock, TenantStore};

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
    std::fs::create_dir_all(&config.data_dir)?;
    let store = Store::open_sqlite(&config.database_path(), Arc::new(SystemClock))?;
    let tenant = TenantId(args.tenant.clone());
    store.ensure_tenant(&tenant, &args.tenant).await?;
    let file = std::fs::File::open(&args.file)
        .with_context(|| format!("cannot open {}", args.file.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let progress = progress_bar(size);
    let mut importer = Importer {
        ts: store.tenant(&tenant),
        tenant,
        batch: Vec::new(),
        batch_size: args.batch.max(1),
        summary: Summary::default(),
    };
    let mut reader = BufReader::new(progress.wrap_read(file));
    let first = first_non_space(&mut reader)?;
    if first == Some(b'[') || first == Some(b'{') && !looks_like_ndjson(&mut reader)? {
        let mut text = String::new();
        reader.read_to_string(&mut text)?;
        importer.document(&text).await?;
    } else {
        importer.lines(reader).await?;
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
    async fn lines(&mut self, reader: impl BufRead) -> anyhow::Result<()> {
        for (i, line) in reader.lines().enumerate() {
            let line = line.context("cannot read the file (is it UTF-8?)")?;
            if line.trim().is_empty() {
                continue;
            }
            let place = format!("line {}", i + 1);
            match serde_json::from_str::<Value>(&line) {
                Ok(v) => self.record(place, v).await?,
                Err(e) => self.summary.skipped.push((place, format!("not JSON: {e}"))),
            }
        }
        Ok(())
    }

    async fn document(&mut self, text: &str) -> anyhow::Result<()> {
        let doc: Value = serde_json::from_str(text)
            .context("the file is neither NDJSON nor one JSON document")?;
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
        let now = time::OffsetDateTime::now_utc();
        match model::import::alert_from_json(v, &self.tenant, now) {
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

/// Peeks the first non-whitespace byte without consuming it.
fn first_non_space(reader: &mut impl BufRead) -> std::io::Result<Option<u8>> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(None);
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let b = buf[i];
                reader.consume(i);
                return Ok(Some(b));
            }
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    }
}

/// A file starting with `{` is NDJSON when its first line is a complete JSON value.
fn looks_like_ndjson(reader: &mut impl BufRead) -> std::io::Result<bool> {
    let buf = reader.fill_buf()?;
    let line_end = buf.iter().position(|b| *b == b'\n');
    Ok(match line_end {
        Some(end) => serde_json::from_slice::<Value>(&buf[..end]).is_ok(),
        None => false,
    })
}

fn print_summary(s: &Summary, file: &str) {
    println!(
        "{file}: imported {} alerts ({} new, {} updated, {} unchanged); skipped {}",
        s.created + s.updated + s.unchanged,
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
