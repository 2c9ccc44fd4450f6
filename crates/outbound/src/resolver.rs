//! The DNS resolver every outbound connection goes through: the system resolver
//! (`tokio::net::lookup_host`, i.e. `getaddrinfo` on a blocking thread), then the address policy
//! over every address it returned. Because the check sits between resolution and `connect`, the
//! address that is checked is the address that is connected to; a name whose records change
//! between a validation and the delivery (DNS rebinding) gains nothing.
//!
//! **All or nothing.** A name with one refused address among its answers is refused as a whole
//! rather than filtered down to its public addresses: no legitimate public service publishes a
//! loopback or private record next to its public ones, while a rebinding attack does exactly
//! that and would otherwise still reach its target whenever the public address fails. Refusing
//! also makes the outcome independent of record order and gives one clear reason.

use crate::policy::{check, AddressPolicy};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::SocketAddr;

/// A [`Resolve`] that refuses names resolving to an address `policy` refuses; the error it
/// returns is a [`crate::policy::Refusal`] (with `host` set), which reqwest keeps in the error's
/// source chain.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PolicyResolver {
    policy: AddressPolicy,
}

impl PolicyResolver {
    /// A resolver enforcing `policy`.
    pub(crate) fn new(policy: AddressPolicy) -> Self {
        PolicyResolver { policy }
    }
}

impl Resolve for PolicyResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            // Port 0: the connector puts the URL's port on every address it gets back.
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if addrs.is_empty() {
                return Err(format!("{host} resolves to no address").into());
            }
            for addr in &addrs {
                if let Err(mut refusal) = check(addr.ip(), policy) {
                    refusal.host = Some(host);
                    tracing::debug!(%refusal, "outbound connection refused");
                    return Err(refusal.into());
                }
            }
            let addrs: Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}
