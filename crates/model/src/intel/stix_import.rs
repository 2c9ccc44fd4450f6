//! STIX 2.1 → tiIndicators.
//!
//! Input: a bundle, a single STIX object, or an array of objects and/or bundles. Only `indicator`
//! objects become tiIndicators; `marking-definition`, `relationship`, `malware`, `intrusion-set`
//! and `threat-actor` objects in the same input add context; everything else is ignored.
//!
//! **Patterns.** The pattern is parsed in full ([`pattern`](crate::intel::pattern)) and split into its
//! OR-ed parts: OR between observations and OR inside an observation both split, since a match of
//! any part is a match of the whole. Each part that is a single `=` comparison on an observable
//! of the table in [`observable`](crate::intel::observable) with a valid value becomes one tiIndicator;
//! every other part is reported in `skipped` with what is unsupported (AND, FOLLOWEDBY,
//! qualifiers, EXISTS, NOT, operators other than `=`, other object types or properties, invalid
//! values). A pattern that does not parse, a `pattern_type` other than `stix`, and revoked
//! indicators are skipped whole.
//!
//! **externalId** is the STIX id. When a pattern has more than one OR-ed part, the n-th part
//! (counting from 1, skipped parts included, so the numbering is stable) gets `<id>#n`; the same
//! string is the `source` of a skipped part. To remove everything one STIX indicator produced with
//! `deleteTiIndicatorsByExternalId`, send `<id>` and `<id>#1` … `<id>#n`.
//!
//! **Other properties.**
//!
//! | STIX | tiIndicator |
//! |---|---|
//! | `name`, else `description`, else the pattern | `description` (≤ 100 characters, cut with `…`) |
//! | `description` when `name` was used, or when it was cut | `additionalInformation` |
//! | `valid_until` | `expirationDateTime` (else the import option) |
//! | `modified`, else `created` | `lastReportedDateTime` |
//! | `indicator_types`, `labels` | `threatType` (table in [`vocab`]; else the option) |
//! | `confidence` (0–100) | `confidence` |
//! | `kill_chain_phases` | `killChain` |
//! | `object_marking_refs`, `tlp:` labels | `tlpLevel` (else the option) |
//! | other `labels` | `tags` |
//! | `indicates` relationships to `malware` | `malwareFamilyNames` |
//! | `indicates` relationships to `intrusion-set` / `threat-actor` | `activityGroupNames` |
//!
//! `action` and `targetProduct` come from the options. A `valid_until`, `modified`, `created` that
//! is not a timestamp, or a `confidence` outside 0–100, skips the indicator with that reason.

use super::disjunct::{disjuncts, observable_of_test};
use super::vocab;
use super::{
    base_indicator, push_unique, put_list, short_description, ImportOptions, ImportReport, Skipped,
};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Imports STIX indicators (see the module docs).
pub fn import_stix_bundle(bundle: &Value, opts: &ImportOptions) -> ImportReport {
    let mut report = ImportReport::default();
    let objects = collect_objects(bundle, &mut report);
    let ctx = Context::new(&objects);
    for obj in objects.iter().filter(|o| o["type"] == "indicator") {
        import_indicator(obj, &ctx, opts, &mut report);
    }
    report
}

/// The STIX objects of the input; what is not one is reported under `input`.
fn collect_objects<'a>(input: &'a Value, report: &mut ImportReport) -> Vec<&'a Value> {
    let mut out = Vec::new();
    match input {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if let Err(e) = push_object(item, &mut out) {
                    report
                        .skipped
                        .push(Skipped::new("input", format!("item {i} of the array: {e}")));
                }
            }
        }
        other => {
            if let Err(e) = push_object(other, &mut out) {
                report.skipped.push(Skipped::new("input", e));
            }
        }
    }
    out
}

fn push_object<'a>(v: &'a Value, out: &mut Vec<&'a Value>) -> Result<(), String> {
    match v["type"].as_str() {
        Some("bundle") => match v["objects"].as_array() {
            Some(objects) => {
                out.extend(objects.iter().filter(|o| o.is_object()));
                Ok(())
            }
            None if v.get("objects").is_none() => Ok(()),
            None => Err("the bundle's objects is not an array".into()),
        },
        Some(_) => {
            out.push(v);
            Ok(())
        }
        None => Err(format!(
            "expected a STIX bundle or STIX object (a JSON object with a \"type\"); found {}",
            json_kind(v)
        )),
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object without \"type\"",
    }
}

