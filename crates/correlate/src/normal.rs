//! Normal forms of entity values: two spellings of one identifier become one string, so alerts
//! from different products meet on it.
//!
//! IP addresses, domains, URLs, e-mail addresses and hashes use the forms threat indicators use
//! ([`model::indicator::normalization`]); the rest are written here:
//!
//! | kind | value |
//! |---|---|
//! | device | `mde:<id>` and `aad:<id>` lowercase; `name:<first DNS label>` lowercase (sources disagree on whether they report the FQDN or the NetBIOS name; within one tenant the host name identifies the machine); `iot:<id>` |
//! | user | `upn:<upn>` lowercase; `sid:<SID>` uppercase; `aad:<object id>` and `adguid:<guid>` lowercase; `account:<domain>\<name>` lowercase, the domain's first label (NetBIOS and DNS spellings meet) — an account name without a domain is not an entity |
//! | fileHash | lowercase hex, exactly 32, 40 or 64 digits |
//! | cloudResource | Azure ids (starting `/`) lowercase, as Azure compares them; others trimmed |
//!
//! Every function returns `None` for a value that is empty or does not parse; a bad value never
//! fails an alert, it is just not an entity.

use crate::entity::{Entity, EntityKind};
use model::indicator::normalization::{
    normalize_domain, normalize_email, normalize_hash, normalize_url, parse_ip,
};
use model::indicator::FileHashType;

/// A trimmed, non-empty value.
fn text(raw: &str) -> Option<&str> {
    let t = raw.trim();
    (!t.is_empty()).then_some(t)
}

/// A device id with its source's prefix (`mde`, `aad`, `iot`), lowercase.
pub fn device_id(prefix: &str, raw: &str) -> Option<Entity> {
    let t = text(raw)?;
    Some(Entity::new(
        EntityKind::Device,
        format!("{prefix}:{}", t.to_lowercase()),
    ))
}

/// A device's host name: the first DNS label, lowercase, as `name:<label>`.
pub fn device_name(raw: &str) -> Option<Entity> {
    let t = text(raw)?.trim_end_matches('.');
    if parse_ip(t).is_ok() {
        return None;
    }
    let label = t.split('.').next().filter(|l| !l.is_empty())?;
    Some(Entity::new(
        EntityKind::Device,
        format!("name:{}", label.to_lowercase()),
    ))
}

/// A user principal name, lowercase.
pub fn user_upn(raw: &str) -> Option<Entity> {
    let t = text(raw)?;
    t.contains('@')
        .then(|| Entity::new(EntityKind::User, format!("upn:{}", t.to_lowercase())))
}

/// A Windows security identifier, uppercase (`S-1-5-21-...`).
pub fn user_sid(raw: &str) -> Option<Entity> {
    let t = text(raw)?;
    let upper = t.to_uppercase();
    upper
        .starts_with("S-1-")
        .then(|| Entity::new(EntityKind::User, format!("sid:{upper}")))
}

/// A directory object id with its directory's prefix (`aad`, `adguid`), lowercase.
pub fn user_object_id(prefix: &str, raw: &str) -> Option<Entity> {
    let t = text(raw)?;
    Some(Entity::new(
        EntityKind::User,
        format!("{prefix}:{}", t.to_lowercase()),
    ))
}

/// An account name qualified by its domain (`CONTOSO\alice`, `alice` in `contoso.com`), as
/// `account:contoso\alice`. `None` without a domain: a bare name such as `admin` names a
/// different account on every machine.
pub fn user_account(name: &str, domain: Option<&str>) -> Option<Entity> {
    let name = text(name)?;
    let (domain, name) = match name.split_once('\\') {
        Some((d, n)) if !d.is_empty() && !n.is_empty() => (d, n),
        _ => (text(domain?)?, name),
    };
    let domain = domain.trim_end_matches('.').split('.').next()?;
    if domain.is_empty() {
        return None;
    }
    Some(Entity::new(
        EntityKind::User,
        format!(
            "account:{}\\{}",
            domain.to_lowercase(),
            name.trim().to_lowercase()
        ),
    ))
}

