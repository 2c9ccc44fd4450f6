//! Secure score on both backends: profiles materialised from the catalogue (rank order, OData
//! filters, paging, lookups without case), `PATCH` appending state updates (vendor checked, kept
//! across re-materialisation, per tenant), snapshots computed from provider and admin reports
//! (ThirdParty full points, Ignored none), one snapshot per day, comparisons only among five or more
//! tenants, and retention.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use model::patch::ControlProfilePatch;
use model::secure_score::{
    Catalogue, ControlState, ScoreInputs, SECURE_SCORE, SECURE_SCORE_CONTROL_PROFILE,
};
use model::TenantId;
use provider_protocol::ProviderManifest;
use serde_json::{json, Value};
use std::time::Duration;
use store::identity::NewApplication;
use store::secure_score::{ProfileUpdate, SecureScoreSettings};
use store::{Clock, NewProvider, Store};
use time::OffsetDateTime;

fn catalogue() -> &'static Catalogue {
    Catalogue::builtin().unwrap()
}

/// A control state as the provider protocol and the admin API carry it.
fn reported(name: &str, state: &str, score: f64, max: f64) -> provider_protocol::ControlState {
    serde_json::from_value(json!({"controlName": name, "state": state, "score": score,
        "maxScore": max, "affectedItemCount": 4, "updatedDateTime": "2024-05-31T08:00:00Z"}))
    .unwrap()
}

fn patch(body: Value) -> ControlProfilePatch {
    ControlProfilePatch::from_json(&body).unwrap()
}

fn vendor() -> Value {
    json!({"provider": "SecureScore", "vendor": "secgraph"})
}

/// Registers "Edge Firewall" (an app homed in tenant B) and stores its report for `tenant`.
async fn provider_reports(
    store: &Store,
    tenant: &TenantId,
    controls: Vec<provider_protocol::ControlState>,
) {
    let client_id = store
        .identity()
        .create_application(NewApplication {
            home_tenant_id: tenant_b(),
            display_name: "Edge Firewall".into(),
            multi_tenant: true,
            requested_permissions: vec![auth::Permission::SecurityAlertReadWriteAll],
        })
        .await
        .unwrap()
        .client_id;
    let manifest: ProviderManifest = serde_json::from_value(json!({
        "protocolVersion": 1, "name": "Edge Firewall", "vendor": "Contoso", "mode": "push",
        "callbackBaseUrl": "https://fw.contoso.example/secgraph"}))
    .unwrap();
    let new = NewProvider {
        client_id,
        manifest,
        allow_private: false,
    };
    let p = store.providers().register(new).await.unwrap().0;
    store
        .providers()
        .report_control_states(tenant, &p.id, controls)
        .await
        .unwrap();
}

async fn tenants(store: &Store, n: usize) -> Vec<TenantId> {
    let mut out = Vec::new();
    for i in 0..n {
        let t = TenantId(format!("00000000-0000-0000-0000-0000000001{i:02}"));
        store.ensure_tenant(&t, &format!("Peer {i}")).await.unwrap();
        out.push(t);
    }
    out
}

