//! Wazuh alerts (`alerts.json` lines), recognised by `rule.level` together with `agent.name` or
//! `agent.id`; also when read back from the indexer by Logstash, wrapped as
//! `{"_source": {<alert>}, "@timestamp": …}`. The fields read are in the table of the
//! [module docs](super).
//!
//! * `data.srcip`/`data.dstip` (decoded from the log line) are the source and destination;
//!   `agent.ip` is the reporting host's address (`hostIp`).
//! * Wazuh's Suricata integration copies the EVE record into `data`: its `src_ip`, `dest_ip`,
//!   ports, `dns`, `http`, `tls`, `fileinfo` and `alert` are read as in [`super::suricata`] (ports
//!   arrive as strings), and the alert stays a Wazuh alert (`data.event_type` is not read).
//! * File integrity (`syscheck`) alerts give `md5_after`/`sha1_after`/`sha256_after` hashes and
//!   `syscheck.path`; they are `file` events.
//! * `rule.description` is the title and `rule.level` (0–15) the severity; `timestamp` (offset
//!   without a colon) is preferred to the indexer's `@timestamp`.
//! * An alert with none of these values (a PAM session opened without an address, say) is a
//!   "nothing matchable" error like any other event.

use super::fields::{Field, Fields};
use super::ObservationKind;

/// `file` for file-integrity alerts (they have `syscheck.path`); otherwise inferred.
pub(crate) fn kind(f: &Fields<'_>) -> Option<ObservationKind> {
    f.has(Field::FilePath).then_some(ObservationKind::File)
}
