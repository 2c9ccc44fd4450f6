//! Merging federated answers and the `Warning` header of the providers that failed.
//!
//! **Order.** The union of all answered alerts is sorted by the bound `$orderby` (default
//! `createdDateTime desc`) exactly as the store sorts a local list: enum properties by declaration
//! order, strings bytewise, date-times as instants, `null` (and an enum member the schema does not
//! know) first ascending and last descending, then `id` in the direction of the last item; alerts
//! equal on all of that keep the order of the sources, then of each answer.
//!
//! **`$top`.** Graph applies `$top` per provider and returns the aggregate, so a client may receive
//! up to `$top` × providers. secgraph forwards `$top` to every provider and then returns at most
//! `$top` of the merged list: the first `$top` in the requested order, as OData defines `$top`.
//!
//! **Failures.** A source that answered a status other than 2xx and 404, timed out, could not be
//! reached or sent an unreadable answer adds `199 - "{Vendor}/{Provider}/{Status}/{LatencyMs}"` to
//! the `Warning` header (items comma-separated, in source order) and makes the response `206`. A
//! `404` means "nothing here" and is not reported (spec digest §2.4).

use super::FederatedAnswer;
use model::{LegacyAlert, VendorInformation};
use odata::bound::OrderBy;
use odata::schema::PropType;
use serde_json::Value;
use std::cmp::Ordering;
use std::fmt::Write;

/// Status reported for a provider that did not answer within its timeout.
pub const TIMEOUT_STATUS: u16 = 504;
/// Status reported for a provider that could not be connected to.
pub const UNREACHABLE_STATUS: u16 = 503;
/// Status reported for a 2xx answer that is not a valid [`FederatedAnswer`].
pub const INVALID_ANSWER_STATUS: u16 = 502;

/// How one provider's query ended.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceOutcome {
    /// A valid answer.
    Answered(FederatedAnswer),
    /// A non-2xx HTTP status (`404`: nothing here, not reported).
    Status(u16),
    /// No answer within the timeout.
    TimedOut,
    /// No connection.
    Unreachable,
    /// A 2xx answer that did not parse or validate.
    InvalidAnswer,
}

/// One provider's query: who, how long, how it ended.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceResult {
    /// `vendorInformation.vendor` (the manifest's `vendor`).
    pub vendor: String,
    /// `vendorInformation.provider` (the manifest's `name`).
    pub provider: String,
    /// From sending the request to the end of the answer (or to giving up), in milliseconds.
    pub latency_ms: u64,
    /// How it ended.
    pub outcome: SourceOutcome,
}

/// The merged answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The alerts, ordered and cut to `$top`; each carries its source's `vendor` and `provider`.
    pub alerts: Vec<LegacyAlert>,
    /// The `Warning` header value, when some source failed.
    pub warning: Option<String>,
}

impl Merged {
    /// `206` when some source failed, else `200`.
    pub fn status(&self) -> u16 {
        if self.warning.is_some() {
            206
        } else {
            200
        }
    }
}

impl SourceResult {
    /// The status reported for this source, `None` when it is not reported.
    fn failure_status(&self) -> Option<u16> {
        match &self.outcome {
            SourceOutcome::Answered(_) => None,
            SourceOutcome::Status(s) if (200..300).contains(s) || *s == 404 => None,
            SourceOutcome::Status(s) => Some(*s),
            SourceOutcome::TimedOut => Some(TIMEOUT_STATUS),
            SourceOutcome::Unreachable => Some(UNREACHABLE_STATUS),
            SourceOutcome::InvalidAnswer => Some(INVALID_ANSWER_STATUS),
        }
    }
}

/// Merges the sources' answers for `orderby` (bound against `model::schema::LEGACY_ALERT`) and
/// `top` (see the module docs).
pub fn merge(sources: Vec<SourceResult>, orderby: &[OrderBy], top: Option<usize>) -> Merged {
    merge_with(Vec::new(), sources, orderby, top)
}

