//! `GET /secgraph/v1/tiIndicators/export`: threat indicators as the plain lists firewalls and
//! proxies poll (external-dynamic-list style). Not a Graph API, so it is mounted beside the Graph
//! version roots and answers lists, not OData.
//!
//! | parameter | values | default |
//! |---|---|---|
//! | `type` | `ip` (addresses and CIDR blocks, IPv4 and IPv6), `domain`, `url`, `hash`, `email` | required |
//! | `action` | `block`, `alert`, `allow` | every action |
//! | `format` | `text` (one value a line), `csv` (RFC 4180 with a header row), `stix` (a STIX 2.1 bundle) | `text` |
//! | `key` | an export key (see [`caller`]) | — |
//!
//! Only active indicators that have not expired at the tenant's now are exported, so an
//! expired indicator disappears from the next poll. An indicator's action is its `action`, except
//! that `passiveOnly` indicators never block (their `block` is exported as `alert`) and an absent
//! or unknown action is `alert`. Lists are sorted (addresses numerically, IPv4 first) and hold each
//! value once per action ([`list`]). Every answer carries a strong `ETag` (SHA-256 of the body) and
//! `Cache-Control: no-cache`; a poll whose `If-None-Match` names the current tag gets 304 and no
//! body.

pub mod caller;
mod list;

pub use caller::ExportCaller;

use crate::error::GraphError;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use model::indicator::TiIndicator;
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// The path the export is served at.
pub const PATH: &str = "/secgraph/v1/tiIndicators/export";

/// Which observables an export lists (`type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportType {
    /// IPv4 and IPv6 addresses and CIDR blocks.
    Ip,
    /// Host names.
    Domain,
    /// URLs.
    Url,
    /// File hashes (the digest alone).
    Hash,
    /// E-mail addresses (senders and recipients).
    Email,
}

/// What an indicator asks devices to do (`action`), after the passive-only rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExportAction {
    /// Block the traffic.
    Block,
    /// Let it through and raise an alert.
    Alert,
    /// Let it through (an exception to block lists).
    Allow,
}

impl ExportAction {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ExportAction::Block => "block",
            ExportAction::Alert => "alert",
            ExportAction::Allow => "allow",
        }
    }
}

/// How the list is written (`format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One value a line, `text/plain`.
    Text,
    /// RFC 4180 CSV with a header row.
    Csv,
    /// A STIX 2.1 bundle, one `indicator` per tiIndicator.
    Stix,
}

const TYPES: &[(&str, ExportType)] = &[
    ("ip", ExportType::Ip),
    ("domain", ExportType::Domain),
    ("url", ExportType::Url),
    ("hash", ExportType::Hash),
    ("email", ExportType::Email),
];
const ACTIONS: &[(&str, ExportAction)] = &[
    ("block", ExportAction::Block),
    ("alert", ExportAction::Alert),
    ("allow", ExportAction::Allow),
];
const FORMATS: &[(&str, ExportFormat)] = &[
    ("text", ExportFormat::Text),
    ("csv", ExportFormat::Csv),
    ("stix", ExportFormat::Stix),
];

/// The query parameters of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportParams {
    /// `type`.
    pub kind: ExportType,
    /// `action`; `None` exports every action.
    pub action: Option<ExportAction>,
    /// `format`.
    pub format: ExportFormat,
}

impl ExportParams {
    /// Reads the raw query string. Names are exact, values case-insensitive; a missing `type`, an
    /// unknown parameter, a repeated one or a value outside its list is a 400 that names the
    /// parameter and its allowed values. `key` is the caller's credential and is read elsewhere.
    pub fn parse(query: &str) -> Result<ExportParams, GraphError> {
        let (mut kind, mut action, mut format) = (None, None, None);
        let mut seen: Vec<String> = Vec::new();
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            if seen.iter().any(|s| *s == name) {
                return Err(GraphError::bad_request(format!(
                    "The '{name}' parameter is given more than once; give it once."
                )));
            }
            seen.push(name.to_string());
            match name.as_ref() {
                "type" => kind = Some(choice("type", &value, TYPES)?),
                "action" => action = Some(choice("action", &value, ACTIONS)?),
                "format" => format = Some(choice("format", &value, FORMATS)?),
                "key" => {}
                other => {
                    return Err(GraphError::bad_request(format!(
                        "Unknown parameter '{other}'. The export takes type ({}), action ({}), format ({}) and key.",
                        names(TYPES),
                        names(ACTIONS),
                        names(FORMATS)
                    )))
                }
            }
        }
        let kind = kind.ok_or_else(|| {
            GraphError::bad_request(format!(
                "The 'type' parameter is required; use one of: {}.",
                names(TYPES)
            ))
        })?;
        Ok(ExportParams {
            kind,
            action,
            format: format.unwrap_or(ExportFormat::Text),
        })
    }
}

