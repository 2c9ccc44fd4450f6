//! JWS compact serialisation (RFC 7515 §7.1): `base64url(header).base64url(payload).base64url(sig)`,
//! and the strict splitting of a received token into those parts.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;

/// The JOSE header fields secgraph reads. `crit` is captured so that a token demanding
/// extensions we do not implement is refused (RFC 7515 §4.1.11).
#[derive(Debug, Deserialize)]
pub(crate) struct Header {
    pub(crate) alg: String,
    #[serde(default)]
    pub(crate) kid: Option<String>,
    #[serde(default)]
    pub(crate) crit: Option<serde_json::Value>,
}

/// A received token split into its parts.
pub(crate) struct Parts<'t> {
    /// `header.payload`, the bytes the signature covers.
    pub(crate) signing_input: &'t str,
    pub(crate) header: &'t str,
    pub(crate) payload: &'t str,
    pub(crate) signature: &'t str,
}

/// Splits `token` into exactly three dot-separated parts, the header and payload non-empty. An
/// empty signature is let through so that an unsigned (`alg: none`) token is refused for its
/// algorithm, which is the more useful message.
pub(crate) fn split(token: &str) -> Option<Parts<'_>> {
    let (signing_input, signature) = token.rsplit_once('.')?;
    let (header, payload) = signing_input.split_once('.')?;
    if header.is_empty() || payload.is_empty() || payload.contains('.') {
        return None;
    }
    Some(Parts {
        signing_input,
        header,
        payload,
        signature,
    })
}

/// Base64url without padding.
pub(crate) fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Strict base64url (no padding, canonical trailing bits).
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}
