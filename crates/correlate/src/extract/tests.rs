use super::*;
use crate::entity::EntityKind;
use serde_json::{json, Value};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn strings(entities: &[Entity]) -> Vec<String> {
    entities.iter().map(|e| e.to_string()).collect()
}

fn alert_with(evidence: Value) -> Alert {
    serde_json::from_value(json!({
        "id": "x", "createdDateTime": "2025-03-01T08:00:00Z",
        "lastUpdateDateTime": "2025-03-01T08:00:00Z",
        "severity": "high", "status": "new", "evidence": evidence
    }))
    .unwrap()
}

#[test]
fn microsoft_docs_alert_yields_its_device_file_and_account() {
    let page = fixture("alert-v2-list-response.json");
    let alert: Alert = serde_json::from_value(page["value"][0].clone()).unwrap();
    let facts = AlertFacts::from_alert(&alert);
    assert_eq!(facts.alert_id, "da637551227677560813_-961444813");
    assert_eq!(
        strings(&facts.entities),
        [
            "device:mde:73e7e2de709dff64ef64b1d0c30e67fab63279db",
            "device:name:tempdns",
            "user:account:nt authority\\system",
            "user:sid:S-1-5-18",
            "fileHash:5f1e8acedc065031aad553b710838eb366cfee9a",
            "fileHash:8963a19fb992ad9a76576c5638fd68292cffb9aaac29eb8285f9abf6196a7dec",
            "cloudResource:/subscriptions/8700d3a3-3bb7-4fbe-a090-488a1ad04161/resourcegroups/\
             wdatpapi-eus-stg/providers/microsoft.compute/virtualmachines/nirlavitests",
        ]
    );
}

#[test]
fn demisto_alerts_yield_device_ids_names_and_hashes_but_no_bare_account() {
    let mock = fixture("alerts-v1-and-v2-search-mock_demisto.json");
    let alerts = mock["test_case_2"]["mock_response"]["value"]
        .as_array()
        .unwrap();
    let first: Alert = serde_json::from_value(alerts[0].clone()).unwrap();
    let second: Alert = serde_json::from_value(alerts[1].clone()).unwrap();
    assert_eq!(
        strings(&extract(&first)),
        [
            "device:mde:mdid",
            "device:name:msde-agent-host-centos7",
            "ip:0.0.0.0",
            "fileHash:7caea94896efb829044127483469607c6a36bdcdfab162f57b4ed650b9e3449e",
            "fileHash:fdfe0bb4de45bf0bf213b4edd1526162066bcd7e",
        ],
        "`root` without a domain is not an entity; 0.0.0.0 is left to the stop-list"
    );
    assert_eq!(
        strings(&extract(&second)),
        [
            "device:aad:cfcf4177-227e-4cdb-ac8e-f9a3da1ca30c",
            "device:mde:mdid",
            "device:name:desktop-s2455r8",
        ]
    );
}

#[test]
fn every_evidence_family_of_the_table_yields_its_entities() {
    let alert = alert_with(json!([
        {"@odata.type": "#microsoft.graph.security.urlEvidence", "url": "HTTPS://Evil.Example/Login?x=1"},
        {"@odata.type": "#microsoft.graph.security.networkConnectionEvidence",
         "sourceAddress": {"ipAddress": "10.1.2.3"}, "destinationAddress": {"ipAddress": "198.51.100.20"}},
        {"@odata.type": "#microsoft.graph.security.dnsEvidence", "domainName": "c2.evil.example.",
         "ipAddresses": [{"ipAddress": "198.51.100.21"}]},
        {"@odata.type": "#microsoft.graph.security.analyzedMessageEvidence",
         "recipientEmailAddress": "Alice@Contoso.com", "senderIp": "192.0.2.8",
         "p1Sender": {"emailAddress": "ceo@evil.example", "domainName": "evil.example"},
         "urls": ["http://phish.example/a"]},
        {"@odata.type": "#microsoft.graph.security.mailboxEvidence",
         "primaryAddress": "alice@contoso.com", "upn": "Alice@contoso.com"},
        {"@odata.type": "#microsoft.graph.security.userEvidence",
         "userAccount": {"accountName": "alice", "domainName": "CONTOSO",
                         "azureAdUserId": "AAAA0000-0000-0000-0000-000000000001",
                         "userSid": "S-1-5-21-1-2-3-1104"}},
        {"@odata.type": "#microsoft.graph.security.azureResourceEvidence",
         "resourceId": "/subscriptions/ABC/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1"},
        {"@odata.type": "#microsoft.graph.security.kubernetesClusterEvidence",
         "cloudResource": {"@odata.type": "#microsoft.graph.security.amazonResourceEvidence",
                           "amazonResourceId": "arn:aws:eks:us-east-1:1:cluster/prod"}},
        {"@odata.type": "#microsoft.graph.security.ioTDeviceEvidence", "deviceId": "PLC-7",
         "ipAddress": {"ipAddress": "198.51.100.30"}},
        {"@odata.type": "#microsoft.graph.security.registryKeyEvidence", "registryKey": "HKLM\\x"},
        {"@odata.type": "#microsoft.graph.security.somethingNew", "ipAddress": "198.51.100.99"}
    ]));
    let found = extract(&alert);
    let of = |kind: EntityKind| -> Vec<&str> {
        found
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.value.as_str())
            .collect()
    };
    assert_eq!(
        of(EntityKind::Url),
        ["http://phish.example/a", "https://evil.example/Login?x=1"]
    );
    assert_eq!(
        of(EntityKind::Domain),
        ["c2.evil.example", "evil.example", "phish.example"]
    );
    assert_eq!(
        of(EntityKind::Ip),
        [
            "10.1.2.3",
            "192.0.2.8",
            "198.51.100.20",
            "198.51.100.21",
            "198.51.100.30"
        ]
    );
    assert_eq!(
        of(EntityKind::Mailbox),
        ["alice@contoso.com", "ceo@evil.example"]
    );
    assert_eq!(
        of(EntityKind::User),
        [
            "aad:aaaa0000-0000-0000-0000-000000000001",
            "account:contoso\\alice",
            "sid:S-1-5-21-1-2-3-1104",
            "upn:alice@contoso.com",
        ]
    );
    assert_eq!(
        of(EntityKind::CloudResource),
        [
            "/subscriptions/abc/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm1",
            "arn:aws:eks:us-east-1:1:cluster/prod",
        ]
    );
    assert_eq!(of(EntityKind::Device), ["iot:plc-7"]);
}
