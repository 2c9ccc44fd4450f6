//! `secgraph serve`: open the store, bind (in cleartext or TLS), load the demo tenant and its
//! credentials when asked, serve until SIGINT/SIGTERM, then finish in-flight requests and flush the
//! store.

use crate::cli::ServeArgs;
use crate::config::{AuthMode, Config};
use crate::tls::{self, TlsSource};
use crate::{admin_credential, announce, demo_identity, demo_load, listen};
use anyhow::Context;
use api::admin::AdminCredential;
use api::{ApiConfig, AppState, Authenticator, Identity};
use model::TenantId;
use store::Store;
use tokio::net::TcpListener;

/// Runs the server until a shutdown signal.
pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let config = Config::for_serve(&args)?;
    crate::logging::init_with(&config.log, config.log_format);
    check_auth(&config)?;
    let store = config.open_store().await?;
    if config.auth == AuthMode::None && !args.demo {
        // Every request acts in this tenant, so it must exist (writes would fail on it otherwise).
        let tenant = TenantId(config.default_tenant.clone());
        store.ensure_tenant(&tenant, &config.default_tenant).await?;
    }
    if config.emulator || args.demo {
        // Emulator mode: tenants' clocks may be set through the admin API.
        store.enable_tenant_clocks().await?;
    }
    let indicators = store::IndicatorIndex::start(&store)
        .await
        .context("cannot load the threat indicators")?;
    indicators.set_detection_window(i64::from(config.detection_window_seconds));
    tokio::spawn(sweep_expired_indicators(store.clone(), config.clone()));
    let tls = match tls_source(&config, &args) {
        Some(source) => Some(tls::load(&source, &config.data_dir).await?),
        None => None,
    };
    let admin = admin_credential::ensure(&config.admin_token_path())?;
    let tenant = TenantId(config.default_tenant.clone());
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let bound = listener.local_addr()?;
    let public_url = config.public_url_for(bound, tls.is_some());
    // Incidents link to the address actually served, so this is set before the demo is loaded.
    store
        .correlation()
        .configure(config.correlation.settings(&public_url)?);
    let demo = if args.demo {
        Some(demo_load::load(&store, &args, &tenant).await?)
    } else {
        None
    };
    let identity = Identity::load(&store, &public_url).await?;
    let credentials = match demo {
        Some(_) => {
            Some(demo_identity::ensure(&store, &tenant, &config.data_dir, &public_url).await?)
        }
        None => None,
    };
    let state = app_state(&config, &store, indicators, &public_url, identity, admin)?;
    let workers = crate::workers::start(&store, &config, &public_url).await?;
    state.readiness().require("workers", workers.liveness());
    let (draining, drained) = tokio::sync::watch::channel(false);
    let signal = shutdown_signal()?;
    let readiness = state.readiness().clone();
    let shutdown = async move {
        signal.await;
        // Not ready from the signal on (load balancers stop sending), while in-flight requests end.
        readiness.drain();
        let _ = draining.send(true);
    };
    let metrics = serve_metrics(&config, &state, drained).await?;
    announce::print(&announce::Banner {
        bound,
        public_url: &public_url,
        tls: tls.is_some(),
        trust_file: tls.as_ref().and_then(|t| t.trust_file.as_deref()),
        admin_file: &config.admin_token_path(),
        auth: config.auth,
        demo: demo.as_ref(),
        credentials: credentials.as_ref(),
    });
    listen::serve(
        listener,
        tls.map(|t| t.config),
        api::service(state),
        shutdown,
    )
    .await?;
    if let Some(task) = metrics {
        let _ = task.await;
    }
    tracing::info!("in-flight requests finished; stopping the workers and flushing the store");
    workers.stop().await;
    store.shutdown().await;
    Ok(())
}

