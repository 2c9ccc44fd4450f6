//! `firewall-provider`: an example secgraph provider built with `provider-sdk`. It serves the
//! provider endpoints under `/secgraph` (its manifest's `callbackBaseUrl` is
//! `http://ADDR/secgraph`) and its own admin surface (`/blocklist`, `/observe`) at the root.
//! This file is wiring; see the modules for what each part does.

mod admin;
mod alerts;
mod args;
mod blocklist;
mod firewall;
mod state_file;
mod status_report;

use axum::Router;
use clap::Parser;
use provider_sdk::SecgraphClient;
use std::error::Error;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

/// The path the provider endpoints are served under.
pub const PROVIDER_PATH: &str = "/secgraph";

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    match run(args::Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("firewall-provider: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: args::Args) -> Result<(), Box<dyn Error>> {
    std::fs::create_dir_all(&args.state_dir)?;
    let blocklist = blocklist::BlockList::open(&args.state_dir)?;
    let alerts = alerts::AlertBook::open(&args.state_dir)?;
    let client = SecgraphClient::new(
        &args.secgraph,
        &args.tenant,
        &args.client_id,
        &args.client_secret,
    )?;
    let firewall = Arc::new(firewall::Firewall::new(blocklist, alerts, client));
    let provider = provider_sdk::router(Arc::clone(&firewall), args.signing_secret)?;
    let app = Router::new()
        .nest(PROVIDER_PATH, provider)
        .merge(admin::router(firewall));
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let mut stdout = std::io::stdout();
    writeln!(stdout, "listening on http://{}", listener.local_addr()?)?;
    stdout.flush()?;
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await?;
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
