//! The evidence of a Suricata alert, in this order:
//!
//! | evidence | from |
//! |---|---|
//! | `ipEvidence`, role `source` | `src_ip` |
//! | `ipEvidence`, role `destination` | `dest_ip` |
//! | `networkConnectionEvidence` | both addresses with `src_port`, `dest_port` and `proto` (TCP/UDP); `remediationStatus: blocked` when `alert.action` is `blocked` |
//! | `urlEvidence`, role `destination` | `http.hostname` + `http.url`: `http://{hostname}[:{http_port}]{url}` (port left out when 80); an `http.url` that is already absolute (proxy requests) is taken as it is |
//! | `dnsEvidence` | the queried name: `dns.rrname` (EVE v1/v2), `dns.query[].rrname` or `dns.queries[].rrname` (later versions) |
//! | `fileEvidence` | `fileinfo` and each item of `files[]`: `filename` split into `filePath`/`fileName`, `size`, and `md5`/`sha1`/`sha256` when Suricata computed them |
//!
//! Addresses that are not IP addresses and file entries with neither a name nor a hash give no
//! evidence.

use crate::evidence::{self, Endpoint};
use crate::record::Record;
use model::enums::EvidenceRole;
use model::evidence::endpoint::FileEvidence;
use model::evidence::network::{DnsEvidence, UrlEvidence};
use model::AlertEvidence;
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// Every evidence item of the alert `rec` (see the module table).
pub(super) fn evidence(rec: &Record<'_>, at: OffsetDateTime) -> Vec<AlertEvidence> {
    let mut out: Vec<AlertEvidence> = Vec::new();
    let src = rec.str("src_ip");
    let dst = rec.str("dest_ip");
    for (address, role) in [
        (src, EvidenceRole::Source),
        (dst, EvidenceRole::Destination),
    ] {
        if let Some(ip) = address.and_then(|a| evidence::ip(a, role, at)) {
            out.push(ip.into());
        }
    }
    if let (Some(src), Some(dst)) = (src, dst) {
        let source = Endpoint {
            address: src,
            port: rec.uint("src_port"),
        };
        let destination = Endpoint {
            address: dst,
            port: rec.uint("dest_port"),
        };
        let blocked = rec.str("alert.action") == Some("blocked");
        let conn = evidence::connection(&source, &destination, rec.str("proto"), blocked, at);
        out.extend(conn.map(AlertEvidence::from));
    }
    out.extend(url(rec, at).map(AlertEvidence::from));
    out.extend(dns(rec, at).map(AlertEvidence::from));
    out.extend(files(rec, at).into_iter().map(AlertEvidence::from));
    out
}

fn url(rec: &Record<'_>, at: OffsetDateTime) -> Option<UrlEvidence> {
    let path = rec.str("http.url")?;
    let lower = path.to_ascii_lowercase();
    let url = if lower.starts_with("http://") || lower.starts_with("https://") {
        path.to_string()
    } else {
        let host = rec.str("http.hostname")?;
        let host = if host.contains(':') && !host.starts_with('[') {
            format!("[{host}]")
        } else {
            host.to_string()
        };
        let port = match rec.uint("http.http_port") {
            Some(80) | None => String::new(),
            Some(p) => format!(":{p}"),
        };
        let slash = if path.starts_with('/') { "" } else { "/" };
        format!("http://{host}{port}{slash}{path}")
    };
    Some(UrlEvidence {
        base: evidence::base(at, &[EvidenceRole::Destination]),
        url: Some(url),
        ..UrlEvidence::default()
    })
}

fn dns(rec: &Record<'_>, at: OffsetDateTime) -> Option<DnsEvidence> {
    let first_rrname = |path: &str| -> Option<String> {
        let items = rec.get(path)?.as_array()?;
        items.iter().find_map(|q| {
            let name = q.get("rrname")?.as_str()?.trim();
            (!name.is_empty()).then(|| name.to_string())
        })
    };
    let name = rec
        .str("dns.rrname")
        .map(str::to_string)
        .or_else(|| first_rrname("dns.query"))
        .or_else(|| first_rrname("dns.queries"))?;
    Some(DnsEvidence {
        base: evidence::base(at, &[]),
        domain_name: Some(name),
        ..DnsEvidence::default()
    })
}

fn files(rec: &Record<'_>, at: OffsetDateTime) -> Vec<FileEvidence> {
    let single = rec.get("fileinfo").and_then(Value::as_object);
    let listed = rec
        .get("files")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object);
    single
        .into_iter()
        .chain(listed)
        .filter_map(|f| file(f, at))
        .collect()
}

fn file(info: &Map<String, Value>, at: OffsetDateTime) -> Option<FileEvidence> {
    let rec = Record::new(info, "");
    let hash = |name: &str| evidence::hash(rec.str(name));
    let (md5, sha1, sha256) = (hash("md5"), hash("sha1"), hash("sha256"));
    let name = rec.str("filename");
    if name.is_none() && md5.is_none() && sha1.is_none() && sha256.is_none() {
        return None;
    }
    let mut details = name.map(evidence::file_details).unwrap_or_default();
    details.file_size = rec.uint("size").and_then(|s| i64::try_from(s).ok());
    details.md5 = md5;
    details.sha1 = sha1;
    details.sha256 = sha256;
    Some(FileEvidence {
        base: evidence::base(at, &[]),
        file_details: Some(details),
        ..FileEvidence::default()
    })
}
