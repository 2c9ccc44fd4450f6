//! The threat-indicator benchmark's events: NDJSON bodies for `POST /secgraph/v1/events` in
//! secgraph's native (ECS-based) schema — `network`, `dns`, `http` and `file` events from
//! internal hosts — of which a chosen share hit one indicator of a [`IndicatorSet`], each body
//! with the verdicts the server must answer for it.
//!
//! A hit goes to an `allow` indicator (a verdict and no alert), or — for `alerting_percent` of
//! the hits — to one of the first `hot` `alert`/`block` indicators, so that after the first
//! detection window's alerts the figure measures matching, not alert writing (one alert per
//! indicator, value and window): a hot indicator is always hit with the same value. With `hot` 0
//! alerting hits spread over every `alert`/`block` indicator (nearly every one raises an alert).
//! Other hits on a block use a random address inside it, on a domain the domain or a subdomain. Missed values come from ranges no
//! indicator covers (see [`crate::ti_mix`]), so every event's verdict is known.

use crate::ti_mix::{Action, HashKind, Indicator, IndicatorSet, Observable, Rng, TLDS};
use serde::Deserialize;
use serde_json::{json, Value};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// How the event bodies are made.
#[derive(Debug, Clone)]
pub struct EventOptions {
    /// Events per body (request).
    pub batch: usize,
    /// Distinct bodies (the load generator sends them round-robin).
    pub bodies: usize,
    /// Share of events that hit an indicator, in percent.
    pub hit_percent: u64,
    /// Share of hits that go to `alert`/`block` indicators, in percent (the rest hit `allow`).
    pub alerting_percent: u64,
    /// Alerting hits go to the first `hot` `alert`/`block` indicators; 0: to all of them.
    pub hot: usize,
    /// Seed of the event generator.
    pub seed: u64,
    /// The events' time stamps start here (one millisecond apart, wrapping each minute).
    pub time: OffsetDateTime,
}

/// How many events got each verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Verdicts {
    /// No indicator matched.
    pub none: usize,
    /// The deciding indicator allows.
    pub allow: usize,
    /// The deciding indicator alerts.
    pub alert: usize,
    /// The deciding indicator blocks.
    pub block: usize,
}

impl Verdicts {
    /// Counts one verdict by its wire string; anything else is an error naming it.
    pub fn count(&mut self, verdict: &str) -> Result<(), String> {
        match verdict {
            "none" => self.none += 1,
            "allow" => self.allow += 1,
            "alert" => self.alert += 1,
            "block" => self.block += 1,
            other => return Err(format!("unexpected verdict '{other}'")),
        }
        Ok(())
    }

    /// Adds `other`'s counts.
    pub fn add(&mut self, other: &Verdicts) {
        self.none += other.none;
        self.allow += other.allow;
        self.alert += other.alert;
        self.block += other.block;
    }

    /// Events counted.
    pub fn total(&self) -> usize {
        self.none + self.allow + self.alert + self.block
    }

    /// Events with a verdict.
    pub fn hits(&self) -> usize {
        self.allow + self.alert + self.block
    }
}

/// One request body and the verdicts the server must answer for it.
#[derive(Debug, Clone)]
pub struct EventBody {
    /// NDJSON, one event per line.
    pub ndjson: Vec<u8>,
    /// The verdicts of its events.
    pub expected: Verdicts,
}

/// The part of an events answer the benchmark reads.
#[derive(Deserialize)]
struct Answer<'a> {
    #[serde(borrow)]
    value: Vec<AnswerLine<'a>>,
    rejected: usize,
    #[serde(rename = "alertsRaised")]
    alerts_raised: usize,
}

#[derive(Deserialize)]
struct AnswerLine<'a> {
    #[serde(borrow)]
    verdict: Option<&'a str>,
}

/// Reads an answer of `POST /secgraph/v1/events` and checks its verdicts against `expected`;
/// returns the verdicts and `alertsRaised`.
pub fn check_answer(body: &[u8], expected: &Verdicts) -> Result<(Verdicts, usize), String> {
    let answer: Answer<'_> = serde_json::from_slice(body)
        .map_err(|e| format!("the answer is not the documented JSON ({e})"))?;
    let mut got = Verdicts::default();
    for line in &answer.value {
        got.count(line.verdict.unwrap_or("(missing)"))?;
    }
    if got != *expected || answer.rejected != 0 {
        return Err(format!(
            "the server answered {got:?} ({} rejected), the generator expected {expected:?}; does the tenant hold exactly the generated indicators (same --indicators and --seed, nothing else)?",
            answer.rejected
        ));
    }
    Ok((got, answer.alerts_raised))
}

/// What an event carries that matching reads.
enum Probe {
    Network(IpAddr),
    Dns(String),
    Http(String),
    File(HashKind, String),
}

