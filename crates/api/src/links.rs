//! Absolute URLs in responses: `@odata.context` and `@odata.nextLink`, built from the configured public
//! base URL (so they are right behind a reverse proxy) and the canonical request path.

use crate::query::{ApiVersion, ODataQuery};

/// `{base}/{version}/$metadata#{fragment}`.
pub fn context_url(base: &str, version: ApiVersion, fragment: &str) -> String {
    context_url_at(base, version.segment(), fragment)
}

/// `{base}/{root}/$metadata#{fragment}` for any API root (`v1.0`, `secgraph/v1`).
pub fn context_url_at(base: &str, root: &str, fragment: &str) -> String {
    format!("{base}/{root}/$metadata#{fragment}")
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
    let mut options = query.0.clone();
    options.skip = None;
    options.skiptoken = Some(skiptoken.to_owned());
    format!("{base}{path}?{}", options.to_query_string())
}
