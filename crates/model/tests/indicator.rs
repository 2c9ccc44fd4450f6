//! tiIndicator: Microsoft's examples parse and re-serialise as Graph shows them, MISP-style items
//! are accepted, every validation rule reports a precise error, observables are normalised, and
//! PATCH bodies follow Graph's editable sets.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use model::indicator::*;
use model::TenantId;
use serde_json::{json, Value};

fn now() -> time::OffsetDateTime {
    model::datetime::parse("2025-01-02T03:04:05.1234567Z").unwrap()
}

fn stored(body: TiIndicatorBody) -> TiIndicator {
    TiIndicator::new(
        TiIndicatorId::from("e58c072b-c9bb-a5c4-34ce-eb69af44fb1e"),
        TenantId::from("XXXXXXXXXXXXXXXXXXXX"),
        now(),
        body,
    )
}

fn valid() -> Value {
    json!({
        "action": "block", "description": "d", "expirationDateTime": "2026-12-31T00:00:00Z",
        "targetProduct": "Azure Sentinel", "threatType": "Malware", "tlpLevel": "amber",
        "domainName": "evil.example"
    })
}

fn with(mut v: Value, changes: Value) -> Value {
    for (k, x) in changes.as_object().unwrap() {
        if x == &json!("<remove>") {
            v.as_object_mut().unwrap().remove(k);
        } else {
            v[k] = x.clone();
        }
    }
    v
}

/// `expected` (minus OData annotations) is contained in `actual`; date-times compare as instants.
fn assert_contains(expected: &Value, actual: &Value, skip: &[&str]) {
    for (k, want) in expected.as_object().unwrap() {
        if k.starts_with('@') || skip.contains(&k.as_str()) {
            continue;
        }
        let got = &actual[k];
        let same_instant = || {
            let p = |v: &Value| v.as_str().and_then(|s| model::datetime::parse(s).ok());
            p(want).is_some() && p(want) == p(got)
        };
        assert!(got == want || same_instant(), "{k}: want {want}, got {got}");
    }
}

const CREATE_REQUEST: &str = r#"{
  "action": "alert", "activityGroupNames": [], "confidence": 0,
  "description": "This is a canary indicator for demo purpose. Take no action on any observables set in this indicator.",
  "expirationDateTime": "2019-03-01T21:43:37.5031462+00:00", "externalId": "Test--8586509942679764298MS501",
  "fileHashType": "sha256", "fileHashValue": "aa64428647b57bf51524d1756b2ed746e5a3f31b67cf7fe5b5d8a9daf07ca313",
  "killChain": [], "malwareFamilyNames": [], "severity": 0, "tags": [], "targetProduct": "Azure Sentinel",
  "threatType": "WatchList", "tlpLevel": "green"
}"#;

const CREATE_RESPONSE: &str = r#"{
  "@odata.context": "https://graph.microsoft.com/beta/$metadata#Security/tiIndicators/$entity",
  "id": "e58c072b-c9bb-a5c4-34ce-eb69af44fb1e", "azureTenantId": "XXXXXXXXXXXXXXXXXXXX",
  "action": "alert", "additionalInformation": null, "activityGroupNames": [], "confidence": 0,
  "description": "This is a canary indicator for demo purpose. Take no action on any observables set in this indicator."
}"#;

const SUBMIT_ITEM: &str = r#"{
  "activityGroupNames": [], "confidence": 0,
  "description": "This is a canary indicator for demo purpose. Take no action on any observables set in this indicator.",
  "expirationDateTime": "2019-03-01T21:44:03.1668987+00:00", "externalId": "Test--8586509942423126760MS164-0",
  "fileHashType": "sha256", "fileHashValue": "b555c45c5b1b01304217e72118d6ca1b14b7013644a078273cea27bbdc1cf9d6",
  "killChain": [], "malwareFamilyNames": [], "severity": 0, "tags": [], "targetProduct": "Azure Sentinel",
  "threatType": "WatchList", "tlpLevel": "green"
}"#;