/// What other objects of the input say about indicators.
struct Context<'a> {
    /// marking-definition id → tlpLevel, for TLP markings defined in the input.
    markings: HashMap<&'a str, &'static str>,
    /// malware / intrusion-set / threat-actor id → (type, name).
    named: HashMap<&'a str, (&'a str, &'a str)>,
    /// indicator id → ids it `indicates`.
    indicates: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> Context<'a> {
    fn new(objects: &[&'a Value]) -> Self {
        let mut ctx = Context {
            markings: HashMap::new(),
            named: HashMap::new(),
            indicates: HashMap::new(),
        };
        for o in objects {
            let (Some(t), Some(id)) = (o["type"].as_str(), o["id"].as_str()) else {
                continue;
            };
            match t {
                "marking-definition" => {
                    if let Some(tlp) = marking_tlp(o) {
                        ctx.markings.insert(id, tlp);
                    }
                }
                "malware" | "intrusion-set" | "threat-actor" => {
                    if let Some(name) = o["name"].as_str() {
                        ctx.named.insert(id, (t, name));
                    }
                }
                "relationship" if o["relationship_type"] == "indicates" => {
                    if let (Some(s), Some(t)) = (o["source_ref"].as_str(), o["target_ref"].as_str())
                    {
                        ctx.indicates.entry(s).or_default().push(t);
                    }
                }
                _ => {}
            }
        }
        ctx
    }
}

fn marking_tlp(o: &Value) -> Option<&'static str> {
    if let Some(tlp) = o["id"].as_str().and_then(vocab::tlp_of_marking_id) {
        return Some(tlp);
    }
    if o["definition_type"] == "tlp" {
        if let Some(tlp) = o["definition"]["tlp"].as_str().and_then(vocab::tlp_of_name) {
            return Some(tlp);
        }
    }
    o["name"].as_str().and_then(vocab::tlp_of_label)
}

fn import_indicator(obj: &Value, ctx: &Context, opts: &ImportOptions, report: &mut ImportReport) {
    let Some(id) = obj["id"].as_str() else {
        report
            .skipped
            .push(Skipped::new("input", "an indicator has no id"));
        return;
    };
    let parsed = check_indicator(obj).and_then(|pattern| {
        let meta = metadata(obj, id, pattern, ctx, opts)?;
        let ast = super::parse_pattern(pattern)
            .map_err(|e| format!("the pattern does not parse: {e}"))?;
        Ok((meta, ast))
    });
    let (meta, ast) = match parsed {
        Ok(ok) => ok,
        Err(reason) => {
            report.skipped.push(Skipped::new(id, reason));
            return;
        }
    };
    let mut parts = Vec::new();
    disjuncts(&ast, &mut parts);
    let several = parts.len() > 1;
    for (i, part) in parts.into_iter().enumerate() {
        let source = if several {
            format!("{id}#{}", i + 1)
        } else {
            id.to_string()
        };
        match part.and_then(observable_of_test) {
            Ok(o) => {
                let mut indicator = meta.clone();
                o.write_to(&mut indicator);
                indicator.insert("externalId".into(), Value::String(source));
                report.indicators.push(Value::Object(indicator));
            }
            Err(reason) => report.skipped.push(Skipped::new(source, reason)),
        }
    }
}

/// The pattern of an importable indicator, or why it is not importable.
fn check_indicator(obj: &Value) -> Result<&str, String> {
    if obj["revoked"] == true {
        return Err("the indicator is revoked".into());
    }
    match obj["pattern_type"].as_str() {
        None | Some("stix") => {}
        Some(other) => {
            return Err(format!(
                "pattern_type {other} is not supported; only stix patterns can be imported"
            ))
        }
    }
    obj["pattern"]
        .as_str()
        .ok_or_else(|| "the indicator has no pattern".to_string())
}

