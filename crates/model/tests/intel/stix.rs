//! STIX 2.1 import: the published OASIS and MISP-exported bundles, then every mapping rule and
//! every skip reason on small hand-written indicators.

use super::{by_external_id, intel_fixture, opts, reasons, skip_reason};
use model::intel::{import_stix_bundle, ImportReport};
use serde_json::{json, Value};

fn import(name: &str) -> ImportReport {
    import_stix_bundle(&intel_fixture(name), &opts())
}

fn counts(r: &ImportReport) -> (usize, usize) {
    (r.indicators.len(), r.skipped.len())
}

/// One indicator with `pattern` and the given extra properties.
fn indicator(pattern: &str, extra: Value) -> Value {
    let mut v = json!({
        "type": "indicator", "spec_version": "2.1", "id": "indicator--00000000-0000-4000-8000-000000000001",
        "created": "2020-01-01T00:00:00.000Z", "modified": "2020-01-02T00:00:00.000Z",
        "pattern": pattern, "pattern_type": "stix", "valid_from": "2020-01-01T00:00:00Z",
    });
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    v
}

const ID: &str = "indicator--00000000-0000-4000-8000-000000000001";

#[test]
fn every_published_bundle_imports_with_the_counts_read_from_the_files() {
    let cases = [
        ("indicator-ipv4_oasis-cti-stix2-json-schemas.json", (1, 0)),
        (
            "bundle-indicators-ipv4-sha256-coa_oasis-cti-stix2-json-schemas.json",
            (2, 0),
        ),
        (
            "bundle-email-indicators_oasis-cti-stix2-json-schemas.json",
            (0, 2),
        ),
        // 25 indicators, 19 of them OR-compounds: 67 comparisons; two file:name and one domain
        // value with a space are skipped.
        (
            "bundle-poisonivy-report-or-patterns_oasis-cti-stix2-json-schemas.json",
            (64, 3),
        ),
        ("bundle-misp-events-collection_misp-stix.json", (1, 2)),
        ("bundle-misp-attributes-collection_misp-stix.json", (1, 2)),
    ];
    for (name, expected) in cases {
        assert_eq!(counts(&import(name)), expected, "{name}");
    }
}

#[test]
fn oasis_c2_address_becomes_a_destination_ip_indicator() {
    let r = import("indicator-ipv4_oasis-cti-stix2-json-schemas.json");
    assert_eq!(
        r.indicators[0],
        json!({
            "action": "alert",
            "targetProduct": "Azure Sentinel",
            "threatType": "Malware",
            "tlpLevel": "red",
            "expirationDateTime": "2030-01-01T00:00:00.0000000Z",
            "description": "IP Address for known C2 channel",
            "additionalInformation": "Test description C2 channel.",
            "lastReportedDateTime": "2014-05-08T09:00:00.0000000Z",
            "networkDestinationIPv4": "10.0.0.0",
            "externalId": "indicator--33fe3b22-0201-47cf-85d0-97c02164528d"
        })
    );
}

#[test]
fn oasis_sha256_indicator_takes_the_malware_it_indicates() {
    let r = import("bundle-indicators-ipv4-sha256-coa_oasis-cti-stix2-json-schemas.json");
    let hash = by_external_id(&r, "indicator--a932fcc6-e032-476c-826f-cb970a5a1ade");
    assert_eq!(hash["fileHashType"], "sha256");
    assert_eq!(
        hash["fileHashValue"],
        "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c"
    );
    assert_eq!(hash["malwareFamilyNames"], json!(["Poison Ivy"]));
    assert_eq!(hash["lastReportedDateTime"], "2017-01-27T13:49:53.9970000Z");
    let ip = by_external_id(&r, "indicator--53fe3b22-0201-47cf-85d0-97c02164528d");
    assert_eq!(ip["networkDestinationIPv4"], "10.0.0.0");
}

#[test]
fn oasis_email_matches_patterns_are_skipped_naming_the_operator() {
    let r = import("bundle-email-indicators_oasis-cti-stix2-json-schemas.json");
    for id in [
        "indicator--8cf9236f-1b96-493d-98be-0c1c1e8b62d7",
        "indicator--2e17f6fe-3a4d-438a-911a-e509ba1b9933",
    ] {
        assert_eq!(
            skip_reason(&r, id),
            "operator MATCHES is not supported; only = comparisons can be imported"
        );
    }
}

