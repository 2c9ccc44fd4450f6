//! `security/secureScores`: the tenant's daily secure-score snapshots, newest first (so `$top=1`
//! is the latest score and `$top=N` the last N days), by id (`{tenantId}_{yyyy-MM-dd}`), and
//! counted. Snapshots are computed by secgraph (the daily job, or on demand through the admin API
//! and CLI), never written by clients: POST, PATCH and DELETE are 405s.

use crate::body::EntityKey;
use crate::entity_set::EntitySet;
use crate::error::{ErrorCode, GraphError};
use crate::paging::PageLimits;
use crate::query::GraphRequest;
use crate::response;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use model::secure_score::SECURE_SCORE;
use store::secure_score::SecureScoreStore;

/// `security/secureScores` (a page holds more than the default 90 days of history).
pub const SET: EntitySet = EntitySet {
    path: "security/secureScores",
    odata_type: "#microsoft.graph.secureScore",
    name: "secureScore",
    limits: PageLimits {
        default_top: 100,
        max_top: 1000,
        max_skip: None,
    },
};

fn scores(app: &AppState, r: &GraphRequest) -> SecureScoreStore {
    app.store().tenant(&r.who.tenant_id).secure_score()
}

/// `GET /security/secureScores`: a page of the tenant's snapshots, newest first, with `$filter`,
/// `$orderby`, `$select`, `$top`, `$skip`, `$count` and server-driven paging.
pub async fn list_secure_scores(
    State(app): State<AppState>,
    r: GraphRequest,
) -> Result<Response, GraphError> {
    let bound = r.bind(&SECURE_SCORE)?;
    SET.no_expand(&bound)?;
    let page_size = SET.page_size(&bound)?;
    let page = scores(&app, &r).list_scores(&bound, page_size).await?;
    SET.page(
        &app,
        &r,
        bound.select.as_deref(),
        &page,
        serde_json::to_string,
    )
}

/// `GET /security/secureScores/$count`: how many snapshots match `$filter`.
pub async fn count_secure_scores(
    State(app): State<AppState>,
    r: GraphRequest,
) -> Result<Response, GraphError> {
    let bound = r.bind(&SECURE_SCORE)?;
    let n = scores(&app, &r).count_scores(bound.filter.as_ref()).await?;
    Ok(response::count_response(n))
}

/// `GET /security/secureScores/{id}`: one snapshot (`$select` applies).
pub async fn get_secure_score(
    State(app): State<AppState>,
    r: GraphRequest,
    key: EntityKey,
) -> Result<Response, GraphError> {
    let bound = r.bind(&SECURE_SCORE)?;
    SET.no_expand(&bound)?;
    let score = scores(&app, &r)
        .get_score(&key.0)
        .await?
        .ok_or_else(|| SET.not_found(&key.0))?;
    SET.entity(&app, &r, bound.select.as_deref(), &score, StatusCode::OK)
}

/// `POST /security/secureScores`, `PATCH` and `DELETE /security/secureScores/{id}`.
pub async fn not_allowed() -> GraphError {
    GraphError::new(
        ErrorCode::MethodNotAllowed,
        "Secure scores are computed by the service and cannot be created, changed or deleted; \
         change a control's state with PATCH /security/secureScoreControlProfiles/{id}.",
    )
}
