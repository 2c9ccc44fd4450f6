//! Shared test support: stores in temporary directories, alert fixtures from JSON, and small entity
//! schemas (so these tests do not depend on `model`'s full property tables).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // test support: failures should panic

use model::enums::{AlertSeverity, AlertStatus, EvidenceRole, EvidenceVerdict, ServiceSource};
use model::{StoredAlert, TenantId};
use odata::bound::{BoundExpr, BoundQuery};
use odata::schema::{ComplexType, EntitySchema, EnumType, PropType, Property};
use odata::BindOptions;
use serde_json::{json, Value};
use std::sync::Arc;
use store::{AlertView, IngestOrigin, ListRequest, ManualClock, Page, Store};
use testdb::TestDatabase;
use time::macros::datetime;

/// A flags enum, to exercise `has` (declared on `category` in the test schema).
pub static FLAGS: EnumType = EnumType {
    name: "test.flags",
    members: &["red", "green", "blue"],
    is_flags: true,
};

static STRINGS: PropType = PropType::String;
static ROLES: PropType = PropType::Enum(&EvidenceRole::ODATA);

static FILE_DETAILS: ComplexType = ComplexType {
    name: "microsoft.graph.security.fileDetails",
    properties: &[
        Property::new("fileName", PropType::String),
        Property::new("sha256", PropType::String),
        Property::new("fileSize", PropType::Int64),
    ],
    derived: &[],
};
static FILE_EVIDENCE: ComplexType = ComplexType {
    name: "microsoft.graph.security.fileEvidence",
    properties: &[Property::new(
        "fileDetails",
        PropType::Complex(&FILE_DETAILS),
    )],
    derived: &[],
};
static IP_EVIDENCE: ComplexType = ComplexType {
    name: "microsoft.graph.security.ipEvidence",
    properties: &[
        Property::new("ipAddress", PropType::String),
        Property::new("isExternal", PropType::Boolean),
    ],
    derived: &[],
};
static EVIDENCE: ComplexType = ComplexType {
    name: "microsoft.graph.security.alertEvidence",
    properties: &[
        Property::new("createdDateTime", PropType::DateTimeOffset),
        Property::new("verdict", PropType::Enum(&EvidenceVerdict::ODATA)),
        Property::new("roles", PropType::Collection(&ROLES)),
        Property::new("tags", PropType::Collection(&STRINGS)),
    ],
    derived: &[&FILE_EVIDENCE, &IP_EVIDENCE],
};
static EVIDENCE_TYPE: PropType = PropType::Complex(&EVIDENCE);

/// A subset of `microsoft.graph.security.alert`.
pub static ALERT: EntitySchema = EntitySchema {
    name: "microsoft.graph.security.alert",
    properties: &[
        Property::new("id", PropType::String),
        Property::new("title", PropType::String),
        Property::new("description", PropType::String),
        Property::new("assignedTo", PropType::String),
        Property::new("category", PropType::Enum(&FLAGS)),
        Property::new("incidentId", PropType::String),
        Property::new("severity", PropType::Enum(&AlertSeverity::ODATA)),
        Property::new("status", PropType::Enum(&AlertStatus::ODATA)),
        Property::new("serviceSource", PropType::Enum(&ServiceSource::ODATA)),
        Property::new("createdDateTime", PropType::DateTimeOffset),
        Property::new("lastUpdateDateTime", PropType::DateTimeOffset),
        Property::new("resolvedDateTime", PropType::DateTimeOffset),
        Property::new("systemTags", PropType::Collection(&STRINGS)),
        Property::new("evidence", PropType::Collection(&EVIDENCE_TYPE)),
        Property::new("customDetails", PropType::Dictionary),
    ],
};

static VENDOR: ComplexType = ComplexType {
    name: "microsoft.graph.securityVendorInformation",
    properties: &[
        Property::new("provider", PropType::String),
        Property::new("vendor", PropType::String),
    ],
    derived: &[],
};

