//! The values in an alert's evidence that threat indicators can match: addresses, domains, URLs,
//! file hashes and e-mail addresses, found by property name at any depth of the evidence (so every
//! evidence subtype, and nested values such as a network connection's `sourceAddress.ipAddress`,
//! are covered without a list per subtype). Values are normalised like indicator values;
//! values that do not parse are skipped.
//!
//! | property | kind |
//! |---|---|
//! | `ipAddress`, `senderIp`, `lastIpAddress`, `lastExternalIpAddress`, `hostIpAddress`, `clientIpAddress` | address |
//! | `domainName`, `senderDomain` | domain |
//! | `url`, `urls` (each) | URL |
//! | `md5`, `sha1`, `sha256` | file hash |
//! | `primaryAddress`, `emailAddress`, `recipientEmailAddress`, `senderFromAddress`, `senderMailFromAddress` | e-mail address |

use crate::evidence::AlertEvidence;
use crate::indicator::normalization::{
    normalize_domain, normalize_email, normalize_hash, normalize_url, parse_ip,
};
use crate::indicator::{FileHashType, ObservableValue};
use serde_json::Value;

/// What a property holds.
#[derive(Clone, Copy)]
enum Holds {
    Ip,
    Domain,
    Url,
    Hash(FileHashType),
    Email,
}

fn holds(property: &str) -> Option<Holds> {
    Some(match property {
        "ipAddress"
        | "senderIp"
        | "lastIpAddress"
        | "lastExternalIpAddress"
        | "hostIpAddress"
        | "clientIpAddress" => Holds::Ip,
        "domainName" | "senderDomain" => Holds::Domain,
        "url" | "urls" => Holds::Url,
        "md5" => Holds::Hash(FileHashType::Md5),
        "sha1" => Holds::Hash(FileHashType::Sha1),
        "sha256" => Holds::Hash(FileHashType::Sha256),
        "primaryAddress"
        | "emailAddress"
        | "recipientEmailAddress"
        | "senderFromAddress"
        | "senderMailFromAddress" => Holds::Email,
        _ => return None,
    })
}

/// Every matchable value of `evidence`, each once, in the order found.
pub fn evidence_observables(evidence: &[AlertEvidence]) -> Vec<ObservableValue> {
    let mut out = Vec::new();
    for item in evidence {
        if let Ok(json) = serde_json::to_value(item) {
            walk(&json, &mut out, 0);
        }
    }
    out
}

/// Deepest nesting followed (evidence is shallow; this only bounds pathological input).
const MAX_DEPTH: usize = 16;

fn walk(value: &Value, out: &mut Vec<ObservableValue>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (holds(key), v) {
                    (Some(kind), Value::String(s)) => push(out, kind, s),
                    (Some(kind), Value::Array(items)) => {
                        for s in items.iter().filter_map(Value::as_str) {
                            push(out, kind, s);
                        }
                    }
                    _ => walk(v, out, depth + 1),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| walk(v, out, depth + 1)),
        _ => {}
    }
}

fn push(out: &mut Vec<ObservableValue>, kind: Holds, text: &str) {
    let value = match kind {
        Holds::Ip => parse_ip(text).ok().map(ObservableValue::Ip),
        Holds::Domain => normalize_domain(text).ok().map(ObservableValue::Domain),
        Holds::Url => normalize_url(text).ok().map(ObservableValue::Url),
        Holds::Hash(t) => normalize_hash(t, text)
            .ok()
            .map(|h| ObservableValue::Hash(t, h)),
        Holds::Email => normalize_email(text).ok().map(ObservableValue::Email),
    };
    if let Some(v) = value {
        if !out.contains(&v) {
            out.push(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_values_of_every_kind_at_any_depth_once() {
        let evidence: Vec<AlertEvidence> = serde_json::from_value(json!([
            {"@odata.type": "#microsoft.graph.security.ipEvidence", "ipAddress": "203.0.113.7",
             "createdDateTime": "2024-01-01T00:00:00Z", "verdict": "malicious", "remediationStatus": "none"},
            {"@odata.type": "#microsoft.graph.security.fileEvidence",
             "fileDetails": {"fileName": "x.exe", "sha256": "AB".repeat(32), "sha1": "not-a-hash"}},
            {"@odata.type": "#microsoft.graph.security.urlEvidence", "url": "HTTP://Evil.Example/a"},
            {"@odata.type": "#microsoft.graph.security.mailboxEvidence", "primaryAddress": "Bob@Contoso.com"},
            {"@odata.type": "#microsoft.graph.security.ipEvidence", "ipAddress": "203.0.113.7"}
        ]))
        .unwrap();
        let found = evidence_observables(&evidence);
        assert_eq!(
            found,
            vec![
                ObservableValue::Ip("203.0.113.7".parse().unwrap()),
                ObservableValue::Hash(FileHashType::Sha256, "ab".repeat(32)),
                ObservableValue::Url("http://evil.example/a".into()),
                ObservableValue::Email("bob@contoso.com".into()),
            ]
        );
    }
}
