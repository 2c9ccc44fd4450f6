//! `secgraph secure-score …`: the control catalogue, a tenant's settings, control states reported
//! by an administrator (for tenants without providers), and snapshots computed on demand — on the
//! store in `--data-dir` (or `--database`), beside a running server. Each command runs the same
//! operation as the admin HTTP API (`api::admin::secure_score_ops`) and prints its JSON.

use crate::cli::CommonArgs;
use crate::config::Config;
use anyhow::Context;
use api::admin::secure_score_ops::{self as ops, SettingsChange};
use clap::{Args, Subcommand};
use serde_json::{json, Value};
use std::path::PathBuf;
use store::Store;

/// `secgraph secure-score`.
#[derive(Debug, Args)]
pub struct SecureScoreArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(subcommand)]
    pub command: SecureScoreCommand,
}

/// `secgraph secure-score …`.
#[derive(Debug, Subcommand)]
pub enum SecureScoreCommand {
    /// Print the control catalogue (every control with how it is measured and its CIS and ATT&CK
    /// mappings). Needs no store.
    Catalogue,
    /// Show a tenant's settings, changing the ones given first.
    Settings {
        /// Tenant id.
        #[arg(long)]
        tenant: String,
        /// Licensed users (the TotalSeats comparison).
        #[arg(long, value_name = "N")]
        licensed_users: Option<i32>,
        /// Active users.
        #[arg(long, value_name = "N")]
        active_users: Option<i32>,
        /// Industry (the IndustryTypes comparison); an empty string clears it.
        #[arg(long)]
        industry: Option<String>,
    },
    /// Report control states for a tenant: from a JSON file ({"controls": [...]}, the provider
    /// protocol's control entries) or one control from the flags.
    Report {
        /// Tenant id.
        #[arg(long)]
        tenant: String,
        /// A JSON file of control states.
        #[arg(long, value_name = "FILE", conflicts_with = "control")]
        file: Option<PathBuf>,
        /// The control name (see `secure-score catalogue`).
        #[arg(long, required_unless_present = "file")]
        control: Option<String>,
        /// Default, Ignored, ThirdParty or Reviewed.
        #[arg(long, default_value = "Default")]
        state: String,
        /// Points earned out of --max-score.
        #[arg(long, default_value_t = 0.0)]
        score: f64,
        /// The scale of --score (e.g. 100 to give a percentage).
        #[arg(long, default_value_t = 100.0)]
        max_score: f64,
        /// Items still falling short.
        #[arg(long, value_name = "N")]
        affected: Option<u64>,
    },
    /// List the control states reported for a tenant (by providers and administrators).
    States {
        /// Tenant id.
        #[arg(long)]
        tenant: String,
    },
    /// Compute today's snapshot now: of one tenant, or of every tenant (then snapshots older than
    /// `secure_score_retention_days` are deleted).
    Snapshot {
        /// Tenant id (every tenant when absent).
        #[arg(long)]
        tenant: Option<String>,
    },
}

/// Runs a secure-score command and prints its JSON.
pub async fn run(args: SecureScoreArgs) -> anyhow::Result<()> {
    if let SecureScoreCommand::Catalogue = args.command {
        println!("{}", serde_json::to_string_pretty(&ops::catalogue()?)?);
        return Ok(());
    }
    let config = Config::for_common(&args.common)?;
    let store = config.open_store().await?;
    let result = execute(&store, &config, args.command).await;
    store.shutdown().await;
    println!("{}", serde_json::to_string_pretty(&result?)?);
    Ok(())
}

async fn execute(store: &Store, config: &Config, cmd: SecureScoreCommand) -> anyhow::Result<Value> {
    use SecureScoreCommand::*;
    Ok(match cmd {
        Catalogue => ops::catalogue()?,
        Settings {
            tenant,
            licensed_users,
            active_users,
            industry,
        } => {
            let change = SettingsChange {
                licensed_user_count: licensed_users.map(Some),
                active_user_count: active_users.map(Some),
                industry: industry.map(|s| Some(s).filter(|s| !s.trim().is_empty())),
            };
            ops::update_settings(store, &tenant, change).await?
        }
        Report {
            tenant,
            file,
            control,
            state,
            score,
            max_score,
            affected,
        } => {
            let body = match (file, control) {
                (Some(path), _) => read_json(&path)?,
                (None, Some(name)) => json!({"controls": [{"controlName": name, "state": state,
                    "score": score, "maxScore": max_score, "affectedItemCount": affected}]}),
                (None, None) => anyhow::bail!("give --file or --control"),
            };
            ops::report_control_states(store, &tenant, body).await?
        }
        States { tenant } => ops::control_states(store, &tenant).await?,
        Snapshot { tenant: Some(t) } => ops::compute_snapshot(store, &t).await?,
        Snapshot { tenant: None } => {
            ops::compute_all(store, config.secure_score_retention_days).await?
        }
    })
}

fn read_json(path: &std::path::Path) -> anyhow::Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
}
