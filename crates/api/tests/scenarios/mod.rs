//! The correlation scenario runner: a scenario file (`tests/fixtures/scenarios/*.json` at the
//! repository root) holds alerts (alerts_v2 JSON) and steps, each one of
//!
//! | step | what it does |
//! |---|---|
//! | `{"ingest": [ids]}` | writes those alerts through the ingest path (as a provider's) |
//! | `{"reingest": [ids]}` | writes them again, one hour later and one severity step up |
//! | `{"patch": {"incidentOf": id, "body": {…}}}` | `PATCH`es the incident of alert `id` |
//! | `{"unlink": {"alert": id}}` | `secgraph.unlink` of the alert from its incident |
//! | `{"link": {"into": id, "alerts": [ids]}}` | `secgraph.linkAlerts` into the incident of `into` |
//! | `{"merge": {"from": id, "into": id}}` | `secgraph.mergeInto` of one alert's incident into another's |
//! | `{"expect": {…}}` | checks `together` (groups in one incident), `apart` (pairs in different incidents), `alone` (an incident of its own), `reasons` (among the incident's `correlationReasons`), `severity`/`status`/`displayName` (of an alert's incident), `redirected` (the incident an alert had when it was merged) |
//!
//! With `"reversed": true` the scenario also runs with every `ingest` in reverse order, and the
//! expectations must hold the same.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use reqwest::Method;
use serde_json::{json, Value};
use std::collections::HashMap;
use store::IngestOrigin;
use testkit::TestServer;

/// One scenario file.
pub struct Scenario {
    /// The file name without `.json`.
    pub name: String,
    /// The parsed file.
    pub doc: Value,
}

/// The scenario directory.
pub fn dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/scenarios")
}

/// The scenario `name`.
pub fn load(name: &str) -> Scenario {
    let path = dir().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Scenario {
        name: name.to_owned(),
        doc: serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    }
}

/// Every scenario file's name.
pub fn names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .to_str()?
                .strip_suffix(".json")
                .map(str::to_owned)
        })
        .collect();
    names.sort();
    names
}

/// Runs `s` on a fresh server, forwards and (when the scenario asks) with reversed arrivals.
pub async fn run(s: &Scenario) {
    run_once(s, false).await;
    if s.doc["reversed"].as_bool() == Some(true) {
        run_once(s, true).await;
    }
}

struct Run<'a> {
    server: TestServer,
    scenario: &'a Scenario,
    reversed: bool,
    /// The incident each alert had when its incident was merged away.
    merged: HashMap<String, String>,
}

async fn run_once(s: &Scenario, reversed: bool) {
    let mut r = Run {
        server: TestServer::start().await,
        scenario: s,
        reversed,
        merged: HashMap::new(),
    };
    for (n, step) in s.doc["steps"].as_array().unwrap().iter().enumerate() {
        let what = format!("{} (reversed: {reversed}) step {n}: {step}", s.name);
        r.step(step, &what).await;
    }
}

