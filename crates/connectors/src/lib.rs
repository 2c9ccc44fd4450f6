//! Built-in connectors: real product output turned into alerts_v2 [`StoredAlert`]s with evidence.
//!
//! * [`suricata::alert_from_eve`]: one Suricata EVE JSON line; `event_type: alert` becomes an alert,
//!   every other event type is `None`.
//! * [`wazuh::alert_from_json`]: one Wazuh `alerts.json` line, bare or wrapped by Logstash
//!   (`{"_source": {<alert>}, ...}`).
//! * [`parse_stream`]: a pushed NDJSON body, line by line (the HTTP endpoint is wired elsewhere).
//! * [`Tailer`] and [`run_file`]: follow a log file across restarts, rotation and truncation,
//!   hand alerts to a sink in batches and remember how far the sink has durably taken them
//!   ([`checkpoint`]).
//!
//! # Guarantees
//! * **Pure mapping.** The same line always maps to the same alert, bit for bit: ids are UUID v5
//!   over the connector's name and the event's identifying fields, and every date-time comes from
//!   the event (nothing reads the clock). Re-reading a line after a crash therefore upserts the
//!   same alert instead of adding a copy, so at-least-once delivery is effectively once.
//! * **Errors name the field.** A line that cannot be mapped is a [`ConnectorError`] naming the
//!   field (dotted path, `_source.` included for wrapped Wazuh lines) and what was expected.
//!   Optional fields of an unexpected shape are left out rather than failing the alert.
//! * **Not set here:** `tenantId` (the ingest path stamps the tenant) and `link` (connector alerts
//!   are not owned by a registered provider).

mod alert_id;
pub mod checkpoint;
mod draft;
mod error;
mod evidence;
mod kind;
mod record;
mod runner;
mod stream;
pub mod suricata;
mod tail;
mod timestamp;
pub mod wazuh;

pub use error::{ConnectorError, LineError};
pub use kind::ConnectorKind;
pub use runner::{run_file, RunOptions, RunStats};
pub use stream::parse_stream;
pub use tail::{Line, Tailer, DEFAULT_MAX_LINE_BYTES};

pub use model::StoredAlert;
