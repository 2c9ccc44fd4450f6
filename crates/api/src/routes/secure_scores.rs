//! `security/secureScores`: the tenant's daily secure-score snapshots, newest first (so `$top=1`
//! is the latest score and `$top=N` the last N days), by id (`{tenantId}_{yyyy-MM-dd}`), and
//! counted. Snapshots are computed by secgraph (the daily job, or on demand through the admin API
//! and CLI), never written by clients: POST, PATCH and DELETE are 405s.

use crate::body::EntityKey;
use crate::error::{ErrorCode, GraphError};
use crate::links;
use crate::paging::{self, PageLimits};
use crate::query::GraphRequest;
use crate::response::{self, Shape};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use model::secure_score::{SecureScore, SECURE_SCORE};
use store::secure_score::SecureScoreStore;

/// The entity set below the version root.
const SET: &str = "security/secureScores";
/// `@odata.type` of the entities.
const ODATA_TYPE: &str = "#microsoft.graph.secureScore";

/// Paging limits of `security/secureScores` (a page holds more than the default 90 days of
/// history).
pub const LIMITS: PageLimits = PageLimits {
    default_top: 100,
    max_top: 1000,
    max_skip: None,
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
    no_expand(&bound.expand, "secureScore")?;
    let page_size = paging::page_size(&bound, LIMITS)?;
    let page = scores(&app, &r).list_scores(&bound, page_size).await?;
    let shape = shape(bound.select.as_deref());
    paging::page_response(&app, &r, SET, &shape, &page, serde_json::to_string)
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
    no_expand(&bound.expand, "secureScore")?;
    let score = scores(&app, &r)
        .get_score(&key.0)
        .await?
        .ok_or_else(|| GraphError::not_found("secureScore", &key.0))?;
    entity(&app, &r, bound.select.as_deref(), &score)
}

/// `POST /security/secureScores`, `PATCH` and `DELETE /security/secureScores/{id}`.
pub async fn not_allowed() -> GraphError {
    GraphError::new(
        ErrorCode::MethodNotAllowed,
        "Secure scores are computed by the service and cannot be created, changed or deleted; \
         change a control's state with PATCH /security/secureScoreControlProfiles/{id}.",
    )
}

fn shape<'a>(select: Option<&'a [&'static str]>) -> Shape<'a> {
    Shape {
        odata_type: ODATA_TYPE,
        select,
        hide_evolvable: false,
    }
}

fn entity(
    app: &AppState,
    r: &GraphRequest,
    select: Option<&[&'static str]>,
    score: &SecureScore,
) -> Result<Response, GraphError> {
    let fragment = format!("{}/$entity", links::collection_fragment(SET, select));
    let context = links::context_url(&app.config().public_url, r.version, &fragment);
    let text = serde_json::to_string(score).map_err(GraphError::internal)?;
    response::entity_response(&context, &text, false, &shape(select))
}

/// A 400 for `$expand` on an entity set without navigation properties.
pub(crate) fn no_expand(expand: &[String], entity: &str) -> Result<(), GraphError> {
    match expand.first() {
        None => Ok(()),
        Some(name) => Err(GraphError::bad_request(format!(
            "'{name}' cannot be expanded: {entity} has no navigation properties. Remove $expand."
        ))
        .with_inner_code("invalidQueryOption")),
    }
}
