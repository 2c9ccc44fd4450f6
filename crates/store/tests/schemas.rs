//! The real property tables of `model` render and run: every filterable property of the alerts_v2
//! and legacy schemas in a filter, every sortable one in `$orderby`, on both views.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use odata::schema::{EntitySchema, PropType};
use serde_json::json;
use store::{AlertView, ListRequest};

fn filters(schema: &EntitySchema) -> Vec<String> {
    let mut out = Vec::new();
    for p in schema.properties.iter().filter(|p| p.filterable) {
        match p.ty {
            PropType::Collection(_) => out.push(format!("{}/any()", p.name)),
            PropType::Dictionary => out.push(format!("{}/someKey eq 'x'", p.name)),
            PropType::Complex(c) => {
                if let Some(inner) = c
                    .properties
                    .iter()
                    .find(|i| matches!(i.ty, PropType::String))
                {
                    out.push(format!("{}/{} eq 'x'", p.name, inner.name));
                }
            }
            _ => out.push(format!("{} eq null", p.name)),
        }
    }
    out
}

async fn run_all(t: &TestStore, schema: &'static EntitySchema, view: AlertView) {
    let ts = t.store.tenant(&tenant_a());
    for f in filters(schema) {
        let q = query(schema, &format!("$filter={f}&$count=true"));
        let page = ts
            .list_alerts(ListRequest {
                view,
                query: &q,
                page_size: 5,
            })
            .await;
        assert!(page.is_ok(), "{}: $filter={f}: {page:?}", schema.name);
    }
    for p in schema.properties.iter().filter(|p| p.sortable) {
        let q = query(schema, &format!("$orderby={} desc", p.name));
        let first = ts
            .list_alerts(ListRequest {
                view,
                query: &q,
                page_size: 1,
            })
            .await
            .unwrap();
        let mut next = q.clone();
        next.skiptoken = first.next_skiptoken;
        let second = ts
            .list_alerts(ListRequest {
                view,
                query: &next,
                page_size: 1,
            })
            .await;
        assert!(
            second.is_ok(),
            "{}: $orderby={}: {second:?}",
            schema.name,
            p.name
        );
    }
}

testdb::conformance! {
    async fn model_schemas_render_on_their_views() {
        let t = open().await;
        seed(
            &t.store,
            vec![
                alert(
                    "r1",
                    json!({"assignedTo": "x", "systemTags": ["x"], "customDetails": {"someKey": "x"}}),
                ),
                alert("r2", json!({"severity": "high"})),
            ],
        )
        .await;
        run_all(&t, &model::schema::ALERT, AlertView::V2).await;
        run_all(&t, &model::schema::LEGACY_ALERT, AlertView::Legacy).await;
        let q = query(
            &model::schema::LEGACY_ALERT,
            "$orderby=createdDateTime desc",
        );
        let ts = t.store.tenant(&tenant_a());
        let plan = ts
            .explain_list(ListRequest {
                view: AlertView::Legacy,
                query: &q,
                page_size: 50,
            })
            .await
            .unwrap();
        assert!(
            plan.iter().all(|l| !l.contains("TEMP B-TREE")),
            "legacy default order uses its index: {plan:?}"
        );
    }
}