/// [`merge`] with secgraph's own alerts of the query (`local`, which keep their own
/// `vendorInformation`): they come first among equals.
pub fn merge_with(
    local: Vec<LegacyAlert>,
    sources: Vec<SourceResult>,
    orderby: &[OrderBy],
    top: Option<usize>,
) -> Merged {
    let warning = warning_value(&sources);
    let mut keyed: Vec<(Vec<Key>, LegacyAlert)> = local
        .into_iter()
        .map(|a| (sort_keys(&a, orderby), a))
        .collect();
    for source in sources {
        let SourceOutcome::Answered(answer) = source.outcome else {
            continue;
        };
        for mut alert in answer.value {
            let sent = alert.vendor_information.take().unwrap_or_default();
            alert.vendor_information = Some(VendorInformation {
                provider: Some(source.provider.clone()),
                vendor: Some(source.vendor.clone()),
                ..sent
            });
            keyed.push((sort_keys(&alert, orderby), alert));
        }
    }
    let directions = directions(orderby);
    keyed.sort_by(|(a, _), (b, _)| compare(a, b, &directions));
    let mut alerts: Vec<LegacyAlert> = keyed.into_iter().map(|(_, a)| a).collect();
    if let Some(top) = top {
        alerts.truncate(top);
    }
    Merged { alerts, warning }
}

/// The `Warning` header value for the failed sources, `None` when none failed.
pub fn warning_value(sources: &[SourceResult]) -> Option<String> {
    let mut out = String::new();
    for s in sources {
        let Some(status) = s.failure_status() else {
            continue;
        };
        if !out.is_empty() {
            out.push_str(", ");
        }
        let _ = write!(
            out,
            "199 - \"{}/{}/{status}/{}\"",
            quoted_part(&s.vendor),
            quoted_part(&s.provider),
            s.latency_ms
        );
    }
    (!out.is_empty()).then_some(out)
}

/// `s` made safe inside an HTTP quoted-string of visible ASCII: `"` and `\` escaped, control
/// characters dropped, other non-ASCII characters percent-encoded as UTF-8.
fn quoted_part(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c if c.is_ascii() => out.push(c),
            c => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
        }
    }
    out
}

/// One sort-key value; the derived order is the order of the variants, then of their contents,
/// and only values of one variant are ever compared for one key (plus `Null`).
#[derive(Debug, Clone, PartialEq, PartialOrd)]
enum Key {
    Null,
    Bool(bool),
    Number(f64),
    Instant(i128),
    Rank(usize),
    Text(String),
}

/// Descending flag of each key: the `$orderby` items (or the default), then the `id` tiebreaker.
fn directions(orderby: &[OrderBy]) -> Vec<bool> {
    let mut d: Vec<bool> = orderby.iter().map(|o| o.descending).collect();
    if d.is_empty() {
        d.push(true);
    }
    d.push(*d.last().unwrap_or(&true));
    d
}

fn sort_keys(alert: &LegacyAlert, orderby: &[OrderBy]) -> Vec<Key> {
    let id = Key::Text(alert.id.clone());
    if orderby.is_empty() {
        let created = alert
            .created_date_time
            .map_or(Key::Null, |t| Key::Instant(t.unix_timestamp_nanos()));
        return vec![created, id];
    }
    let doc = serde_json::to_value(alert).unwrap_or(Value::Null);
    let mut keys: Vec<Key> = orderby.iter().map(|o| key_at(&doc, o)).collect();
    keys.push(id);
    keys
}

fn key_at(doc: &Value, o: &OrderBy) -> Key {
    let mut v = doc;
    for seg in o.path.segments.iter().copied() {
        v = v.get(seg).unwrap_or(&Value::Null);
    }
    for seg in &o.path.open_segments {
        v = v.get(seg.as_str()).unwrap_or(&Value::Null);
    }
    match (v, o.path.ty) {
        (Value::Null, _) => Key::Null,
        (Value::String(s), PropType::Enum(e)) => e
            .members
            .iter()
            .position(|m| m == s)
            .map_or(Key::Null, Key::Rank),
        (Value::String(s), PropType::DateTimeOffset) => model::datetime::parse(s)
            .map_or(Key::Text(s.clone()), |t| {
                Key::Instant(t.unix_timestamp_nanos())
            }),
        (Value::String(s), _) => Key::Text(s.clone()),
        (Value::Bool(b), _) => Key::Bool(*b),
        (Value::Number(n), _) => n.as_f64().map_or(Key::Null, Key::Number),
        (other, _) => Key::Text(other.to_string()),
    }
}

fn compare(a: &[Key], b: &[Key], descending: &[bool]) -> Ordering {
    for ((x, y), desc) in a.iter().zip(b).zip(descending) {
        let o = x.partial_cmp(y).unwrap_or(Ordering::Equal);
        let o = if *desc { o.reverse() } else { o };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}
