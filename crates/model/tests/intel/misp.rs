//! MISP import: the published PyMISP and misp-stix events (counts read from the files), then each
//! attribute type and event-level mapping on a hand-written event.

use super::{by_external_id, intel_fixture, opts, reasons, skip_reason};
use model::intel::{import_misp, ImportReport};
use serde_json::{json, Value};

fn import(name: &str) -> ImportReport {
    import_misp(&intel_fixture(name), &opts())
}

fn counts(r: &ImportReport) -> (usize, usize) {
    (r.indicators.len(), r.skipped.len())
}

#[test]
fn every_published_event_imports_with_the_counts_read_from_the_files() {
    let cases = [
        // 370 attributes: 247 importable with to_ids; 64 links, 18 filenames, 23 to_ids=false, …
        ("event-asert-url-email-ipdst-hashes_pymisp.json", (247, 123)),
        // 44 attributes + 24 ip-port objects (ip-dst + dst-port each; the ports go with the ip).
        ("event-qakbot-ipport-objects_pymisp.json", (58, 14)),
        ("event-sunorcal-ipdst-hostname-hashes_pymisp.json", (50, 25)),
        ("event-ursnif-domain-url-sightings_pymisp.json", (5, 0)),
        ("event-xorist-hashes-regkey_pymisp.json", (3, 6)),
        ("restsearch-events-as-domain_misp-stix.json", (1, 1)),
    ];
    for (name, expected) in cases {
        assert_eq!(counts(&import(name)), expected, "{name}");
    }
}

#[test]
fn asert_skips_are_explained() {
    let r = import("event-asert-url-email-ipdst-hashes_pymisp.json");
    let by_reason = reasons(&r);
    let count = |reason: &str| by_reason.get(reason).copied().unwrap_or(0);
    assert_eq!(
        count("a link points to a report about the event; it is not an indicator"),
        64
    );
    assert_eq!(count("MISP attribute type filename is not supported"), 18);
    assert_eq!(count("to_ids is false: MISP marks this hostname as context, not for detection (set include_non_ids to import it)"), 12);
    assert_eq!(
        count("hash type ssdeep has no Graph fileHashType; only md5, sha1 and sha256 are imported"),
        1
    );
    assert_eq!(
        skip_reason(&r, "57163109-6304-413e-9884-4a42950d210f"),
        "'Data/dtl.dat' is not a URL: 'Data' is not a host name (expected scheme://host/path or host/path)"
    );
    assert_eq!(
        skip_reason(&r, "571620b0-5e38-4e8c-9c29-416d950d210f"),
        "'107.183.86' is not a URL: '107.183.86' is not a host name (expected scheme://host/path or host/path)"
    );
    let url = by_external_id(&r, "57174be5-2e14-46d9-a003-4125950d210f");
    assert_eq!(url["url"], "www.kcico.com.tw/data/openwebmail/doc/wthk.txt");
    let file = by_external_id(&r, "57173ebe-e2f8-49b3-b75c-4275950d210f");
    assert_eq!(file["fileName"], "90t69cf82.dll");
    assert_eq!(file["fileHashType"], "md5");
    assert_eq!(file["fileHashValue"], "86ebcbb3bdd8af257b52daa869ddd6c1");
    assert_eq!(file["severity"], 3, "threat_level_id 2 (medium)");
    assert_eq!(file["tlpLevel"], "white");
    assert_eq!(
        file["description"],
        "OSINT - ASERT Threat Intelligence Report 2016-03 The Four-Element Sword Engagement"
    );
}

#[test]
fn include_non_ids_imports_the_context_attributes_too() {
    let mut o = opts();
    o.include_non_ids = true;
    let r = import_misp(
        &intel_fixture("event-asert-url-email-ipdst-hashes_pymisp.json"),
        &o,
    );
    assert_eq!(counts(&r), (270, 100), "23 to_ids=false attributes more");
    let email = by_external_id(&r, "57161b17-23b8-4631-96fd-4bad950d210f");
    assert_eq!(email["emailSenderAddress"], "bill_clay6801@yahoo.com");
    assert_eq!(email["emailSourceDomain"], "yahoo.com");
}

