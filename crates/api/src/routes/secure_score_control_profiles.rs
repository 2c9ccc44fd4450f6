//! `security/secureScoreControlProfiles`: the catalogue's controls as the caller's tenant sees
//! them (rank order by default), and `PATCH`, which records the tenant's decision about a control
//! (`Default`, `Ignored`, `ThirdParty`, `Reviewed`; see `model::patch::ControlProfilePatch`) as a
//! new `controlStateUpdates` entry stamped with the caller and the time. The next snapshot scores
//! the control accordingly. Profiles are never created or deleted by clients (405).

use crate::body::{EntityKey, JsonBody};
use crate::entity_set::EntitySet;
use crate::error::{ErrorCode, GraphError};
use crate::paging::PageLimits;
use crate::query::{GraphRequest, Prefer};
use crate::response;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use model::patch::ControlProfilePatch;
use model::secure_score::SECURE_SCORE_CONTROL_PROFILE;
use store::secure_score::{ProfileUpdate, SecureScoreStore};

/// `security/secureScoreControlProfiles` (the catalogue fits one default page).
pub const SET: EntitySet = EntitySet {
    path: "security/secureScoreControlProfiles",
    odata_type: "#microsoft.graph.secureScoreControlProfile",
    name: "secureScoreControlProfile",
    limits: PageLimits {
        default_top: 100,
        max_top: 1000,
        max_skip: None,
    },
};

fn profiles(app: &AppState, r: &GraphRequest) -> SecureScoreStore {
    app.store().tenant(&r.who.tenant_id).secure_score()
}

/// `GET /security/secureScoreControlProfiles`: a page of the tenant's profiles, in rank order
/// unless `$orderby` says otherwise, with `$filter`, `$select`, `$top`, `$skip`, `$count` and
/// server-driven paging.
pub async fn list_control_profiles(
    State(app): State<AppState>,
    r: GraphRequest,
) -> Result<Response, GraphError> {
    let bound = r.bind(&SECURE_SCORE_CONTROL_PROFILE)?;
    SET.no_expand(&bound)?;
    let page_size = SET.page_size(&bound)?;
    let page = profiles(&app, &r).list_profiles(&bound, page_size).await?;
    SET.page(
        &app,
        &r,
        bound.select.as_deref(),
        &page,
        serde_json::to_string,
    )
}

/// `GET /security/secureScoreControlProfiles/$count`: how many profiles match `$filter`.
pub async fn count_control_profiles(
    State(app): State<AppState>,
    r: GraphRequest,
) -> Result<Response, GraphError> {
    let bound = r.bind(&SECURE_SCORE_CONTROL_PROFILE)?;
    let n = profiles(&app, &r)
        .count_profiles(bound.filter.as_ref())
        .await?;
    Ok(response::count_response(n))
}

/// `GET /security/secureScoreControlProfiles/{id}`: one profile (the id is the control name,
/// matched without case; `$select` applies).
pub async fn get_control_profile(
    State(app): State<AppState>,
    r: GraphRequest,
    key: EntityKey,
) -> Result<Response, GraphError> {
    let bound = r.bind(&SECURE_SCORE_CONTROL_PROFILE)?;
    SET.no_expand(&bound)?;
    let profile = profiles(&app, &r)
        .get_profile(&key.0)
        .await?
        .ok_or_else(|| SET.not_found(&key.0))?;
    SET.entity(&app, &r, bound.select.as_deref(), &profile, StatusCode::OK)
}

/// `PATCH /security/secureScoreControlProfiles/{id}`: appends a `controlStateUpdates` entry
/// (`assignedTo`, `comment`, `state`; `vendorInformation` required). 204, or 200 with the profile
/// under `Prefer: return=representation`.
pub async fn update_control_profile(
    State(app): State<AppState>,
    r: GraphRequest,
    key: EntityKey,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let patch =
        ControlProfilePatch::from_json(&body).map_err(|e| GraphError::bad_request(e.message))?;
    let now = app.store().now_for(&r.who.tenant_id);
    let outcome = profiles(&app, &r)
        .update_profile(&key.0, patch, Some(r.who.actor()), now)
        .await?;
    let profile = match outcome {
        ProfileUpdate::Updated(p) => *p,
        ProfileUpdate::NotFound => return Err(SET.not_found(&key.0)),
        ProfileUpdate::Refused(message) => return Err(GraphError::bad_request(message)),
    };
    if !r.prefer.return_representation {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    SET.entity(&app, &r, None, &profile, StatusCode::OK)
        .map(Prefer::representation_applied)
}

/// `POST /security/secureScoreControlProfiles`, `DELETE .../{id}`.
pub async fn not_allowed() -> GraphError {
    GraphError::new(
        ErrorCode::MethodNotAllowed,
        "Control profiles come from secgraph's control catalogue and cannot be created or deleted; \
         use PATCH to record the tenant's state of a control.",
    )
}
