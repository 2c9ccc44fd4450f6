//! [`CallFailure`]: how a provider call failed, in the terms the outbox worker acts on, and the
//! reading of a provider's answer into a typed envelope.
//!
//! The protocol's rule (`docs/provider-protocol.md`, Sync-back): a provider answers `200` with a
//! valid envelope; any other status, a timeout or an unreadable answer is retried with backoff. So
//! every failure after the request left is retryable, and says what was wrong; only failures that
//! the same request would meet again (a policy refusal, an unusable URL, an envelope of ours that
//! does not validate) are not.

use crate::client::OutboundResponse;
use crate::error::OutboundError;
use crate::retry_after::retry_after;
use provider_protocol::Invalid;
use serde::de::DeserializeOwned;
use std::fmt;
use time::OffsetDateTime;

/// Most characters of a failed answer's body quoted in a [`CallFailure`] message.
const EXCERPT_CHARS: usize = 200;

/// A failed provider call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallFailure {
    /// What went wrong, for the log and the operator (never contains the signing secret).
    pub message: String,
    /// Whether the outbox should try again (on the backoff schedule, or at `retry_at`).
    pub retryable: bool,
    /// The earliest time to try again, from `Retry-After` on a `429` or `503`.
    pub retry_at: Option<OffsetDateTime>,
    /// The provider's status, when it answered.
    pub status: Option<u16>,
}

impl fmt::Display for CallFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CallFailure {}

impl From<OutboundError> for CallFailure {
    fn from(e: OutboundError) -> Self {
        let status = match e {
            OutboundError::TooLarge { status, .. } => Some(status),
            _ => None,
        };
        CallFailure {
            message: e.to_string(),
            retryable: e.is_retryable(),
            retry_at: None,
            status,
        }
    }
}

impl CallFailure {
    /// A permanent failure before sending: our own envelope is invalid (`what` names it).
    pub(crate) fn invalid_request(what: &str, e: &Invalid) -> Self {
        CallFailure {
            message: format!("the {what} was not sent; it is invalid: {e}"),
            retryable: false,
            retry_at: None,
            status: None,
        }
    }

    fn answer(message: String, status: u16) -> Self {
        CallFailure {
            message,
            retryable: true,
            retry_at: None,
            status: Some(status),
        }
    }
}

/// Reads a `200` answer as a `T` (`what` names it in messages) and validates it; any other
/// status, an unparsable body or a failed validation is a retryable [`CallFailure`].
pub(crate) fn read_answer<T: DeserializeOwned>(
    resp: &OutboundResponse,
    now: OffsetDateTime,
    what: &str,
    validate: impl FnOnce(&T) -> Result<(), Invalid>,
) -> Result<T, CallFailure> {
    if resp.status != 200 {
        let mut failure = CallFailure::answer(
            format!(
                "the provider answered {} instead of 200{}",
                resp.status,
                excerpt(&resp.body)
            ),
            resp.status,
        );
        if resp.status == 429 || resp.status == 503 {
            failure.retry_at = retry_after(&resp.headers, now);
        }
        return Err(failure);
    }
    let answer: T = provider_protocol::from_json(&resp.body).map_err(|e| {
        CallFailure::answer(
            format!(
                "the provider's answer is not a {what}: {e}{}",
                excerpt(&resp.body)
            ),
            resp.status,
        )
    })?;
    validate(&answer).map_err(|e| {
        CallFailure::answer(
            format!("the provider's {what} is invalid: {e}"),
            resp.status,
        )
    })?;
    Ok(answer)
}

/// `; body: "..."` with the start of the body, printable characters only; empty for no body.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut shown: String = text
        .chars()
        .filter(|c| !c.is_control())
        .take(EXCERPT_CHARS)
        .collect();
    if shown.trim().is_empty() {
        return String::new();
    }
    if text
        .chars()
        .filter(|c| !c.is_control())
        .nth(EXCERPT_CHARS)
        .is_some()
    {
        shown.push('…');
    }
    format!("; body: {shown:?}")
}
