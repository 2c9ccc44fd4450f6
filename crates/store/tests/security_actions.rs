//! Security actions on both backends: a created action and the outbox row that delivers it commit
//! together; cancellation; the provider's answers and status reports (forward only, owner only,
//! repeats harmless); paging, counting and status filters; tenant isolation.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use provider_protocol::{
    ActionStatus, ActionStatusUpdate, CallbackAnswer, KeyValuePair, ProviderManifest,
};
use serde_json::json;
use std::time::Duration;
use store::identity::NewApplication;
use store::security_actions::{
    ActionJob, ActionOutcome, CancelJob, NewSecurityAction, SecurityAction, ACTION_CANCEL_KIND,
    ACTION_KIND, SECURITY_ACTION,
};
use store::{NewProvider, Provider, Store, StoreError};
use time::OffsetDateTime;

fn manifest(name: &str) -> ProviderManifest {
    serde_json::from_value(json!({
        "protocolVersion": 1, "name": name, "vendor": "Contoso", "mode": "push",
        "callbackBaseUrl": "https://fw.contoso.example/secgraph",
        "actions": [
            {"name": "blockIp", "parameters": [{"name": "ip", "type": "ip", "required": true}]},
            {"name": "isolateDevice", "parameters": [{"name": "deviceId", "type": "string"}]}
        ]
    }))
    .unwrap()
}

/// A provider named `name`, enabled in tenant A.
async fn provider(store: &Store, name: &str) -> Provider {
    let client_id = store
        .identity()
        .create_application(NewApplication {
            home_tenant_id: tenant_b(),
            display_name: format!("{name} app"),
            multi_tenant: true,
            requested_permissions: vec![auth::Permission::SecurityAlertReadWriteAll],
        })
        .await
        .unwrap()
        .client_id;
    let new = NewProvider {
        client_id,
        manifest: manifest(name),
        allow_private: false,
    };
    store.providers().register(new).await.unwrap().0
}

/// Resolves `BlockIp` with `IP` = `ip` (case-insensitive names) and creates it in `tenant`.
async fn block_ip(
    store: &Store,
    p: &Provider,
    tenant: &model::TenantId,
    ip: &str,
) -> SecurityAction {
    let action = p
        .manifest
        .resolve_action("BlockIp", &[KeyValuePair::new("IP", ip)])
        .unwrap();
    let new = NewSecurityAction {
        action,
        action_reason: Some("beaconing".into()),
        client_context: Some("ctx-1".into()),
        app_id: Some("caller-app".into()),
        user: None,
    };
    let now = store.clock().now();
    store
        .tenant(tenant)
        .security_actions()
        .create(p, new, now)
        .await
        .unwrap()
}

fn report(status: &str, error: Option<&str>) -> ActionStatusUpdate {
    let mut body = json!({"protocolVersion": 1, "status": status});
    if let Some(m) = error {
        body["errorInfo"] = json!({"code": 409, "message": m, "subcode": 0});
    }
    serde_json::from_value(body).unwrap()
}

fn changed(outcome: ActionOutcome) -> SecurityAction {
    match outcome {
        ActionOutcome::Changed(a) => a,
        other => panic!("expected Changed, got {other:?}"),
    }
}

fn statuses(a: &SecurityAction) -> Vec<ActionStatus> {
    a.states.iter().map(|s| s.status).collect()
}

async fn claim(store: &Store, kind: &str) -> Vec<serde_json::Value> {
    let items = store
        .outbox()
        .claim(&[kind], 100, Duration::from_secs(60), "test")
        .await
        .unwrap();
    items.into_iter().map(|i| i.payload).collect()
}

fn at(s: &str) -> OffsetDateTime {
    model::datetime::parse(s).unwrap()
}