#[test]
fn docs_create_example_parses_and_serialises_like_the_docs_response() {
    let request: Value = serde_json::from_str(CREATE_REQUEST).unwrap();
    let indicator = stored(parse_new(&request).unwrap());
    let out = serde_json::to_value(&indicator).unwrap();
    assert_contains(&serde_json::from_str(CREATE_RESPONSE).unwrap(), &out, &[]);
    assert_contains(&request, &out, &[]);
    assert_eq!(out["expirationDateTime"], "2019-03-01T21:43:37.5031462Z");
    assert_eq!(out["ingestedDateTime"], "2025-01-02T03:04:05.1234567Z");
    assert_eq!(
        (out["isActive"].clone(), out["passiveOnly"].clone()),
        (json!(true), json!(false))
    );
    assert_eq!(
        (out["hitCount"].clone(), out["lastHitDateTime"].clone()),
        (json!(0), Value::Null)
    );
    assert_eq!(out["criticalInfrastructureOverride"], false);
    assert_eq!(
        out["networkIPv4"],
        Value::Null,
        "absent properties are null"
    );
    let again: TiIndicator = serde_json::from_value(out).unwrap();
    assert_eq!(again, indicator, "stored JSON reads back");
}

#[test]
fn docs_submit_items_without_action_are_accepted_for_sentinel() {
    let item: Value = serde_json::from_str(SUBMIT_ITEM).unwrap();
    let out = serde_json::to_value(stored(parse_new(&item).unwrap())).unwrap();
    let response = json!({"action": null, "additionalInformation": null, "activityGroupNames": [], "confidence": 0});
    assert_contains(&response, &out, &[]);
    assert_contains(&item, &out, &[]);
}

#[test]
fn misp_items_are_read_leniently_and_unknown_properties_echoed() {
    let item = json!({
        "action": "alert", "passiveOnly": false, "threatType": "watchlist", "targetProduct": "Azure Sentinel",
        "tlpLevel": "clear", "description": "MISP event", "expirationDateTime": "2026-12-02",
        "lastReportedDateTime": "2019-02-21 17:42:03", "externalId": "5c6f1c8d-uuid", "tags": ["tlp:clear"],
        "networkDestinationIPv4": "203.0.113.7", "networkDestinationPort": "443", "networkSourceAsn": "AS13335",
        "malwareFamilyNames": "ransomware", "fileSize": "1024", "diamondModel": "Infrastructure",
        "indicatorRequestHash": "-7301893461470306271", "@odata.type": "#microsoft.graph.tiIndicator",
        "id": "client-made-up", "azureTenantId": "someone-else", "hitCount": 99
    });
    let out = serde_json::to_value(stored(parse_new(&item).unwrap())).unwrap();
    let want = json!({
        "threatType": "WatchList", "tlpLevel": "white", "expirationDateTime": "2026-12-02T00:00:00.0000000Z",
        "lastReportedDateTime": "2019-02-21T17:42:03.0000000Z", "networkDestinationPort": 443,
        "networkSourceAsn": 13335, "malwareFamilyNames": ["ransomware"], "fileSize": 1024,
        "diamondModel": "infrastructure", "indicatorRequestHash": "-7301893461470306271",
        "id": "e58c072b-c9bb-a5c4-34ce-eb69af44fb1e", "azureTenantId": "XXXXXXXXXXXXXXXXXXXX", "hitCount": 0
    });
    assert_contains(&want, &out, &[]);
    assert!(
        out.get("@odata.type").is_none(),
        "annotations are not echoed"
    );
}

#[test]
fn property_names_and_enum_values_match_case_insensitively() {
    let item = json!({
        "Action": "Block", "DESCRIPTION": "d", "expirationdatetime": "2026-12-31T00:00:00Z",
        "targetproduct": "microsoft defender atp", "ThreatType": "maliciousurl", "TLPLevel": "RED",
        "URL": "HTTP://Evil.Example/Path", "FileHashType": "SHA1"
    });
    let body = parse_new(&item).unwrap();
    assert_eq!(body.action, Some(TiAction::Block));
    assert_eq!(body.target_product, TargetProduct::MicrosoftDefenderAtp);
    assert_eq!(body.threat_type, ThreatType::MaliciousUrl);
    assert_eq!(body.tlp_level, TlpLevel::Red);
    assert_eq!(
        body.network.url.as_deref(),
        Some("HTTP://Evil.Example/Path"),
        "stored as sent"
    );
    assert!(body.additional_properties.is_empty());
}

