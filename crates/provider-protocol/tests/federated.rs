//! Federated queries: the request, the answer, merging answers and the `Warning` header.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use model::LegacyAlert;
use odata::bound::OrderBy;
use proptest::prelude::*;
use provider_protocol::endpoint::request_target;
use provider_protocol::federated::{warning_value, MAX_FEDERATED_ALERTS};
use provider_protocol::{
    from_json, merge, FederatedAnswer, FederatedRequest, SourceOutcome, SourceResult,
};
use serde_json::{json, Value};

const TENANT: &str = "8c1e3c1a-0d4e-4a8e-9a52-3a5c1f2b7d10";

fn orderby(text: &str) -> Vec<OrderBy> {
    let options = odata::parse_query_string(&format!("$orderby={text}")).expect("parses");
    odata::bind(
        &options,
        &model::schema::LEGACY_ALERT,
        &odata::BindOptions::default(),
    )
    .expect("binds")
    .orderby
}

fn legacy(id: &str, severity: &str, created: &str, event: Option<&str>) -> Value {
    json!({"id": id, "severity": severity, "status": "newAlert", "title": id,
           "createdDateTime": created, "eventDateTime": event,
           "vendorInformation": {"provider": "wrong", "vendor": "wrong", "subProvider": "sub"}})
}

fn answer(alerts: Vec<Value>) -> FederatedAnswer {
    from_json(
        json!({"protocolVersion": 1, "value": alerts})
            .to_string()
            .as_bytes(),
    )
    .expect("answer parses")
}

fn source(provider: &str, latency_ms: u64, outcome: SourceOutcome) -> SourceResult {
    SourceResult {
        vendor: "Contoso".into(),
        provider: provider.into(),
        latency_ms,
        outcome,
    }
}

fn ids(alerts: &[LegacyAlert]) -> Vec<&str> {
    alerts.iter().map(|a| a.id.as_str()).collect()
}

#[test]
fn the_request_forwards_the_odata_options_and_carries_the_tenant() {
    let req = FederatedRequest {
        tenant_id: model::TenantId(TENANT.into()),
        odata_query: "$filter=severity+eq+'high'&$top=5&$orderby=createdDateTime%20desc".into(),
    };
    let url = req.endpoint().url("https://fed.example/api").expect("url");
    let target = request_target(&url);
    assert_eq!(
        target,
        format!("/api/federated/alerts?tenantId={TENANT}&$filter=severity+eq+%27high%27&$top=5&$orderby=createdDateTime%20desc")
    );
    let back = FederatedRequest::from_query_string(url.query().expect("query")).expect("reads");
    assert_eq!(back.tenant_id.as_str(), TENANT);
    let options = odata::parse_query_string(&back.odata_query).expect("options parse");
    assert_eq!(options.top, Some(5));
    assert_eq!(options.filter.as_deref(), Some("severity eq 'high'"));
}

#[test]
fn a_request_without_exactly_one_tenant_is_refused() {
    let err = FederatedRequest::from_query_string("$top=5").expect_err("no tenant");
    assert!(err.mentions("tenantId", "is missing"), "{err}");
    let err = FederatedRequest::from_query_string("tenantId=a&tenantId=b").expect_err("twice");
    assert!(err.mentions("tenantId", "is given twice"), "{err}");
    let ok = FederatedRequest::from_query_string("?tenantId=a%2Db&$top=1").expect("ok");
    assert_eq!(
        (ok.tenant_id.as_str(), ok.odata_query.as_str()),
        ("a-b", "$top=1")
    );
}

#[test]
fn answers_parse_without_odata_type_and_are_limited() {
    let a = answer(vec![legacy("a", "high", "2025-03-01T10:00:00Z", None)]);
    assert_eq!(a.validate(), Ok(()));
    assert_eq!(a.value[0].id, "a");
    let many = (0..=MAX_FEDERATED_ALERTS)
        .map(|i| legacy(&i.to_string(), "low", "2025-03-01T10:00:00Z", None))
        .collect();
    let err = answer(many).validate().expect_err("1001");
    assert!(
        err.mentions("value", "answer at most 1000 (apply $top)"),
        "{err}"
    );
    let err = answer(vec![legacy("", "low", "2025-03-01T10:00:00Z", None)])
        .validate()
        .expect_err("no id");
    assert!(err.mentions("value[0].id", "must not be empty"), "{err}");
    let err = from_json::<FederatedAnswer>(
        br#"{"protocolVersion":1,"value":[{"id":"a","severity":"catastrophic"}]}"#,
    )
    .expect_err("bad severity");
    assert!(err.to_string().contains("value[0]"), "{err}");
}