/// The API's state: settings, the authentication mode, token issue/verify, the admin credential.
fn app_state(
    config: &Config,
    store: &Store,
    indicators: store::IndicatorIndex,
    public_url: &str,
    identity: Identity,
    admin: AdminCredential,
) -> anyhow::Result<AppState> {
    let mut api_config = ApiConfig::new(public_url);
    api_config.max_body_bytes = config.max_body_bytes;
    api_config.critical = std::sync::Arc::new(critical_infrastructure(config, public_url));
    api_config.webhooks = config.webhook_policy();
    api_config.metrics_route = config.metrics && config.metrics_listen.is_none();
    api_config.keep_events = config.event_retention_days > 0 && config.event_retention_count > 0;
    api_config.indicator_batch_limit = match config.strict_graph {
        true => api::state::GRAPH_INDICATOR_BATCH_LIMIT,
        false => config.indicator_batch_limit,
    };
    api_config.throttle = api::throttle::Throttle::new(&config.throttle)
        .map_err(anyhow::Error::msg)?
        .map(std::sync::Arc::new);
    let auth = match config.auth {
        AuthMode::Token => Authenticator::Tokens,
        AuthMode::None => Authenticator::None {
            tenant: TenantId(config.default_tenant.clone()),
        },
    };
    Ok(AppState::new(
        store.clone(),
        indicators,
        api_config,
        auth,
        identity,
        Some(admin),
    ))
}

/// With `metrics_listen` set (and metrics on): serves `/metrics` and `/healthz` there until `stop`
/// turns true.
async fn serve_metrics(
    config: &Config,
    state: &AppState,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<Option<tokio::task::JoinHandle<()>>> {
    let Some(addr) = config.metrics_listen.filter(|_| config.metrics) else {
        return Ok(None);
    };
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen for metrics on {addr}"))?;
    tracing::info!(address = %listener.local_addr()?, "serving /metrics");
    let app = api::metrics::router(state.clone());
    Ok(Some(tokio::spawn(async move {
        let stopped = async move {
            let _ = stop.wait_for(|s| *s).await;
        };
        let served = axum::serve(listener, app).with_graceful_shutdown(stopped);
        if let Err(e) = served.await {
            tracing::error!(error = %e, "the metrics listener failed");
        }
    })))
}

/// Once a minute (and at once when a tenant's emulator clock changes), for as long as the server
/// runs: deletes indicators that expired more than `indicator_retention_days` ago in their tenant's
/// time (they stopped matching at their expiry; this reclaims the rows), and drops kept events past
/// `event_retention_days` or beyond `event_retention_count` per tenant.
async fn sweep_expired_indicators(store: Store, config: Config) {
    let days = |n: u32| std::time::Duration::from_secs(u64::from(n) * 86_400);
    let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
    let mut clocks = store.tenant_clock_changes();
    loop {
        tokio::select! {
            _ = every.tick() => {}
            changed = clocks.changed() => {
                if changed.is_err() {
                    return;
                }
            }
        }
        let now = store.clock().now();
        match store
            .sweep_indicators_retaining(days(config.indicator_retention_days))
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, "swept expired threat indicators"),
            Err(e) => tracing::warn!(error = %e, "sweeping expired threat indicators failed"),
        }
        let cutoff = now - days(config.event_retention_days);
        match store
            .prune_events(cutoff, config.event_retention_count)
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::debug!(dropped = n, "dropped old kept events"),
            Err(e) => tracing::warn!(error = %e, "dropping old kept events failed"),
        }
    }
}

/// The default critical-infrastructure list plus this server's own listen address and public host.
pub(crate) fn critical_infrastructure(
    config: &Config,
    public_url: &str,
) -> model::indicator::critical::CriticalInfrastructure {
    let rails = model::indicator::critical::CriticalInfrastructure::default()
        .with_server_address(config.listen.ip());
    let host = public_url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .map(|authority| match authority.rsplit_once(':') {
            Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
            _ => authority,
        });
    match host {
        Some(host) => rails.with_server_host(host),
        None => rails,
    }
}

/// Where the TLS certificate comes from: files (flags or configuration), generated (`--tls`), or
/// none (cleartext).
fn tls_source(config: &Config, args: &ServeArgs) -> Option<TlsSource> {
    match (&config.tls_cert, &config.tls_key) {
        (Some(cert), Some(key)) => Some(TlsSource::Files {
            cert: cert.clone(),
            key: key.clone(),
        }),
        _ if args.tls => Some(TlsSource::SelfSigned),
        _ => None,
    }
}

/// `--auth none` serves without checking tokens, so it may only listen on loopback.
fn check_auth(config: &Config) -> anyhow::Result<()> {
    anyhow::ensure!(
        config.tls_cert.is_some() == config.tls_key.is_some(),
        "tls_cert and tls_key go together: set both or neither"
    );
    match config.auth {
        AuthMode::Token => Ok(()),
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
