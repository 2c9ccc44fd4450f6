//! `outbound`: the only secgraph crate that opens connections out. Everything that leaves the
//! process — webhook notifications, validation handshakes, calls to providers, federated queries —
//! goes through an [`OutboundClient`], so the rules below hold everywhere by construction.
//!
//! | module | what |
//! |---|---|
//! | [`policy`] | which addresses may be reached ([`AddressPolicy`]): a pure [`check`] over named ranges, and the URL checks |
//! | `resolver` | the DNS resolver that applies the policy to every resolved address, at connection time |
//! | [`callbacks`] | the outbox worker that delivers provider callbacks (sync-back) and writes the answers back |
//! | [`client`] | [`OutboundClient::send`]: limits ([`Limits`]), no redirects, no proxies, a capped body |
//! | [`error`] | [`OutboundError`], classified by [`OutboundError::is_retryable`] |
//! | [`notifications`] | change notifications: the webhook URL policy, the validation handshake, the delivery worker |
//! | [`mod@retry_after`] | reading `Retry-After` (delta-seconds and HTTP-date) |
//! | [`provider`] | signed calls to providers ([`OutboundClient::call`]) and the typed ones: alert updates, actions, pull pages, federated queries |
//! | [`pull`] | [`PullScheduler`]: polls pull-mode providers for every consenting tenant, with backoff |
//!
//! **Rules.** Under [`AddressPolicy::Public`] (the default) loopback, private, link-local (cloud
//! metadata), CGNAT, reserved, multicast, broadcast and documentation addresses are refused,
//! IPv6 forms embedding such an IPv4 address included; the check runs on the addresses actually
//! connected to, so DNS rebinding cannot bypass it. Only `http`/`https`, no credentials in URLs,
//! redirects returned rather than followed, a connect timeout, a total timeout, and a cap on the
//! answer's size enforced while reading.
//!
//! **For the outbox worker.** Failures say whether to retry ([`OutboundError::is_retryable`],
//! [`CallFailure::retryable`]) and when the server asked to be called again
//! ([`retry_after()`], [`CallFailure::retry_at`]); provider answers are validated envelopes;
//! the current time is always a parameter.

pub mod callbacks;
pub mod client;
pub mod error;
pub mod notifications;
pub mod policy;
pub mod provider;
pub mod pull;
mod resolver;
pub mod retry_after;

pub use callbacks::ProviderCallbacks;
pub use client::{Limits, OutboundClient, OutboundRequest, OutboundResponse};
pub use error::OutboundError;
pub use notifications::{NotificationDelivery, WebhookPolicy};
pub use policy::{check, check_url, AddressPolicy, Embedding, Range, Refusal};
pub use provider::{CallFailure, FederatedReply, ProviderTarget};
pub use pull::{PullOptions, PullRound, PullScheduler};
pub use retry_after::retry_after;
