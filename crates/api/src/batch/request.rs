//! A JSON batch's request document (spec §2.7), checked whole before anything runs: at most
//! [`MAX_REQUESTS`] requests, ids present and unique (case-insensitively), methods known, urls
//! relative to the version root, `Content-Type` with every body, `dependsOn` naming earlier-known
//! ids without cycles. Anything else is a 400 for the whole batch that says what to fix.
//!
//! Bodies are JSON values, or strings holding base64 (standard or URL-safe alphabet, padding
//! optional) — how Microsoft's SDKs send bodies that are not JSON objects. `depends_on` is read as
//! `dependsOn` (msgraph-core for Python writes it so).

use crate::error::GraphError;
use crate::query::ApiVersion;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Uri};
use base64::Engine;
use bytes::Bytes;
use serde_json::{Map, Value};

/// Graph's limit on the requests of one batch.
pub const MAX_REQUESTS: usize = 20;

/// One inner request, ready to dispatch.
#[derive(Debug)]
pub struct BatchItem {
    /// The caller's id, as sent.
    pub id: String,
    /// The method.
    pub method: Method,
    /// The absolute path below the server (`/v1.0/security/alerts_v2?$top=5`).
    pub uri: Uri,
    /// The request's own headers.
    pub headers: HeaderMap,
    /// The body bytes (empty when none was sent).
    pub body: Bytes,
    /// Indexes of the items this one waits for.
    pub depends_on: Vec<usize>,
}

/// Parses and checks a batch document sent to the `version` root.
pub fn parse_batch(doc: &Value, version: ApiVersion) -> Result<Vec<BatchItem>, GraphError> {
    let requests = doc
        .get("requests")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            GraphError::bad_request(
                "The batch body must be an object with a 'requests' array: {\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/security/alerts_v2\"}]}.",
            )
        })?;
    if requests.is_empty() {
        return Err(GraphError::bad_request(
            "The batch has no requests; send between 1 and 20 in 'requests'.",
        ));
    }
    if requests.len() > MAX_REQUESTS {
        return Err(GraphError::bad_request(format!(
            "The batch has {} requests; a batch may hold at most {MAX_REQUESTS}. Split it into several batches.",
            requests.len()
        )));
    }
    let ids = unique_ids(requests)?;
    requests
        .iter()
        .zip(&ids)
        .map(|(r, id)| parse_item(r, id, &ids, version))
        .collect::<Result<Vec<_>, _>>()
        .and_then(check_acyclic)
}

/// The ids of `requests`, each a non-empty string, unique regardless of case.
fn unique_ids(requests: &[Value]) -> Result<Vec<String>, GraphError> {
    let mut ids: Vec<String> = Vec::with_capacity(requests.len());
    for (n, r) in requests.iter().enumerate() {
        let id = match r.get("id") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(Value::Number(x)) => x.to_string(),
            _ => {
                return Err(GraphError::bad_request(format!(
                    "Request {} of the batch has no 'id'; give every request a unique string id.",
                    n + 1
                )))
            }
        };
        if ids.iter().any(|seen| seen.eq_ignore_ascii_case(&id)) {
            return Err(GraphError::bad_request(format!(
                "The id '{id}' is used by more than one request of the batch (ids are compared ignoring case); give every request a unique id."
            )));
        }
        ids.push(id);
    }
    Ok(ids)
}

fn parse_item(
    r: &Value,
    id: &str,
    ids: &[String],
    version: ApiVersion,
) -> Result<BatchItem, GraphError> {
    let obj = r.as_object().ok_or_else(|| {
        GraphError::bad_request(format!("Request '{id}' of the batch is not a JSON object."))
    })?;
    let method = method(obj, id)?;
    let uri = inner_uri(obj, id, version)?;
    let headers = headers(obj, id)?;
    let body = body(obj, id, &headers)?;
    let depends_on = depends_on(obj, id, ids)?;
    Ok(BatchItem {
        id: id.to_owned(),
        method,
        uri,
        headers,
        body,
        depends_on,
    })
}

fn method(obj: &Map<String, Value>, id: &str) -> Result<Method, GraphError> {
    let text = obj.get("method").and_then(Value::as_str).unwrap_or("");
    match text.to_ascii_uppercase().as_str() {
        "GET" => Ok(Method::GET),
        "POST" => Ok(Method::POST),
        "PATCH" => Ok(Method::PATCH),
        "PUT" => Ok(Method::PUT),
        "DELETE" => Ok(Method::DELETE),
        _ => Err(GraphError::bad_request(format!(
            "Request '{id}' has method '{text}'; use one of GET, POST, PATCH, PUT, DELETE."
        ))),
    }
}

