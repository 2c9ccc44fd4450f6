//! The protocol's CPU costs on secgraph's hot paths: a 1,000-alert push batch (parse, validate, turn
//! each alert into a stored alert), signing and verifying a call, and merging federated answers.
//! The push target is 20,000 alerts/s end to end, so the protocol's share should stay well under
//! 50 ms a batch.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use model::{TenantId, VendorInformation};
use provider_protocol::signing::{sign, verify};
use provider_protocol::{
    from_json, merge, AlertBatch, FederatedAnswer, SigningKey, SourceOutcome, SourceResult,
};
use serde_json::{json, Value};

/// An alert with three pieces of evidence, about 1.5 KB of JSON.
fn alert(i: usize) -> Value {
    let severity = ["low", "medium", "high"][i % 3];
    json!({
        "title": format!("Outbound connection to a blocked address #{i}"),
        "description": "The firewall dropped a connection to an address on the block list.",
        "severity": severity,
        "status": "new",
        "category": "CommandAndControl",
        "createdDateTime": "2025-03-01T10:00:00Z",
        "firstActivityDateTime": "2025-03-01T09:59:12.5Z",
        "lastActivityDateTime": "2025-03-01T09:59:58Z",
        "mitreTechniques": ["T1071.001"],
        "evidence": [
            {"@odata.type": "#microsoft.graph.security.ipEvidence",
             "createdDateTime": "2025-03-01T10:00:00Z", "verdict": "malicious",
             "remediationStatus": "blocked", "roles": ["destination"], "tags": [],
             "ipAddress": format!("203.0.113.{}", i % 250), "countryLetterCode": "NL"},
            {"@odata.type": "#microsoft.graph.security.deviceEvidence",
             "createdDateTime": "2025-03-01T10:00:00Z", "verdict": "suspicious",
             "remediationStatus": "none", "roles": ["compromised"], "tags": [],
             "deviceDnsName": format!("ws-{i}.corp.contoso.example"), "osPlatform": "Windows11",
             "ipInterfaces": ["10.0.4.17"], "loggedOnUsers": [], "mdeDeviceId": null},
            {"@odata.type": "#microsoft.graph.security.fileEvidence",
             "createdDateTime": "2025-03-01T10:00:00Z", "verdict": "malicious",
             "remediationStatus": "none", "roles": [], "tags": [], "detectionStatus": "detected",
             "fileDetails": {"sha256": "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4",
                             "fileName": "updater.exe", "filePath": "C:\\Users\\Public", "fileSize": 482304}}
        ]
    })
}

fn batch_body() -> Vec<u8> {
    let alerts: Vec<Value> = (0..1000)
        .map(|i| json!({"providerAlertId": format!("fw-{i}"), "version": i, "alert": alert(i)}))
        .collect();
    json!({"protocolVersion": 1, "alerts": alerts})
        .to_string()
        .into_bytes()
}

fn push(c: &mut Criterion) {
    let body = batch_body();
    let tenant = TenantId("8c1e3c1a-0d4e-4a8e-9a52-3a5c1f2b7d10".into());
    let vendor = VendorInformation {
        provider: Some("Edge Firewall".into()),
        vendor: Some("Contoso".into()),
        ..VendorInformation::default()
    };
    let ingest = |body: &[u8]| {
        let batch: AlertBatch = from_json(body).expect("parses");
        batch.validate().expect("valid");
        batch
            .alerts
            .into_iter()
            .map(|a| a.into_stored(&tenant, &vendor))
            .filter(Result::is_ok)
            .count()
    };
    assert_eq!(ingest(&body), 1000, "every bench alert must convert");
    eprintln!("push batch body: {} bytes", body.len());
    c.bench_function("push: parse+validate+convert 1000 alerts", |b| {
        b.iter(|| ingest(black_box(&body)))
    });
    c.bench_function("push: parse+validate 1000 alerts", |b| {
        b.iter(|| {
            let batch: AlertBatch = from_json(black_box(&body)).expect("parses");
            batch.validate().is_ok()
        })
    });
}

fn signing(c: &mut Criterion) {
    let key = SigningKey::new("sgps_3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e").expect("key");
    let small = json!({"protocolVersion": 1, "actionId": "act-1", "tenantId": "t1"}).to_string();
    let large = batch_body();
    for (name, body) in [("400 B", small.as_bytes()), ("1.5 MB", &large[..])] {
        let h = sign(&key, "POST", "/secgraph/alertUpdates", 1_740_823_500, body);
        c.bench_function(&format!("signing: sign {name}"), |b| {
            b.iter(|| {
                sign(
                    &key,
                    "POST",
                    "/secgraph/alertUpdates",
                    1_740_823_500,
                    black_box(body),
                )
            })
        });
        c.bench_function(&format!("signing: verify {name}"), |b| {
            b.iter(|| {
                verify(
                    &key,
                    "POST",
                    "/secgraph/alertUpdates",
                    black_box(body),
                    Some(&h.timestamp),
                    Some(&h.signature),
                    1_740_823_500,
                )
            })
        });
    }
}

fn federated(c: &mut Criterion) {
    let answers: Vec<FederatedAnswer> = (0..5)
        .map(|p| {
            let value: Vec<Value> = (0..1000)
                .map(|i| {
                    let severity = ["low", "medium", "high"][(i * 7 + p) % 3];
                    json!({"id": format!("p{p}-{i}"), "title": "Blocked address seen",
                                "severity": severity,
                                "status": "newAlert",
                                "createdDateTime": format!("2025-03-01T{:02}:{:02}:00Z", (i / 60) % 24, i % 60),
                                "vendorInformation": {"provider": "x", "vendor": "y"}})
                })
                .collect();
            from_json(json!({"protocolVersion": 1, "value": value}).to_string().as_bytes()).expect("answer")
        })
        .collect();
    let sources = || {
        answers
            .iter()
            .enumerate()
            .map(|(p, a)| SourceResult {
                vendor: "Contoso".into(),
                provider: format!("P{p}"),
                latency_ms: 10,
                outcome: SourceOutcome::Answered(a.clone()),
            })
            .collect::<Vec<_>>()
    };
    let options =
        odata::parse_query_string("$orderby=severity%20desc,createdDateTime").expect("options");
    let orderby = odata::bind(
        &options,
        &model::schema::LEGACY_ALERT,
        &odata::BindOptions::default(),
    )
    .expect("binds")
    .orderby;
    c.bench_function("federated: clone 5x1000 answers (baseline)", |b| {
        b.iter(sources)
    });
    c.bench_function("federated: merge 5x1000, default order, top 1000", |b| {
        b.iter(|| merge(sources(), &[], Some(1000)))
    });
    c.bench_function(
        "federated: merge 5x1000, severity desc + createdDateTime, top 1000",
        |b| b.iter(|| merge(sources(), &orderby, Some(1000))),
    );
}

criterion_group!(benches, push, signing, federated);
criterion_main!(benches);
