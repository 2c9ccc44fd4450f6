//! The provider manifest: parsing, every validation failure, and resolving requested actions.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use provider_protocol::{from_json, KeyValuePair, ProviderManifest, ProviderMode};
use serde_json::json;

fn firewall() -> ProviderManifest {
    from_json(
        json!({
            "protocolVersion": 1,
            "name": "Edge Firewall",
            "vendor": "Contoso",
            "mode": "PUSH",
            "callbackBaseUrl": "https://fw.contoso.example/secgraph",
            "futureMember": {"ignored": true},
            "actions": [
                {"name": "blockIp", "description": "Drop traffic from an address",
                 "parameters": [
                    {"name": "ip", "type": "ip", "required": true},
                    {"name": "durationMinutes", "type": "integer"},
                    {"name": "permanent", "type": "Boolean"}]},
                {"name": "unblockIp", "parameters": [{"name": "ip", "type": "ip", "required": true}]},
                {"name": "isolateDevice", "parameters": [{"name": "deviceId", "type": "deviceId", "required": true}]},
                {"name": "quarantineFile", "parameters": [{"name": "sha256", "type": "sha256", "required": true}]},
                {"name": "flushCache"}
            ]
        })
        .to_string()
        .as_bytes(),
    )
    .expect("the example manifest parses")
}

#[test]
fn the_example_manifest_is_valid_and_tolerates_unknown_members() {
    let m = firewall();
    assert_eq!(m.mode, ProviderMode::Push);
    assert_eq!(m.validate(), Ok(()));
    let v = m.vendor_information();
    assert_eq!(v.provider.as_deref(), Some("Edge Firewall"));
    assert_eq!(v.vendor.as_deref(), Some("Contoso"));
    let out = serde_json::to_value(&m).expect("serialises");
    assert_eq!(out["mode"], "push");
    assert_eq!(out["actions"][0]["parameters"][2]["type"], "boolean");
}

#[test]
fn an_unknown_mode_or_type_is_refused_at_parsing_naming_the_members() {
    let bad = json!({"protocolVersion": 1, "name": "a", "vendor": "b", "mode": "poll",
                     "callbackBaseUrl": "https://x.example"});
    let err = from_json::<ProviderManifest>(bad.to_string().as_bytes()).expect_err("poll");
    assert!(err.to_string().contains("push, pull, federated"), "{err}");
}

#[test]
fn every_manifest_problem_is_reported_with_its_path() {
    let long = "d".repeat(1025);
    let m: ProviderManifest = serde_json::from_value(json!({
        "protocolVersion": 2,
        "name": " ",
        "vendor": "Contoso/Labs",
        "mode": "pull",
        "callbackBaseUrl": "https://fw.example/x?y=1",
        "actions": [
            {"name": "block-ip", "description": long},
            {"name": "BlockIP2", "parameters": [
                {"name": "ip", "type": "ip"}, {"name": "IP", "type": "cidr"},
                {"name": "9lives", "type": "string", "description": "bad\u{7}bell"}]},
            {"name": "blockip2"}
        ]
    }))
    .expect("parses");
    let err = m.validate().expect_err("invalid");
    let expect = [
        ("protocolVersion", "version 2 is not supported; send 1"),
        ("name", "must not be empty"),
        ("vendor", "contains '/'"),
        ("callbackBaseUrl", "has a query or fragment"),
        ("actions[0].name", "'block-ip' is not a name"),
        ("actions[0].description", "the limit is 1024"),
        (
            "actions[1].parameters[1].name",
            "'IP' is declared twice (also parameters[0])",
        ),
        ("actions[1].parameters[2].name", "'9lives' is not a name"),
        ("actions[1].parameters[2].description", "control characters"),
        (
            "actions[2].name",
            "'blockip2' is declared twice (also actions[1])",
        ),
    ];
    for (path, needle) in expect {
        assert!(err.mentions(path, needle), "{path}: {needle}\n{err}");
    }
    assert_eq!(err.problems.len(), expect.len(), "{err}");
}

#[test]
fn callback_base_urls_must_be_plain_absolute_http_urls() {
    let cases = [
        ("fw.example/secgraph", "not an absolute URL"),
        ("ftp://fw.example", "scheme 'ftp' is not allowed"),
        ("https://user:pw@fw.example", "must not carry credentials"),
        ("https://fw.example/#frag", "has a query or fragment"),
        ("unix:/run/provider.sock", "scheme 'unix'"),
    ];
    for (url, needle) in cases {
        let mut m = firewall();
        m.callback_base_url = url.to_string();
        let err = m.validate().expect_err(url);
        assert!(err.mentions("callbackBaseUrl", needle), "{url}: {err}");
    }
    let mut m = firewall();
    m.callback_base_url = "http://127.0.0.1:8081".into();
    assert_eq!(m.validate(), Ok(()));
}

#[test]
fn names_are_limited_and_free_of_header_separators() {
    let cases = [
        ("n".repeat(129), "the limit is 128"),
        ("Edge \"Firewall\"".to_string(), "contains '/'"),
        (" Edge".to_string(), "must not start or end with spaces"),
        ("Edge\tFirewall".to_string(), "control characters"),
    ];
    for (name, needle) in cases {
        let mut m = firewall();
        m.name = name.clone();
        let err = m.validate().expect_err(&name);
        assert!(err.mentions("name", needle), "{name:?}: {err}");
    }
}

