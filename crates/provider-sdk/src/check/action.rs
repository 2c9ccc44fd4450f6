//! The action checks, for each action of the manifest: an invocation with example parameters is
//! answered with a valid `CallbackAnswer`, the same `actionId` again gets the same answer, and a
//! cancellation is answered.

use super::caller::{describe, Signing};
use super::report::{Report, Verdict};
use super::Run;
use model::TenantId;
use provider_protocol::{
    ActionCancellation, ActionInvocation, ActionSpec, CallbackAnswer, Endpoint, KeyValuePair,
    ParameterType, PROTOCOL_VERSION,
};
use time::OffsetDateTime;
use uuid::Uuid;

/// A documentation value of each parameter type (RFC 5737 addresses, `example.com`, hashes of
/// the empty input), so running an action against a test instance blocks nothing real.
pub(crate) fn example_value(ty: ParameterType) -> &'static str {
    match ty {
        ParameterType::String => "secgraph provider check",
        ParameterType::Ip => "192.0.2.1",
        ParameterType::Cidr => "192.0.2.0/24",
        ParameterType::Domain => "example.com",
        ParameterType::Url => "https://example.com/",
        ParameterType::Sha256 => "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ParameterType::Sha1 => "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        ParameterType::Md5 => "d41d8cd98f00b204e9800998ecf8427e",
        ParameterType::DeviceId => "secgraph-check-device",
        ParameterType::Integer => "1",
        ParameterType::Boolean => "false",
    }
}

/// Runs the three checks of every action the manifest declares; skips them without a manifest.
pub(crate) async fn run(run: &mut Run, report: &mut Report) {
    let Some(manifest) = run.options.manifest.clone() else {
        report.skip(
            "action",
            "no manifest given; pass the provider's manifest (--manifest FILE) to check its actions",
        );
        return;
    };
    if manifest.actions.is_empty() {
        report.skip("action", "the manifest declares no actions");
    }
    for spec in &manifest.actions {
        let invocation = invocation(run, spec);
        let name = format!("action.{}", spec.name);
        let first = invoke(run, &invocation).await;
        let repeat = match &first {
            Ok(answer) => repeat(run, &invocation, answer).await,
            Err(_) => Err(Verdict::Skip(format!(
                "the invocation got no valid answer; fix {name}.invoke first"
            ))),
        };
        let cancel = cancel(run, &invocation).await;
        report.record(
            format!("{name}.invoke"),
            first.map(|a| format!("answered {}", describe(&a))),
        );
        report.record(format!("{name}.repeat"), repeat);
        report.record(format!("{name}.cancel"), cancel);
    }
}

fn invocation(run: &Run, spec: &ActionSpec) -> ActionInvocation {
    ActionInvocation {
        protocol_version: PROTOCOL_VERSION,
        action_id: format!("secgraph-check-{}", Uuid::new_v4()),
        tenant_id: TenantId(run.options.tenant_id.clone()),
        name: spec.name.clone(),
        parameters: spec
            .parameters
            .iter()
            .map(|p| KeyValuePair::new(p.name.clone(), example_value(p.ty)))
            .collect(),
        action_reason: Some("secgraph provider check".into()),
        client_context: None,
        requested_by: Some("secgraph-provider-check".into()),
        created_date_time: OffsetDateTime::now_utc(),
    }
}

fn params(invocation: &ActionInvocation) -> String {
    invocation
        .parameters
        .iter()
        .map(|p| format!("{}={}", p.name, p.value.as_deref().unwrap_or("")))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn invoke(run: &mut Run, invocation: &ActionInvocation) -> Result<CallbackAnswer, Verdict> {
    let body = serde_json::to_vec(invocation).map_err(|e| format!("internal: {e}"))?;
    let reply = run
        .caller
        .call(&Endpoint::Actions, &body, Signing::Valid)
        .await?;
    let call = format!("actions ({})", invocation.name);
    let answer = run.answer(&call, &reply).map_err(|e| {
        format!(
            "POST actions ({} with {}) {e}",
            invocation.name,
            params(invocation)
        )
    })?;
    Ok(answer)
}

async fn repeat(
    run: &mut Run,
    invocation: &ActionInvocation,
    first: &CallbackAnswer,
) -> Result<String, Verdict> {
    let again = invoke(run, invocation).await?;
    if &again == first {
        Ok(format!(
            "the repeat was answered {} as before",
            describe(&again)
        ))
    } else {
        Err(Verdict::Fail(format!(
            "the same actionId was answered {} the first time and {} the second; the actionId is \
             the idempotency key: run the action once and answer a repeat as the first time",
            describe(first),
            describe(&again)
        )))
    }
}

async fn cancel(run: &mut Run, invocation: &ActionInvocation) -> Result<String, Verdict> {
    let cancellation = ActionCancellation {
        protocol_version: PROTOCOL_VERSION,
        action_id: invocation.action_id.clone(),
        tenant_id: invocation.tenant_id.clone(),
    };
    let body = serde_json::to_vec(&cancellation).map_err(|e| format!("internal: {e}"))?;
    let endpoint = Endpoint::CancelAction {
        action_id: &invocation.action_id,
    };
    let reply = run.caller.call(&endpoint, &body, Signing::Valid).await?;
    let call = format!("actions/cancel ({})", invocation.name);
    let answer = run.answer(&call, &reply).map_err(|e| {
        format!("POST actions/{{id}}/cancel {e}; answer rejected with a reason when the action has finished")
    })?;
    Ok(format!(
        "the cancellation was answered {}",
        describe(&answer)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// secgraph sends normalised values, so the examples must already be in normal form.
    #[test]
    fn every_example_value_is_valid_and_normalised() {
        use ParameterType::*;
        for ty in [
            String, Ip, Cidr, Domain, Url, Sha256, Sha1, Md5, DeviceId, Integer, Boolean,
        ] {
            let v = example_value(ty);
            assert_eq!(ty.normalize(v).as_deref(), Ok(v), "{ty}");
        }
    }
}