testdb::conformance! {
    async fn a_created_action_and_its_invocation_commit_together() {
        let t = open().await;
        let p = provider(&t.store, "Edge Firewall").await;
        let a = block_ip(&t.store, &p, &tenant_a(), "::ffff:1.2.3.4").await;
        assert_eq!((a.name.as_str(), a.status), ("blockIp", ActionStatus::NotStarted));
        assert_eq!(a.parameters, vec![KeyValuePair::new("ip", "1.2.3.4")]);
        assert_eq!(a.azure_tenant_id, tenant_a().as_str());
        assert_eq!(a.vendor_information.provider.as_deref(), Some("Edge Firewall"));
        assert_eq!(a.vendor_information.vendor.as_deref(), Some("Contoso"));
        assert_eq!(statuses(&a), vec![ActionStatus::NotStarted]);
        assert_eq!(a.states[0].app_id.as_deref(), Some("caller-app"));
        assert_eq!(a.last_action_date_time, Some(a.created_date_time));
        let doc = serde_json::to_value(&a).unwrap();
        assert_eq!(doc["status"], "NotStarted");
        assert!(doc["errorInfo"].is_null() && doc["completedDateTime"].is_null());
        assert!(doc.get("providerId").is_none(), "the registry id is not part of the entity");

        let stored = t.store.tenant(&tenant_a()).security_actions().get(&a.id).await.unwrap().unwrap();
        assert_eq!(stored, a);
        assert_eq!(stored.provider_id, p.id);

        assert_eq!(t.store.outbox().pending(Some(ACTION_KIND)).await.unwrap(), 1);
        let jobs = claim(&t.store, ACTION_KIND).await;
        let job: ActionJob = serde_json::from_value(jobs[0].clone()).unwrap();
        assert_eq!(job.provider_id, p.id);
        let inv = job.invocation;
        assert_eq!((inv.action_id.as_str(), inv.tenant_id.as_str()), (a.id.as_str(), tenant_a().as_str()));
        assert_eq!((inv.name.as_str(), inv.parameters.clone()), ("blockIp", a.parameters.clone()));
        assert_eq!(inv.action_reason.as_deref(), Some("beaconing"));
        assert_eq!(inv.client_context.as_deref(), Some("ctx-1"));
        assert_eq!(inv.requested_by.as_deref(), Some("caller-app"));
        assert_eq!(inv.created_date_time, a.created_date_time);
        assert!(inv.validate().is_ok());
        assert!(jobs[0].get("providerId").is_some() && jobs[0].get("invocation").is_some());
    }

    async fn an_invocation_that_would_be_invalid_is_not_stored() {
        let t = open().await;
        let p = provider(&t.store, "Edge Firewall").await;
        let action = p.manifest.resolve_action("blockIp", &[KeyValuePair::new("ip", "10.0.0.1")]).unwrap();
        let new = NewSecurityAction {
            action, action_reason: Some("x".repeat(2000)), client_context: None, app_id: None, user: None,
        };
        let err = t.store.tenant(&tenant_a()).security_actions().create(&p, new, t.store.clock().now()).await.unwrap_err();
        assert!(matches!(&err, StoreError::Rejected(m) if m.contains("actionReason")), "{err}");
        assert_eq!(t.store.tenant(&tenant_a()).security_actions().count(None).await.unwrap(), 0);
        assert_eq!(t.store.outbox().pending(None).await.unwrap(), 0);
    }

    async fn a_cancelled_action_ends_failed_and_the_provider_is_told() {
        let t = open().await;
        let p = provider(&t.store, "Edge Firewall").await;
        let a = block_ip(&t.store, &p, &tenant_a(), "1.2.3.4").await;
        t.clock.advance(Duration::from_secs(90));
        let now = t.store.clock().now();
        let actions = t.store.tenant(&tenant_a()).security_actions();
        let c = changed(actions.cancel(&a.id, Some("canceller".into()), now).await.unwrap());
        assert_eq!(c.status, ActionStatus::Failed);
        assert_eq!(statuses(&c), vec![ActionStatus::NotStarted, ActionStatus::Failed]);
        assert_eq!(c.states[1].app_id.as_deref(), Some("canceller"));
        assert_eq!((c.completed_date_time, c.last_action_date_time), (Some(now), Some(now)));
        let message = c.error_info.as_ref().unwrap().message.clone().unwrap();
        assert!(message.contains("canceller") && message.contains(&model::datetime::format(now)), "{message}");
        assert_eq!(actions.get(&a.id).await.unwrap().unwrap(), c);

        let jobs = claim(&t.store, ACTION_CANCEL_KIND).await;
        assert_eq!(jobs.len(), 1);
        let job: CancelJob = serde_json::from_value(jobs[0].clone()).unwrap();
        assert_eq!((job.provider_id.as_str(), job.cancellation.action_id.as_str()), (p.id.as_str(), a.id.as_str()));
        assert_eq!(job.cancellation.tenant_id, tenant_a());

        let again = actions.cancel(&a.id, None, now).await.unwrap();
        assert!(matches!(&again, ActionOutcome::Refused(m) if m.contains("already Failed")), "{again:?}");
        assert_eq!(actions.cancel("nope", None, now).await.unwrap(), ActionOutcome::NotFound);
        assert_eq!(t.store.outbox().pending(Some(ACTION_CANCEL_KIND)).await.unwrap(), 1);
    }

    async fn status_reports_move_forward_only_and_only_from_the_owner() {
        let t = open().await;
        let p = provider(&t.store, "Edge Firewall").await;
        let other = provider(&t.store, "Mail Gateway").await;
        let a = block_ip(&t.store, &p, &tenant_a(), "1.2.3.4").await;
        let actions = t.store.tenant(&tenant_a()).security_actions();

        assert_eq!(actions.report_status(&a.id, &other, report("Running", None)).await.unwrap(), ActionOutcome::NotOwner);
        assert_eq!(actions.report_status("nope", &p, report("Running", None)).await.unwrap(), ActionOutcome::NotFound);
        let mut running = report("running", None);
        running.updated_date_time = Some(at("2024-06-01T12:00:05+02:00"));
        let r = changed(actions.report_status(&a.id, &p, running.clone()).await.unwrap());
        assert_eq!(statuses(&r), vec![ActionStatus::NotStarted, ActionStatus::Running]);
        assert_eq!(r.states[1].app_id.as_deref(), Some(p.client_id.as_str()));
        assert_eq!(r.last_action_date_time, Some(at("2024-06-01T10:00:05Z")));
        assert_eq!(r.completed_date_time, None);

        match actions.report_status(&a.id, &p, running).await.unwrap() {
            ActionOutcome::Unchanged(same) => assert_eq!(same.states.len(), 2, "a repeat adds no state"),
            other => panic!("a repeat is harmless: {other:?}"),
        }
        let back = actions.report_status(&a.id, &p, report("NotStarted", None)).await.unwrap();
        assert!(matches!(&back, ActionOutcome::Refused(m) if m.contains("forward only")), "{back:?}");
        let err = actions.report_status(&a.id, &p, report("Failed", None)).await.unwrap_err();
        assert!(matches!(&err, StoreError::Rejected(m) if m.contains("errorInfo")), "{err}");

        t.clock.advance(Duration::from_secs(30));
        let done = changed(actions.report_status(&a.id, &p, report("Completed", None)).await.unwrap());
        let now = t.store.clock().now();
        assert_eq!((done.status, done.completed_date_time), (ActionStatus::Completed, Some(now)));
        let late = actions.report_status(&a.id, &p, report("Failed", Some("too late"))).await.unwrap();
        assert!(matches!(late, ActionOutcome::Refused(_)), "{late:?}");
        assert_eq!(actions.get(&a.id).await.unwrap().unwrap(), done);

        let b = block_ip(&t.store, &p, &tenant_a(), "5.6.7.8").await;
        let failed = changed(actions.report_status(&b.id, &p, report("FAILED", Some("on the allow list"))).await.unwrap());
        let info = failed.error_info.clone().unwrap();
        assert_eq!((info.code, info.message.as_deref()), (409, Some("on the allow list")));
        assert_eq!(statuses(&failed), vec![ActionStatus::NotStarted, ActionStatus::Failed]);
    }

    async fn a_rejected_invocation_fails_the_action_and_acceptance_changes_nothing() {
        let t = open().await;
        let p = provider(&t.store, "Edge Firewall").await;
        let actions = t.store.tenant(&tenant_a()).security_actions();
        let a = block_ip(&t.store, &p, &tenant_a(), "1.2.3.4").await;
        match actions.record_answer(&a.id, ACTION_KIND, CallbackAnswer::applied(None)).await.unwrap() {
            ActionOutcome::Unchanged(same) => assert_eq!(same, a),
            other => panic!("applied means accepted: {other:?}"),
        }
        let f = changed(actions.record_answer(&a.id, ACTION_KIND, CallbackAnswer::rejected("no such device")).await.unwrap());
        assert_eq!(f.status, ActionStatus::Failed);
        let message = f.error_info.clone().unwrap().message.unwrap();
        assert!(message.contains("no such device") && message.contains("Edge Firewall"), "{message}");
        assert_eq!(f.states[1].app_id.as_deref(), Some(p.client_id.as_str()));

        let b = block_ip(&t.store, &p, &tenant_a(), "5.6.7.8").await;
        actions.cancel(&b.id, None, t.store.clock().now()).await.unwrap();
        let after_cancel = actions.record_answer(&b.id, ACTION_KIND, CallbackAnswer::rejected("x")).await.unwrap();
        assert!(matches!(&after_cancel, ActionOutcome::Unchanged(s) if s.states.len() == 2), "{after_cancel:?}");
        let on_cancel = actions.record_answer(&b.id, ACTION_CANCEL_KIND, CallbackAnswer::rejected("x")).await.unwrap();
        assert!(matches!(on_cancel, ActionOutcome::Unchanged(_)));
        assert!(actions.record_answer(&b.id, "provider.alertUpdate", CallbackAnswer::applied(None)).await.is_err());
    }

    async fn lists_page_newest_first_count_and_filter_on_status() {
        let t = open().await;
        let p = provider(&t.store, "Edge Firewall").await;
        let mut ids = Vec::new();
        for i in 0..5 {
            ids.push(block_ip(&t.store, &p, &tenant_a(), &format!("10.0.0.{i}")).await.id);
            t.clock.advance(Duration::from_secs(1));
        }
        let actions = t.store.tenant(&tenant_a()).security_actions();
        actions.cancel(&ids[1], None, t.store.clock().now()).await.unwrap();

        let mut q = query(&SECURITY_ACTION, "$count=true");
        let mut seen = Vec::new();
        loop {
            let page = actions.list(&q, 2).await.unwrap();
            assert_eq!(page.count, Some(5), "$count ignores paging");
            seen.extend(page.items.into_iter().map(|a| a.id));
            match page.next_skiptoken {
                Some(token) => q.skiptoken = Some(token),
                None => break,
            }
        }
        let newest_first: Vec<String> = ids.iter().rev().cloned().collect();
        assert_eq!(seen, newest_first);

        let failed = query(&SECURITY_ACTION, "$filter=status eq 'failed'");
        let page = actions.list(&failed, 10).await.unwrap();
        assert_eq!(page.items.iter().map(|a| a.id.clone()).collect::<Vec<_>>(), vec![ids[1].clone()]);
        assert_eq!(actions.count(failed.filter.as_ref()).await.unwrap(), 1);
        let asc = query(&SECURITY_ACTION, "$orderby=createdDateTime asc&$top=1");
        assert_eq!(actions.list(&asc, 1).await.unwrap().items[0].id, ids[0]);
        let options = odata::parse_query_string("$filter=name eq 'blockIp'").unwrap();
        let err = odata::bind(&options, &SECURITY_ACTION, &Default::default()).unwrap_err();
        assert!(err.to_string().contains("name"), "{err}");
    }

    async fn another_tenant_sees_and_changes_nothing() {
        let t = open().await;
        let p = provider(&t.store, "Edge Firewall").await;
        let a = block_ip(&t.store, &p, &tenant_a(), "1.2.3.4").await;
        let b = t.store.tenant(&tenant_b()).security_actions();
        assert!(b.get(&a.id).await.unwrap().is_none());
        assert_eq!(b.count(None).await.unwrap(), 0);
        assert!(b.list(&Default::default(), 10).await.unwrap().items.is_empty());
        assert_eq!(b.cancel(&a.id, None, t.store.clock().now()).await.unwrap(), ActionOutcome::NotFound);
        assert_eq!(b.report_status(&a.id, &p, report("Running", None)).await.unwrap(), ActionOutcome::NotFound);
        assert_eq!(b.record_answer(&a.id, ACTION_KIND, CallbackAnswer::rejected("x")).await.unwrap(), ActionOutcome::NotFound);
        let still = t.store.tenant(&tenant_a()).security_actions().get(&a.id).await.unwrap().unwrap();
        assert_eq!(still, a);
    }
}
