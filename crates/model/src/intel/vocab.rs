//! The vocabularies STIX and Graph name differently, each written once as a table used in both
//! directions: TLP markings, threat types and kill-chain phases.
//!
//! **TLP.** The STIX 2.1 TLP 1.0 markings (`TLP:WHITE/GREEN/AMBER/RED`, exported and imported) and
//! the OASIS TLP 2.0 extension markings (`CLEAR`→white, `GREEN`, `AMBER`, `AMBER+STRICT`→amber,
//! `RED`; imported) are known by id; a `marking-definition` in the same bundle with
//! `definition_type: "tlp"` or a `TLP:…` name, and labels or tags such as `tlp:amber`, count too.
//! When several apply the most restrictive wins.
//!
//! **threatType** from STIX `indicator_types` and `labels` (any case; `-`, `_` and spaces ignored):
//!
//! | STIX term | Graph threatType |
//! |---|---|
//! | `malicious-activity`, `malware` | Malware |
//! | `anonymization`, `proxy` | Proxy |
//! | `anomalous-activity`, `compromised`, `attribution`, `benign`, `watchlist` | WatchList |
//! | `botnet`, `c2` / `command-and-control`, `crypto-mining`, `darknet`, `ddos`, `malicious-url`, `phishing`, `pua` | Botnet, C2, CryptoMining, Darknet, DDoS, MaliciousUrl, Phishing, PUA |
//!
//! The most specific match wins (a named type over Malware over WatchList); `unknown` and other
//! terms do not count, and with no match the import option's default applies. Export writes
//! `indicator_types` from the same table (Botnet, C2, CryptoMining, Darknet, DDoS, MaliciousUrl
//! and Phishing → `malicious-activity`, PUA → `anomalous-activity`) and, where that loses the
//! type, a label (`c2`, `phishing`, …), so export → import keeps `threatType`.
//!
//! **killChain** from `kill_chain_phases[].phase_name` (any kill chain name):
//! `reconnaissance`, `weaponization`, `delivery`, `exploitation`, `installation`,
//! `command-and-control` → C2, `actions-on-objectives` → Actions. Export uses
//! `lockheed-martin-cyber-kill-chain` with those phase names.

use serde_json::{json, Value};

/// (marking-definition id, Graph tlpLevel, exported?)
const TLP_MARKINGS: &[(&str, &str, bool)] = &[
    (
        "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
        "white",
        true,
    ),
    (
        "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
        "green",
        true,
    ),
    (
        "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
        "amber",
        true,
    ),
    (
        "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
        "red",
        true,
    ),
    (
        "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        "white",
        false,
    ),
    (
        "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        "green",
        false,
    ),
    (
        "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        "amber",
        false,
    ),
    (
        "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        "amber",
        false,
    ),
    (
        "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
        "red",
        false,
    ),
];

/// The Graph tlpLevel of a well-known TLP marking-definition id.
pub(crate) fn tlp_of_marking_id(id: &str) -> Option<&'static str> {
    TLP_MARKINGS
        .iter()
        .find(|(m, _, _)| *m == id)
        .map(|(_, tlp, _)| *tlp)
}

/// The Graph tlpLevel of a TLP name such as `TLP:AMBER`, `tlp:clear` or `amber+strict`.
pub(crate) fn tlp_of_name(name: &str) -> Option<&'static str> {
    let lower = name.trim().to_ascii_lowercase();
    let level = lower.strip_prefix("tlp:").unwrap_or(&lower).trim();
    match level {
        "white" | "clear" => Some("white"),
        "green" => Some("green"),
        "amber" | "amber+strict" => Some("amber"),
        "red" => Some("red"),
        _ => None,
    }
}

/// The tlpLevel of a tag or label, which must start with `tlp:`.
pub(crate) fn tlp_of_label(label: &str) -> Option<&'static str> {
    let lower = label.trim().to_ascii_lowercase();
    lower
        .starts_with("tlp:")
        .then(|| tlp_of_name(&lower))
        .flatten()
}

/// How restrictive a tlpLevel is (higher is stricter).
pub(crate) fn tlp_rank(tlp: &str) -> u8 {
    match tlp {
        "white" => 1,
        "green" => 2,
        "amber" => 3,
        "red" => 4,
        _ => 0,
    }
}

/// The stricter of two optional levels.
pub(crate) fn stricter(a: Option<&'static str>, b: Option<&'static str>) -> Option<&'static str> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if tlp_rank(y) > tlp_rank(x) { y } else { x }),
        (x, y) => x.or(y),
    }
}

