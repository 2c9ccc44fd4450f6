//! [`WebhookReceiver`]: a real change-notification receiver on a loopback port. It answers the
//! validation handshake (`?validationToken=` echoed as `text/plain`), records every notification
//! POSTed to it (`/notify` for changes, `/lifecycle` for lifecycle events) and can be told to fail
//! (answer a status such as 500) or to answer slowly.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use parking_lot::Mutex;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU16, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Default)]
struct Shared {
    changes: Mutex<Vec<Value>>,
    /// Every accepted change-notification POST body, whole (`validationTokens` included).
    collections: Mutex<Vec<Value>>,
    lifecycle: Mutex<Vec<Value>>,
    /// When non-zero, every notification POST is answered with this status (and not recorded).
    fail_with: AtomicU16,
    /// Delay before answering a notification POST, in milliseconds.
    delay_ms: AtomicU64,
    /// When set, the handshake echoes this instead of the token.
    wrong_token: Mutex<Option<String>>,
    handshakes: AtomicUsize,
    posts: AtomicUsize,
}

/// A running receiver.
#[derive(Debug, Clone)]
pub struct WebhookReceiver {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    shared: Arc<Shared>,
}

impl WebhookReceiver {
    /// Starts a receiver on a free loopback port (it runs until the test's runtime ends).
    pub async fn start() -> WebhookReceiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base_url = format!("http://{}", listener.local_addr().expect("addr"));
        let shared = Arc::new(Shared::default());
        let app = axum::Router::new()
            .route("/{kind}", axum::routing::post(receive))
            .with_state(shared.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        WebhookReceiver { base_url, shared }
    }

    /// The change-notification URL.
    pub fn notify_url(&self) -> String {
        format!("{}/notify", self.base_url)
    }

    /// The lifecycle-notification URL.
    pub fn lifecycle_url(&self) -> String {
        format!("{}/lifecycle", self.base_url)
    }

    /// Every change notification received (repeats included), in arrival order.
    pub fn changes(&self) -> Vec<Value> {
        self.shared.changes.lock().clone()
    }

    /// Every accepted change-notification collection, whole, in arrival order.
    pub fn collections(&self) -> Vec<Value> {
        self.shared.collections.lock().clone()
    }

    /// Every lifecycle notification received.
    pub fn lifecycle(&self) -> Vec<Value> {
        self.shared.lifecycle.lock().clone()
    }

    /// Answer notification POSTs with `status` (`None`: accept them with 202).
    pub fn fail_with(&self, status: Option<u16>) {
        self.shared
            .fail_with
            .store(status.unwrap_or(0), Ordering::SeqCst);
    }

    /// Wait this long before answering each notification POST.
    pub fn delay(&self, delay: Duration) {
        let ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        self.shared.delay_ms.store(ms, Ordering::SeqCst);
    }

    /// Echo `token` in handshakes instead of the real one (`None`: echo correctly).
    pub fn echo_wrong_token(&self, token: Option<&str>) {
        *self.shared.wrong_token.lock() = token.map(str::to_owned);
    }

    /// Handshakes answered so far.
    pub fn handshakes(&self) -> usize {
        self.shared.handshakes.load(Ordering::SeqCst)
    }

    /// Notification POSTs received so far (failed ones included).
    pub fn posts(&self) -> usize {
        self.shared.posts.load(Ordering::SeqCst)
    }

    /// Waits (up to `within`) until `done(self)` holds; returns whether it did.
    pub async fn wait_until(&self, within: Duration, done: impl Fn(&Self) -> bool) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        while tokio::time::Instant::now() < deadline {
            if done(self) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        done(self)
    }
}

async fn receive(
    State(shared): State<Arc<Shared>>,
    Path(kind): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    if let Some(token) = query.get("validationToken") {
        shared.handshakes.fetch_add(1, Ordering::SeqCst);
        let echo = shared.wrong_token.lock().clone().unwrap_or(token.clone());
        return ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], echo).into_response();
    }
    shared.posts.fetch_add(1, Ordering::SeqCst);
    let delay = shared.delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    let status = shared.fail_with.load(Ordering::SeqCst);
    if status != 0 {
        return StatusCode::from_u16(status)
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            .into_response();
    }
    let Ok(v) = serde_json::from_slice::<Value>(&body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let items = v["value"].as_array().cloned().unwrap_or_default();
    match kind.as_str() {
        "lifecycle" => shared.lifecycle.lock().extend(items),
        _ => {
            shared.changes.lock().extend(items);
            shared.collections.lock().push(v);
        }
    }
    StatusCode::ACCEPTED.into_response()
}
