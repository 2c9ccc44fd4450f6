//! Absolute URLs in responses: `@odata.context` and `@odata.nextLink`, built from the configured public
//! base URL (so they are right behind a reverse proxy) and the canonical request path.

use crate::query::{ApiVersion, ODataQuery};
use odata::encode_query_value;

/// `{base}/{version}/$metadata#{fragment}`.
pub fn context_url(base: &str, version: ApiVersion, fragment: &str) -> String {
    format!("{base}/{}/$metadata#{fragment}", version.segment())
}

/// The context fragment of a collection, with `($select=…)` style projection when `$select` was given.
pub fn collection_fragment(set: &str, select: Option<&[&'static str]>) -> String {
    match select {
        Some(props) => format!("{set}({})", props.join(",")),
        None => set.to_owned(),
    }
}

/// The next page's absolute URL: the same path and options (in canonical spelling, re-encoded), minus
/// `$skip` (consumed by the first page) and any old `$skiptoken`, plus the new `$skiptoken`.
pub fn next_link(base: &str, path: &str, query: &ODataQuery, skiptoken: &str) -> String {
    let o = &query.0;
    let mut parts: Vec<String> = Vec::new();
    let mut push =
        |name: &str, value: &str| parts.push(format!("{name}={}", encode_query_value(value)));
    if let Some(f) = &o.filter {
        push("$filter", f);
    }
    if let Some(v) = &o.orderby {
        push("$orderby", v);
    }
    if let Some(v) = &o.select {
        push("$select", v);
    }
    if let Some(v) = &o.expand {
        push("$expand", v);
    }
    if let Some(v) = o.top {
        push("$top", &v.to_string());
    }
    if o.count {
        push("$count", "true");
    }
    push("$skiptoken", skiptoken);
    for (k, v) in &o.other {
        parts.push(format!(
            "{}={}",
            encode_query_value(k),
            encode_query_value(v)
        ));
    }
    format!("{base}{path}?{}", parts.join("&"))
}
