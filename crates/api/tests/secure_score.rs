//! `security/secureScores` and `security/secureScoreControlProfiles` over HTTP on both backends,
//! with real tokens: profiles from the catalogue (rank order, OData options, ids in any case),
//! `PATCH` with Microsoft's example body (204, or 200 under `Prefer: return=representation`, the
//! server-stamped `controlStateUpdates` entry, state in any case, refusals that say what to send),
//! snapshots computed from control states reported by a provider and through the admin API,
//! ThirdParty and Ignored scoring, `$top` as days, 405s, permissions, tenant isolation, and the
//! admin API's validation.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use auth::permission::Permission;
use model::secure_score::Catalogue;
use reqwest::Method;
use serde_json::{json, Value};
use store::NewProvider;
use testkit::{Reply, TestServer};

const PROFILES: &str = "/v1.0/security/secureScoreControlProfiles";
const SCORES: &str = "/v1.0/security/secureScores";

/// Microsoft's example body (`securescorecontrolprofile-update-request.json`).
fn example_update() -> Value {
    json!({"assignedTo": "", "comment": "control is reviewed", "state": "Reviewed",
           "vendorInformation": {"provider": "SecureScore", "providerVersion": null,
                                 "subProvider": null, "vendor": "Microsoft"}})
}

struct World {
    server: TestServer,
    /// `SecurityEvents.ReadWrite.All`.
    writer: String,
    /// `SecurityEvents.Read.All`.
    reader: String,
    client_id: String,
}

async fn world() -> World {
    let server = TestServer::builder().tokens().start().await;
    let tenant = server.tenant.clone();
    let app = server.register_app(&tenant).await;
    server
        .grant(&tenant, &app, &[Permission::SecurityEventsReadWriteAll])
        .await;
    let writer = server.token(&tenant, &app).await;
    let reader = server
        .token_with(&tenant, &[Permission::SecurityEventsReadAll])
        .await;
    World {
        server,
        writer,
        reader,
        client_id: app.client_id,
    }
}

impl World {
    /// New tokens (after the clock moved past the old ones' lifetime).
    async fn renew(&mut self) {
        let t = self.server.tenant.clone();
        self.writer = self
            .server
            .token_with(&t, &[Permission::SecurityEventsReadWriteAll])
            .await;
        self.reader = self
            .server
            .token_with(&t, &[Permission::SecurityEventsReadAll])
            .await;
    }

    async fn get(&self, path: &str) -> Reply {
        self.server.get_as(&self.reader, path).await
    }

    async fn patch(&self, id: &str, body: &Value, prefer: bool) -> Reply {
        let auth = format!("Bearer {}", self.writer);
        let mut headers = vec![("authorization", auth.as_str())];
        if prefer {
            headers.push(("prefer", "return=representation"));
        }
        let path = format!("{PROFILES}/{id}");
        self.server
            .send(Method::PATCH, &path, Some(body), &headers)
            .await
    }

    async fn admin(&self, method: Method, path: &str, body: Option<&Value>) -> Reply {
        let path = path.replace("{t}", self.server.tenant.as_str());
        self.server.admin(method, &path, body).await
    }

    /// Computes the tenant's snapshot through the admin API.
    async fn snapshot(&self) -> Value {
        let reply = self
            .admin(Method::POST, "/tenants/{t}/secureScore/snapshots", None)
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.json()
    }

