//! The throttle in the request path: [`admit`] runs in the authorization layer once the caller is
//! known; a refusal is Graph's 429, an admission is a [`Ticket`] that stamps the quota headers on
//! the response and holds the concurrency slot until the response body has been sent (or dropped,
//! when the client goes away).
//!
//! Headers on every response of a category with a rate limit (refusals included):
//!
//! | header | value |
//! |---|---|
//! | `x-ratelimit-limit` | requests the closest-to-exhausted rate allows per window |
//! | `x-ratelimit-remaining` | requests that rate would allow right now (after this one) |
//! | `x-ratelimit-reset` | whole seconds until that rate's quota is full again |
//! | `x-ratelimit-window` | that rate's window in seconds |
//!
//! A 429 also carries `Retry-After`: whole seconds (at least 1) until one request fits again.

use super::bucket::{Permit, Quota, Refusal, Verdict};
use super::Category;
use crate::error::{ErrorCode, GraphError};
use crate::principal::Principal;
use crate::state::AppState;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;

/// `x-ratelimit-limit`.
pub const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
/// `x-ratelimit-remaining`.
pub const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
/// `x-ratelimit-reset`.
pub const RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");
/// `x-ratelimit-window`.
pub const WINDOW: HeaderName = HeaderName::from_static("x-ratelimit-window");

/// An admitted request's quota and concurrency slot.
#[derive(Debug, Default)]
pub struct Ticket {
    quota: Option<Quota>,
    permit: Option<Permit>,
}

impl Ticket {
    /// Stamps the quota on `resp` and keeps the concurrency slot until its body is done.
    pub fn finish(self, mut resp: Response) -> Response {
        if let Some(q) = self.quota {
            write_quota(resp.headers_mut(), q);
        }
        match self.permit {
            None => resp,
            Some(permit) => resp.map(|body| {
                Body::new(body.map_frame(move |frame| {
                    let _held = &permit;
                    frame
                }))
            }),
        }
    }
}

/// What [`admit`] decided.
#[derive(Debug)]
pub enum Admission {
    /// Run the handler; finish its response with the ticket.
    Admitted(Ticket),
    /// Send this 429 instead of running the handler.
    Refused(Response),
}

/// Counts the request of `principal` on `category` (none: not throttled).
pub fn admit(state: &AppState, principal: &Principal, category: Option<Category>) -> Admission {
    let (Some(throttle), Some(category)) = (state.config().throttle.as_deref(), category) else {
        return Admission::Admitted(Ticket::default());
    };
    let app = principal.app_id.as_deref().unwrap_or("");
    match throttle.admit(principal.tenant_id.as_str(), app, category) {
        None => Admission::Admitted(Ticket::default()),
        Some(Verdict::Allowed { quota, permit }) => Admission::Admitted(Ticket { quota, permit }),
        Some(Verdict::Refused {
            retry_after,
            quota,
            refusal,
        }) => {
            tracing::debug!(tenant = %principal.tenant_id, app, category = category.key(), retry_after, "throttled");
            let mut resp = too_many_requests(app, category, refusal, retry_after).into_response();
            if let Some(q) = quota {
                write_quota(resp.headers_mut(), q);
            }
            Admission::Refused(resp)
        }
    }
}

/// Graph's 429 body (`TooManyRequests`, "Please retry again later.") with what was exceeded.
fn too_many_requests(app: &str, category: Category, refusal: Refusal, secs: u64) -> GraphError {
    let who = match app {
        "" => "This caller".to_owned(),
        app => format!("Application '{app}'"),
    };
    let what = match refusal {
        Refusal::Rate { limit, window } => {
            format!("reached its limit of {limit} requests per {window} seconds")
        }
        Refusal::Concurrency { limit } => {
            format!("already has {limit} requests in progress, the most allowed at once,")
        }
    };
    let unit = if secs == 1 { "second" } else { "seconds" };
    let mut e = GraphError::new(
        ErrorCode::TooManyRequests,
        format!(
            "Please retry again later. {who} {what} on {} in this tenant; retry after {secs} {unit} (Retry-After).",
            category.describe()
        ),
    )
    .with_inner_code("429");
    e.retry_after = Some(secs);
    e
}

fn write_quota(headers: &mut HeaderMap, q: Quota) {
    headers.insert(LIMIT, HeaderValue::from(q.limit));
    headers.insert(REMAINING, HeaderValue::from(q.remaining));
    headers.insert(RESET, HeaderValue::from(q.reset));
    headers.insert(WINDOW, HeaderValue::from(q.window));
}
