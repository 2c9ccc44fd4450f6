//! From collected [`Fields`] to matchable [`Values`]: the role each field plays (see the table in
//! the [module docs](super)), DNS answers by record type, URLs joined from host and path, hashes
//! by algorithm.

use super::fields::{Entry, Field, Fields, Leaf};
use super::values::Values;
use super::ObservationRole as Role;
use crate::indicator::{parse_ip, FileHashType};

/// Collects every matchable value of the event.
pub(crate) fn matchables(f: &Fields<'_>, v: &mut Values) {
    for e in &f.entries {
        network(e, v);
    }
    for e in &f.entries {
        answers(f, e, v);
    }
    urls(f, v);
    for e in &f.entries {
        hashes(f, e, v);
        emails(e, v);
    }
    for e in f.all(Field::RelatedIp) {
        v.related_ip(&e.leaf);
    }
    for e in f.all(Field::RelatedHash) {
        v.untyped_hash(&e.leaf);
    }
}

/// Addresses and host names.
fn network(e: &Entry<'_>, v: &mut Values) {
    match e.field {
        Field::SourceIp => v.ip(Role::SourceIp, &e.leaf),
        // A source given by name is not matched (indicators name what is contacted).
        Field::SourceAddress if e.leaf.as_str().is_some_and(|s| parse_ip(s).is_ok()) => {
            v.ip(Role::SourceIp, &e.leaf)
        }
        Field::DestinationIp | Field::DnsResolvedIp => v.ip(Role::DestinationIp, &e.leaf),
        Field::HostIp => v.ip(Role::HostIp, &e.leaf),
        Field::DestinationAddress
        | Field::DestinationDomain
        | Field::HttpHost
        | Field::TlsServerName
        | Field::UrlDomain
        | Field::DnsQuestion => v.host(&e.leaf),
        Field::DnsCname => v.domain(&e.leaf),
        _ => {}
    }
}

/// DNS answers: A/AAAA data are addresses, CNAME/DNAME/NS/PTR/MX data are names; an answer
/// without a type is taken when its data is an address.
fn answers(f: &Fields<'_>, e: &Entry<'_>, v: &mut Values) {
    let rrtype = match e.field {
        Field::DnsAnswerData if e.group != 0 => f.sibling(Field::DnsAnswerType, e.group),
        Field::DnsAnswerData => None,
        Field::DnsRdata => f.first(Field::DnsRrtype),
        _ => return,
    };
    match rrtype
        .and_then(Leaf::as_str)
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        Some("A" | "AAAA") => v.ip(Role::DestinationIp, &e.leaf),
        Some("CNAME" | "DNAME" | "NS" | "PTR" | "MX") => v.domain(&e.leaf),
        Some(_) => {}
        None => {
            if e.leaf.as_str().is_some_and(|s| parse_ip(s).is_ok()) {
                v.ip(Role::DestinationIp, &e.leaf);
            }
        }
    }
}

/// URLs: absolute ones as they are; otherwise one joined from a host and a path.
fn urls(f: &Fields<'_>, v: &mut Values) {
    let mut absolute = false;
    for e in &f.entries {
        let s = match (e.field, e.leaf.as_str()) {
            (Field::UrlFull, Some(s)) => s,
            (Field::UrlOriginal | Field::HttpUrl, Some(s)) if s.contains("://") => s,
            (Field::UrlFull, None) => {
                v.skip("url", format!("'{}' is not a string", e.leaf.text()));
                continue;
            }
            _ => continue,
        };
        absolute = true;
        v.url(s);
    }
    if !absolute {
        if let Some(url) = joined_url(f) {
            v.url(&url);
        }
    }
}

