//! The `secgraph` binary: wiring only. Parses the command line and runs a command.

mod admin_cli;
mod admin_credential;
mod announce;
mod cli;
mod config;
mod demo_identity;
mod demo_load;
mod import;
mod indicator_import;
mod indicators_cli;
mod listen;
mod logging;
mod migrate;
mod private_file;
mod serve;
mod tls;

use admin_cli::AdminCommand;
use clap::Parser;

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
        cli::Command::Indicators(args) => indicators_cli::run(args).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("secgraph: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
