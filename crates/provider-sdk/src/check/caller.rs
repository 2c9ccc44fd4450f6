//! The conformance kit's HTTP side: calls a provider endpoint the way secgraph does (signed over
//! the request target and body, `X-Secgraph-*` headers), or deliberately wrong, and reads the
//! answer as the protocol defines it.

use bytes::Bytes;
use provider_protocol::endpoint::request_target;
use provider_protocol::signing::{self, SigningKey};
use provider_protocol::{CallbackAnswer, Endpoint, PROTOCOL_VERSION};
use serde::de::DeserializeOwned;
use std::time::Duration;
use time::OffsetDateTime;

/// A secret no provider holds, for the wrong-signature check.
const WRONG_SECRET: &str = "sgps_secgraph-provider-check-not-your-secret";
/// How old the stale timestamp is: six minutes, past the five the protocol allows.
pub(crate) const STALE_SECONDS: i64 = 360;

/// How a call is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signing {
    /// As secgraph signs it.
    Valid,
    /// No signature headers at all.
    Absent,
    /// With a secret the provider does not hold.
    WrongSecret,
    /// Correctly, but six minutes ago.
    Stale,
    /// Two `v1=` entries, the first with an unknown secret (a rotation in progress).
    Rotation,
}

/// An answer: status and raw body.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Bytes,
}

/// Signs and sends calls to one provider.
pub(crate) struct Caller {
    http: reqwest::Client,
    base: String,
    key: SigningKey,
    wrong: SigningKey,
}

impl Caller {
    /// A caller for `base` (the provider's callbackBaseUrl) with `secret`.
    pub(crate) fn new(base: &str, secret: &str, timeout: Duration) -> Result<Self, String> {
        let key = SigningKey::new(secret).map_err(|e| format!("--secret: {e}"))?;
        let wrong = SigningKey::new(WRONG_SECRET).map_err(|e| format!("internal: {e}"))?;
        Endpoint::Actions
            .url(base)
            .map_err(|e| format!("provider URL: {e}"))?;
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        Ok(Caller {
            http,
            base: base.to_string(),
            key,
            wrong,
        })
    }

    /// Calls `endpoint` with `body` (POST) or none (GET), signed as `how` says.
    pub(crate) async fn call(
        &self,
        endpoint: &Endpoint<'_>,
        body: &[u8],
        how: Signing,
    ) -> Result<Reply, String> {
        let url = endpoint.url(&self.base)?;
        let target = request_target(&url);
        let method = endpoint.method();
        let headers = self.headers(how, method, &target, body);
        let mut request = if method == "GET" {
            self.http.get(url.clone())
        } else {
            self.http
                .post(url.clone())
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.to_vec())
        };
        if let Some(h) = headers {
            request = request
                .header(signing::TIMESTAMP_HEADER, h.timestamp)
                .header(signing::SIGNATURE_HEADER, h.signature);
        }
        let response = request
            .send()
            .await
            .map_err(|e| format!("{method} {url} failed: {e}; is the provider running there?"))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| format!("the answer to {method} {url} broke off: {e}"))?;
        Ok(Reply { status, body })
    }

    /// The signature headers of a call, signed as `signing` says (`None`: unsigned).
    fn headers(
        &self,
        how: Signing,
        method: &str,
        target: &str,
        body: &[u8],
    ) -> Option<signing::SignatureHeaders> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        match how {
            Signing::Absent => None,
            Signing::Valid => Some(signing::sign(&self.key, method, target, now, body)),
            Signing::WrongSecret => Some(signing::sign(&self.wrong, method, target, now, body)),
            Signing::Stale => Some(signing::sign(
                &self.key,
                method,
                target,
                now - STALE_SECONDS,
                body,
            )),
            Signing::Rotation => Some(signing::sign_with_each(
                &[self.wrong.clone(), self.key.clone()],
                method,
                target,
                now,
                body,
            )),
        }
    }
}

/// The body for an error message: its start, or `(empty)`.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let cut: String = text.chars().take(200).collect();
    match (cut.trim().is_empty(), cut.len() < text.len()) {
        (true, _) => "empty body".into(),
        (false, true) => format!("{cut}…"),
        (false, false) => cut,
    }
}

/// Reads an envelope answered `200` (`what` names it in messages); every failure says what the
/// protocol expects.
pub(crate) fn read_ok<T: DeserializeOwned>(reply: &Reply, what: &str) -> Result<T, String> {
    if reply.status != 200 {
        return Err(format!(
            "answered {} ({}); answer 200 with a {what} (protocolVersion {PROTOCOL_VERSION})",
            reply.status,
            excerpt(&reply.body)
        ));
    }
    provider_protocol::from_json(&reply.body).map_err(|e| {
        format!(
            "answered 200 with a body that is not a {what}: {e}; got {}",
            excerpt(&reply.body)
        )
    })
}

/// Checks a parsed [`CallbackAnswer`] (a rejection needs a reason).
pub(crate) fn validate_answer(reply: &Reply, answer: &CallbackAnswer) -> Result<(), String> {
    answer.validate().map_err(|e| {
        format!(
            "answered an invalid CallbackAnswer: {e} (got {})",
            excerpt(&reply.body)
        )
    })
}

/// Describes an answer for a message: `applied (providerVersion 4)` or `rejected: why`.
pub(crate) fn describe(answer: &CallbackAnswer) -> String {
    match (&answer.reason, &answer.provider_version) {
        (Some(r), _) => format!("{}: {r}", answer.result),
        (None, Some(v)) => format!("{} (providerVersion {v})", answer.result),
        (None, None) => answer.result.to_string(),
    }
}
