//! MISP event JSON → tiIndicators, following Microsoft's MISP sample
//! (`microsoftgraph/security-api-solutions`, `Samples/MISP`: `script.py`, `RequestObject.py`,
//! `constants.py`) where it has a mapping, and saying where we differ.
//!
//! Input: `{"Event": {…}}`, a list of those, restSearch output `{"response": [ … ]}`, or a bare
//! event object. Each attribute of `Event.Attribute` and of `Event.Object[].Attribute` becomes at
//! most one tiIndicator (one per attribute, as in the sample); the attribute types and their
//! properties are in [`misp_attribute`](crate::intel::misp_attribute).
//!
//! | MISP | tiIndicator | note |
//! |---|---|---|
//! | attribute `uuid` | `externalId` | sample; `<event uuid>#<n>` when missing |
//! | event `info` | `description` (≤ 100 characters, cut with `…`) | sample |
//! | event `threat_level_id` 1 / 2 / 3 (4 = undefined) | `severity` 5 / 3 / 1 (unset) | not in the sample |
//! | event and attribute `Tag` names | `tags` | sample |
//! | `tlp:*` tags (event or attribute; the stricter wins) | `tlpLevel` (else the option; the sample defaults to red) | sample |
//! | `diamond-model:<x>` tag | `diamondModel` | sample |
//! | `misp-galaxy:<malware galaxy>="x"` tags and `Galaxy` clusters | `malwareFamilyNames` | galaxies: banker, malpedia, ransomware, rat, botnet, stealer, backdoor, tool, android, cryptominers, mitre-malware, mitre-tool |
//! | `misp-galaxy:threat-actor="x"` (and intrusion-set galaxies), `threat-actor` attributes | `activityGroupNames` | attributes: sample |
//! | attribute `timestamp`, else event `timestamp` | `lastReportedDateTime` | the sample uses the event's |
//! | attribute `comment` | `additionalInformation` | the sample appends `comment` attributes to the description, which would break the 100-character limit |
//!
//! `threatType`, `action`, `targetProduct` and `expirationDateTime` come from the options (the
//! sample: `watchlist` and its config). Attributes with `to_ids` false are skipped unless
//! [`ImportOptions::include_non_ids`] (the sample imports them all); deleted attributes are
//! skipped. In objects, a `port` attribute with relation `dst-port` (`src-port`) is kept as
//! `networkDestinationPort` (`networkSourcePort`) of the object's `ip-dst` (`ip-src`) indicators
//! instead of being reported.

use super::misp_attribute::{attribute_properties, check_type};
use super::vocab;
use super::{
    base_indicator, push_unique, put_list, short_description, ImportOptions, ImportReport, Skipped,
};
use serde_json::{Map, Value};
use time::OffsetDateTime;

const MALWARE_GALAXIES: &[&str] = &[
    "banker",
    "malpedia",
    "ransomware",
    "rat",
    "botnet",
    "stealer",
    "backdoor",
    "tool",
    "android",
    "cryptominers",
    "mitre-malware",
    "mitre-tool",
];
const GROUP_GALAXIES: &[&str] = &[
    "threat-actor",
    "mitre-intrusion-set",
    "mitre-enterprise-attack-intrusion-set",
    "microsoft-activity-group",
];
const DIAMOND: &[&str] = &["adversary", "capability", "infrastructure", "victim"];

/// Imports MISP events (see the module docs).
pub fn import_misp(json: &Value, opts: &ImportOptions) -> ImportReport {
    let mut report = ImportReport::default();
    for event in events(json, &mut report) {
        import_event(event, opts, &mut report);
    }
    report
}

/// The event objects of the input; what is not one is reported under `input`.
fn events<'a>(v: &'a Value, report: &mut ImportReport) -> Vec<&'a Value> {
    let mut out = Vec::new();
    match v {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                match event_of(item) {
                    Some(e) => out.push(e),
                    None => report.skipped.push(Skipped::new(
                        "input",
                        format!("item {i} of the list is not a MISP event ({{\"Event\": {{…}}}})"),
                    )),
                }
            }
        }
        Value::Object(o) if o.contains_key("response") => return events(&o["response"], report),
        other => match event_of(other) {
            Some(e) => out.push(e),
            None => report.skipped.push(Skipped::new(
                "input",
                "expected a MISP event ({\"Event\": {…}}), a list of them, or restSearch output \
                 ({\"response\": […]})",
            )),
        },
    }
    out
}