/// The inner request's path: `url` below the version root the batch was sent to. Graph documents
/// relative urls (`/security/alerts_v2`, leading `/` optional); Microsoft's Python SDK sends the
/// absolute URL of the request (`https://host/v1.0/security/alerts_v2`), so an absolute URL, or a
/// path that starts with the batch's own version root, is taken below that root.
fn inner_uri(obj: &Map<String, Value>, id: &str, version: ApiVersion) -> Result<Uri, GraphError> {
    let url = obj.get("url").and_then(Value::as_str).unwrap_or("").trim();
    let bad = |why: String| GraphError::bad_request(format!("Request '{id}': {why}"));
    let (relative, rooted) = match url.split_once("://") {
        Some((_, rest)) => (rest.find('/').map(|i| &rest[i..]).unwrap_or(""), true),
        None => (url, false),
    };
    let mut relative = relative.trim_start_matches('/');
    let first = relative.split(['/', '?']).next().unwrap_or("");
    if first.eq_ignore_ascii_case(version.segment()) {
        relative = relative[first.len()..].trim_start_matches('/');
    } else if rooted
        || ["v1.0", "beta"]
            .iter()
            .any(|v| first.eq_ignore_ascii_case(v))
    {
        return Err(bad(format!(
            "the url '{url}' is not below /{}, the version root the batch was sent to; send it to the /{first} batch or give it relative to the root, e.g. '/security/alerts_v2'.",
            version.segment()
        )));
    }
    if relative.is_empty() {
        return Err(bad(
            "'url' is missing; give the path below the version root, e.g. '/security/alerts_v2'."
                .into(),
        ));
    }
    let first = relative.split(['/', '?']).next().unwrap_or("");
    if first.eq_ignore_ascii_case("$batch") || first.eq_ignore_ascii_case("%24batch") {
        return Err(bad(
            "a batch cannot contain a request to $batch; send the requests themselves.".into(),
        ));
    }
    let path = format!("/{}/{}", version.segment(), encode_uri_text(relative));
    path.parse::<Uri>().map_err(|e| {
        bad(format!(
            "the url '{url}' is not a valid relative URL ({e})."
        ))
    })
}

/// Percent-encodes what may not appear in a request target as it is (spaces in `$filter`, quotes,
/// non-ASCII), leaving everything already valid — including existing escapes — untouched.
fn encode_uri_text(text: &str) -> String {
    const KEEP: &str = "-._~:/?#[]@!$&'()*+,;=%";
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || KEEP.contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

fn headers(obj: &Map<String, Value>, id: &str) -> Result<HeaderMap, GraphError> {
    let mut map = HeaderMap::new();
    let Some(given) = obj.get("headers") else {
        return Ok(map);
    };
    let given = given.as_object().ok_or_else(|| {
        GraphError::bad_request(format!(
            "Request '{id}': 'headers' must be an object of header names to string values."
        ))
    })?;
    for (name, value) in given {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(_) | Value::Bool(_) => value.to_string(),
            _ => {
                return Err(GraphError::bad_request(format!(
                    "Request '{id}': header '{name}' must have a string value."
                )))
            }
        };
        let parsed = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&text),
        );
        let (Ok(n), Ok(v)) = parsed else {
            return Err(GraphError::bad_request(format!(
                "Request '{id}': header '{name}: {text}' is not a valid HTTP header."
            )));
        };
        map.append(n, v);
    }
    Ok(map)
}

fn body(obj: &Map<String, Value>, id: &str, headers: &HeaderMap) -> Result<Bytes, GraphError> {
    let Some(body) = obj.get("body").filter(|b| !b.is_null()) else {
        return Ok(Bytes::new());
    };
    if !headers.contains_key(axum::http::header::CONTENT_TYPE) {
        return Err(GraphError::bad_request(format!(
            "Request '{id}' has a body but no Content-Type; add \"headers\": {{\"Content-Type\": \"application/json\"}}."
        )));
    }
    match body {
        Value::String(text) => decode_base64(text).map(Bytes::from).ok_or_else(|| {
            GraphError::bad_request(format!(
                "Request '{id}': a string body must be base64; send JSON bodies as JSON objects."
            ))
        }),
        other => Ok(Bytes::from(crate::response::json_bytes(other))),
    }
}