/// (changes to the valid body, code, property, message).
fn error_cases() -> Vec<(Value, InputErrorCode, Option<&'static str>, String)> {
    use InputErrorCode::*;
    let s = |m: &str| m.to_string();
    vec![
        (json!({"threatType": "<remove>", "tlpLevel": null}), MissingProperty, Some("threatType"),
         s("A new tiIndicator needs these properties, which are missing or null: 'threatType' (Botnet, C2, CryptoMining, Darknet, DDoS, MaliciousUrl, Malware, Phishing, Proxy, PUA, WatchList), 'tlpLevel' (unknown, white, green, amber, red).")),
        (json!({"description": "<remove>"}), MissingProperty, Some("description"),
         s("A new tiIndicator needs these properties, which are missing or null: 'description'.")),
        (json!({"description": "  "}), InvalidProperty, Some("description"),
         s("Property 'description' cannot be blank; describe the indicator in a few words.")),
        (json!({"description": "x".repeat(1001)}), InvalidProperty, Some("description"),
         s("Property 'description' is 1001 characters long; Azure Sentinel indicators allow at most 1000.")),
        (json!({"action": "deny"}), InvalidProperty, Some("action"),
         s("Property 'action' has value \"deny\"; use one of: unknown, allow, block, alert.")),
        (json!({"tlpLevel": "unknownFutureValue"}), InvalidProperty, Some("tlpLevel"),
         s("Property 'tlpLevel' has value \"unknownFutureValue\"; use one of: unknown, white, green, amber, red.")),
        (json!({"threatType": "Spam"}), InvalidProperty, Some("threatType"),
         s("Property 'threatType' has value \"Spam\"; use one of: Botnet, C2, CryptoMining, Darknet, DDoS, MaliciousUrl, Malware, Phishing, Proxy, PUA, WatchList.")),
        (json!({"killChain": ["C2", "Lateral"]}), InvalidProperty, Some("killChain"),
         s("Property 'killChain' has item 'Lateral'; each item must be one of: Actions, C2, Delivery, Exploitation, Installation, Reconnaissance, Weaponization.")),
        (json!({"confidence": 101}), InvalidProperty, Some("confidence"),
         s("Property 'confidence' must be an integer from 0 to 100; got 101.")),
        (json!({"severity": "high"}), InvalidProperty, Some("severity"),
         s("Property 'severity' must be an integer from 0 to 5; got \"high\".")),
        (json!({"networkPort": 70000}), InvalidProperty, Some("networkPort"),
         s("Property 'networkPort' must be an integer from 0 to 65535; got 70000.")),
        (json!({"networkProtocol": 256}), InvalidProperty, Some("networkProtocol"),
         s("Property 'networkProtocol' must be an integer from 0 to 255; got 256.")),
        (json!({"expirationDateTime": "next week"}), InvalidProperty, Some("expirationDateTime"),
         s("Property 'expirationDateTime': 'next week' is not a date-time; send ISO 8601 such as 2026-12-02T00:00:00Z (a date alone or a date and time without an offset is read as UTC).")),
        (json!({"isActive": "yes"}), InvalidProperty, Some("isActive"),
         s("Property 'isActive' must be true or false; got \"yes\".")),
        (json!({"networkIPv4": "2001:db8::1"}), InvalidProperty, Some("networkIPv4"),
         s("Property 'networkIPv4' must be an IPv4 address: '2001:db8::1' is an IPv6 address; send it in networkIPv6.")),
        (json!({"networkSourceIPv6": "198.51.100.1"}), InvalidProperty, Some("networkSourceIPv6"),
         s("Property 'networkSourceIPv6' must be an IPv6 address: '198.51.100.1' is an IPv4 address; send it in networkSourceIPv4.")),
        (json!({"networkCidrBlock": "10.0.0.0/40"}), InvalidProperty, Some("networkCidrBlock"),
         s("Property 'networkCidrBlock' must be a CIDR block: '10.0.0.0/40' has prefix length '40'; use 0 to 32.")),
        (json!({"domainName": "http://evil.example/x"}), InvalidProperty, Some("domainName"),
         s("Property 'domainName' must be a domain name: 'http://evil.example/x' is not a bare domain name; send only the host (such as example.com).")),
        (json!({"url": "gopher://evil.example/"}), InvalidProperty, Some("url"),
         s("Property 'url' must be a URL: 'gopher://evil.example/' has scheme 'gopher'; use one of: http, https, ftp.")),
        (json!({"emailSenderAddress": "not-an-address"}), InvalidProperty, Some("emailSenderAddress"),
         s("Property 'emailSenderAddress' must be an e-mail address: 'not-an-address' is not an e-mail address such as user@example.com.")),
        (json!({"fileHashValue": "b555c45c5b1b01304217e72118d6ca1b14b7013644a078273cea27bbdc1cf9d6"}), MissingProperty, Some("fileHashType"),
         s("Property 'fileHashValue' needs 'fileHashType' (a 64-digit value is usually 'sha256'); use one of: unknown, sha1, sha256, md5, authenticodeHash256, lsHash, ctph.")),
        (json!({"fileHashType": "md5", "fileHashValue": "abc"}), InvalidProperty, Some("fileHashValue"),
         s("Property 'fileHashValue' does not fit its type: a md5 hash is 32 hexadecimal digits; got 3 characters.")),
        (json!({"domainName": "<remove>", "fileHashType": "sha1"}), MissingProperty, None,
         s("A tiIndicator needs at least one e-mail, file or network observable, such as domainName, url, networkDestinationIPv4, fileHashValue (with fileHashType) or emailSenderAddress.")),
        (json!({"tags": "a", "activityGroupNames": [1]}), InvalidProperty, Some("activityGroupNames"),
         s("Property 'activityGroupNames' must be an array of strings; item 0 is 1.")),
    ]
}

