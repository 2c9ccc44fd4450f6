//! The one typed configuration: defaults, then a TOML file, then `SECGRAPH_*` environment variables,
//! then command-line flags (figment layering). Unknown keys are errors.

mod correlation;
pub mod reference;

pub use correlation::CorrelationConfig;

use crate::cli::{CommonArgs, ServeArgs};
use anyhow::Context;
use figment::providers::{Env, Format, Serialized, Toml};
use figment::value::{Dict, Map, Value};
use figment::{Figment, Metadata, Profile, Provider};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use store::{Database, Store, SystemClock};

/// The keys read from `SECGRAPH_*` environment variables. Other `SECGRAPH_*` variables (used by
/// scripts, e.g. `SECGRAPH_BIN`) are not configuration and are ignored.
const ENV_KEYS: &[&str] = &[
    "listen",
    "data_dir",
    "database_url",
    "public_url",
    "auth",
    "default_tenant",
    "tls_cert",
    "tls_key",
    "max_body_bytes",
    "indicator_batch_limit",
    "strict_graph",
    "allow_insecure_webhooks",
    "emulator",
    "indicator_retention_days",
    "event_retention_days",
    "event_retention_count",
    "detection_window_seconds",
    "secure_score_retention_days",
    "secure_score_interval_seconds",
    "notification_history_days",
    "log",
    "log_format",
    "metrics",
    "metrics_listen",
];

/// The environment keys whose values are numbers; every other key's value is taken as a string.
const ENV_NUMBER_KEYS: &[&str] = &[
    "max_body_bytes",
    "indicator_batch_limit",
    "indicator_retention_days",
    "event_retention_days",
    "event_retention_count",
    "detection_window_seconds",
    "secure_score_retention_days",
    "secure_score_interval_seconds",
    "notification_history_days",
];

/// The environment keys whose values are Booleans (`true`/`false`).
const ENV_BOOL_KEYS: &[&str] = &[
    "strict_graph",
    "allow_insecure_webhooks",
    "metrics",
    "emulator",
];

/// How requests are authenticated.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum AuthMode {
    /// Bearer tokens from this server's token endpoint (the default).
    Token,
    /// Emulator mode: no token checked, every request acts in the default tenant. Loopback only.
    None,
}

/// How log lines are written (to stderr).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines (the default).
    Text,
    /// One JSON object per line (`timestamp`, `level`, `fields`, `target`), for log collectors.
    Json,
}

