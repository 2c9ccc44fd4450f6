//! The field paths observation parsing reads, as one static tree over the key names of every
//! accepted shape (native/ECS, OCSF, Suricata EVE, Wazuh), mapping each path to its [`Field`].
//!
//! Lookup splits a key on `.`, so a flattened ECS key (`"dns.question.name"`) lands on the same
//! node as the nested spelling (`"dns": {"question": {"name": …}}`), and mixtures of both work.
//! A node may be a value and an object at once (`email.from` is a string in OCSF and
//! `{"address": …}` in ECS). Elasticsearch's `_source` wrapper (Logstash-read Wazuh alerts) leads
//! back to the root.
//!
//! Lookup is on the hot path (every key of every event, most of them not in the tree), so each
//! node carries, computed at compile time, its keys packed into a `u64` (length and first seven
//! bytes) and a 128-slot open-addressing table over those: a key is found, or known absent, after
//! one hash and usually one probe; the full key is compared only for keys longer than seven
//! bytes whose packed form matched.

use super::fields::Field;

/// Slots of a node's hash table; a node has far fewer children (the root about 50).
const SLOTS: usize = 128;
/// An empty slot.
const EMPTY: u8 = u8::MAX;

/// One node of the path tree.
#[derive(Debug)]
pub(crate) struct Node {
    /// What a scalar found at this path means (`None`: scalars here are ignored).
    pub field: Option<Field>,
    /// The keys below this node.
    pub children: &'static [(&'static str, &'static Node)],
    /// [`pack`] of each key of `children`, in the same order.
    keys: &'static [u64],
    /// Open addressing over `keys` (indexes into `children`, [`EMPTY`] for none); empty for leaves.
    table: &'static [u8],
}

