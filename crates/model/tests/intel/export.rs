//! STIX export: the bundle's shape, stable ids, escaping, what is left out, and export → import
//! giving back what was exported.

use super::{by_external_id, intel_fixture, opts};
use model::intel::stix_export::EXPORT_NAMESPACE;
use model::intel::{export_stix, export_stix_bundle, import_stix_bundle, parse_pattern};
use serde_json::{json, Value};
use time::OffsetDateTime;

fn at(s: &str) -> OffsetDateTime {
    model::datetime::parse(s).unwrap()
}

fn ti(id: &str, extra: Value) -> Value {
    let mut v = json!({
        "id": id, "action": "alert", "targetProduct": "Azure Sentinel", "threatType": "C2",
        "tlpLevel": "amber", "description": "C2 server", "expirationDateTime": "2030-01-01T00:00:00Z",
        "ingestedDateTime": "2024-01-01T00:00:00Z",
    });
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    v
}

fn objects_of_type<'a>(bundle: &'a Value, ty: &str) -> Vec<&'a Value> {
    bundle["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["type"] == ty)
        .collect()
}

#[test]
fn bundle_shape_and_indicator_properties() {
    let full = ti(
        "t-1",
        json!({
            "domainName": "c2.evil.example", "additionalInformation": "Seen beaconing.",
            "confidence": 70, "killChain": ["C2", "Actions"], "tags": ["ops"],
            "lastReportedDateTime": "2024-02-01T00:00:00Z", "malwareFamilyNames": ["Emotet"],
            "activityGroupNames": ["TA542"],
        }),
    );
    let second = ti("t-2", json!({"url": "http://c2.evil.example/gate.php"}));
    let bundle = export_stix_bundle(&[full, second], at("2025-01-01T00:00:00Z"));
    assert_eq!(bundle["type"], "bundle");
    assert!(bundle["id"].as_str().unwrap().starts_with("bundle--"));
    let indicators = objects_of_type(&bundle, "indicator");
    assert_eq!(indicators.len(), 2);
    let i = indicators[0];
    for (k, v) in [
        ("spec_version", json!("2.1")),
        ("pattern", json!("[domain-name:value = 'c2.evil.example']")),
        ("pattern_type", json!("stix")),
        ("name", json!("C2 server")),
        ("description", json!("Seen beaconing.")),
        ("valid_from", json!("2024-01-01T00:00:00.0000000Z")),
        ("created", json!("2024-01-01T00:00:00.0000000Z")),
        ("modified", json!("2024-02-01T00:00:00.0000000Z")),
        ("valid_until", json!("2030-01-01T00:00:00.0000000Z")),
        ("indicator_types", json!(["malicious-activity"])),
        ("labels", json!(["ops", "c2"])),
        ("confidence", json!(70)),
        (
            "object_marking_refs",
            json!(["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"]),
        ),
    ] {
        assert_eq!(i[k], v, "{k}");
    }
    assert_eq!(
        i["kill_chain_phases"],
        json!([
            {"kill_chain_name": "lockheed-martin-cyber-kill-chain", "phase_name": "command-and-control"},
            {"kill_chain_name": "lockheed-martin-cyber-kill-chain", "phase_name": "actions-on-objectives"}
        ])
    );
    let markings = objects_of_type(&bundle, "marking-definition");
    assert_eq!(
        markings.len(),
        1,
        "one definition for both amber indicators"
    );
    assert_eq!(markings[0]["definition"], json!({"tlp": "amber"}));
    assert_eq!(objects_of_type(&bundle, "malware")[0]["name"], "Emotet");
    assert_eq!(
        objects_of_type(&bundle, "intrusion-set")[0]["name"],
        "TA542"
    );
    let rels = objects_of_type(&bundle, "relationship");
    assert_eq!(rels.len(), 2);
    assert!(rels
        .iter()
        .all(|r| r["source_ref"] == i["id"] && r["relationship_type"] == "indicates"));
}

