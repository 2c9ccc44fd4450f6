//! The secgraph provider contract: what a security product (a *provider*) and secgraph send each
//! other, as versioned envelopes around `model`'s Graph types, with their validation and the pure
//! rules both sides must agree on. No I/O: no sockets, no clock, no randomness — the current time
//! and jitter are parameters. Both secgraph and vendors (through `provider-sdk`) depend on it.
//!
//! | module | what |
//! |---|---|
//! | [`manifest`] | who a provider is, its mode, callback base URL, offered actions and their parameter schemas; resolving a requested action |
//! | [`push`] | alert batches a provider pushes, per-alert results, the version ordering rule and the rule for a provider update racing a local PATCH |
//! | [`pull`] | the page a pulled provider answers with; the retry backoff schedule |
//! | [`callback`] | what secgraph sends a provider (alert updates, action invocations and cancellations) and the answers |
//! | [`signing`] | HMAC-SHA256 request signatures on secgraph's calls to providers |
//! | [`federated`] | the query a federated provider receives, its answer, merging answers, the `Warning` header |
//! | [`control_state`] | secure-score control states a provider reports |
//! | [`endpoint`] | the endpoint paths on both sides |
//!
//! Every envelope carries `protocolVersion` ([`PROTOCOL_VERSION`]); members are camelCase; members
//! this version does not know are ignored on input, so a newer provider can talk to an older
//! secgraph. Each envelope has a `validate` that returns every [`Problem`] at once, each naming the
//! member at fault and what to send instead. `docs/provider-protocol.md` is the prose version.

pub mod callback;
pub mod control_state;
pub mod endpoint;
pub mod federated;
pub mod manifest;
mod problem;
pub mod pull;
pub mod push;
pub mod signing;

pub use callback::{
    ActionCancellation, ActionInvocation, ActionStatus, ActionStatusUpdate, AlertChanges,
    AlertUpdate, CallbackAnswer, CallbackResult, ResultInfo,
};
pub use control_state::{ControlState, ControlStateKind, ControlStateReport};
pub use endpoint::Endpoint;
pub use federated::{
    merge, merge_with, FederatedAnswer, FederatedRequest, Merged, SourceOutcome, SourceResult,
};
pub use manifest::{ActionSpec, KeyValuePair, ParameterSpec, ParameterType, ProviderManifest};
pub use manifest::{ProviderMode, ResolvedAction};
pub use problem::{Invalid, Problem};
pub use pull::{Backoff, PullPage};
pub use push::{AlertBatch, AlertObject, AlertOutcome, AlertResult, PushResponse, PushedAlert};
pub use push::{Decision, LocalChange, ProviderVersion};
pub use signing::{SignatureError, SigningKey};

/// The protocol version this crate speaks; every envelope carries it as `protocolVersion`.
pub const PROTOCOL_VERSION: u32 = 1;

/// Parses an envelope from JSON bytes; a body that does not fit the type is one [`Problem`] with
/// serde's explanation (which names the member and position).
pub fn from_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Invalid> {
    serde_json::from_slice(body)
        .map_err(|e| Invalid::at("", format!("the body does not fit the envelope: {e}")))
}
