//! `Notebook`: a complete provider built with the SDK in about fifty lines — it versions alerts
//! on update, runs `blockIp`/`unblockIp` against a set, refuses to cancel finished actions, and
//! serves a two-page pull and a federated query.

use model::TenantId;
use parking_lot::Mutex;
use provider_protocol::*;
use provider_sdk::{Provider, Refusal, Unavailable};
use serde_json::json;
use std::collections::{BTreeSet, HashMap};

#[derive(Default)]
pub struct Notebook {
    versions: Mutex<HashMap<String, u64>>,
    pub blocked: Mutex<BTreeSet<String>>,
    finished: Mutex<BTreeSet<String>>,
}

impl Provider for Notebook {
    async fn alert_update(&self, u: AlertUpdate) -> Result<CallbackAnswer, Unavailable> {
        let mut versions = self.versions.lock();
        let v = versions.entry(u.provider_alert_id).or_insert(1);
        *v += 1;
        Ok(CallbackAnswer::applied(Some(ProviderVersion::Sequence(*v))))
    }

    async fn invoke_action(&self, a: ActionInvocation) -> Result<CallbackAnswer, Unavailable> {
        let ip = a
            .parameters
            .iter()
            .find(|p| p.name == "ip")
            .and_then(|p| p.value.clone());
        let (Some(ip), mut blocked) = (ip, self.blocked.lock()) else {
            return Ok(CallbackAnswer::rejected("parameter ip is required"));
        };
        match a.name.as_str() {
            "blockIp" => blocked.insert(ip),
            "unblockIp" => blocked.remove(&ip),
            other => return Ok(CallbackAnswer::rejected(format!("{other} is not offered"))),
        };
        self.finished.lock().insert(a.action_id);
        Ok(CallbackAnswer::applied(None))
    }

    async fn cancel_action(&self, c: ActionCancellation) -> Result<CallbackAnswer, Unavailable> {
        Ok(CallbackAnswer::rejected(
            match self.finished.lock().contains(&c.action_id) {
                true => "the action has already finished",
                false => "no such action",
            },
        ))
    }

    async fn pull(&self, _t: TenantId, cursor: Option<String>) -> Result<PullPage, Refusal> {
        let alert = json!({"providerAlertId": "nb-1", "version": 1,
            "alert": {"title": "Seen", "createdDateTime": "2025-03-01T10:00:00Z"}});
        let page = match cursor.as_deref() {
            None => {
                json!({"protocolVersion": 1, "alerts": [alert], "nextCursor": "2", "hasMore": true})
            }
            Some(_) => json!({"protocolVersion": 1, "alerts": [], "nextCursor": "2"}),
        };
        serde_json::from_value(page).map_err(|e| Refusal::bad_request(e.to_string()))
    }

    async fn federated(&self, r: FederatedRequest) -> Result<FederatedAnswer, Refusal> {
        let top = r
            .odata_query
            .strip_prefix("$top=")
            .and_then(|t| t.parse().ok())
            .unwrap_or(9);
        let value: Vec<_> = (0..top.min(9))
            .map(|i| {
                json!({"id": format!("nb-{i}"), "title": "Seen",
            "createdDateTime": "2025-03-01T10:00:00Z"})
            })
            .collect();
        serde_json::from_value(json!({"protocolVersion": 1, "value": value}))
            .map_err(|e| Refusal::bad_request(e.to_string()))
    }
}
