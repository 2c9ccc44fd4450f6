//! The conformance kit against real providers on loopback: the small SDK provider passes every
//! check in every mode; deliberately broken providers fail exactly the checks for what they break,
//! with messages that say what to do.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::Router;
use provider_sdk::check::{self, CheckOptions, Outcome, Report};
use provider_sdk::router;
use std::sync::Arc;
use support::notebook::Notebook;
use support::{broken, manifest, serve, SECRET};

async fn check_with(base: &str, mode: Option<&str>) -> Report {
    let mut options = CheckOptions::new(base, SECRET);
    options.manifest = mode.map(|m| manifest(m, base));
    check::run(options).await
}

fn outcome(report: &Report, name: &str) -> Outcome {
    report
        .check(name)
        .unwrap_or_else(|| panic!("no check {name} in\n{report}"))
        .outcome
}

fn message<'r>(report: &'r Report, name: &str) -> &'r str {
    &report.check(name).unwrap().message
}

#[tokio::test]
async fn the_small_sdk_provider_passes_every_check_in_every_mode() {
    let notebook = Arc::new(Notebook::default());
    let app = Router::new().nest(
        "/secgraph",
        router(notebook.clone(), vec![SECRET.into()]).unwrap(),
    );
    let base = format!("{}/secgraph", serve(app).await);
    for mode in ["push", "pull", "federated"] {
        let report = check_with(&base, Some(mode)).await;
        assert!(report.passed(), "{mode}:\n{report}");
        for name in [
            "signature.missing",
            "signature.wrong",
            "signature.stale",
            "signature.rotation",
            "alertUpdates.valid",
            "alertUpdates.idempotent",
            "envelope.unknownMembers",
            "action.blockIp.invoke",
            "action.blockIp.repeat",
            "action.blockIp.cancel",
            "action.unblockIp.invoke",
            "action.unblockIp.repeat",
            "action.unblockIp.cancel",
            "answers.rejectedReason",
        ] {
            assert_eq!(
                outcome(&report, name),
                Outcome::Pass,
                "{mode} {name}:\n{report}"
            );
        }
        let (pull, federated) = (
            outcome(&report, "pull.page"),
            outcome(&report, "federated.answer"),
        );
        assert_eq!(pull == Outcome::Pass, mode == "pull", "{report}");
        assert_eq!(federated == Outcome::Pass, mode == "federated", "{report}");
    }
    assert!(
        message(&check_with(&base, Some("pull")).await, "pull.page").contains("2 valid page(s)")
    );
    // blockIp then unblockIp ran for real, once each per mode: the address is free again.
    assert!(notebook.blocked.lock().is_empty());
}

#[tokio::test]
async fn without_a_manifest_the_action_and_mode_checks_are_skipped() {
    let base = serve(router(Arc::new(Notebook::default()), vec![SECRET.into()]).unwrap()).await;
    let report = check_with(&base, None).await;
    assert!(report.passed(), "{report}");
    for name in ["action", "pull.page", "federated.answer"] {
        assert_eq!(outcome(&report, name), Outcome::Skip, "{report}");
        assert!(message(&report, name).contains("--manifest"), "{report}");
    }
    assert!(
        report.to_string().ends_with("the provider conforms"),
        "{report}"
    );
}

#[tokio::test]
async fn a_provider_without_signature_checks_and_with_garbage_answers_fails_those_checks() {
    let base = serve(broken::careless()).await;
    let report = check_with(&base, Some("push")).await;
    assert!(!report.passed());
    for name in ["signature.missing", "signature.wrong", "signature.stale"] {
        assert_eq!(outcome(&report, name), Outcome::Fail, "{report}");
        assert!(message(&report, name).contains("answered 200"), "{report}");
        assert!(message(&report, name).contains("401"), "{report}");
    }
    assert!(
        message(&report, "signature.stale").contains("300 s"),
        "{report}"
    );
    assert_eq!(outcome(&report, "alertUpdates.valid"), Outcome::Fail);
    assert!(
        message(&report, "alertUpdates.valid").contains("not a CallbackAnswer"),
        "{report}"
    );
    assert!(
        message(&report, "alertUpdates.valid").contains(r#"{"ok":true}"#),
        "{report}"
    );
    assert_eq!(
        outcome(&report, "alertUpdates.idempotent"),
        Outcome::Skip,
        "{report}"
    );
    assert_eq!(
        outcome(&report, "action.blockIp.invoke"),
        Outcome::Fail,
        "{report}"
    );
    assert!(
        message(&report, "action.blockIp.invoke").contains("ip=192.0.2.1"),
        "{report}"
    );
    assert!(
        report.to_string().contains("FAIL signature.missing"),
        "{report}"
    );
}

#[tokio::test]
async fn a_provider_that_forgets_keys_and_reads_one_signature_entry_fails_those_checks() {
    let base = serve(broken::forgetful(SECRET)).await;
    let report = check_with(&base, Some("push")).await;
    for name in [
        "signature.missing",
        "signature.wrong",
        "signature.stale",
        "alertUpdates.valid",
    ] {
        assert_eq!(outcome(&report, name), Outcome::Pass, "{report}");
    }
    let failed: Vec<&str> = report.failures().map(|c| c.name.as_str()).collect();
    assert_eq!(
        failed,
        [
            "signature.rotation",
            "alertUpdates.idempotent",
            "envelope.unknownMembers",
            "action.blockIp.repeat",
            "action.unblockIp.repeat",
        ],
        "{report}"
    );
    assert!(
        message(&report, "signature.rotation").contains("any entry matches"),
        "{report}"
    );
    let idem = message(&report, "alertUpdates.idempotent");
    assert!(
        idem.contains("providerVersion") && idem.contains("remember the keys"),
        "{report}"
    );
    assert!(
        message(&report, "action.blockIp.repeat").contains("idempotency key"),
        "{report}"
    );
    assert!(
        message(&report, "envelope.unknownMembers").contains("ignore members"),
        "{report}"
    );
}

#[tokio::test]
async fn rejections_without_a_reason_fail_the_reason_check() {
    let base = serve(router(Arc::new(broken::Curt), vec![SECRET.into()]).unwrap()).await;
    let report = check_with(&base, Some("push")).await;
    assert_eq!(
        outcome(&report, "signature.missing"),
        Outcome::Pass,
        "{report}"
    );
    assert_eq!(
        outcome(&report, "alertUpdates.valid"),
        Outcome::Fail,
        "{report}"
    );
    assert!(
        message(&report, "alertUpdates.valid").contains("reason"),
        "{report}"
    );
    assert_eq!(
        outcome(&report, "answers.rejectedReason"),
        Outcome::Fail,
        "{report}"
    );
    assert!(message(&report, "answers.rejectedReason").contains("actions/cancel (blockIp)"));
}

#[tokio::test]
async fn an_unreachable_provider_fails_with_a_hint() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let report = check_with(&base, None).await;
    assert!(!report.passed());
    assert!(message(&report, "signature.missing").contains("is the provider running there?"));
}

#[tokio::test]
async fn a_short_secret_is_a_setup_failure() {
    let report = check::run(CheckOptions::new("http://127.0.0.1:9", "short")).await;
    assert_eq!(outcome(&report, "setup"), Outcome::Fail);
    assert!(
        message(&report, "setup").contains("at least 32 bytes"),
        "{report}"
    );
}
