//! The sparse form of one event: only the fields observation parsing reads, each tagged with its
//! meaning ([`Field`]) whatever product spelled it, in document order, borrowing from the input
//! where it can.
//!
//! One [`Field`] stands for every spelling of one meaning (`src_ip`, `source.ip`,
//! `src_endpoint.ip` and Wazuh's `data.srcip` are all [`Field::SourceIp`]); [`super::paths`]
//! holds that mapping. Values inside arrays of objects carry the number of the object they came
//! from ([`Entry::group`]), so that siblings (a DNS answer's type and data, a hash's algorithm and
//! value) can be paired.

use std::borrow::Cow;

/// What a collected value means. The variants are listed with the paths that produce them in
/// [`super::paths`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Field {
    // Identity, time and shape of the event.
    /// Our native `type`.
    Type,
    /// Top-level `id` (native, Wazuh).
    Id,
    /// ECS `event.id`.
    EventId,
    /// OCSF `metadata.uid`.
    MetadataUid,
    /// Native and OCSF `time`.
    Time,
    /// Suricata and Wazuh `timestamp`.
    Timestamp,
    /// ECS `@timestamp`.
    AtTimestamp,
    /// Suricata `event_type`.
    EventType,
    /// Suricata `app_proto`.
    AppProto,
    /// OCSF `class_uid`.
    ClassUid,
    /// OCSF `category_uid`.
    CategoryUid,
    /// ECS `event.category`.
    EventCategory,
    // Addresses and names.
    SourceIp,
    /// ECS `source.address` (an IP or a name).
    SourceAddress,
    SourcePort,
    DestinationIp,
    /// ECS `destination.address` (an IP or a name).
    DestinationAddress,
    DestinationPort,
    /// A name for the destination host (`destination.domain`, `dst_endpoint.hostname`/`domain`).
    DestinationDomain,
    /// The reporting device's own address (`host.ip`, `device.ip`, Wazuh `agent.ip`).
    HostIp,
    /// ECS `related.ip`.
    RelatedIp,
    /// A DNS question name (`dns.question.name`, Suricata `dns.rrname`, OCSF `query.hostname`).
    DnsQuestion,
    /// An answer's data (`dns.answers[].data`, Suricata `rdata`, OCSF `answers[].rdata`).
    DnsAnswerData,
    /// An answer's record type (`dns.answers[].type`, Suricata `rrtype`).
    DnsAnswerType,
    /// Suricata v1: the record type of the one answer (or query) of the event.
    DnsRrtype,
    /// Suricata v1: the data of the one answer of the event.
    DnsRdata,
    /// Resolved addresses (`dns.resolved_ip`, Suricata `dns.grouped.A`/`AAAA`).
    DnsResolvedIp,
    /// Suricata `dns.grouped.CNAME`.
    DnsCname,
    /// The HTTP host (Suricata `http.hostname`, native `http.request.host`).
    HttpHost,
    /// Suricata `http.http_port`.
    HttpPort,
    /// Suricata `http.url` (a path, sometimes an absolute URL).
    HttpUrl,
    /// TLS SNI (`tls.client.server_name`, Suricata `tls.sni`).
    TlsServerName,
    /// An absolute URL (`url.full`, OCSF `url.url_string`).
    UrlFull,
    /// ECS `url.original` (absolute or a path).
    UrlOriginal,
    /// `url.domain`, OCSF `url.hostname`.
    UrlDomain,
    UrlPath,
    UrlQuery,
    UrlScheme,
    UrlPort,
    // Files.
    Md5,
    Sha1,
    Sha256,
    Ssdeep,
    /// OCSF `file.hashes[].algorithm_id` or `algorithm`.
    HashAlgorithm,
    /// OCSF `file.hashes[].value`.
    HashValue,
    /// ECS `related.hash` (type guessed from its length).
    RelatedHash,
    FileName,
    FilePath,
    /// Suricata `fileinfo.filename` / `files[].filename` (the path in the transfer).
    TransferFilename,
    // E-mail.
    EmailFrom,
    EmailTo,
    EmailSubject,
    // Context.
    HostName,
    /// A second choice for the host name (`host.hostname`, `device.name`).
    HostNameFallback,
    /// ECS/Wazuh `agent.name`: the last choice for the host name.
    AgentName,
    /// `agent.id`: with `rule.level`, what marks a Wazuh alert.
    AgentId,
    /// OCSF `src_endpoint.hostname`: host name when nothing better is present.
    SourceHostname,
    UserName,
    /// A second choice for the user (Wazuh `data.srcuser`, `syscheck.uname_after`).
    UserFallback,
    ProcessName,
    ProcessExecutable,
    ObserverProduct,
    ObserverVendor,
    EventModule,
    /// OCSF `metadata.product.name`.
    MetadataProduct,
    EventSeverity,
    AlertSeverity,
    /// Wazuh `rule.level`.
    RuleLevel,
    /// OCSF `severity` (the label).
    SeverityLabel,
    SeverityId,
    AlertSignature,
    RuleName,
    RuleDescription,
    /// OCSF `finding_info.title`.
    FindingTitle,
}

