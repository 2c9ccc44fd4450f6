//! [`ExportCaller`]: who polls an export, and so which indicators it sees. The extractor is the
//! route's permission declaration (design rule 4): it admits either
//!
//! * an **export key** (`sgx_<id>_<secret>`, see `store::indicators::ExportKeyStore`) sent as
//!   `X-Api-Key: <key>`, `Authorization: Bearer <key>` or `?key=<key>` — every live indicator of
//!   the key's tenant; or
//! * a **bearer token** from our token endpoint granting [`EXPORT_TOKEN`]
//!   (`ThreatIndicators.ReadWrite.OwnedBy`) — the indicators its application submitted, as in
//!   Graph. In emulator mode (`--auth none`) a request without credentials is the emulator.
//!
//! Exactly one credential may be sent. A wrong, unknown or revoked key is a 401 at once (keys are
//! read from the store on every request); a token without the permission is a 403 naming it.

use super::super::table::TI_INDICATORS;
use super::super::ti_indicators::EMULATOR_APP;
use crate::authorize::{forbidden, unauthenticated};
use crate::error::GraphError;
use crate::principal::{Authenticator, Principal};
use crate::state::AppState;
use auth::permission::Requirement;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use model::TenantId;
use store::indicators::{looks_like_export_key, ExportKeyCheck, EXPORT_KEY_PREFIX};
use store::IndicatorStore;

/// What a bearer token must grant to export: the tiIndicator permission.
pub const EXPORT_TOKEN: &Requirement = &TI_INDICATORS;

/// The header a key may be sent in.
pub const API_KEY_HEADER: &str = "x-api-key";

/// The authenticated poller of an export.
#[derive(Debug, Clone)]
pub enum ExportCaller {
    /// An export key: the whole tenant's indicators.
    Key {
        /// The key's tenant.
        tenant_id: TenantId,
        /// The key's id.
        key_id: String,
    },
    /// A bearer token (or the emulator): the indicators of its application.
    App(Principal),
}

impl ExportCaller {
    /// The tenant whose indicators the caller exports.
    pub fn tenant_id(&self) -> &TenantId {
        match self {
            ExportCaller::Key { tenant_id, .. } => tenant_id,
            ExportCaller::App(p) => &p.tenant_id,
        }
    }

    /// The indicators this caller may export.
    pub fn indicators(&self, app: &AppState) -> IndicatorStore {
        match self {
            ExportCaller::Key { tenant_id, .. } => app.store().tenant(tenant_id).all_indicators(),
            ExportCaller::App(p) => app
                .store()
                .tenant(&p.tenant_id)
                .indicators_of(p.app_id.as_deref().unwrap_or(EMULATOR_APP)),
        }
    }
}

/// A credential found in the request, and where.
enum Presented {
    Key { key: String, from: &'static str },
    Token,
    Nothing,
}

impl FromRequestParts<AppState> for ExportCaller {
    type Rejection = GraphError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, GraphError> {
        match presented(parts)? {
            Presented::Key { key, from } => by_key(state, &key, from).await,
            Presented::Nothing if matches!(state.auth(), Authenticator::Tokens) => {
                Err(unauthenticated(
                    state,
                    "No credential was sent. Send an export key (header 'X-Api-Key: sgx_…', 'Authorization: Bearer sgx_…' or '?key=sgx_…') or a bearer token granting ThreatIndicators.ReadWrite.OwnedBy.",
                    false,
                ))
            }
            Presented::Token | Presented::Nothing => {
                let principal = state.auth().authenticate(state, &parts.headers).await?;
                if !EXPORT_TOKEN.is_met_by(&principal.permissions) {
                    return Err(forbidden(EXPORT_TOKEN, &principal));
                }
                Ok(ExportCaller::App(principal))
            }
        }
    }
}

/// The one credential of the request; 400 when there are several.
fn presented(parts: &Parts) -> Result<Presented, GraphError> {
    let mut found: Vec<(&'static str, Option<String>)> = Vec::new();
    for v in parts.headers.get_all(API_KEY_HEADER) {
        found.push(("the X-Api-Key header", Some(header_text(v))));
    }
    let query = parts.uri.query().unwrap_or("");
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if name == "key" {
            found.push(("the key parameter", Some(value.trim().to_owned())));
        }
    }
    for v in parts.headers.get_all(AUTHORIZATION) {
        let text = header_text(v);
        let key = text
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|token| token.starts_with(EXPORT_KEY_PREFIX))
            .map(str::to_owned);
        found.push(("the Authorization header", key));
    }
    if found.len() > 1 {
        let places: Vec<&str> = found.iter().map(|(from, _)| *from).collect();
        return Err(GraphError::bad_request(format!(
            "Send one credential; this request has {}. Use one of them.",
            places.join(" and ")
        )));
    }
    Ok(match found.pop() {
        None => Presented::Nothing,
        Some((from, Some(key))) => Presented::Key { key, from },
        Some((_, None)) => Presented::Token,
    })
}

fn header_text(v: &axum::http::HeaderValue) -> String {
    String::from_utf8_lossy(v.as_bytes()).trim().to_owned()
}

/// The caller a presented key stands for, or a 401 saying what is wrong with it.
async fn by_key(state: &AppState, key: &str, from: &str) -> Result<ExportCaller, GraphError> {
    if !looks_like_export_key(key) {
        return Err(unauthenticated(
            state,
            &format!(
                "The credential in {from} is not an export key; keys look like sgx_<id>_<secret> as printed once by 'secgraph indicators export-key create'."
            ),
            true,
        ));
    }
    match state.store().check_export_key(key).await? {
        ExportKeyCheck::Valid { tenant_id, key_id } => {
            Ok(ExportCaller::Key { tenant_id, key_id })
        }
        ExportKeyCheck::Revoked => Err(unauthenticated(
            state,
            "The export key has been revoked; create a new one with 'secgraph indicators export-key create'.",
            true,
        )),
        ExportKeyCheck::Unknown => Err(unauthenticated(
            state,
            "The export key is not valid: no key has this id and secret. Check that it was copied whole.",
            true,
        )),
    }
}
