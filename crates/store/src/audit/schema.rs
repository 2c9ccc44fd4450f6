//! The `V10__audit_log` schema (both backends, additive) and the OData property table of
//! `secgraph.auditLog`.
//!
//! `audit_log` holds one row per recorded write. `doc` is the entity ([`super::AuditRecord`]) as
//! JSON; the columns before it copy every value a list may filter or sort on, so filters and
//! sorts on those never read the document (on PostgreSQL a generated JSONB copy serves the rest,
//! such as `initiatedBy/app eq null`). `tenant_id` is NULL for the few admin changes that belong to no tenant (signing
//! keys, the provider registry). The table is append-only: the store has no statement that
//! changes or removes a row, and the database itself refuses `UPDATE` and `DELETE` (and on
//! PostgreSQL `TRUNCATE`) with triggers, so not even a bug or a hand-written statement through the
//! application's connection can rewrite history.

use super::{AuditActorKind, AuditCategory, AuditResult};
use odata::schema::{ComplexType, EntitySchema, PropType, Property};

/// The `V10__audit_log` table, with the `{text}`/`{int}` holes of `crate::migrations::Ddl`; the
/// backend's [`SQLITE_APPEND_ONLY`] or [`POSTGRES_APPEND_ONLY`] triggers follow it.
pub(crate) const V10_AUDIT_LOG: &str = "CREATE TABLE audit_log (
    id {text} NOT NULL,
    tenant_id {text},
    at {text} NOT NULL,
    category {text} NOT NULL,
    operation {text} NOT NULL,
    method {text},
    resource_path {text} NOT NULL,
    resource_id {text},
    result {text} NOT NULL,
    status_code {int},
    request_id {text},
    app_id {text},
    user_id {text},
    doc {text} NOT NULL,
{doc_copy}    PRIMARY KEY (id)
);
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, at, id);
";

/// SQLite's guard: `BEFORE UPDATE` and `BEFORE DELETE` triggers that abort the statement.
pub(crate) const SQLITE_APPEND_ONLY: &str =
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: its rows cannot be updated or deleted'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: its rows cannot be updated or deleted'); END;
";

/// PostgreSQL's guard: one function raising the refusal, fired before any `UPDATE` or `DELETE`
/// row and before a `TRUNCATE` (which fires no row triggers).
pub(crate) const POSTGRES_APPEND_ONLY: &str =
    "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: its rows cannot be updated or deleted';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
";

/// A property clients may `$select` but not filter or sort on.
const fn shown(name: &'static str, ty: PropType) -> Property {
    Property {
        name,
        ty,
        filterable: false,
        sortable: false,
    }
}

static APP_IDENTITY: ComplexType = ComplexType {
    name: "secgraph.auditAppIdentity",
    properties: &[Property::new("appId", PropType::String)],
    derived: &[],
};

static USER_IDENTITY: ComplexType = ComplexType {
    name: "secgraph.auditUserIdentity",
    properties: &[Property::new("id", PropType::String)],
    derived: &[],
};

static INITIATED_BY: ComplexType = ComplexType {
    name: "secgraph.auditActor",
    properties: &[
        Property::new("app", PropType::Complex(&APP_IDENTITY)),
        Property::new("user", PropType::Complex(&USER_IDENTITY)),
        shown("kind", PropType::Enum(&AuditActorKind::ODATA)),
    ],
    derived: &[],
};

/// `secgraph.auditLog`: every property of [`super::AuditRecord`]'s serialisation. The filterable
/// ones are exactly those with a column (`super::hot_column`).
pub static AUDIT_LOG: EntitySchema = EntitySchema {
    name: "secgraph.auditLog",
    properties: &[
        Property::new("id", PropType::String),
        Property::new("activityDateTime", PropType::DateTimeOffset),
        Property::new("category", PropType::Enum(&AuditCategory::ODATA)),
        Property::new("operation", PropType::String),
        Property::new("method", PropType::String),
        Property::new("resourcePath", PropType::String),
        Property::new("resourceId", PropType::String),
        Property::new("result", PropType::Enum(&AuditResult::ODATA)),
        Property::new("statusCode", PropType::Int32),
        Property::new("requestId", PropType::String),
        shown("clientRequestId", PropType::String),
        Property::new("initiatedBy", PropType::Complex(&INITIATED_BY)),
        shown("tenantId", PropType::String),
        shown("change", PropType::Dictionary),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    /// The message both backends refuse a change of `audit_log` with.
    const REFUSAL: &str = "audit_log is append-only: its rows cannot be updated or deleted";

    #[test]
    fn both_guards_refuse_with_the_same_message() {
        assert!(SQLITE_APPEND_ONLY.contains(REFUSAL));
        assert!(POSTGRES_APPEND_ONLY.contains(REFUSAL));
    }
}
