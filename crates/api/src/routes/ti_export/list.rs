//! The entries of an export and how they are written.
//!
//! An entry is one (value, action): every live indicator naming the value with that action is
//! merged into it (ids joined, the latest expiry, the highest confidence, every threat type).
//! Values are the observables' normal forms ([`model::indicator::Observable`]): addresses plain,
//! blocks as `address/prefix` with host bits cleared (a block of one address — `/32`, `/128` — is
//! that address), hashes as the digest alone. Entries are sorted by value (addresses numerically,
//! IPv4 before IPv6, a block before the addresses it starts with), then by action, so the same
//! indicators always give the same bytes (and so the same `ETag`).

use super::{ExportAction, ExportType};
use model::datetime;
use model::indicator::{ObservableValue, TiAction, TiIndicator, TiIndicatorBody};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use time::OffsetDateTime;

/// One (value, action) of an export, merged over the indicators that name it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Entry {
    /// The value as written.
    pub value: String,
    /// The CSV `type`: `ip`, `cidr`, `domain`, `url`, `email`, or the hash type (`sha256`, …).
    pub type_name: &'static str,
    /// The action.
    pub action: ExportAction,
    /// The indicators naming the value with this action.
    pub ids: BTreeSet<String>,
    /// The latest of their expiry times.
    pub expiry: OffsetDateTime,
    /// Their threat types.
    pub threat_types: BTreeSet<&'static str>,
    /// The highest of their confidences, when any has one.
    pub confidence: Option<i32>,
}

/// The order of values: addresses by number, other values by text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum SortKey {
    Addr { v6: bool, bits: u128, prefix: u8 },
    Text(String),
}

/// The action an indicator is exported under: `passiveOnly` never blocks; no action is `alert`.
pub(super) fn action_of(body: &TiIndicatorBody) -> ExportAction {
    match (body.action, body.passive_only) {
        (Some(TiAction::Allow), _) => ExportAction::Allow,
        (Some(TiAction::Block), false) => ExportAction::Block,
        _ => ExportAction::Alert,
    }
}

/// The value of an observable if it is of `kind`: its sort key, text and CSV type.
fn value_of(value: &ObservableValue, kind: ExportType) -> Option<(SortKey, String, &'static str)> {
    let text = |s: &str| SortKey::Text(s.to_owned());
    match (kind, value) {
        (ExportType::Ip, ObservableValue::Ip(ip)) => {
            Some((addr_key(*ip, None), ip.to_string(), "ip"))
        }
        (ExportType::Ip, ObservableValue::Cidr(ip, prefix)) => {
            let full = if ip.is_ipv4() { 32 } else { 128 };
            if *prefix >= full {
                return Some((addr_key(*ip, None), ip.to_string(), "ip"));
            }
            Some((
                addr_key(*ip, Some(*prefix)),
                format!("{ip}/{prefix}"),
                "cidr",
            ))
        }
        (ExportType::Domain, ObservableValue::Domain(s)) => Some((text(s), s.clone(), "domain")),
        (ExportType::Url, ObservableValue::Url(s)) => Some((text(s), s.clone(), "url")),
        (ExportType::Email, ObservableValue::Email(s)) => Some((text(s), s.clone(), "email")),
        (ExportType::Hash, ObservableValue::Hash(t, s)) => Some((text(s), s.clone(), t.as_str())),
        _ => None,
    }
}

fn addr_key(ip: IpAddr, prefix: Option<u8>) -> SortKey {
    match ip {
        IpAddr::V4(v4) => SortKey::Addr {
            v6: false,
            bits: u128::from(u32::from(v4)),
            prefix: prefix.unwrap_or(32),
        },
        IpAddr::V6(v6) => SortKey::Addr {
            v6: true,
            bits: u128::from(v6),
            prefix: prefix.unwrap_or(128),
        },
    }
}

/// The entries of `kind` (and `action`, when given) of the live indicators, sorted.
pub(super) fn entries(
    live: &[(TiIndicator, Value)],
    kind: ExportType,
    action: Option<ExportAction>,
) -> Vec<Entry> {
    let mut merged: BTreeMap<(SortKey, ExportAction), Entry> = BTreeMap::new();
    for (indicator, _) in live {
        let body = &indicator.body;
        let act = action_of(body);
        if action.is_some_and(|wanted| wanted != act) {
            continue;
        }
        for observable in indicator.observables() {
            let Some((key, value, type_name)) = value_of(&observable.value, kind) else {
                continue;
            };
            let entry = merged.entry((key, act)).or_insert_with(|| Entry {
                value,
                type_name,
                action: act,
                ids: BTreeSet::new(),
                expiry: body.expiration_date_time,
                threat_types: BTreeSet::new(),
                confidence: None,
            });
            entry.ids.insert(indicator.id.0.clone());
            entry.expiry = entry.expiry.max(body.expiration_date_time);
            entry.threat_types.insert(body.threat_type.as_str());
            entry.confidence = entry.confidence.max(body.confidence);
            entry.type_name = entry.type_name.min(type_name);
        }
    }
    merged.into_values().collect()
}

