//! The provider's client for secgraph's provider endpoints ([`provider_protocol::endpoint`]):
//! pushing alerts, reporting action status and control states, each with an app-only bearer token
//! for one tenant (see [`token`] for how it is obtained and renewed).
//!
//! Every envelope is validated before it is sent, so a mistake is reported with all its problems
//! without a round trip. Nothing is split or retried behind the caller's back, except that a `401`
//! is retried once with a new token (the server may have rotated its signing keys). A refusal
//! carries secgraph's own error message.

mod error;
pub mod token;

pub use error::ClientError;

use error::graph_error;
use provider_protocol::endpoint::{ACTION_STATUS_PATH, CONTROL_STATES_PATH, PUSH_ALERTS_PATH};
use provider_protocol::{ActionStatusUpdate, AlertBatch, ControlStateReport, PushResponse};
use serde::Serialize;
use std::time::Duration;
use token::TokenSource;
use url::Url;

/// How long one call to secgraph may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A client for one tenant of one secgraph deployment. Cheap to share behind an `Arc`; the token
/// is fetched on first use.
#[derive(Debug)]
pub struct SecgraphClient {
    base: Url,
    http: reqwest::Client,
    tokens: TokenSource,
}

impl SecgraphClient {
    /// A client for `tenant_id` at `base_url` (such as `https://secgraph.example:8443`), acting as
    /// the application `client_id` with `client_secret`. The tenant must have consented to the
    /// application.
    pub fn new(
        base_url: &str,
        tenant_id: &str,
        client_id: &str,
        client_secret: &str,
    ) -> Result<Self, ClientError> {
        let base = Url::parse(base_url).map_err(|e| {
            ClientError::BadUrl(format!("'{base_url}' is not an absolute URL ({e})"))
        })?;
        if base.scheme() != "https" && base.scheme() != "http" {
            return Err(ClientError::BadUrl(format!(
                "'{base_url}' is not an http or https URL"
            )));
        }
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .build()?;
        let tokens = TokenSource::new(&base, tenant_id, client_id.into(), client_secret.into())?;
        Ok(SecgraphClient { base, http, tokens })
    }

    /// Pushes a batch (`POST /secgraph/v1/provider/alerts`) and returns one result per alert.
    /// The batch is validated first and sent as it is: at most 1,000 alerts, each id once.
    pub async fn push_alerts(&self, batch: &AlertBatch) -> Result<PushResponse, ClientError> {
        batch.validate().map_err(|problems| ClientError::Invalid {
            what: "alert batch",
            problems,
        })?;
        let url = self.url(PUSH_ALERTS_PATH, None)?;
        let body = self.post(url, batch).await?;
        serde_json::from_slice(&body)
            .map_err(|e| ClientError::Unreadable(format!("push response: {e}")))
    }

    /// Reports an action's progress (`POST /secgraph/v1/provider/actions/{id}/status`).
    pub async fn report_action_status(
        &self,
        action_id: &str,
        update: &ActionStatusUpdate,
    ) -> Result<(), ClientError> {
        update.validate().map_err(|problems| ClientError::Invalid {
            what: "action status update",
            problems,
        })?;
        let url = self.url(ACTION_STATUS_PATH, Some(action_id))?;
        self.post(url, update).await.map(drop)
    }

    /// Reports secure-score control states (`POST /secgraph/v1/provider/controlStates`).
    pub async fn report_control_states(
        &self,
        report: &ControlStateReport,
    ) -> Result<(), ClientError> {
        report.validate().map_err(|problems| ClientError::Invalid {
            what: "control state report",
            problems,
        })?;
        let url = self.url(CONTROL_STATES_PATH, None)?;
        self.post(url, report).await.map(drop)
    }

    /// `path` (one of the endpoint constants) under the base URL, `{id}` replaced by `id` as one
    /// percent-encoded segment.
    fn url(&self, path: &str, id: Option<&str>) -> Result<Url, ClientError> {
        let mut url = self.base.clone();
        let mut segments = url
            .path_segments_mut()
            .map_err(|()| ClientError::BadUrl(format!("'{}' cannot be a base URL", self.base)))?;
        segments.pop_if_empty();
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            match (segment, id) {
                ("{id}", Some(id)) => segments.push(id),
                _ => segments.push(segment),
            };
        }
        drop(segments);
        Ok(url)
    }

    /// POSTs `body` as JSON with a bearer token; the answer's body on success.
    async fn post<B: Serialize>(&self, url: Url, body: &B) -> Result<bytes::Bytes, ClientError> {
        let mut fresh = false;
        loop {
            let token = self.tokens.token(&self.http, fresh).await?;
            let response = self
                .http
                .post(url.clone())
                .bearer_auth(token)
                .json(body)
                .send()
                .await?;
            let status = response.status();
            let answer = response.bytes().await?;
            if status.is_success() {
                return Ok(answer);
            }
            if status == reqwest::StatusCode::UNAUTHORIZED && !fresh {
                fresh = true;
                continue;
            }
            return Err(graph_error(status.as_u16(), &answer));
        }
    }
}
