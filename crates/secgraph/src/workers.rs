//! The background workers `secgraph serve` runs beside the API: the outbox worker that calls
//! providers back (sync-back of alert changes, security actions), the scheduler that polls
//! pull-mode providers, one task per configured connector following its file, and the secure-score
//! snapshot job (`crate::secure_score_job`). Every node of a deployment runs the outbox worker (its
//! leases keep two nodes from delivering the same row at once) and the pull scheduler (pages are
//! stored under the version rules, so two nodes polling the same provider store each alert once), and
//! may run the snapshot job (it replaces the day's rows); connectors follow local files.

use crate::config::{Config, ConnectorConfig};
use anyhow::Context;
use model::TenantId;
use outbound::notifications::{DeliveryOptions, Lane};
use outbound::{
    Limits, NotificationDelivery, OutboundClient, ProviderCallbacks, PullOptions, PullScheduler,
};
use std::sync::Arc;
use std::time::Duration;
use store::{spawn_worker, IngestOrigin, Store, WorkerHandle, WorkerOptions};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The running workers.
pub struct Workers {
    callbacks: WorkerHandle,
    notifications: Vec<WorkerHandle>,
    subscription_sweep: JoinHandle<()>,
    stop_connectors: watch::Sender<bool>,
    connectors: Vec<JoinHandle<()>>,
    pull: JoinHandle<()>,
    secure_score: JoinHandle<()>,
}

/// Starts the workers on `store` for a server reachable at `public_url` (the issuer of notification
/// validation tokens); fails when a connector names a tenant that does not exist.
pub async fn start(store: &Store, config: &Config, public_url: &str) -> anyhow::Result<Workers> {
    let client = OutboundClient::new(Limits::default()).context("cannot build the HTTP client")?;
    let callbacks = ProviderCallbacks::new(store.clone(), client.clone());
    // The lease owner is stable across restarts of this node (its data directory), so leases left
    // by a crash are released at once instead of expiring a minute later.
    let node = node_id(&config.data_dir)?;
    let owner = format!("provider-callbacks-{node}");
    release(store, &owner).await?;
    let options = WorkerOptions {
        owner,
        batch: 64,
        lease: Duration::from_secs(60),
        base_backoff: Duration::from_secs(1),
        max_backoff: Duration::from_secs(300),
        idle_poll: Duration::from_secs(1),
    };
    let (stop_connectors, stop) = watch::channel(false);
    let mut connectors = Vec::new();
    for c in &config.connectors {
        let tenant = TenantId(c.tenant.trim().to_ascii_lowercase());
        anyhow::ensure!(
            store.identity().get_tenant(&tenant).await?.is_some(),
            "the {} connector of {} names the tenant '{}', which does not exist \
             (create it with `secgraph tenant create`)",
            c.kind,
            c.path.display(),
            c.tenant
        );
        let checkpoint = config.checkpoint_path(c);
        if let Some(dir) = checkpoint.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        connectors.push(tokio::spawn(follow(
            store.clone(),
            c.clone(),
            tenant,
            checkpoint,
            stop.clone(),
        )));
    }
    let secure_score = crate::secure_score_job::spawn(
        store.clone(),
        Duration::from_secs(config.secure_score_interval_seconds),
        config.secure_score_retention_days,
        stop.clone(),
    );
    let issuer = auth::TokenIssuer::new(&auth::Audiences::new(public_url)?);
    let notifications = notification_workers(store, config, &client, &node, &issuer).await?;
    let retention = Duration::from_secs(u64::from(config.notification_history_days) * 86_400);
    let subscription_sweep =
        tokio::spawn(sweep_subscriptions(store.clone(), retention, stop.clone()));
    let pull = PullScheduler::new(store.clone(), client, PullOptions::default()).spawn(stop);
    Ok(Workers {
        callbacks: spawn_worker(store.outbox(), Arc::new(callbacks), options),
        notifications,
        subscription_sweep,
        stop_connectors,
        connectors,
        pull,
        secure_score,
    })
}

/// Releases the outbox leases `owner` held before a restart.
async fn release(store: &Store, owner: &str) -> anyhow::Result<()> {
    let released = store.outbox().release_leases(owner).await?;
    if released > 0 {
        tracing::info!(
            released,
            owner,
            "outbox rows leased before a restart are available again"
        );
    }
    Ok(())
}

