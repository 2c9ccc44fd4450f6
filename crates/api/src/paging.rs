//! Page-size rules per collection: the default and maximum `$top` and the maximum `$skip`.
//!
//! `$top` is the page size, as in Graph: a page of `$top` items plus an `@odata.nextLink` whenever
//! more data exists. Our limits (documented in `docs/alerts.md`):
//!
//! | collection | default `$top` | max `$top` | max `$skip` |
//! |---|---|---|---|
//! | `security/alerts_v2` | 100 | 2000 | none |
//! | `security/alerts` (legacy) | 100 | 1000 (Graph's) | 500 (Graph's) |
//!
//! [`page_response`] writes one page of a simple entity set (one stored document per entity) with
//! its context URL, `@odata.count` and `@odata.nextLink`.

use crate::error::GraphError;
use crate::links;
use crate::query::{GraphRequest, ODataQuery};
use crate::response::{Collection, Shape};
use crate::state::AppState;
use axum::response::Response;
use odata::bound::BoundQuery;
use store::EntityPage;

/// Paging limits of one collection.
#[derive(Debug, Clone, Copy)]
pub struct PageLimits {
    /// Page size when the caller gives no `$top`.
    pub default_top: u32,
    /// Largest `$top` accepted.
    pub max_top: u32,
    /// Largest `$skip` accepted, if limited.
    pub max_skip: Option<u64>,
}

/// alerts_v2 limits.
pub const ALERTS_V2: PageLimits = PageLimits {
    default_top: 100,
    max_top: 2000,
    max_skip: None,
};
/// Legacy alerts limits (Graph's documented ones).
pub const LEGACY_ALERTS: PageLimits = PageLimits {
    default_top: 100,
    max_top: 1000,
    max_skip: Some(500),
};

/// The page size for `query`, or a 400 that states the limit.
pub fn page_size(query: &BoundQuery, limits: PageLimits) -> Result<u32, GraphError> {
    if let (Some(skip), Some(max)) = (query.skip, limits.max_skip) {
        if skip > max {
            return Err(GraphError::bad_request(format!(
                "$skip={skip} is above the maximum of {max} for this collection; narrow the query with $filter (for example on createdDateTime) instead of skipping."
            ))
            .with_inner_code("invalidQueryOption"));
        }
    }
    match query.top {
        None => Ok(limits.default_top),
        Some(top) if top > u64::from(limits.max_top) => Err(GraphError::bad_request(format!(
            "$top={top} is above the maximum page size of {} for this collection; use a smaller $top and follow @odata.nextLink.",
            limits.max_top
        ))
        .with_inner_code("tooManyResultsRequested")),
        Some(top) => Ok(top as u32),
    }
}

/// The response to a list request `r` of the entity set `set` (below the version root): `page`'s
/// entities, each serialised by `doc` and shaped by `shape` (`$select`, `@odata.type`), with the
/// context URL, `@odata.count` when counted and the `@odata.nextLink` of the next page.
pub fn page_response<T>(
    app: &AppState,
    r: &GraphRequest,
    set: &str,
    shape: &Shape<'_>,
    page: &EntityPage<T>,
    doc: impl Fn(&T) -> serde_json::Result<String>,
) -> Result<Response, GraphError> {
    let at = PageAt {
        root: r.version.segment(),
        set,
        query: &r.query,
    };
    page_response_at(app, &at, shape, page, doc)
}

/// Where a page is served: the API root (`v1.0`, `secgraph/v1`), the set below it and the query
/// whose options the next link repeats.
#[derive(Debug, Clone, Copy)]
pub struct PageAt<'a> {
    /// The API root, without slashes.
    pub root: &'a str,
    /// The set's path below the root.
    pub set: &'a str,
    /// The request's query options.
    pub query: &'a ODataQuery,
}

/// [`page_response`] for a set below any API root (secgraph's own `/secgraph/v1` sets too).
pub fn page_response_at<T>(
    app: &AppState,
    at: &PageAt<'_>,
    shape: &Shape<'_>,
    page: &EntityPage<T>,
    doc: impl Fn(&T) -> serde_json::Result<String>,
) -> Result<Response, GraphError> {
    let (base, set) = (&app.config().public_url, at.set);
    let fragment = links::collection_fragment(set, shape.select);
    let context = links::context_url_at(base, at.root, &fragment);
    let next = page.next_skiptoken.as_deref().map(|token| {
        let path = format!("/{}/{set}", at.root);
        links::next_link(base, &path, at.query, token)
    });
    let mut out = Collection::start(&context, page.count, next.as_deref());
    for item in &page.items {
        let json = doc(item).map_err(GraphError::internal)?;
        out.push(&json, false, shape)?;
    }
    Ok(out.finish())
}
