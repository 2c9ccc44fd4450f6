//! `secgraph provider …`: the provider registry on the store in `--data-dir` (or `--database`),
//! beside a running server. Each command runs the same operation as the admin HTTP API
//! (`api::admin::provider_ops`) and prints its JSON; `register` and `rotate-secret` print the
//! signing secret once.

use crate::cli::CommonArgs;
use crate::config::Config;
use anyhow::Context;
use api::admin::provider_ops as ops;
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};
use store::Store;

/// `secgraph provider`.
#[derive(Debug, Args)]
pub struct ProviderArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(subcommand)]
    pub command: ProviderCommand,
}

/// `secgraph provider …`.
#[derive(Debug, Subcommand)]
pub enum ProviderCommand {
    /// Register a provider: the vendor's application plus its manifest (prints the signing
    /// secret once; hand it to the vendor).
    Register {
        /// Client id of the vendor's (multi-tenant) application (`secgraph app list`).
        #[arg(long)]
        client_id: String,
        /// The manifest JSON file (docs/provider-protocol.md).
        #[arg(long, value_name = "FILE")]
        manifest: PathBuf,
        /// Allow secgraph to call the provider on private, loopback or link-local addresses.
        #[arg(long)]
        allow_private_addresses: bool,
    },
    /// List registered providers.
    List,
    /// Show one provider.
    Show {
        /// Provider id.
        #[arg(long)]
        id: String,
    },
    /// Replace a provider's manifest (its name may not change).
    Update {
        /// Provider id.
        #[arg(long)]
        id: String,
        /// The manifest JSON file.
        #[arg(long, value_name = "FILE")]
        manifest: PathBuf,
        /// Allow or refuse private, loopback and link-local callback addresses.
        #[arg(long)]
        allow_private_addresses: Option<bool>,
    },
    /// Start a signing-secret rotation (prints the new secret; the old one stays active until
    /// `retire-secrets`).
    RotateSecret {
        /// Provider id.
        #[arg(long)]
        id: String,
    },
    /// End a rotation: only the newest secret stays active.
    RetireSecrets {
        /// Provider id.
        #[arg(long)]
        id: String,
    },
    /// Remove a provider.
    Delete {
        /// Provider id.
        #[arg(long)]
        id: String,
    },
    /// Each provider's health and freshness in a tenant.
    Health {
        /// Tenant id.
        #[arg(long)]
        tenant: String,
    },
    /// Exercise a provider's endpoints as secgraph calls them and report what it gets wrong
    /// (signatures, replays, envelopes, idempotency, actions). Needs no store; exits non-zero
    /// when a check fails. It invokes the manifest's actions for real, with documentation values
    /// (e.g. 192.0.2.1): point it at a test instance.
    Check {
        /// The provider's callbackBaseUrl, e.g. https://fw.example/secgraph.
        url: String,
        /// The signing secret the provider was given (env SECGRAPH_PROVIDER_SECRET).
        #[arg(long, env = "SECGRAPH_PROVIDER_SECRET", hide_env_values = true)]
        secret: String,
        /// The tenant id sent in bodies and queries.
        #[arg(long, default_value = provider_sdk::check::DEFAULT_TENANT)]
        tenant: String,
        /// The provider's manifest: adds the action checks and, by its mode, pull or federated.
        #[arg(long, value_name = "FILE")]
        manifest: Option<PathBuf>,
        /// Seconds one call may take.
        #[arg(long, default_value_t = 10)]
        timeout_secs: u64,
    },
}

/// Runs a provider command on the configured store and prints the result.
pub async fn run(args: ProviderArgs) -> anyhow::Result<()> {
    if let ProviderCommand::Check {
        url,
        secret,
        tenant,
        manifest,
        timeout_secs,
    } = args.command
    {
        return check(url, secret, tenant, manifest, timeout_secs).await;
    }
    let config = Config::for_common(&args.common)?;
    let store = config.open_store().await?;
    let result = execute(&store, args.command).await;
    store.shutdown().await;
    if let Some(out) = result? {
        println!("{}", serde_json::to_string_pretty(&out)?);
    }
    Ok(())
}

async fn execute(store: &Store, cmd: ProviderCommand) -> anyhow::Result<Option<serde_json::Value>> {
    use ProviderCommand::*;
    Ok(Some(match cmd {
        Register {
            client_id,
            manifest,
            allow_private_addresses,
        } => {
            let m = read_manifest(&manifest)?;
            ops::register_provider(store, &client_id, m, allow_private_addresses).await?
        }
        List => ops::list_providers(store).await?,
        Show { id } => ops::get_provider(store, &id).await?,
        Update {
            id,
            manifest,
            allow_private_addresses,
        } => {
            let m = read_manifest(&manifest)?;
            ops::update_provider(store, &id, m, allow_private_addresses).await?
        }
        RotateSecret { id } => ops::rotate_provider_secret(store, &id).await?,
        RetireSecrets { id } => ops::retire_provider_secrets(store, &id).await?,
        Delete { id } => {
            ops::delete_provider(store, &id).await?;
            return Ok(None);
        }
        Health { tenant } => ops::provider_health(store, &tenant).await?,
        Check { .. } => anyhow::bail!("`provider check` does not use the store"),
    }))
}

/// `secgraph provider check`: runs the conformance kit and prints its report.
async fn check(
    url: String,
    secret: String,
    tenant: String,
    manifest: Option<PathBuf>,
    timeout_secs: u64,
) -> anyhow::Result<()> {
    let manifest = match manifest {
        Some(path) => Some(
            serde_json::from_value(read_manifest(&path)?)
                .with_context(|| format!("{} is not a provider manifest", path.display()))?,
        ),
        None => None,
    };
    let mut options = provider_sdk::check::CheckOptions::new(url, secret);
    options.tenant_id = tenant;
    options.manifest = manifest;
    options.timeout = std::time::Duration::from_secs(timeout_secs.max(1));
    let report = provider_sdk::check::run(options).await;
    println!("{report}");
    anyhow::ensure!(
        report.passed(),
        "the provider failed {} check(s)",
        report.failures().count()
    );
    Ok(())
}

fn read_manifest(path: &Path) -> anyhow::Result<serde_json::Value> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the manifest {}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("the manifest {} is not JSON", path.display()))
}