/// Makes the event bodies for `set`; fails when the options ask for hits of a kind the set does
/// not have.
pub fn event_bodies(set: &IndicatorSet, o: &EventOptions) -> Result<Vec<EventBody>, String> {
    let allow: Vec<&Indicator> = of(set, |a| a == Action::Allow, 0);
    let alerting: Vec<&Indicator> = of(set, |a| a != Action::Allow, o.hot);
    if o.hit_percent > 0 && o.alerting_percent < 100 && allow.is_empty() {
        return Err("the indicators include no allow indicator to hit: generate more, or set --alerting-percent 100".into());
    }
    if o.hit_percent > 0 && o.alerting_percent > 0 && alerting.is_empty() {
        return Err("the indicators include no alert or block indicator to hit: generate more, or set --alerting-percent 0".into());
    }
    let mut rng = Rng::new(o.seed);
    let mut n = 0_u64;
    let mut bodies = Vec::with_capacity(o.bodies);
    for _ in 0..o.bodies {
        let mut body = EventBody {
            ndjson: Vec::with_capacity(o.batch * 256),
            expected: Verdicts::default(),
        };
        for _ in 0..o.batch {
            let target = if rng.percent(o.hit_percent) {
                let pool = if rng.percent(o.alerting_percent) {
                    &alerting
                } else {
                    &allow
                };
                Some(pool[rng.below(pool.len() as u64) as usize])
            } else {
                None
            };
            let probe = match target {
                Some(t) if t.action != Action::Allow && o.hot > 0 => exact(&t.observable),
                Some(t) => hit(&mut rng, &t.observable),
                None => miss(&mut rng),
            };
            body.expected
                .count(target.map_or("none", |t| t.action.as_str()))?;
            let line = render(&mut rng, n, o.time, &probe)?;
            body.ndjson.extend_from_slice(line.as_bytes());
            body.ndjson.push(b'\n');
            n += 1;
        }
        bodies.push(body);
    }
    Ok(bodies)
}

/// The indicators whose action passes `keep`, at most `limit` of them (0: all).
fn of(set: &IndicatorSet, keep: fn(Action) -> bool, limit: usize) -> Vec<&Indicator> {
    let all = set.indicators.iter().filter(|i| keep(i.action));
    match limit {
        0 => all.collect(),
        n => all.take(n).collect(),
    }
}

/// The one value a hot indicator is hit with (a block's network address, the domain itself), so
/// that it raises one alert per detection window.
fn exact(observable: &Observable) -> Probe {
    match observable {
        Observable::Ip(ip) | Observable::Cidr(ip, _) => Probe::Network(*ip),
        Observable::Domain(d) => Probe::Dns(d.clone()),
        Observable::Hash(kind, h) => Probe::File(*kind, h.clone()),
        Observable::Url(u) => Probe::Http(u.clone()),
    }
}

/// A value that `observable` matches (a random address of a block, the domain or a subdomain).
fn hit(rng: &mut Rng, observable: &Observable) -> Probe {
    match observable {
        Observable::Ip(ip) => Probe::Network(*ip),
        Observable::Cidr(IpAddr::V4(net), len) => {
            let offset = rng.below(1 << (32 - len)) as u32;
            Probe::Network(IpAddr::V4(Ipv4Addr::from(u32::from(*net) + offset)))
        }
        Observable::Cidr(IpAddr::V6(net), len) => {
            let bits = (128 - u32::from(*len)).min(64);
            let offset = u128::from(rng.next_u64() >> (64 - bits));
            Probe::Network(IpAddr::V6(Ipv6Addr::from(u128::from(*net) + offset)))
        }
        Observable::Domain(d) if rng.percent(50) => Probe::Dns(format!("{}.{d}", rng.label(5))),
        Observable::Domain(d) => Probe::Dns(d.clone()),
        Observable::Hash(kind, h) => Probe::File(*kind, h.clone()),
        Observable::Url(u) => Probe::Http(u.clone()),
    }
}

/// A value no indicator matches: 40% addresses (80% IPv4), 30% names, 20% hashes, 10% URLs.
fn miss(rng: &mut Rng) -> Probe {
    let tld = TLDS[rng.below(TLDS.len() as u64) as usize];
    match rng.below(100) {
        0..=39 if rng.percent(80) => Probe::Network(IpAddr::V4(Ipv4Addr::from(
            (130 << 24) + rng.below(30 << 24) as u32,
        ))),
        0..=39 => Probe::Network(IpAddr::V6(Ipv6Addr::from(
            (0x2c00_u128 << 112) | u128::from(rng.next_u64()),
        ))),
        40..=69 => Probe::Dns(format!(
            "{}.{}-{}.{tld}",
            rng.label(4),
            rng.label(7),
            rng.label(3)
        )),
        70..=89 => Probe::File(HashKind::Sha256, rng.hex(64)),
        _ => Probe::Http(format!(
            "https://{}-cdn.{tld}/{}/{}.js",
            rng.label(8),
            rng.label(5),
            rng.label(6)
        )),
    }
}

