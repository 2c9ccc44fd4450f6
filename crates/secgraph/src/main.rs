//! The `secgraph` binary: wiring only. Parses the command line and runs a command.

mod admin_audit;
mod admin_cli;
mod admin_credential;
mod announce;
mod cli;
mod config;
mod correlate_cli;
mod demo_identity;
mod demo_load;
mod demo_secure_score;
mod import;
mod indicator_import;
mod indicators_cli;
mod listen;
mod logging;
mod migrate;
mod private_file;
mod provider_cli;
mod secure_score_cli;
mod secure_score_job;
mod serve;
mod tls;
mod workers;

use admin_cli::AdminCommand;
use clap::Parser;

/// mimalloc instead of glibc's allocator. Profiles of the server spent 30 % of a bulk submit and
/// 11 % of a list request in glibc's malloc and free (arena locking, chunk consolidation); with
/// mimalloc the events endpoint serves 1.6-2x the events per second (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    let result = match cli.command {
        cli::Command::Serve(args) => serve::run(args).await,
        cli::Command::Import(args) => import::run(args).await,
        cli::Command::Tenant(a) => admin_cli::run(&a.common, AdminCommand::Tenant(a.command)).await,
        cli::Command::App(a) => admin_cli::run(&a.common, AdminCommand::App(a.command)).await,
        cli::Command::Consent(a) => {
            admin_cli::run(&a.common, AdminCommand::Consent(a.command)).await
        }
        cli::Command::SigningKey(a) => {
            admin_cli::run(&a.common, AdminCommand::Key(a.command)).await
        }
        cli::Command::Migrate(args) => migrate::run(args).await,
        cli::Command::Correlate(args) => correlate_cli::run(args).await,
        cli::Command::Config(args) => config::reference::run(&args),
        cli::Command::Provider(args) => provider_cli::run(args).await,
        cli::Command::Indicators(args) => indicators_cli::run(args).await,
        cli::Command::SecureScore(args) => secure_score_cli::run(args).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("secgraph: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
