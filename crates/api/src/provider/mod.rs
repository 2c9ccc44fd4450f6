//! The endpoints secgraph serves to providers (`/secgraph/v1/provider/...`, the provider protocol;
//! not Graph). A provider calls them with an app-only token from our token endpoint, issued to its
//! vendor's application in the customer tenant that consented to it: the token's tenant is the
//! tenant written to, and its application must back a registered provider
//! ([`calling_provider`]).
//!
//! | method and path | does |
//! | --- | --- |
//! | `POST /secgraph/v1/provider/alerts` | push a batch of alerts ([`push`]) |
//! | `POST /secgraph/v1/provider/actions/{id}/status` | report a security action's progress |
//! | `POST /secgraph/v1/provider/controlStates` | report secure-score control states ([`control_states`]) |
//!
//! Refused bodies are 400s whose message lists every problem, each naming the member at fault.

pub mod action_status;
pub mod control_states;
pub mod push;

use crate::error::{ErrorCode, GraphError};
use crate::principal::Principal;
use crate::state::AppState;
use auth::permission::{Permission, Requirement};
use provider_protocol::Invalid;
use store::Provider;

/// What a provider's token must grant for the provider endpoints: `SecurityAlert.ReadWrite.All`
/// (its alerts are written into the tenant).
pub const PROVIDER: Requirement = Requirement(&[Permission::SecurityAlertReadWriteAll]);

/// The registered provider the caller's application backs, or a 403 saying how to register one.
pub async fn calling_provider(app: &AppState, who: &Principal) -> Result<Provider, GraphError> {
    let Some(client_id) = who.app_id.as_deref() else {
        return Err(not_a_provider("the caller has no application id"));
    };
    match app.store().providers().by_client_id(client_id).await? {
        Some(p) => Ok(p),
        None => Err(not_a_provider(&format!(
            "the application '{client_id}' backs no registered provider"
        ))),
    }
}

fn not_a_provider(why: &str) -> GraphError {
    GraphError::new(
        ErrorCode::AccessDenied,
        format!(
            "Only registered providers may call the provider endpoints: {why}. Register one with \
             'secgraph provider register' or POST /secgraph/admin/v1/providers."
        ),
    )
}

/// A refused envelope as a 400 listing every problem.
pub fn invalid(e: &Invalid) -> GraphError {
    GraphError::bad_request(format!("The body was refused: {e}"))
}

/// Reads a JSON body of at most the configured size.
pub async fn read_body(
    app: &AppState,
    req: axum::extract::Request,
) -> Result<bytes::Bytes, GraphError> {
    let limit = app.config().max_body_bytes;
    axum::body::to_bytes(req.into_body(), limit)
        .await
        .map_err(|_| {
            GraphError::new(
                ErrorCode::RequestEntityTooLarge,
                format!("The body must be JSON of at most {limit} bytes."),
            )
        })
}
