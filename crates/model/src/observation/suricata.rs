//! Suricata EVE JSON records, recognised by `event_type`. The fields read are in the table of the
//! [module docs](super).
//!
//! * DNS: the question is `dns.rrname` (v1 and v2 records), `dns.query[].rrname` or
//!   `dns.queries[].rrname` (later versions); answers are `dns.answers[]` with `rrtype` and
//!   `rdata` (v2), `dns.grouped` (v2), or one `rrtype`/`rdata` pair per record (v1). A/AAAA data
//!   become destination addresses, CNAME (and DNAME, NS, PTR, MX) data domains.
//! * HTTP: `http.hostname` is the host (an address there is a destination address) and the URL is
//!   `http://{hostname}[:{http_port}]{url}`; an `http.url` that is already absolute (proxy
//!   requests) is taken as it is. Without a host name the destination address is the host.
//! * Files: `fileinfo` (and the `files[]` of alerts) `md5`/`sha1`/`sha256`; `filename` is the file
//!   path in the transfer.
//! * Alerts: `alert.signature` is the title and `alert.severity` (1 high – 3 low) the severity.
//! * Time stamps carry offsets without a colon (`+0200`).
//!
//! | `event_type` | kind |
//! |---|---|
//! | `dns` | `dns` |
//! | `http` | `http` |
//! | `fileinfo` | `file` |
//! | `smtp` | `email` |
//! | `alert`, `drop`, `anomaly` | from `app_proto` (`http`/`http2` → `http`, `dns` → `dns`, `smtp` → `email`), else inferred from the values found |
//! | `stats` | (no values: an error) |
//! | anything else (`flow`, `netflow`, `tls`, `ssh`, `quic`, …) | `network` |

use super::fields::{Field, Fields};
use super::ObservationKind;

/// The kind `event_type` states.
pub(crate) fn kind(f: &Fields<'_>) -> Option<ObservationKind> {
    match f.str(Field::EventType)?.trim() {
        "dns" => Some(ObservationKind::Dns),
        "http" => Some(ObservationKind::Http),
        "fileinfo" => Some(ObservationKind::File),
        "smtp" => Some(ObservationKind::Email),
        "alert" | "drop" | "anomaly" => alert_kind(f),
        "stats" => Some(ObservationKind::Other),
        _ => Some(ObservationKind::Network),
    }
}

/// An alert's kind from its application protocol, when that is telling.
fn alert_kind(f: &Fields<'_>) -> Option<ObservationKind> {
    match f.str(Field::AppProto)?.trim() {
        "http" | "http2" => Some(ObservationKind::Http),
        "dns" => Some(ObservationKind::Dns),
        "smtp" => Some(ObservationKind::Email),
        _ => None,
    }
}