#[test]
fn poisonivy_or_patterns_give_one_indicator_per_comparison() {
    let r = import("bundle-poisonivy-report-or-patterns_oasis-cti-stix2-json-schemas.json");
    let dynssl = "indicator--329ae6e9-25bd-49e8-89d1-aae4ca52e4a7";
    let first = by_external_id(&r, &format!("{dynssl}#1"));
    assert_eq!(first["domainName"], "www.webserver.dynssl.com");
    assert_eq!(first["description"], "www.webserver.dynssl.com");
    assert_eq!(
        first["malwareFamilyNames"],
        json!(["PIVY Variant (8010cae3e8431bb11ed6dc9acabb93b7,)"])
    );
    assert_eq!(
        by_external_id(&r, &format!("{dynssl}#6"))["networkDestinationIPv4"],
        "202.65.222.45"
    );
    let autuo = "indicator--4e4c4ad7-4909-456a-b6fa-e24a6f682a40";
    assert_eq!(
        skip_reason(&r, &format!("{autuo}#1")),
        "'domain autuo.xicp.net' is not a domain name: it contains a space"
    );
    assert_eq!(
        by_external_id(&r, &format!("{autuo}#2"))["networkDestinationIPv4"],
        "60.10.1.115"
    );
    assert_eq!(
        skip_reason(&r, "indicator--137acf67-cedc-4a07-8719-72759174de3a"),
        "property file:name is not supported; only file:hashes.MD5, file:hashes.'SHA-1' and \
         file:hashes.'SHA-256' can be imported"
    );
    let mut ids: Vec<&str> = r
        .indicators
        .iter()
        .map(|i| i["externalId"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 64, "externalIds are unique");
    assert!(r.indicators.iter().all(|i| i["threatType"] == "Malware"));
}

#[test]
fn misp_stix_export_and_join_is_reported_and_labels_become_tags() {
    let r = import("bundle-misp-events-collection_misp-stix.json");
    let domain = by_external_id(&r, "indicator--4bb235a7-7d25-4aef-802f-2c6b45c5eceb");
    assert_eq!(domain["domainName"], "circl.lu");
    assert_eq!(domain["description"], "Domain test attribute");
    assert_eq!(
        domain["tags"],
        json!(["misp:type=\"domain\"", "misp:category=\"Network activity\""])
    );
    assert_eq!(
        skip_reason(&r, "indicator--726f90e2-2ad6-44a2-b345-c05e55e850e5"),
        "AND joins two comparisons; only OR can be imported"
    );
}

#[test]
fn a_bare_indicator_and_arrays_of_bundles_are_accepted() {
    let bundle = intel_fixture("indicator-ipv4_oasis-cti-stix2-json-schemas.json");
    let bare = bundle["objects"][0].clone();
    assert_eq!(counts(&import_stix_bundle(&bare, &opts())), (1, 0));
    let coa = intel_fixture("bundle-indicators-ipv4-sha256-coa_oasis-cti-stix2-json-schemas.json");
    let all = json!([bundle, coa, bare, "not stix"]);
    let r = import_stix_bundle(&all, &opts());
    assert_eq!(counts(&r), (4, 1));
    assert_eq!(
        skip_reason(&r, "input"),
        "item 3 of the array: expected a STIX bundle or STIX object (a JSON object with a \
         \"type\"); found a string"
    );
    let r = import_stix_bundle(&json!({"objects": []}), &opts());
    assert_eq!(
        skip_reason(&r, "input"),
        "expected a STIX bundle or STIX object (a JSON object with a \"type\"); found an object \
         without \"type\""
    );
}

#[test]
fn indicator_properties_map_to_graph_properties() {
    let long_name = "A very long indicator name that goes on and on about the campaign it belongs to, well past the limit of Graph";
    let v = indicator(
        "[domain-name:value = 'evil.example']",
        json!({
            "name": long_name, "description": "Seen in phishing mails.",
            "valid_until": "2026-05-01T10:00:00.5Z", "confidence": 85,
            "indicator_types": ["anomalous-activity"], "labels": ["phishing", "campaign-x", "tlp:green"],
            "kill_chain_phases": [
                {"kill_chain_name": "lockheed-martin-cyber-kill-chain", "phase_name": "delivery"},
                {"kill_chain_name": "mitre-attack", "phase_name": "command-and-control"},
                {"kill_chain_name": "misp-category", "phase_name": "Network activity"}],
            "object_marking_refs": ["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"],
        }),
    );
    let r = import_stix_bundle(&v, &opts());
    let i = &r.indicators[0];
    let description = i["description"].as_str().unwrap();
    assert_eq!(
        description,
        "A very long indicator name that goes on and on about the campaign it belongs to, well past the…"
    );
    assert_eq!(i["additionalInformation"], "Seen in phishing mails.");
    assert_eq!(i["expirationDateTime"], "2026-05-01T10:00:00.5000000Z");
    assert_eq!(i["lastReportedDateTime"], "2020-01-02T00:00:00.0000000Z");
    assert_eq!(i["confidence"], 85);
    assert_eq!(
        i["threatType"], "Phishing",
        "the specific label beats WatchList"
    );
    assert_eq!(i["tags"], json!(["campaign-x"]));
    assert_eq!(i["killChain"], json!(["Delivery", "C2"]));
    assert_eq!(
        i["tlpLevel"], "amber",
        "the stricter of amber (marking) and green (label)"
    );
    assert_eq!(i["externalId"], ID);
}

#[test]
fn tlp_comes_from_tlp1_and_tlp2_ids_and_markings_in_the_bundle() {
    let tlp = |refs: Value, extra: Vec<Value>| {
        let mut objects = vec![indicator(
            "[url:value = 'http://x.example/']",
            json!({"object_marking_refs": refs}),
        )];
        objects.extend(extra);
        let r = import_stix_bundle(
            &json!({"type": "bundle", "id": "bundle--1", "objects": objects}),
            &opts(),
        );
        r.indicators[0]["tlpLevel"].clone()
    };
    let clear = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
    let amber_strict = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";
    assert_eq!(tlp(json!([clear]), vec![]), "white");
    assert_eq!(tlp(json!([amber_strict]), vec![]), "amber");
    assert_eq!(tlp(json!([]), vec![]), "red", "the option's default");
    let custom = json!({"type": "marking-definition", "id": "marking-definition--custom",
        "definition_type": "tlp", "definition": {"tlp": "green"}});
    assert_eq!(
        tlp(json!(["marking-definition--custom"]), vec![custom]),
        "green"
    );
    let named =
        json!({"type": "marking-definition", "id": "marking-definition--named", "name": "TLP:RED"});
    assert_eq!(
        tlp(json!([clear, "marking-definition--named"]), vec![named]),
        "red"
    );
}

#[test]
fn description_falls_back_to_description_then_pattern() {
    let r = import_stix_bundle(
        &indicator(
            "[url:value = 'http://x.example/']",
            json!({"description": "  Only a description. "}),
        ),
        &opts(),
    );
    assert_eq!(r.indicators[0]["description"], "Only a description.");
    assert!(r.indicators[0].get("additionalInformation").is_none());
    let r = import_stix_bundle(
        &indicator("[url:value = 'http://x.example/']", json!({})),
        &opts(),
    );
    assert_eq!(
        r.indicators[0]["description"],
        "[url:value = 'http://x.example/']"
    );
}

#[test]
fn every_importable_comparison_sets_its_graph_properties() {
    let parts = [
        ("ipv4-addr:value = '198.51.100.7'", json!({"networkDestinationIPv4": "198.51.100.7"})),
        ("ipv4-addr:value = '198.51.100.0/24'", json!({"networkDestinationCidrBlock": "198.51.100.0/24"})),
        ("ipv6-addr:value = '2001:db8::1'", json!({"networkDestinationIPv6": "2001:db8::1"})),
        ("ipv6-addr:value = '2001:db8::/32'", json!({"networkDestinationCidrBlock": "2001:db8::/32"})),
        ("domain-name:value = 'evil.example.'", json!({"domainName": "evil.example"})),
        ("url:value = 'https://evil.example/a?b=c'", json!({"url": "https://evil.example/a?b=c"})),
        ("file:hashes.MD5 = 'D41D8CD98F00B204E9800998ECF8427E'", json!({"fileHashType": "md5", "fileHashValue": "d41d8cd98f00b204e9800998ecf8427e"})),
        ("file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709'", json!({"fileHashType": "sha1", "fileHashValue": "da39a3ee5e6b4b0d3255bfef95601890afd80709"})),
        ("file:hashes.SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709'", json!({"fileHashType": "sha1", "fileHashValue": "da39a3ee5e6b4b0d3255bfef95601890afd80709"})),
        ("file:hashes.SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'", json!({"fileHashType": "sha256", "fileHashValue": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"})),
        ("file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'", json!({"fileHashType": "sha256", "fileHashValue": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"})),
        ("email-addr:value = 'bad@evil.example'", json!({"emailSenderAddress": "bad@evil.example"})),
        ("email-message:from_ref.value = 'from@evil.example'", json!({"emailSenderAddress": "from@evil.example"})),
        ("email-message:sender_ref.value = 'sender@evil.example'", json!({"emailSenderAddress": "sender@evil.example"})),
        ("email-message:to_refs[*].value = 'victim@corp.example'", json!({"emailRecipient": "victim@corp.example"})),
        ("email-message:subject = 'Invoice \\'overdue\\''", json!({"emailSubject": "Invoice 'overdue'"})),
    ];
    let pattern = parts
        .iter()
        .map(|(p, _)| *p)
        .collect::<Vec<_>>()
        .join(" OR ");
    let r = import_stix_bundle(&indicator(&format!("[{pattern}]"), json!({})), &opts());
    assert_eq!(counts(&r), (parts.len(), 0), "{:?}", r.skipped);
    for (n, (part, expected)) in parts.iter().enumerate() {
        let i = by_external_id(&r, &format!("{ID}#{}", n + 1));
        for (k, v) in expected.as_object().unwrap() {
            assert_eq!(&i[k], v, "{part}: {k}");
        }
    }
}

#[test]
fn unsupported_parts_are_skipped_saying_what_is_unsupported() {
    let cases = [
        ("[ipv4-addr:value = '1.2.3.4'] AND [domain-name:value = 'x.example']", "AND joins two observations; only OR can be imported"),
        ("[ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY [url:value = 'http://x.example/'] FOLLOWEDBY [url:value = 'http://y.example/']", "FOLLOWEDBY joins three observations; only OR can be imported"),
        ("[ipv4-addr:value = '1.2.3.4'] WITHIN 60 SECONDS", "the qualifier WITHIN is not supported; only unqualified observations can be imported"),
        ("[ipv4-addr:value = '1.2.3.4'] REPEATS 3 TIMES", "the qualifier REPEATS is not supported; only unqualified observations can be imported"),
        ("[ipv4-addr:value = '1.2.3.4'] START t'2020-01-01T00:00:00Z' STOP t'2020-02-01T00:00:00Z'", "the qualifier START/STOP is not supported; only unqualified observations can be imported"),
        ("[EXISTS file:hashes.MD5]", "EXISTS is not supported; only = comparisons can be imported"),
        ("[ipv4-addr:value NOT = '1.2.3.4']", "NOT is not supported; only = comparisons can be imported"),
        ("[ipv4-addr:value != '1.2.3.4']", "operator != is not supported; only = comparisons can be imported"),
        ("[url:value LIKE 'http://%']", "operator LIKE is not supported; only = comparisons can be imported"),
        ("[ipv4-addr:value IN ('1.2.3.4', '5.6.7.8')]", "operator IN is not supported; only = comparisons can be imported"),
        ("[domain-name:value = 42]", "domain-name:value must be compared with a string; found an integer"),
        ("[process:name = 'evil.exe']", "object type process is not supported; importable: ipv4-addr, ipv6-addr, domain-name, url, file (hashes), email-addr, email-message"),
        ("[ipv4-addr:resolves_to_refs[*].value = 'x']", "property ipv4-addr:resolves_to_refs[*].value is not supported; only ipv4-addr:value can be imported"),
        ("[file:hashes.'SHA-512' = 'ab']", "hash algorithm SHA-512 is not supported; only MD5, SHA-1 and SHA-256 can be imported"),
        ("[file:hashes.MD5 = 'abc']", "'abc' is not a md5 hash: expected 32 hex digits"),
        ("[ipv4-addr:value = '300.1.1.1']", "'300.1.1.1' is not an IP address"),
        ("[ipv4-addr:value = '10.0.0.0/33']", "'10.0.0.0/33' is not a CIDR block: the prefix length must be 0 to 32"),
        ("[domain-name:value = '1.2.3.4']", "'1.2.3.4' is not a domain name: its last label '4' is all digits (an IP address?)"),
        ("[domain-name:value = 'a..example']", "'a..example' is not a domain name: it has an empty label (two dots in a row)"),
        ("[url:value = 'Data/dtl.dat']", "'Data/dtl.dat' is not a URL: 'Data' is not a host name (expected scheme://host/path or host/path)"),
        ("[email-addr:value = 'nobody']", "'nobody' is not an e-mail address (expected name@domain.example)"),
    ];
    for (pattern, reason) in cases {
        let r = import_stix_bundle(&indicator(pattern, json!({})), &opts());
        assert_eq!(counts(&r), (0, 1), "{pattern}");
        assert_eq!(skip_reason(&r, ID), reason, "{pattern}");
    }
}

#[test]
fn numbering_counts_skipped_parts_so_it_is_stable() {
    let r = import_stix_bundle(
        &indicator("[file:name = 'x.exe' OR ipv4-addr:value = '1.2.3.4'] OR ([url:value = 'http://x.example/'] AND [url:value = 'http://y.example/'])", json!({})),
        &opts(),
    );
    assert_eq!(counts(&r), (1, 2));
    assert_eq!(
        by_external_id(&r, &format!("{ID}#2"))["networkDestinationIPv4"],
        "1.2.3.4"
    );
    assert!(skip_reason(&r, &format!("{ID}#1")).starts_with("property file:name"));
    assert_eq!(
        skip_reason(&r, &format!("{ID}#3")),
        "AND joins two observations; only OR can be imported"
    );
}

#[test]
fn whole_indicators_skipped_with_the_reason() {
    let ip = "[ipv4-addr:value = '1.2.3.4']";
    let cases = [
        (indicator(ip, json!({"revoked": true})), "the indicator is revoked"),
        (indicator(ip, json!({"pattern_type": "sigma"})), "pattern_type sigma is not supported; only stix patterns can be imported"),
        (indicator("[ipv4-addr:value = '1.2.3.4'", json!({})), "the pattern does not parse: expected AND, OR or ']' to close the observation opened at byte 0; found end of pattern (at bytes 0..1)"),
        (indicator(ip, json!({"pattern": null})), "the indicator has no pattern"),
        (indicator(ip, json!({"valid_until": "next week"})), "valid_until 'next week' is not a timestamp such as 2016-01-01T00:00:00Z"),
        (indicator(ip, json!({"confidence": 150})), "confidence 150 is not a whole number from 0 to 100"),
    ];
    for (v, reason) in cases {
        let r = import_stix_bundle(&v, &opts());
        assert_eq!(counts(&r), (0, 1), "{reason}");
        assert_eq!(skip_reason(&r, ID), reason);
    }
    let r = import_stix_bundle(&json!({"type": "indicator", "pattern": ip}), &opts());
    assert_eq!(skip_reason(&r, "input"), "an indicator has no id");
    assert_eq!(reasons(&r).len(), 1);
}

#[test]
fn descriptions_are_cut_to_100_characters() {
    use model::intel::short_description;
    let exact = "é".repeat(100);
    assert_eq!(short_description(&exact).as_deref(), Some(exact.as_str()));
    let word = "x".repeat(150);
    let cut = short_description(&word).unwrap();
    assert_eq!((cut.chars().count(), cut.ends_with("x…")), (100, true));
    assert_eq!(short_description("  a \n\t b  ").as_deref(), Some("a b"));
    assert_eq!(short_description(" \n "), None);
}
