//! Why an outbound request failed, classified for the outbox worker: [`OutboundError::is_retryable`]
//! says whether trying again later can help.

use crate::policy::Refusal;
use std::time::Duration;

/// A failed outbound request. Messages never contain the request URL (it may carry a tenant id or
/// a webhook's secret path); the caller knows it and logs it as it sees fit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutboundError {
    /// The address policy refused the destination (an IP literal, or an address a name resolved
    /// to). Permanent until the policy or the URL changes.
    #[error("refused by the address policy: {reason}")]
    Refused {
        /// Which address, and the range it falls in.
        reason: String,
    },
    /// The URL cannot be used: another scheme than http/https, user info, no host. Permanent.
    #[error("the URL cannot be used: {0}")]
    InvalidUrl(String),
    /// The request could not be built (no signing key, a body that does not serialise, a header
    /// value that is not allowed). Permanent: the same input fails the same way.
    #[error("the request cannot be built: {0}")]
    Request(String),
    /// No connection within the connect timeout, or no complete answer within the request timeout.
    #[error("no answer within {} ms", limit.as_millis())]
    Timeout {
        /// The limit that ran out.
        limit: Duration,
    },
    /// The connection could not be opened (name not found, refused, reset, TLS handshake failed).
    #[error("could not connect: {0}")]
    Connect(String),
    /// The answer's body is longer than the limit; reading stopped there.
    #[error("the answer (status {status}) is longer than {limit} bytes")]
    TooLarge {
        /// `Limits::max_response_bytes`.
        limit: usize,
        /// The status the server had answered (a webhook receiver that answered 2xx with a huge
        /// body did accept the notification).
        status: u16,
    },
    /// Any other failure while exchanging the request and answer (connection closed mid-answer,
    /// malformed HTTP, a body that failed to decompress).
    #[error("HTTP exchange failed: {0}")]
    Http(String),
}

impl OutboundError {
    /// True when the same request may succeed later: timeouts, connection and transfer failures
    /// and oversized answers are retried; a policy refusal, an unusable URL or an unbuildable
    /// request are not.
    pub fn is_retryable(&self) -> bool {
        match self {
            OutboundError::Refused { .. }
            | OutboundError::InvalidUrl(_)
            | OutboundError::Request(_) => false,
            OutboundError::Timeout { .. }
            | OutboundError::Connect(_)
            | OutboundError::TooLarge { .. }
            | OutboundError::Http(_) => true,
        }
    }
}

impl From<Refusal> for OutboundError {
    fn from(r: Refusal) -> Self {
        OutboundError::Refused {
            reason: r.to_string(),
        }
    }
}

/// Maps a reqwest failure: a [`Refusal`] raised by the resolver anywhere in the source chain is
/// a refusal; otherwise by reqwest's own classification. Only connect timeouts are reqwest's (the
/// total timeout is enforced around the whole exchange), hence `connect_timeout`.
pub(crate) fn from_reqwest(e: reqwest::Error, connect_timeout: Duration) -> OutboundError {
    if let Some(r) = refusal_in(&e) {
        return OutboundError::from(r.clone());
    }
    let e = e.without_url();
    let message = chain(&e);
    if e.is_timeout() {
        OutboundError::Timeout {
            limit: connect_timeout,
        }
    } else if e.is_connect() {
        OutboundError::Connect(message)
    } else if e.is_builder() {
        OutboundError::Request(message)
    } else {
        OutboundError::Http(message)
    }
}

fn refusal_in<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a Refusal> {
    let mut current = Some(e);
    while let Some(err) = current {
        if let Some(r) = err.downcast_ref::<Refusal>() {
            return Some(r);
        }
        current = err.source();
    }
    None
}

/// The error and its sources, `outer: inner: innermost`, without repeats (hyper and reqwest
/// often repeat their source's text).
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(e);
    while let Some(err) = current {
        let text = err.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = err.source();
    }
    parts.join(": ")
}
