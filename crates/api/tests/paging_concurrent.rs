//! Keyset paging survives concurrent writes: while a client pages through alerts, new alerts arrive
//! (some sorting before its position, some after) and existing ones change; no alert that existed when
//! paging started is lost and none is returned twice.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{collect_all, ids};
use serde_json::json;
use std::collections::HashSet;
use store::IngestOrigin;
use testkit::TestServer;
use time::Duration;

testdb::conformance! {
    async fn no_record_lost_or_repeated_while_paging_under_inserts() {
        let server = TestServer::builder().demo(300).start().await;
        let before = ids(&collect_all(&server, "/v1.0/security/alerts_v2?$top=500").await);
        let template =
            server.get("/v1.0/security/alerts_v2?$top=1").await.json()["value"][0].clone();
        let mut seen = Vec::new();
        let mut next =
            Some("/v1.0/security/alerts_v2?$top=20&$orderby=createdDateTime%20desc".to_owned());
        let mut round = 0i64;
        while let Some(url) = next {
            let page = server.get(&url).await.json();
            for a in page["value"].as_array().unwrap() {
                seen.push(a["id"].as_str().unwrap().to_owned());
            }
            next = page["@odata.nextLink"].as_str().map(str::to_owned);
            round += 1;
            let mut batch = Vec::new();
            for (k, offset_days) in [(0, 1), (1, -15), (2, -29)] {
                let mut a = template.clone();
                let created =
                    testkit::test_anchor() + Duration::days(offset_days) - Duration::minutes(round);
                a["id"] = json!(format!("inserted-{round}-{k}"));
                a["createdDateTime"] = json!(model::datetime::format(created));
                a["lastUpdateDateTime"] = json!(model::datetime::format(created));
                a.as_object_mut().unwrap().remove("@odata.type");
                batch.push(model::import::alert_from_json(a, &server.tenant).unwrap());
            }
            server
                .store
                .tenant(&server.tenant)
                .ingest(batch, IngestOrigin::Api)
                .await
                .unwrap();
            let victim = &before[(round as usize * 7) % before.len()];
            server
                .patch(
                    &format!("/v1.0/security/alerts_v2/{}", common::enc(victim)),
                    &json!({"assignedTo": format!("r{round}")}),
                )
                .await;
        }
        let unique: HashSet<&String> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "an alert was returned twice");
        for id in &before {
            assert!(unique.contains(id), "alert {id} was lost while paging");
        }
    }
}