#[test]
fn every_validation_rule_names_the_property_and_what_to_send() {
    for (changes, code, property, message) in error_cases() {
        let e = parse_new(&with(valid(), changes.clone())).unwrap_err();
        assert_eq!(
            (e.code, e.property.as_deref()),
            (code, property),
            "{changes}: {e}"
        );
        assert_eq!(e.message, message, "{changes}");
    }
    let e = parse_new(&json!([1])).unwrap_err();
    assert_eq!(e.code.as_str(), "InvalidBody");
}

#[test]
fn defender_indicators_need_action_and_one_of_its_observables() {
    let defender = with(valid(), json!({"targetProduct": "Microsoft Defender ATP"}));
    assert!(parse_new(&defender).is_ok());
    let e = parse_new(&with(defender.clone(), json!({"action": "<remove>"}))).unwrap_err();
    assert_eq!(e.message, "Microsoft Defender ATP indicators need 'action'; use one of: unknown, allow, block, alert.");
    let e = parse_new(&with(
        defender.clone(),
        json!({"domainName": "<remove>", "networkSourceIPv4": "192.0.2.1"}),
    ))
    .unwrap_err();
    assert_eq!(e.message, "Microsoft Defender ATP indicators need one of: domainName, url, networkDestinationIPv4, networkDestinationIPv6, fileHashValue; use targetProduct 'Azure Sentinel' for other observables.");
    let e = parse_new(&with(defender, json!({"description": "x".repeat(101)}))).unwrap_err();
    assert_eq!(e.message, "Property 'description' is 101 characters long; Microsoft Defender ATP indicators allow at most 100.");
}

fn sentinel() -> TiIndicator {
    stored(parse_new(&serde_json::from_str(CREATE_REQUEST).unwrap()).unwrap())
}

#[test]
fn docs_update_examples_apply_without_target_product_or_expiration() {
    let existing = sentinel();
    let request = json!({"additionalInformation": "additionalInformation-after-update", "confidence": 42, "description": "description-after-update"});
    let patch = parse_patch(&request, &existing).unwrap();
    let out = serde_json::to_value(&patch.indicator).unwrap();
    assert_contains(&request, &out, &[]);
    assert_eq!(
        patch.changed,
        ["additionalInformation", "confidence", "description"]
    );
    assert_eq!(
        out["externalId"], "Test--8586509942679764298MS501",
        "the rest is kept"
    );
    assert_eq!(
        patch.indicator.ingested_date_time,
        existing.ingested_date_time
    );

    let item =
        json!({"id": "e58c072b-c9bb-a5c4-34ce-eb69af44fb1e", "additionalInformation": "mytest"});
    assert_eq!(
        update_item_id(&item).unwrap().as_str(),
        "e58c072b-c9bb-a5c4-34ce-eb69af44fb1e"
    );
    let patched = parse_patch(&item, &existing).unwrap().indicator;
    assert_eq!(
        patched.body.additional_information.as_deref(),
        Some("mytest")
    );
    let e = update_item_id(&json!({"additionalInformation": "x"})).unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (
            InputErrorCode::MissingProperty,
            "Each updateTiIndicators item needs 'id', the id of the indicator to update."
        )
    );
}

