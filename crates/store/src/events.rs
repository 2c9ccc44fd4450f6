//! The store's change feed: what every node learns when any node commits.
//!
//! A write job *announces* what it changed ([`Tx::announce`](crate::backend::Tx)); subscribers
//! ([`Store::subscribe`](crate::Store::subscribe)) receive it once the transaction has committed, and
//! never when it rolled back.
//! - SQLite (one node): the writer publishes a committed job's announcements in-process.
//! - PostgreSQL (several nodes): the job runs `pg_notify('secgraph_events.<schema>', ...)` inside
//!   its transaction; PostgreSQL delivers notifications at COMMIT, to every node, in commit order. Each
//!   node keeps one `LISTEN` connection and republishes what arrives — its own commits included — to
//!   its subscribers. When that connection is lost and re-established, the node publishes
//!   [`StoreEvent::Resync`]: notifications sent while it was away are gone, so subscribers re-read
//!   whatever they keep in memory.
//!
//! Events are wake-ups, not the data: the data is in the tables (the per-tenant change sequence in
//! `alert_changes`, outbox rows, identity rows), so a subscriber that lags (the channel is bounded) and
//! misses events is told so and re-reads, exactly as after a [`StoreEvent::Resync`].

use model::TenantId;
use serde::{Deserialize, Serialize};

/// The PostgreSQL notification channel of the deployment whose tables are in `schema`. Channels are
/// per database, not per schema, so two deployments sharing one database in different schemas must
/// not hear each other: the schema is part of the name (63 bytes at most, PostgreSQL's identifier
/// limit; longer schema names are represented by a hash).
pub(crate) fn channel(schema: &str) -> String {
    let name = format!("secgraph_events.{schema}");
    if name.len() <= 63 {
        return name;
    }
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    schema.hash(&mut h);
    format!("secgraph_events.{:016x}", h.finish())
}

/// Events kept for a subscriber that has not read them yet.
pub(crate) const CAPACITY: usize = 4096;

/// Something committed in the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "k", rename_all = "camelCase")]
pub enum StoreEvent {
    /// A tenant's alerts changed; its change sequence reached `seq`.
    Alerts {
        /// The tenant.
        #[serde(rename = "t")]
        tenant: TenantId,
        /// The tenant's change sequence after the commit.
        #[serde(rename = "s")]
        seq: i64,
    },
    /// A tenant's threat indicators changed; its indicator change log reached `seq`.
    Indicators {
        /// The tenant.
        #[serde(rename = "t")]
        tenant: TenantId,
        /// The tenant's indicator sequence after the commit.
        #[serde(rename = "s")]
        seq: i64,
    },
    /// Outbox rows of `kind` were enqueued. Only the workers of that kind wake (every worker
    /// when it is absent, as in the payloads of older nodes).
    Outbox {
        /// The rows' kind.
        #[serde(rename = "o", default, skip_serializing_if = "Option::is_none")]
        kind: Option<String>,
    },
    /// Tenants, applications, secrets, consents or signing keys changed.
    Identity,
    /// A tenant's clock setting changed (emulator mode, `crate::tenant_clocks`).
    Clock {
        /// The tenant.
        #[serde(rename = "t")]
        tenant: TenantId,
    },
    /// Events may have been missed (the feed reconnected, or a subscriber lagged): re-read what is
    /// kept in memory.
    Resync,
}

impl StoreEvent {
    /// The notification payload.
    pub(crate) fn to_payload(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// An event from a notification payload (unknown payloads, from newer nodes, read as a resync).
    pub(crate) fn from_payload(payload: &str) -> StoreEvent {
        serde_json::from_str(payload).unwrap_or(StoreEvent::Resync)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_round_trip_and_unknown_ones_resync() {
        for e in [
            StoreEvent::Alerts {
                tenant: TenantId("t".into()),
                seq: 7,
            },
            StoreEvent::Outbox {
                kind: Some("webhook".into()),
            },
            StoreEvent::Outbox { kind: None },
            StoreEvent::Identity,
            StoreEvent::Resync,
        ] {
            assert_eq!(StoreEvent::from_payload(&e.to_payload()), e);
        }
        assert_eq!(
            StoreEvent::Alerts {
                tenant: TenantId("t".into()),
                seq: 7
            }
            .to_payload(),
            r#"{"k":"alerts","t":"t","s":7}"#
        );
        assert_eq!(
            StoreEvent::from_payload(r#"{"k":"outbox"}"#),
            StoreEvent::Outbox { kind: None },
            "a payload without the kind wakes every worker"
        );
        assert_eq!(
            StoreEvent::from_payload(r#"{"k":"new"}"#),
            StoreEvent::Resync
        );
    }
}
