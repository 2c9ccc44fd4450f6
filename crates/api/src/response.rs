//! Building Graph JSON responses from the store's pre-serialised documents: `@odata.context`,
//! `@odata.count`, `@odata.nextLink`, `$select` shaping, `@odata.type` on every entity and the
//! evolvable-enum rule — without re-parsing a document unless `$select` or an evolvable member needs it.

use crate::error::GraphError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

/// Graph's full JSON media type.
pub const JSON_CONTENT_TYPE: &str =
    "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/// Serialises a JSON value (serialising a `Value` cannot fail).
pub fn json_bytes(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}

/// A 200 response with a pre-serialised JSON body.
pub fn json_response(status: StatusCode, body: impl Into<axum::body::Body>) -> Response {
    let mut resp = (status, body.into()).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    resp
}

/// A plain `application/json` response (the identity platform's endpoints, not Graph's) with the
/// given `Cache-Control`.
pub fn plain_json(status: StatusCode, body: &Value, cache_control: &'static str) -> Response {
    let mut resp = (status, json_bytes(body)).into_response();
    let headers = resp.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    resp
}

/// A `text/plain` response for `/$count`.
pub fn count_response(n: u64) -> Response {
    let mut resp = (StatusCode::OK, n.to_string()).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain;charset=utf-8"),
    );
    resp
}

/// How to shape each document of a response.
#[derive(Debug, Clone, Copy)]
pub struct Shape<'a> {
    /// `@odata.type` to put first (e.g. `#microsoft.graph.security.alert`), unless the document has one.
    pub odata_type: &'a str,
    /// `$select`: keep only these top-level properties (and `id`, `@odata.*`).
    pub select: Option<&'a [&'static str]>,
    /// Rewrite evolvable enum members to `unknownFutureValue` (the caller did not opt in).
    pub hide_evolvable: bool,
}

/// Appends one shaped document to `out`.
pub fn write_document(
    out: &mut String,
    doc: &str,
    has_evolvable: bool,
    shape: &Shape<'_>,
) -> Result<(), GraphError> {
    let needs_parse = shape.select.is_some() || (shape.hide_evolvable && has_evolvable);
    if !needs_parse {
        splice_type(out, doc, shape.odata_type);
        return Ok(());
    }
    let mut value: Value = serde_json::from_str(doc).map_err(GraphError::internal)?;
    if shape.hide_evolvable && has_evolvable {
        model::hide_evolvable_members(&mut value);
    }
    if let (Some(select), Value::Object(map)) = (shape.select, &mut value) {
        let mut kept = Map::with_capacity(select.len() + 2);
        for (k, v) in std::mem::take(map) {
            if k == "id" || k.starts_with("@odata.") || select.iter().any(|s| *s == k) {
                kept.insert(k, v);
            }
        }
        *map = kept;
    }
    let text = serde_json::to_string(&value).map_err(GraphError::internal)?;
    splice_type(out, &text, shape.odata_type);
    Ok(())
}

/// Writes `doc` with `"@odata.type"` as its first member, unless it already carries one.
fn splice_type(out: &mut String, doc: &str, odata_type: &str) {
    let from = type_prefix(out, doc, odata_type);
    out.push_str(&doc[from..]);
}

/// Writes what goes before the text of `doc` so that the document starts with `"@odata.type"`
/// (nothing when it already does or is not an object), and returns where in `doc` its text goes
/// on.
pub fn type_prefix(out: &mut String, doc: &str, odata_type: &str) -> usize {
    let body = doc.trim_start();
    let start = doc.len() - body.len();
    if odata_type.is_empty() || body.starts_with("{\"@odata.type\"") || !body.starts_with('{') {
        return start;
    }
    out.push_str("{\"@odata.type\":\"");
    out.push_str(odata_type);
    out.push('"');
    if !body[1..].trim_start().starts_with('}') {
        out.push(',');
    }
    start + 1
}

/// A collection page being assembled.
pub struct Collection {
    buf: String,
    first: bool,
}

impl Collection {
    /// Starts `{"@odata.context":…, "@odata.count":…, "@odata.nextLink":…, "value":[`.
    pub fn start(context: &str, count: Option<u64>, next_link: Option<&str>) -> Collection {
        let mut buf = String::with_capacity(64 * 1024);
        buf.push_str("{\"@odata.context\":");
        push_json_string(&mut buf, context);
        if let Some(n) = count {
            buf.push_str(",\"@odata.count\":");
            buf.push_str(&n.to_string());
        }
        if let Some(link) = next_link {
            buf.push_str(",\"@odata.nextLink\":");
            push_json_string(&mut buf, link);
        }
        buf.push_str(",\"value\":[");
        Collection { buf, first: true }
    }