#[test]
fn xorist_md5_indicator_in_full() {
    let r = import("event-xorist-hashes-regkey_pymisp.json");
    assert_eq!(
        by_external_id(&r, "57c4448b-454c-4d17-90d1-4d2f950d210f"),
        &json!({
            "action": "alert",
            "targetProduct": "Azure Sentinel",
            "threatType": "WatchList",
            "tlpLevel": "white",
            "expirationDateTime": "2030-01-01T00:00:00.0000000Z",
            "description": "Ransomware - Xorist",
            "severity": 1,
            "fileHashType": "md5",
            "fileHashValue": "0749bae92ca336a02c83d126e04ec628",
            "tags": ["tlp:white", "circl:incident-classification=\"malware\"",
                     "ms-caro-malware:malware-type=\"Ransom\"",
                     "malware_classification:malware-category=\"Ransomware\""],
            "lastReportedDateTime": "2016-08-29T14:19:55.0000000Z",
            "additionalInformation": "Imported via the Freetext Import Tool",
            "externalId": "57c4448b-454c-4d17-90d1-4d2f950d210f"
        })
    );
    assert_eq!(
        skip_reason(&r, "57c54b0f-27a4-458b-8e63-4455950d210f"),
        "MISP attribute type regkey|value is not supported"
    );
}

#[test]
fn qakbot_object_ports_stay_with_their_address_and_galaxies_name_malware() {
    let r = import("event-qakbot-ipport-objects_pymisp.json");
    let ip = by_external_id(&r, "5a0acc3f-9d2c-4cb7-86b7-4f26950d210f");
    assert_eq!(ip["networkDestinationIPv4"], "64.183.173.170");
    assert_eq!(ip["networkDestinationPort"], 995);
    assert_eq!(ip["malwareFamilyNames"], json!(["Emotet", "Qakbot"]));
    assert!(
        !r.skipped
            .iter()
            .any(|s| s.source == "5a0acc3f-cc94-4758-b472-4f0d950d210f"),
        "the port attribute is used, not skipped"
    );
    let plain = by_external_id(&r, "5a0ac4d2-bfa0-4123-a4c6-46e3950d210f");
    assert!(plain.get("networkDestinationPort").is_none());
}

#[test]
fn ursnif_galaxy_cluster_and_default_tlp() {
    let r = import("event-ursnif-domain-url-sightings_pymisp.json");
    for i in &r.indicators {
        assert_eq!(i["malwareFamilyNames"], json!(["Gozi"]));
        assert_eq!(i["tlpLevel"], "red", "no tlp tag: the option's default");
    }
    assert_eq!(
        by_external_id(&r, "5b6464e9-e73c-484d-a0b3-c0070acd0835")["url"],
        "http://sistemait.it/softaculous/backup/client.rar"
    );
}

#[test]
fn restsearch_output_is_unwrapped() {
    let r = import("restsearch-events-as-domain_misp-stix.json");
    assert_eq!(
        skip_reason(&r, "2972c3a2-dda3-4de7-aca1-e96cf7ce5544"),
        "MISP attribute type AS is not supported"
    );
    let d = by_external_id(&r, "4bb235a7-7d25-4aef-802f-2c6b45c5eceb");
    assert_eq!(d["domainName"], "circl.lu");
    assert_eq!(
        d["description"],
        "MISP-STIX-Converter test event with domain attribute"
    );
    assert_eq!(d["severity"], 3);
}

fn attr(uuid: &str, ty: &str, value: &str) -> Value {
    json!({"uuid": uuid, "type": ty, "value": value, "to_ids": true, "timestamp": "1600000000"})
}

fn synthetic_event() -> Value {
    let mut tagged = attr("a-src", "ip-src", "203.0.113.0/24");
    tagged["Tag"] = json!([{"name": "tlp:amber"}]);
    let mut as_string = attr("a-dst-port", "ip-dst|port", "198.51.100.1|8443");
    as_string["to_ids"] = json!("1");
    let mut deleted = attr("a-deleted", "domain", "gone.example");
    deleted["deleted"] = json!(true);
    let mut no_uuid = attr("", "domain", "nouuid.example");
    no_uuid.as_object_mut().unwrap().remove("uuid");
    json!({"Event": {
        "uuid": "e-1", "info": "Synthetic", "threat_level_id": "1", "timestamp": "1500000000",
        "Tag": [{"name": "tlp:green"}, {"name": "diamond-model:Infrastructure"},
                {"name": "misp-galaxy:threat-actor=\"Sofacy\""}],
        "Attribute": [
            tagged, as_string, deleted, no_uuid,
            attr("a-src-port", "ip-src|port", "2001:db8::1|443"),
            attr("a-domain-ip", "domain|ip", "evil.example|192.0.2.5"),
            attr("a-email-src", "email-src", "bad@evil.example"),
            attr("a-email-dst", "email-dst", "victim@corp.example"),
            attr("a-subject", "email-subject", "Your invoice"),
            attr("a-fsha1", "filename|sha1", "a|b.exe|DA39A3EE5E6B4B0D3255BFEF95601890AFD80709"),
            attr("a-actor", "threat-actor", "APT-X"),
            attr("a-bad-port", "ip-dst|port", "192.0.2.1|99999"),
            attr("a-bad-domain-ip", "domain|ip", "evil.example"),
            attr("a-sha512", "sha512", "00"),
            attr("a-empty", "url", " "),
        ],
        "Object": [{"name": "ip-port", "Attribute": [
            {"uuid": "o-port", "type": "port", "object_relation": "src-port", "value": "53", "to_ids": false},
        ]}],
    }})
}

