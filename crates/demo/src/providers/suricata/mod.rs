//! Suricata, the network IDS watching the DMZ and the Internet edge (not a Microsoft product):
//! signature alerts with network-connection, IP and URL evidence. Graph ids are GUIDs; the
//! provider's id is the EVE `flow_id`; `detectorId` is `gid:sid:rev`.

mod signatures;

use crate::catalog::devices::{Device, LINUX_SERVERS, WINDOWS_SERVERS, WORKSTATION_POOL};
use crate::catalog::network::{HOSTILE_IPS, PAYLOAD_URLS};
use crate::detection::{Detection, Headline, Product};
use crate::evidence::network::{self, Address, Ends, Flow};
use crate::evidence::Part;
use crate::scene::Scene;
use model::enums::{
    AlertSeverity as Sev, DetectionSource, EvidenceRole as R, EvidenceVerdict as V, ServiceSource,
};
use serde_json::json;
use signatures::{Direction, Signature, SIGNATURES};

/// Suricata, as deployed on the DMZ sensor.
pub(crate) static PRODUCT: Product = Product {
    name: "Suricata",
    service: ServiceSource::Unknown,
    vendor: "OISF",
    provider: "Suricata",
    sub_provider: None,
    provider_version: Some("7.0.8"),
    microsoft: false,
    automated: false,
};

/// The sensor that sees the traffic.
const SENSOR: &str = "ids-dmz-01";
/// The decoy share the local signature guards.
const DECOY: &str = "10.10.9.50";
/// The public name of the DMZ web servers.
const WEBSITE: &str = "http://www.contoso.com";

const RECOMMENDED: &str = "Check whether the targeted host is vulnerable or was reached, look for follow-up activity from the source address on other sensors and hosts, and block the address at the perimeter if the traffic is unwanted.";

/// One Suricata alert.
pub(crate) fn detect(scene: &mut Scene<'_>) -> Detection {
    let sig = scene.dice.weighted_by(SIGNATURES, |s| s.weight);
    let flow_id = scene.dice.between(1 << 50, (1 << 51) - 1);
    let headline = Headline {
        title: sig.msg,
        description: "",
        category: sig.category,
        mitre: sig.mitre,
        severity: severity(sig.priority),
        source: DetectionSource::Unknown,
        true_positive: sig.true_positive,
    };
    let guid = scene.dice.uuid().to_string();
    let mut det = Detection::new(&PRODUCT, &headline, guid, flow_id.to_string());
    let (flow, outside) = flow(scene, sig);
    det.description = describe(sig, &flow);
    det.detector_id = Some(format!("1:{}:{}", sig.sid, sig.rev));
    det.recommended_actions = Some(RECOMMENDED);
    det.additional_data = Some(json!({
        "eveEventType": "alert",
        "flowId": flow_id,
        "gid": 1,
        "signatureId": sig.sid,
        "signatureRevision": sig.rev,
        "signature": sig.msg,
        "eveCategory": sig.class.0,
        "classtype": sig.class.1,
        "eveSeverity": sig.priority,
        "action": "allowed",
        "appProto": sig.proto.0,
        "sensor": SENSOR,
    }));
    evidence(scene, &mut det, sig, flow, outside);
    det
}

/// Suricata priority 1–4 to Graph severity; local rules with other priorities stay `unknown`.
fn severity(priority: u8) -> Sev {
    match priority {
        1 => Sev::High,
        2 => Sev::Medium,
        3 => Sev::Low,
        4 => Sev::Informational,
        _ => Sev::Unknown,
    }
}

