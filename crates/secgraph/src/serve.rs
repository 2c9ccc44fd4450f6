//! `secgraph serve`: open the store, load the demo tenant when asked, bind, serve until SIGINT/SIGTERM,
//! then finish in-flight requests and flush the store.

use crate::cli::ServeArgs;
use crate::config::{AuthMode, Config};
use crate::demo_load;
use anyhow::Context;
use api::{ApiConfig, AppState, Authenticator};
use model::TenantId;
use std::net::SocketAddr;
use std::sync::Arc;
use store::{Store, SystemClock};
use tokio::net::TcpListener;

/// Runs the server until a shutdown signal.
pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let config = Config::for_serve(&args)?;
    crate::logging::init(&config.log);
    check_auth(&config)?;
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create data directory {}", config.data_dir.display()))?;
    let store = Store::open_sqlite(&config.database_path(), Arc::new(SystemClock))
        .with_context(|| format!("cannot open the store in {}", config.data_dir.display()))?;
    let tenant = TenantId(config.default_tenant.clone());
    let demo = if args.demo {
        Some(demo_load::load(&store, &args, &tenant).await?)
    } else {
        None
    };
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let bound = listener.local_addr()?;
    let public_url = config.public_url_for(bound);
    let mut api_config = ApiConfig::new(public_url.clone());
    api_config.max_body_bytes = config.max_body_bytes;
    let auth = match config.auth {
        AuthMode::None => Authenticator::None { tenant },
    };
    let state = AppState::new(store.clone(), api_config, auth);
    let shutdown = shutdown_signal()?;
    announce(bound, &public_url, demo.as_ref());
    let service = api::service(state);
    axum::serve(
        listener,
        axum::ServiceExt::<axum::extract::Request>::into_make_service(service),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .context("server error")?;
    tracing::info!("in-flight requests finished; flushing the store");
    store.shutdown().await;
    Ok(())
}

/// `--auth none` serves without checking tokens, so it may only listen on loopback.
fn check_auth(config: &Config) -> anyhow::Result<()> {
    match config.auth {
        AuthMode::None => {
            anyhow::ensure!(
                config.listen.ip().is_loopback(),
                "--auth none refuses to listen on {} (not a loopback address): without authentication anyone who can reach the port could read and change every alert",
                config.listen
            );
            tracing::warn!(
                "AUTHENTICATION IS OFF (--auth none): every request acts in tenant {} with every permission. For local emulation only.",
                config.default_tenant
            );
            Ok(())
        }
    }
}

fn announce(bound: SocketAddr, public_url: &str, demo: Option<&demo_load::Loaded>) {
    tracing::info!(%bound, %public_url, "secgraph is listening");
    // The bound address, not the public URL: with port 0 and a reverse proxy in front, this line is
    // the only place the chosen port is shown.
    println!(
        "secgraph listening on http://{bound} (Graph roots: {public_url}/v1.0 and {public_url}/beta)"
    );
    if let Some(d) = demo {
        println!(
            "demo tenant {} loaded: {} alerts ({} new, {} unchanged), anchor {}",
            d.tenant, d.total, d.created, d.unchanged, d.anchor
        );
    }
    println!("try: curl -s '{public_url}/v1.0/security/alerts_v2?$filter=severity%20eq%20%27high%27%20and%20status%20eq%20%27new%27&$top=5&$count=true'");
}

/// Registers the SIGINT and SIGTERM handlers now, before the listening line is printed, and returns
/// a future that resolves at the first of them. Registering lazily (when the server first polls the
/// future) left a window after the announcement in which a signal took its default action and killed
/// the process without finishing in-flight requests or flushing the store.
#[cfg(unix)]
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot listen for SIGINT")?;
    let mut terminate = signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {},
            _ = terminate.recv() => {},
        }
        tracing::info!("shutdown signal received; finishing in-flight requests");
    })
}

/// Resolves at Ctrl-C (the only shutdown signal outside Unix).
#[cfg(not(unix))]
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
        tracing::info!("shutdown signal received; finishing in-flight requests");
    })
}
