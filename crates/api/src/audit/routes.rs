//! `GET /secgraph/v1/auditLogs` (a secgraph extension, not a Graph API): the caller's tenant's
//! audit log, newest first, with `$filter` and `$orderby` on `id`, `activityDateTime`,
//! `category`, `operation`, `method`, `resourcePath`, `resourceId`, `result`, `statusCode`,
//! `requestId`, `initiatedBy/app/appId` and `initiatedBy/user/id`, `$select`, `$top`, `$skip`,
//! `$count` and server-driven paging; `/{id}` reads one record and `/$count` counts. Reading
//! requires `AuditLog.Read.All` (Graph's permission for its own audit logs).

use crate::body::EntityKey;
use crate::entity_set::EntitySet;
use crate::error::GraphError;
use crate::links;
use crate::paging::{self, PageAt, PageLimits};
use crate::principal::Principal;
use crate::query::{ODataQuery, Prefer};
use crate::response;
use crate::state::AppState;
use auth::permission::{Permission, Requirement};
use axum::extract::State;
use axum::response::Response;
use odata::bound::BoundQuery;
use store::audit::{AuditLogStore, AUDIT_LOG};

/// The collection's path.
pub const PATH: &str = "/secgraph/v1/auditLogs";
/// One record's path.
pub const ENTITY_PATH: &str = "/secgraph/v1/auditLogs/{id}";
/// The count's path.
pub const COUNT_PATH: &str = "/secgraph/v1/auditLogs/$count";

/// The API root the set lives under.
const ROOT: &str = "secgraph/v1";

/// Reading the audit log: `AuditLog.Read.All`.
pub const AUDIT_LOG_READ: Requirement = Requirement(&[Permission::AuditLogReadAll]);

/// `auditLogs` below `/secgraph/v1`.
pub const SET: EntitySet = EntitySet {
    path: "auditLogs",
    odata_type: "#secgraph.auditLog",
    name: "auditLog",
    limits: PageLimits {
        default_top: 100,
        max_top: 1000,
        max_skip: None,
    },
};

/// The caller's tenant's log.
fn log(app: &AppState, who: &Principal) -> AuditLogStore {
    app.store().tenant(&who.tenant_id).audit_log()
}

/// The query options bound against `secgraph.auditLog`.
fn bind(query: &ODataQuery, prefer: &Prefer) -> Result<BoundQuery, GraphError> {
    let bound = query.bind(&AUDIT_LOG, prefer)?;
    SET.no_expand(&bound)?;
    Ok(bound)
}

/// `GET /secgraph/v1/auditLogs`: a page of the caller's tenant's records, newest first.
pub async fn list_audit_logs(
    State(app): State<AppState>,
    who: Principal,
    prefer: Prefer,
    query: ODataQuery,
) -> Result<Response, GraphError> {
    let bound = bind(&query, &prefer)?;
    let page_size = SET.page_size(&bound)?;
    let page = log(&app, &who).list(&bound, page_size).await?;
    let at = PageAt {
        root: ROOT,
        set: SET.path,
        query: &query,
    };
    let shape = SET.shape(bound.select.as_deref());
    paging::page_response_at(&app, &at, &shape, &page, serde_json::to_string)
}

/// `GET /secgraph/v1/auditLogs/$count`: how many of the tenant's records match `$filter`.
pub async fn count_audit_logs(
    State(app): State<AppState>,
    who: Principal,
    prefer: Prefer,
    query: ODataQuery,
) -> Result<Response, GraphError> {
    let bound = query.bind(&AUDIT_LOG, &prefer)?;
    let n = log(&app, &who).count(bound.filter.as_ref()).await?;
    Ok(response::count_response(n))
}

/// `GET /secgraph/v1/auditLogs/{id}`: one of the tenant's records (`$select` applies).
pub async fn get_audit_log(
    State(app): State<AppState>,
    who: Principal,
    prefer: Prefer,
    query: ODataQuery,
    key: EntityKey,
) -> Result<Response, GraphError> {
    let bound = bind(&query, &prefer)?;
    let record = log(&app, &who)
        .get(&key.0)
        .await?
        .ok_or_else(|| SET.not_found(&key.0))?;
    let select = bound.select.as_deref();
    let fragment = format!("{}/$entity", links::collection_fragment(SET.path, select));
    let context = links::context_url_at(&app.config().public_url, ROOT, &fragment);
    let text = serde_json::to_string(&record).map_err(GraphError::internal)?;
    response::entity_response(&context, &text, false, &SET.shape(select))
}
