//! Entities of network evidence: addresses, URLs, connections, DNS, network interfaces and IoT
//! devices (see the table in [`super`]).

use super::Sink;
use crate::normal;
use model::evidence::network::IpEvidence;
use model::AlertEvidence;

/// Adds the entities of `item` when it is network evidence; `false` when it is not.
pub(super) fn evidence(sink: &mut Sink, item: &AlertEvidence) -> bool {
    match item {
        AlertEvidence::Ip(ip) => address(sink, ip),
        AlertEvidence::Url(u) => {
            if let Some(raw) = &u.url {
                sink.url(raw);
            }
        }
        AlertEvidence::NetworkConnection(c) => {
            for ip in [&c.source_address, &c.destination_address]
                .into_iter()
                .flatten()
            {
                address(sink, ip);
            }
        }
        AlertEvidence::Dns(d) => {
            sink.opt(&d.domain_name, normal::domain);
            d.ip_addresses.iter().for_each(|ip| address(sink, ip));
        }
        AlertEvidence::Nic(n) => {
            if let Some(ip) = &n.ip_address {
                address(sink, ip);
            }
        }
        AlertEvidence::IoTDevice(d) => {
            if let Some(id) = &d.device_id {
                sink.push(normal::device_id("iot", id));
            }
            if let Some(ip) = &d.ip_address {
                address(sink, ip);
            }
        }
        _ => return false,
    }
    true
}

fn address(sink: &mut Sink, ip: &IpEvidence) {
    sink.opt(&ip.ip_address, normal::ip);
}
