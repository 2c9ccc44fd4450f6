//! JSON batching (spec §2.7): `POST /v1.0/$batch` and `POST /beta/$batch` carry up to 20 requests
//! that run on the server and come back together as `{"responses":[{id,status,headers,body}]}`.
//!
//! An inner request is not interpreted here: it is rebuilt as an `http::Request` with the batch's
//! bearer token and sent through the whole application — path canonicalisation, every middleware
//! layer, the router, the authorization layer of its route — by the [`Dispatcher`] that
//! [`crate::service`] puts into each request's extensions. So an inner request is authenticated,
//! authorized (a 403 inside a 200 batch), throttled and logged exactly like the same request sent
//! on its own, with its own `request-id`; whatever layer is added to [`crate::router`] applies to
//! inner requests without a change here. The dispatcher holds the application *without* itself,
//! so an inner request can never reach `$batch` (it is refused as malformed anyway).

pub mod reply;
pub mod request;
pub mod schedule;

use crate::body::JsonBody;
use crate::error::GraphError;
use crate::query::ApiVersion;
use crate::response;
use crate::state::AppState;
use crate::AppService;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::response::Response;
use axum::Extension;
use serde_json::json;

/// Sends a request through the whole application, as if it had arrived on the socket.
#[derive(Clone)]
pub struct Dispatcher(AppService);

impl Dispatcher {
    /// A dispatcher into `service` (the application without the dispatcher extension).
    pub fn new(service: AppService) -> Self {
        Dispatcher(service)
    }

    /// The application's response to `req`.
    pub async fn call(&self, req: Request<Body>) -> Response {
        match tower::ServiceExt::oneshot(self.0.clone(), req).await {
            Ok(resp) => resp,
            Err(never) => match never {},
        }
    }
}

impl std::fmt::Debug for Dispatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Dispatcher")
    }
}

/// `POST /$batch`: runs the batch's requests (dependencies first, the rest concurrently) and
/// answers 200 with one response item per request; a malformed batch is a 400 for the whole.
/// The batch itself needs a valid token (401 otherwise); each inner request is then authorized
/// against its own route's permissions.
pub async fn post_batch(
    State(app): State<AppState>,
    version: ApiVersion,
    dispatcher: Option<Extension<Dispatcher>>,
    headers: HeaderMap,
    JsonBody(doc): JsonBody,
) -> Result<Response, GraphError> {
    app.auth().authenticate(&app, &headers).await?;
    let items = request::parse_batch(&doc, version)?;
    let Some(Extension(dispatcher)) = dispatcher else {
        return Err(GraphError::bad_request(
            "A batch cannot be sent from inside a batch; send its requests in the outer batch.",
        ));
    };
    let authorization = headers.get(header::AUTHORIZATION).cloned();
    let responses = schedule::run(items, dispatcher, authorization).await;
    let body = json!({ "responses": responses });
    Ok(response::json_response(
        StatusCode::OK,
        response::json_bytes(&body),
    ))
}
