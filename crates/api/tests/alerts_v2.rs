//! `security/alerts_v2` end to end: listing, paging, shaping, reading, updating and commenting.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{collect_all, enc, DEMO};
use reqwest::Method;
use serde_json::{json, Value};
use testkit::TestServer;

async fn first_id(server: &TestServer, filter: &str) -> String {
    let page = server
        .get(&format!(
            "/v1.0/security/alerts_v2?$filter={}&$top=1",
            enc(filter)
        ))
        .await
        .json();
    page["value"][0]["id"]
        .as_str()
        .expect("an alert")
        .to_owned()
}

testdb::conformance! {
    async fn lists_newest_first_with_context_type_and_default_page() {
        let server = TestServer::builder().demo(DEMO).start().await;
        let reply = server.get("/v1.0/security/alerts_v2").await;
        assert_eq!(reply.status, 200);
        assert!(reply
            .header("content-type")
            .unwrap()
            .starts_with("application/json"));
        assert_eq!(reply.header("odata-version"), Some("4.0"));
        let page = reply.json();
        assert_eq!(
            page["@odata.context"],
            format!("{}/v1.0/$metadata#security/alerts_v2", server.base_url)
        );
        let items = page["value"].as_array().unwrap();
        assert_eq!(items.len(), 100, "default page size");
        assert!(page["@odata.nextLink"]
            .as_str()
            .unwrap()
            .starts_with(&server.base_url));
        assert!(page.get("@odata.count").is_none(), "count only when asked");
        let created: Vec<&str> = items
            .iter()
            .map(|a| a["createdDateTime"].as_str().unwrap())
            .collect();
        assert!(created.windows(2).all(|w| w[0] >= w[1]), "newest first");
        for a in items {
            assert_eq!(a["@odata.type"], "#microsoft.graph.security.alert");
            for e in a["evidence"].as_array().unwrap() {
                assert!(e["@odata.type"]
                    .as_str()
                    .unwrap()
                    .starts_with("#microsoft.graph.security."));
            }
        }
    }

    async fn top_count_and_next_links_cover_the_whole_set_once() {
        let server = TestServer::builder().demo(DEMO).start().await;
        let first = server.get("/v1.0/security/alerts_v2?$top=37&$count=true&$orderby=severity%20asc,createdDateTime%20desc").await.json();
        assert_eq!(first["@odata.count"], DEMO);
        assert_eq!(first["value"].as_array().unwrap().len(), 37);
        let all = collect_all(
            &server,
            "/v1.0/security/alerts_v2?$top=37&$orderby=severity%20asc,createdDateTime%20desc",
        )
        .await;
        assert_eq!(all.len(), DEMO);
        assert_eq!(
            common::ids(&all)
                .windows(2)
                .filter(|w| w[0] == w[1])
                .count(),
            0
        );
        let sev_rank = |s: &str| {
            ["unknown", "informational", "low", "medium", "high"]
                .iter()
                .position(|x| *x == s)
                .unwrap()
        };
        let ranks: Vec<usize> = all
            .iter()
            .map(|a| sev_rank(a["severity"].as_str().unwrap()))
            .collect();
        assert!(
            ranks.windows(2).all(|w| w[0] <= w[1]),
            "ordered by the enum's declaration order"
        );
    }

    async fn next_link_uses_the_public_url() {
        let server = TestServer::builder()
            .demo(50)
            .public_url("https://graph.example.test/proxy")
            .start()
            .await;
        let page = server
            .get("/v1.0/security/alerts_v2?$top=10&$filter=severity%20ne%20%27unknown%27")
            .await
            .json();
        let next = page["@odata.nextLink"].as_str().unwrap();
        assert!(
            next.starts_with("https://graph.example.test/proxy/v1.0/security/alerts_v2?"),
            "{next}"
        );
        assert!(next.contains("$skiptoken="), "{next}");
        assert!(
            next.contains("$filter=severity%20ne%20%27unknown%27"),
            "{next}"
        );
        assert_eq!(
            page["@odata.context"],
            "https://graph.example.test/proxy/v1.0/$metadata#security/alerts_v2"
        );
    }

    async fn skip_applies_to_the_first_page() {
        let server = TestServer::builder().demo(60).start().await;
        let all = collect_all(&server, "/v1.0/security/alerts_v2?$top=100").await;
        let skipped = server
            .get("/v1.0/security/alerts_v2?$skip=10&$top=5")
            .await
            .json();
        let got: Vec<&Value> = skipped["value"].as_array().unwrap().iter().collect();
        assert_eq!(
            got.iter().map(|a| &a["id"]).collect::<Vec<_>>(),
            all[10..15].iter().map(|a| &a["id"]).collect::<Vec<_>>()
        );
    }

    async fn select_shapes_items_and_context() {
        let server = TestServer::builder().demo(20).start().await;
        let page = server
            .get("/v1.0/security/alerts_v2?$select=title,Severity&$top=3")
            .await
            .json();
        assert_eq!(
            page["@odata.context"],
            format!(
                "{}/v1.0/$metadata#security/alerts_v2(title,severity)",
                server.base_url
            )
        );
        for a in page["value"].as_array().unwrap() {
            let mut keys: Vec<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
            keys.sort();
            assert_eq!(keys, ["@odata.type", "id", "severity", "title"]);
        }
    }

    async fn gets_one_alert_and_404s_unknown_ids() {
        let server = TestServer::builder().demo(20).start().await;
        let id = first_id(&server, "severity ne 'unknown'").await;
        let one = server
            .get(&format!("/v1.0/security/alerts_v2/{}", enc(&id)))
            .await;
        assert_eq!(one.status, 200);
        let one = one.json();
        assert_eq!(one["id"], id.as_str());
        assert_eq!(
            one["@odata.context"],
            format!(
                "{}/v1.0/$metadata#security/alerts_v2/$entity",
                server.base_url
            )
        );
        let missing = server.get("/v1.0/security/alerts_v2/a%2Fb%20c%2Bd").await;
        assert_eq!(missing.status, 404);
        let err = missing.json();
        assert_eq!(err["error"]["code"], "itemNotFound");
        assert!(
            err["error"]["message"]
                .as_str()
                .unwrap()
                .contains("a/b c+d"),
            "the decoded id is named"
        );
    }

    async fn patch_updates_writable_properties_and_returns_the_alert() {
        let server = TestServer::builder().demo(40).start().await;
        let id = first_id(&server, "status eq 'new'").await;
        let body = json!({"assignedTo": "secops@contoso.com", "classification": "truePositive", "determination": "malware", "status": "resolved"});
        let reply = server
            .patch(&format!("/v1.0/security/alerts_v2/{}", enc(&id)), &body)
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let a = reply.json();
        assert_eq!(a["status"], "resolved");
        assert_eq!(a["classification"], "truePositive");
        assert_eq!(a["determination"], "malware");
        assert_eq!(a["assignedTo"], "secops@contoso.com");
        assert!(a["resolvedDateTime"].is_string());
        let again = server
            .get(&format!("/v1.0/security/alerts_v2/{}", enc(&id)))
            .await
            .json();
        assert_eq!(again["status"], "resolved");
        let legacy = server
            .get(&format!("/v1.0/security/alerts/{}", enc(&id)))
            .await
            .json();
        assert_eq!(legacy["status"], "resolved");
        assert_eq!(legacy["assignedTo"], "secops@contoso.com");
        let cleared = server
            .patch(
                &format!("/v1.0/security/alerts_v2/{}", enc(&id)),
                &json!({"assignedTo": null, "status": "inProgress"}),
            )
            .await
            .json();
        assert!(cleared["assignedTo"].is_null());
        assert!(cleared["resolvedDateTime"].is_null());
    }

    async fn patch_rejects_what_is_not_writable() {
        let server = TestServer::builder().demo(10).start().await;
        let id = first_id(&server, "severity ne 'unknown'").await;
        let path = format!("/v1.0/security/alerts_v2/{}", enc(&id));
        for (body, needle) in [
            (json!({"title": "x"}), "title"),
            (json!({"status": "closed"}), "closed"),
            (json!({"severity": "high"}), "severity"),
            (json!(["status"]), "object"),
        ] {
            let reply = server.patch(&path, &body).await;
            assert_eq!(reply.status, 400, "{body}");
            let err = reply.json();
            assert_eq!(err["error"]["code"], "BadRequest");
            assert!(
                err["error"]["message"].as_str().unwrap().contains(needle),
                "{}",
                reply.text
            );
        }
        let missing = server
            .patch(
                "/v1.0/security/alerts_v2/nope",
                &json!({"status": "resolved"}),
            )
            .await;
        assert_eq!(missing.status, 404);
    }

    async fn comments_accept_object_and_array_and_return_all() {
        let server = TestServer::builder().demo(10).start().await;
        let id = first_id(&server, "severity ne 'unknown'").await;
        let path = format!("/v1.0/security/alerts_v2/{}/comments", enc(&id));
        let before = server.get(&path).await.json()["value"]
            .as_array()
            .unwrap()
            .len();
        let one = server
            .post(
                &path,
                &json!({"@odata.type": "microsoft.graph.security.alertComment", "comment": "first"}),
            )
            .await;
        assert_eq!(one.status, 200, "{}", one.text);
        let two = server
            .post(&path, &json!([{"comment": "second"}]))
            .await
            .json();
        let comments = two["value"].as_array().unwrap();
        assert_eq!(comments.len(), before + 2);
        let last = &comments[comments.len() - 1];
        assert_eq!(last["comment"], "second");
        assert_eq!(last["createdByDisplayName"], "secgraph emulator");
        assert!(last["createdDateTime"].as_str().unwrap().ends_with('Z'));
        assert!(two["@odata.context"].as_str().unwrap().ends_with(&format!(
            "/v1.0/$metadata#security/alerts_v2('{id}')/comments"
        )));
        let empty = server.post(&path, &json!({"comment": ""})).await;
        assert_eq!(empty.status, 400);
    }

    async fn count_segment_is_plain_text() {
        let server = TestServer::builder().demo(DEMO).start().await;
        let reply = server.get("/v1.0/security/alerts_v2/$count").await;
        assert_eq!(reply.status, 200);
        assert!(reply
            .header("content-type")
            .unwrap()
            .starts_with("text/plain"));
        assert_eq!(reply.text, DEMO.to_string());
        let filtered = server
            .get("/beta/security/alerts_v2/%24count?%24filter=severity+eq+%27high%27")
            .await;
        assert_eq!(filtered.status, 200);
        assert!(filtered.text.parse::<usize>().unwrap() < DEMO);
    }

    async fn create_and_delete_are_not_allowed() {
        let server = TestServer::builder().demo(5).start().await;
        let post = server
            .post("/v1.0/security/alerts_v2", &json!({"title": "x"}))
            .await;
        assert_eq!(post.status, 405);
        assert_eq!(post.json()["error"]["code"], "notAllowed");
        let id = first_id(&server, "severity ne 'unknown'").await;
        let del = server
            .send(
                Method::DELETE,
                &format!("/v1.0/security/alerts_v2/{}", enc(&id)),
                None,
                &[],
            )
            .await;
        assert_eq!(del.status, 405);
        let put = server
            .send(Method::PUT, "/v1.0/security/alerts_v2", None, &[])
            .await;
        assert_eq!(put.status, 405);
    }

    async fn evolvable_members_need_the_prefer_header() {
        let server = TestServer::builder().demo(DEMO).start().await;
        let hidden = collect_all(&server, "/v1.0/security/alerts_v2?$top=500").await;
        assert!(hidden
            .iter()
            .all(|a| a["serviceSource"] != "microsoftSentinel"));
        assert!(hidden
            .iter()
            .any(|a| a["serviceSource"] == "unknownFutureValue"));
        let filter = server
            .get("/v1.0/security/alerts_v2?$filter=serviceSource%20eq%20%27microsoftSentinel%27")
            .await;
        assert_eq!(filter.status, 400);
        assert!(
            filter.text.contains("include-unknown-enum-members"),
            "{}",
            filter.text
        );
        let shown = server
            .send(
                Method::GET,
                "/v1.0/security/alerts_v2?$filter=serviceSource%20eq%20%27microsoftSentinel%27",
                None,
                &[("Prefer", "include-unknown-enum-members")],
            )
            .await;
        assert_eq!(shown.status, 200, "{}", shown.text);
        let items = shown.json()["value"].as_array().unwrap().clone();
        assert!(!items.is_empty());
        assert!(items
            .iter()
            .all(|a| a["serviceSource"] == "microsoftSentinel"));
    }
}