    /// Appends one document.
    pub fn push(
        &mut self,
        doc: &str,
        has_evolvable: bool,
        shape: &Shape<'_>,
    ) -> Result<(), GraphError> {
        if !self.first {
            self.buf.push(',');
        }
        self.first = false;
        write_document(&mut self.buf, doc, has_evolvable, shape)
    }

    /// Appends one document that `write` puts in the buffer itself; when `write` answers false
    /// (it wrote nothing), the collection is left as it was and false is returned.
    pub fn push_with(&mut self, write: impl FnOnce(&mut String) -> bool) -> bool {
        let mark = self.buf.len();
        if !self.first {
            self.buf.push(',');
        }
        if write(&mut self.buf) {
            self.first = false;
            true
        } else {
            self.buf.truncate(mark);
            false
        }
    }

    /// Makes room for `additional` more bytes (the documents' length, when known, saves the
    /// buffer's regrowth copies).
    pub fn reserve(&mut self, additional: usize) {
        self.buf.reserve(additional);
    }

    /// Closes the array and object and returns the 200 response.
    pub fn finish(mut self) -> Response {
        self.buf.push_str("]}");
        json_response(StatusCode::OK, self.buf)
    }

    /// Closes the array, appends `"@odata.deltaLink"` (the last page of a delta round) and returns
    /// the 200 response.
    pub fn finish_with_delta_link(mut self, delta_link: &str) -> Response {
        self.buf.push_str("],\"@odata.deltaLink\":");
        push_json_string(&mut self.buf, delta_link);
        self.buf.push('}');
        json_response(StatusCode::OK, self.buf)
    }
}

/// A single entity: `{"@odata.context":…, <document members>}`.
pub fn entity_response(
    context: &str,
    doc: &str,
    has_evolvable: bool,
    shape: &Shape<'_>,
) -> Result<Response, GraphError> {
    let mut shaped = String::with_capacity(doc.len() + 128);
    write_document(&mut shaped, doc, has_evolvable, shape)?;
    let mut buf = String::with_capacity(shaped.len() + context.len() + 32);
    buf.push_str("{\"@odata.context\":");
    push_json_string(&mut buf, context);
    let rest = shaped.trim_start().strip_prefix('{').unwrap_or(&shaped);
    if !rest.trim_start().starts_with('}') {
        buf.push(',');
    }
    buf.push_str(rest);
    Ok(json_response(StatusCode::OK, buf))
}

fn push_json_string(buf: &mut String, s: &str) {
    buf.push_str(&Value::String(s.to_owned()).to_string());
}

/// `response` (a created entity) with `Location: {base}/{version}/{set}/{id}`.
pub fn with_location(
    mut response: Response,
    base: &str,
    version: &str,
    set: &str,
    id: &str,
) -> Response {
    let location = format!("{base}/{version}/{set}/{id}");
    if let Ok(value) = axum::http::HeaderValue::from_str(&location) {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_odata_type_first() {
        let mut out = String::new();
        splice_type(
            &mut out,
            "{\"id\":\"1\"}",
            "#microsoft.graph.security.alert",
        );
        assert_eq!(
            out,
            "{\"@odata.type\":\"#microsoft.graph.security.alert\",\"id\":\"1\"}"
        );
    }

    #[test]
    fn the_type_prefix_skips_what_it_replaces() {
        for (doc, prefix, from) in [
            (" {\"id\":\"1\"}", "{\"@odata.type\":\"#t\",", 2),
            ("{}", "{\"@odata.type\":\"#t\"", 1),
            ("{\"@odata.type\":\"#x\"}", "", 0),
            ("[1]", "", 0),
        ] {
            let mut out = String::new();
            assert_eq!(type_prefix(&mut out, doc, "#t"), from, "{doc}");
            assert_eq!(out, prefix, "{doc}");
        }
    }

    #[test]
    fn a_refused_direct_write_leaves_the_collection_as_it_was() {
        let mut c = Collection::start("ctx", None, None);
        assert!(c.push_with(|b| {
            b.push_str("{\"id\":\"1\"}");
            true
        }));
        assert!(!c.push_with(|b| {
            b.push_str("{\"partial");
            false
        }));
        c.push(
            "{\"id\":\"2\"}",
            false,
            &Shape {
                odata_type: "",
                select: None,
                hide_evolvable: false,
            },
        )
        .unwrap();
        assert_eq!(
            c.buf,
            r#"{"@odata.context":"ctx","value":[{"id":"1"},{"id":"2"}"#
        );
    }

    #[test]
    fn select_keeps_id_and_selected() {
        let mut out = String::new();
        let sel: &[&'static str] = &["title"];
        let shape = Shape {
            odata_type: "#t",
            select: Some(sel),
            hide_evolvable: false,
        };
        write_document(
            &mut out,
            r#"{"id":"1","title":"x","severity":"high"}"#,
            false,
            &shape,
        )
        .unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"@odata.type":"#t","id":"1","title":"x"})
        );
    }
}
