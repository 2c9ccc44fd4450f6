//! Correlation end to end, on both backends, from the scenario files in
//! `tests/fixtures/scenarios/` (see `scenarios/mod.rs` for their steps): the attack
//! (phishing mail → URL click → EDR alert on the user's device → IDS alert on the C2 address) forms
//! one incident with the expected reasons while noise stays out, in either arrival order; the
//! guards hold (a resolved incident is not joined, incidents of different assignees do not merge);
//! analysts' link, unlink and merge survive later writes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod scenarios;

/// The scenarios a test below runs (a new file must be added here).
const COVERED: &[&str] = &[
    "different-assignees-not-merged",
    "manual-decisions-survive",
    "phishing-to-c2",
    "resolved-incident-not-joined",
];

#[test]
fn every_scenario_file_has_a_test() {
    assert_eq!(scenarios::names(), COVERED);
}

testdb::conformance! {
    async fn phishing_click_edr_and_ids_form_one_incident() {
        scenarios::run(&scenarios::load("phishing-to-c2")).await;
    }

    async fn a_resolved_incident_is_not_joined() {
        scenarios::run(&scenarios::load("resolved-incident-not-joined")).await;
    }

    async fn incidents_of_different_assignees_do_not_merge() {
        scenarios::run(&scenarios::load("different-assignees-not-merged")).await;
    }

    async fn manual_decisions_survive_later_writes() {
        scenarios::run(&scenarios::load("manual-decisions-survive")).await;
    }
}