/// One scalar JSON value (`null` is never collected).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Leaf<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    UInt(u64),
    Float(f64),
    Bool(bool),
}

impl Leaf<'_> {
    /// The value as text when it is a string.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Leaf::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value as text: strings as they are, numbers and booleans in JSON spelling.
    pub(crate) fn text(&self) -> Cow<'_, str> {
        match self {
            Leaf::Str(s) => Cow::Borrowed(s),
            Leaf::Int(n) => Cow::Owned(n.to_string()),
            Leaf::UInt(n) => Cow::Owned(n.to_string()),
            Leaf::Float(f) => Cow::Owned(f.to_string()),
            Leaf::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        }
    }

    /// True for a string that is empty or a placeholder for "no value" (`-`, as Zeek writes).
    pub(crate) fn is_blank(&self) -> bool {
        matches!(self, Leaf::Str(s) if s.trim().is_empty() || s.trim() == "-")
    }
}

/// One collected value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry<'a> {
    pub field: Field,
    /// 0 outside arrays of objects; otherwise the number of the array item (object) it is in.
    pub group: u32,
    pub leaf: Leaf<'a>,
}

/// The collected values of one event, in document order.
#[derive(Debug, Default)]
pub(crate) struct Fields<'a> {
    pub entries: Vec<Entry<'a>>,
    groups: u32,
}

impl<'a> Fields<'a> {
    /// An empty collection.
    pub(crate) fn new() -> Self {
        Fields {
            entries: Vec::with_capacity(24),
            groups: 0,
        }
    }

    /// Adds a value (blank strings are dropped: they mean "absent").
    pub(crate) fn push(&mut self, field: Field, group: u32, leaf: Leaf<'a>) {
        if !leaf.is_blank() {
            self.entries.push(Entry { field, group, leaf });
        }
    }

    /// A fresh group number for an object that is an array item.
    pub(crate) fn new_group(&mut self) -> u32 {
        self.groups += 1;
        self.groups
    }

    /// Every value of `field`.
    pub(crate) fn all(&self, field: Field) -> impl Iterator<Item = &Entry<'a>> + '_ {
        self.entries.iter().filter(move |e| e.field == field)
    }

    /// The first value of `field`.
    pub(crate) fn first(&self, field: Field) -> Option<&Leaf<'a>> {
        self.entries
            .iter()
            .find(|e| e.field == field)
            .map(|e| &e.leaf)
    }

    /// The first value among `fields`, in the order of `fields` (a preference list).
    pub(crate) fn first_of(&self, fields: &[Field]) -> Option<&Leaf<'a>> {
        fields.iter().find_map(|f| self.first(*f))
    }

    /// The first string value of `field`.
    pub(crate) fn str(&self, field: Field) -> Option<&str> {
        self.all(field).find_map(|e| e.leaf.as_str())
    }

    /// True when `field` has a value.
    pub(crate) fn has(&self, field: Field) -> bool {
        self.entries.iter().any(|e| e.field == field)
    }

    /// The value of `field` in the same group (array item) as `group`.
    pub(crate) fn sibling(&self, field: Field, group: u32) -> Option<&Leaf<'a>> {
        self.entries
            .iter()
            .find(|e| e.field == field && e.group == group)
            .map(|e| &e.leaf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_values_are_not_collected_and_siblings_pair_by_group() {
        let mut f = Fields::new();
        f.push(Field::HttpHost, 0, Leaf::Str(Cow::Borrowed("  ")));
        f.push(Field::HttpHost, 0, Leaf::Str(Cow::Borrowed("-")));
        assert!(!f.has(Field::HttpHost));
        let (g1, g2) = (f.new_group(), f.new_group());
        f.push(Field::DnsAnswerType, g1, Leaf::Str(Cow::Borrowed("A")));
        f.push(
            Field::DnsAnswerData,
            g1,
            Leaf::Str(Cow::Borrowed("1.2.3.4")),
        );
        f.push(Field::DnsAnswerType, g2, Leaf::Str(Cow::Borrowed("CNAME")));
        assert_eq!(
            f.sibling(Field::DnsAnswerType, g2).and_then(Leaf::as_str),
            Some("CNAME")
        );
        assert_eq!(f.sibling(Field::DnsAnswerData, g2), None);
        assert_eq!(
            f.first_of(&[Field::Id, Field::DnsAnswerType])
                .map(Leaf::text)
                .as_deref(),
            Some("A")
        );
        assert_eq!(Leaf::UInt(7).text(), "7");
    }
}
