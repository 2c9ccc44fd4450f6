//! Running a batch's requests: each as soon as everything in its `dependsOn` has finished, at most
//! [`CONCURRENCY`] at once, so independent requests overlap and dependent chains keep their order.
//! A request whose dependency failed (any status outside 2xx) is not sent: it gets a 424, which in
//! turn fails whatever depends on it.

use super::reply::response_item;
use super::request::BatchItem;
use super::Dispatcher;
use crate::error::{ErrorCode, GraphError};
use axum::body::Body;
use axum::http::{header, HeaderValue, Request};
use axum::response::IntoResponse;
use serde_json::Value;
use tokio::task::JoinSet;

/// How many inner requests of one batch run at the same time.
pub const CONCURRENCY: usize = 4;

/// Where an inner request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Waiting,
    Running,
    Succeeded,
    Failed,
}

/// Runs `items` through `dispatcher` with the batch's `Authorization`, and returns one response
/// item per request, in request order.
pub async fn run(
    items: Vec<BatchItem>,
    dispatcher: Dispatcher,
    authorization: Option<HeaderValue>,
) -> Vec<Value> {
    let n = items.len();
    let deps: Vec<Vec<usize>> = items.iter().map(|i| i.depends_on.clone()).collect();
    let ids: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
    let mut pending: Vec<Option<BatchItem>> = items.into_iter().map(Some).collect();
    let mut state = vec![State::Waiting; n];
    let mut replies: Vec<Value> = vec![Value::Null; n];
    let mut running = JoinSet::new();
    let mut tasks = std::collections::HashMap::new();
    loop {
        for i in 0..n {
            if state[i] != State::Waiting {
                continue;
            }
            let finished = |s: State| matches!(s, State::Succeeded | State::Failed);
            if !deps[i].iter().all(|&d| finished(state[d])) {
                continue;
            }
            if let Some(&failed) = deps[i].iter().find(|&&d| state[d] == State::Failed) {
                replies[i] = failed_dependency(&ids[i], &ids[failed]).await;
                state[i] = State::Failed;
            } else if running.len() < CONCURRENCY {
                if let Some(item) = pending[i].take() {
                    let req = inner_request(item, authorization.clone());
                    let d = dispatcher.clone();
                    let id = ids[i].clone();
                    let task = running
                        .spawn(async move { (i, response_item(&id, d.call(req).await).await) });
                    tasks.insert(task.id(), i);
                    state[i] = State::Running;
                }
            }
        }
        let Some(joined) = running.join_next().await else {
            if state.contains(&State::Waiting) {
                // A 424 just settled: look again for what it unblocks or fails.
                continue;
            }
            break;
        };
        match joined {
            Ok((i, reply)) => {
                let ok = reply["status"]
                    .as_u64()
                    .is_some_and(|s| (200..300).contains(&s));
                state[i] = if ok { State::Succeeded } else { State::Failed };
                replies[i] = reply;
            }
            Err(e) => {
                tracing::error!(cause = %e, "a batch's inner request task failed");
                if let Some(&i) = tasks.get(&e.id()) {
                    state[i] = State::Failed;
                    let err = GraphError::internal(e).into_response();
                    replies[i] = response_item(&ids[i], err).await;
                }
            }
        }
    }
    replies
}

/// The inner `http::Request`: its own method, path, headers and body, with the batch's bearer
/// token (a request inside a batch acts with the batch's credentials, as in Graph).
fn inner_request(item: BatchItem, authorization: Option<HeaderValue>) -> Request<Body> {
    let mut req = Request::new(Body::from(item.body));
    *req.method_mut() = item.method;
    *req.uri_mut() = item.uri;
    *req.headers_mut() = item.headers;
    let headers = req.headers_mut();
    headers.remove(header::AUTHORIZATION);
    if let Some(auth) = authorization {
        headers.insert(header::AUTHORIZATION, auth);
    }
    req
}

/// The 424 of a request that was not sent because `dependency` failed.
async fn failed_dependency(id: &str, dependency: &str) -> Value {
    let err = GraphError::new(
        ErrorCode::FailedDependency,
        format!("Request '{id}' was not run because request '{dependency}', which it depends on, failed."),
    );
    response_item(id, err.into_response()).await
}