/// The change-notification workers: one per lane (slow receivers have their own), with lease
/// owners stable across restarts of this node; rich-notification collections get validation
/// tokens from `issuer`.
async fn notification_workers(
    store: &Store,
    config: &Config,
    client: &OutboundClient,
    node: &str,
    issuer: &auth::TokenIssuer,
) -> anyhow::Result<Vec<WorkerHandle>> {
    let mut handles = Vec::new();
    for (lane, name) in [(Lane::Fast, "fast"), (Lane::Slow, "slow")] {
        let owner = format!("notifications-{name}-{node}");
        release(store, &owner).await?;
        let worker = NotificationDelivery::new(
            store.clone(),
            client.clone(),
            config.webhook_policy(),
            lane,
            DeliveryOptions::default(),
        )
        .with_validation_tokens(issuer.clone());
        let options = WorkerOptions {
            owner,
            batch: 1000,
            lease: Duration::from_secs(120),
            base_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(1800),
            idle_poll: Duration::from_secs(1),
        };
        handles.push(spawn_worker(store.outbox(), Arc::new(worker), options));
    }
    Ok(handles)
}

/// Removes expired subscriptions, queues `reauthorizationRequired` and drops delivery history
/// older than `retention` every 10 seconds, and at once when a tenant's emulator clock changes,
/// until stopped.
async fn sweep_subscriptions(store: Store, retention: Duration, mut stop: watch::Receiver<bool>) {
    let mut clocks = store.tenant_clock_changes();
    while !*stop.borrow() {
        if let Err(e) = store.sweep_subscriptions_retaining(retention).await {
            tracing::warn!(error = %e, "subscription sweep failed");
        }
        tokio::select! {
            changed = stop.changed() => {
                if changed.is_err() {
                    break;
                }
            }
            _ = tokio::time::sleep(Duration::from_secs(10)) => {}
            _ = clocks.changed() => {}
        }
    }
}

/// This node's id: a GUID kept in the data directory's `node-id` file, made on first start.
fn node_id(data_dir: &std::path::Path) -> anyhow::Result<String> {
    let path = data_dir.join("node-id");
    match std::fs::read_to_string(&path) {
        Ok(id) if uuid::Uuid::parse_str(id.trim()).is_ok() => Ok(id.trim().to_owned()),
        _ => {
            let id = uuid::Uuid::new_v4().to_string();
            std::fs::write(&path, &id)
                .with_context(|| format!("cannot write {}", path.display()))?;
            Ok(id)
        }
    }
}

/// Follows one connector's file until stopped, writing its alerts into `tenant` (new alerts only:
/// a line read again after a restart never undoes what analysts changed since).
async fn follow(
    store: Store,
    c: ConnectorConfig,
    tenant: TenantId,
    checkpoint: std::path::PathBuf,
    stop: watch::Receiver<bool>,
) {
    let kind = c.kind;
    let sink = |mut alerts: Vec<model::StoredAlert>| {
        let (store, tenant) = (store.clone(), tenant.clone());
        async move {
            for a in &mut alerts {
                a.alert.tenant_id = Some(tenant.to_string());
            }
            let origin = IngestOrigin::Connector(kind.name().to_owned());
            store
                .tenant(&tenant)
                .ingest_new(alerts, origin)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
    };
    let options = connectors::RunOptions::default();
    match connectors::run_file(&c.path, &checkpoint, kind, sink, options, stop).await {
        Ok(stats) => {
            tracing::info!(connector = %kind, path = %c.path.display(), ?stats, "connector stopped")
        }
        Err(e) => {
            tracing::error!(connector = %kind, path = %c.path.display(), error = %e, "connector failed")
        }
    }
}

impl Workers {
    /// A check that every worker the node's readiness depends on still runs (connectors, which
    /// stop on a broken file, and the snapshot job are not among them).
    pub fn liveness(&self) -> impl Fn() -> bool + Send + Sync + 'static {
        let mut tasks = vec![
            self.callbacks.task(),
            self.subscription_sweep.abort_handle(),
            self.pull.abort_handle(),
        ];
        tasks.extend(self.notifications.iter().map(WorkerHandle::task));
        move || tasks.iter().all(|t| !t.is_finished())
    }

    /// Stops every worker after its current pass (undelivered rows stay in the outbox; connectors
    /// resume from their last committed offset).
    pub async fn stop(self) {
        let _ = self.stop_connectors.send(true);
        for task in self.connectors {
            let _ = task.await;
        }
        let _ = self.pull.await;
        let _ = self.secure_score.await;
        let _ = self.subscription_sweep.await;
        self.callbacks.stop().await;
        for n in self.notifications {
            n.stop().await;
        }
    }
}
