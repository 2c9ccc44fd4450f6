//! Access tokens: app-only JWTs shaped like the Microsoft identity platform's v2.0 tokens, signed
//! RS256 ([`TokenIssuer`]) and checked by [`TokenVerifier`].
//!
//! A token carries `aud` (our public base URL, see [`crate::audience`]), `iss` =
//! `{public base URL}/{tenant id}/v2.0`, `tid`, `appid` = `azp` = the client id, `roles` = the
//! permissions the tenant granted the app, `oid` = `sub` = the app's service-principal id in that
//! tenant ([`service_principal_id`]), `idtyp` = `app`, `ver` = `2.0`, and `iat`/`nbf`/`exp` from the
//! `now` the caller passes (this crate never reads a clock). Tokens live 60 minutes unless
//! configured otherwise; a token already issued stays valid until its `exp` even if consent or the
//! secret is revoked meanwhile.

mod claims;
mod compact;
mod error;
mod issuer;
mod verifier;

pub use claims::{service_principal_id, AppGrant, Claims};
pub use error::TokenError;
pub use issuer::TokenIssuer;
pub use verifier::TokenVerifier;
