//! Secure-score control state reports.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use provider_protocol::{from_json, ControlStateKind, ControlStateReport};
use serde_json::{json, Value};

fn control(name: &str, state: &str, score: Value, max: Value) -> Value {
    json!({"controlName": name, "state": state, "score": score, "maxScore": max,
           "updatedDateTime": "2025-03-01T00:00:00Z"})
}

fn report(controls: Vec<Value>) -> ControlStateReport {
    from_json(
        json!({"protocolVersion": 1, "controls": controls})
            .to_string()
            .as_bytes(),
    )
    .expect("report parses")
}

#[test]
fn a_report_parses_with_states_in_any_case() {
    let mut c = control("MFARegistrationV2", "thirdparty", json!(6.5), json!(10));
    c["affectedItemCount"] = json!(12);
    c["notYetDefined"] = json!("ignored");
    let r = report(vec![
        c,
        control("AdminMFAV2", "IGNORED", json!(0), json!(10)),
    ]);
    assert_eq!(r.validate(), Ok(()));
    assert_eq!(r.controls[0].state, ControlStateKind::ThirdParty);
    assert_eq!(r.controls[0].affected_item_count, Some(12));
    let out = serde_json::to_value(&r).expect("serialises");
    assert_eq!(out["controls"][1]["state"], "Ignored");
    assert_eq!(
        out["controls"][0]["updatedDateTime"],
        "2025-03-01T00:00:00.0000000Z"
    );
    let err = from_json::<ControlStateReport>(
        json!({"protocolVersion": 1, "controls": [control("x", "Done", json!(1), json!(1))]})
            .to_string()
            .as_bytes(),
    )
    .expect_err("unknown state");
    assert!(
        err.to_string()
            .contains("Default, Ignored, ThirdParty, Reviewed"),
        "{err}"
    );
}

#[test]
fn every_control_problem_is_reported() {
    let mut r = report(vec![
        control("", "Default", json!(1), json!(10)),
        control("A", "Default", json!(11), json!(10)),
        control("B", "Default", json!(-1), json!(10)),
        control("C", "Default", json!(1), json!(0)),
        control("a", "Reviewed", json!(0), json!(1)),
    ]);
    r.protocol_version = 0;
    let err = r.validate().expect_err("invalid");
    let expect = [
        ("protocolVersion", "send 1"),
        ("controls[0].controlName", "must not be empty"),
        ("controls[1].score", "is above maxScore 10"),
        ("controls[2].score", "is not a number of at least 0"),
        ("controls[3].maxScore", "is not a positive number"),
        ("controls[4].controlName", "'a' is also controls[1]"),
    ];
    for (path, needle) in expect {
        assert!(err.mentions(path, needle), "{path}: {err}");
    }
    assert_eq!(err.problems.len(), expect.len(), "{err}");
    let mut nan = report(vec![control("N", "Default", json!(1), json!(2))]);
    nan.controls[0].score = f64::NAN;
    assert!(nan
        .validate()
        .expect_err("nan")
        .mentions("controls[0].score", "not a number"));
}

#[test]
fn a_report_holds_one_to_a_thousand_controls() {
    let err = report(vec![]).validate().expect_err("empty");
    assert!(err.mentions("controls", "is empty"), "{err}");
    let many = (0..1001)
        .map(|i| control(&format!("c{i}"), "Default", json!(0), json!(1)))
        .collect();
    let err = report(many).validate().expect_err("1001");
    assert!(err.mentions("controls", "the limit is 1000"), "{err}");
}
