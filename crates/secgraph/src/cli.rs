//! The command line: `serve`, `import`, `migrate`, `correlate`, and the admin commands (`tenant`,
//! `app`, `consent`, `signing-key`). Flags override the configuration file and the environment.

use clap::{Args, Parser, Subcommand};
use serde::Serialize;
use std::net::SocketAddr;
use std::path::PathBuf;

/// secgraph: a self-hostable Microsoft Graph Security API.
#[derive(Debug, Parser)]
#[command(name = "secgraph", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the Graph API.
    Serve(ServeArgs),
    /// Load alerts from an NDJSON file or a JSON array (alerts_v2 or legacy shape) into a tenant.
    Import(ImportArgs),
    /// Create and list tenants.
    Tenant(crate::admin_cli::TenantArgs),
    /// Register applications and manage their client secrets.
    App(crate::admin_cli::AppArgs),
    /// Grant, revoke and list tenants' admin consent to applications.
    Consent(crate::admin_cli::ConsentArgs),
    /// Rotate and list the token signing keys.
    SigningKey(crate::admin_cli::KeyArgs),
    /// Threat-indicator administration: the export keys devices poll indicator lists with.
    Indicators(crate::indicators_cli::IndicatorsArgs),
    /// Register providers (third-party products that push alerts and offer actions), rotate
    /// their signing secrets, see their health.
    Provider(crate::provider_cli::ProviderArgs),
    /// Secure score: the control catalogue, tenants' settings, control states for tenants
    /// without providers, snapshots on demand.
    SecureScore(crate::secure_score_cli::SecureScoreArgs),
    /// Move a whole deployment to another database (e.g. SQLite to PostgreSQL) and verify the copy.
    Migrate(MigrateArgs),
    /// The configuration: `print-default` prints every key with its default, commented.
    Config(crate::config::reference::ConfigArgs),
    /// Incidents: `--rebuild` recomputes a tenant's correlation from scratch and reports (and,
    /// unless `--dry-run`, applies) the differences.
    Correlate(crate::correlate_cli::CorrelateArgs),
}

/// Settings shared by every command that opens the store.
#[derive(Debug, Args, Serialize, Default)]
pub struct CommonArgs {
    /// TOML configuration file (defaults < file < SECGRAPH_* environment < flags).
    #[arg(long, value_name = "FILE", global = true)]
    #[serde(skip)]
    pub config: Option<PathBuf>,
    /// Data directory: the SQLite database unless --database names another, the admin
    /// credential, demo credentials and generated TLS files (env SECGRAPH_DATA_DIR; default
    /// ./secgraph-data).
    #[arg(long, value_name = "DIR", global = true)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    /// The database: postgres://USER@HOST:PORT/DB (several nodes may share it) or sqlite:PATH
    /// (env SECGRAPH_DATABASE_URL; default secgraph.sqlite in the data directory).
    #[arg(
        long = "database",
        alias = "database-url",
        value_name = "URL",
        global = true
    )]
    #[serde(skip_serializing_if = "Option::is_none", rename = "database_url")]
    pub database: Option<String>,
}

