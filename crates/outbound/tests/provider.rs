//! Signed calls to a provider double that verifies every signature over what it received: the
//! callbacks' answers, every failure class, `Retry-After`, rotation, and pull's query parameters.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod double;
mod server;

use double::{key, Double, CURRENT, NOW, OLD};
use outbound::{CallFailure, OutboundError, ProviderTarget};
use provider_protocol::signing::{SIGNATURE_HEADER, TIMESTAMP_HEADER};
use provider_protocol::{
    from_json, ActionCancellation, ActionInvocation, AlertUpdate, CallbackResult, Endpoint,
    ProviderVersion, SigningKey,
};
use time::macros::datetime;
use time::Duration;

const TENANT: &str = "8c1e3c1a-0d4e-4a8e-9a52-3a5c1f2b7d10";

fn update() -> AlertUpdate {
    from_json(
        br#"{"protocolVersion": 1, "idempotencyKey": "0195a3c4-7b1e-7f00-8a2b-5c6d7e8f9a0b",
             "tenantId": "8c1e3c1a-0d4e-4a8e-9a52-3a5c1f2b7d10",
             "alertId": "5b0f9c52-6f7e-5d7c-9a55-0c3f7e1d2a10", "providerAlertId": "fw-4711",
             "baseVersion": 3, "changes": {"status": "resolved", "assignedTo": null},
             "changedBy": "analyst@contoso.example",
             "changedDateTime": "2025-03-01T10:05:00.0000000Z"}"#,
    )
    .unwrap()
}

fn target<'a>(base: &'a str, keys: &'a [SigningKey]) -> ProviderTarget<'a> {
    ProviderTarget {
        callback_base_url: base,
        keys,
        allow_private: true,
        timeout: None,
    }
}

async fn update_to(
    scenario: &str,
) -> (
    Double,
    Result<provider_protocol::CallbackAnswer, CallFailure>,
) {
    let provider = Double::start().await;
    let keys = [key(CURRENT)];
    let base = provider.base(scenario);
    let got = server::client()
        .send_alert_update(&target(&base, &keys), &update(), NOW)
        .await;
    (provider, got)
}

#[tokio::test]
async fn an_alert_update_is_signed_with_every_key_and_its_answer_parses() {
    let provider = Double::start().await;
    let keys = [key(OLD), key(CURRENT)];
    let base = provider.base("ok");
    let answer = server::client()
        .send_alert_update(&target(&base, &keys), &update(), NOW)
        .await
        .unwrap();
    assert_eq!(answer.result, CallbackResult::Applied);
    assert_eq!(answer.provider_version, Some(ProviderVersion::Sequence(4)));

    let seen = provider.seen();
    assert_eq!(seen.len(), 1);
    let call = &seen[0];
    assert_eq!(call.verified, Ok(()));
    assert_eq!(
        (call.method.as_str(), call.target.as_str()),
        ("POST", "/ok/alertUpdates")
    );
    assert_eq!(call.headers["content-type"], "application/json");
    assert_eq!(call.headers[TIMESTAMP_HEADER], NOW.to_string().as_str());
    let signature = call.headers[SIGNATURE_HEADER].to_str().unwrap();
    assert_eq!(signature.matches("v1=").count(), 2, "{signature}");
    assert_eq!(from_json::<AlertUpdate>(&call.body).unwrap(), update());
}

#[tokio::test]
async fn a_call_signed_only_with_an_unknown_secret_is_refused_by_the_provider() {
    let provider = Double::start().await;
    let keys = [key(OLD)];
    let base = provider.base("ok");
    let failure = server::client()
        .send_alert_update(&target(&base, &keys), &update(), NOW)
        .await
        .unwrap_err();
    assert!(provider.seen()[0].verified.is_err());
    assert_eq!(failure.status, Some(401));
    assert!(failure.retryable);
    assert!(
        failure.message.contains("answered 401"),
        "{}",
        failure.message
    );
}

#[tokio::test]
async fn actions_are_invoked_and_cancelled_at_their_paths() {
    let provider = Double::start().await;
    let keys = [key(CURRENT)];
    let base = provider.base("ok");
    let invocation: ActionInvocation = from_json(
        br#"{"protocolVersion": 1, "actionId": "act 1/x", "tenantId": "t-1", "name": "blockIp",
             "parameters": [{"name": "ip", "value": "1.2.3.4"}],
             "createdDateTime": "2025-03-01T10:06:00Z"}"#,
    )
    .unwrap();
    let cancellation: ActionCancellation =
        from_json(br#"{"protocolVersion": 1, "actionId": "act 1/x", "tenantId": "t-1"}"#).unwrap();
    let client = server::client();
    let t = target(&base, &keys);
    let invoked = client.invoke_action(&t, &invocation, NOW).await.unwrap();
    let cancelled = client.cancel_action(&t, &cancellation, NOW).await.unwrap();
    assert_eq!(invoked.result, CallbackResult::Applied);
    assert_eq!(cancelled.result, CallbackResult::Applied);
    let targets: Vec<String> = provider.seen().into_iter().map(|s| s.target).collect();
    assert_eq!(targets, ["/ok/actions", "/ok/actions/act%201%2Fx/cancel"]);
    assert!(provider.seen().iter().all(|s| s.verified.is_ok()));
}

