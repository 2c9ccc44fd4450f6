//! secgraph identity, pure: no I/O, no HTTP, no SQL, and no clock (every time is an argument).
//!
//! - [`permission`]: the Graph application permissions ([`Permission`]) and what a route requires
//!   ([`Requirement`]).
//! - [`secret`]: client secrets, generated with 264 bits from the OS random source, shown once,
//!   kept as a SHA-256 [`SecretHash`] and compared in constant time.
//! - [`keys`]: RS256 [`SigningKey`]s (RSA 2048), their storage form (PKCS#8) and the JWKS.
//! - [`audience`]: the resources a token may be requested for (`<resource>/.default` scopes) and
//!   the `aud` values accepted.
//! - [`token`]: access-token [`Claims`], the [`TokenIssuer`] and the [`TokenVerifier`].
//! - [`cache`]: the [`VerifiedTokenCache`], which spares a signature check on every request.
//!
//! JWS compact serialisation is written here on top of `aws-lc-rs` (signing with a key parsed once,
//! verifying with the modulus and exponent) rather than through `jsonwebtoken`, whose `aws-lc`
//! backend re-parses and re-validates the private key on every signature (a third of the cost of
//! issuing a token). `jsonwebtoken` verifies our tokens in the tests, proving the output standard.

pub mod audience;
pub mod cache;
pub mod error;
pub mod keys;
pub mod permission;
pub mod secret;
pub mod token;

pub use audience::{Audiences, ScopeError};
pub use cache::VerifiedTokenCache;
pub use error::AuthError;
pub use keys::{jwks, PublicKey, SigningKey};
pub use permission::{Permission, Requirement};
pub use secret::{ClientSecret, SecretHash};
pub use token::{service_principal_id, AppGrant, Claims, TokenError, TokenIssuer, TokenVerifier};
