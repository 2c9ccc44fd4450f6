//! Answers for requests no route matches, in Graph's error shape: an unknown segment under a version
//! root (a beta-only entity set under `/v1.0` included) is a 400 naming the segment (as Graph
//! answers), anything else a 404; a known path with the wrong method is a 405.

use crate::error::{ErrorCode, GraphError};
use axum::http::{Method, Uri};

/// Fallback for unmatched paths.
pub async fn unknown_route(method: Method, uri: Uri) -> GraphError {
    let path = uri.path();
    let mut segments = path.trim_start_matches('/').split('/');
    let root = segments.next().unwrap_or("");
    if root == "v1.0" || root == "beta" {
        let known = |s: &&str| {
            crate::path::SEGMENTS.contains(s)
                && !(root == "v1.0" && crate::path::BETA_ONLY.contains(s))
        };
        let unknown = segments.find(|s| !known(s)).unwrap_or(path);
        let decoded = percent_encoding::percent_decode_str(unknown).decode_utf8_lossy();
        return GraphError::bad_request(format!(
            "Resource not found for the segment '{decoded}' ({method} {path}). See the README for the supported endpoints."
        ));
    }
    GraphError::new(
        ErrorCode::ItemNotFound,
        format!("No resource at '{path}'. Graph endpoints live under /v1.0 and /beta."),
    )
}

/// Fallback for a matched path with an unsupported method.
pub async fn method_not_allowed(method: Method, uri: Uri) -> GraphError {
    GraphError::new(
        ErrorCode::MethodNotAllowed,
        format!("{method} is not supported on '{}'.", uri.path()),
    )
}