/// Event `n` as one NDJSON line.
fn render(rng: &mut Rng, n: u64, start: OffsetDateTime, probe: &Probe) -> Result<String, String> {
    let at = start + time::Duration::milliseconds((n % 60_000) as i64);
    let at = at.format(&Rfc3339).map_err(|e| e.to_string())?;
    let source = Ipv4Addr::from((10 << 24) + rng.below(1 << 24) as u32).to_string();
    let mut event = json!({
        "@timestamp": at,
        "id": format!("bench-event-{n}"),
        "host": {"name": format!("ws-{:03}", rng.below(500))},
        "source": {"ip": source, "port": 1024 + rng.below(60_000)},
    });
    let (kind, extra) = match probe {
        Probe::Network(ip) => (
            "network",
            json!({"destination": {"ip": ip.to_string(), "port": 443}}),
        ),
        Probe::Dns(name) => ("dns", json!({"dns": {"question": {"name": name}}})),
        Probe::Http(url) => ("http", json!({"url": {"full": url}})),
        Probe::File(kind, h) => (
            "file",
            json!({"file": {"name": format!("{}.exe", rng.label(8)), "hash": {kind.as_str(): h}}}),
        ),
    };
    if let (Value::Object(map), Value::Object(more)) = (&mut event, extra) {
        map.insert("type".into(), kind.into());
        map.extend(more);
    }
    Ok(event.to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn options(hot: usize) -> EventOptions {
        EventOptions {
            batch: 500,
            bodies: 4,
            hit_percent: 50,
            alerting_percent: 10,
            hot,
            seed: 9,
            time: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn bodies_are_ndjson_with_the_requested_share_of_hits() {
        let set = IndicatorSet::generate(2_000, 1).unwrap();
        let bodies = event_bodies(&set, &options(16)).unwrap();
        let mut all = Verdicts::default();
        for body in &bodies {
            let lines: Vec<Value> = body
                .ndjson
                .split(|b| *b == b'\n')
                .filter(|l| !l.is_empty())
                .map(|l| serde_json::from_slice(l).unwrap())
                .collect();
            assert_eq!(lines.len(), 500);
            assert_eq!(body.expected.total(), 500);
            assert!(lines
                .iter()
                .all(|e| e["type"].is_string() && e["@timestamp"].is_string()));
            all.add(&body.expected);
        }
        assert!((900..1_100).contains(&all.hits()), "{all:?}");
        assert!((50..150).contains(&(all.alert + all.block)), "{all:?}");
    }

    #[test]
    fn hot_limits_alerting_hits_to_the_first_alerting_indicators() {
        let set = IndicatorSet::generate(2_000, 1).unwrap();
        let mut o = options(1);
        o.alerting_percent = 100;
        let hot = of(&set, |a| a != Action::Allow, 1)[0].action;
        let one = event_bodies(&set, &o).unwrap()[0].expected;
        assert_eq!(one.allow, 0);
        assert!(one.hits() > 200, "{one:?}");
        let (same, other) = match hot {
            Action::Block => (one.block, one.alert),
            _ => (one.alert, one.block),
        };
        assert_eq!(
            (same, other),
            (one.hits(), 0),
            "every alerting hit goes to the one hot indicator"
        );
        o.hot = 0;
        let all = event_bodies(&set, &o).unwrap()[0].expected;
        assert!(all.alert > 0 && all.block > 0, "{all:?}");
    }

    #[test]
    fn answers_are_checked_against_the_expected_verdicts() {
        let want = Verdicts {
            none: 1,
            allow: 1,
            alert: 0,
            block: 0,
        };
        let ok = br#"{"value":[{"line":1,"verdict":"none","matches":[]},{"line":2,"verdict":"allow"}],"accepted":2,"rejected":0,"alertsRaised":3}"#;
        assert_eq!(check_answer(ok, &want).unwrap(), (want, 3));
        let wrong =
            br#"{"value":[{"verdict":"none"},{"verdict":"none"}],"rejected":0,"alertsRaised":0}"#;
        assert!(check_answer(wrong, &want).unwrap_err().contains("expected"));
        let error_line = br#"{"value":[{"verdict":"none"},{"line":2,"error":{}}],"rejected":1,"alertsRaised":0}"#;
        assert!(check_answer(error_line, &want)
            .unwrap_err()
            .contains("(missing)"));
        assert!(check_answer(b"oops", &want)
            .unwrap_err()
            .contains("not the documented JSON"));
    }

    #[test]
    fn asking_for_hits_the_set_cannot_give_is_an_error() {
        let set = IndicatorSet {
            indicators: Vec::new(),
            seed: 0,
        };
        let e = event_bodies(&set, &options(0)).unwrap_err();
        assert!(e.contains("no allow indicator"), "{e}");
        assert!(Verdicts::default()
            .count("maybe")
            .unwrap_err()
            .contains("maybe"));
    }
}
