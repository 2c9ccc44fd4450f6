//! What a version root says about itself: `GET /v1.0/$metadata` (the CSDL of the entity types we
//! serve, [`csdl`]) and `GET /v1.0/` (the OData service document). Both are generated from
//! [`SERVED`] — each set with the property table its routes bind `$filter`/`$select` against — so
//! the document cannot drift from what the routes accept; a test holds [`SERVED`] to the
//! permission table's collection routes. Like Graph's, both answer without a token.

pub mod csdl;

use crate::query::ApiVersion;
use crate::response;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use odata::schema::EntitySchema;
use serde_json::json;
use std::sync::OnceLock;

/// An entity set below the `security` singleton, as the routes serve it.
#[derive(Debug)]
pub struct ServedSet {
    /// Its navigation name (`alerts_v2`: the path is `/security/alerts_v2`).
    pub name: &'static str,
    /// The property table its routes bind against under a version.
    pub schema: fn(ApiVersion) -> &'static EntitySchema,
    /// Served under `/beta` only.
    pub beta_only: bool,
    /// Navigation properties of its entities (`incident.alerts`).
    pub navigation: &'static [(&'static str, &'static EntitySchema)],
}

/// Every entity set below `/security` (the subscriptions set has no property table yet, so it is
/// not described).
pub static SERVED: &[ServedSet] = &[
    ServedSet {
        name: "alerts_v2",
        schema: |_| &model::schema::ALERT,
        beta_only: false,
        navigation: &[],
    },
    ServedSet {
        name: "incidents",
        schema: crate::routes::incidents::schema,
        beta_only: false,
        navigation: &[("alerts", &model::schema::ALERT)],
    },
    ServedSet {
        name: "alerts",
        schema: |_| &model::schema::LEGACY_ALERT,
        beta_only: false,
        navigation: &[],
    },
    ServedSet {
        name: "secureScores",
        schema: |_| &model::secure_score::SECURE_SCORE,
        beta_only: false,
        navigation: &[],
    },
    ServedSet {
        name: "secureScoreControlProfiles",
        schema: |_| &model::secure_score::SECURE_SCORE_CONTROL_PROFILE,
        beta_only: false,
        navigation: &[],
    },
    ServedSet {
        name: "tiIndicators",
        schema: |_| &model::schema::indicator::TI_INDICATOR,
        beta_only: false,
        navigation: &[],
    },
    ServedSet {
        name: "securityActions",
        schema: |_| &store::security_actions::SECURITY_ACTION,
        beta_only: true,
        navigation: &[],
    },
];

/// `GET /$metadata`: the CSDL document of the version (generated once, then served as is).
pub async fn get_metadata(version: ApiVersion) -> Response {
    static V1: OnceLock<String> = OnceLock::new();
    static BETA: OnceLock<String> = OnceLock::new();
    let cell = match version {
        ApiVersion::V1 => &V1,
        ApiVersion::Beta => &BETA,
    };
    let doc = cell.get_or_init(|| csdl::document(version)).clone();
    let mut resp = (StatusCode::OK, doc).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml;charset=utf-8"),
    );
    resp
}

/// `GET /`: the OData service document: the `security` singleton (its sets are navigation
/// properties, listed in `$metadata`).
pub async fn get_service_document(State(app): State<AppState>, version: ApiVersion) -> Response {
    let base = format!("{}/{}", app.config().public_url, version.segment());
    let body = json!({
        "@odata.context": format!("{base}/$metadata"),
        "value": [{"name": "security", "kind": "Singleton", "url": "security"}],
    });
    response::json_response(StatusCode::OK, response::json_bytes(&body))
}
