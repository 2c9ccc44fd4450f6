//! Security events ("observations") from many products, parsed into the normalised values the
//! threat-indicator matcher looks up, each tagged with its role in the event. Pure: no I/O.
//!
//! The detections endpoint (`POST /secgraph/v1/events`, NDJSON) calls [`parse_ndjson_line`] per
//! line (or [`parse_observation`] on a parsed value) and matches [`Observation::values`].
//!
//! # Shapes (detected per event)
//!
//! | shape | recognised by |
//! |---|---|
//! | OCSF ([`ocsf`]) | `class_uid` or `category_uid` |
//! | Suricata EVE ([`suricata`]) | `event_type` |
//! | Wazuh alert ([`wazuh`]) | `rule.level` with `agent.name` or `agent.id`; also inside a Logstash/Elasticsearch `_source` wrapper |
//! | native ([`ecs`]) | `type`; otherwise ECS |
//! | ECS ([`ecs`]) | anything else; nested objects and flattened dotted keys (`"source.ip"`) alike |
//!
//! Our native schema is ECS with three top-level additions: `type` (`network`, `dns`, `http`,
//! `file`, `email`), `time` and `id`. Keys are read the same way in every shape (a dotted key is
//! the nested path), so the table below is the whole mapping; a product's own fields are read
//! whatever shape an event was detected as.
//!
//! | role / context | native and ECS | OCSF | Suricata EVE | Wazuh |
//! |---|---|---|---|---|
//! | `sourceIp` | `source.ip`, `client.ip`, `source.address` (when an IP) | `src_endpoint.ip` | `src_ip` | `data.srcip`, `data.src_ip` (a Suricata record in `data`) |
//! | `destinationIp` | `destination.ip`, `server.ip`, `dns.resolved_ip[]`, A/AAAA `dns.answers[].data`, a host below that is an IP | `dst_endpoint.ip`, A/AAAA `answers[].rdata` | `dest_ip`, A/AAAA `dns.answers[].rdata`, v1 `dns.rdata`, `dns.grouped.A/AAAA` | `data.dstip`, `data.dest_ip` |
//! | `hostIp` (the reporting device) | `host.ip[]` | `device.ip` | — | `agent.ip` |
//! | `relatedIp` (when not already listed) | `related.ip[]` | — | — | — |
//! | `domain` | `destination.domain`, `destination.address`, `url.domain`, `dns.question.name`, CNAME answers, `tls.client.server_name`, `http.request.host`, the host of every URL | `dst_endpoint.hostname`/`domain`, `query.hostname`, `url.hostname`, CNAME answers | `dns.rrname`, `dns.query[]`/`queries[].rrname`, CNAME answers, `dns.grouped.CNAME`, `http.hostname`, `tls.sni` | the Suricata fields under `data` |
//! | `url` | `url.full`, `url.original` (absolute, or a path joined to `url.domain`), `url.path`+`url.query` | `url.url_string`, `http_request.url.url_string` | `http.url` (joined as `http://{http.hostname}[:http_port]{url}`; an absolute `url` is taken as is) | — |
//! | `fileHash` | `file.hash.md5/sha1/sha256/ssdeep`, `process.hash.*`, `related.hash[]` (type from length) | `file.hashes[{algorithm_id or algorithm, value}]` (MD5, SHA-1, SHA-256, CTPH) | `fileinfo.md5/sha1/sha256`, `files[].…` | `syscheck.md5_after/sha1_after/sha256_after` |
//! | `emailSender` | `email.from.address`, `email.sender.address` | `email.from`, `email.smtp_from` | `email.from`, `smtp.mail_from` | — |
//! | `emailRecipient` | `email.to/cc/bcc.address` (string or array) | `email.to[]`, `email.cc[]`, `email.smtp_to[]` | `email.to[]`, `email.cc[]`, `smtp.rcpt_to[]` | — |
//! | time | `time`, then `@timestamp` | `time` (epoch ms) | `timestamp` | `timestamp`, then `@timestamp` |
//! | id | `id`, `event.id` | `metadata.uid` | — | `id` |
//! | host name | `host.name`, `host.hostname`, `agent.name` | `device.hostname`, `device.name`, `src_endpoint.hostname` | `host` | `agent.name` |
//! | user name | `user.name` | `actor.user.name` | — | `data.dstuser`, `data.srcuser`, `syscheck.uname_after` |
//! | ports | `source.port`, `destination.port` | `src_endpoint.port`, `dst_endpoint.port` | `src_port`, `dest_port` | `data.srcport`, `data.dstport` |
//! | process | `process.name`, `process.executable` | `actor.process.name` | — | — |
//! | file | `file.name`, `file.path` | `file.name`, `file.path` | `fileinfo.filename` | `syscheck.path` |
//! | e-mail subject | `email.subject` | `email.subject` | `email.subject` | — |
//! | product | `observer.product`, `event.module`, `observer.vendor` | `metadata.product.name` | `Suricata` | `Wazuh` |
//! | severity (raw) | `event.severity` | `severity`, `severity_id` | `alert.severity` | `rule.level` |
//! | title | `rule.name`, `rule.description` | `finding_info.title` | `alert.signature` | `rule.description` |
//!
//! Time stamps: see [`event_time`]. Values are normalised with
//! [`crate::indicator::normalization`]; one that does not normalise is left out and counted in
//! [`Observation::skipped`] (a bad field never rejects the event). The same value in the same role
//! is listed once. An event without any matchable value is an [`ObservationError`].