/// The matched flow and which end (if any) is outside.
fn flow(scene: &mut Scene<'_>, sig: &Signature) -> (Flow, Option<Address>) {
    let dice = &mut scene.dice;
    let attacker = Address::Public(dice.pick_skewed(HOSTILE_IPS));
    let ephemeral = dice.between(1025, 65535) as i32;
    let port = sig.proto.2;
    let protocol = sig.proto.1;
    let server = Address::Private(server_for(dice.below(2), sig).ip);
    let workstation = Address::Private(dice.pick_skewed(WORKSTATION_POOL).ip);
    let (source, source_port, destination, destination_port, outside) = match sig.direction {
        Direction::Inbound => (attacker, ephemeral, server, port, Some(attacker)),
        Direction::Response => (server, port, attacker, ephemeral, Some(attacker)),
        Direction::Outbound => (workstation, ephemeral, attacker, port, Some(attacker)),
        Direction::Download => (attacker, port, workstation, ephemeral, Some(attacker)),
        Direction::Internal => (workstation, ephemeral, internal_target(sig), port, None),
    };
    let flow = Flow {
        source,
        source_port,
        destination,
        destination_port,
        protocol,
    };
    (flow, outside)
}

/// The internal host a local signature guards: the decoy share, or the DNS server that resolves
/// canary names.
fn internal_target(sig: &Signature) -> Address {
    match sig.proto.0 {
        "dns" => Address::Private(WINDOWS_SERVERS[0].ip),
        _ => Address::Private(DECOY),
    }
}

/// The DMZ or internal server a signature's traffic is aimed at (`pick` chooses between two).
fn server_for(pick: usize, sig: &Signature) -> &'static Device {
    match sig.proto.0 {
        "ssh" => &LINUX_SERVERS[2 + pick * 4],
        "sip" => &LINUX_SERVERS[6],
        _ if sig.proto.2 == 1433 => &WINDOWS_SERVERS[2],
        _ => &LINUX_SERVERS[pick],
    }
}

fn describe(sig: &Signature, f: &Flow) -> String {
    format!(
        "Suricata signature {} (rev {}, classtype {}: {}) matched {} traffic from {}:{} to {}:{} on sensor {SENSOR}.",
        sig.sid,
        sig.rev,
        sig.class.1,
        sig.class.0,
        sig.proto.0.to_uppercase(),
        f.source.text(),
        f.source_port,
        f.destination.text(),
        f.destination_port,
    )
}

fn evidence(
    scene: &mut Scene<'_>,
    det: &mut Detection,
    sig: &Signature,
    flow: Flow,
    outside: Option<Address>,
) {
    let hostile = if sig.priority == 1 {
        V::Malicious
    } else {
        V::Suspicious
    };
    let (source_roles, destination_roles): (&'static [R], &'static [R]) = match sig.direction {
        Direction::Inbound => (&[R::Attacker, R::Source], &[R::Attacked, R::Destination]),
        Direction::Response => (&[R::Attacked, R::Source], &[R::Attacker, R::Destination]),
        Direction::Outbound => (&[R::Source], &[R::CommandAndControl, R::Destination]),
        Direction::Download => (&[R::CommandAndControl, R::Source], &[R::Destination]),
        Direction::Internal => (&[R::Source, R::Suspicious], &[R::Destination]),
    };
    let verdict_of = |a: Address| {
        if Some(a.text()) == outside.map(|o| o.text()) {
            hostile
        } else {
            V::Unknown
        }
    };
    let ends = Ends {
        source: Part::new(source_roles, &[], verdict_of(flow.source)),
        destination: Part::new(destination_roles, &[], verdict_of(flow.destination)),
    };
    let connection = network::connection(scene, flow, ends, Part::new(&[], &[], V::Suspicious));
    det.evidence.push(connection);
    det.evidence
        .push(network::ip(scene, flow.source, ends.source));
    det.evidence
        .push(network::ip(scene, flow.destination, ends.destination));
    let url = match (sig.direction, sig.uri) {
        (_, Some(uri)) => Some(format!("{WEBSITE}{uri}")),
        (Direction::Download, None) => Some((*scene.dice.pick_skewed(PAYLOAD_URLS)).to_string()),
        _ if sig.proto.0 == "tls" => Some("https://l2.io/ip.js".to_string()),
        _ => None,
    };
    if let Some(url) = url {
        det.evidence
            .push(network::url(scene, &url, Part::new(&[], &[], hostile)));
    }
}