/// Base64 in either alphabet, with or without padding.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let text = text.trim();
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
}

fn depends_on(
    obj: &Map<String, Value>,
    id: &str,
    ids: &[String],
) -> Result<Vec<usize>, GraphError> {
    // Microsoft's Python SDK (msgraph-core) writes the property as `depends_on`.
    let given = obj.get("dependsOn").or_else(|| obj.get("depends_on"));
    let Some(given) = given.filter(|d| !d.is_null()) else {
        return Ok(Vec::new());
    };
    let list = given.as_array().ok_or_else(|| {
        GraphError::bad_request(format!(
            "Request '{id}': 'dependsOn' must be an array of request ids."
        ))
    })?;
    let mut out = Vec::with_capacity(list.len());
    for dep in list {
        let name = match dep {
            Value::String(s) => s.clone(),
            Value::Number(x) => x.to_string(),
            _ => String::new(),
        };
        let index = ids
            .iter()
            .position(|i| i.eq_ignore_ascii_case(&name))
            .ok_or_else(|| {
                GraphError::bad_request(format!(
                    "Request '{id}' depends on '{name}', which is not a request of this batch."
                ))
            })?;
        if ids[index].eq_ignore_ascii_case(id) {
            return Err(GraphError::bad_request(format!(
                "Request '{id}' depends on itself; remove it from its own 'dependsOn'."
            )));
        }
        out.push(index);
    }
    Ok(out)
}

/// A 400 when the `dependsOn` edges form a cycle (nothing in it could ever run).
fn check_acyclic(items: Vec<BatchItem>) -> Result<Vec<BatchItem>, GraphError> {
    let mut done = vec![false; items.len()];
    loop {
        let ready: Vec<usize> = (0..items.len())
            .filter(|&i| !done[i] && items[i].depends_on.iter().all(|&d| done[d]))
            .collect();
        if ready.is_empty() {
            break;
        }
        ready.into_iter().for_each(|i| done[i] = true);
    }
    match done.iter().position(|d| !d) {
        None => Ok(items),
        Some(i) => Err(GraphError::bad_request(format!(
            "The dependsOn of request '{}' forms a cycle; a batch's dependencies must be acyclic.",
            items[i].id
        ))),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn urls_are_rooted_at_the_batch_version_and_encoded() {
        let doc = json!({"requests": [
            {"id": "a", "method": "get", "url": "security/alerts_v2?$filter=severity eq 'high'"},
            {"id": "b", "method": "GET", "url": "/security/incidents", "dependsOn": ["A"]},
            {"id": "c", "method": "GET", "url": "https://graph.example/beta/security/incidents?$top=1"},
            {"id": "d", "method": "GET", "url": "/beta/security/incidents"},
        ]});
        let items = parse_batch(&doc, ApiVersion::Beta).unwrap();
        assert_eq!(
            items[0].uri.to_string(),
            "/beta/security/alerts_v2?$filter=severity%20eq%20'high'"
        );
        assert_eq!(items[1].depends_on, vec![0]);
        assert_eq!(items[2].uri.to_string(), "/beta/security/incidents?$top=1");
        assert_eq!(items[3].uri.to_string(), "/beta/security/incidents");
        let other = json!({"requests": [{"id": "1", "method": "GET", "url": "https://h/v1.0/x"}]});
        assert!(parse_batch(&other, ApiVersion::Beta).is_err());
    }

    #[test]
    fn cycles_and_base64_bodies() {
        let doc = json!({"requests": [
            {"id": "1", "method": "GET", "url": "/x", "dependsOn": ["2"]},
            {"id": "2", "method": "GET", "url": "/y", "dependsOn": ["1"]},
        ]});
        let e = parse_batch(&doc, ApiVersion::V1).err().unwrap();
        assert!(e.message.contains("cycle"), "{}", e.message);
        let doc = json!({"requests": [{"id": "1", "method": "POST", "url": "/x",
            "headers": {"content-type": "application/json"}, "body": "eyJhIjoxfQ"}]});
        let items = parse_batch(&doc, ApiVersion::V1).unwrap();
        assert_eq!(&items[0].body[..], br#"{"a":1}"#);
    }
}