    /// The 400 message of `reply`.
    fn refusal(reply: &Reply) -> String {
        assert_eq!(reply.status, 400, "{}", reply.text);
        reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

fn part<'a>(score: &'a Value, name: &str) -> &'a Value {
    score["controlScores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["controlName"] == name)
        .unwrap_or_else(|| panic!("{name} not in {score}"))
}

testdb::conformance! {
    async fn profiles_list_in_rank_order_with_odata_options() {
        let w = world().await;
        let n = Catalogue::builtin().unwrap().controls.len();
        let reply = w.get(&format!("{PROFILES}?$count=true")).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let body = reply.json();
        assert_eq!(body["@odata.context"], format!("{}/v1.0/$metadata#security/secureScoreControlProfiles", w.server.base_url));
        assert_eq!(body["@odata.count"], n);
        let items = body["value"].as_array().unwrap();
        assert_eq!(items.len(), n);
        assert_eq!(items[0]["@odata.type"], "#microsoft.graph.secureScoreControlProfile");
        let ranks: Vec<i64> = items.iter().map(|p| p["rank"].as_i64().unwrap()).collect();
        assert_eq!(ranks, (1..=n as i64).collect::<Vec<_>>());
        assert_eq!(items[0]["azureTenantId"], w.server.tenant.as_str());
        assert_eq!(items[0]["vendorInformation"], json!({"provider": "SecureScore", "providerVersion": null, "subProvider": null, "vendor": "secgraph"}));
        let count = w.get(&format!("{PROFILES}/$count?$filter=controlCategory eq 'Device' and tier eq 'Core'")).await;
        assert_eq!(count.status, 200);
        let expected = Catalogue::builtin().unwrap().controls.iter().filter(|c| c.category.as_str() == "Device" && c.tier.as_str() == "Core").count();
        assert_eq!(count.text, expected.to_string());
        let page = w.get(&format!("{PROFILES}?$top=5&$select=title,maxScore&$orderby=maxScore desc")).await.json();
        assert_eq!(page["value"].as_array().unwrap().len(), 5);
        assert!(page["@odata.nextLink"].as_str().unwrap().contains("$skiptoken="));
        assert_eq!(page["value"][0].as_object().unwrap().keys().filter(|k| !k.starts_with('@')).count(), 3, "{page}");
        let one = w.get(&format!("{PROFILES}/adminMFA")).await;
        assert_eq!(one.status, 200, "{}", one.text);
        let one = one.json();
        assert_eq!(one["id"], "AdminMfa");
        assert_eq!(one["@odata.context"], format!("{}/v1.0/$metadata#security/secureScoreControlProfiles/$entity", w.server.base_url));
        assert_eq!(one["complianceInformation"][1], json!({"certificationName": "MITRE ATT&CK Mitigations", "certificationControls": [{"name": "M1032", "url": "https://attack.mitre.org/mitigations/M1032/"}]}));
        let missing = w.get(&format!("{PROFILES}/NoSuchControl")).await;
        assert_eq!((missing.status.as_u16(), missing.json()["error"]["code"].as_str()), (404, Some("itemNotFound")));
        assert_eq!(w.get(&format!("{PROFILES}?$expand=x")).await.status, 400);
        assert_eq!(w.get(&format!("{PROFILES}?$filter=nosuch eq 1")).await.status, 400);
        let beta = w.get("/beta/Security/SECURESCORECONTROLPROFILES/$count").await;
        assert_eq!(beta.text, n.to_string());
    }

    async fn patch_appends_a_state_update_stamped_by_the_server() {
        let w = world().await;
        let reply = w.patch("AdminMfa", &example_update(), false).await;
        assert_eq!(reply.status, 204, "{}", reply.text);
        assert!(reply.text.is_empty());
        w.server.clock.advance(std::time::Duration::from_secs(60));
        let body = json!({"state": "thirdPARTY", "comment": "covered by our MDM", "assignedTo": "secops",
                          "vendorInformation": {"provider": "SecureScore", "vendor": "secgraph"}});
        let reply = w.patch("adminmfa", &body, true).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let p = reply.json();
        assert_eq!(p["@odata.type"], "#microsoft.graph.secureScoreControlProfile");
        let updates = p["controlStateUpdates"].as_array().unwrap();
        assert_eq!(updates.len(), 2);
        assert_eq!(updates[0], json!({"assignedTo": "", "comment": "control is reviewed", "state": "Reviewed",
            "updatedBy": w.client_id, "updatedDateTime": "2026-11-01T00:00:00.0000000Z"}));
        assert_eq!(updates[1]["state"], "ThirdParty");
        assert_eq!(updates[1]["updatedDateTime"], "2026-11-01T00:01:00.0000000Z");
        assert_eq!(p["lastModifiedDateTime"], "2026-11-01T00:01:00.0000000Z");
        let read = w.get(&format!("{PROFILES}?$filter=controlStateUpdates/any(u: u/state eq 'thirdparty')&$select=id")).await.json();
        assert_eq!(read["value"], json!([{"@odata.type": "#microsoft.graph.secureScoreControlProfile", "id": "AdminMfa"}]));

        let vendor = json!({"provider": "SecureScore", "vendor": "secgraph"});
        let m = World::refusal(&w.patch("AdminMfa", &json!({"state": "Reviewed"}), false).await);
        assert!(m.contains("vendorInformation"), "{m}");
        let m = World::refusal(&w.patch("AdminMfa", &json!({"state": "Closed", "vendorInformation": vendor}), false).await);
        assert!(m.contains("Default, Ignored, ThirdParty, Reviewed"), "{m}");
        let m = World::refusal(&w.patch("AdminMfa", &json!({"title": "x", "vendorInformation": vendor}), false).await);
        assert!(m.contains("cannot be updated"), "{m}");
        let other = json!({"state": "Ignored", "vendorInformation": {"provider": "WDATP", "vendor": "Microsoft"}});
        let m = World::refusal(&w.patch("AdminMfa", &other, false).await);
        assert!(m.contains("does not match"), "{m}");
        let missing = w.patch("NoSuchControl", &json!({"state": "Ignored", "vendorInformation": vendor}), false).await;
        assert_eq!(missing.status, 404);
        let read_only = w.server.send_as(&w.reader, Method::PATCH, &format!("{PROFILES}/AdminMfa"), Some(&example_update())).await;
        assert_eq!(read_only.status, 403);
        for (method, path) in [(Method::POST, PROFILES.to_owned()), (Method::DELETE, format!("{PROFILES}/AdminMfa"))] {
            let reply = w.server.send_as(&w.writer, method, &path, Some(&json!({}))).await;
            assert_eq!(reply.status, 405, "{path}: {}", reply.text);
            assert_eq!(reply.json()["error"]["code"], "notAllowed");
        }
    }

    async fn scores_follow_reports_and_decisions() {
        let mut w = world().await;
        let provider_app = w.server.register_app(&w.server.create_tenant("Vendor").await).await;
        let manifest = serde_json::from_value(json!({"protocolVersion": 1, "name": "Edge Firewall",
            "vendor": "Contoso", "mode": "push", "callbackBaseUrl": "https://fw.example/secgraph"})).unwrap();
        w.server.store.providers().register(NewProvider { client_id: provider_app.client_id.clone(), manifest, allow_private: false }).await.unwrap();
        w.server.grant(&w.server.tenant, &provider_app, &[Permission::SecurityAlertReadWriteAll]).await;
        let provider_token = w.server.token(&w.server.tenant, &provider_app).await;
        let report = json!({"protocolVersion": 1, "controls": [
            {"controlName": "PerimeterDefaultDeny", "state": "Default", "score": 3, "maxScore": 4,
             "affectedItemCount": 2, "updatedDateTime": "2026-10-31T22:00:00Z"}]});
        let reply = w.server.send_as(&provider_token, Method::POST, "/secgraph/v1/provider/controlStates", Some(&report)).await;
        assert_eq!(reply.status, 204, "{}", reply.text);
        let admin = json!({"controls": [
            {"controlName": "usermfa", "state": "Default", "score": 45, "maxScore": 50, "affectedItemCount": 5},
            {"controlName": "AutomatedBackups", "state": "ThirdParty", "score": 0, "maxScore": 1}]});
        let reply = w.admin(Method::POST, "/tenants/{t}/secureScore/controlStates", Some(&admin)).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.json().as_array().unwrap().len(), 3);
        let settings = json!({"licensedUserCount": 250, "activeUserCount": 212, "industry": "Retail"});
        assert_eq!(w.admin(Method::PATCH, "/tenants/{t}/secureScore/settings", Some(&settings)).await.status, 200);

        let score = w.snapshot().await;
        assert_eq!(part(&score, "PerimeterDefaultDeny")["score"], 6.0);
        assert_eq!(part(&score, "PerimeterDefaultDeny")["count"], 2);
        assert!(part(&score, "PerimeterDefaultDeny")["implementationStatus"].as_str().unwrap().contains("Edge Firewall"));
        assert_eq!(part(&score, "UserMfa")["score"], 8.1);
        assert_eq!(part(&score, "AutomatedBackups")["score"], 7.0);
        assert_eq!(score["currentScore"], 21.1);
        assert_eq!((score["licensedUserCount"].as_i64(), score["activeUserCount"].as_i64()), (Some(250), Some(212)));
        assert_eq!(score["enabledServices"], json!(["HasBackup", "HasDirectory", "HasNetwork"]));

        let vendor = json!({"provider": "SecureScore", "vendor": "Microsoft"});
        assert_eq!(w.patch("UserMfa", &json!({"state": "ignored", "vendorInformation": vendor}), false).await.status, 204);
        assert_eq!(w.patch("AdminMfa", &json!({"state": "ThirdParty", "vendorInformation": vendor}), false).await.status, 204);
        let decided = w.snapshot().await;
        assert_eq!((part(&decided, "UserMfa")["score"].as_f64(), part(&decided, "UserMfa")["state"].as_str()), (Some(0.0), Some("Ignored")));
        assert_eq!(part(&decided, "AdminMfa")["score"], 10.0);
        assert_eq!(decided["maxScore"], score["maxScore"], "ignoring a control keeps its points in maxScore");
        assert_eq!(decided["currentScore"], 23.0);

        w.server.clock.advance(std::time::Duration::from_secs(86_400));
        w.renew().await;
        let tomorrow = w.snapshot().await;
        let id = format!("{}_2026-11-02", w.server.tenant);
        assert_eq!(tomorrow["id"], id.as_str());
        let latest = w.get(&format!("{SCORES}?$top=1")).await;
        assert_eq!(latest.status, 200, "{}", latest.text);
        let latest = latest.json();
        assert_eq!(latest["value"].as_array().unwrap().len(), 1);
        assert_eq!(latest["value"][0]["id"], id.as_str());
        assert_eq!(latest["value"][0]["@odata.type"], "#microsoft.graph.secureScore");
        assert!(latest["@odata.nextLink"].is_string());
        assert_eq!(w.get(&format!("{SCORES}/$count")).await.text, "2");
        let all = w.get(&format!("{SCORES}?$count=true&$select=currentScore")).await.json();
        assert_eq!(all["@odata.count"], 2);
        let one = w.get(&format!("{SCORES}/{}_2026-11-01", w.server.tenant)).await;
        assert_eq!(one.status, 200, "{}", one.text);
        assert_eq!(one.json()["currentScore"], 23.0);
        assert_eq!(one.json()["vendorInformation"]["provider"], "SecureScore");
        let filtered = w.get(&format!("{SCORES}/$count?$filter=controlScores/any(c: c/controlName eq 'UserMfa' and c/state eq 'Ignored')")).await;
        assert_eq!(filtered.text, "2");
        for (method, path) in [(Method::POST, SCORES.to_owned()), (Method::PATCH, format!("{SCORES}/{id}")), (Method::DELETE, format!("{SCORES}/{id}"))] {
            let reply = w.server.send_as(&w.writer, method, &path, Some(&json!({}))).await;
            assert_eq!(reply.status, 405, "{path}: {}", reply.text);
        }
        let stranger = w.server.create_tenant("Stranger").await;
        let token = w.server.token_with(&stranger, &[Permission::SecurityEventsReadAll]).await;
        assert_eq!(w.server.get_as(&token, &format!("{SCORES}/{id}")).await.status, 404);
        assert_eq!(w.server.get_as(&token, &format!("{SCORES}/$count")).await.text, "0");
    }

