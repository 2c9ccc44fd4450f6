//! The provider conformance kit (`secgraph provider check URL`): calls a provider's endpoints as
//! secgraph would, signed with its secret, and reports each rule it breaks as a named check with a
//! message saying what is wrong and what to do.
//!
//! | check | what it asks |
//! |---|---|
//! | `signature.missing`, `signature.wrong`, `signature.stale` | an unsigned call, one signed with another secret and one signed 6 minutes ago are refused with 401 (or 403) |
//! | `signature.rotation` | a signature header with two `v1=` entries, one of them valid, is accepted |
//! | `alertUpdates.valid` | a valid alert update is answered 200 with a valid `CallbackAnswer` |
//! | `alertUpdates.idempotent` | the same `idempotencyKey` again gets the same answer |
//! | `envelope.unknownMembers` | a body with members this protocol version does not define is accepted |
//! | `action.{name}.invoke`, `.repeat`, `.cancel` | for each action of the manifest: an invocation with example parameters is answered, a repeat of the `actionId` gets the same answer, a cancellation is answered |
//! | `pull.page` | (pull mode) pages are valid `PullPage`s whose alerts fit the alert schema |
//! | `federated.answer` | (federated mode) the answer is a valid `FederatedAnswer` (or 404) within `$top` |
//! | `answers.rejectedReason` | every `rejected` answer seen carries a reason |
//!
//! The calls are real: actions run at the provider with documentation values (`192.0.2.1`,
//! `example.com`, the SHA-256 of the empty string, ...), so point the kit at a test instance.

mod action;
mod callback;
mod caller;
mod query;
pub mod report;
mod signature;

pub use report::{Check, Outcome, Report};

use caller::Caller;
use provider_protocol::{CallbackAnswer, CallbackResult, ProviderManifest};
use report::Verdict;
use std::time::Duration;

/// The tenant the kit acts for when none is given (any id works; providers see it in bodies and
/// queries).
pub const DEFAULT_TENANT: &str = "00000000-0000-4000-8000-00000000c0de";

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The provider's `callbackBaseUrl`, such as `https://fw.example/secgraph`.
    pub base_url: String,
    /// The signing secret the provider holds.
    pub secret: String,
    /// The tenant in bodies and queries.
    pub tenant_id: String,
    /// The provider's manifest: enables the action checks and, by its mode, the pull or federated
    /// checks.
    pub manifest: Option<ProviderManifest>,
    /// How long one call may take.
    pub timeout: Duration,
}

impl CheckOptions {
    /// Options for `base_url` and `secret`, with [`DEFAULT_TENANT`], no manifest and a 10 s
    /// timeout per call.
    pub fn new(base_url: impl Into<String>, secret: impl Into<String>) -> Self {
        CheckOptions {
            base_url: base_url.into(),
            secret: secret.into(),
            tenant_id: DEFAULT_TENANT.to_string(),
            manifest: None,
            timeout: Duration::from_secs(10),
        }
    }
}

/// What the checks share: the caller, the options, and every answer seen (for
/// `answers.rejectedReason`).
pub(crate) struct Run {
    caller: Caller,
    options: CheckOptions,
    seen: Vec<(String, CallbackAnswer)>,
}

impl Run {
    /// Reads the `CallbackAnswer` of the call described by `call`, records it (valid or not, for
    /// `answers.rejectedReason`), then validates it.
    fn answer(&mut self, call: &str, reply: &caller::Reply) -> Result<CallbackAnswer, String> {
        let answer: CallbackAnswer = caller::read_ok(reply, "CallbackAnswer")?;
        self.seen.push((call.to_string(), answer.clone()));
        caller::validate_answer(reply, &answer)?;
        Ok(answer)
    }
}

/// Runs every check against the provider and returns the report; never fails itself (a provider
/// that cannot be reached fails the checks that needed it).
pub async fn run(options: CheckOptions) -> Report {
    let mut report = Report::default();
    let caller = match Caller::new(&options.base_url, &options.secret, options.timeout) {
        Ok(c) => c,
        Err(message) => {
            report.record("setup", Err(Verdict::Fail(message)));
            return report;
        }
    };
    let mut run = Run {
        caller,
        options,
        seen: Vec::new(),
    };
    signature::run(&run, &mut report).await;
    callback::run(&mut run, &mut report).await;
    action::run(&mut run, &mut report).await;
    query::run(&run, &mut report).await;
    report.record("answers.rejectedReason", rejected_reasons(&run.seen));
    report
}

/// Every `rejected` answer seen must say why.
fn rejected_reasons(seen: &[(String, CallbackAnswer)]) -> Result<String, Verdict> {
    let rejected: Vec<&(String, CallbackAnswer)> = seen
        .iter()
        .filter(|(_, a)| a.result == CallbackResult::Rejected)
        .collect();
    if rejected.is_empty() {
        return Err(Verdict::Skip(format!(
            "none of the {} answers was rejected; nothing to check",
            seen.len()
        )));
    }
    let bare: Vec<&str> = rejected
        .iter()
        .filter(|(_, a)| a.reason.as_deref().is_none_or(|r| r.trim().is_empty()))
        .map(|(call, _)| call.as_str())
        .collect();
    if bare.is_empty() {
        Ok(format!(
            "{} rejected answers, each with a reason",
            rejected.len()
        ))
    } else {
        Err(Verdict::Fail(format!(
            "rejected without a reason: {}; a rejection is final, so say why in `reason` for the \
             person who asked",
            bare.join(", ")
        )))
    }
}
