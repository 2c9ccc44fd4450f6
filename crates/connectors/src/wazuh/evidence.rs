//! The evidence of a Wazuh alert, in this order:
//!
//! | evidence | from |
//! |---|---|
//! | `deviceEvidence` | the agent: `agent.name` → `hostName`, `agent.ip` → `lastIpAddress` |
//! | `ipEvidence`, role `source` / `destination` | `data.srcip` / `data.dstip` (decoded log fields), else `data.src_ip` / `data.dest_ip` (the EVE record Wazuh's Suricata integration copies into `data`) |
//! | `networkConnectionEvidence` | both addresses, with `data.srcport`/`data.src_port`, `data.dstport`/`data.dest_port` (strings in Wazuh) and `data.protocol`/`data.proto` |
//! | `userEvidence`, role `source` / `destination` | `data.srcuser` / `data.dstuser`: `DOMAIN\name` is split into domain and account; the PAM decoder's ` (uid=0)` suffix (`root(uid=0)`) is dropped |
//! | `fileEvidence` | `syscheck.path` with `size_after` and `md5_after`/`sha1_after`/`sha256_after`; role `created` for `syscheck.event: added`, `edited` for `modified` |
//! | `registryKeyEvidence` / `registryValueEvidence` | a `syscheck.path` that starts with `HKEY_` (Windows registry monitoring): hive and key, with `value_name`/`value_type` when present |

use crate::evidence::{self, Endpoint};
use crate::record::Record;
use model::enums::EvidenceRole;
use model::evidence::details::UserAccount;
use model::evidence::endpoint::{
    DeviceEvidence, FileEvidence, RegistryKeyEvidence, RegistryValueEvidence,
};
use model::evidence::identity::UserEvidence;
use model::AlertEvidence;
use time::OffsetDateTime;

/// Every evidence item of the alert `rec` (see the module table).
pub(super) fn evidence(rec: &Record<'_>, at: OffsetDateTime) -> Vec<AlertEvidence> {
    let mut out: Vec<AlertEvidence> = Vec::new();
    out.extend(device(rec, at).map(AlertEvidence::from));
    network(rec, at, &mut out);
    for (path, role) in [
        ("data.srcuser", EvidenceRole::Source),
        ("data.dstuser", EvidenceRole::Destination),
    ] {
        out.extend(
            rec.str(path)
                .and_then(|u| user(u, role, at))
                .map(AlertEvidence::from),
        );
    }
    out.extend(syscheck(rec, at));
    out
}

fn device(rec: &Record<'_>, at: OffsetDateTime) -> Option<DeviceEvidence> {
    let name = rec.str("agent.name");
    let ip = rec.str("agent.ip").and_then(evidence::canonical_ip);
    if name.is_none() && ip.is_none() {
        return None;
    }
    Some(DeviceEvidence {
        base: evidence::base(at, &[]),
        host_name: name.map(str::to_string),
        last_ip_address: ip,
        ..DeviceEvidence::default()
    })
}

/// The first of `paths` that holds a non-blank string.
fn first<'a>(rec: &Record<'a>, paths: &[&str]) -> Option<&'a str> {
    paths.iter().find_map(|p| rec.str(p))
}

fn network(rec: &Record<'_>, at: OffsetDateTime, out: &mut Vec<AlertEvidence>) {
    let src = first(rec, &["data.srcip", "data.src_ip"]);
    let dst = first(rec, &["data.dstip", "data.dest_ip"]);
    for (address, role) in [
        (src, EvidenceRole::Source),
        (dst, EvidenceRole::Destination),
    ] {
        out.extend(
            address
                .and_then(|a| evidence::ip(a, role, at))
                .map(AlertEvidence::from),
        );
    }
    let (Some(src), Some(dst)) = (src, dst) else {
        return;
    };
    let port = |paths: [&str; 2]| paths.iter().find_map(|p| rec.uint(p));
    let source = Endpoint {
        address: src,
        port: port(["data.srcport", "data.src_port"]),
    };
    let destination = Endpoint {
        address: dst,
        port: port(["data.dstport", "data.dest_port"]),
    };
    let protocol = first(rec, &["data.protocol", "data.proto"]);
    let conn = evidence::connection(&source, &destination, protocol, false, at);
    out.extend(conn.map(AlertEvidence::from));
}

