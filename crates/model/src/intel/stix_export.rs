//! tiIndicators → a STIX 2.1 bundle.
//!
//! One `indicator` per tiIndicator:
//!
//! | tiIndicator | STIX |
//! |---|---|
//! | `id` (else `externalId`, else the pattern) | `id`: `indicator--` + UUIDv5 under [`EXPORT_NAMESPACE`], so repeated exports give the same ids |
//! | observables (table in [`observable`](crate::intel::observable)) | `pattern`: `[a = 'x' OR b = 'y']`, `pattern_type: stix` |
//! | `description` | `name` |
//! | `additionalInformation` | `description` |
//! | `ingestedDateTime` (else `now`) | `valid_from`, `created` |
//! | `lastReportedDateTime` (if later) | `modified` (else `created`) |
//! | `expirationDateTime` | `valid_until` |
//! | `threatType` | `indicator_types` (+ a label where needed; see [`vocab`]) |
//! | `tags` | `labels` |
//! | `confidence` | `confidence` |
//! | `killChain` | `kill_chain_phases` (Lockheed Martin names) |
//! | `tlpLevel` | `object_marking_refs` to the TLP 1.0 marking, whose definition is in the bundle |
//! | `malwareFamilyNames` | a `malware` object each (`is_family`) and an `indicates` relationship |
//! | `activityGroupNames` | an `intrusion-set` object each and an `indicates` relationship |
//!
//! Importing the bundle gives back the observables and these properties (with `externalId` set to
//! the STIX id). A tiIndicator with no exportable observable, or whose `expirationDateTime` is not
//! after `valid_from` (STIX requires `valid_until` > `valid_from`), is reported in
//! [`ExportReport::skipped`] instead.

use super::observable::observables_of;
use super::pattern::{ComparisonExpr, ObservationExpr, Span};
use super::vocab;
use super::Skipped;
use serde_json::{json, Map, Value};
use time::OffsetDateTime;
use uuid::Uuid;

/// The UUIDv5 namespace of every id the exporter makes.
pub const EXPORT_NAMESPACE: Uuid = Uuid::from_u128(0x4bf3e0fb_0da2_4abe_8c3f_cbabd0ca446f);

/// A bundle and what could not be put in it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportReport {
    /// The STIX 2.1 bundle.
    pub bundle: Value,
    /// tiIndicators left out, and why (`source` is the tiIndicator id, else its externalId, else
    /// `indicator <index>`).
    pub skipped: Vec<Skipped>,
}

/// Exports `indicators` as a STIX 2.1 bundle; those that cannot be expressed are left out (see
/// [`export_stix`] for why).
pub fn export_stix_bundle(indicators: &[Value], now: OffsetDateTime) -> Value {
    export_stix(indicators, now).bundle
}

/// Exports `indicators` as a STIX 2.1 bundle (see the module docs), reporting those left out.
pub fn export_stix(indicators: &[Value], now: OffsetDateTime) -> ExportReport {
    let mut out = Bundle::default();
    let mut skipped = Vec::new();
    for (i, v) in indicators.iter().enumerate() {
        let Some(ti) = v.as_object() else {
            skipped.push(Skipped::new(format!("indicator {i}"), "not a JSON object"));
            continue;
        };
        if let Err(reason) = out.add(ti, now) {
            skipped.push(Skipped::new(source_of(ti, i), reason));
        }
    }
    ExportReport {
        bundle: out.finish(),
        skipped,
    }
}

fn source_of(ti: &Map<String, Value>, i: usize) -> String {
    ["id", "externalId"]
        .iter()
        .find_map(|k| ti.get(*k).and_then(Value::as_str))
        .map_or_else(|| format!("indicator {i}"), str::to_string)
}

fn v5(name: &str) -> Uuid {
    Uuid::new_v5(&EXPORT_NAMESPACE, name.as_bytes())
}

/// The objects of the bundle being built.
#[derive(Default)]
struct Bundle {
    indicators: Vec<Value>,
    related: Vec<Value>,
    related_ids: Vec<String>,
    relationships: Vec<Value>,
    tlps: Vec<&'static str>,
}

impl Bundle {
    fn add(&mut self, ti: &Map<String, Value>, now: OffsetDateTime) -> Result<(), String> {
        let pattern = pattern_of(ti)?;
        let valid_from = date(ti, "ingestedDateTime")?.unwrap_or(now);
        let valid_until = date(ti, "expirationDateTime")?;
        if let Some(until) = valid_until.filter(|u| *u <= valid_from) {
            return Err(format!(
                "it expires ({}) before it was ingested ({}); STIX needs valid_until after valid_from",
                crate::datetime::format(until),
                crate::datetime::format(valid_from)
            ));
        }
        let modified = date(ti, "lastReportedDateTime")?
            .filter(|m| *m > valid_from)
            .unwrap_or(valid_from);
        let key = ["id", "externalId"]
            .iter()
            .find_map(|k| {
                ti.get(*k)
                    .and_then(Value::as_str)
                    .map(|v| format!("{k}:{v}"))
            })
            .unwrap_or_else(|| format!("pattern:{pattern}"));
        let id = format!("indicator--{}", v5(&key));
        let stamp = |t: OffsetDateTime| Value::String(crate::datetime::format(t));
        let mut ind = Map::new();
        ind.insert("type".into(), json!("indicator"));
        ind.insert("spec_version".into(), json!("2.1"));
        ind.insert("id".into(), json!(id));
        ind.insert("created".into(), stamp(valid_from));
        ind.insert("modified".into(), stamp(modified));
        text(ti, "description", &mut ind, "name");
        text(ti, "additionalInformation", &mut ind, "description");
        ind.insert("pattern".into(), json!(pattern));
        ind.insert("pattern_type".into(), json!("stix"));
        ind.insert("pattern_version".into(), json!("2.1"));
        ind.insert("valid_from".into(), stamp(valid_from));
        if let Some(u) = valid_until {
            ind.insert("valid_until".into(), stamp(u));
        }
        self.classify(ti, &mut ind);
        self.relate(ti, &id, now);
        self.indicators.push(Value::Object(ind));
        Ok(())
    }

