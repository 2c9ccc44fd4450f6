//! Test kit: [`TestServer`] serves the real application (`api::service`) on `127.0.0.1:0` over a real
//! database — a SQLite file in a temporary directory, or a schema of its own on PostgreSQL inside
//! `testdb::conformance!` tests — with a manual clock, so tests talk HTTP to what users run.
//!
//! By default the server runs in emulator mode (`--auth none`: every request acts in the demo tenant
//! with every permission). [`TestServerBuilder::tokens`] serves with real bearer-token
//! authentication instead; the `identity` helpers then create tenants, applications, consents and
//! tokens (through the real token endpoint, or minted directly for crafted claims).
//!
//! The server is unthrottled unless a test asks for throttling with [`TestServerBuilder::throttle`].

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod identity;
mod receiver;

pub use identity::{TestApp, GRAPH_SCOPE};
pub use receiver::WebhookReceiver;

use api::admin::AdminCredential;
use api::{ApiConfig, AppState, Authenticator, Identity};
use model::TenantId;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::sync::Arc;
use store::{IngestOrigin, ManualClock, Store};
use testdb::TestDatabase;
use time::OffsetDateTime;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The anchor of the demo data in tests: fixed, so snapshots are stable.
pub fn test_anchor() -> OffsetDateTime {
    time::macros::datetime!(2026-11-01 00:00 UTC)
}

/// How to start a [`TestServer`].
#[derive(Debug, Default)]
pub struct TestServerBuilder {
    demo_count: Option<usize>,
    public_url: Option<String>,
    max_body_bytes: Option<usize>,
    indicator_batch_limit: Option<usize>,
    tokens: bool,
    emulator: bool,
    throttle: Option<api::throttle::ThrottleConfig>,
}

impl TestServerBuilder {
    /// Loads `n` demo alerts into the default tenant before serving.
    pub fn demo(mut self, n: usize) -> Self {
        self.demo_count = Some(n);
        self
    }

    /// Serves links under this public base URL instead of the bound address.
    pub fn public_url(mut self, url: &str) -> Self {
        self.public_url = Some(url.to_owned());
        self
    }

    /// Authenticates requests with bearer tokens (the production default) instead of emulator mode.
    pub fn tokens(mut self) -> Self {
        self.tokens = true;
        self
    }

    /// Serves in emulator mode (`serve --emulator`): tenants' clocks may be set through the admin
    /// API.
    pub fn emulator(mut self) -> Self {
        self.emulator = true;
        self
    }

    /// Sets the request body limit.
    pub fn max_body_bytes(mut self, n: usize) -> Self {
        self.max_body_bytes = Some(n);
        self
    }

    /// Sets the most tiIndicators one bulk action may carry.
    pub fn indicator_batch_limit(mut self, n: usize) -> Self {
        self.indicator_batch_limit = Some(n);
        self
    }

    /// Throttles requests as `config` says (tests are unthrottled otherwise).
    pub fn throttle(mut self, config: api::throttle::ThrottleConfig) -> Self {
        self.throttle = Some(config);
        self
    }

    /// Opens the store, loads data, binds a free loopback port and serves.
    pub async fn start(self) -> TestServer {
        self.start_on(TestDatabase::new()).await
    }

    /// Starts serving `db`: a new database, or the one an earlier server was stopped with
    /// ([`TestServer::into_database`]) — a restart.
    pub async fn start_on(self, db: TestDatabase) -> TestServer {
        let clock = Arc::new(ManualClock::new(test_anchor()));
        let store = db.open_store(clock.clone());
        let tenant = TenantId(demo::DEMO_TENANT_ID.to_owned());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let base_url = format!("http://{addr}");
        let mut config =
            ApiConfig::new(self.public_url.clone().unwrap_or_else(|| base_url.clone()));
        // Incident web URLs point at this server (as `serve` sets them).
        store.correlation().configure(store::CorrelationSettings {
            public_url: Some(config.public_url.clone()),
            ..store::CorrelationSettings::default()
        });
        load_demo(&store, &tenant, self.demo_count).await;
        if self.emulator {
            store.enable_tenant_clocks().await.expect("tenant clocks");
        }
        if let Some(n) = self.max_body_bytes {
            config.max_body_bytes = n;
        }
        if let Some(n) = self.indicator_batch_limit {
            config.indicator_batch_limit = n;
        }
        if let Some(t) = &self.throttle {
            config.throttle = api::throttle::Throttle::new(t)
                .expect("throttle configuration")
                .map(Arc::new);
        }
        // Tests' webhook receivers listen on loopback over http.
        config.webhooks.allow_insecure = true;
        let identity = Identity::load(&store, &config.public_url)
            .await
            .expect("identity");
        let auth = if self.tokens {
            Authenticator::Tokens
        } else {
            Authenticator::None {
                tenant: tenant.clone(),
            }
        };
        let (admin_token, admin) = AdminCredential::generate();
        let indicators = store::IndicatorIndex::start(&store)
            .await
            .expect("indicator index");
        let state = AppState::new(
            store.clone(),
            indicators,
            config,
            auth,
            identity.clone(),
            Some(admin),
        );
        let readiness = state.readiness().clone();
        let (tx, handle) = serve(listener, state);
        TestServer {
            readiness,
            base_url,
            store,
            clock,
            tenant,
            identity,
            admin_token,
            client: reqwest::Client::new(),
            shutdown: Some(tx),
            handle: Some(handle),
            db,
        }
    }
}