/// The STIX 2.1 TLP 1.0 marking-definition object for a Graph tlpLevel (`white` … `red`).
pub(crate) fn tlp_marking(tlp: &str) -> Option<Value> {
    let (id, level, _) = TLP_MARKINGS
        .iter()
        .find(|(_, l, exported)| *exported && l.eq_ignore_ascii_case(tlp))?;
    Some(json!({
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": id,
        "created": "2017-01-20T00:00:00.000Z",
        "definition_type": "tlp",
        "name": format!("TLP:{}", level.to_ascii_uppercase()),
        "definition": { "tlp": level },
    }))
}

/// (normalised STIX term, Graph threatType). Normalised: lower case without `-`, `_`, spaces.
const THREAT_TERMS: &[(&str, &str)] = &[
    ("maliciousactivity", "Malware"),
    ("malware", "Malware"),
    ("anonymization", "Proxy"),
    ("proxy", "Proxy"),
    ("anomalousactivity", "WatchList"),
    ("compromised", "WatchList"),
    ("attribution", "WatchList"),
    ("benign", "WatchList"),
    ("watchlist", "WatchList"),
    ("botnet", "Botnet"),
    ("c2", "C2"),
    ("commandandcontrol", "C2"),
    ("cryptomining", "CryptoMining"),
    ("darknet", "Darknet"),
    ("ddos", "DDoS"),
    ("maliciousurl", "MaliciousUrl"),
    ("phishing", "Phishing"),
    ("pua", "PUA"),
];

fn normalise(term: &str) -> String {
    term.chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The Graph threatType a STIX indicator type or label names, if any.
pub(crate) fn threat_type_of_term(term: &str) -> Option<&'static str> {
    let n = normalise(term);
    THREAT_TERMS.iter().find(|(t, _)| *t == n).map(|(_, g)| *g)
}

fn specificity(threat_type: &str) -> u8 {
    match threat_type {
        "WatchList" => 1,
        "Malware" => 2,
        _ => 3,
    }
}

/// The most specific threatType named by `terms` (first wins among equals).
pub(crate) fn threat_type_of_terms<'a>(
    terms: impl Iterator<Item = &'a str>,
) -> Option<&'static str> {
    let mut best: Option<&'static str> = None;
    for t in terms.filter_map(threat_type_of_term) {
        if best.is_none_or(|b| specificity(t) > specificity(b)) {
            best = Some(t);
        }
    }
    best
}

/// The STIX `indicator_types` entry for a Graph threatType, and a label when that entry alone
/// would not bring the type back on import.
pub(crate) fn stix_terms_of_threat_type(threat_type: &str) -> (&'static str, Option<String>) {
    let canonical = threat_type_of_term(threat_type);
    let ov = match canonical {
        Some("Proxy") => "anonymization",
        Some("WatchList") | Some("PUA") => "anomalous-activity",
        Some(_) => "malicious-activity",
        None => "unknown",
    };
    let label = match canonical {
        Some("Malware" | "Proxy" | "WatchList") | None => None,
        Some(other) => Some(label_of_threat_type(other)),
    };
    (ov, label)
}

fn label_of_threat_type(threat_type: &str) -> String {
    match threat_type {
        "CryptoMining" => "crypto-mining".into(),
        "MaliciousUrl" => "malicious-url".into(),
        other => other.to_ascii_lowercase(),
    }
}

/// (STIX phase name, Graph killChain value).
const KILL_CHAIN: &[(&str, &str)] = &[
    ("reconnaissance", "Reconnaissance"),
    ("weaponization", "Weaponization"),
    ("delivery", "Delivery"),
    ("exploitation", "Exploitation"),
    ("installation", "Installation"),
    ("command-and-control", "C2"),
    ("actions-on-objectives", "Actions"),
];

/// The name of the kill chain used on export.
pub(crate) const KILL_CHAIN_NAME: &str = "lockheed-martin-cyber-kill-chain";

/// The Graph killChain value of a STIX phase name.
pub(crate) fn kill_chain_of_phase(phase: &str) -> Option<&'static str> {
    let n = normalise(phase);
    KILL_CHAIN
        .iter()
        .find(|(p, _)| normalise(p) == n)
        .map(|(_, g)| *g)
}

/// The STIX phase name of a Graph killChain value.
pub(crate) fn phase_of_kill_chain(value: &str) -> Option<&'static str> {
    KILL_CHAIN
        .iter()
        .find(|(_, g)| g.eq_ignore_ascii_case(value))
        .map(|(p, _)| *p)
}