    /// indicator_types, labels, confidence, kill_chain_phases and the TLP marking.
    fn classify(&mut self, ti: &Map<String, Value>, ind: &mut Map<String, Value>) {
        let threat_type = ti.get("threatType").and_then(Value::as_str).unwrap_or("");
        let (ov, label) = vocab::stix_terms_of_threat_type(threat_type);
        ind.insert("indicator_types".into(), json!([ov]));
        let mut labels = strings(ti, "tags");
        if let Some(l) = label.filter(|l| !labels.contains(l)) {
            labels.push(l);
        }
        if !labels.is_empty() {
            ind.insert("labels".into(), json!(labels));
        }
        if let Some(c) = ti
            .get("confidence")
            .and_then(Value::as_u64)
            .filter(|c| *c <= 100)
        {
            ind.insert("confidence".into(), json!(c));
        }
        let phases: Vec<Value> = strings(ti, "killChain")
            .iter()
            .filter_map(|k| vocab::phase_of_kill_chain(k))
            .map(|p| json!({"kill_chain_name": vocab::KILL_CHAIN_NAME, "phase_name": p}))
            .collect();
        if !phases.is_empty() {
            ind.insert("kill_chain_phases".into(), Value::Array(phases));
        }
        let tlp = ti
            .get("tlpLevel")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase);
        if let Some(marking) = tlp.as_deref().and_then(vocab::tlp_marking) {
            ind.insert("object_marking_refs".into(), json!([marking["id"]]));
            if let Some(level) = tlp.as_deref().and_then(vocab::tlp_of_name) {
                if !self.tlps.contains(&level) {
                    self.tlps.push(level);
                }
            }
        }
    }

    /// `malware` / `intrusion-set` objects and `indicates` relationships for the names it carries.
    fn relate(&mut self, ti: &Map<String, Value>, id: &str, now: OffsetDateTime) {
        let stamp = crate::datetime::format(now);
        let named = [
            ("malwareFamilyNames", "malware"),
            ("activityGroupNames", "intrusion-set"),
        ];
        for (prop, ty) in named {
            for name in strings(ti, prop) {
                let target = format!("{ty}--{}", v5(&format!("{ty}:{}", name.to_lowercase())));
                if !self.related_ids.contains(&target) {
                    let mut o = json!({"type": ty, "spec_version": "2.1", "id": target,
                        "created": stamp, "modified": stamp, "name": name});
                    if ty == "malware" {
                        o["is_family"] = json!(true);
                    }
                    self.related.push(o);
                    self.related_ids.push(target.clone());
                }
                let rel = format!("relationship--{}", v5(&format!("indicates:{id}:{target}")));
                self.relationships
                    .push(json!({"type": "relationship", "spec_version": "2.1",
                    "id": rel, "created": stamp, "modified": stamp,
                    "relationship_type": "indicates", "source_ref": id, "target_ref": target}));
            }
        }
    }

    fn finish(self) -> Value {
        let mut objects = self.indicators;
        objects.extend(self.related);
        objects.extend(self.relationships);
        objects.extend(self.tlps.iter().filter_map(|t| vocab::tlp_marking(t)));
        let ids: Vec<&str> = objects.iter().filter_map(|o| o["id"].as_str()).collect();
        let id = format!("bundle--{}", v5(&format!("bundle:{}", ids.join(","))));
        json!({"type": "bundle", "id": id, "objects": objects})
    }
}

/// `[a = 'x' OR b = 'y']` from the tiIndicator's observables.
fn pattern_of(ti: &Map<String, Value>) -> Result<String, String> {
    let (observables, other) = observables_of(ti);
    let mut tests: Vec<ComparisonExpr> = Vec::new();
    for o in observables {
        let t = ComparisonExpr::Test(o.to_prop_test());
        if !tests.contains(&t) {
            tests.push(t);
        }
    }
    let span = Span::new(0, 0);
    let comparison = match tests.len() {
        0 if other.is_empty() => return Err("it has no observable".into()),
        0 => {
            return Err(format!(
                "none of its observables can be written as a STIX pattern comparison: {}",
                other.join(", ")
            ))
        }
        1 => tests.remove(0),
        _ => ComparisonExpr::Or(tests, span),
    };
    Ok(ObservationExpr::Observation { comparison, span }.to_string())
}

fn date(ti: &Map<String, Value>, key: &str) -> Result<Option<OffsetDateTime>, String> {
    match ti.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => crate::datetime::parse(s)
            .map(Some)
            .map_err(|e| format!("{key}: {e}")),
        Some(other) => Err(format!("{key}: {other} is not a date-time")),
    }
}

fn text(ti: &Map<String, Value>, from: &str, ind: &mut Map<String, Value>, to: &str) {
    if let Some(s) = ti
        .get(from)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
    {
        ind.insert(to.into(), json!(s));
    }
}

fn strings(ti: &Map<String, Value>, key: &str) -> Vec<String> {
    ti.get(key)
        .and_then(Value::as_array)
        .map_or(Vec::new(), |a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
}
