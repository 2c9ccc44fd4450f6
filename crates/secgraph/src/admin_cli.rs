//! The admin commands: `secgraph tenant|app|consent|signing-key …`. Each opens (or creates) the
//! store in `--data-dir` (safe beside a running server: SQLite serialises the writes), runs the same
//! operation as the admin HTTP API (`api::admin::ops`) and prints its JSON answer. Commands that
//! change something are recorded in the audit log with actor `cli` (`crate::admin_audit`).

use crate::admin_audit::CliChange;
use crate::cli::CommonArgs;
use crate::config::Config;
use api::admin::ops;
use clap::{Args, Subcommand};
use store::Store;

/// `secgraph tenant …`.
#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// Create a tenant (prints its id).
    Create {
        /// Display name.
        #[arg(long)]
        name: String,
        /// Tenant id (a GUID; default: a new one).
        #[arg(long)]
        id: Option<String>,
    },
    /// List tenants.
    List,
}

/// `secgraph app …`.
#[derive(Debug, Subcommand)]
pub enum AppCommand {
    /// Register an application (prints its client id).
    Create {
        /// Home tenant id.
        #[arg(long)]
        tenant: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// Other tenants may consent to it.
        #[arg(long)]
        multi_tenant: bool,
        /// A permission it requests (repeat), e.g. SecurityAlert.Read.All.
        #[arg(long = "permission", value_name = "NAME")]
        permissions: Vec<String>,
        /// Request every security permission.
        #[arg(long, conflicts_with = "permissions")]
        all_permissions: bool,
    },
    /// List applications with their secrets' ids, hints and expiry.
    List {
        /// Only the applications of this home tenant.
        #[arg(long)]
        tenant: Option<String>,
    },
    /// Add a client secret (printed once; keep it).
    AddSecret {
        /// Client id.
        #[arg(long)]
        client_id: String,
        /// Days until it expires.
        #[arg(long, default_value_t = ops::DEFAULT_SECRET_DAYS)]
        expires_in_days: u32,
    },
    /// Remove a client secret (new tokens are refused at once).
    RemoveSecret {
        /// Client id.
        #[arg(long)]
        client_id: String,
        /// Secret id (from `app list`).
        #[arg(long)]
        secret_id: String,
    },
}

/// `secgraph consent …`.
#[derive(Debug, Subcommand)]
pub enum ConsentCommand {
    /// Grant a tenant's admin consent to an application.
    Grant {
        /// Tenant id.
        #[arg(long)]
        tenant: String,
        /// Client id.
        #[arg(long)]
        client_id: String,
        /// A permission to grant (repeat; default: every permission the app requests).
        #[arg(long = "permission", value_name = "NAME")]
        permissions: Vec<String>,
    },
    /// Revoke a tenant's consent (new tokens are refused at once).
    Revoke {
        /// Tenant id.
        #[arg(long)]
        tenant: String,
        /// Client id.
        #[arg(long)]
        client_id: String,
    },
    /// List consents.
    List {
        /// Only this tenant's consents.
        #[arg(long)]
        tenant: Option<String>,
    },
}

/// `secgraph signing-key …`.
#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Make a new key the active one (earlier keys stay published).
    Rotate,
    /// Retire a key: it leaves the JWKS and its tokens stop verifying (not the active key).
    Retire {
        /// Key id.
        #[arg(long)]
        kid: String,
    },
    /// List keys.
    List,
}

/// `secgraph tenant`.
#[derive(Debug, Args)]
pub struct TenantArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(subcommand)]
    pub command: TenantCommand,
}

/// `secgraph app`.
#[derive(Debug, Args)]
pub struct AppArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(subcommand)]
    pub command: AppCommand,
}

/// `secgraph consent`.
#[derive(Debug, Args)]
pub struct ConsentArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(subcommand)]
    pub command: ConsentCommand,
}

/// `secgraph signing-key`.
#[derive(Debug, Args)]
pub struct KeyArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(subcommand)]
    pub command: KeyCommand,
}

/// Any admin command.
#[derive(Debug)]
pub enum AdminCommand {
    Tenant(TenantCommand),
    App(AppCommand),
    Consent(ConsentCommand),
    Key(KeyCommand),
}

/// Runs an admin command on the store in the configured data directory and prints the result.
pub async fn run(common: &CommonArgs, command: AdminCommand) -> anyhow::Result<()> {
    let config = Config::for_common(common)?;
    let store = config.open_store().await?;
    let audited = CliChange::of(&command);
    let result = execute(&store, command).await;
    if let Some(change) = audited {
        let outcome = result.as_ref().map(Option::as_ref);
        if let Err(e) = change.record(&store, outcome).await {
            eprintln!("warning: the audit record of this command was not written: {e}");
        }
    }
    store.shutdown().await;
    if let Some(out) = result? {
        println!("{}", serde_json::to_string_pretty(&out)?);
    }
    Ok(())
}

async fn execute(
    store: &Store,
    command: AdminCommand,
) -> Result<Option<serde_json::Value>, ops::AdminError> {
    use AdminCommand::*;
    Ok(Some(match command {
        Tenant(TenantCommand::Create { name, id }) => {
            ops::create_tenant(store, &name, id.as_deref()).await?
        }
        Tenant(TenantCommand::List) => ops::list_tenants(store).await?,
        App(cmd) => return app(store, cmd).await,
        Consent(cmd) => return consent(store, cmd).await,
        Key(KeyCommand::Rotate) => ops::rotate_signing_key(store).await?,
        Key(KeyCommand::List) => ops::list_signing_keys(store).await?,
        Key(KeyCommand::Retire { kid }) => {
            ops::retire_signing_key(store, &kid).await?;
            return Ok(None);
        }
    }))
}

async fn app(store: &Store, cmd: AppCommand) -> Result<Option<serde_json::Value>, ops::AdminError> {
    Ok(Some(match cmd {
        AppCommand::Create {
            tenant,
            name,
            multi_tenant,
            permissions,
            all_permissions,
        } => {
            let perms = match all_permissions {
                true => auth::Permission::ALL.to_vec(),
                false => ops::parse_permissions(&permissions)?,
            };
            ops::create_app(store, &tenant, &name, multi_tenant, &perms).await?
        }
        AppCommand::List { tenant } => ops::list_apps(store, tenant.as_deref()).await?,
        AppCommand::AddSecret {
            client_id,
            expires_in_days,
        } => ops::add_secret(store, &client_id, Some(expires_in_days)).await?,
        AppCommand::RemoveSecret {
            client_id,
            secret_id,
        } => {
            ops::remove_secret(store, &client_id, &secret_id).await?;
            return Ok(None);
        }
    }))
}

async fn consent(
    store: &Store,
    cmd: ConsentCommand,
) -> Result<Option<serde_json::Value>, ops::AdminError> {
    Ok(Some(match cmd {
        ConsentCommand::Grant {
            tenant,
            client_id,
            permissions,
        } => {
            let perms = match permissions.is_empty() {
                true => None,
                false => Some(ops::parse_permissions(&permissions)?),
            };
            ops::grant_consent(store, &tenant, &client_id, perms.as_deref()).await?
        }
        ConsentCommand::Revoke { tenant, client_id } => {
            ops::revoke_consent(store, &tenant, &client_id).await?;
            return Ok(None);
        }
        ConsentCommand::List { tenant } => ops::list_consents(store, tenant.as_deref()).await?,
    }))
}