testdb::conformance! {
    async fn profiles_come_from_the_catalogue_in_rank_order() {
        let t = open().await;
        let ss = t.store.tenant(&tenant_a()).secure_score();
        let n = catalogue().controls.len() as u64;
        assert_eq!(ss.count_profiles(None).await.unwrap(), n);
        let mut ranks = Vec::new();
        let mut q = query(&SECURE_SCORE_CONTROL_PROFILE, "$count=true");
        loop {
            let page = ss.list_profiles(&q, 7).await.unwrap();
            assert_eq!(page.count, Some(n));
            ranks.extend(page.items.iter().map(|p| p.rank));
            match page.next_skiptoken {
                Some(token) => q.skiptoken = Some(token),
                None => break,
            }
        }
        assert_eq!(ranks, (1..=n as i32).collect::<Vec<_>>(), "every profile once, by rank");
        let data = query(&SECURE_SCORE_CONTROL_PROFILE, "$filter=controlCategory eq 'data'&$orderby=maxScore desc,id");
        let page = ss.list_profiles(&data, 100).await.unwrap();
        let expected = catalogue().controls.iter().filter(|c| c.category.as_str() == "Data").count();
        assert_eq!(page.items.len(), expected);
        assert!(page.items.windows(2).all(|w| w[0].max_score >= w[1].max_score));
        let mfa = query(&SECURE_SCORE_CONTROL_PROFILE, "$filter=complianceInformation/any(c: c/certificationControls/any(x: x/name eq 'M1032'))");
        let ids: Vec<String> = ss.list_profiles(&mfa, 100).await.unwrap().items.into_iter().map(|p| p.id).collect();
        assert!(ids.contains(&"AdminMfa".to_owned()) && ids.contains(&"RemoteAccessMfa".to_owned()), "{ids:?}");
        let p = ss.get_profile("ADMINMFA").await.unwrap().unwrap();
        assert_eq!((p.id.as_str(), p.azure_tenant_id.as_str()), ("AdminMfa", tenant_a().as_str()));
        assert!(ss.get_profile("NoSuchControl").await.unwrap().is_none());
    }

    async fn a_patch_appends_an_update_for_its_tenant_only() {
        let t = open().await;
        let ss = t.store.tenant(&tenant_a()).secure_score();
        let now = t.clock.now();
        let body = json!({"state": "thirdparty", "comment": "covered by the MDM", "assignedTo": "ops", "vendorInformation": vendor()});
        let ProfileUpdate::Updated(p) = ss.update_profile("adminmfa", patch(body), Some("ops@contoso.com".into()), now).await.unwrap() else {
            panic!("not updated");
        };
        assert_eq!(p.state(), ControlState::ThirdParty);
        assert_eq!(p.last_modified_date_time, Some(now));
        let u = &ss.get_profile("AdminMfa").await.unwrap().unwrap().control_state_updates;
        assert_eq!(u.len(), 1);
        assert_eq!((u[0].updated_by.as_deref(), u[0].comment.as_deref()), (Some("ops@contoso.com"), Some("covered by the MDM")));
        let wrong = json!({"state": "Ignored", "vendorInformation": {"provider": "Other", "vendor": "x"}});
        match ss.update_profile("AdminMfa", patch(wrong), None, now).await.unwrap() {
            ProfileUpdate::Refused(m) => assert!(m.contains("does not match"), "{m}"),
            other => panic!("{other:?}"),
        }
        let body = json!({"state": "Ignored", "vendorInformation": vendor()});
        assert_eq!(ss.update_profile("Nope", patch(body), None, now).await.unwrap(), ProfileUpdate::NotFound);
        let other = t.store.tenant(&tenant_b()).secure_score();
        assert!(other.get_profile("AdminMfa").await.unwrap().unwrap().control_state_updates.is_empty());
        let filter = query(&SECURE_SCORE_CONTROL_PROFILE, "$filter=controlStateUpdates/any(u: u/state eq 'ThirdParty')");
        assert_eq!(ss.count_profiles(filter.filter.as_ref()).await.unwrap(), 1);
        assert_eq!(other.count_profiles(filter.filter.as_ref()).await.unwrap(), 0);
    }

    async fn snapshots_score_reports_and_decisions() {
        let t = open().await;
        let ss = t.store.tenant(&tenant_a()).secure_score();
        provider_reports(&t.store, &tenant_a(), vec![
            reported("AdminMfa", "Default", 3.0, 4.0),
            reported("NetworkIntrusionDetection", "Default", 1.0, 2.0),
            reported("DnsFiltering", "Default", 1.0, 1.0),
        ]).await;
        ss.report_control_states(vec![
            reported("adminmfa", "Default", 1.0, 4.0),
            reported("UserMfa", "Default", 10.0, 10.0),
        ]).await.unwrap();
        ss.set_settings(&SecureScoreSettings { licensed_user_count: Some(250), active_user_count: Some(200), industry: Some("Retail".into()) }).await.unwrap();
        let ignore = json!({"state": "Ignored", "vendorInformation": vendor()});
        ss.update_profile("DnsFiltering", patch(ignore), None, t.clock.now()).await.unwrap();
        let s = ss.compute_snapshot().await.unwrap();
        let part = |name: &str| s.control_scores.iter().find(|c| c.control_name == name).unwrap().clone();
        assert_eq!(part("AdminMfa").score, 7.5, "the better of the provider's and the admin's report");
        assert!(part("AdminMfa").implementation_status.contains("Edge Firewall"));
        assert_eq!(part("UserMfa").score, 9.0);
        assert_eq!(part("NetworkIntrusionDetection").score, 3.5);
        assert_eq!((part("DnsFiltering").score, part("DnsFiltering").state), (0.0, ControlState::Ignored));
        assert_eq!(s.current_score, 20.0);
        let total: f64 = catalogue().scored().map(|c| c.max_score).sum();
        assert_eq!(s.max_score, total);
        assert_eq!((s.licensed_user_count, s.active_user_count), (Some(250), Some(200)));
        assert_eq!(s.enabled_services, ["HasDirectory", "HasNetwork"]);
        assert!(s.average_comparative_scores.is_empty(), "one tenant is no basis");
        assert_eq!(s.id, format!("{}_2024-06-01", tenant_a()));

        t.clock.advance(Duration::from_secs(3600));
        let third = json!({"state": "ThirdParty", "vendorInformation": vendor()});
        ss.update_profile("NetworkIntrusionDetection", patch(third), None, t.clock.now()).await.unwrap();
        let again = ss.compute_snapshot().await.unwrap();
        assert_eq!(again.current_score, 23.5);
        assert_eq!(ss.count_scores(None).await.unwrap(), 1, "the day's snapshot was replaced");
        t.clock.advance(Duration::from_secs(86_400));
        let next = ss.compute_snapshot().await.unwrap();
        assert_eq!(ss.count_scores(None).await.unwrap(), 2);
        let latest = ss.list_scores(&query(&SECURE_SCORE, "$top=1"), 1).await.unwrap();
        assert_eq!(latest.items[0].id, next.id);
        assert!(latest.next_skiptoken.is_some());
        assert_eq!(ss.get_score(&again.id).await.unwrap().unwrap(), again);
        let q = query(&SECURE_SCORE, "$filter=controlScores/any(c: c/controlName eq 'UserMfa' and c/score ge 9) and currentScore gt 23");
        assert_eq!(ss.count_scores(q.filter.as_ref()).await.unwrap(), 2);
        assert_eq!(t.store.tenant(&tenant_b()).secure_score().count_scores(None).await.unwrap(), 0);
    }

    async fn comparisons_need_five_tenants_sharing_a_basis() {
        let t = open().await;
        let peers = tenants(&t.store, 6).await;
        for (i, tenant) in peers.iter().enumerate() {
            let ss = t.store.tenant(tenant).secure_score();
            let seats = if i < 5 { 80 } else { 4000 };
            let industry = if i < 4 { "Retail" } else { "Energy" };
            ss.set_settings(&SecureScoreSettings { licensed_user_count: Some(seats), active_user_count: None, industry: Some(industry.into()) }).await.unwrap();
            ss.report_control_states(vec![reported("AdminMfa", "Default", i as f64, 10.0)]).await.unwrap();
        }
        let run = t.store.secure_score_snapshots().run(90).await.unwrap();
        assert_eq!(run.tenants, 8, "six peers and the two tenants every test store has");
        let first = t.store.tenant(&peers[0]).secure_score().latest_score().await.unwrap().unwrap();
        let bases: Vec<(&str, f64)> = first.average_comparative_scores.iter().map(|a| (a.basis.as_str(), a.average_score)).collect();
        // Scores are 0, 1, ..., 5 for the peers and 0 for tenants A and B: all 8 average 1.88;
        // the five peers with 80 seats average 2.0; four Retail tenants are too few.
        assert_eq!(bases, [("AllTenants", 1.88), ("TotalSeats", 2.0)]);
        let last = t.store.tenant(&peers[5]).secure_score().latest_score().await.unwrap().unwrap();
        assert_eq!(last.average_comparative_scores.len(), 1, "{:?}", last.average_comparative_scores);
        let a = t.store.tenant(&tenant_a()).secure_score().latest_score().await.unwrap().unwrap();
        assert_eq!(a.average_comparative_scores[0].basis, "AllTenants");
    }

    async fn history_is_kept_for_the_retention_period() {
        let t = open().await;
        let ss = t.store.tenant(&tenant_a()).secure_score();
        let today = t.clock.now();
        let days: Vec<(ScoreInputs, Option<String>)> = (0..100)
            .map(|d| {
                let created = today - Duration::from_secs(86_400 * d);
                let mut inputs = inputs_at(created);
                inputs.measurements[0].score = 100.0 - d as f64;
                (inputs, None)
            })
            .collect();
        let stored = ss.store_history(days).await.unwrap();
        assert_eq!(stored.len(), 100);
        assert_eq!(ss.count_scores(None).await.unwrap(), 100);
        let pruned = t.store.secure_score_snapshots().prune(90).await.unwrap();
        assert_eq!(pruned, 10);
        let page = ss.list_scores(&query(&SECURE_SCORE, "$top=90"), 90).await.unwrap();
        assert_eq!(page.items.len(), 90);
        assert!(page.next_skiptoken.is_none());
        assert_eq!(page.items[0].id, format!("{}_2024-06-01", tenant_a()));
        assert_eq!(page.items[89].id, format!("{}_2024-03-04", tenant_a()));
        assert!(page.items.windows(2).all(|w| w[0].created_date_time > w[1].created_date_time));
        assert_eq!(t.store.secure_score_snapshots().prune(0).await.unwrap(), 0);
    }

    async fn settings_round_trip() {
        let t = open().await;
        let ss = t.store.tenant(&tenant_a()).secure_score();
        assert_eq!(ss.settings().await.unwrap(), SecureScoreSettings::default());
        ss.ensure_profiles().await.unwrap();
        let s = SecureScoreSettings { licensed_user_count: Some(12), active_user_count: Some(9), industry: Some("Health".into()) };
        ss.set_settings(&s).await.unwrap();
        assert_eq!(ss.settings().await.unwrap(), s);
        assert_eq!(ss.count_profiles(None).await.unwrap(), catalogue().controls.len() as u64, "settings keep the profiles current");
        let states = ss.reported_states().await.unwrap();
        assert!(states.is_empty());
    }
}

/// Inputs with one admin measurement of `AdminMfa` (score 100 of 100).
fn inputs_at(created: OffsetDateTime) -> ScoreInputs {
    ScoreInputs {
        tenant: tenant_a().to_string(),
        created,
        measurements: vec![model::secure_score::Measurement {
            control_name: "AdminMfa".into(),
            source: "admin".into(),
            state: ControlState::Default,
            score: 100.0,
            max_score: 100.0,
            affected_item_count: None,
            updated_date_time: created,
        }],
        decisions: Default::default(),
        licensed_user_count: None,
        active_user_count: None,
    }
}
