//! A change-notification receiver for the notifications benchmark: an axum server on
//! `127.0.0.1:0` that answers the validation handshake (`?validationToken=` echoed as
//! `text/plain`) and records, for every notification POSTed to `/n/{k}`, its subscription, the
//! changed item's id, the change type and when it arrived (answering `202` at once, as a receiver should).

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// One received change notification.
#[derive(Debug, Clone)]
pub struct Received {
    /// `subscriptionId`.
    pub subscription: String,
    /// `resourceData.id`.
    pub item: String,
    /// `changeType` (`created`, `updated`, `deleted`).
    pub change_type: String,
    /// When its POST arrived.
    pub at: Instant,
}

#[derive(Debug, Default)]
struct Shared {
    received: Mutex<Vec<Received>>,
    count: AtomicUsize,
    posts: AtomicUsize,
}

/// A running receiver.
#[derive(Debug, Clone)]
pub struct NotificationReceiver {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    shared: Arc<Shared>,
}

impl NotificationReceiver {
    /// Binds `127.0.0.1:0` and serves until the runtime ends.
    pub async fn start() -> std::io::Result<NotificationReceiver> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let shared = Arc::new(Shared::default());
        let app = Router::new()
            .route("/n/{k}", post(receive))
            .with_state(shared.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                eprintln!("notification receiver: {e}");
            }
        });
        Ok(NotificationReceiver { base_url, shared })
    }

    /// The notification URL of the `k`-th subscription.
    pub fn url(&self, k: usize) -> String {
        format!("{}/n/{k}", self.base_url)
    }

    /// Notifications received so far.
    pub fn count(&self) -> usize {
        self.shared.count.load(Ordering::SeqCst)
    }

    /// Notification POSTs received so far.
    pub fn posts(&self) -> usize {
        self.shared.posts.load(Ordering::SeqCst)
    }

    /// Takes what was received so far (and forgets it).
    pub fn take(&self) -> Vec<Received> {
        let mut received = self
            .shared
            .received
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        std::mem::take(&mut *received)
    }
}

async fn receive(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let at = Instant::now();
    if let Some(token) = query.get("validationToken") {
        return (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            token.clone(),
        )
            .into_response();
    }
    let Ok(v) = serde_json::from_slice::<Value>(&body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let items = v["value"].as_array().map(Vec::as_slice).unwrap_or_default();
    let text = |n: &Value| n.as_str().unwrap_or_default().to_owned();
    let batch: Vec<Received> = items
        .iter()
        .map(|n| Received {
            subscription: text(&n["subscriptionId"]),
            item: text(&n["resourceData"]["id"]),
            change_type: text(&n["changeType"]),
            at,
        })
        .collect();
    shared.posts.fetch_add(1, Ordering::SeqCst);
    shared.count.fetch_add(batch.len(), Ordering::SeqCst);
    shared
        .received
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .extend(batch);
    StatusCode::ACCEPTED.into_response()
}
