//! What can go wrong talking to secgraph. A refusal carries the server's own message (the Graph
//! error body's `error.message`, or the identity platform's `error_description`), which says
//! what to fix.

use provider_protocol::Invalid;
use serde::Deserialize;

/// A failed call to secgraph.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The base URL given to [`crate::SecgraphClient::new`] is not an absolute http(s) URL.
    #[error("secgraph base URL: {0}")]
    BadUrl(String),
    /// The envelope failed its own validation; nothing was sent.
    #[error("not sent, the {what} is invalid: {problems}")]
    Invalid {
        /// Which envelope.
        what: &'static str,
        /// Everything wrong with it.
        problems: Invalid,
    },
    /// The token endpoint refused the client credentials (wrong secret, no consent, ...).
    #[error("secgraph refused a token ({status}): {message}")]
    Token {
        /// HTTP status.
        status: u16,
        /// The identity platform's `error_description`.
        message: String,
    },
    /// secgraph answered with a Graph error.
    #[error("secgraph answered {status} {code}: {message}")]
    Graph {
        /// HTTP status.
        status: u16,
        /// The Graph error code (`BadRequest`, `Forbidden`, ...).
        code: String,
        /// The Graph error message.
        message: String,
    },
    /// secgraph could not be reached, or the connection failed.
    #[error("secgraph could not be reached: {0}")]
    Transport(#[from] reqwest::Error),
    /// secgraph answered success with a body this client cannot read.
    #[error("secgraph's answer could not be read: {0}")]
    Unreadable(String),
}

impl ClientError {
    /// The HTTP status secgraph answered with, when it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Token { status, .. } | ClientError::Graph { status, .. } => Some(*status),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
struct GraphErrorBody {
    error: GraphError,
}

#[derive(Deserialize)]
struct GraphError {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

#[derive(Deserialize)]
struct IdentityErrorBody {
    #[serde(default)]
    error: String,
    #[serde(default)]
    error_description: String,
}

/// Longest piece of a non-JSON error body quoted in a message.
const MAX_QUOTED: usize = 512;

/// The error for a non-success answer of a Graph-style endpoint.
pub(crate) fn graph_error(status: u16, body: &[u8]) -> ClientError {
    match serde_json::from_slice::<GraphErrorBody>(body) {
        Ok(b) => ClientError::Graph {
            status,
            code: b.error.code,
            message: b.error.message,
        },
        Err(_) => ClientError::Graph {
            status,
            code: String::new(),
            message: quote(body),
        },
    }
}

/// The error for a non-success answer of the token endpoint.
pub(crate) fn token_error(status: u16, body: &[u8]) -> ClientError {
    let message = match serde_json::from_slice::<IdentityErrorBody>(body) {
        Ok(b) if !b.error_description.is_empty() => b.error_description,
        Ok(b) if !b.error.is_empty() => b.error,
        _ => quote(body),
    };
    ClientError::Token { status, message }
}

fn quote(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut cut: String = text.chars().take(MAX_QUOTED).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    if cut.trim().is_empty() {
        "(no body)".into()
    } else {
        cut
    }
}