/// Creates the demo tenant, with `count` demo alerts when asked.
async fn load_demo(store: &Store, tenant: &TenantId, count: Option<usize>) {
    store
        .ensure_tenant(tenant, demo::DEMO_TENANT_NAME)
        .await
        .expect("tenant");
    if let Some(n) = count {
        let mut cfg = demo::DemoConfig::new(tenant.clone(), test_anchor());
        cfg.count = n;
        let alerts: Vec<_> = demo::generate(&cfg).collect();
        store
            .tenant(tenant)
            .ingest(alerts, IngestOrigin::Demo)
            .await
            .expect("demo ingest");
    }
}

/// Serves the application on `listener` until the returned sender fires.
fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
) -> (oneshot::Sender<()>, JoinHandle<()>) {
    let (tx, rx) = oneshot::channel::<()>();
    let service = api::service(state);
    let handle = tokio::spawn(async move {
        axum::serve(
            listener,
            axum::ServiceExt::<axum::extract::Request>::into_make_service(service),
        )
        .with_graceful_shutdown(async {
            let _ = rx.await;
        })
        .await
        .expect("serve");
    });
    (tx, handle)
}

/// A running secgraph on a loopback port.
pub struct TestServer {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// The store behind it (for arranging data directly).
    pub store: Store,
    /// The clock the store reads.
    pub clock: Arc<ManualClock>,
    /// The tenant every request acts in (emulator mode); the demo tenant.
    pub tenant: TenantId,
    /// Token issue and verification (signing keys, audiences) of the server.
    pub identity: Identity,
    /// The admin API's credential.
    pub admin_token: String,
    /// The server's readiness (`/readyz`): tests register components and mark draining.
    pub readiness: api::readiness::Readiness,
    /// An HTTP client.
    pub client: reqwest::Client,
    /// Stops serving when sent to, or when dropped with the server.
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<()>>,
    /// The test's database (dropped last: a PostgreSQL schema is removed then).
    pub db: TestDatabase,
}

/// A response read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Reply {
    /// The body as JSON (panics with the body when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// A header as a string.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl TestServer {
    /// A builder.
    pub fn builder() -> TestServerBuilder {
        TestServerBuilder::default()
    }

    /// An empty server.
    pub async fn start() -> TestServer {
        Self::builder().start().await
    }

    /// `base_url` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Sends a request with an optional JSON body and extra headers.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            self.url(path)
        };
        let mut req = self.client.request(method, url);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = req.send().await.expect("request");
        Reply {
            status: resp.status(),
            headers: resp.headers().clone(),
            text: resp.text().await.expect("body"),
        }
    }

    /// Sends a request with a raw body (NDJSON, form data, bytes that are not JSON).
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut req = self.client.request(method, self.url(path)).body(body);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = req.send().await.expect("request");
        Reply {
            status: resp.status(),
            headers: resp.headers().clone(),
            text: resp.text().await.expect("body"),
        }
    }

    /// GET.
    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None, &[]).await
    }

    /// PATCH with a JSON body.
    pub async fn patch(&self, path: &str, body: &Value) -> Reply {
        self.send(Method::PATCH, path, Some(body), &[]).await
    }

    /// POST with a JSON body.
    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        self.send(Method::POST, path, Some(body), &[]).await
    }

    /// Stops serving, waiting for in-flight requests, and flushes the store.
    pub async fn stop(mut self) {
        self.stop_inner().await;
    }

    /// Stops serving and shuts the store down like [`stop`](Self::stop), and hands back the
    /// database, to start another server on it ([`TestServerBuilder::start_on`]).
    pub async fn into_database(mut self) -> TestDatabase {
        self.stop_inner().await;
        self.db
    }

    async fn stop_inner(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            let _ = h.await;
        }
        self.store.shutdown().await;
    }
}
