//! [`Values`]: the matchable values of one event as they are found — normalised, listed once per
//! role, and counted (with the first reason) when they cannot be read.

use super::fields::Leaf;
use super::{ObservationRole, ObservedValue};
use crate::indicator::{
    normalize_domain, normalize_email, normalize_hash, normalize_url, parse_ip, FileHashType,
    ObservableValue,
};
use std::net::IpAddr;

/// The values found so far.
#[derive(Debug, Default)]
pub(crate) struct Values {
    pub list: Vec<ObservedValue>,
    /// Present values that could not be read.
    pub skipped: u32,
    /// Why the first of them could not be read.
    pub first_problem: Option<String>,
}

impl Values {
    pub(crate) fn new() -> Self {
        Values {
            list: Vec::with_capacity(8),
            skipped: 0,
            first_problem: None,
        }
    }

    /// Adds `value` in `role` unless it is already listed in that role.
    pub(crate) fn push(&mut self, role: ObservationRole, value: ObservableValue) {
        if !self.list.iter().any(|v| v.role == role && v.value == value) {
            self.list.push(ObservedValue { role, value });
        }
    }

    /// Counts a value that could not be read.
    pub(crate) fn skip(&mut self, what: &str, problem: String) {
        self.skipped += 1;
        if self.first_problem.is_none() {
            self.first_problem = Some(format!("{what}: {problem}"));
        }
    }

    /// The leaf as a string, or counts it as unreadable.
    fn text<'l>(&mut self, what: &str, leaf: &'l Leaf<'_>) -> Option<&'l str> {
        let s = leaf.as_str();
        if s.is_none() {
            self.skip(what, format!("'{}' is not a string", leaf.text()));
        }
        s
    }

    /// An IP address in `role`.
    pub(crate) fn ip(&mut self, role: ObservationRole, leaf: &Leaf<'_>) {
        let Some(s) = self.text(role.as_str(), leaf) else {
            return;
        };
        match parse_ip(s) {
            Ok(ip) => self.push(role, ObservableValue::Ip(ip)),
            Err(e) => self.skip(role.as_str(), e),
        }
    }

    /// An address listed only when no role lists it yet (ECS `related.ip`).
    pub(crate) fn related_ip(&mut self, leaf: &Leaf<'_>) {
        let role = ObservationRole::RelatedIp;
        let Some(s) = self.text(role.as_str(), leaf) else {
            return;
        };
        match parse_ip(s) {
            Ok(ip) if !self.has_ip(ip) => self.push(role, ObservableValue::Ip(ip)),
            Ok(_) => {}
            Err(e) => self.skip(role.as_str(), e),
        }
    }

    fn has_ip(&self, ip: IpAddr) -> bool {
        self.list.iter().any(|v| v.value == ObservableValue::Ip(ip))
    }

    /// A host: an IP address (as `destinationIp`) or a domain name.
    pub(crate) fn host(&mut self, leaf: &Leaf<'_>) {
        let Some(s) = self.text("domain", leaf) else {
            return;
        };
        if let Ok(ip) = parse_ip(s) {
            self.push(ObservationRole::DestinationIp, ObservableValue::Ip(ip));
            return;
        }
        match normalize_domain(s) {
            Ok(d) => self.push(ObservationRole::Domain, ObservableValue::Domain(d)),
            Err(e) => self.skip("domain", e),
        }
    }

    /// A domain name that must be one (a CNAME, NS, PTR or MX answer).
    pub(crate) fn domain(&mut self, leaf: &Leaf<'_>) {
        let Some(s) = self.text("domain", leaf) else {
            return;
        };
        match normalize_domain(s) {
            Ok(d) => self.push(ObservationRole::Domain, ObservableValue::Domain(d)),
            Err(e) => self.skip("domain", e),
        }
    }

    /// An absolute URL; its host is also listed (as `domain` or `destinationIp`).
    pub(crate) fn url(&mut self, s: &str) {
        let url = match normalize_url(s) {
            Ok(u) => u,
            Err(e) => return self.skip("url", e),
        };
        if let Some(host) = url_host(&url) {
            if let Ok(ip) = parse_ip(host) {
                self.push(ObservationRole::DestinationIp, ObservableValue::Ip(ip));
            } else if let Ok(d) = normalize_domain(host) {
                self.push(ObservationRole::Domain, ObservableValue::Domain(d));
            }
        }
        self.push(ObservationRole::Url, ObservableValue::Url(url));
    }

    /// A file hash of type `ty`.
    pub(crate) fn hash(&mut self, ty: FileHashType, leaf: &Leaf<'_>) {
        let what = ty.as_str();
        let Some(s) = self.text(what, leaf) else {
            return;
        };
        match normalize_hash(ty, s) {
            Ok(h) => self.push(ObservationRole::FileHash(ty), ObservableValue::Hash(ty, h)),
            Err(e) => self.skip(what, e),
        }
    }

