//! The `secgraph` binary: wiring only. Parses the command line and runs a command.

mod cli;
mod config;
mod demo_load;
mod import;
mod logging;
mod serve;

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    let result = match cli.command {
        cli::Command::Serve(args) => serve::run(args).await,
        cli::Command::Import(args) => import::run(args).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("secgraph: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