#[test]
fn every_supported_attribute_type_and_the_event_mapping() {
    let r = import_misp(&synthetic_event(), &opts());
    let get = |id: &str| by_external_id(&r, id);
    let src = get("a-src");
    assert_eq!(src["networkSourceCidrBlock"], "203.0.113.0/24");
    assert_eq!(
        src["tlpLevel"], "amber",
        "the attribute's stricter tag wins"
    );
    assert_eq!(
        src["tags"],
        json!([
            "tlp:green",
            "diamond-model:Infrastructure",
            "misp-galaxy:threat-actor=\"Sofacy\"",
            "tlp:amber"
        ])
    );
    assert_eq!(src["severity"], 5);
    assert_eq!(src["diamondModel"], "infrastructure");
    assert_eq!(src["activityGroupNames"], json!(["Sofacy", "APT-X"]));
    assert_eq!(src["lastReportedDateTime"], "2020-09-13T12:26:40.0000000Z");
    let dst = get("a-dst-port");
    assert_eq!(
        (
            &dst["networkDestinationIPv4"],
            &dst["networkDestinationPort"]
        ),
        (&json!("198.51.100.1"), &json!(8443))
    );
    assert_eq!(dst["tlpLevel"], "green");
    let v6 = get("a-src-port");
    assert_eq!(
        (&v6["networkSourceIPv6"], &v6["networkSourcePort"]),
        (&json!("2001:db8::1"), &json!(443))
    );
    let di = get("a-domain-ip");
    assert_eq!(
        (&di["domainName"], &di["networkIPv4"]),
        (&json!("evil.example"), &json!("192.0.2.5"))
    );
    assert_eq!(get("a-email-src")["emailSourceDomain"], "evil.example");
    assert_eq!(get("a-email-dst")["emailRecipient"], "victim@corp.example");
    assert_eq!(get("a-subject")["emailSubject"], "Your invoice");
    let f = get("a-fsha1");
    assert_eq!(
        (&f["fileName"], &f["fileHashType"]),
        (&json!("a|b.exe"), &json!("sha1"))
    );
    assert_eq!(
        f["fileHashValue"],
        "da39a3ee5e6b4b0d3255bfef95601890afd80709"
    );
    assert_eq!(get("e-1#4")["domainName"], "nouuid.example");
    assert_eq!(skip_reason(&r, "a-deleted"), "the attribute is deleted");
    assert_eq!(
        skip_reason(&r, "a-bad-port"),
        "'99999' is not a port number (0 to 65535)"
    );
    assert_eq!(
        skip_reason(&r, "a-bad-domain-ip"),
        "a domain|ip value must be domain|address; found 'evil.example'"
    );
    assert_eq!(
        skip_reason(&r, "a-sha512"),
        "hash type sha512 has no Graph fileHashType; only md5, sha1 and sha256 are imported"
    );
    assert_eq!(skip_reason(&r, "a-empty"), "the attribute has no value");
    assert_eq!(
        skip_reason(&r, "o-port"),
        "a port alone is not an indicator (ports are kept with the ip-dst or ip-src of the same object)"
    );
    assert_eq!(
        counts(&r),
        (9, 6),
        "threat-actor attributes are context, neither"
    );
}

#[test]
fn lists_bare_events_and_unknown_input() {
    let event = synthetic_event();
    let r = import_misp(&json!([event.clone(), event["Event"].clone(), 7]), &opts());
    assert_eq!(counts(&r), (18, 13));
    assert_eq!(
        skip_reason(&r, "input"),
        "item 2 of the list is not a MISP event ({\"Event\": {…}})"
    );
    let r = import_misp(&json!({"hello": "world"}), &opts());
    assert_eq!(
        skip_reason(&r, "input"),
        "expected a MISP event ({\"Event\": {…}}), a list of them, or restSearch output ({\"response\": […]})"
    );
}