/// A user named as Wazuh decoders write it (see the module table).
fn user(raw: &str, role: EvidenceRole, at: OffsetDateTime) -> Option<UserEvidence> {
    let name = strip_uid_suffix(raw.trim());
    let (domain, account) = match name.split_once('\\') {
        Some((d, a)) if !d.is_empty() => (Some(d), a),
        _ => (None, name),
    };
    if account.is_empty() {
        return None;
    }
    Some(UserEvidence {
        base: evidence::base(at, &[role]),
        user_account: Some(UserAccount {
            account_name: Some(account.to_string()),
            domain_name: domain.map(str::to_string),
            ..UserAccount::default()
        }),
        ..UserEvidence::default()
    })
}

/// `root(uid=0)` → `root`; anything else unchanged.
fn strip_uid_suffix(name: &str) -> &str {
    if let Some(open) = name.rfind("(uid=") {
        let digits = &name[open + 5..];
        if let Some(num) = digits.strip_suffix(')') {
            if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) {
                return name[..open].trim_end();
            }
        }
    }
    name
}

fn syscheck(rec: &Record<'_>, at: OffsetDateTime) -> Option<AlertEvidence> {
    let path = rec.str("syscheck.path")?;
    if path
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("HKEY_"))
    {
        return Some(registry(rec, path, at));
    }
    let role = match rec.str("syscheck.event") {
        Some("added") => vec![EvidenceRole::Created],
        Some("modified") => vec![EvidenceRole::Edited],
        _ => Vec::new(),
    };
    let mut details = evidence::file_details(path);
    details.file_size = rec
        .uint("syscheck.size_after")
        .and_then(|s| i64::try_from(s).ok());
    details.md5 = evidence::hash(rec.str("syscheck.md5_after"));
    details.sha1 = evidence::hash(rec.str("syscheck.sha1_after"));
    details.sha256 = evidence::hash(rec.str("syscheck.sha256_after"));
    Some(
        FileEvidence {
            base: evidence::base(at, &role),
            file_details: Some(details),
            ..FileEvidence::default()
        }
        .into(),
    )
}

fn registry(rec: &Record<'_>, path: &str, at: OffsetDateTime) -> AlertEvidence {
    let (hive, key) = match path.split_once('\\') {
        Some((h, k)) => (h, Some(k)),
        None => (path, None),
    };
    let base = evidence::base(at, &[]);
    match rec.str("syscheck.value_name") {
        Some(value_name) => RegistryValueEvidence {
            base,
            registry_hive: Some(hive.to_string()),
            registry_key: key.map(str::to_string),
            registry_value_name: Some(value_name.to_string()),
            registry_value_type: rec.str("syscheck.value_type").map(str::to_string),
            ..RegistryValueEvidence::default()
        }
        .into(),
        None => RegistryKeyEvidence {
            base,
            registry_hive: Some(hive.to_string()),
            registry_key: key.map(str::to_string),
            ..RegistryKeyEvidence::default()
        }
        .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pam_uid_suffix_and_windows_domain_are_split_off() {
        assert_eq!(strip_uid_suffix("root(uid=0)"), "root");
        assert_eq!(strip_uid_suffix("bob (uid=1000)"), "bob");
        assert_eq!(strip_uid_suffix("weird(uid=x)"), "weird(uid=x)");
        let at = time::OffsetDateTime::UNIX_EPOCH;
        let u = user(r"CONTOSO\alice", EvidenceRole::Source, at).unwrap();
        let account = u.user_account.unwrap();
        assert_eq!(account.domain_name.as_deref(), Some("CONTOSO"));
        assert_eq!(account.account_name.as_deref(), Some("alice"));
        assert!(user("(uid=0)", EvidenceRole::Source, at).is_none());
    }
}