/// One value a line (`\n`), each value once whatever its actions. A value holding a line break
/// or another control character (possible only in a quoted e-mail local part or an unusual hash)
/// would corrupt the list and is left out (it is in the CSV).
pub(super) fn text(entries: &[Entry]) -> String {
    let mut out = String::new();
    let mut last: Option<&str> = None;
    for e in entries {
        if last == Some(e.value.as_str()) || e.value.chars().any(char::is_control) {
            continue;
        }
        out.push_str(&e.value);
        out.push('\n');
        last = Some(&e.value);
    }
    out
}

/// The CSV header row.
pub(super) const CSV_HEADER: &str =
    "value,type,action,indicatorIds,expirationDateTime,threatType,confidence";

/// RFC 4180: a header row, CRLF line ends, fields quoted when they hold `,`, `"`, CR or LF.
pub(super) fn csv(entries: &[Entry]) -> String {
    let mut out = format!("{CSV_HEADER}\r\n");
    for e in entries {
        let ids: Vec<&str> = e.ids.iter().map(String::as_str).collect();
        let threats: Vec<&str> = e.threat_types.iter().copied().collect();
        let fields = [
            e.value.clone(),
            e.type_name.to_owned(),
            e.action.as_str().to_owned(),
            ids.join(" "),
            datetime::format(e.expiry),
            threats.join(" "),
            e.confidence.map(|c| c.to_string()).unwrap_or_default(),
        ];
        let quoted: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&quoted.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// The properties that hold each type's observables (and `emailSubject`, which STIX export also
/// reads): an indicator goes into a STIX export with only its requested type's properties left.
const PROPERTIES: &[(ExportType, &[&str])] = &[
    (
        ExportType::Ip,
        &[
            "networkIPv4",
            "networkIPv6",
            "networkDestinationIPv4",
            "networkDestinationIPv6",
            "networkSourceIPv4",
            "networkSourceIPv6",
            "emailSourceIpAddress",
            "networkCidrBlock",
            "networkDestinationCidrBlock",
            "networkSourceCidrBlock",
        ],
    ),
    (ExportType::Domain, &["domainName", "emailSourceDomain"]),
    (ExportType::Url, &["url"]),
    (ExportType::Hash, &["fileHashType", "fileHashValue"]),
    (
        ExportType::Email,
        &["emailSenderAddress", "emailRecipient", "emailSubject"],
    ),
];

/// The documents of the live indicators that have a `kind` observable (and `action`, when
/// given), each stripped of the other types' observables, in id order.
pub(super) fn stix_documents(
    live: &[(TiIndicator, Value)],
    kind: ExportType,
    action: Option<ExportAction>,
) -> Vec<Value> {
    let mut out = Vec::new();
    for (indicator, doc) in live {
        if action.is_some_and(|wanted| wanted != action_of(&indicator.body)) {
            continue;
        }
        let has_kind = indicator
            .observables()
            .iter()
            .any(|o| value_of(&o.value, kind).is_some());
        let Some(map) = doc.as_object().filter(|_| has_kind) else {
            continue;
        };
        let mut map = map.clone();
        for (_, props) in PROPERTIES.iter().filter(|(k, _)| *k != kind) {
            for p in *props {
                map.remove(*p);
            }
        }
        out.push(Value::Object(map));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(value: &str, action: ExportAction) -> Entry {
        Entry {
            value: value.into(),
            type_name: "url",
            action,
            ids: ["b".to_owned(), "a".to_owned()].into(),
            expiry: OffsetDateTime::UNIX_EPOCH,
            threat_types: ["C2", "Malware"].into(),
            confidence: None,
        }
    }

    #[test]
    fn csv_quotes_what_rfc_4180_asks() {
        let out = csv(&[entry("http://x.example/a,\"b\"", ExportAction::Block)]);
        assert_eq!(
            out,
            format!("{CSV_HEADER}\r\n\"http://x.example/a,\"\"b\"\"\",url,block,a b,1970-01-01T00:00:00.0000000Z,C2 Malware,\r\n")
        );
    }

    #[test]
    fn text_lists_a_value_once_and_never_a_line_break() {
        let entries = [
            entry("a", ExportAction::Block),
            entry("a", ExportAction::Alert),
            entry("b\nc", ExportAction::Block),
            entry("d", ExportAction::Allow),
        ];
        assert_eq!(text(&entries), "a\nd\n");
    }

    #[test]
    fn addresses_sort_numerically_v4_first() {
        let mut keys = [
            addr_key("10.0.0.10".parse().unwrap(), None),
            addr_key("2001:db8::".parse().unwrap(), Some(32)),
            addr_key("10.0.0.9".parse().unwrap(), None),
            addr_key("10.0.0.0".parse().unwrap(), Some(8)),
        ];
        keys.sort();
        assert_eq!(keys[0], addr_key("10.0.0.0".parse().unwrap(), Some(8)));
        assert_eq!(keys[1], addr_key("10.0.0.9".parse().unwrap(), None));
        assert!(matches!(keys[3], SortKey::Addr { v6: true, .. }));
    }
}