#[test]
fn ids_are_uuid_v5_of_the_tiindicator_id_and_stable() {
    let items = [ti("t-1", json!({"domainName": "x.example"}))];
    let a = export_stix_bundle(&items, at("2025-01-01T00:00:00Z"));
    let b = export_stix_bundle(&items, at("2026-06-01T00:00:00Z"));
    let expected = format!(
        "indicator--{}",
        uuid::Uuid::new_v5(&EXPORT_NAMESPACE, b"id:t-1")
    );
    assert_eq!(a["objects"][0]["id"], expected);
    assert_eq!(b["objects"][0]["id"], expected);
    assert_eq!(a["id"], b["id"], "same members, same bundle id");
    let no_ingest = {
        let mut v = items[0].clone();
        v.as_object_mut().unwrap().remove("ingestedDateTime");
        v
    };
    let c = export_stix_bundle(&[no_ingest], at("2025-03-03T00:00:00Z"));
    assert_eq!(
        c["objects"][0]["valid_from"], "2025-03-03T00:00:00.0000000Z",
        "now without ingestedDateTime"
    );
}

#[test]
fn quotes_and_backslashes_are_escaped_and_survive_import() {
    let url = r"http://x.example/it's\here";
    let bundle = export_stix_bundle(
        &[ti("t-1", json!({"url": url}))],
        at("2025-01-01T00:00:00Z"),
    );
    let pattern = bundle["objects"][0]["pattern"].as_str().unwrap();
    assert_eq!(pattern, r"[url:value = 'http://x.example/it\'s\\here']");
    assert!(parse_pattern(pattern).is_ok());
    let back = import_stix_bundle(&bundle, &opts());
    assert_eq!(back.indicators[0]["url"], url);
}

#[test]
fn several_observables_are_joined_by_or_and_import_as_numbered_parts() {
    let item = ti(
        "t-1",
        json!({
            "domainName": "x.example", "networkDestinationIPv4": "192.0.2.1", "networkIPv4": "192.0.2.1",
            "fileHashType": "sha256", "fileHashValue": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "fileName": "setup.exe", "networkDestinationPort": 443,
        }),
    );
    let bundle = export_stix_bundle(&[item], at("2025-01-01T00:00:00Z"));
    assert_eq!(
        bundle["objects"][0]["pattern"],
        "[domain-name:value = 'x.example' OR ipv4-addr:value = '192.0.2.1' OR file:hashes.'SHA-256' = \
         'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']"
    );
    let back = import_stix_bundle(&bundle, &opts());
    let id = bundle["objects"][0]["id"].as_str().unwrap();
    assert_eq!(back.indicators.len(), 3);
    assert_eq!(
        by_external_id(&back, &format!("{id}#3"))["fileHashType"],
        "sha256"
    );
}

#[test]
fn what_cannot_be_exported_is_reported() {
    let items = [
        ti(
            "only-port",
            json!({"networkDestinationPort": 443, "fileName": "a.exe"}),
        ),
        ti("nothing", json!({})),
        ti(
            "expired",
            json!({"domainName": "x.example", "expirationDateTime": "2023-01-01T00:00:00Z"}),
        ),
        ti(
            "bad-date",
            json!({"domainName": "x.example", "ingestedDateTime": "soon"}),
        ),
        ti("bad-value", json!({"domainName": "not a domain"})),
        json!("not an object"),
        ti("ok", json!({"networkDestinationIPv6": "2001:db8::1"})),
    ];
    let report = export_stix(&items, at("2025-01-01T00:00:00Z"));
    assert_eq!(objects_of_type(&report.bundle, "indicator").len(), 1);
    let reason = |source: &str| {
        report
            .skipped
            .iter()
            .find(|s| s.source == source)
            .map(|s| s.reason.as_str())
            .unwrap()
    };
    assert_eq!(
        reason("only-port"),
        "none of its observables can be written as a STIX pattern comparison: networkDestinationPort, fileName"
    );
    assert_eq!(reason("nothing"), "it has no observable");
    assert_eq!(
        reason("expired"),
        "it expires (2023-01-01T00:00:00.0000000Z) before it was ingested \
         (2024-01-01T00:00:00.0000000Z); STIX needs valid_until after valid_from"
    );
    assert!(reason("bad-date").starts_with("ingestedDateTime: 'soon' is not an ISO 8601 date-time"));
    assert_eq!(
        reason("bad-value"),
        "none of its observables can be written as a STIX pattern comparison: domainName"
    );
    assert_eq!(reason("indicator 5"), "not a JSON object");
}

