//! `secgraph indicators …`: threat-indicator administration on the store in `--data-dir` (or
//! `--database`), beside a running server: `import` loads a STIX 2.1 bundle or MISP event JSON
//! into a tenant on behalf of an application ([`crate::indicator_import`]), and `export-key
//! create|list|revoke` manages the keys that firewalls and proxies use to poll
//! `/secgraph/v1/tiIndicators/export` (each runs the same operation as the admin HTTP API,
//! `api::admin::export_keys`, and prints its JSON).

use crate::cli::CommonArgs;
use crate::config::Config;
use api::admin::export_keys;
use api::admin::AdminError;
use clap::{Args, Subcommand, ValueEnum};
use model::indicator::{TargetProduct, ThreatType, TlpLevel};
use serde_json::Value;
use std::path::PathBuf;
use store::Store;

/// `secgraph indicators`.
#[derive(Debug, Args)]
pub struct IndicatorsArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(subcommand)]
    pub command: IndicatorsCommand,
}

/// `secgraph indicators …`.
#[derive(Debug, Subcommand)]
pub enum IndicatorsCommand {
    /// Import a STIX 2.1 bundle or MISP event JSON as tiIndicators owned by an application.
    Import(ImportArgs),
    /// Manage the keys devices use to poll indicator exports without OAuth.
    #[command(subcommand)]
    ExportKey(ExportKeyCommand),
}

/// `secgraph indicators export-key …`.
#[derive(Debug, Subcommand)]
pub enum ExportKeyCommand {
    /// Create a key for a tenant (printed once as "key"; keep it).
    Create {
        /// Tenant id (a GUID).
        #[arg(long)]
        tenant: String,
        /// Where the key is used, e.g. "edge firewall" (at most 256 characters).
        #[arg(long)]
        description: Option<String>,
    },
    /// List a tenant's keys: id, hint (last 4 characters), description, created, revoked.
    List {
        /// Tenant id.
        #[arg(long)]
        tenant: String,
    },
    /// Revoke a key: polls with it get 401 from the next request on.
    Revoke {
        /// Tenant id.
        #[arg(long)]
        tenant: String,
        /// Key id (from `export-key list`, or the middle part of the key).
        #[arg(long)]
        id: String,
    },
}

/// `secgraph indicators import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Tenant id to import into (it must exist: `secgraph tenant list`).
    #[arg(long)]
    pub tenant: String,
    /// Client id of the application that owns the indicators (`secgraph app list`); only it sees
    /// and changes them through the API. `secgraph-emulator` is the owner under `serve --auth none`.
    #[arg(long, value_name = "CLIENT_ID")]
    pub app: String,
    /// The file's format; `auto` tells a STIX bundle/object (`"type"`) from MISP JSON (`Event`,
    /// `response`).
    #[arg(long, value_enum, default_value_t = ImportFormat::Auto)]
    pub format: ImportFormat,
    /// `action` of every imported indicator.
    #[arg(long, value_enum, default_value_t = ImportAction::Alert)]
    pub action: ImportAction,
    /// Days until an item without its own expiry (STIX `valid_until`; MISP has none) expires.
    #[arg(long, value_name = "N", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(1..=36_500))]
    pub expiry_days: u32,
    /// `targetProduct` of every imported indicator: `Azure Sentinel` or `Microsoft Defender ATP`.
    #[arg(long, value_name = "PRODUCT", default_value = "Azure Sentinel",
          value_parser = target_product)]
    pub target_product: String,
    /// `threatType` where the source names none (e.g. WatchList, Malware, C2, Phishing).
    #[arg(long, value_name = "TYPE", default_value = "WatchList", value_parser = threat_type)]
    pub threat_type: String,
    /// `tlpLevel` where the source carries no TLP marking: white, green, amber or red.
    #[arg(long, value_name = "LEVEL", default_value = "red", value_parser = tlp_level)]
    pub tlp: String,
    /// MISP: also import attributes whose `to_ids` is false (context, by default skipped).
    #[arg(long)]
    pub include_non_ids: bool,
    /// Indicators per write transaction.
    #[arg(long, value_name = "N", default_value_t = 1000,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub batch: u32,
    /// The STIX 2.1 or MISP JSON file.
    pub file: PathBuf,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// Tell from the content.
    Auto,
    /// A STIX 2.1 bundle, a STIX object, or an array of them.
    Stix,
    /// MISP: `{"Event": …}`, a list of those, or restSearch output `{"response": […]}`.
    Misp,
}

/// `--action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportAction {
    /// Raise an alert on a match.
    Alert,
    /// Block (refused on critical infrastructure: loopback, private ranges, public resolvers).
    Block,
    /// Allow.
    Allow,
}

impl ImportAction {
    /// The tiIndicator `action` wire string.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportAction::Alert => "alert",
            ImportAction::Block => "block",
            ImportAction::Allow => "allow",
        }
    }
}

/// A `targetProduct` in its canonical spelling (any case accepted).
fn target_product(s: &str) -> Result<String, String> {
    let all: Vec<&str> = TargetProduct::ALL.iter().map(|p| p.as_str()).collect();
    TargetProduct::parse(s.trim())
        .map(|p| p.as_str().to_owned())
        .ok_or_else(|| {
            format!(
                "'{s}' is not a target product; use one of: {}",
                all.join(", ")
            )
        })
}

/// A `threatType` in its canonical spelling (any case accepted).
fn threat_type(s: &str) -> Result<String, String> {
    let all: Vec<&str> = ThreatType::ALL.iter().map(|t| t.as_str()).collect();
    ThreatType::parse(s.trim())
        .map(|t| t.as_str().to_owned())
        .ok_or_else(|| format!("'{s}' is not a threat type; use one of: {}", all.join(", ")))
}

/// A TLP level: white, green, amber or red (any case).
fn tlp_level(s: &str) -> Result<String, String> {
    match TlpLevel::parse(s.trim()) {
        Some(l @ (TlpLevel::White | TlpLevel::Green | TlpLevel::Amber | TlpLevel::Red)) => {
            Ok(l.as_str().to_owned())
        }
        _ => Err(format!(
            "'{s}' is not a TLP level; use one of: white, green, amber, red"
        )),
    }
}

/// Runs an indicators command on the configured store and prints the result.
pub async fn run(args: IndicatorsArgs) -> anyhow::Result<()> {
    let command = match args.command {
        IndicatorsCommand::Import(import) => {
            return crate::indicator_import::run(&args.common, import).await
        }
        IndicatorsCommand::ExportKey(command) => command,
    };
    let config = Config::for_common(&args.common)?;
    let store = config.open_store().await?;
    let result = execute(&store, command).await;
    store.shutdown().await;
    println!("{}", serde_json::to_string_pretty(&result?)?);
    Ok(())
}

async fn execute(store: &Store, command: ExportKeyCommand) -> Result<Value, AdminError> {
    match command {
        ExportKeyCommand::Create {
            tenant,
            description,
        } => export_keys::create_export_key(store, &tenant, description.as_deref()).await,
        ExportKeyCommand::List { tenant } => export_keys::list_export_keys(store, &tenant).await,
        ExportKeyCommand::Revoke { tenant, id } => {
            export_keys::revoke_export_key(store, &tenant, &id).await
        }
    }
}