/// `scheme://host[:port]path[?query]` from the parts an event gives (Suricata `http.hostname`
/// and `http.url`; ECS `url.domain` and `url.original` or `url.path`); the destination address
/// stands in for a missing host.
fn joined_url(f: &Fields<'_>) -> Option<String> {
    let (path, query) = match f.str(Field::HttpUrl).or_else(|| f.str(Field::UrlOriginal)) {
        Some(p) => (p, None),
        None => (f.str(Field::UrlPath)?, f.str(Field::UrlQuery)),
    };
    let (host, port) = match f.str(Field::HttpHost).or_else(|| f.str(Field::UrlDomain)) {
        Some(h) => (h, f.first_of(&[Field::HttpPort, Field::UrlPort])),
        None => (
            f.str(Field::DestinationIp)?,
            f.first(Field::DestinationPort),
        ),
    };
    let scheme = f.str(Field::UrlScheme).unwrap_or("http");
    let host = host.trim();
    let mut url = String::with_capacity(scheme.len() + host.len() + path.len() + 16);
    url.push_str(scheme);
    url.push_str("://");
    if host.contains(':') && !host.starts_with('[') {
        url.push('[');
        url.push_str(host);
        url.push(']');
    } else {
        url.push_str(host);
    }
    if let Some(port) = port.and_then(|p| p.text().trim().parse::<u16>().ok()) {
        url.push(':');
        url.push_str(&port.to_string());
    }
    if !path.starts_with('/') {
        url.push('/');
    }
    url.push_str(path);
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        url.push('?');
        url.push_str(q.trim_start_matches('?'));
    }
    Some(url)
}

/// File hashes of a known algorithm.
fn hashes(f: &Fields<'_>, e: &Entry<'_>, v: &mut Values) {
    let ty = match e.field {
        Field::Md5 => FileHashType::Md5,
        Field::Sha1 => FileHashType::Sha1,
        Field::Sha256 => FileHashType::Sha256,
        Field::Ssdeep => FileHashType::Ctph,
        Field::HashValue => match f.sibling(Field::HashAlgorithm, e.group).map(ocsf_algorithm) {
            Some(Algorithm::Known(ty)) => ty,
            Some(Algorithm::Unrepresentable) => return,
            Some(Algorithm::Unknown) | None => return v.untyped_hash(&e.leaf),
        },
        _ => return,
    };
    v.hash(ty, &e.leaf);
}

/// What an OCSF fingerprint's `algorithm_id` or `algorithm` says.
enum Algorithm {
    Known(FileHashType),
    /// SHA-512, TLSH, quickXorHash, …: no `fileHashType` member, so no indicator can name it.
    Unrepresentable,
    /// 0 (Unknown), 99 (Other) or an unrecognised name: guessed from the length.
    Unknown,
}

fn ocsf_algorithm(leaf: &Leaf<'_>) -> Algorithm {
    let known = match leaf {
        Leaf::Int(n) => match n {
            1 => Some(FileHashType::Md5),
            2 => Some(FileHashType::Sha1),
            3 => Some(FileHashType::Sha256),
            5 => Some(FileHashType::Ctph),
            0 | 99 => return Algorithm::Unknown,
            _ => None,
        },
        Leaf::UInt(_) => None,
        Leaf::Str(s) => match s.trim().to_ascii_lowercase().replace('-', "").as_str() {
            "md5" => Some(FileHashType::Md5),
            "sha1" => Some(FileHashType::Sha1),
            "sha256" => Some(FileHashType::Sha256),
            "ctph" | "ssdeep" => Some(FileHashType::Ctph),
            "" | "unknown" | "other" => return Algorithm::Unknown,
            _ => None,
        },
        _ => return Algorithm::Unknown,
    };
    known.map_or(Algorithm::Unrepresentable, Algorithm::Known)
}

/// E-mail senders and recipients.
fn emails(e: &Entry<'_>, v: &mut Values) {
    match e.field {
        Field::EmailFrom => v.email(Role::EmailSender, &e.leaf),
        Field::EmailTo => v.email(Role::EmailRecipient, &e.leaf),
        _ => {}
    }
}
