//! `docs/provider-protocol.md` stays true: every JSON example marked `<!-- example: Type -->` parses
//! as that envelope and validates, and the signing walk-through shows what the crate computes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use provider_protocol::signing::{canonical_string, sign};
use provider_protocol::*;
use serde::de::DeserializeOwned;

fn doc() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/provider-protocol.md"
    );
    std::fs::read_to_string(path).expect("docs/provider-protocol.md is readable")
}

/// `(type, json)` for every marked example, in order.
fn examples(doc: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = doc;
    while let Some(at) = rest.find("<!-- example: ") {
        rest = &rest[at + "<!-- example: ".len()..];
        let (ty, after) = rest.split_once(" -->").expect("closed marker");
        let after = after.trim_start();
        let body = after
            .strip_prefix("```json\n")
            .expect("a json block follows the marker");
        let (json, _) = body.split_once("\n```").expect("closed block");
        out.push((ty.to_string(), json.to_string()));
        rest = after;
    }
    out
}

fn check<T: DeserializeOwned>(json: &str, validate: impl Fn(&T) -> Result<(), Invalid>) {
    let value: T = from_json(json.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{json}"));
    validate(&value).unwrap_or_else(|e| panic!("{e}\n{json}"));
}

#[test]
fn every_marked_example_parses_and_validates() {
    let doc = doc();
    let found = examples(&doc);
    let mut types: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
    types.sort_unstable();
    assert_eq!(
        types,
        [
            "ActionCancellation",
            "ActionInvocation",
            "ActionStatusUpdate",
            "AlertBatch",
            "AlertUpdate",
            "CallbackAnswer",
            "ControlStateReport",
            "FederatedAnswer",
            "ProviderManifest",
            "PullPage",
            "PushResponse",
        ]
    );
    for (ty, json) in &found {
        match ty.as_str() {
            "ProviderManifest" => check(json, ProviderManifest::validate),
            "AlertBatch" => check(json, AlertBatch::validate),
            "PushResponse" => check(json, |_: &PushResponse| Ok(())),
            "PullPage" => check(json, PullPage::validate),
            "AlertUpdate" => check(json, AlertUpdate::validate),
            "CallbackAnswer" => check(json, CallbackAnswer::validate),
            "ActionInvocation" => check(json, ActionInvocation::validate),
            "ActionCancellation" => check(json, ActionCancellation::validate),
            "ActionStatusUpdate" => check(json, ActionStatusUpdate::validate),
            "FederatedAnswer" => check(json, FederatedAnswer::validate),
            "ControlStateReport" => check(json, ControlStateReport::validate),
            other => panic!("no check for example type {other}"),
        }
    }
}

#[test]
fn the_pushed_example_alerts_convert() {
    let doc = doc();
    let (_, json) = examples(&doc)
        .into_iter()
        .find(|(t, _)| t == "AlertBatch")
        .expect("a batch example");
    let batch: AlertBatch = from_json(json.as_bytes()).unwrap();
    let manifest_json = examples(&doc)
        .into_iter()
        .find(|(t, _)| t == "ProviderManifest")
        .expect("a manifest example")
        .1;
    let manifest: ProviderManifest = from_json(manifest_json.as_bytes()).unwrap();
    let tenant = model::TenantId("8c1e3c1a-0d4e-4a8e-9a52-3a5c1f2b7d10".into());
    for a in batch.alerts {
        a.into_stored(&tenant, &manifest.vendor_information())
            .expect("the example alert fits");
    }
    let r = manifest
        .resolve_action("BlockIp", &[KeyValuePair::new("IP", "1.2.3.4")])
        .unwrap();
    assert_eq!(
        (r.name.as_str(), r.parameters[0].name.as_str()),
        ("blockIp", "ip")
    );
}

#[test]
fn the_signing_walk_through_shows_what_the_crate_computes() {
    let doc = doc();
    let body = r#"{"protocolVersion":1,"actionId":"act-1","tenantId":"8c1e3c1a-0d4e-4a8e-9a52-3a5c1f2b7d10"}"#;
    let target = "/secgraph/actions/act-1/cancel";
    let key = SigningKey::new("sgps_3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e").unwrap();
    let canonical = canonical_string("POST", target, 1_740_823_500, body.as_bytes());
    let headers = sign(&key, "POST", target, 1_740_823_500, body.as_bytes());
    assert!(doc.contains(&format!("```text\n{body}\n```")), "the body");
    assert!(doc.contains(&format!("({} bytes, no trailing newline)", body.len())));
    assert!(
        doc.contains(&format!("```text\n{canonical}\n```")),
        "the canonical string"
    );
    assert!(doc.contains(&format!("`X-Secgraph-Signature: {}`", headers.signature)));
    assert!(doc.contains(&format!("`X-Secgraph-Timestamp: {}`", headers.timestamp)));
}
