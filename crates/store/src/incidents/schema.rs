//! The `V7__incidents` schema (both backends, additive; numbered after `V6__secure_score`, which
//! landed first).
//!
//! * `incidents`: one row per incident. `doc` is the Graph entity ([`model::Incident`]) as JSON;
//!   the columns before it copy the values lists filter, order and page on (Graph's filterable set),
//!   `num` is the per-tenant number the id spells, and `status_by_user` records that an analyst set
//!   the status (the roll-up then leaves it alone; see `super::rollup`).
//! * `incident_pins`: the manual correlation decisions and guard states the engine keeps (each a
//!   serialised `correlate::Pin`, keyed `alert:<id>` or `incident:<n>`, so a change rewrites only
//!   the pins that changed); the correlation engine is rebuilt from them.
//! * `correlation_state`: per tenant, the version token of the last committed correlation write.
//!   A node keeps the token its in-memory engine matches; a different token in the database means
//!   another node (or a rolled-back transaction) changed what the engine believes, so it is rebuilt
//!   (see `super::correlation`).

/// The `V7__incidents` migration, with the `{text}`/`{int}`/`{document_text}`/`{without_rowid}`
/// holes of `crate::migrations::Ddl`.
pub(crate) const V7_INCIDENTS: &str = "CREATE TABLE incidents (
    tenant_id {text} NOT NULL REFERENCES tenants(id),
    id {text} NOT NULL,
    num {int} NOT NULL,
    status {text} NOT NULL,
    severity {text} NOT NULL,
    assigned_to {text},
    classification {text},
    determination {text},
    created_date_time {text} NOT NULL,
    last_update_date_time {text} NOT NULL,
    status_by_user {int} NOT NULL DEFAULT 0,
    doc {document_text} NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX incidents_created ON incidents (tenant_id, created_date_time, id);
CREATE INDEX incidents_last_update ON incidents (tenant_id, last_update_date_time, id);
CREATE INDEX incidents_num ON incidents (tenant_id, num);
CREATE TABLE incident_pins (
    tenant_id {text} NOT NULL REFERENCES tenants(id),
    pin_key {text} NOT NULL,
    pin {text} NOT NULL,
    updated {text} NOT NULL,
    PRIMARY KEY (tenant_id, pin_key)
){without_rowid};
CREATE TABLE correlation_state (
    tenant_id {text} PRIMARY KEY NOT NULL REFERENCES tenants(id),
    version {text} NOT NULL
);
";