#[test]
fn action_and_parameter_counts_are_limited() {
    let mut m = firewall();
    let spec = m.actions[4].clone();
    m.actions = (0..65)
        .map(|i| {
            let mut a = spec.clone();
            a.name = format!("action{i}");
            a
        })
        .collect();
    assert!(m
        .validate()
        .expect_err("65")
        .mentions("actions", "the limit is 64"));

    let mut m = firewall();
    let p = m.actions[0].parameters[0].clone();
    m.actions[0].parameters = (0..33)
        .map(|i| {
            let mut q = p.clone();
            q.name = format!("p{i}");
            q
        })
        .collect();
    let err = m.validate().expect_err("33");
    assert!(
        err.mentions("actions[0].parameters", "the limit is 32"),
        "{err}"
    );
}

#[test]
fn actions_and_parameters_resolve_case_insensitively_to_canonical_names() {
    let m = firewall();
    let r = m
        .resolve_action(
            "BlockIp",
            &[
                KeyValuePair::new("PERMANENT", "TRUE"),
                KeyValuePair::new("IP", " ::ffff:1.2.3.4 "),
            ],
        )
        .expect("resolves");
    assert_eq!(r.name, "blockIp");
    assert_eq!(
        r.parameters,
        [
            KeyValuePair::new("ip", "1.2.3.4"),
            KeyValuePair::new("permanent", "true")
        ]
    );
    let r = m
        .resolve_action(
            "QUARANTINEFILE",
            &[KeyValuePair::new("Sha256", "AB".repeat(32))],
        )
        .expect("resolves");
    assert_eq!(
        r.parameters[0].value.as_deref(),
        Some("ab".repeat(32).as_str())
    );
    let r = m.resolve_action("flushcache", &[]).expect("no parameters");
    assert_eq!((r.name.as_str(), r.parameters.len()), ("flushCache", 0));
}

#[test]
fn an_action_not_offered_is_refused_naming_the_offered_ones() {
    let err = firewall()
        .resolve_action("blockUrl", &[])
        .expect_err("not offered");
    assert!(
        err.mentions(
            "name",
            "does not offer action 'blockUrl'; it offers: blockIp, unblockIp, isolateDevice, quarantineFile, flushCache"
        ),
        "{err}"
    );
    let mut none = firewall();
    none.actions.clear();
    let err = none.resolve_action("blockIp", &[]).expect_err("none");
    assert!(err.mentions("name", "offers no security actions"), "{err}");
}

#[test]
fn parameter_problems_name_the_parameter_and_what_to_send() {
    let m = firewall();
    let cases: Vec<(&str, Vec<KeyValuePair>, &str, &str)> = vec![
        (
            "blockIp",
            vec![],
            "parameters",
            "requires parameter 'ip' (type ip)",
        ),
        (
            "blockIp",
            vec![KeyValuePair {
                name: "ip".into(),
                value: None,
            }],
            "parameters",
            "requires parameter 'ip'",
        ),
        (
            "blockIp",
            vec![
                KeyValuePair::new("ip", "1.2.3.4"),
                KeyValuePair::new("url", "x"),
            ],
            "parameters[1]",
            "has no parameter 'url'; its parameters are: ip, durationMinutes, permanent",
        ),
        (
            "flushCache",
            vec![KeyValuePair::new("force", "true")],
            "parameters[0]",
            "takes no parameters; remove 'force'",
        ),
        (
            "blockIp",
            vec![
                KeyValuePair::new("ip", "1.2.3.4"),
                KeyValuePair::new("Ip", "5.6.7.8"),
            ],
            "parameters[1]",
            "'ip' is given twice",
        ),
        (
            "blockIp",
            vec![
                KeyValuePair::new("ip", "1.2.3.4"),
                KeyValuePair::new("durationminutes", "ten"),
            ],
            "parameters[1]",
            "parameter 'durationMinutes' (type integer): 'ten' is not an integer",
        ),
        (
            "isolateDevice",
            vec![KeyValuePair::new("deviceid", "has space")],
            "parameters[0]",
            "not a device id",
        ),
    ];
    for (action, params, path, needle) in cases {
        let err = m.resolve_action(action, &params).expect_err(needle);
        assert!(err.mentions(path, needle), "{needle}\n{err}");
    }
}

#[test]
fn an_invalid_required_value_is_reported_once_not_also_as_missing() {
    let err = firewall()
        .resolve_action("unblockIp", &[KeyValuePair::new("ip", "999.1.1.1")])
        .expect_err("bad ip");
    assert_eq!(err.problems.len(), 1, "{err}");
    assert!(
        err.mentions("parameters[0]", "parameter 'ip' (type ip)"),
        "{err}"
    );
}

#[test]
fn a_parameter_repeated_after_an_invalid_value_is_still_a_duplicate() {
    let err = firewall()
        .resolve_action(
            "unblockIp",
            &[
                KeyValuePair::new("ip", "not-an-ip"),
                KeyValuePair::new("IP", "1.2.3.4"),
            ],
        )
        .expect_err("duplicate");
    assert!(err.mentions("parameters[0]", "(type ip)"), "{err}");
    assert!(
        err.mentions("parameters[1]", "'ip' is given twice"),
        "{err}"
    );
}
