//! Entities: the normalised things alerts are correlated on (a device, a user account, an IP
//! address, ...), each a kind and one normalised value.
//!
//! A thing with several identifiers (a device's Defender id, its Entra id and its name) yields one
//! entity per identifier, told apart by a prefix of the value, so two alerts share the device when
//! they share any one identifier. The value forms are written once, in [`crate::normal`].

use serde::{Deserialize, Serialize};
use std::fmt;

/// What an entity is. Serialised camelCase (`fileHash`, `cloudResource`), in configuration and in
/// `correlationReasons` alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EntityKind {
    /// A device: `mde:<mdeDeviceId>`, `aad:<azureAdDeviceId>`, `name:<host name>`, `iot:<id>`.
    Device,
    /// A user account: `upn:<upn>`, `sid:<SID>`, `aad:<Entra object id>`, `adguid:<guid>`,
    /// `account:<domain>\<name>`.
    User,
    /// An IP address in canonical text (`203.0.113.7`, `2001:db8::7`).
    Ip,
    /// A file hash: lowercase hex MD5, SHA-1 or SHA-256 (the length tells which).
    FileHash,
    /// A URL in WHATWG normal form.
    Url,
    /// A DNS domain name: lowercase ASCII (punycode), no trailing dot.
    Domain,
    /// A mailbox: a lowercase e-mail address.
    Mailbox,
    /// A cloud resource: an Azure resource id (lowercase), an AWS ARN, a Google Cloud full
    /// resource name.
    CloudResource,
}

impl EntityKind {
    /// Every kind, in declaration order.
    pub const ALL: [EntityKind; 8] = [
        EntityKind::Device,
        EntityKind::User,
        EntityKind::Ip,
        EntityKind::FileHash,
        EntityKind::Url,
        EntityKind::Domain,
        EntityKind::Mailbox,
        EntityKind::CloudResource,
    ];

    /// The wire name (`device`, `fileHash`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Device => "device",
            EntityKind::User => "user",
            EntityKind::Ip => "ip",
            EntityKind::FileHash => "fileHash",
            EntityKind::Url => "url",
            EntityKind::Domain => "domain",
            EntityKind::Mailbox => "mailbox",
            EntityKind::CloudResource => "cloudResource",
        }
    }

    /// A distinct bit per kind, for kind sets.
    pub(crate) fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// The kind of a small integer written by [`EntityKind::index`].
    pub(crate) fn from_index(i: u8) -> Option<EntityKind> {
        EntityKind::ALL.get(usize::from(i)).copied()
    }

    /// A small integer per kind (its declaration position).
    pub(crate) fn index(self) -> u8 {
        self as u8
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entity: a kind and its normalised value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entity {
    /// What it is.
    pub kind: EntityKind,
    /// Its normalised value (see [`EntityKind`] for the forms).
    pub value: String,
}

impl Entity {
    /// An entity of `kind` with the (already normalised) `value`.
    pub fn new(kind: EntityKind, value: impl Into<String>) -> Entity {
        Entity {
            kind,
            value: value.into(),
        }
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind, self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_serialise_camel_case_and_index_round_trips() {
        let json = serde_json::to_string(&EntityKind::ALL).unwrap();
        assert_eq!(
            json,
            r#"["device","user","ip","fileHash","url","domain","mailbox","cloudResource"]"#
        );
        for kind in EntityKind::ALL {
            assert_eq!(EntityKind::from_index(kind.index()), Some(kind));
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{kind}\""));
        }
    }
}
