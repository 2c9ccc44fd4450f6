//! `GET /security/alerts` with federated providers: when the caller's tenant has enabled providers
//! in `federated` mode, the first page of the legacy list is secgraph's own page merged with every
//! federated provider's answer to the same OData query (`provider_protocol::merge_with`). Each
//! provider is called in parallel, signed, with its own timeout; one that fails or times out makes
//! the answer `206 Partial Content` with Graph's `Warning: 199 - "{Vendor}/{Provider}/{Status}/{LatencyMs}"`
//! item for it, and the others' alerts are still returned.
//!
//! Paging: federated alerts are part of the first page only (their providers keep no cursor for
//! secgraph); `@odata.nextLink` continues secgraph's own alerts. `@odata.count` is secgraph's count
//! plus the alerts the providers returned. Without federated providers, or on a `$skiptoken` page,
//! the list is the plain local one.

use super::alert_views::{self, View};
use super::legacy_alerts::LegacyAlerts;
use crate::error::GraphError;
use crate::links;
use crate::paging;
use crate::query::GraphRequest;
use crate::response::{Collection, Shape};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use model::LegacyAlert;
use outbound::ProviderTarget;
use provider_protocol::{ProviderMode, SourceResult};
use std::time::Duration;
use store::{ListRequest, Provider};

/// How long one federated provider may take.
pub const FEDERATED_TIMEOUT: Duration = Duration::from_secs(10);

/// `GET /security/alerts`: the legacy list, merged with the tenant's federated providers.
pub async fn list_legacy_alerts(
    State(app): State<AppState>,
    r: GraphRequest,
) -> Result<Response, GraphError> {
    let spec = LegacyAlerts::SPEC;
    if r.query.0.skiptoken.is_some() {
        return alert_views::list(&app, &r, spec).await;
    }
    let providers: Vec<Provider> = app
        .store()
        .providers()
        .enabled_for(&r.who.tenant_id)
        .await?
        .into_iter()
        .filter(|p| p.mode() == ProviderMode::Federated)
        .collect();
    if providers.is_empty() {
        return alert_views::list(&app, &r, spec).await;
    }
    federated_list(&app, &r, &providers).await
}

async fn federated_list(
    app: &AppState,
    r: &GraphRequest,
    providers: &[Provider],
) -> Result<Response, GraphError> {
    let spec = LegacyAlerts::SPEC;
    let bound = r.bind(spec.schema)?;
    let page_size = paging::page_size(&bound, spec.limits)?;
    if page_size == 0 {
        return alert_views::list(app, r, spec).await;
    }
    let tenant = app.store().tenant(&r.who.tenant_id);
    let local = tenant.list_alerts(ListRequest {
        view: spec.view,
        query: &bound,
        page_size,
    });
    let mut forwarded = r.query.0.clone();
    forwarded.skip = None;
    forwarded.skiptoken = None;
    let query = forwarded.to_query_string();
    let remote = ask_providers(app, r.who.tenant_id.as_str(), &query, providers);
    let (page, sources) = tokio::join!(local, remote);
    let page = page?;
    let sources = sources?;
    let mut mine = Vec::with_capacity(page.items.len());
    for raw in &page.items {
        let alert: LegacyAlert = serde_json::from_str(&raw.json).map_err(GraphError::internal)?;
        mine.push(alert);
    }
    let from_providers: u64 = sources.iter().map(answered_count).sum();
    let merged =
        provider_protocol::merge_with(mine, sources, &bound.orderby, Some(page_size as usize));
    let base = &app.config().public_url;
    let select = bound.select.as_deref();
    let context = links::context_url(
        base,
        r.version,
        &links::collection_fragment(spec.set, select),
    );
    let next = page.next_skiptoken.as_deref().map(|token| {
        links::next_link(
            base,
            &format!("/{}/{}", r.version.segment(), spec.set),
            &r.query,
            token,
        )
    });
    let count = page.count.map(|n| n + from_providers);
    let shape = Shape {
        odata_type: spec.odata_type,
        select,
        hide_evolvable: false,
    };
    let mut out = Collection::start(&context, count, next.as_deref());
    for alert in &merged.alerts {
        let doc = serde_json::to_string(alert).map_err(GraphError::internal)?;
        out.push(&doc, false, &shape)?;
    }
    let mut response = out.finish();
    if let Some(warning) = &merged.warning {
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
        let value = HeaderValue::from_str(warning).map_err(GraphError::internal)?;
        response.headers_mut().insert("warning", value);
    }
    Ok(response)
}

/// Every provider's answer to `query`, in parallel, each within [`FEDERATED_TIMEOUT`].
async fn ask_providers(
    app: &AppState,
    tenant: &str,
    query: &str,
    providers: &[Provider],
) -> Result<Vec<SourceResult>, GraphError> {
    let client = app.outbound()?;
    // Signatures carry the wall clock, which the provider checks against its own (the store's
    // clock may be a test's or a replay's).
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let calls = providers.iter().map(|p| async move {
        let keys = p.signing_keys().unwrap_or_default();
        let target = ProviderTarget {
            callback_base_url: &p.manifest.callback_base_url,
            keys: &keys,
            allow_private: p.allow_private,
            timeout: Some(FEDERATED_TIMEOUT),
        };
        let reply = client.federated(&target, tenant, query, now).await;
        if let Some(detail) = &reply.detail {
            tracing::warn!(provider = %p.name(), %detail, "federated provider failed");
        }
        reply.into_source(p.manifest.vendor.clone(), p.name())
    });
    Ok(futures::future::join_all(calls).await)
}

fn answered_count(s: &SourceResult) -> u64 {
    match &s.outcome {
        provider_protocol::SourceOutcome::Answered(a) => a.value.len() as u64,
        _ => 0,
    }
}