impl Node {
    /// The node for `key` below this one; a dotted key descends one level per segment.
    pub(crate) fn child(&'static self, key: &str) -> Option<&'static Node> {
        let mut node = self;
        let mut rest = key;
        while let Some(dot) = rest.bytes().position(|b| b == b'.') {
            node = node.direct(&rest[..dot])?;
            rest = &rest[dot + 1..];
        }
        node.direct(rest)
    }

    /// The child named exactly `segment`.
    fn direct(&'static self, segment: &str) -> Option<&'static Node> {
        if self.table.is_empty() {
            return None;
        }
        let packed = pack_runtime(segment);
        let mut slot = slot_of(packed);
        loop {
            let i = usize::from(*self.table.get(slot)?);
            let (name, node) = self.children.get(i)?;
            if self.keys[i] == packed && (segment.len() <= 7 || *name == segment) {
                return Some(node);
            }
            slot = (slot + 1) % SLOTS;
        }
    }

    /// True when nothing below this node is read (objects here can be skipped whole).
    pub(crate) fn is_leaf(&self) -> bool {
        self.children.is_empty()
    }
}

/// A key's length (capped at 255) and first seven bytes, little-endian: `[len, b0, …, b6]`. For a
/// key of at most seven bytes it is the whole key.
const fn pack(key: &str) -> u64 {
    let b = key.as_bytes();
    let mut v = if b.len() > 255 { 255 } else { b.len() as u64 };
    let mut i = 0;
    while i < 7 && i < b.len() {
        v |= (b[i] as u64) << (8 * (i + 1));
        i += 1;
    }
    v
}

/// [`pack`] for keys read at run time.
fn pack_runtime(key: &str) -> u64 {
    let b = key.as_bytes();
    let len = b.len().min(255) as u64;
    if let Some(first8) = b.first_chunk::<8>() {
        return (u64::from_le_bytes(*first8) << 8) | len;
    }
    let mut buf = [0u8; 8];
    buf[1..=b.len()].copy_from_slice(b);
    u64::from_le_bytes(buf) | len
}

/// The home slot of a packed key (a multiplicative hash).
const fn slot_of(packed: u64) -> usize {
    (packed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 57) as usize
}

/// The hash table of a node's keys (built at compile time).
const fn table(keys: &[&str]) -> [u8; SLOTS] {
    let mut t = [EMPTY; SLOTS];
    let mut i = 0;
    while i < keys.len() {
        let mut slot = slot_of(pack(keys[i]));
        while t[slot] != EMPTY {
            slot = (slot + 1) % SLOTS;
        }
        t[slot] = i as u8;
        i += 1;
    }
    t
}

macro_rules! node {
    ($field:expr; $($k:literal => $v:expr),+ $(,)?) => {
        Node {
            field: $field,
            children: &[$(($k, $v)),+],
            keys: &[$(pack($k)),+],
            table: &table(&[$($k),+]),
        }
    };
}

macro_rules! leaf {
    ($f:ident) => {
        &Node {
            field: Some(Field::$f),
            children: &[],
            keys: &[],
            table: &[],
        }
    };
}

macro_rules! branch {
    ($($k:literal => $v:expr),+ $(,)?) => {
        &node!(None; $($k => $v),+)
    };
}

/// The root: every top-level key of every accepted shape.
pub(crate) static ROOT: Node = node!(None;
    "@timestamp" => leaf!(AtTimestamp),
    "_source" => &ROOT,
    "actor" => branch!("process" => branch!("name" => leaf!(ProcessName)),
                      "user" => branch!("name" => leaf!(UserName))),
    "agent" => branch!("id" => leaf!(AgentId), "ip" => leaf!(HostIp), "name" => leaf!(AgentName)),
    "alert" => &ALERT,
    "answers" => &ANSWERS,
    "app_proto" => leaf!(AppProto),
    "category_uid" => leaf!(CategoryUid),
    "class_uid" => leaf!(ClassUid),
    "client" => &SOURCE,
    "data" => &WAZUH_DATA,
    "dest_ip" => leaf!(DestinationIp),
    "dest_port" => leaf!(DestinationPort),
    "destination" => &DESTINATION,
    "device" => branch!("hostname" => leaf!(HostName), "ip" => leaf!(HostIp),
                       "name" => leaf!(HostNameFallback)),
    "dns" => &DNS,
    "dst_endpoint" => branch!(
        "domain" => leaf!(DestinationDomain), "hostname" => leaf!(DestinationDomain),
        "ip" => leaf!(DestinationIp), "port" => leaf!(DestinationPort)),
    "email" => &EMAIL,
    "event" => branch!("category" => leaf!(EventCategory), "id" => leaf!(EventId),
                      "module" => leaf!(EventModule), "severity" => leaf!(EventSeverity)),
    "event_type" => leaf!(EventType),
    "file" => &FILE,
    "fileinfo" => &TRANSFER,
    "files" => &TRANSFER,
    "finding_info" => branch!("title" => leaf!(FindingTitle)),
    "host" => &node!(Some(Field::HostName);
        "hostname" => leaf!(HostNameFallback), "ip" => leaf!(HostIp), "name" => leaf!(HostName)),
    "http" => &HTTP,
    "http_request" => branch!("url" => &URL),
    "id" => leaf!(Id),
    "metadata" => branch!("product" => branch!("name" => leaf!(MetadataProduct)),
                         "uid" => leaf!(MetadataUid)),
    "observer" => branch!("product" => leaf!(ObserverProduct), "vendor" => leaf!(ObserverVendor)),
    "process" => branch!("executable" => leaf!(ProcessExecutable), "hash" => &HASH,
                        "name" => leaf!(ProcessName)),
    "query" => branch!("hostname" => leaf!(DnsQuestion)),
    "related" => branch!("hash" => leaf!(RelatedHash), "ip" => leaf!(RelatedIp)),
    "rule" => branch!("description" => leaf!(RuleDescription), "level" => leaf!(RuleLevel),
                     "name" => leaf!(RuleName)),
    "server" => &DESTINATION,
    "severity" => leaf!(SeverityLabel),
    "severity_id" => leaf!(SeverityId),
    "smtp" => branch!("mail_from" => leaf!(EmailFrom), "rcpt_to" => leaf!(EmailTo)),
    "source" => &SOURCE,
    "src_endpoint" => branch!("hostname" => leaf!(SourceHostname), "ip" => leaf!(SourceIp),
                             "port" => leaf!(SourcePort)),
    "src_ip" => leaf!(SourceIp),
    "src_port" => leaf!(SourcePort),
    "syscheck" => branch!(
        "md5_after" => leaf!(Md5), "path" => leaf!(FilePath), "sha1_after" => leaf!(Sha1),
        "sha256_after" => leaf!(Sha256), "uname_after" => leaf!(UserFallback)),
    "time" => leaf!(Time),
    "timestamp" => leaf!(Timestamp),
    "tls" => &TLS,
    "type" => leaf!(Type),
    "url" => &URL,
    "user" => branch!("name" => leaf!(UserName)),
);

/// Suricata `alert`.
static ALERT: Node = node!(None;
    "severity" => leaf!(AlertSeverity),
    "signature" => leaf!(AlertSignature),
);

/// Suricata `http` and the native `http.request.host`.
static HTTP: Node = node!(None;
    "hostname" => leaf!(HttpHost),
    "http_port" => leaf!(HttpPort),
    "request" => branch!("host" => leaf!(HttpHost)),
    "url" => leaf!(HttpUrl),
);

/// ECS `tls.client.server_name` and Suricata `tls.sni`.
static TLS: Node = node!(None;
    "client" => branch!("server_name" => leaf!(TlsServerName)),
    "sni" => leaf!(TlsServerName),
);

/// Wazuh `data`: what its decoders extract (`srcip`, `dstuser`, …), and the Suricata EVE record
/// its JSON decoder copies there whole (`data.src_ip`, `data.dns`, …; `data.event_type` is not
/// read, so such an alert stays a Wazuh alert).
static WAZUH_DATA: Node = node!(None;
    "alert" => &ALERT,
    "dest_ip" => leaf!(DestinationIp),
    "dest_port" => leaf!(DestinationPort),
    "dns" => &DNS,
    "dstip" => leaf!(DestinationIp),
    "dstport" => leaf!(DestinationPort),
    "dstuser" => leaf!(UserName),
    "fileinfo" => &TRANSFER,
    "http" => &HTTP,
    "src_ip" => leaf!(SourceIp),
    "src_port" => leaf!(SourcePort),
    "srcip" => leaf!(SourceIp),
    "srcport" => leaf!(SourcePort),
    "srcuser" => leaf!(UserFallback),
    "tls" => &TLS,
);

/// ECS `source`/`client`.
static SOURCE: Node = node!(None;
    "address" => leaf!(SourceAddress),
    "ip" => leaf!(SourceIp),
    "port" => leaf!(SourcePort),
);

/// ECS `destination`/`server`.
static DESTINATION: Node = node!(None;
    "address" => leaf!(DestinationAddress),
    "domain" => leaf!(DestinationDomain),
    "ip" => leaf!(DestinationIp),
    "port" => leaf!(DestinationPort),
);

/// ECS `dns` and Suricata EVE `dns` (v1, v2 and v3 layouts).
static DNS: Node = node!(None;
    "answers" => &ANSWERS,
    "grouped" => branch!("A" => leaf!(DnsResolvedIp), "AAAA" => leaf!(DnsResolvedIp),
                "CNAME" => leaf!(DnsCname)),
    "queries" => branch!("rrname" => leaf!(DnsQuestion)),
    "query" => branch!("rrname" => leaf!(DnsQuestion)),
    "question" => branch!("name" => leaf!(DnsQuestion)),
    "rdata" => leaf!(DnsRdata),
    "resolved_ip" => leaf!(DnsResolvedIp),
    "rrname" => leaf!(DnsQuestion),
    "rrtype" => leaf!(DnsRrtype),
);

/// DNS answers: ECS `dns.answers[]`, Suricata `dns.answers[]`, OCSF `answers[]`.
static ANSWERS: Node = node!(None;
    "data" => leaf!(DnsAnswerData),
    "rdata" => leaf!(DnsAnswerData),
    "rrtype" => leaf!(DnsAnswerType),
    "type" => leaf!(DnsAnswerType),
);

/// ECS `url` and OCSF `url`/`http_request.url`.
static URL: Node = node!(None;
    "domain" => leaf!(UrlDomain),
    "full" => leaf!(UrlFull),
    "hostname" => leaf!(UrlDomain),
    "original" => leaf!(UrlOriginal),
    "path" => leaf!(UrlPath),
    "port" => leaf!(UrlPort),
    "query" => leaf!(UrlQuery),
    "query_string" => leaf!(UrlQuery),
    "scheme" => leaf!(UrlScheme),
    "url_string" => leaf!(UrlFull),
);

/// ECS `file` and OCSF `file`.
static FILE: Node = node!(None;
    "hash" => &HASH,
    "hashes" => branch!("algorithm" => leaf!(HashAlgorithm), "algorithm_id" => leaf!(HashAlgorithm),
                "value" => leaf!(HashValue)),
    "name" => leaf!(FileName),
    "path" => leaf!(FilePath),
);

/// ECS `file.hash` and `process.hash`.
static HASH: Node = node!(None;
    "md5" => leaf!(Md5),
    "sha1" => leaf!(Sha1),
    "sha256" => leaf!(Sha256),
    "ssdeep" => leaf!(Ssdeep),
);

/// Suricata `fileinfo` and `files[]`.
static TRANSFER: Node = node!(None;
    "filename" => leaf!(TransferFilename),
    "md5" => leaf!(Md5),
    "sha1" => leaf!(Sha1),
    "sha256" => leaf!(Sha256),
);

/// ECS, OCSF and Suricata `email`.
static EMAIL: Node = node!(None;
    "bcc" => &EMAIL_TO,
    "cc" => &EMAIL_TO,
    "from" => &EMAIL_FROM,
    "sender" => &EMAIL_FROM,
    "smtp_from" => leaf!(EmailFrom),
    "smtp_to" => leaf!(EmailTo),
    "subject" => leaf!(EmailSubject),
    "to" => &EMAIL_TO,
);

/// A sender: an address string (OCSF, Suricata) or `{"address": …}` (ECS).
static EMAIL_FROM: Node = node!(Some(Field::EmailFrom);"address" => leaf!(EmailFrom));

/// Recipients: address strings (OCSF, Suricata) or `{"address": …}` (ECS).
static EMAIL_TO: Node = node!(Some(Field::EmailTo);"address" => leaf!(EmailTo));

#[cfg(test)]
mod tests {
    use super::*;

    fn check_unique(node: &'static Node, path: &str, depth: usize) {
        if depth > 6 {
            return;
        }
        assert_eq!(node.keys.len(), node.children.len());
        for (i, (k, child)) in node.children.iter().enumerate() {
            let again = node.children[i + 1..].iter().any(|(other, _)| other == k);
            assert!(!again, "{path}: '{k}' is listed twice");
            assert_eq!(node.keys[i], pack_runtime(k), "{path}.{k}");
            assert!(
                node.child(k).is_some_and(|n| std::ptr::eq(n, *child)),
                "{path}.{k}"
            );
            if *k != "_source" {
                check_unique(child, &format!("{path}.{k}"), depth + 1);
            }
        }
    }

    #[test]
    fn every_key_is_found_once() {
        check_unique(&ROOT, "", 0);
        assert!(ROOT.child("flow_id").is_none());
        assert!(ROOT.child("severity_i").is_none());
        assert!(ROOT.child("category_uie").is_none()); // same length and first 7 bytes as a key
        assert!(ROOT.child("src_ip.x").is_none());
        assert!(ROOT.children.len() < SLOTS / 2);
    }

    #[test]
    fn dotted_and_nested_keys_reach_one_node() {
        let nested = ROOT.child("dns").and_then(|n| n.child("question"));
        let nested = nested.and_then(|n| n.child("name")).and_then(|n| n.field);
        assert_eq!(nested, Some(Field::DnsQuestion));
        let dotted = ROOT.child("dns.question.name").and_then(|n| n.field);
        assert_eq!(dotted, Some(Field::DnsQuestion));
        let wrapped = ROOT.child("_source").and_then(|n| n.child("data.srcip"));
        assert_eq!(wrapped.and_then(|n| n.field), Some(Field::SourceIp));
        assert!(ROOT.child("dns.question.nam").is_none());
        assert!(ROOT.child("dns..name").is_none());
        assert!(ROOT.child("").is_none());
    }
}
