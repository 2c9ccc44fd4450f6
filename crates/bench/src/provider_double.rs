//! A provider double for the sync-back benchmark: an axum server on `127.0.0.1:0` serving
//! `POST {base}/alertUpdates` as a real provider must — every call's signature verified with
//! [`provider_protocol::signing`] against the provider's secret (a call that fails is answered
//! `401` and counted), the body read as an [`AlertUpdate`], and the answer `applied` with a
//! `providerVersion` that grows with every new update (a repeated idempotency key gets the
//! version it got the first time). Each verified call's arrival instant is recorded, so the
//! benchmark can match it with the moment it sent the PATCH.
//!
//! The double starts before the provider is registered (its URL goes into the manifest) and is
//! given the signing secret afterwards ([`ProviderDouble::set_secret`]); until then it answers
//! `503`, which secgraph retries.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use provider_protocol::signing::{self, SigningKey};
use provider_protocol::{AlertUpdate, CallbackAnswer, ProviderVersion};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Instant;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The path under the double's address that is its `callbackBaseUrl`.
const BASE_PATH: &str = "/provider";
/// The first `providerVersion` answered (pushed alerts are at version 1 or 2).
const FIRST_VERSION: u64 = 1_000;

/// One verified alert update as it arrived.
#[derive(Debug, Clone)]
pub struct Arrival {
    /// secgraph's alert id.
    pub alert_id: String,
    /// The update's idempotency key.
    pub idempotency_key: uuid::Uuid,
    /// When the double received it (before answering).
    pub at: Instant,
}

/// What the double has seen.
#[derive(Debug, Default)]
struct Seen {
    arrivals: Vec<Arrival>,
    /// The version answered per idempotency key.
    answered: HashMap<uuid::Uuid, u64>,
    next_version: u64,
    refused: usize,
}

#[derive(Debug, Default)]
struct Shared {
    key: OnceLock<SigningKey>,
    seen: Mutex<Seen>,
}

impl Shared {
    fn seen(&self) -> MutexGuard<'_, Seen> {
        // A panic while holding the lock leaves plain counters behind; they stay usable.
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A running provider double.
#[derive(Debug)]
pub struct ProviderDouble {
    /// Its `callbackBaseUrl` (`http://127.0.0.1:PORT/provider`).
    pub base_url: String,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<()>>,
}

impl ProviderDouble {
    /// Binds `127.0.0.1:0` and serves until [`stop`](Self::stop).
    pub async fn start() -> std::io::Result<ProviderDouble> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::default());
        let app = Router::new()
            .route(&format!("{BASE_PATH}/alertUpdates"), post(alert_update))
            .with_state(shared.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
            if let Err(e) = served {
                eprintln!("provider double: {e}");
            }
        });
        Ok(ProviderDouble {
            base_url: format!("http://{addr}{BASE_PATH}"),
            shared,
            shutdown: Some(tx),
            handle: Some(handle),
        })
    }

    /// Sets the provider's signing secret (once; a second call is refused).
    pub fn set_secret(&self, secret: &str) -> Result<(), String> {
        let key = SigningKey::new(secret)?;
        self.shared
            .key
            .set(key)
            .map_err(|_| "the double's secret is already set".to_owned())
    }

    /// Every verified update so far, in arrival order.
    pub fn arrivals(&self) -> Vec<Arrival> {
        self.shared.seen().arrivals.clone()
    }

    /// How many distinct idempotency keys arrived.
    pub fn distinct(&self) -> usize {
        self.shared.seen().answered.len()
    }

    /// How many calls were refused (bad signature, unreadable body, no secret yet).
    pub fn refused(&self) -> usize {
        self.shared.seen().refused
    }

    /// Stops serving and waits for the server task.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(handle) = self.handle.take() {
            let _ = handle.await;
        }
    }
}

/// `POST {base}/alertUpdates`: verifies, records, answers `applied`.
async fn alert_update(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let at = Instant::now();
    let Some(key) = shared.key.get() else {
        shared.seen().refused += 1;
        return (StatusCode::SERVICE_UNAVAILABLE, "no secret yet").into_response();
    };
    let target = uri.path_and_query().map_or(uri.path(), |pq| pq.as_str());
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let verified = signing::verify(
        key,
        "POST",
        target,
        &body,
        header(signing::TIMESTAMP_HEADER),
        header(signing::SIGNATURE_HEADER),
        now,
    );
    if let Err(e) = verified {
        shared.seen().refused += 1;
        return (StatusCode::UNAUTHORIZED, e.to_string()).into_response();
    }
    let update: AlertUpdate = match serde_json::from_slice(&body) {
        Ok(u) => u,
        Err(e) => {
            shared.seen().refused += 1;
            return (StatusCode::BAD_REQUEST, e.to_string()).into_response();
        }
    };
    let version = record(&mut shared.seen(), &update, at);
    let answer = CallbackAnswer::applied(Some(ProviderVersion::Sequence(version)));
    match serde_json::to_vec(&answer) {
        Ok(bytes) => (
            StatusCode::OK,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            bytes,
        )
            .into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// Records an arrival; the version to answer (the first answer's, for a repeated key).
fn record(seen: &mut Seen, update: &AlertUpdate, at: Instant) -> u64 {
    seen.arrivals.push(Arrival {
        alert_id: update.alert_id.as_str().to_owned(),
        idempotency_key: update.idempotency_key,
        at,
    });
    let next = FIRST_VERSION + seen.next_version;
    let version = *seen.answered.entry(update.idempotency_key).or_insert(next);
    if version == next {
        seen.next_version += 1;
    }
    version
}
