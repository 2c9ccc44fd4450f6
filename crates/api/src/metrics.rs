//! `GET /metrics`: the server's operational metrics in the Prometheus (OpenMetrics) text format.
//!
//! One registry per [`AppState`] (several servers in one process — the tests — count apart):
//! requests by method, *route template* (axum's [`MatchedPath`], `unmatched` for unknown paths,
//! so a client cannot grow the series with random URLs) and status, with a latency histogram;
//! the store's operation timings and webhook outcomes ([`store::StoreMetrics`]); and gauges read
//! when scraped: the outbox's rows and the age of its oldest row per kind, and the size of the
//! indicator matcher. No label carries a tenant id or a raw path. The series are documented in
//! `docs/operations.md`.

use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use parking_lot::Mutex;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::collections::BTreeSet;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

/// The path the metrics are served at.
pub const PATH: &str = "/metrics";

/// The content type of the exposition (Prometheus reads OpenMetrics text).
const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The route label of requests that matched no route.
pub const UNMATCHED: &str = "unmatched";

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: Arc<str>,
    status: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: Arc<str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct KindLabels {
    kind: String,
}

/// Request latency buckets, in seconds: 0.5 ms to ~12 s.
fn request_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.0005, 2.5, 12))
}

/// The metrics of one server (cheap to clone).
#[derive(Clone)]
pub struct ApiMetrics {
    inner: Arc<Inner>,
}

struct Inner {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RouteLabels, Histogram, fn() -> Histogram>,
    outbox_rows: Family<KindLabels, Gauge>,
    outbox_age: Family<KindLabels, Gauge<f64, AtomicU64>>,
    /// Outbox kinds seen so far: a drained kind reads 0 instead of vanishing.
    outbox_kinds: Mutex<BTreeSet<String>>,
    index_entries: Gauge,
    index_tenants: Gauge,
}

impl ApiMetrics {
    /// A registry with the request series, the gauges and `store`'s series.
    pub fn new(store: &store::Store) -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        let durations = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            request_histogram,
        );
        let outbox_rows = Family::<KindLabels, Gauge>::default();
        let outbox_age = Family::<KindLabels, Gauge<f64, AtomicU64>>::default();
        let (index_entries, index_tenants) = (Gauge::default(), Gauge::default());
        registry.register(
            "secgraph_http_requests",
            "HTTP requests served, by method, route template and status",
            requests.clone(),
        );
        registry.register(
            "secgraph_http_request_duration_seconds",
            "Time from receiving a request to its response, by method and route template",
            durations.clone(),
        );
        registry.register(
            "secgraph_outbox_rows",
            "Outbox rows waiting (leased or not), by kind, read when scraped",
            outbox_rows.clone(),
        );
        registry.register(
            "secgraph_outbox_oldest_age_seconds",
            "Age of the oldest waiting outbox row, by kind (0 when none waits)",
            outbox_age.clone(),
        );
        registry.register(
            "secgraph_indicator_index_entries",
            "Indicator entries (observable values) the matcher holds on this node",
            index_entries.clone(),
        );
        registry.register(
            "secgraph_indicator_index_tenants",
            "Tenants whose indicator index this node has loaded",
            index_tenants.clone(),
        );
        store.metrics().register(&mut registry);
        ApiMetrics {
            inner: Arc::new(Inner {
                registry,
                requests,
                durations,
                outbox_rows,
                outbox_age,
                outbox_kinds: Mutex::new(BTreeSet::new()),
                index_entries,
                index_tenants,
            }),
        }
    }

    /// Counts one served request.
    pub fn request(&self, method: &Method, route: Arc<str>, status: StatusCode, took: Duration) {
        let method = method_label(method);
        self.inner
            .durations
            .get_or_create(&RouteLabels {
                method,
                route: route.clone(),
            })
            .observe(took.as_secs_f64());
        let labels = RequestLabels {
            method,
            route,
            status: status.as_u16(),
        };
        self.inner.requests.get_or_create(&labels).inc();
    }

    /// Reads the scrape-time gauges and renders every series.
    async fn render(&self, state: &AppState) -> Result<String, std::fmt::Error> {
        let (tenants, entries) = state.indicators().size();
        let inner = &self.inner;
        inner.index_tenants.set(saturating_i64(tenants));
        inner.index_entries.set(saturating_i64(entries));
        match state.store().outbox_depth().await {
            Ok(depth) => {
                let now = state.store().clock().now();
                let mut kinds = inner.outbox_kinds.lock();
                for kind in kinds.iter() {
                    let labels = KindLabels { kind: kind.clone() };
                    inner.outbox_rows.get_or_create(&labels).set(0);
                    inner.outbox_age.get_or_create(&labels).set(0.0);
                }
                for d in depth {
                    let labels = KindLabels {
                        kind: d.kind.clone(),
                    };
                    let age = (now - d.oldest).as_seconds_f64().max(0.0);
                    inner
                        .outbox_rows
                        .get_or_create(&labels)
                        .set(saturating_i64(d.rows));
                    inner.outbox_age.get_or_create(&labels).set(age);
                    kinds.insert(d.kind);
                }
            }
            // The other series are still worth serving; the outbox gauges keep their last values.
            Err(e) => tracing::warn!(error = %e, "reading the outbox depth for /metrics failed"),
        }
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &inner.registry)?;
        Ok(text)
    }
}

/// A bounded method label: the standard methods by name, anything else `other`.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PATCH => "PATCH",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

fn saturating_i64(n: impl TryInto<i64>) -> i64 {
    n.try_into().unwrap_or(i64::MAX)
}

/// The route template a request matched, handed from the routing layer to the request middleware
/// in the response's extensions.
#[derive(Debug, Clone)]
pub(crate) struct RouteTemplate(pub(crate) Arc<str>);

impl RouteTemplate {
    /// The route label of `resp`: its template, or [`UNMATCHED`].
    pub(crate) fn of(resp: &Response) -> Arc<str> {
        resp.extensions()
            .get::<RouteTemplate>()
            .map_or_else(|| Arc::from(UNMATCHED), |t| t.0.clone())
    }
}

/// Route layer: records the matched route template on the response.
pub(crate) async fn mark_route(req: Request, next: Next) -> Response {
    let template = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| RouteTemplate(Arc::from(p.as_str())));
    let mut resp = next.run(req).await;
    if let Some(t) = template {
        resp.extensions_mut().insert(t);
    }
    resp
}

/// `GET /metrics`: every series of this server, OpenMetrics text.
pub async fn get_metrics(State(state): State<AppState>) -> Response {
    match state.metrics().render(&state).await {
        Ok(text) => {
            let mut resp = (StatusCode::OK, text).into_response();
            resp.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
            resp
        }
        Err(e) => {
            crate::error::GraphError::internal(format!("encoding metrics: {e}")).into_response()
        }
    }
}

/// A router serving only `GET /metrics` (and `/healthz`), for a separate metrics listener
/// (`metrics_listen`).
pub fn router(state: AppState) -> axum::Router {
    axum::Router::new()
        .route(PATH, axum::routing::get(get_metrics))
        .route("/healthz", axum::routing::get(crate::healthz))
        .fallback(crate::routes::fallback::unknown_route)
        .with_state(state)
}
