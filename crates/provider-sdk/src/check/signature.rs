//! The signature checks: a provider must refuse calls that secgraph did not sign, signed with
//! another secret, or signed more than five minutes ago, and must accept a rotation header whose
//! second entry is valid. Each call is a valid alert update with a fresh key, so only the
//! signature decides.

use super::callback::alert_update_body;
use super::caller::{excerpt, Signing, STALE_SECONDS};
use super::report::{Report, Verdict};
use super::Run;
use provider_protocol::Endpoint;

/// Runs the four signature checks.
pub(crate) async fn run(run: &Run, report: &mut Report) {
    let refusals = [
        (
            "signature.missing",
            Signing::Absent,
            "a call without X-Secgraph-Timestamp and X-Secgraph-Signature",
            "verify every call with provider_protocol::signing::verify (or serve provider_sdk::server::router) and answer 401 when the headers are missing",
        ),
        (
            "signature.wrong",
            Signing::WrongSecret,
            "a call signed with a secret other than yours",
            "compute the HMAC-SHA256 over the canonical string with your secret and compare it in constant time; answer 401 on a mismatch",
        ),
        (
            "signature.stale",
            Signing::Stale,
            "a correctly signed call whose timestamp is 6 minutes old",
            "refuse timestamps more than 300 s before or after your clock with 401; it bounds replays",
        ),
    ];
    for (name, signing, what, fix) in refusals {
        let verdict = refused(run, signing, what, fix).await;
        report.record(name, verdict);
    }
    report.record("signature.rotation", rotation(run).await);
}

async fn refused(run: &Run, signing: Signing, what: &str, fix: &str) -> Result<String, Verdict> {
    let body = alert_update_body(run, "signature");
    let reply = run
        .caller
        .call(&Endpoint::AlertUpdates, &body, signing)
        .await?;
    match reply.status {
        401 | 403 => Ok(format!("{what} was refused with {}", reply.status)),
        404 | 405 => Err(Verdict::Fail(format!(
            "POST alertUpdates answered {}: it is not served under this URL; serve the provider \
             endpoints under the callbackBaseUrl",
            reply.status
        ))),
        status => Err(Verdict::Fail(format!(
            "{what} was answered {status} ({}){}; {fix}",
            excerpt(&reply.body),
            if signing == Signing::Stale {
                format!(" although it is {STALE_SECONDS} s old")
            } else {
                String::new()
            }
        ))),
    }
}

async fn rotation(run: &Run) -> Result<String, Verdict> {
    let body = alert_update_body(run, "rotation");
    let reply = run
        .caller
        .call(&Endpoint::AlertUpdates, &body, Signing::Rotation)
        .await?;
    match reply.status {
        200 => Ok("a header with an unknown v1= entry before the valid one was accepted".into()),
        status => Err(Verdict::Fail(format!(
            "X-Secgraph-Signature: v1=<other secret>,v1=<yours> was answered {status} ({}); \
             during a secret rotation secgraph sends one v1= entry per secret: accept the call \
             when any entry matches",
            excerpt(&reply.body)
        ))),
    }
}
