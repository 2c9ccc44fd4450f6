//! Path canonicalisation, applied before routing: Graph treats path segments case-insensitively
//! (`/beta/security/tiindicators`, `/v1.0/Security/Alerts_V2`) and accepts bound actions by their
//! qualified names (`microsoft.graph.updateAlerts`). Known literal segments are rewritten to their
//! canonical spelling; every other segment (ids) is left byte for byte as sent.

use axum::extract::Request;
use axum::http::Uri;

/// Literal segments of our routes, in canonical spelling.
pub(crate) const SEGMENTS: &[&str] = &[
    "v1.0",
    "beta",
    "security",
    "alerts_v2",
    "alerts",
    "incidents",
    "secgraph.linkAlerts",
    "secgraph.unlink",
    "secgraph.mergeInto",
    "comments",
    "$count",
    "$metadata",
    "$batch",
    "updateAlerts",
    "tiIndicators",
    "submitTiIndicators",
    "updateTiIndicators",
    "deleteTiIndicators",
    "deleteTiIndicatorsByExternalId",
    "securityActions",
    "cancelSecurityAction",
    "secureScores",
    "secureScoreControlProfiles",
];

/// Segments of entity sets Graph serves under `/beta` only: under `/v1.0` they are unknown.
pub(crate) const BETA_ONLY: &[&str] = &["securityActions"];

/// Namespaces a bound action may be qualified with.
const NAMESPACES: &[&str] = &["microsoft.graph.security.", "microsoft.graph."];

/// Rewrites the request path to canonical segments.
pub fn canonicalize(mut req: Request) -> Request {
    let uri = req.uri();
    let path = uri.path();
    let Some(canonical) = canonical_path(path) else {
        return req;
    };
    let rebuilt = match uri.query() {
        Some(q) => format!("{canonical}?{q}"),
        None => canonical,
    };
    if let Ok(new_uri) = rebuilt.parse::<Uri>() {
        *req.uri_mut() = new_uri;
    }
    req
}

/// The canonical form of `path`, or `None` when it is already canonical.
fn canonical_path(path: &str) -> Option<String> {
    let mut changed = false;
    let mut out = String::with_capacity(path.len());
    for (i, seg) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        let canon = canonical_segment(seg);
        if canon != seg {
            changed = true;
        }
        out.push_str(canon);
    }
    // `GET /v1.0/` is the service document, as `GET /v1.0` is.
    if let Some(root) = out
        .strip_suffix('/')
        .filter(|r| *r == "/v1.0" || *r == "/beta")
    {
        return Some(root.to_owned());
    }
    changed.then_some(out)
}

fn canonical_segment(seg: &str) -> &str {
    let decoded_dollar = seg.strip_prefix("%24").map(|rest| ("$", rest));
    if let Some((_, rest)) = decoded_dollar {
        if let Some(s) = SEGMENTS.iter().find(|s| {
            s.strip_prefix('$')
                .is_some_and(|t| t.eq_ignore_ascii_case(rest))
        }) {
            return s;
        }
    }
    if let Some(s) = SEGMENTS.iter().find(|s| s.eq_ignore_ascii_case(seg)) {
        return s;
    }
    for ns in NAMESPACES {
        if seg.len() > ns.len() && seg[..ns.len()].eq_ignore_ascii_case(ns) {
            let action = &seg[ns.len()..];
            if let Some(s) = SEGMENTS.iter().find(|s| s.eq_ignore_ascii_case(action)) {
                return s;
            }
        }
    }
    seg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_case_insensitive_and_ids_untouched() {
        assert_eq!(
            canonical_path("/V1.0/Security/Alerts_V2/AbC%2Fd").as_deref(),
            Some("/v1.0/security/alerts_v2/AbC%2Fd")
        );
        assert_eq!(canonical_path("/v1.0/security/alerts_v2"), None);
    }

    #[test]
    fn qualified_actions_and_encoded_dollar() {
        assert_eq!(
            canonical_path("/beta/security/alerts/microsoft.graph.updateAlerts").as_deref(),
            Some("/beta/security/alerts/updateAlerts")
        );
        assert_eq!(
            canonical_path("/v1.0/security/alerts_v2/%24count").as_deref(),
            Some("/v1.0/security/alerts_v2/$count")
        );
    }
}