    /// A hash whose type is not given: MD5, SHA-1 or SHA-256 by its length; listed only when
    /// no role lists the same digest yet.
    pub(crate) fn untyped_hash(&mut self, leaf: &Leaf<'_>) {
        let Some(s) = self.text("hash", leaf) else {
            return;
        };
        let t = s.trim();
        let hex = t.bytes().all(|b| b.is_ascii_hexdigit());
        let Some(ty) = FileHashType::guess_from_hex_len(t.len()).filter(|_| hex) else {
            let problem = format!(
                "cannot tell the algorithm of '{t}'; an untyped hash must be 32, 40 or 64 \
                 hexadecimal digits (MD5, SHA-1, SHA-256)"
            );
            return self.skip("hash", problem);
        };
        let known = self
            .list
            .iter()
            .any(|v| matches!(&v.value, ObservableValue::Hash(_, h) if h.eq_ignore_ascii_case(t)));
        if !known {
            self.hash(ty, leaf);
        }
    }

    /// One or more e-mail addresses in `role`: a bare address, `Name <address>`, or a list
    /// separated by `,` or `;`.
    pub(crate) fn email(&mut self, role: ObservationRole, leaf: &Leaf<'_>) {
        let Some(s) = self.text(role.as_str(), leaf) else {
            return;
        };
        if s.matches('@').count() > 1 {
            for part in s.split([',', ';']).filter(|p| !p.trim().is_empty()) {
                self.one_email(role, part);
            }
        } else {
            self.one_email(role, s);
        }
    }

    fn one_email(&mut self, role: ObservationRole, s: &str) {
        let t = s.trim();
        let bare = match (t.rfind('<'), t.ends_with('>')) {
            (Some(open), true) => &t[open + 1..t.len() - 1],
            _ => t,
        };
        match normalize_email(bare) {
            Ok(e) => self.push(role, ObservableValue::Email(e)),
            Err(e) => self.skip(role.as_str(), e),
        }
    }
}

/// The host of a normalised URL (IPv6 without brackets).
fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    match host_port.strip_prefix('[') {
        Some(v6) => v6.split_once(']').map(|(h, _)| h),
        None => host_port.split(':').next(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn s(v: &str) -> Leaf<'_> {
        Leaf::Str(Cow::Borrowed(v))
    }

    #[test]
    fn url_hosts_are_found_in_normal_forms() {
        assert_eq!(url_host("http://a.example/x"), Some("a.example"));
        assert_eq!(url_host("https://u:p@a.example:8443/?q"), Some("a.example"));
        assert_eq!(url_host("http://[2001:db8::1]:8080/x"), Some("2001:db8::1"));
        assert_eq!(url_host("ftp://192.0.2.1/"), Some("192.0.2.1"));
        assert_eq!(url_host("nonsense"), None);
    }

    #[test]
    fn values_are_listed_once_per_role_and_bad_ones_counted() {
        let mut v = Values::new();
        v.ip(ObservationRole::SourceIp, &s("192.0.2.1"));
        v.ip(ObservationRole::SourceIp, &s("::ffff:192.0.2.1"));
        v.ip(ObservationRole::DestinationIp, &s("192.0.2.1"));
        v.related_ip(&s("192.0.2.1"));
        v.ip(ObservationRole::SourceIp, &Leaf::Int(7));
        v.host(&s("Example.COM."));
        v.host(&s("[2001:DB8::1]"));
        v.email(
            ObservationRole::EmailRecipient,
            &s("A <a@x.example>, b@X.example; "),
        );
        v.untyped_hash(&s("D41D8CD98F00B204E9800998ECF8427E"));
        v.untyped_hash(&s("d41d8cd98f00b204e9800998ecf8427e"));
        v.untyped_hash(&s("abc"));
        let got: Vec<String> = v
            .list
            .iter()
            .map(|o| format!("{} {:?}", o.role, o.value))
            .collect();
        assert_eq!(
            got,
            [
                "sourceIp Ip(192.0.2.1)",
                "destinationIp Ip(192.0.2.1)",
                "domain Domain(\"example.com\")",
                "destinationIp Ip(2001:db8::1)",
                "emailRecipient Email(\"a@x.example\")",
                "emailRecipient Email(\"b@x.example\")",
                "fileHash Hash(Md5, \"d41d8cd98f00b204e9800998ecf8427e\")",
            ]
        );
        assert_eq!(v.skipped, 2);
        assert_eq!(
            v.first_problem.as_deref(),
            Some("sourceIp: '7' is not a string")
        );
    }
}