/// The tiIndicator properties export → import must give back.
const KEPT: &[&str] = &[
    "description",
    "additionalInformation",
    "expirationDateTime",
    "threatType",
    "tlpLevel",
    "confidence",
    "killChain",
    "tags",
    "malwareFamilyNames",
    "activityGroupNames",
    "networkDestinationIPv4",
    "networkDestinationIPv6",
    "networkDestinationCidrBlock",
    "domainName",
    "url",
    "fileHashType",
    "fileHashValue",
    "emailSenderAddress",
    "emailRecipient",
    "emailSubject",
];

const TLPS: [&str; 4] = ["white", "green", "amber", "red"];

#[test]
fn export_then_import_round_trips() {
    let mut items: Vec<Value> = import_stix_bundle(
        &intel_fixture("bundle-poisonivy-report-or-patterns_oasis-cti-stix2-json-schemas.json"),
        &opts(),
    )
    .indicators;
    let threat_types = [
        "Botnet",
        "C2",
        "CryptoMining",
        "Darknet",
        "DDoS",
        "MaliciousUrl",
        "Malware",
        "Phishing",
        "Proxy",
        "PUA",
        "WatchList",
    ];
    for (n, tt) in threat_types.iter().enumerate() {
        items.push(ti(&format!("synthetic-{n}"), json!({
            "threatType": tt, "tlpLevel": TLPS[n % 4],
            "confidence": n * 9, "killChain": ["Reconnaissance", "Weaponization", "Delivery", "Exploitation", "Installation"],
            "tags": ["t1", "t2"], "activityGroupNames": ["Group"], "additionalInformation": "more",
            "emailSenderAddress": "a@evil.example",
        })));
    }
    items.push(ti(
        "emails",
        json!({"emailRecipient": "v@corp.example", "emailSubject": "Hi 'there'"}),
    ));
    items.push(ti(
        "cidr",
        json!({"networkDestinationCidrBlock": "2001:db8::/48"}),
    ));
    for (n, item) in items.iter_mut().enumerate() {
        item["id"] = json!(format!("ti-{n}"));
    }
    let report = export_stix(&items, at("2025-01-01T00:00:00Z"));
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    let back = import_stix_bundle(&report.bundle, &opts());
    assert!(back.skipped.is_empty(), "{:?}", back.skipped);
    assert_eq!(back.indicators.len(), 64 + 11 + 2 + 1, "one per observable");
    for item in &items {
        let id = format!(
            "indicator--{}",
            uuid::Uuid::new_v5(
                &EXPORT_NAMESPACE,
                format!("id:{}", item["id"].as_str().unwrap()).as_bytes()
            )
        );
        let mine: Vec<&Value> = back
            .indicators
            .iter()
            .filter(|i| i["externalId"].as_str().unwrap().split('#').next() == Some(id.as_str()))
            .collect();
        assert!(!mine.is_empty(), "{item}");
        for k in KEPT {
            let wanted = item.get(*k).filter(|v| !v.is_null());
            let got: Vec<Option<&Value>> = mine.iter().map(|i| i.get(*k)).collect();
            let is_observable = !matches!(
                *k,
                "description"
                    | "additionalInformation"
                    | "expirationDateTime"
                    | "threatType"
                    | "tlpLevel"
                    | "confidence"
                    | "killChain"
                    | "tags"
                    | "malwareFamilyNames"
                    | "activityGroupNames"
            );
            if is_observable {
                assert!(wanted.is_none() || got.contains(&wanted), "{k} of {item}");
            } else {
                let expected = match (*k, wanted) {
                    ("expirationDateTime", Some(v)) => {
                        Some(json!(model::datetime::format(at(v.as_str().unwrap()))))
                    }
                    (_, v) => v.cloned(),
                };
                assert!(
                    got.iter().all(|g| g.cloned() == expected),
                    "{k} of {item}: {got:?}"
                );
            }
        }
    }
}