/// An IP address in canonical text; IPv4-mapped IPv6 addresses become IPv4.
pub fn ip(raw: &str) -> Option<Entity> {
    let addr = parse_ip(text(raw)?).ok()?;
    Some(Entity::new(EntityKind::Ip, addr.to_string()))
}

/// A file hash whose algorithm follows from its length (MD5, SHA-1, SHA-256).
pub fn file_hash(raw: &str) -> Option<Entity> {
    let t = text(raw)?;
    let ty = match t.len() {
        32 => FileHashType::Md5,
        40 => FileHashType::Sha1,
        64 => FileHashType::Sha256,
        _ => return None,
    };
    let value = normalize_hash(ty, t).ok()?;
    Some(Entity::new(EntityKind::FileHash, value))
}

/// A URL in WHATWG normal form.
pub fn url(raw: &str) -> Option<Entity> {
    let value = normalize_url(text(raw)?).ok()?;
    Some(Entity::new(EntityKind::Url, value))
}

/// The host of a normalised URL: a domain or an IP entity.
pub fn url_host(normal_url: &str) -> Option<Entity> {
    let rest = normal_url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next()?
    } else {
        authority.split(':').next()?
    };
    ip(host).or_else(|| domain(host))
}

/// A DNS domain name: lowercase ASCII, no trailing dot.
pub fn domain(raw: &str) -> Option<Entity> {
    let value = normalize_domain(text(raw)?).ok()?;
    Some(Entity::new(EntityKind::Domain, value))
}

/// A mailbox address, lowercase.
pub fn mailbox(raw: &str) -> Option<Entity> {
    let value = normalize_email(text(raw)?).ok()?;
    Some(Entity::new(EntityKind::Mailbox, value))
}

/// A cloud resource id: Azure ids lowercase, others as sent (trimmed).
pub fn cloud_resource(raw: &str) -> Option<Entity> {
    let t = text(raw)?;
    let value = if t.starts_with('/') && !t.starts_with("//") {
        t.to_lowercase()
    } else {
        t.to_string()
    };
    Some(Entity::new(EntityKind::CloudResource, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(e: Option<Entity>) -> String {
        e.map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn spellings_of_one_identifier_meet() {
        assert_eq!(v(device_name("WS01.contoso.com.")), v(device_name("ws01")));
        assert_eq!(v(device_name("10.0.0.1")), "");
        assert_eq!(
            v(user_account("alice", Some("CONTOSO.COM"))),
            v(user_account("CONTOSO\\Alice", None))
        );
        assert_eq!(v(user_account("root", None)), "");
        assert_eq!(v(user_sid("s-1-5-21-1")), "user:sid:S-1-5-21-1");
        assert_eq!(v(ip("::ffff:203.0.113.7")), "ip:203.0.113.7");
        assert_eq!(
            v(file_hash(&"AB".repeat(32))),
            format!("fileHash:{}", "ab".repeat(32))
        );
        assert_eq!(v(file_hash("abc")), "");
        assert_eq!(
            v(url("HTTP://Evil.Example:80/A#x")),
            "url:http://evil.example/A"
        );
        assert_eq!(v(url_host("http://evil.example/A")), "domain:evil.example");
        assert_eq!(v(url_host("http://[2001:db8::1]:8080/")), "ip:2001:db8::1");
        assert_eq!(v(url_host("http://u:p@203.0.113.9/")), "ip:203.0.113.9");
        assert_eq!(v(mailbox("Bob@Contoso.COM")), "mailbox:bob@contoso.com");
        assert_eq!(
            v(cloud_resource("/Subscriptions/ABC/resourceGroups/RG")),
            "cloudResource:/subscriptions/abc/resourcegroups/rg"
        );
        assert_eq!(
            v(cloud_resource("arn:aws:s3:::Bucket")),
            "cloudResource:arn:aws:s3:::Bucket"
        );
        assert_eq!(v(device_id("mde", "  ")), "");
    }
}