/// `secgraph serve`.
#[derive(Debug, Args, Serialize, Default)]
pub struct ServeArgs {
    #[command(flatten)]
    #[serde(flatten)]
    pub common: CommonArgs,
    /// Address to listen on (env SECGRAPH_LISTEN; default 127.0.0.1:8080; port 0 picks a free port).
    #[arg(long, value_name = "ADDR")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<SocketAddr>,
    /// Public base URL for @odata.context and @odata.nextLink (behind a reverse proxy).
    #[arg(long, value_name = "URL")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    /// Authentication: `token` (default; bearer tokens from /{tenant}/oauth2/v2.0/token) or `none`
    /// (emulator: no token checked, loopback only).
    #[arg(long, value_name = "MODE")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth: Option<crate::config::AuthMode>,
    /// TLS certificate chain, PEM (env SECGRAPH_TLS_CERT); with --tls-key, serve HTTPS (HTTP/1.1 and HTTP/2).
    #[arg(
        long,
        value_name = "FILE",
        requires = "tls_key",
        conflicts_with = "tls"
    )]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_cert: Option<PathBuf>,
    /// TLS private key, PEM (env SECGRAPH_TLS_KEY).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_key: Option<PathBuf>,
    /// Serve HTTPS with a certificate for localhost/127.0.0.1 generated into the data directory.
    #[arg(long)]
    #[serde(skip)]
    pub tls: bool,
    /// Most tiIndicators per bulk action (env SECGRAPH_INDICATOR_BATCH_LIMIT; default 10000).
    #[arg(long, value_name = "N")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator_batch_limit: Option<usize>,
    /// Enforce Microsoft Graph's own limits where secgraph lifts them (100 tiIndicators per bulk
    /// action) (env SECGRAPH_STRICT_GRAPH=true).
    #[arg(long)]
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub strict_graph: bool,
    /// Accept http notification URLs on loopback and deliver to them (development and tests
    /// only; env SECGRAPH_ALLOW_INSECURE_WEBHOOKS=true).
    #[arg(long)]
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub allow_insecure_webhooks: bool,
    /// Log line format: `text` or `json` (env SECGRAPH_LOG_FORMAT; default text).
    #[arg(long, value_name = "FORMAT")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_format: Option<crate::config::LogFormat>,
    /// Serve /metrics on this address instead of the API's listener (env SECGRAPH_METRICS_LISTEN).
    #[arg(long, value_name = "ADDR")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics_listen: Option<SocketAddr>,
    /// Emulator features for testing Graph integrations: the per-tenant clock of the admin API
    /// (`/secgraph/admin/v1/tenants/{id}/clock`); `--demo` turns them on too (env
    /// SECGRAPH_EMULATOR=true).
    #[arg(long)]
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub emulator: bool,
    /// Turn request throttling off (Graph's per-app limits and any `[throttle]` settings), e.g.
    /// for load tests.
    #[arg(long)]
    #[serde(skip)]
    pub no_throttle: bool,
    /// Load the deterministic demo tenant, app and credentials (idempotent).
    #[arg(long)]
    #[serde(skip)]
    pub demo: bool,
    /// Anchor of the demo's 30-day window (RFC 3339 date-time or YYYY-MM-DD; default: today, UTC).
    #[arg(long, value_name = "TIME")]
    #[serde(skip)]
    pub demo_anchor: Option<String>,
    /// Number of demo alerts (default 640; the benchmarks use 1,000,000).
    #[arg(long, value_name = "N")]
    #[serde(skip)]
    pub demo_count: Option<usize>,
    /// Seed of the demo generator.
    #[arg(long, value_name = "SEED")]
    #[serde(skip)]
    pub demo_seed: Option<u64>,
}

/// `secgraph import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Tenant id to import into (created if it does not exist).
    #[arg(long)]
    pub tenant: String,
    /// NDJSON (one alert per line), a JSON array of alerts, or a Graph page ({"value": [...]}).
    pub file: PathBuf,
    /// Alerts per write transaction.
    #[arg(long, default_value_t = 1000)]
    pub batch: usize,
}

/// `secgraph migrate`. Both databases are required: moving data never falls back to the configured
/// database.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The database to copy from (only read): sqlite:PATH or postgres://USER@HOST:PORT/DB.
    #[arg(long, value_name = "DB")]
    pub from: String,
    /// The database to copy into: sqlite:PATH or postgres://...; it must hold no tenants or
    /// applications unless --force.
    #[arg(long, value_name = "DB")]
    pub to: String,
    /// Migrate even into a target that holds data: everything in it is deleted first.
    #[arg(long)]
    pub force: bool,
    /// Rows per read and per write transaction.
    #[arg(long, value_name = "N", default_value_t = store::transfer::DEFAULT_BATCH, value_parser = positive)]
    pub batch: usize,
}

/// A whole number of at least 1.
fn positive(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("'{s}' is not a whole number of at least 1")),
    }
}
