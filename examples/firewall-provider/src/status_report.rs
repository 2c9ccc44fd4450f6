//! Reporting an action's outcome to secgraph (`POST /secgraph/v1/provider/actions/{id}/status`)
//! in the background, after the invocation was answered. A report that fails for a reason that
//! may pass (secgraph unreachable, 408, 429, 5xx) is retried on the protocol's backoff schedule
//! ([`provider_protocol::Backoff`]), up to [`MAX_ATTEMPTS`] times; any other refusal is logged,
//! since sending it again would be refused again.

use provider_protocol::{ActionStatusUpdate, Backoff};
use provider_sdk::{ClientError, SecgraphClient};
use std::sync::Arc;
use uuid::Uuid;

/// Most attempts at one report (about four minutes with the default backoff).
pub const MAX_ATTEMPTS: u32 = 8;

/// Sends `update` for `action_id` from a background task.
pub fn spawn(client: Arc<SecgraphClient>, action_id: String, update: ActionStatusUpdate) {
    tokio::spawn(async move { report(&client, &action_id, &update).await });
}

async fn report(client: &SecgraphClient, action_id: &str, update: &ActionStatusUpdate) {
    let backoff = Backoff::default();
    for attempt in 0..MAX_ATTEMPTS {
        match client.report_action_status(action_id, update).await {
            Ok(()) => {
                tracing::info!(%action_id, status = %update.status, "reported the action's status");
                return;
            }
            Err(e) if retryable(&e) && attempt + 1 < MAX_ATTEMPTS => {
                let wait = backoff.delay(attempt, jitter());
                tracing::warn!(%action_id, error = %e, ?wait, "status report failed; retrying");
                tokio::time::sleep(wait).await;
            }
            Err(e) => {
                tracing::error!(%action_id, error = %e, "the action's status could not be reported");
                return;
            }
        }
    }
}

/// True for a failure that may pass by itself.
fn retryable(e: &ClientError) -> bool {
    match e {
        ClientError::Transport(_) => true,
        ClientError::Graph { status, .. } | ClientError::Token { status, .. } => {
            matches!(status, 408 | 429) || *status >= 500
        }
        _ => false,
    }
}

/// A uniform draw from `[0, 1]` (from a random UUID's bits; no RNG crate needed).
fn jitter() -> f64 {
    let bits = Uuid::new_v4().as_u128() % 1_000_001;
    bits as f64 / 1_000_000.0
}