#[test]
fn merged_alerts_follow_orderby_like_the_store() {
    let a = answer(vec![
        legacy(
            "a1",
            "low",
            "2025-03-01T10:00:00Z",
            Some("2025-03-01T09:00:00Z"),
        ),
        legacy("a2", "high", "2025-03-01T11:00:00Z", None),
    ]);
    let b = answer(vec![
        legacy(
            "b1",
            "medium",
            "2025-03-01T12:00:00+05:00",
            Some("2025-03-01T08:00:00Z"),
        ),
        legacy(
            "b2",
            "high",
            "2025-03-01T09:00:00Z",
            Some("2025-03-01T07:00:00Z"),
        ),
    ]);
    let sources = || {
        vec![
            source("Edge", 12, SourceOutcome::Answered(a.clone())),
            source("Mail", 30, SourceOutcome::Answered(b.clone())),
        ]
    };
    // severity by declaration order (high > medium > low), ties by id in the last direction
    let m = merge(sources(), &orderby("severity desc"), None);
    assert_eq!(ids(&m.alerts), ["b2", "a2", "b1", "a1"]);
    // default: createdDateTime desc, as instants (b1 is 07:00Z)
    let m = merge(sources(), &[], None);
    assert_eq!(ids(&m.alerts), ["a2", "a1", "b2", "b1"]);
    // nulls first ascending, last descending
    assert_eq!(
        ids(&merge(sources(), &orderby("eventDateTime"), None).alerts),
        ["a2", "b2", "b1", "a1"]
    );
    assert_eq!(
        ids(&merge(sources(), &orderby("eventDateTime desc"), None).alerts),
        ["a1", "b1", "b2", "a2"]
    );
    // $top cuts the merged list
    let m = merge(
        sources(),
        &orderby("severity desc, createdDateTime"),
        Some(3),
    );
    assert_eq!(ids(&m.alerts), ["b2", "a2", "b1"]);
    assert_eq!((m.status(), m.warning), (200, None));
    // each alert carries its source's identity, keeping the rest of vendorInformation
    let v = m.alerts[0].vendor_information.clone().expect("stamped");
    assert_eq!(
        (
            v.provider.as_deref(),
            v.vendor.as_deref(),
            v.sub_provider.as_deref()
        ),
        (Some("Mail"), Some("Contoso"), Some("sub"))
    );
}

#[test]
fn failed_providers_are_reported_in_one_warning_and_404_is_not() {
    let ok = answer(vec![legacy("a1", "low", "2025-03-01T10:00:00Z", None)]);
    let sources = vec![
        source("Edge", 12, SourceOutcome::Answered(ok)),
        source("WDATP", 228, SourceOutcome::Status(401)),
        source("Empty", 5, SourceOutcome::Status(404)),
        source("Slow", 10_003, SourceOutcome::TimedOut),
        source("Down", 2, SourceOutcome::Unreachable),
        source("Odd", 40, SourceOutcome::InvalidAnswer),
        source("Fine", 8, SourceOutcome::Status(204)),
    ];
    let m = merge(sources, &[], None);
    assert_eq!(ids(&m.alerts), ["a1"]);
    assert_eq!(m.status(), 206);
    assert_eq!(
        m.warning.as_deref(),
        Some(concat!(
            r#"199 - "Contoso/WDATP/401/228", 199 - "Contoso/Slow/504/10003", "#,
            r#"199 - "Contoso/Down/503/2", 199 - "Contoso/Odd/502/40""#
        ))
    );
    let only_404 = merge(
        vec![source("Empty", 5, SourceOutcome::Status(404))],
        &[],
        Some(10),
    );
    assert_eq!(
        (only_404.status(), only_404.warning, only_404.alerts.len()),
        (200, None, 0)
    );
}

#[test]
fn the_warning_names_are_safe_inside_a_quoted_string() {
    let mut s = source("A \"quoted\" \\ name\r\n", 1, SourceOutcome::Status(500));
    s.vendor = "Sécurité".into();
    let w = warning_value(&[s]).expect("reported");
    assert_eq!(
        w,
        r#"199 - "S%C3%A9curit%C3%A9/A \"quoted\" \\ name/500/1""#
    );
    assert!(w.bytes().all(|b| (0x20..0x7f).contains(&b)));
}

fn alert_strategy() -> impl Strategy<Value = Value> {
    (
        0u32..50,
        prop::sample::select(vec!["unknown", "informational", "low", "medium", "high"]),
        0i64..5,
        prop::option::of(0i64..5),
    )
        .prop_map(|(n, sev, created, event)| {
            let t = |h: i64| format!("2025-03-01T{:02}:00:00Z", 10 + h);
            json!({"id": format!("x{n}"), "severity": sev, "status": "newAlert",
                   "createdDateTime": t(created), "eventDateTime": event.map(t)})
        })
}

proptest! {
    /// Merging equals sorting the union by the same keys (computed here independently) and taking
    /// the first `top`.
    #[test]
    fn merge_is_the_sorted_union(
        answers in prop::collection::vec(prop::collection::vec(alert_strategy(), 0..20), 0..4),
        top in prop::option::of(0usize..40),
    ) {
        let sources: Vec<SourceResult> = answers.iter().enumerate()
            .map(|(i, a)| source(&format!("p{i}"), 1, SourceOutcome::Answered(answer(a.clone()))))
            .collect();
        let merged = merge(sources, &orderby("severity desc, eventDateTime"), top);
        let rank = |s: &str| ["unknown", "informational", "low", "medium", "high"].iter().position(|m| *m == s);
        let mut union: Vec<&Value> = answers.iter().flatten().collect();
        // severity desc; eventDateTime asc with nulls first; id asc (the last item's direction)
        union.sort_by(|x, y| {
            rank(y["severity"].as_str().unwrap_or_default()).cmp(&rank(x["severity"].as_str().unwrap_or_default()))
                .then_with(|| x["eventDateTime"].as_str().cmp(&y["eventDateTime"].as_str()))
                .then_with(|| x["id"].as_str().cmp(&y["id"].as_str()))
        });
        let want: Vec<&str> = union.iter().map(|v| v["id"].as_str().unwrap_or_default()).take(top.unwrap_or(usize::MAX)).collect();
        prop_assert_eq!(ids(&merged.alerts), want);
    }
}
