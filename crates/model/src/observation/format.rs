//! Deciding an event's shape ([`EventFormat`]) and assembling the [`Observation`]: values, time,
//! kind, id and context.

use super::fields::{Field, Fields, Leaf};
use super::values::Values;
use super::{context, ecs, event_time, extract, ocsf, suricata, wazuh};
use super::{
    EventFormat, Observation, ObservationError, ObservationErrorKind, ObservationKind,
    ObservationRole,
};
use time::OffsetDateTime;

/// The shape of the event (see the table in the [module docs](super)).
pub(crate) fn detect(f: &Fields<'_>) -> EventFormat {
    if f.has(Field::ClassUid) || f.has(Field::CategoryUid) {
        EventFormat::Ocsf
    } else if f.has(Field::EventType) {
        EventFormat::Suricata
    } else if f.has(Field::RuleLevel) && (f.has(Field::AgentName) || f.has(Field::AgentId)) {
        EventFormat::Wazuh
    } else if f.has(Field::Type) {
        EventFormat::Native
    } else {
        EventFormat::Ecs
    }
}

/// Builds the observation, or says why there is none.
pub(crate) fn build(f: &Fields<'_>, now: OffsetDateTime) -> Result<Observation, ObservationError> {
    let format = detect(f);
    let mut values = Values::new();
    extract::matchables(f, &mut values);
    let time = event_time(f, &mut values).unwrap_or(now);
    let product = match format {
        EventFormat::Suricata => Some("Suricata".to_string()),
        EventFormat::Wazuh => Some("Wazuh".to_string()),
        EventFormat::Ocsf => ocsf::product(f),
        EventFormat::Native | EventFormat::Ecs => ecs::product(f),
    };
    let context = context::read(f, product, &mut values);
    if values.list.is_empty() {
        return Err(nothing_matchable(format, f, &values));
    }
    let explicit = match format {
        EventFormat::Ocsf => ocsf::kind(f),
        EventFormat::Suricata => suricata::kind(f),
        EventFormat::Wazuh => wazuh::kind(f),
        EventFormat::Native | EventFormat::Ecs => ecs::kind(f),
    };
    Ok(Observation {
        id: event_id(f),
        time,
        kind: explicit.unwrap_or_else(|| infer_kind(f, &values)),
        format,
        values: values.list,
        skipped: values.skipped,
        context,
    })
}

/// `time`, `timestamp` or `@timestamp`, in that order; an unreadable one is counted.
fn event_time(f: &Fields<'_>, values: &mut Values) -> Option<OffsetDateTime> {
    let leaf = f.first_of(&[Field::Time, Field::Timestamp, Field::AtTimestamp])?;
    let t = event_time::parse_leaf(leaf);
    if t.is_none() {
        values.skip(
            "time",
            format!(
                "'{}' is not a time stamp (send RFC 3339 such as 2024-02-15T19:05:11.486Z, or \
                 epoch milliseconds)",
                leaf.text()
            ),
        );
    }
    t
}

/// `id`, `event.id` or OCSF `metadata.uid`.
fn event_id(f: &Fields<'_>) -> Option<String> {
    f.first_of(&[Field::Id, Field::EventId, Field::MetadataUid])
        .map(|l| l.text().into_owned())
}

/// The kind when the event does not say: from the values found.
fn infer_kind(f: &Fields<'_>, values: &Values) -> ObservationKind {
    let has = |pred: fn(ObservationRole) -> bool| values.list.iter().any(|v| pred(v.role));
    if has(|r| {
        matches!(
            r,
            ObservationRole::EmailSender | ObservationRole::EmailRecipient
        )
    }) {
        ObservationKind::Email
    } else if f.has(Field::DnsQuestion) {
        ObservationKind::Dns
    } else if has(|r| r == ObservationRole::Url) || f.has(Field::HttpHost) {
        ObservationKind::Http
    } else if has(|r| matches!(r, ObservationRole::FileHash(_))) {
        ObservationKind::File
    } else if has(|r| {
        matches!(
            r,
            ObservationRole::SourceIp | ObservationRole::DestinationIp | ObservationRole::Domain
        )
    }) {
        ObservationKind::Network
    } else {
        ObservationKind::Other
    }
}

/// The error for an event without matchable values, naming how it was read and why values
/// that were present could not be used.
fn nothing_matchable(format: EventFormat, f: &Fields<'_>, values: &Values) -> ObservationError {
    let str_of = |field| f.first(field).map(Leaf::text);
    let read_as = match format {
        EventFormat::Suricata => format!(
            "Suricata EVE, event_type '{}'",
            str_of(Field::EventType).unwrap_or_default()
        ),
        EventFormat::Ocsf => format!(
            "OCSF, class_uid {}",
            str_of(Field::ClassUid).unwrap_or_else(|| "absent".into())
        ),
        EventFormat::Wazuh => format!(
            "Wazuh alert '{}'",
            str_of(Field::RuleDescription).unwrap_or_default()
        ),
        EventFormat::Native => {
            format!("native, type '{}'", str_of(Field::Type).unwrap_or_default())
        }
        EventFormat::Ecs => "ECS".to_string(),
    };
    let mut message = format!(
        "no IP, domain, URL, hash or e-mail address found in the event (read as {read_as})"
    );
    if let Some(problem) = &values.first_problem {
        let n = values.skipped;
        let s = if n == 1 { "" } else { "s" };
        message.push_str(&format!(
            "; {n} value{s} could not be read, the first: {problem}"
        ));
    }
    ObservationError::new(ObservationErrorKind::NothingMatchable, message)
}
