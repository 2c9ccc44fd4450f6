//! `secgraph indicators …`: threat-indicator administration on the store in `--data-dir` (or
//! `--database`), beside a running server. For now: the export keys that firewalls and proxies
//! use to poll `/secgraph/v1/tiIndicators/export` (`export-key create|list|revoke`). Each command
//! runs the same operation as the admin HTTP API (`api::admin::export_keys`) and prints its JSON.

use crate::cli::CommonArgs;
use crate::config::Config;
use api::admin::export_keys;
use api::admin::AdminError;
use clap::{Args, Subcommand};
use serde_json::Value;
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

/// Runs an indicators command on the configured store and prints the result.
pub async fn run(args: IndicatorsArgs) -> anyhow::Result<()> {
    let config = Config::for_common(&args.common)?;
    let store = config.open_store().await?;
    let result = execute(&store, args.command).await;
    store.shutdown().await;
    println!("{}", serde_json::to_string_pretty(&result?)?);
    Ok(())
}

async fn execute(store: &Store, command: IndicatorsCommand) -> Result<Value, AdminError> {
    let IndicatorsCommand::ExportKey(command) = command;
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