#[tokio::test]
async fn a_rejection_is_an_answer_not_a_failure() {
    let (_, got) = update_to("rejected").await;
    let answer = got.unwrap();
    assert_eq!(answer.result, CallbackResult::Rejected);
    assert_eq!(answer.reason.as_deref(), Some("the alert is closed"));
}

#[tokio::test]
async fn a_server_error_is_retryable_and_quotes_the_body() {
    let (_, got) = update_to("fail").await;
    let f = got.unwrap_err();
    assert!(f.retryable);
    assert_eq!(f.status, Some(500));
    assert_eq!(f.retry_at, None);
    assert!(
        f.message.contains("answered 500") && f.message.contains("database exploded"),
        "{}",
        f.message
    );
}

#[tokio::test]
async fn a_garbage_answer_is_retryable_and_says_what_was_expected() {
    let (_, got) = update_to("garbage").await;
    let f = got.unwrap_err();
    assert!(f.retryable);
    assert_eq!(f.status, Some(200));
    assert!(
        f.message.contains("not a CallbackAnswer") && f.message.contains("<html>oops</html>"),
        "{}",
        f.message
    );
}

#[tokio::test]
async fn an_invalid_answer_is_retryable_and_names_the_member() {
    let (_, got) = update_to("noreason").await;
    let f = got.unwrap_err();
    assert!(f.retryable);
    assert!(
        f.message.contains("invalid: reason: is required"),
        "{}",
        f.message
    );
}

#[tokio::test]
async fn retry_after_is_honoured_on_429_and_503() {
    let now = datetime!(2025-03-01 10:05:00 UTC);
    assert_eq!(now.unix_timestamp(), NOW);
    let (_, got) = update_to("throttled").await;
    let f = got.unwrap_err();
    assert_eq!((f.status, f.retryable), (Some(429), true));
    assert_eq!(f.retry_at, Some(now + Duration::seconds(7)));

    let (_, got) = update_to("unavailable").await;
    let f = got.unwrap_err();
    assert_eq!(f.status, Some(503));
    assert_eq!(f.retry_at, Some(datetime!(2025-03-01 10:10:00 UTC)));
}

#[tokio::test]
async fn a_refused_address_is_not_retryable() {
    let provider = Double::start().await;
    let keys = [key(CURRENT)];
    let base = provider.base("ok");
    let mut t = target(&base, &keys);
    t.allow_private = false;
    let f = server::client()
        .send_alert_update(&t, &update(), NOW)
        .await
        .unwrap_err();
    assert!(!f.retryable);
    assert_eq!(f.status, None);
    assert!(
        f.message.contains("refused by the address policy"),
        "{}",
        f.message
    );
    assert!(provider.seen().is_empty());
}

#[tokio::test]
async fn an_invalid_envelope_of_ours_is_not_sent() {
    let provider = Double::start().await;
    let keys = [key(CURRENT)];
    let base = provider.base("ok");
    let mut bad = update();
    bad.provider_alert_id = String::new();
    let f = server::client()
        .send_alert_update(&target(&base, &keys), &bad, NOW)
        .await
        .unwrap_err();
    assert!(!f.retryable);
    assert!(f.message.contains("providerAlertId"), "{}", f.message);
    assert!(provider.seen().is_empty());
}

#[tokio::test]
async fn a_call_without_a_key_is_not_sent() {
    let provider = Double::start().await;
    let base = provider.base("ok");
    let err = server::client()
        .call(
            &target(&base, &[]),
            &Endpoint::AlertUpdates,
            Some(&update()),
            NOW,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, OutboundError::Request(_)), "{err:?}");
    assert!(!err.is_retryable());
    assert!(provider.seen().is_empty());
}

#[tokio::test]
async fn pull_sends_tenant_and_cursor_intact() {
    let provider = Double::start().await;
    let keys = [key(CURRENT)];
    let base = provider.base("pull");
    let client = server::client();
    let t = target(&base, &keys);
    let cursor = "a b&c=d/é+%25?#x";
    let page = client.pull(&t, TENANT, Some(cursor), NOW).await.unwrap();
    let echoed: Vec<(String, String)> =
        serde_json::from_str(page.next_cursor.as_deref().unwrap()).unwrap();
    assert_eq!(
        echoed,
        [
            ("tenantId".to_string(), TENANT.to_string()),
            ("cursor".to_string(), cursor.to_string())
        ]
    );
    let first = client.pull(&t, TENANT, None, NOW).await.unwrap();
    assert_eq!(
        first.next_cursor.as_deref(),
        Some(format!(r#"[["tenantId","{TENANT}"]]"#).as_str())
    );
    let seen = provider.seen();
    assert!(seen
        .iter()
        .all(|s| s.method == "GET" && s.verified.is_ok() && s.body.is_empty()));
    assert!(seen.iter().all(|s| !s.headers.contains_key("content-type")));
}