/// secgraph's configuration.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Listen address.
    pub listen: SocketAddr,
    /// Data directory: the SQLite database (unless `database_url` names another), the admin
    /// credential, demo credentials and generated TLS files.
    pub data_dir: PathBuf,
    /// Where the data lives: `postgres://...` (several nodes may share it) or `sqlite:PATH`; unset
    /// means `secgraph.sqlite` in `data_dir`.
    pub database_url: Option<String>,
    /// Public base URL; derived from `listen` when unset.
    pub public_url: Option<String>,
    /// Authentication mode.
    pub auth: AuthMode,
    /// The tenant `--auth none` maps every request to.
    pub default_tenant: String,
    /// TLS certificate chain (PEM); with `tls_key`, serve HTTPS.
    pub tls_cert: Option<PathBuf>,
    /// TLS private key (PEM).
    pub tls_key: Option<PathBuf>,
    /// Largest accepted request body in bytes.
    pub max_body_bytes: usize,
    /// Most tiIndicators one bulk action (`submitTiIndicators` and the others) may carry; Graph's
    /// limit of 100 applies instead under `strict_graph`.
    pub indicator_batch_limit: usize,
    /// Enforce Microsoft Graph's own limits where secgraph lifts them (100 tiIndicators per bulk
    /// call), for clients that must be tested against exactly what Graph accepts.
    pub strict_graph: bool,
    /// Accept `http` notification URLs on loopback (and deliver to loopback): for development
    /// and tests only.
    pub allow_insecure_webhooks: bool,
    /// Emulator features (`serve --emulator`; `--demo` turns them on too): the per-tenant clock of
    /// the admin API (`docs/emulator.md`).
    #[serde(default)]
    pub emulator: bool,
    /// Hosts that notification URLs may use although they resolve to private or link-local
    /// addresses (`webhook_allowed_hosts = ["hooks.internal"]`).
    #[serde(default)]
    pub webhook_allowed_hosts: Vec<String>,
    /// Days an expired tiIndicator is kept (still readable through the API, matching nothing)
    /// before the sweeper deletes it.
    pub indicator_retention_days: u32,
    /// Days submitted events are kept for back-matching new indicators (0: not kept).
    pub event_retention_days: u32,
    /// Most events kept per tenant for back-matching, oldest dropped first (0: not kept).
    pub event_retention_count: u64,
    /// Length of the detection window: one alert per indicator and matched value per window.
    pub detection_window_seconds: u32,
    /// Days of secure-score snapshots kept per tenant (today counts; 0 keeps all).
    pub secure_score_retention_days: u32,
    /// Seconds between runs of the secure-score snapshot job (0 turns it off).
    pub secure_score_interval_seconds: u64,
    /// Days delivered change notifications are kept for replays
    /// (`POST /secgraph/v1/subscriptions/{id}/replay`); 0 keeps them only until the next sweep.
    pub notification_history_days: u32,
    /// `tracing` filter, e.g. `info` or `secgraph=debug,info`.
    pub log: String,
    /// Log line format: `text` (human-readable) or `json` (one JSON object per line).
    pub log_format: LogFormat,
    /// Serve Prometheus metrics at `GET /metrics` (unauthenticated, no tenant data): on the API's
    /// listener, or on `metrics_listen` when that is set; `false` serves none.
    pub metrics: bool,
    /// A listen address of its own for `/metrics` (and `/healthz`), e.g. `127.0.0.1:9090`, so that
    /// metrics need not be reachable where the API is; the API's listener then serves no metrics.
    pub metrics_listen: Option<SocketAddr>,
    /// Built-in connectors: product logs secgraph follows and turns into alerts
    /// (`[[connectors]]` tables of the configuration file).
    #[serde(default)]
    pub connectors: Vec<ConnectorConfig>,
    /// How alerts are correlated into incidents (`[correlation]`, with per-tenant
    /// `[correlation.tenants."<id>"]`).
    #[serde(default)]
    pub correlation: CorrelationConfig,
    /// Request throttling per application per tenant (`[throttle]`, see `docs/throttling.md`):
    /// Graph's published limits by default, overridable per tenant and application.
    #[serde(default)]
    #[schemars(with = "serde_json::Value")]
    pub throttle: api::throttle::ThrottleConfig,
}

/// One followed file (`[[connectors]]`): `kind = "suricata"`, `path = "/var/log/suricata/eve.json"`,
/// `tenant = "<tenant id>"`, optionally `checkpoint = "<file>"` (default: under the data
/// directory's `connectors/`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConnectorConfig {
    /// Which product writes the file: `suricata` (EVE JSON) or `wazuh` (`alerts.json`).
    #[schemars(with = "String")]
    pub kind: connectors::ConnectorKind,
    /// The file to follow (it may not exist yet; rotation is followed).
    pub path: PathBuf,
    /// The tenant its alerts belong to (it must exist).
    pub tenant: String,
    /// Where the read offset is kept.
    #[serde(default)]
    pub checkpoint: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./secgraph-data"),
            database_url: None,
            public_url: None,
            auth: AuthMode::Token,
            default_tenant: demo::DEMO_TENANT_ID.to_owned(),
            tls_cert: None,
            tls_key: None,
            max_body_bytes: api::state::DEFAULT_MAX_BODY_BYTES,
            indicator_batch_limit: api::state::DEFAULT_INDICATOR_BATCH_LIMIT,
            strict_graph: false,
            allow_insecure_webhooks: false,
            emulator: false,
            webhook_allowed_hosts: Vec::new(),
            indicator_retention_days: 30,
            event_retention_days: 7,
            event_retention_count: 1_000_000,
            detection_window_seconds: 3600,
            secure_score_retention_days: 90,
            secure_score_interval_seconds: 3600,
            notification_history_days: 7,
            log: "info".to_owned(),
            log_format: LogFormat::Text,
            metrics: true,
            metrics_listen: None,
            connectors: Vec::new(),
            correlation: CorrelationConfig::default(),
            throttle: api::throttle::ThrottleConfig::default(),
        }
    }
}

impl Config {
    /// Which notification URLs subscriptions may use.
    pub fn webhook_policy(&self) -> outbound::WebhookPolicy {
        outbound::WebhookPolicy {
            allow_insecure: self.allow_insecure_webhooks,
            allowed_hosts: self.webhook_allowed_hosts.clone(),
        }
    }

    /// Layers defaults < file < environment < `serve` flags, and checks the throttle limits.
    pub fn for_serve(args: &ServeArgs) -> anyhow::Result<Config> {
        let mut config = Self::layered(&args.common, Serialized::defaults(args))?;
        if args.no_throttle {
            config.throttle.enabled = false;
        }
        config
            .throttle
            .validate()
            .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
        Ok(config)
    }