/// A subset of the legacy `microsoft.graph.alert`.
pub static LEGACY: EntitySchema = EntitySchema {
    name: "microsoft.graph.alert",
    properties: &[
        Property::new("id", PropType::String),
        Property::new("title", PropType::String),
        Property::new("createdDateTime", PropType::DateTimeOffset),
        Property::new("status", PropType::String),
        Property::new("tags", PropType::Collection(&STRINGS)),
        Property::new("vendorInformation", PropType::Complex(&VENDOR)),
    ],
};

/// A store on the test's backend (see `testdb`) with a manual clock.
pub struct TestStore {
    pub store: Store,
    pub clock: Arc<ManualClock>,
    /// The database (dropped last).
    pub db: TestDatabase,
}

/// The default tenant of tests.
pub fn tenant_a() -> TenantId {
    TenantId("00000000-0000-0000-0000-00000000000a".into())
}

/// A second tenant.
pub fn tenant_b() -> TenantId {
    TenantId("00000000-0000-0000-0000-00000000000b".into())
}

/// Opens a fresh store with tenants A and B.
pub async fn open() -> TestStore {
    let db = TestDatabase::new();
    let clock = Arc::new(ManualClock::new(datetime!(2024-06-01 12:00 UTC)));
    let store = db.open_store(clock.clone());
    store.ensure_tenant(&tenant_a(), "Tenant A").await.unwrap();
    store.ensure_tenant(&tenant_b(), "Tenant B").await.unwrap();
    TestStore { store, clock, db }
}

/// A stored alert: a complete minimal alert with `alert` fields overridden, plus optional
/// `vendor`/`legacy` parts.
pub fn alert(id: &str, overrides: Value) -> StoredAlert {
    let mut a = json!({
        "id": id,
        "title": format!("Alert {id}"),
        "createdDateTime": "2024-05-01T00:00:00Z",
        "lastUpdateDateTime": "2024-05-01T00:00:00Z",
        "severity": "medium",
        "status": "new",
    });
    let mut vendor = json!({"provider": "Microsoft Defender ATP", "vendor": "Microsoft"});
    let mut legacy = json!({});
    for (k, v) in overrides.as_object().cloned().unwrap_or_default() {
        match k.as_str() {
            "vendor" => vendor = v,
            "legacy" => legacy = v,
            _ => {
                a[k] = v;
            }
        }
    }
    serde_json::from_value(json!({"alert": a, "vendor": vendor, "legacy": legacy})).unwrap()
}

/// Binds `$filter` text against the v2 test schema.
pub fn filter(text: &str) -> BoundExpr {
    odata::bind_filter(
        text,
        &ALERT,
        &BindOptions {
            include_unknown_enum_members: true,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Binds a whole query string (`$filter=..&$orderby=..`) against `schema`.
pub fn query(schema: &'static EntitySchema, raw: &str) -> BoundQuery {
    let options = odata::parse_query_string(raw).unwrap_or_else(|e| panic!("{raw}: {e}"));
    odata::bind(&options, schema, &BindOptions::default()).unwrap_or_else(|e| panic!("{raw}: {e}"))
}

/// Ingests alerts into tenant A.
pub async fn seed(store: &Store, alerts: Vec<StoredAlert>) {
    store
        .tenant(&tenant_a())
        .ingest(alerts, IngestOrigin::Import)
        .await
        .unwrap();
}

/// The ids of tenant A's alerts matching `$filter` text (v2 view), sorted.
pub async fn ids_where(store: &Store, text: &str) -> Vec<String> {
    let q = BoundQuery {
        filter: Some(filter(text)),
        ..Default::default()
    };
    let page = list(store, AlertView::V2, &q, 1000).await;
    let mut ids: Vec<String> = page.items.into_iter().map(|r| r.id.0).collect();
    ids.sort();
    ids
}

/// One page of tenant A.
pub async fn list(store: &Store, view: AlertView, q: &BoundQuery, page_size: u32) -> Page {
    store
        .tenant(&tenant_a())
        .list_alerts(ListRequest {
            view,
            query: q,
            page_size,
        })
        .await
        .unwrap()
}
