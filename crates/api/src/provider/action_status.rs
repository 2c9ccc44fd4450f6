//! `POST /secgraph/v1/provider/actions/{id}/status`: a provider reports the progress of one of its
//! security actions (`provider_protocol::ActionStatusUpdate`). The token's tenant is the action's
//! tenant and its application must back the provider the action runs at. Status moves forward
//! only; a repeat of the current status is harmless (204, nothing recorded). See
//! `store::security_actions` for what a report changes.
//!
//! | answer | when |
//! | --- | --- |
//! | 204 | recorded, or a repeat of the current status |
//! | 400 | the body is refused, or the report would move the status backwards or out of a final one |
//! | 403 | the caller is not a provider, or the action runs at another provider |
//! | 404 | no action with that id in the token's tenant |

use super::{calling_provider, invalid, read_body};
use crate::body::EntityKey;
use crate::error::{ErrorCode, GraphError};
use crate::principal::Principal;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use provider_protocol::ActionStatusUpdate;
use store::security_actions::ActionOutcome;

/// The route (`{id}` is the security action's id).
pub const PATH: &str = provider_protocol::endpoint::ACTION_STATUS_PATH;

/// `POST /secgraph/v1/provider/actions/{id}/status`: records the calling provider's report on
/// action `id` of the token's tenant.
pub async fn report_action_status(
    State(app): State<AppState>,
    who: Principal,
    key: EntityKey,
    req: Request,
) -> Result<Response, GraphError> {
    let provider = calling_provider(&app, &who).await?;
    let body = read_body(&app, req).await?;
    let update: ActionStatusUpdate =
        provider_protocol::from_json(&body).map_err(|e| invalid(&e))?;
    update.validate().map_err(|e| invalid(&e))?;
    let outcome = app
        .store()
        .tenant(&who.tenant_id)
        .security_actions()
        .report_status(&key.0, &provider, update)
        .await?;
    match outcome {
        ActionOutcome::Changed(_) | ActionOutcome::Unchanged(_) => {
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        ActionOutcome::NotFound => Err(GraphError::new(
            ErrorCode::ItemNotFound,
            format!(
                "No security action with id '{}' exists in the tenant of the token.",
                key.0
            ),
        )),
        ActionOutcome::NotOwner => Err(GraphError::new(
            ErrorCode::AccessDenied,
            format!(
                "The security action '{}' runs at another provider; only that provider may \
                 report its status.",
                key.0
            ),
        )),
        ActionOutcome::Refused(message) => Err(GraphError::bad_request(message)),
    }
}
