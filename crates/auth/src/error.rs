//! [`AuthError`]: what can fail in this crate outside token verification (which has its own
//! [`TokenError`](crate::TokenError), written for the caller).

/// A failure to create, load or use key material, or to build the configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// The crypto library could not generate an RSA key pair.
    #[error("could not generate an RSA signing key")]
    KeyGeneration,
    /// Stored key material is not a usable RSA private key.
    #[error("the signing key is not usable: {0}")]
    InvalidKey(String),
    /// The crypto library failed to sign.
    #[error("could not sign the token")]
    Signing,
    /// The claims could not be serialised.
    #[error("could not encode the token claims: {0}")]
    Encoding(String),
    /// The public base URL is not an absolute `http(s)://host[:port][/path]` URL.
    #[error("the public base URL '{0}' is not an absolute http(s) URL with a host")]
    InvalidBaseUrl(String),
}