fn event_of(v: &Value) -> Option<&Value> {
    let o = v.as_object()?;
    if let Some(e) = o.get("Event").filter(|e| e.is_object()) {
        return Some(e);
    }
    (o.contains_key("Attribute") || o.contains_key("Object") || o.contains_key("info")).then_some(v)
}

/// What every indicator of one event shares.
struct EventContext {
    base: Map<String, Value>,
    uuid: String,
    tags: Vec<String>,
    tlp: Option<&'static str>,
    timestamp: Option<String>,
    counter: usize,
}

fn import_event(event: &Value, opts: &ImportOptions, report: &mut ImportReport) {
    let mut ctx = event_context(event, opts);
    for attr in list(event, "Attribute") {
        import_attribute(attr, &mut ctx, opts, None, report);
    }
    for object in list(event, "Object") {
        let attrs: Vec<&Value> = list(object, "Attribute").collect();
        let ports = ObjectPorts::of(&attrs);
        for attr in &attrs {
            if ports.consumes(attr) {
                continue;
            }
            import_attribute(attr, &mut ctx, opts, Some(&ports), report);
        }
    }
}

fn list<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v[key].as_array().into_iter().flatten()
}

fn event_context(event: &Value, opts: &ImportOptions) -> EventContext {
    let mut base = base_indicator(opts);
    let uuid = event["uuid"].as_str().unwrap_or("event").to_string();
    let info = event["info"].as_str().and_then(short_description);
    let description = info.unwrap_or_else(|| format!("MISP event {uuid}"));
    base.insert("description".into(), Value::String(description));
    let severity = match text(&event["threat_level_id"]).as_deref() {
        Some("1") => Some(5),
        Some("2") => Some(3),
        Some("3") => Some(1),
        _ => None,
    };
    if let Some(s) = severity {
        base.insert("severity".into(), Value::from(s));
    }
    let tags = tag_names(event);
    let (malware, groups) = named_entities(event);
    put_list(&mut base, "malwareFamilyNames", malware);
    put_list(&mut base, "activityGroupNames", groups);
    let diamond = tags.iter().find_map(|t| {
        let x = t
            .strip_prefix("diamond-model:")?
            .trim_matches('"')
            .to_ascii_lowercase();
        DIAMOND.contains(&x.as_str()).then_some(x)
    });
    if let Some(d) = diamond {
        base.insert("diamondModel".into(), Value::String(d));
    }
    EventContext {
        base,
        uuid,
        tlp: tlp_of_tags(&tags),
        tags,
        timestamp: graph_time(&event["timestamp"]),
        counter: 0,
    }
}

/// (malware family names, activity group names) from galaxies and `threat-actor` attributes.
fn named_entities(event: &Value) -> (Vec<String>, Vec<String>) {
    let mut malware = Vec::new();
    let mut groups = Vec::new();
    for (kind, name) in galaxy_entries(event) {
        if MALWARE_GALAXIES.contains(&kind.as_str()) {
            push_unique(&mut malware, name);
        } else if GROUP_GALAXIES.contains(&kind.as_str()) {
            push_unique(&mut groups, name);
        }
    }
    for attr in list(event, "Attribute").filter(|a| a["type"] == "threat-actor") {
        if let Some(v) = attr["value"].as_str() {
            push_unique(&mut groups, v.trim());
        }
    }
    (malware, groups)
}

/// A string or number as text.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A MISP Unix timestamp (seconds, string or number) as a Graph date-time.
fn graph_time(v: &Value) -> Option<String> {
    let secs: i64 = text(v)?.parse().ok()?;
    let t = OffsetDateTime::from_unix_timestamp(secs).ok()?;
    Some(crate::datetime::format(t))
}

fn tag_names(v: &Value) -> Vec<String> {
    let mut tags = Vec::new();
    for t in list(v, "Tag") {
        if let Some(name) = t["name"].as_str().map(str::trim).filter(|n| !n.is_empty()) {
            push_unique(&mut tags, name);
        }
    }
    tags
}

fn tlp_of_tags(tags: &[String]) -> Option<&'static str> {
    tags.iter()
        .fold(None, |acc, t| vocab::stricter(acc, vocab::tlp_of_label(t)))
}

/// (galaxy type, cluster value) from `misp-galaxy:` tags and the `Galaxy` array.
fn galaxy_entries(event: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for tag in tag_names(event) {
        if let Some(entry) = parse_galaxy_tag(&tag) {
            out.push(entry);
        }
    }
    for galaxy in list(event, "Galaxy") {
        for cluster in list(galaxy, "GalaxyCluster") {
            let from_tag = cluster["tag_name"].as_str().and_then(parse_galaxy_tag);
            let from_fields = galaxy["type"]
                .as_str()
                .zip(cluster["value"].as_str())
                .map(|(t, v)| (t.to_string(), v.to_string()));
            if let Some(entry) = from_tag.or(from_fields) {
                out.push(entry);
            }
        }
    }
    out
}