impl Run<'_> {
    fn alert(&self, id: &str) -> Value {
        self.scenario.doc["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .unwrap_or_else(|| panic!("{}: no alert {id}", self.scenario.name))
            .clone()
    }

    async fn ingest(&self, alerts: Vec<Value>) {
        let stored = alerts
            .into_iter()
            .map(|a| {
                serde_json::from_value(json!({"alert": a, "vendor": {"provider": "scenario"}}))
                    .unwrap()
            })
            .collect();
        self.server
            .store
            .tenant(&self.server.tenant)
            .ingest(stored, IngestOrigin::Provider("scenario".into()))
            .await
            .unwrap();
    }

    async fn incident_of(&self, alert: &str) -> String {
        let a = self
            .server
            .get(&format!(
                "/v1.0/security/alerts_v2/{alert}?$select=incidentId"
            ))
            .await;
        assert_eq!(a.status, 200, "{alert}: {}", a.text);
        a.json()["incidentId"]
            .as_str()
            .expect("every alert has an incident")
            .to_owned()
    }

    async fn incident(&self, id: &str) -> Value {
        let reply = self
            .server
            .get(&format!("/beta/security/incidents/{id}?$expand=alerts"))
            .await;
        assert_eq!(reply.status, 200, "incident {id}: {}", reply.text);
        reply.json()
    }

    async fn post(&self, path: &str, body: Option<Value>, what: &str) -> Value {
        let reply = self
            .server
            .send(Method::POST, path, body.as_ref(), &[])
            .await;
        assert_eq!(reply.status, 200, "{what}: {}", reply.text);
        reply.json()
    }

    async fn step(&mut self, step: &Value, what: &str) {
        let (kind, arg) = step.as_object().unwrap().iter().next().unwrap();
        let ids = |v: &Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|i| i.as_str().unwrap().to_owned())
                .collect()
        };
        match kind.as_str() {
            "ingest" => {
                let mut alerts: Vec<Value> = ids(arg).iter().map(|id| self.alert(id)).collect();
                if self.reversed {
                    alerts.reverse();
                }
                self.ingest(alerts).await;
            }
            "reingest" => {
                let alerts = ids(arg).iter().map(|id| later(self.alert(id))).collect();
                self.ingest(alerts).await;
            }
            "patch" => {
                let incident = self.incident_of(arg["incidentOf"].as_str().unwrap()).await;
                let reply = self
                    .server
                    .patch(
                        &format!("/v1.0/security/incidents/{incident}"),
                        &arg["body"],
                    )
                    .await;
                assert_eq!(reply.status, 200, "{what}: {}", reply.text);
            }
            "unlink" => {
                let alert = arg["alert"].as_str().unwrap();
                let incident = self.incident_of(alert).await;
                let path =
                    format!("/v1.0/security/incidents/{incident}/alerts/{alert}/secgraph.unlink");
                self.post(&path, None, what).await;
            }
            "link" => {
                let incident = self.incident_of(arg["into"].as_str().unwrap()).await;
                let path = format!("/v1.0/security/incidents/{incident}/secgraph.linkAlerts");
                self.post(&path, Some(json!({"alertIds": arg["alerts"]})), what)
                    .await;
            }
            "merge" => {
                let from_alert = arg["from"].as_str().unwrap();
                let from = self.incident_of(from_alert).await;
                let into = self.incident_of(arg["into"].as_str().unwrap()).await;
                let path = format!("/v1.0/security/incidents/{from}/secgraph.mergeInto");
                self.post(&path, Some(json!({"incidentId": into})), what)
                    .await;
                self.merged.insert(from_alert.to_owned(), from);
            }
            "expect" => self.expect(arg, what).await,
            other => panic!("{what}: unknown step '{other}'"),
        }
    }

    async fn expect(&self, e: &Value, what: &str) {
        for group in e["together"].as_array().into_iter().flatten() {
            let group: Vec<&str> = group
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            let first = self.incident_of(group[0]).await;
            for id in &group[1..] {
                assert_eq!(
                    self.incident_of(id).await,
                    first,
                    "{what}: {id} is not with {}",
                    group[0]
                );
            }
            let incident = self.incident(&first).await;
            let mut held: Vec<&str> = incident["alerts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["id"].as_str().unwrap())
                .collect();
            let mut want = group.clone();
            held.sort_unstable();
            want.sort_unstable();
            assert_eq!(held, want, "{what}: the incident holds exactly the group");
        }
        for pair in e["apart"].as_array().into_iter().flatten() {
            let (a, b) = (pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
            assert_ne!(
                self.incident_of(a).await,
                self.incident_of(b).await,
                "{what}: {a} and {b}"
            );
        }
        for id in e["alone"].as_array().into_iter().flatten() {
            let id = id.as_str().unwrap();
            let incident = self.incident(&self.incident_of(id).await).await;
            assert_eq!(
                incident["alerts"].as_array().unwrap().len(),
                1,
                "{what}: {id} is not alone"
            );
        }
        for reason in e["reasons"].as_array().into_iter().flatten() {
            let first = reason["alertIds"][0].as_str().unwrap();
            let incident = self.incident(&self.incident_of(first).await).await;
            let have = incident["correlationReasons"].as_array().unwrap();
            assert!(
                have.contains(reason),
                "{what}: {reason} not among {have:#?}"
            );
        }
        for (field, key) in [
            ("severity", "severity"),
            ("status", "status"),
            ("displayName", "displayName"),
        ] {
            for (alert, want) in e[field].as_object().into_iter().flatten() {
                let incident = self.incident(&self.incident_of(alert).await).await;
                assert_eq!(&incident[key], want, "{what}: {key} of {alert}'s incident");
            }
        }
        for alert in e["redirected"].as_array().into_iter().flatten() {
            let from = &self.merged[alert.as_str().unwrap()];
            let incident = self.incident(from).await;
            assert_eq!(incident["status"], "redirected", "{what}: {from}");
            let into = self.incident_of(alert.as_str().unwrap()).await;
            assert_eq!(incident["redirectIncidentId"], into.as_str(), "{what}");
        }
    }
}

/// The alert as its provider sends it again an hour later, one severity step up.
fn later(mut alert: Value) -> Value {
    let at = model::datetime::parse(alert["lastUpdateDateTime"].as_str().unwrap()).unwrap();
    alert["lastUpdateDateTime"] = json!(model::datetime::format(at + time::Duration::hours(1)));
    let up = match alert["severity"].as_str().unwrap() {
        "informational" => "low",
        "low" => "medium",
        _ => "high",
    };
    alert["severity"] = json!(up);
    alert
}
