//! Native events and ECS (Elastic Common Schema) events: nested objects or flattened dotted keys
//! (`{"source.ip": …}`), as Elastic Agent, Beats and Logstash write them. The fields read are in
//! the table of the [module docs](super).
//!
//! Our native schema is ECS plus three top-level fields, documented for senders:
//!
//! | field | type | meaning |
//! |---|---|---|
//! | `type` | `network`, `dns`, `http`, `file`, `email` or `other` | the kind of event (any case; another value means "infer it") |
//! | `time` | RFC 3339 string or epoch milliseconds | when it happened (default: when it was received) |
//! | `id` | string or number | the sender's id, echoed in verdicts and alerts |
//!
//! ```json
//! {"type":"http","time":"2025-01-02T03:04:05Z","id":"ev-1",
//!  "source":{"ip":"10.0.0.5","port":51514},"destination":{"ip":"203.0.113.7","port":80},
//!  "url":{"full":"http://evil.example/drop.exe"},"host":{"name":"ws-17"},"user":{"name":"alice"}}
//! ```
//!
//! Without `type`, the kind comes from ECS `event.category` (`email`, `web` → `http`, `file`),
//! else from the values found.

use super::fields::{Field, Fields, Leaf};
use super::ObservationKind;

/// The kind the event states: native `type`, or ECS `event.category`.
pub(crate) fn kind(f: &Fields<'_>) -> Option<ObservationKind> {
    if let Some(kind) = f
        .str(Field::Type)
        .and_then(|t| ObservationKind::parse(t.trim()))
    {
        return Some(kind);
    }
    let categories: Vec<&str> = f
        .all(Field::EventCategory)
        .filter_map(|e| e.leaf.as_str())
        .collect();
    let has = |c: &str| categories.iter().any(|x| x.eq_ignore_ascii_case(c));
    if has("email") {
        Some(ObservationKind::Email)
    } else if has("web") {
        Some(ObservationKind::Http)
    } else if has("file") {
        Some(ObservationKind::File)
    } else {
        None
    }
}

/// `observer.product`, `event.module`, then `observer.vendor`.
pub(crate) fn product(f: &Fields<'_>) -> Option<String> {
    f.first_of(&[
        Field::ObserverProduct,
        Field::EventModule,
        Field::ObserverVendor,
    ])
    .map(Leaf::text)
    .map(|t| t.trim().to_string())
}
