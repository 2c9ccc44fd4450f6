//! Federated queries against the provider double: the OData options arrive intact and signed,
//! and every way a provider can fail becomes the outcome `merge` reports, with its latency.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod double;
mod server;

use double::{key, Double, CURRENT, NOW};
use outbound::{FederatedReply, ProviderTarget};
use provider_protocol::{merge, SourceOutcome};
use std::time::Duration;

const TENANT: &str = "8c1e3c1a-0d4e-4a8e-9a52-3a5c1f2b7d10";
const FILTER: &str = "severity eq 'high' and title eq 'it''s 100% & more'";

/// `$filter=FILTER&$top=5`, form-encoded.
fn encoded_odata() -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("$filter", FILTER)
        .append_pair("$top", "5")
        .finish()
}

async fn query(base: &str, timeout: Option<Duration>) -> FederatedReply {
    query_with(base, &encoded_odata(), timeout).await
}

async fn query_with(base: &str, odata: &str, timeout: Option<Duration>) -> FederatedReply {
    let keys = [key(CURRENT)];
    let target = ProviderTarget {
        callback_base_url: base,
        keys: &keys,
        allow_private: true,
        timeout,
    };
    server::client()
        .federated(&target, TENANT, odata, NOW)
        .await
}

#[tokio::test]
async fn the_query_arrives_signed_with_its_options_intact() {
    let provider = Double::start().await;
    let reply = query(&provider.base("federated"), None).await;
    assert_eq!(reply.detail, None);
    let SourceOutcome::Answered(answer) = &reply.outcome else {
        panic!("{reply:?}");
    };
    assert_eq!(answer.value.len(), 1);
    assert_eq!(answer.value[0].id, TENANT);
    assert_eq!(answer.value[0].title.as_deref(), Some(FILTER));

    let seen = provider.seen();
    assert_eq!(seen[0].verified, Ok(()));
    assert!(seen[0].target.starts_with(&format!(
        "/federated/federated/alerts?tenantId={TENANT}&%24filter="
    )));

    let source = reply.into_source("Fabrikam", "Endpoint Guard");
    let merged = merge(vec![source], &[], None);
    assert_eq!(merged.status(), 200);
    let vendor = merged.alerts[0].vendor_information.as_ref().unwrap();
    assert_eq!(vendor.provider.as_deref(), Some("Endpoint Guard"));
}

/// A query string as a Graph client sends it: `$` and quotes raw, spaces as `%20`. The quotes
/// are percent-encoded on the way (so the request line is valid) and decode to the same filter.
#[tokio::test]
async fn a_raw_query_with_quotes_decodes_to_the_same_filter() {
    let provider = Double::start().await;
    let raw = "$filter=severity%20eq%20'high'%20and%20title%20eq%20'it''s'&$top=5";
    let reply = query_with(&provider.base("federated"), raw, None).await;
    let SourceOutcome::Answered(answer) = &reply.outcome else {
        panic!("{reply:?}");
    };
    assert_eq!(
        answer.value[0].title.as_deref(),
        Some("severity eq 'high' and title eq 'it''s'")
    );
    let seen = provider.seen();
    assert_eq!(seen[0].verified, Ok(()));
    assert_eq!(
        seen[0].target,
        format!(
            "/federated/federated/alerts?tenantId={TENANT}\
             &$filter=severity%20eq%20%27high%27%20and%20title%20eq%20%27it%27%27s%27&$top=5"
        )
    );
}

#[tokio::test]
async fn a_404_is_nothing_here_and_not_reported() {
    let provider = Double::start().await;
    let reply = query(&provider.base("nothing"), None).await;
    assert_eq!(reply.outcome, SourceOutcome::Status(404));
    let merged = merge(vec![reply.into_source("V", "P")], &[], None);
    assert_eq!((merged.status(), merged.warning), (200, None));
}

#[tokio::test]
async fn failures_become_the_outcomes_merge_reports() {
    let provider = Double::start().await;
    let cases = [
        ("fail", "/500/", SourceOutcome::Status(500)),
        ("garbage", "/502/", SourceOutcome::InvalidAnswer),
    ];
    for (scenario, reported, want) in cases {
        let reply = query(&provider.base(scenario), None).await;
        assert_eq!(reply.outcome, want, "{scenario}");
        assert!(reply.detail.is_some(), "{scenario}");
        let merged = merge(vec![reply.into_source("V", "P")], &[], None);
        assert_eq!(merged.status(), 206);
        assert!(merged.warning.unwrap().contains(reported), "{scenario}");
    }

    let port = server::closed_port().await;
    let reply = query(&format!("http://127.0.0.1:{port}/x"), None).await;
    assert_eq!(reply.outcome, SourceOutcome::Unreachable, "{reply:?}");
}

#[tokio::test]
async fn a_slow_provider_times_out_with_its_latency() {
    let provider = Double::start().await;
    let timeout = Duration::from_millis(300);
    let reply = query(&provider.base("slow"), Some(timeout)).await;
    assert_eq!(reply.outcome, SourceOutcome::TimedOut);
    assert!(reply.latency >= timeout && reply.latency < Duration::from_secs(3));
    let ms = reply.latency_ms();
    let warning = merge(vec![reply.into_source("Contoso", "Edge")], &[], None)
        .warning
        .unwrap();
    assert_eq!(warning, format!("199 - \"Contoso/Edge/504/{ms}\""));
}

/// `{`, `|`, `^`, a backquote and a backslash stay raw in a URL query; they must reach the
/// request line unchanged, or the provider would compute the signature over another target.
#[tokio::test]
async fn characters_kept_raw_in_the_query_keep_the_signature_valid() {
    let provider = Double::start().await;
    let raw = "$filter=title%20eq%20'a{b}|c^d`e\\f\"g<h>'";
    let reply = query_with(&provider.base("federated"), raw, None).await;
    let SourceOutcome::Answered(answer) = &reply.outcome else {
        panic!("{reply:?}");
    };
    assert_eq!(
        answer.value[0].title.as_deref(),
        Some("title eq 'a{b}|c^d`e\\f\"g<h>'")
    );
    assert_eq!(provider.seen()[0].verified, Ok(()));
}
