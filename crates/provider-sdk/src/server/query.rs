//! The two read endpoints, a pull page and a federated query, and how the provider's refusals
//! ([`Refusal`], [`Unavailable`]) are answered. Neither read changes anything, so neither
//! goes through the idempotency cache; the query string is read as received (it is what the
//! signature covered).

use super::problem::ProblemResponse;
use super::{Provider, Refusal, Shared, Unavailable};
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use model::TenantId;
use provider_protocol::FederatedRequest;
use std::sync::Arc;

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        ProblemResponse::new(self.status, self.message).into_response()
    }
}

impl IntoResponse for Unavailable {
    fn into_response(self) -> Response {
        let mut response = ProblemResponse::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            format!("{}; deliver this call again later", self.message),
        )
        .into_response();
        if let Some(after) = self.retry_after {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(after.as_secs()),
            );
        }
        response
    }
}

/// `GET /alerts?tenantId=&cursor=`: [`Provider::pull`].
pub(crate) async fn pull<P: Provider>(
    State(shared): State<Arc<Shared<P>>>,
    RawQuery(query): RawQuery,
) -> Response {
    let mut tenant = None;
    let mut cursor = None;
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match key.as_ref() {
            "tenantId" => tenant = Some(value.into_owned()),
            "cursor" => cursor = Some(value.into_owned()),
            _ => {}
        }
    }
    let Some(tenant) = tenant.filter(|t| !t.trim().is_empty()) else {
        return Refusal::bad_request(
            "tenantId is missing from the query; secgraph always sends it",
        )
        .into_response();
    };
    match shared.provider.pull(TenantId(tenant), cursor).await {
        Ok(page) => {
            if let Err(e) = page.validate() {
                tracing::warn!(problems = %e, "the provider's pull page breaks the protocol");
            }
            Json(page).into_response()
        }
        Err(refusal) => refusal.into_response(),
    }
}

/// `GET /federated/alerts?tenantId=&…`: [`Provider::federated`].
pub(crate) async fn federated<P: Provider>(
    State(shared): State<Arc<Shared<P>>>,
    RawQuery(query): RawQuery,
) -> Response {
    let request = match FederatedRequest::from_query_string(&query.unwrap_or_default()) {
        Ok(r) => r,
        Err(e) => return ProblemResponse::invalid(e.problems).into_response(),
    };
    match shared.provider.federated(request).await {
        Ok(answer) => {
            if let Err(e) = answer.validate() {
                tracing::warn!(problems = %e, "the provider's federated answer breaks the protocol");
            }
            Json(answer).into_response()
        }
        Err(refusal) => refusal.into_response(),
    }
}
