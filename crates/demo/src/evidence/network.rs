//! Network entities: `ipEvidence`, `urlEvidence` and `networkConnectionEvidence`.

use super::{item, Part};
use crate::catalog::network::{ExternalIp, Place};
use crate::scene::Scene;
use serde_json::{json, Value};

/// An address and, for public ones, where it is.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Address {
    /// A public address with geolocation.
    Public(&'static ExternalIp),
    /// A public address at a known place (the corporate egress).
    At(&'static str, &'static Place),
    /// A private address inside the tenant.
    Private(&'static str),
}

impl Address {
    /// The address as text.
    pub(crate) fn text(self) -> &'static str {
        match self {
            Address::Public(ip) => ip.address,
            Address::At(address, _) | Address::Private(address) => address,
        }
    }

    fn place(self) -> Option<&'static Place> {
        match self {
            Address::Public(ip) => Some(&ip.place),
            Address::At(_, place) => Some(place),
            Address::Private(_) => None,
        }
    }
}

/// An `ipEvidence` item.
pub(crate) fn ip(scene: &mut Scene<'_>, address: Address, part: Part) -> Value {
    let place = address.place();
    let location = place.map(|p| {
        json!({
            "city": p.city,
            "countryName": p.country,
            "latitude": p.latitude,
            "longitude": p.longitude,
            "state": p.state,
        })
    });
    item(
        scene,
        "ipEvidence",
        part,
        json!({
            "countryLetterCode": place.map(|p| p.country_code),
            "ipAddress": address.text(),
            "location": location,
            "stream": null,
        }),
    )
}

/// A `urlEvidence` item.
pub(crate) fn url(scene: &mut Scene<'_>, url: &str, part: Part) -> Value {
    item(scene, "urlEvidence", part, json!({ "url": url }))
}

/// One observed flow.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Flow {
    pub source: Address,
    pub source_port: i32,
    pub destination: Address,
    pub destination_port: i32,
    /// `tcp` or `udp` (`microsoft.graph.security.protocolType`).
    pub protocol: &'static str,
}

/// Roles of the two ends of a flow.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ends {
    pub source: Part,
    pub destination: Part,
}

/// A `networkConnectionEvidence` item (the ends are nested `ipEvidence` values).
pub(crate) fn connection(scene: &mut Scene<'_>, flow: Flow, ends: Ends, part: Part) -> Value {
    let source = ip(scene, flow.source, ends.source);
    let destination = ip(scene, flow.destination, ends.destination);
    item(
        scene,
        "networkConnectionEvidence",
        part,
        json!({
            "destinationAddress": destination,
            "destinationPort": flow.destination_port,
            "protocol": flow.protocol,
            "sourceAddress": source,
            "sourcePort": flow.source_port,
        }),
    )
}