#[test]
fn patch_rejects_changes_outside_the_editable_set_but_accepts_echoed_values() {
    let existing = sentinel();
    let echoed = json!({"targetProduct": "azure sentinel", "fileHashType": "SHA256", "hitCount": 7,
        "ingestedDateTime": "2000-01-01T00:00:00Z", "severity": 4, "expirationDateTime": "2030-01-01"});
    let p = parse_patch(&echoed, &existing).unwrap();
    assert_eq!((p.indicator.body.severity, p.indicator.hit_count), (4, 0));
    let e = parse_patch(
        &json!({"targetProduct": "Microsoft Defender ATP"}),
        &existing,
    )
    .unwrap_err();
    assert_eq!(e.code, InputErrorCode::PropertyNotUpdateable);
    assert_eq!(e.message, "Property 'targetProduct' cannot be updated; the updatable properties of Azure Sentinel indicators are: action, activityGroupNames, additionalInformation, confidence, description, diamondModel, expirationDateTime, externalId, isActive, killChain, knownFalsePositives, lastReportedDateTime, malwareFamilyNames, passiveOnly, severity, tags, tlpLevel, criticalInfrastructureOverride.");
    let e = parse_patch(&json!({"domainName": "other.example"}), &existing).unwrap_err();
    assert_eq!(e.property.as_deref(), Some("domainName"));
    let e = parse_patch(&json!({"id": "another"}), &existing).unwrap_err();
    assert_eq!(
        (e.code, e.property.as_deref()),
        (InputErrorCode::PropertyNotUpdateable, Some("id"))
    );
    let e = parse_patch(&json!({"description": null}), &existing).unwrap_err();
    assert_eq!(e.message, "Property 'description' cannot be null.");
    let e = parse_patch(&json!({"confidence": 500}), &existing).unwrap_err();
    assert_eq!(
        e.message,
        "Property 'confidence' must be an integer from 0 to 100; got 500."
    );
    let e = parse_patch(&json!({"description": "x".repeat(1001)}), &existing).unwrap_err();
    assert_eq!(
        e.property.as_deref(),
        Some("description"),
        "the result is validated"
    );
    assert_eq!(
        parse_patch(&json!("x"), &existing).unwrap_err().code,
        InputErrorCode::InvalidBody
    );
}

#[test]
fn defender_patches_change_only_expiration_severity_and_description() {
    let body = parse_new(&with(
        valid(),
        json!({"targetProduct": "Microsoft Defender ATP"}),
    ))
    .unwrap();
    let existing = stored(body);
    let ok =
        json!({"severity": 1, "description": "new", "expirationDateTime": "2027-01-01T00:00:00Z"});
    assert_eq!(
        parse_patch(&ok, &existing).unwrap().indicator.body.severity,
        1
    );
    let e = parse_patch(&json!({"confidence": 10}), &existing).unwrap_err();
    assert_eq!(e.message, "Property 'confidence' cannot be updated; the updatable properties of Microsoft Defender ATP indicators are: description, expirationDateTime, severity.");
}

#[test]
fn patch_sets_and_removes_unknown_properties() {
    let existing =
        stored(parse_new(&with(valid(), json!({"indicatorRequestHash": "h1"}))).unwrap());
    let p = parse_patch(
        &json!({"indicatorRequestHash": "h2", "vendorNote": 1}),
        &existing,
    )
    .unwrap();
    let extra = &p.indicator.body.additional_properties;
    assert_eq!(
        (
            extra["indicatorRequestHash"].clone(),
            extra["vendorNote"].clone()
        ),
        (json!("h2"), json!(1))
    );
    let p = parse_patch(&json!({"indicatorRequestHash": null}), &p.indicator).unwrap();
    assert!(!p
        .indicator
        .body
        .additional_properties
        .contains_key("indicatorRequestHash"));
}
