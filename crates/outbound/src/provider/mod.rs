//! Signed calls to providers (`docs/provider-protocol.md`): [`OutboundClient::call`] builds the
//! endpoint's URL under the provider's `callbackBaseUrl`, signs it with every active secret and
//! sends it; the typed calls on top read and validate the answer, and report failures as
//! [`CallFailure`]s the outbox worker can act on. Federated queries report a
//! [`FederatedReply`] instead, which is what [`provider_protocol::merge`] needs.
//!
//! The signature covers the request target exactly as sent: the URL is built once, its path and
//! query are signed ([`provider_protocol::endpoint::request_target`]) and the same `Url` is sent,
//! whose path and query reach the request line unchanged. The clock is a parameter (`now_unix`),
//! as everywhere in the protocol.

mod failure;
mod federated;

pub use failure::CallFailure;
pub use federated::FederatedReply;

use crate::client::{OutboundClient, OutboundRequest, OutboundResponse};
use crate::error::OutboundError;
use crate::policy::AddressPolicy;
use bytes::Bytes;
use failure::read_answer;
use http::header::{HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE};
use http::Method;
use provider_protocol::endpoint::request_target;
use provider_protocol::signing::{sign_with_each, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use provider_protocol::{
    ActionCancellation, ActionInvocation, AlertUpdate, CallbackAnswer, Endpoint, PullPage,
    SigningKey,
};
use serde::Serialize;
use std::time::Duration;
use time::OffsetDateTime;

/// Where and how to call one provider.
#[derive(Debug, Clone, Copy)]
pub struct ProviderTarget<'a> {
    /// The manifest's `callbackBaseUrl`.
    pub callback_base_url: &'a str,
    /// One key per active secret (two during a rotation); every call is signed with each, and at
    /// least one is required.
    pub keys: &'a [SigningKey],
    /// Allow loopback and private addresses (a provider an administrator registered on the local
    /// network); otherwise [`AddressPolicy::Public`].
    pub allow_private: bool,
    /// Overrides the client's request timeout for this provider.
    pub timeout: Option<Duration>,
}

impl OutboundClient {
    /// Sends a signed call to `endpoint` of `target`, with `body` as JSON (none for a `GET`), at
    /// `now_unix` (the `X-Secgraph-Timestamp`), and returns the answer whatever its status.
    pub async fn call<B: Serialize + Sync + ?Sized>(
        &self,
        target: &ProviderTarget<'_>,
        endpoint: &Endpoint<'_>,
        body: Option<&B>,
        now_unix: i64,
    ) -> Result<OutboundResponse, OutboundError> {
        if target.keys.is_empty() {
            return Err(OutboundError::Request(
                "the provider has no active signing secret".to_string(),
            ));
        }
        let url = endpoint
            .url(target.callback_base_url)
            .map_err(OutboundError::InvalidUrl)?;
        let body = match body {
            Some(b) => Bytes::from(serde_json::to_vec(b).map_err(|e| {
                OutboundError::Request(format!("the body does not serialise: {e}"))
            })?),
            None => Bytes::new(),
        };
        let method = if endpoint.method() == "GET" {
            Method::GET
        } else {
            Method::POST
        };
        let signed = sign_with_each(
            target.keys,
            method.as_str(),
            &request_target(&url),
            now_unix,
            &body,
        );
        let mut req = OutboundRequest::new(method, url)
            .with_policy(AddressPolicy::from_allow_private(target.allow_private))
            .with_header(ACCEPT, HeaderValue::from_static("application/json"))
            .with_header(header_name(TIMESTAMP_HEADER)?, header(&signed.timestamp)?)
            .with_header(header_name(SIGNATURE_HEADER)?, header(&signed.signature)?);
        if !body.is_empty() {
            req = req.with_header(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            req.body = body;
        }
        req.timeout = target.timeout;
        self.send(req).await
    }

    /// `POST {base}/alertUpdates`: delivers a sync-back update. `Ok` holds the provider's verdict,
    /// `applied` or `rejected` (final, not to be retried).
    pub async fn send_alert_update(
        &self,
        target: &ProviderTarget<'_>,
        update: &AlertUpdate,
        now_unix: i64,
    ) -> Result<CallbackAnswer, CallFailure> {
        update
            .validate()
            .map_err(|e| CallFailure::invalid_request("alert update", &e))?;
        self.callback(target, &Endpoint::AlertUpdates, update, now_unix)
            .await
    }

    /// `POST {base}/actions`: invokes a security action; `applied` means accepted.
    pub async fn invoke_action(
        &self,
        target: &ProviderTarget<'_>,
        invocation: &ActionInvocation,
        now_unix: i64,
    ) -> Result<CallbackAnswer, CallFailure> {
        invocation
            .validate()
            .map_err(|e| CallFailure::invalid_request("action invocation", &e))?;
        self.callback(target, &Endpoint::Actions, invocation, now_unix)
            .await
    }

    /// `POST {base}/actions/{id}/cancel`: cancels a security action.
    pub async fn cancel_action(
        &self,
        target: &ProviderTarget<'_>,
        cancellation: &ActionCancellation,
        now_unix: i64,
    ) -> Result<CallbackAnswer, CallFailure> {
        cancellation
            .validate()
            .map_err(|e| CallFailure::invalid_request("action cancellation", &e))?;
        let endpoint = Endpoint::CancelAction {
            action_id: &cancellation.action_id,
        };
        self.callback(target, &endpoint, cancellation, now_unix)
            .await
    }

    /// `GET {base}/alerts?tenantId=...&cursor=...`: one page of a pulled provider's alerts.
    pub async fn pull(
        &self,
        target: &ProviderTarget<'_>,
        tenant_id: &str,
        cursor: Option<&str>,
        now_unix: i64,
    ) -> Result<PullPage, CallFailure> {
        let endpoint = Endpoint::Alerts { tenant_id, cursor };
        let resp = self.call(target, &endpoint, None::<&()>, now_unix).await?;
        read_answer(&resp, instant(now_unix), "PullPage", PullPage::validate)
    }

    async fn callback<B: Serialize + Sync>(
        &self,
        target: &ProviderTarget<'_>,
        endpoint: &Endpoint<'_>,
        body: &B,
        now_unix: i64,
    ) -> Result<CallbackAnswer, CallFailure> {
        let resp = self.call(target, endpoint, Some(body), now_unix).await?;
        read_answer(
            &resp,
            instant(now_unix),
            "CallbackAnswer",
            CallbackAnswer::validate,
        )
    }
}

/// A header name; `HeaderName::from_static` would panic on the protocol's mixed-case spelling.
fn header_name(name: &str) -> Result<HeaderName, OutboundError> {
    HeaderName::from_bytes(name.as_bytes())
        .map_err(|e| OutboundError::Request(format!("header name {name:?} is not allowed: {e}")))
}

fn header(value: &str) -> Result<HeaderValue, OutboundError> {
    HeaderValue::from_str(value)
        .map_err(|e| OutboundError::Request(format!("a header value is not allowed: {e}")))
}

/// `now_unix` as a date-time (the epoch for a value out of range, which no clock produces).
fn instant(now_unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(now_unix).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}