mod context;
pub mod ecs;
mod error;
pub mod event_time;
mod extract;
mod fields;
mod format;
pub mod ocsf;
mod paths;
mod reader;
pub mod suricata;
mod values;
pub mod wazuh;

pub use context::EventContext;
pub use error::{ObservationError, ObservationErrorKind};

use crate::indicator::{FileHashType, ObservableValue};
use crate::wire_enum;
use serde_json::Value;
use time::OffsetDateTime;

wire_enum! {
    /// What kind of event an observation is (our wire strings, lowercase).
    pub enum ObservationKind: "secgraph.observationKind" {
        Network = "network", Dns = "dns", Http = "http", File = "file", Email = "email",
        Other = "other",
    }
}

wire_enum! {
    /// The shape an event was read as (see the module table).
    pub enum EventFormat: "secgraph.eventFormat" {
        Native = "native", Ecs = "ecs", Ocsf = "ocsf", Suricata = "suricata", Wazuh = "wazuh",
    }
}

/// Which part of the event a value was found in, so that an alert can say which side matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObservationRole {
    /// The address that opened the connection or sent the packet.
    SourceIp,
    /// The address contacted, or one a DNS answer resolved to.
    DestinationIp,
    /// An address of the device that reported the event (`host.ip`, Wazuh `agent.ip`).
    HostIp,
    /// ECS `related.ip`: an address the event mentions that no other role lists.
    RelatedIp,
    /// A host name contacted or looked up: DNS question or CNAME answer, HTTP host, TLS SNI,
    /// destination domain, the host of a URL.
    Domain,
    /// A URL requested.
    Url,
    /// A file hash, with its algorithm.
    FileHash(FileHashType),
    /// An e-mail sender address.
    EmailSender,
    /// An e-mail recipient address.
    EmailRecipient,
}

impl ObservationRole {
    /// A stable camelCase name (`sourceIp`, `fileHash`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            ObservationRole::SourceIp => "sourceIp",
            ObservationRole::DestinationIp => "destinationIp",
            ObservationRole::HostIp => "hostIp",
            ObservationRole::RelatedIp => "relatedIp",
            ObservationRole::Domain => "domain",
            ObservationRole::Url => "url",
            ObservationRole::FileHash(_) => "fileHash",
            ObservationRole::EmailSender => "emailSender",
            ObservationRole::EmailRecipient => "emailRecipient",
        }
    }
}

impl std::fmt::Display for ObservationRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One matchable value of an event, in its normal form, with its role.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObservedValue {
    /// Where in the event it was found.
    pub role: ObservationRole,
    /// The normalised value (`Ip`, `Domain`, `Url`, `Hash` or `Email`; never `Cidr`).
    pub value: ObservableValue,
}

/// One security event, reduced to what matching and alerting need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// The sender's own id for the event, if it has one (see the module table).
    pub id: Option<String>,
    /// When the event happened; the caller's `now` when the event has no readable time stamp.
    pub time: OffsetDateTime,
    /// What kind of event it is: the event's own type when it says, else inferred from its
    /// values (DNS question → `dns`, URL → `http`, e-mail → `email`, hash → `file`, address →
    /// `network`).
    pub kind: ObservationKind,
    /// The shape it was read as.
    pub format: EventFormat,
    /// The matchable values, normalised, each listed once per role, in document order (DNS
    /// answers, URLs, hashes, e-mail addresses and related addresses after the network fields).
    /// Never empty.
    pub values: Vec<ObservedValue>,
    /// How many present values could not be read and were left out: matchable values that do
    /// not normalise, a time stamp in no accepted form, ports that are not 0–65535.
    pub skipped: u32,
    /// Context for alert evidence.
    pub context: EventContext,
}

impl Observation {
    /// The values found in `role`.
    pub fn values_of(&self, role: ObservationRole) -> impl Iterator<Item = &ObservableValue> + '_ {
        self.values
            .iter()
            .filter(move |v| v.role == role)
            .map(|v| &v.value)
    }
}

/// Parses one NDJSON line (one JSON object; surrounding whitespace, a trailing `\r` and a UTF-8
/// byte-order mark are allowed). Parts of the event no mapping names are skipped without being
/// built, and strings are borrowed from `line`, so this is faster than parsing into a
/// `serde_json::Value` first.
pub fn parse_ndjson_line(
    line: &[u8],
    now: OffsetDateTime,
) -> Result<Observation, ObservationError> {
    let fields = reader::from_slice(line)?;
    format::build(&fields, now)
}

/// Parses one event already parsed as JSON.
pub fn parse_observation(
    event: &Value,
    now: OffsetDateTime,
) -> Result<Observation, ObservationError> {
    let fields = reader::from_value(event)?;
    format::build(&fields, now)
}