/// The tiIndicator properties shared by every part of one STIX indicator.
fn metadata(
    obj: &Value,
    id: &str,
    pattern: &str,
    ctx: &Context,
    opts: &ImportOptions,
) -> Result<Map<String, Value>, String> {
    let mut m = base_indicator(opts);
    describe(obj, pattern, &mut m);
    if let Some(t) = timestamp(obj, "valid_until")? {
        m.insert("expirationDateTime".into(), Value::String(t));
    }
    let reported = match timestamp(obj, "modified")? {
        Some(t) => Some(t),
        None => timestamp(obj, "created")?,
    };
    if let Some(t) = reported {
        m.insert("lastReportedDateTime".into(), Value::String(t));
    }
    if let Some(c) = obj.get("confidence").filter(|c| !c.is_null()) {
        match c.as_u64().filter(|c| *c <= 100) {
            Some(c) => m.insert("confidence".into(), Value::from(c)),
            None => {
                return Err(format!(
                    "confidence {c} is not a whole number from 0 to 100"
                ))
            }
        };
    }
    classify(obj, ctx, &mut m);
    relations(id, ctx, &mut m);
    Ok(m)
}

fn describe(obj: &Value, pattern: &str, m: &mut Map<String, Value>) {
    let name = obj["name"].as_str().and_then(short_description);
    let full = obj["description"]
        .as_str()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    let short = full.and_then(short_description);
    let description = name
        .clone()
        .or(short.clone())
        .or_else(|| short_description(pattern));
    if let Some(d) = description {
        m.insert("description".into(), Value::String(d));
    }
    let cut = short.as_deref() != full;
    if let Some(full) = full.filter(|_| name.is_some() || cut) {
        m.insert(
            "additionalInformation".into(),
            Value::String(full.to_string()),
        );
    }
}

/// A STIX timestamp property as a Graph date-time, `None` when absent.
fn timestamp(obj: &Value, key: &str) -> Result<Option<String>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => crate::datetime::parse(s)
            .map(|t| Some(crate::datetime::format(t)))
            .map_err(|_| format!("{key} '{s}' is not a timestamp such as 2016-01-01T00:00:00Z")),
        Some(other) => Err(format!(
            "{key} {other} is not a timestamp such as 2016-01-01T00:00:00Z"
        )),
    }
}

/// threatType, tlpLevel, killChain and tags from types, labels, phases and markings.
fn classify(obj: &Value, ctx: &Context, m: &mut Map<String, Value>) {
    let strings = |key: &str| -> Vec<&str> {
        obj[key]
            .as_array()
            .map_or(Vec::new(), |a| a.iter().filter_map(Value::as_str).collect())
    };
    let types = strings("indicator_types");
    let labels = strings("labels");
    if let Some(tt) = vocab::threat_type_of_terms(types.iter().chain(labels.iter()).copied()) {
        m.insert("threatType".into(), Value::String(tt.into()));
    }
    let mut tlp = None;
    for r in strings("object_marking_refs") {
        let level = ctx
            .markings
            .get(r)
            .copied()
            .or_else(|| vocab::tlp_of_marking_id(r));
        tlp = vocab::stricter(tlp, level);
    }
    let mut tags = Vec::new();
    for l in &labels {
        match vocab::tlp_of_label(l) {
            Some(level) => tlp = vocab::stricter(tlp, Some(level)),
            None if vocab::threat_type_of_term(l).is_some() => {}
            None => push_unique(&mut tags, l.trim()),
        }
    }
    if let Some(level) = tlp {
        m.insert("tlpLevel".into(), Value::String(level.into()));
    }
    let mut kill_chain = Vec::new();
    for phase in obj["kill_chain_phases"].as_array().into_iter().flatten() {
        if let Some(k) = phase["phase_name"]
            .as_str()
            .and_then(vocab::kill_chain_of_phase)
        {
            push_unique(&mut kill_chain, k);
        }
    }
    put_list(m, "killChain", kill_chain);
    put_list(m, "tags", tags);
}

/// malwareFamilyNames and activityGroupNames from `indicates` relationships.
fn relations(id: &str, ctx: &Context, m: &mut Map<String, Value>) {
    let mut malware = Vec::new();
    let mut groups = Vec::new();
    for target in ctx.indicates.get(id).into_iter().flatten() {
        match ctx.named.get(target) {
            Some(("malware", name)) => push_unique(&mut malware, *name),
            Some((_, name)) => push_unique(&mut groups, *name),
            None => {}
        }
    }
    put_list(m, "malwareFamilyNames", malware);
    put_list(m, "activityGroupNames", groups);
}
