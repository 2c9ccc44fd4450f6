//! One inner response as a batch response item: `{"id","status","headers","body"}`. A JSON body is
//! embedded as JSON; any other body (`$count`'s `text/plain`, `$metadata`'s XML) as a base64
//! string, as Graph does; an empty body is left out.

use axum::http::{header, HeaderMap};
use axum::response::Response;
use base64::Engine;
use serde_json::{Map, Value};

/// Headers that describe the transfer of the inner response, not the response: never copied.
const TRANSFER_HEADERS: &[header::HeaderName] = &[
    header::CONTENT_LENGTH,
    header::TRANSFER_ENCODING,
    header::CONNECTION,
    header::CONTENT_ENCODING,
    header::VARY,
];

/// The response item for request `id`, reading the inner response's body whole (it was produced
/// by our own router, under the body limits of its route).
pub async fn response_item(id: &str, resp: Response) -> Value {
    let (parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let mut item = Map::new();
    item.insert("id".into(), Value::String(id.to_owned()));
    item.insert("status".into(), Value::from(parts.status.as_u16()));
    item.insert(
        "headers".into(),
        Value::Object(headers_json(&parts.headers)),
    );
    if !bytes.is_empty() {
        item.insert("body".into(), body_json(&parts.headers, &bytes));
    }
    Value::Object(item)
}

fn headers_json(headers: &HeaderMap) -> Map<String, Value> {
    let mut out = Map::new();
    for name in headers.keys() {
        if TRANSFER_HEADERS.contains(name) {
            continue;
        }
        let values: Vec<&str> = headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        out.insert(
            display_name(name.as_str()),
            Value::String(values.join(", ")),
        );
    }
    out
}

/// `content-type` → `Content-Type`, as Graph writes header names in batch responses
/// (`OData-Version` and `request-id` keep their usual spelling).
fn display_name(name: &str) -> String {
    match name {
        "odata-version" => "OData-Version".into(),
        "request-id" | "client-request-id" => name.into(),
        _ => name
            .split('-')
            .map(|part| {
                let mut c = part.chars();
                match c.next() {
                    Some(first) => first.to_ascii_uppercase().to_string() + c.as_str(),
                    None => String::new(),
                }
            })
            .collect::<Vec<_>>()
            .join("-"),
    }
}

fn body_json(headers: &HeaderMap, bytes: &[u8]) -> Value {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|ct| {
            let essence = ct
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            essence == "application/json" || essence.ends_with("+json")
        })
        .unwrap_or(false);
    if is_json {
        if let Ok(v) = serde_json::from_slice(bytes) {
            return v;
        }
    }
    Value::String(base64::engine::general_purpose::STANDARD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_are_written_like_graph() {
        assert_eq!(display_name("content-type"), "Content-Type");
        assert_eq!(display_name("retry-after"), "Retry-After");
        assert_eq!(display_name("odata-version"), "OData-Version");
        assert_eq!(display_name("request-id"), "request-id");
    }
}