/// `misp-galaxy:banker="Qakbot"` → (`banker`, `Qakbot`).
fn parse_galaxy_tag(tag: &str) -> Option<(String, String)> {
    let (kind, value) = tag.strip_prefix("misp-galaxy:")?.split_once('=')?;
    let value = value.trim().trim_matches('"').trim();
    (!value.is_empty()).then(|| (kind.trim().to_string(), value.to_string()))
}

/// The ports an object gives its addresses (`ip-port` objects: `dst-port`, `src-port`).
#[derive(Default)]
pub(crate) struct ObjectPorts {
    pub dst: Option<u16>,
    pub src: Option<u16>,
    has_dst_ip: bool,
    has_src_ip: bool,
}

impl ObjectPorts {
    fn of(attrs: &[&Value]) -> Self {
        let mut p = ObjectPorts::default();
        for a in attrs {
            let port = || text(&a["value"]).and_then(|v| v.parse::<u16>().ok());
            match (a["type"].as_str(), a["object_relation"].as_str()) {
                (Some("port"), Some("dst-port")) => p.dst = port(),
                (Some("port"), Some("src-port")) => p.src = port(),
                (Some("ip-dst"), _) => p.has_dst_ip = true,
                (Some("ip-src"), _) => p.has_src_ip = true,
                _ => {}
            }
        }
        p
    }

    /// Whether `attr` is a port kept on an address of the same object.
    fn consumes(&self, attr: &Value) -> bool {
        attr["type"] == "port"
            && match attr["object_relation"].as_str() {
                Some("dst-port") => self.has_dst_ip && self.dst.is_some(),
                Some("src-port") => self.has_src_ip && self.src.is_some(),
                _ => false,
            }
    }
}

fn import_attribute(
    attr: &Value,
    ctx: &mut EventContext,
    opts: &ImportOptions,
    ports: Option<&ObjectPorts>,
    report: &mut ImportReport,
) {
    ctx.counter += 1;
    let source = attr["uuid"]
        .as_str()
        .map_or_else(|| format!("{}#{}", ctx.uuid, ctx.counter), str::to_string);
    let ty = attr["type"].as_str().unwrap_or("");
    if ty == "threat-actor" {
        return;
    }
    match attribute_indicator(attr, ty, ctx, opts, ports) {
        Ok(mut indicator) => {
            indicator.insert("externalId".into(), Value::String(source));
            report.indicators.push(Value::Object(indicator));
        }
        Err(reason) => report.skipped.push(Skipped::new(source, reason)),
    }
}

fn attribute_indicator(
    attr: &Value,
    ty: &str,
    ctx: &EventContext,
    opts: &ImportOptions,
    ports: Option<&ObjectPorts>,
) -> Result<Map<String, Value>, String> {
    if attr["deleted"] == true || text(&attr["deleted"]).as_deref() == Some("1") {
        return Err("the attribute is deleted".into());
    }
    check_type(ty)?;
    if !opts.include_non_ids && !to_ids(&attr["to_ids"]) {
        return Err(format!(
            "to_ids is false: MISP marks this {ty} as context, not for detection \
             (set include_non_ids to import it)"
        ));
    }
    let value = text(&attr["value"]).unwrap_or_default();
    let mut m = ctx.base.clone();
    attribute_properties(ty, &value, ports, &mut m)?;
    let mut tags = ctx.tags.clone();
    for t in tag_names(attr) {
        push_unique(&mut tags, t);
    }
    let tlp = vocab::stricter(ctx.tlp, tlp_of_tags(&tags));
    if let Some(level) = tlp {
        m.insert("tlpLevel".into(), Value::String(level.into()));
    }
    put_list(&mut m, "tags", tags);
    if let Some(t) = graph_time(&attr["timestamp"]).or_else(|| ctx.timestamp.clone()) {
        m.insert("lastReportedDateTime".into(), Value::String(t));
    }
    if let Some(c) = attr["comment"]
        .as_str()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        m.insert("additionalInformation".into(), Value::String(c.to_string()));
    }
    Ok(m)
}

/// MISP writes `to_ids` as a boolean, `"1"`/`"0"` or `1`/`0`; missing means false.
fn to_ids(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_i64() == Some(1),
        Value::String(s) => matches!(s.trim(), "1" | "true" | "True"),
        _ => false,
    }
}