fn choice<T: Copy>(name: &str, value: &str, options: &[(&str, T)]) -> Result<T, GraphError> {
    options
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(value.trim()))
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            GraphError::bad_request(format!(
                "The '{name}' parameter must be one of: {}; got '{value}'.",
                names(options)
            ))
        })
}

fn names<T>(options: &[(&str, T)]) -> String {
    options
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `GET /secgraph/v1/tiIndicators/export`: the caller's live indicators of one `type` as a text,
/// CSV or STIX list, with `ETag`/`If-None-Match`. An export key sees its tenant's indicators; a
/// bearer token with `ThreatIndicators.ReadWrite.OwnedBy` sees those its application submitted.
pub async fn export_indicators(
    State(app): State<AppState>,
    caller: ExportCaller,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, GraphError> {
    let params = ExportParams::parse(query.as_deref().unwrap_or(""))?;
    let now = app.store().now_for(caller.tenant_id());
    let stored = caller.indicators(&app).unexpired(now).await?;
    let mut live = Vec::with_capacity(stored.len());
    for s in stored {
        let doc = Value::Object(s.doc);
        let parsed = TiIndicator::deserialize(&doc)
            .map_err(|e| GraphError::internal(format!("stored indicator {}: {e}", s.id)))?;
        if parsed.body.is_active && parsed.body.expiration_date_time > now {
            live.push((parsed, doc));
        }
    }
    let (body, content_type) = render(&live, params, now)?;
    Ok(conditional(&headers, body, content_type))
}

/// The body and its media type.
fn render(
    live: &[(TiIndicator, Value)],
    params: ExportParams,
    now: OffsetDateTime,
) -> Result<(Vec<u8>, &'static str), GraphError> {
    Ok(match params.format {
        ExportFormat::Text => {
            let entries = list::entries(live, params.kind, params.action);
            (
                list::text(&entries).into_bytes(),
                "text/plain; charset=utf-8",
            )
        }
        ExportFormat::Csv => {
            let entries = list::entries(live, params.kind, params.action);
            (
                list::csv(&entries).into_bytes(),
                "text/csv; charset=utf-8; header=present",
            )
        }
        ExportFormat::Stix => {
            let docs = list::stix_documents(live, params.kind, params.action);
            let bundle = model::intel::export_stix_bundle(&docs, now);
            let bytes = serde_json::to_vec(&bundle).map_err(GraphError::internal)?;
            (bytes, "application/stix+json;version=2.1")
        }
    })
}

/// The strong entity tag of `body`: the first 128 bits of its SHA-256, in hex.
pub fn etag_of(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Whether an `If-None-Match` header names `etag` (weak comparison, as RFC 9110 §13.1.2 asks) or
/// is `*`.
fn none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

/// 200 with the body, or 304 without it when the caller already has this version.
fn conditional(headers: &HeaderMap, body: Vec<u8>, content_type: &'static str) -> Response {
    let etag = etag_of(&body);
    let mut resp = if none_match(headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = (StatusCode::OK, Body::from(body)).into_response();
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        r
    };
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_checked_by_name_and_value() {
        let p = ExportParams::parse("type=IP&format=csv&action=block&key=x").unwrap();
        assert_eq!(
            p,
            ExportParams {
                kind: ExportType::Ip,
                action: Some(ExportAction::Block),
                format: ExportFormat::Csv
            }
        );
        let default = ExportParams::parse("type=hash").unwrap();
        assert_eq!((default.action, default.format), (None, ExportFormat::Text));
        for (query, needle) in [
            (
                "",
                "'type' parameter is required; use one of: ip, domain, url, hash, email",
            ),
            (
                "type=mac",
                "'type' parameter must be one of: ip, domain, url, hash, email; got 'mac'",
            ),
            (
                "type=ip&action=drop",
                "'action' parameter must be one of: block, alert, allow",
            ),
            (
                "type=ip&format=json",
                "'format' parameter must be one of: text, csv, stix",
            ),
            (
                "type=ip&type=url",
                "'type' parameter is given more than once",
            ),
            ("type=ip&limit=5", "Unknown parameter 'limit'"),
        ] {
            let e = ExportParams::parse(query).unwrap_err();
            assert!(e.message.contains(needle), "{query}: {}", e.message);
        }
    }

    #[test]
    fn if_none_match_uses_weak_comparison_and_star() {
        let tag = etag_of(b"a\n");
        assert_eq!(tag.len(), 34);
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::IF_NONE_MATCH, HeaderValue::from_str(v).unwrap());
            none_match(&h, &tag)
        };
        assert!(with(&tag));
        assert!(with(&format!("\"x\", W/{tag}")));
        assert!(with("*"));
        assert!(!with("\"other\""));
        assert!(!none_match(&HeaderMap::new(), &tag));
    }
}
