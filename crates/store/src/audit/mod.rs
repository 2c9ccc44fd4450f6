//! The audit log: one append-only record per write — a Graph or secgraph request that changes
//! something, an admin change through the admin API or the CLI, a failed token request — saying
//! who (tenant, application, user, or the operator), what (operation, path, the redacted request
//! body), when (the store's clock), the request id and how it ended.
//!
//! Records are appended with [`Store::append_audit`] (one `INSERT` in its own transaction) and
//! read back per tenant only, through [`TenantStore::audit_log`], so every read starts from the
//! tenant. Nothing here updates or deletes a row, and the database refuses to (see [`schema`]).
//! What goes into a record (and what is redacted) is the caller's business: the API's audit layer
//! and the admin CLI build them.

mod read;
mod schema;

pub use read::AuditPage;
pub use schema::AUDIT_LOG;
pub(crate) use schema::{POSTGRES_APPEND_ONLY, SQLITE_APPEND_ONLY, V10_AUDIT_LOG};

use crate::dialect::statement;
use crate::error::StoreError;
use crate::handle::Store;
use crate::query::Documents;
use crate::tenant::TenantStore;
use crate::value::Value;
use model::{datetime, wire_enum, TenantId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

wire_enum! {
    /// Which surface a recorded write came through.
    pub enum AuditCategory: "secgraph.auditCategory" {
        Graph = "graph", Secgraph = "secgraph", Admin = "admin", Cli = "cli", Token = "token",
    }
}

wire_enum! {
    /// How a recorded write ended (Graph's `operationResult` members that apply).
    pub enum AuditResult: "secgraph.auditResult" {
        Success = "success", Failure = "failure",
    }
}

wire_enum! {
    /// Who a record is attributed to: an application with a verified token, the holder of the
    /// admin credential, an operator at the command line, or a client that failed to authenticate
    /// (its `appId` is the client id it presented, not a proven one).
    pub enum AuditActorKind: "secgraph.auditActorKind" {
        Application = "application", Admin = "admin", Cli = "cli",
        Unauthenticated = "unauthenticated",
    }
}

/// An application in a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditApp {
    /// Its client id.
    pub app_id: String,
}

/// A signed-in user in a record (delegated tokens only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditUser {
    /// The user's object id.
    pub id: String,
}

/// Who made a recorded write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditActor {
    /// The calling application, when there is one.
    pub app: Option<AuditApp>,
    /// The signed-in user (`null` for app-only tokens, the only kind secgraph issues today).
    pub user: Option<AuditUser>,
    /// What kind of caller it was.
    pub kind: AuditActorKind,
}

/// What a caller records: everything but the id and the time, which the store assigns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// The surface the write came through.
    pub category: AuditCategory,
    /// What was done: the method and route template (`PATCH /v1.0/security/alerts_v2/{id}`), or a
    /// named operation (`consent.grant`, `token.issue`).
    pub operation: String,
    /// The HTTP method (`null` for CLI operations).
    pub method: Option<String>,
    /// The path the request addressed (or the CLI's object, such as `tenants/{id}/consents/{app}`).
    pub resource_path: String,
    /// The id of the entity the path names, if it names one.
    pub resource_id: Option<String>,
    /// How it ended.
    pub result: AuditResult,
    /// The HTTP status of the answer (`null` for CLI operations).
    pub status_code: Option<u16>,
    /// Our `request-id` of the request (`null` for CLI operations).
    pub request_id: Option<String>,
    /// The caller's `client-request-id`, when it sent one.
    pub client_request_id: Option<String>,
    /// Who.
    pub initiated_by: AuditActor,
    /// The tenant the write belongs to (`null` for global admin changes).
    pub tenant_id: Option<String>,
    /// The change: the request body with secrets redacted, or what the operation set.
    pub change: Option<serde_json::Value>,
}

/// `secgraph.auditLog`: one record as clients receive it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRecord {
    /// Server-generated (a UUID v7, so ids grow with time).
    pub id: String,
    /// When it was recorded, from the store's clock.
    #[serde(with = "datetime::required")]
    pub activity_date_time: OffsetDateTime,
    /// Everything else.
    #[serde(flatten)]
    pub entry: AuditEntry,
}

impl Store {
    /// Appends `entry` to the audit log with a new id and the store's current time, in one
    /// `INSERT` that has committed when this returns. Returns the record as stored.
    pub async fn append_audit(&self, entry: AuditEntry) -> Result<AuditRecord, StoreError> {
        let record = AuditRecord {
            id: uuid::Uuid::now_v7().to_string(),
            activity_date_time: self.clock().now(),
            entry,
        };
        let params = row_values(&record)?;
        let sql = statement(
            self.dialect(),
            "INSERT INTO audit_log (id, tenant_id, at, category, operation, method, resource_path, \
             resource_id, result, status_code, request_id, app_id, user_id, doc) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        );
        self.write(move |tx| tx.execute(&sql, &params).map(drop))
            .await?;
        Ok(record)
    }
}

/// The column values of `record`, in the `INSERT`'s order.
fn row_values(record: &AuditRecord) -> Result<Vec<Value>, StoreError> {
    let e = &record.entry;
    let doc = serde_json::to_string(record)
        .map_err(|err| StoreError::Corrupt(format!("audit record {}: {err}", record.id)))?;
    Ok(vec![
        record.id.as_str().into(),
        e.tenant_id.clone().into(),
        datetime::format(record.activity_date_time).into(),
        e.category.as_str().into(),
        e.operation.as_str().into(),
        e.method.clone().into(),
        e.resource_path.as_str().into(),
        e.resource_id.clone().into(),
        e.result.as_str().into(),
        e.status_code.map(i64::from).into(),
        e.request_id.clone().into(),
        e.initiated_by.app.as_ref().map(|a| a.app_id.clone()).into(),
        e.initiated_by.user.as_ref().map(|u| u.id.clone()).into(),
        doc.into(),
    ])
}

/// One tenant's audit log (cheap to clone): reads only.
#[derive(Debug, Clone)]
pub struct AuditLogStore {
    tenant: TenantStore,
}

impl TenantStore {
    /// The tenant's audit log.
    pub fn audit_log(&self) -> AuditLogStore {
        AuditLogStore {
            tenant: self.clone(),
        }
    }
}

impl AuditLogStore {
    /// The tenant this log belongs to.
    pub fn tenant_id(&self) -> &TenantId {
        self.tenant.tenant_id()
    }
}

/// The auditLog documents of `audit_log`, newest first by default.
pub(crate) static AUDIT_RECORDS: Documents = Documents {
    name: "auditLog",
    table: "audit_log",
    doc_column: "audit_log.doc",
    id_column: "audit_log.id",
    default_order: "activityDateTime",
    hot_column,
};

/// The column holding exactly the value at `path` of an auditLog document, and whether it may be
/// NULL.
fn hot_column(path: &[&str]) -> Option<(&'static str, bool)> {
    Some(match path {
        ["activityDateTime"] => ("at", false),
        ["category"] => ("category", false),
        ["operation"] => ("operation", false),
        ["method"] => ("method", true),
        ["resourcePath"] => ("resource_path", false),
        ["resourceId"] => ("resource_id", true),
        ["result"] => ("result", false),
        ["statusCode"] => ("status_code", true),
        ["requestId"] => ("request_id", true),
        ["initiatedBy", "app", "appId"] => ("app_id", true),
        ["initiatedBy", "user", "id"] => ("user_id", true),
        _ => return None,
    })
}
