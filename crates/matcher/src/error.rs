//! Why an observable could not be indexed: each message names the value and says what to fix.

use std::net::IpAddr;

/// A rejected observable or an index grown past its limits.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MatcherError {
    /// A CIDR prefix length longer than the address.
    #[error("CIDR {addr}/{len}: the prefix length must be 0 to {max} for this address family")]
    PrefixTooLong {
        /// The block's address.
        addr: IpAddr,
        /// The length given.
        len: u8,
        /// 32 for IPv4, 128 for IPv6.
        max: u8,
    },
    /// A file hash that is not a hex string of whole bytes and accepted length.
    #[error("file hash {value:?}: {problem}")]
    InvalidHash {
        /// The value given (cut to 80 characters).
        value: String,
        /// What is wrong and what is expected.
        problem: String,
    },
    /// A domain that is not a normalised host name.
    #[error("domain {value:?}: {problem}")]
    InvalidDomain {
        /// The value given (cut to 80 characters).
        value: String,
        /// What is wrong and what is expected.
        problem: String,
    },
    /// A URL that is empty, too long or not normalised.
    #[error("URL {value:?}: {problem}")]
    InvalidUrl {
        /// The value given (cut to 80 characters).
        value: String,
        /// What is wrong and what is expected.
        problem: String,
    },
    /// An e-mail address that is not a normalised `local@domain`.
    #[error("e-mail address {value:?}: {problem}")]
    InvalidEmail {
        /// The value given (cut to 80 characters).
        value: String,
        /// What is wrong and what is expected.
        problem: String,
    },
    /// The index of one kind would pass 4 GiB of values, or a kind would hold 2^32 entries.
    #[error("too many {kind} indicators for one snapshot: {limit}; split the tenant's indicators")]
    CapacityExceeded {
        /// The kind of observable.
        kind: &'static str,
        /// The limit that was reached.
        limit: &'static str,
    },
    /// An item of an incremental update was rejected (nothing was applied).
    #[error("added item {index}: {source}")]
    AddedItem {
        /// Position of the item in the `added` sequence, from 0.
        index: usize,
        /// Why it was rejected.
        source: Box<MatcherError>,
    },
}

/// The value as shown in an error message: at most 80 characters.
pub(crate) fn shown(value: &str) -> String {
    match value.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut_in_messages() {
        assert_eq!(shown("abc"), "abc");
        let long = "x".repeat(200);
        assert_eq!(shown(&long).chars().count(), 81);
    }
}
