//! The provider side of the protocol: a vendor implements [`Provider`] and serves [`router`].
//!
//! The router serves the endpoints of [`provider_protocol::Endpoint`] relative to where it is
//! mounted (serve it at the root, or `nest` it under the path of the provider's
//! `callbackBaseUrl`):
//!
//! | method and path | body → answer | calls |
//! |---|---|---|
//! | `POST /alertUpdates` | `AlertUpdate` → `CallbackAnswer` | [`Provider::alert_update`] |
//! | `POST /actions` | `ActionInvocation` → `CallbackAnswer` | [`Provider::invoke_action`] |
//! | `POST /actions/{actionId}/cancel` | `ActionCancellation` → `CallbackAnswer` | [`Provider::cancel_action`] |
//! | `GET /alerts?tenantId=&cursor=` | → `PullPage` | [`Provider::pull`] (default: 404) |
//! | `GET /federated/alerts?tenantId=&…` | → `FederatedAnswer` | [`Provider::federated`] (default: 404) |
//!
//! Before a provider method runs, every call is checked:
//!
//! 1. **Signature and timestamp** ([`provider_protocol::signing`]) over the request target as
//!    received and the raw body, against each of the provider's secrets: missing, wrong or more
//!    than five minutes off is `401` with a problem document saying which.
//! 2. **The envelope**: a body that does not parse or whose `validate` finds problems is `400`,
//!    listing every problem. Members the envelope does not know are ignored.
//! 3. **Idempotency**: an alert update whose `idempotencyKey`, or an action or cancellation whose
//!    `actionId`, was answered before gets that answer again without calling the provider (an
//!    in-memory, bounded cache; see [`idempotency`] for what a restart forgets).

mod callback;
pub mod idempotency;
pub mod problem;
mod query;
pub mod signature;

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use provider_protocol::signing::SigningKey;
use provider_protocol::{
    ActionCancellation, ActionInvocation, AlertUpdate, CallbackAnswer, FederatedAnswer,
    FederatedRequest, PullPage,
};
use std::future::Future;
use std::sync::Arc;

use model::TenantId;

/// What a provider does with secgraph's calls. Each method gets a validated envelope and returns
/// the [`CallbackAnswer`] to send: `applied` means done (or, for an action, accepted: report
/// progress with [`crate::SecgraphClient::report_action_status`]); `rejected` needs a reason and is
/// final. [`Unavailable`] asks secgraph to deliver the call again later (a `503`); it is the only
/// outcome the idempotency cache does not remember.
pub trait Provider: Send + Sync + 'static {
    /// A local PATCH of one of the provider's alerts (sync-back). Answer `applied` with the
    /// alert's new version at the provider whenever possible; it closes the race with pushes.
    fn alert_update(
        &self,
        update: AlertUpdate,
    ) -> impl Future<Output = Result<CallbackAnswer, Unavailable>> + Send;

    /// A security action to run. Names and values are already normalised by secgraph against the
    /// manifest; a provider still checks what it relies on.
    fn invoke_action(
        &self,
        action: ActionInvocation,
    ) -> impl Future<Output = Result<CallbackAnswer, Unavailable>> + Send;

    /// A request to cancel an action. A finished or unknown action is answered `rejected` with a
    /// reason.
    fn cancel_action(
        &self,
        cancel: ActionCancellation,
    ) -> impl Future<Output = Result<CallbackAnswer, Unavailable>> + Send;

    /// One page of alerts for a pull-mode provider: changes after `cursor` (`None` on the first
    /// poll). The default answers `404`: a push or federated provider does not serve it.
    fn pull(
        &self,
        _tenant_id: TenantId,
        _cursor: Option<String>,
    ) -> impl Future<Output = Result<PullPage, Refusal>> + Send {
        async { Err(Refusal::not_found("this provider does not serve pull")) }
    }

    /// The answer to a federated legacy-alerts query. Answer [`Refusal::not_found`] when there is
    /// nothing for the tenant and [`Refusal::bad_request`] for an OData option it cannot apply.
    /// The default answers `404`.
    fn federated(
        &self,
        _request: FederatedRequest,
    ) -> impl Future<Output = Result<FederatedAnswer, Refusal>> + Send {
        async {
            Err(Refusal::not_found(
                "this provider does not serve federated queries",
            ))
        }
    }
}

/// A provider's refusal of a pull or federated query, answered with `status` and a problem
/// document carrying `message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The HTTP status (404 for "nothing here", 400 for an option the provider cannot apply).
    pub status: StatusCode,
    /// What is wrong, for the person reading secgraph's log.
    pub message: String,
}

impl Refusal {
    /// `404`: nothing for this tenant, or the endpoint is not served.
    pub fn not_found(message: impl Into<String>) -> Self {
        Refusal {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }

    /// `400`: a query this provider cannot answer.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Refusal {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }
}

/// A provider that cannot handle a call now (its disk is full, its console is down): answered
/// `503` with a problem carrying `message` and, when set, `Retry-After`. secgraph retries the call
/// on its backoff schedule; nothing is cached, so the retry reaches the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable {
    /// What failed, for the person reading secgraph's log.
    pub message: String,
    /// A hint for when to retry, in whole seconds.
    pub retry_after: Option<std::time::Duration>,
}

impl Unavailable {
    /// A temporary failure with `message` and no retry hint.
    pub fn new(message: impl Into<String>) -> Self {
        Unavailable {
            message: message.into(),
            retry_after: None,
        }
    }
}

/// A signing secret that [`SigningKey::new`] refuses (too short).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("signing secret {index}: {message}")]
pub struct InvalidSecret {
    /// Position in the list given to [`router`].
    pub index: usize,
    /// Why.
    pub message: String,
}

/// What the handlers share.
pub(crate) struct Shared<P> {
    pub(crate) provider: Arc<P>,
    pub(crate) cache: idempotency::AnswerCache,
}

/// The provider's endpoints (see the module docs), verifying every call with `secrets` (one, or
/// two during a rotation). Refuses an empty list or a secret shorter than 32 bytes.
pub fn router<P: Provider>(
    provider: Arc<P>,
    secrets: Vec<String>,
) -> Result<Router, InvalidSecret> {
    if secrets.is_empty() {
        return Err(InvalidSecret {
            index: 0,
            message: "no secret given; pass the secret secgraph issued for this provider".into(),
        });
    }
    let keys = secrets
        .iter()
        .enumerate()
        .map(|(index, s)| SigningKey::new(s).map_err(|message| InvalidSecret { index, message }))
        .collect::<Result<Vec<_>, _>>()?;
    let shared = Arc::new(Shared {
        provider,
        cache: idempotency::AnswerCache::new(idempotency::DEFAULT_CAPACITY),
    });
    let keys: Arc<[SigningKey]> = keys.into();
    Ok(Router::new()
        .route("/alertUpdates", post(callback::alert_updates::<P>))
        .route("/actions", post(callback::invoke_action::<P>))
        .route(
            "/actions/{action_id}/cancel",
            post(callback::cancel_action::<P>),
        )
        .route("/alerts", get(query::pull::<P>))
        .route("/federated/alerts", get(query::federated::<P>))
        .route_layer(axum::middleware::from_fn_with_state(
            keys,
            signature::verify_signature,
        ))
        .with_state(shared))
}