    /// Layers defaults < file < environment < common flags.
    pub fn for_common(args: &CommonArgs) -> anyhow::Result<Config> {
        Self::layered(args, Serialized::defaults(args))
    }

    fn layered<T: Serialize>(common: &CommonArgs, flags: Serialized<T>) -> anyhow::Result<Config> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        if let Some(file) = &common.config {
            anyhow::ensure!(
                file.exists(),
                "configuration file {} does not exist",
                file.display()
            );
            fig = fig.merge(Toml::file(file));
        }
        fig.merge(EnvVars)
            .merge(flags)
            .extract()
            .context("invalid configuration")
    }

    /// The database: `database_url`, or `secgraph.sqlite` in the data directory.
    pub fn database(&self) -> anyhow::Result<Database> {
        match &self.database_url {
            Some(url) => Ok(Database::parse(url)?),
            None => Ok(Database::Sqlite(self.data_dir.join("secgraph.sqlite"))),
        }
    }

    /// Creates the data directory and opens (migrating) the configured store, with the
    /// `[correlation]` settings (incident web URLs under the public URL the listen address
    /// implies; `serve` sets the bound one). Opening PostgreSQL connects and migrates, which
    /// blocks, so it runs on the blocking pool.
    pub async fn open_store(&self) -> anyhow::Result<Store> {
        let public_url = self.public_url_for(self.listen, self.tls_cert.is_some());
        let correlation = self.correlation.settings(&public_url)?;
        std::fs::create_dir_all(&self.data_dir)
            .with_context(|| format!("cannot create data directory {}", self.data_dir.display()))?;
        let database = self.database()?;
        let shown = database.to_string();
        let store =
            tokio::task::spawn_blocking(move || Store::open(&database, Arc::new(SystemClock)))
                .await
                .context("the store's opening task failed")?
                .with_context(|| format!("cannot open the store at {shown}"))?;
        store.correlation().configure(correlation);
        Ok(store)
    }

    /// The public base URL without a trailing `/`: configured, or `http(s)://{bound}`.
    pub fn public_url_for(&self, bound: SocketAddr, tls: bool) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None if tls => format!("https://{bound}"),
            None => format!("http://{bound}"),
        }
    }

    /// Where `connector` keeps its read offset: as configured, or a file under the data
    /// directory's `connectors/` named after the kind and a hash of the path.
    pub fn checkpoint_path(&self, connector: &ConnectorConfig) -> PathBuf {
        if let Some(p) = &connector.checkpoint {
            return p.clone();
        }
        // FNV-1a: stable across builds, so the file is found again after an upgrade.
        let hash = connector
            .path
            .to_string_lossy()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
        let name = format!("{}-{hash:016x}.checkpoint", connector.kind.name());
        self.data_dir.join("connectors").join(name)
    }

    /// The admin credential file.
    pub fn admin_token_path(&self) -> PathBuf {
        self.data_dir.join("admin-token")
    }
}

/// The `SECGRAPH_*` configuration variables, typed by key: numbers for [`ENV_NUMBER_KEYS`],
/// Booleans for [`ENV_BOOL_KEYS`], strings verbatim otherwise. figment's `Env` guesses each value's type, so `SECGRAPH_DEFAULT_TENANT=12345` or
/// `SECGRAPH_DATA_DIR=2024` became a number and the configuration failed to load.
struct EnvVars;

impl Provider for EnvVars {
    fn metadata(&self) -> Metadata {
        Metadata::named("`SECGRAPH_` environment variable(s)").interpolater(
            |_: &Profile, keys: &[&str]| {
                format!("SECGRAPH_{}", keys.join(".").to_ascii_uppercase())
            },
        )
    }

    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        let dict: Dict = Env::prefixed("SECGRAPH_")
            .only(ENV_KEYS)
            .iter()
            .map(|(key, text)| {
                let key_str = key.as_str();
                let value = match (text.trim().parse::<u64>(), text.trim().parse::<bool>()) {
                    (Ok(n), _) if ENV_NUMBER_KEYS.contains(&key_str) => Value::from(n),
                    (_, Ok(b)) if ENV_BOOL_KEYS.contains(&key_str) => Value::from(b),
                    _ => Value::from(text.as_str()),
                };
                (key.as_str().to_owned(), value)
            })
            .collect();
        Ok(Profile::Default.collect(dict))
    }
}