    async fn the_admin_api_checks_what_it_stores() {
        let w = world().await;
        let catalogue = w.admin(Method::GET, "/secureScore/controls", None).await.json();
        assert!(catalogue["controls"].as_array().unwrap().len() >= 40);
        assert!(catalogue["controls"][0]["measurement"].is_string());
        let unknown = json!({"controls": [{"controlName": "MFARegistrationV2", "state": "Default", "score": 1, "maxScore": 2}]});
        let m = World::refusal(&w.admin(Method::POST, "/tenants/{t}/secureScore/controlStates", Some(&unknown)).await);
        assert!(m.contains("not in the control catalogue: MFARegistrationV2"), "{m}");
        let over = json!({"controls": [{"controlName": "AdminMfa", "state": "Default", "score": 3, "maxScore": 2}]});
        let m = World::refusal(&w.admin(Method::POST, "/tenants/{t}/secureScore/controlStates", Some(&over)).await);
        assert!(m.contains("controls[0].score"), "{m}");
        let bad_state = json!({"controls": [{"controlName": "AdminMfa", "state": "Done", "score": 1, "maxScore": 2}]});
        assert_eq!(w.admin(Method::POST, "/tenants/{t}/secureScore/controlStates", Some(&bad_state)).await.status, 400);
        let m = World::refusal(&w.admin(Method::PATCH, "/tenants/{t}/secureScore/settings", Some(&json!({"seats": 3}))).await);
        assert!(m.contains("licensedUserCount"), "{m}");
        let m = World::refusal(&w.admin(Method::PATCH, "/tenants/{t}/secureScore/settings", Some(&json!({"licensedUserCount": -1}))).await);
        assert!(m.contains("at least 0"), "{m}");
        let set = w.admin(Method::PATCH, "/tenants/{t}/secureScore/settings", Some(&json!({"industry": "Energy"}))).await;
        assert_eq!(set.json(), json!({"tenantId": w.server.tenant.as_str(), "licensedUserCount": null, "activeUserCount": null, "industry": "Energy"}));
        let nobody = w.server.admin(Method::GET, "/tenants/00000000-0000-0000-0000-0000000000ff/secureScore/settings", None).await;
        assert_eq!(nobody.status, 404);
        let run = w.admin(Method::POST, "/secureScore/snapshots", None).await;
        assert_eq!(run.status, 200, "{}", run.text);
        assert_eq!(run.json()["day"], "2026-11-01");
        assert!(run.json()["tenants"].as_u64().unwrap() >= 1);
        let unauthenticated = w.server.send(Method::GET, "/secgraph/admin/v1/secureScore/controls", None, &[]).await;
        assert_eq!(unauthenticated.status, 401);
    }
}
