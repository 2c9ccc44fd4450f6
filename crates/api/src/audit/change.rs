//! The `change` of an audit record: the request body as the handler read it, captured on its way
//! through (a [`Tap`] on the body, so no handler and no body limit changes), kept when it is JSON
//! of at most [`CAP`] bytes, with the values of secret-looking properties replaced by
//! [`REDACTED`] at any depth.
//!
//! | body | `change` |
//! |---|---|
//! | none, or not read (a 401/403 before the handler) | `null` |
//! | JSON, at most [`CAP`] bytes | the JSON, redacted |
//! | larger than [`CAP`] | `{"truncated": true, "bytes": n}` |
//! | not JSON (NDJSON events, forms) | `{"contentType": "...", "bytes": n}` |
//!
//! A body that is not JSON is never stored, not even in part: it could not be redacted reliably.

use axum::body::Body;
use bytes::Bytes;
use http_body_util::BodyExt;
use parking_lot::Mutex;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// The largest body kept (16 KiB).
pub const CAP: usize = 16 * 1024;

/// What a redacted value becomes.
pub const REDACTED: &str = "[redacted]";

/// Property names (lowercase, without `_` and `-`) whose values are always redacted.
const SECRET_NAMES: &[&str] = &["key", "clientstate", "authorization", "credential"];

/// Fragments that make a property name secret wherever they occur in it.
const SECRET_FRAGMENTS: &[&str] = &["secret", "password", "passwd", "token", "apikey"];

/// Whether the value of property `name` is redacted: `client_secret`, `clientSecret`, `secret`,
/// `secretText`, `password`, `access_token`, `validationToken`, `key`, `privateKey`, `apiKey`,
/// `Authorization`, `clientState`, `credentials`, ….
pub fn is_secret(name: &str) -> bool {
    let n: String = name
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_NAMES.iter().any(|s| n == *s || n == format!("{s}s"))
        || SECRET_FRAGMENTS.iter().any(|f| n.contains(f))
        || n.ends_with("key")
}

/// `value` with every secret property's value replaced by [`REDACTED`], at any depth.
pub fn redact(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| match is_secret(&k) {
                    true => (k, Value::String(REDACTED.to_owned())),
                    false => (k, redact(v)),
                })
                .collect::<Map<String, Value>>(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(redact).collect()),
        other => other,
    }
}

/// What a [`Tap`] saw of a body.
#[derive(Debug, Default)]
struct Seen {
    /// The first [`CAP`] + 1 bytes.
    head: Vec<u8>,
    /// Every byte that went through.
    total: usize,
}

/// Captures the start of a request body while the handler reads it.
#[derive(Debug, Clone, Default)]
pub struct Tap(Arc<Mutex<Seen>>);

impl Tap {
    /// `body`, with every data frame also copied (up to [`CAP`] + 1 bytes) into this tap.
    pub fn wrap(&self, body: Body) -> Body {
        let seen = self.0.clone();
        Body::new(body.map_frame(move |frame| {
            if let Some(data) = frame.data_ref() {
                let mut s = seen.lock();
                s.total += data.len();
                let room = (CAP + 1).saturating_sub(s.head.len());
                let take = room.min(data.len());
                s.head.extend_from_slice(&data[..take]);
            }
            frame
        }))
    }

    /// The `change` of the body seen so far (see the module table); `content_type` is the request's.
    pub fn change(&self, content_type: Option<&str>) -> Option<Value> {
        let s = self.0.lock();
        change_of(&Bytes::copy_from_slice(&s.head), s.total, content_type)
    }
}

/// The `change` of a body whose first bytes are `head` and whose length is `total`.
fn change_of(head: &[u8], total: usize, content_type: Option<&str>) -> Option<Value> {
    if head.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    if total > CAP {
        return Some(json!({ "truncated": true, "bytes": total }));
    }
    match serde_json::from_slice::<Value>(head) {
        Ok(v) => Some(redact(v)),
        Err(_) => Some(json!({ "contentType": content_type, "bytes": total })),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn secret_properties_are_redacted_at_any_depth() {
        let body = json!({
            "displayName": "x",
            "client_secret": "s1",
            "nested": {"clientSecret": "s2", "password": 3, "keep": "k", "list": [{"token": "t"}]},
            "Authorization": "Bearer abc",
            "key": "k1",
            "apiKey": "k2",
            "clientState": "cs",
            "secret": {"value": "v"},
        });
        let out = redact(body);
        let text = out.to_string();
        for s in [
            "s1",
            "s2",
            "Bearer abc",
            "k1",
            "k2",
            "\"cs\"",
            "\"t\"",
            "\"v\"",
        ] {
            assert!(!text.contains(s), "{s} leaked: {text}");
        }
        assert_eq!(out["nested"]["keep"], "k");
        assert_eq!(out["displayName"], "x");
        assert_eq!(out["nested"]["password"], REDACTED);
    }

    #[test]
    fn ordinary_names_are_kept() {
        for name in [
            "status",
            "classification",
            "comment",
            "monkeys",
            "assignedTo",
            "value",
        ] {
            assert!(!is_secret(name), "{name}");
        }
    }

    #[test]
    fn bodies_too_large_or_not_json_are_described_not_kept() {
        let big = vec![b'a'; CAP + 1];
        assert_eq!(
            change_of(&big, CAP + 10, None),
            Some(json!({"truncated": true, "bytes": CAP + 10}))
        );
        assert_eq!(
            change_of(b"a=b", 3, Some("application/x-ndjson")),
            Some(json!({"contentType": "application/x-ndjson", "bytes": 3}))
        );
        assert_eq!(change_of(b"  ", 2, None), None);
    }
}
