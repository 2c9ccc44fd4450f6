//! The firewall as a provider: `blockIp` / `unblockIp` change the block list on disk and are
//! reported `Completed` (or `Failed`, for an address that is not one) in the background; a
//! cancellation of a finished action is refused with a reason; alert updates are applied with a
//! growing version. `observe` is the simulated traffic: a blocked address seen is an alert pushed.

use crate::alerts::AlertBook;
use crate::blocklist::BlockList;
use crate::status_report;
use provider_protocol::{
    ActionCancellation, ActionInvocation, ActionStatus, ActionStatusUpdate, AlertBatch,
    AlertResult, AlertUpdate, CallbackAnswer, ParameterType, ProviderVersion, ResultInfo,
    PROTOCOL_VERSION,
};
use provider_sdk::{ClientError, Provider, SecgraphClient, Unavailable};
use std::collections::{HashMap, VecDeque};
use std::io;
use std::sync::Arc;
use time::OffsetDateTime;
use tokio::sync::Mutex;

/// How many finished actions are remembered for cancellations.
const REMEMBERED_ACTIONS: usize = 10_000;

/// The firewall's state and its line to secgraph.
pub struct Firewall {
    blocklist: Mutex<BlockList>,
    alerts: Mutex<AlertBook>,
    finished: Mutex<Finished>,
    client: Arc<SecgraphClient>,
}

/// Finished actions by id, oldest forgotten first.
#[derive(Default)]
struct Finished {
    status: HashMap<String, ActionStatus>,
    order: VecDeque<String>,
}

/// What `observe` saw and what secgraph made of it.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Observation {
    /// The blocked addresses among those seen.
    pub matched: Vec<String>,
    /// secgraph's result for each alert pushed.
    pub results: Vec<AlertResult>,
}

/// Why `observe` failed.
#[derive(Debug, thiserror::Error)]
pub enum ObserveError {
    /// An address is not an IP address.
    #[error("{0}")]
    BadAddress(String),
    /// The alerts could not be written.
    #[error("the alerts could not be recorded: {0}")]
    Storage(#[from] io::Error),
    /// secgraph refused the push or could not be reached.
    #[error("the alert could not be pushed: {0}")]
    Push(#[from] ClientError),
}

impl Firewall {
    /// A firewall with its stored state, reporting to secgraph through `client`.
    pub fn new(blocklist: BlockList, alerts: AlertBook, client: SecgraphClient) -> Self {
        Firewall {
            blocklist: Mutex::new(blocklist),
            alerts: Mutex::new(alerts),
            finished: Mutex::new(Finished::default()),
            client: Arc::new(client),
        }
    }

    /// The blocked addresses.
    pub async fn blocked(&self) -> Vec<String> {
        self.blocklist.lock().await.addresses()
    }

    /// Simulated traffic from `source` to `destination`: each blocked address among them is one
    /// alert, pushed in one batch.
    pub async fn observe(
        &self,
        source: &str,
        destination: &str,
    ) -> Result<Observation, ObserveError> {
        let canonical = |side: &str, raw: &str| {
            ParameterType::Ip
                .normalize(raw)
                .map_err(|e| ObserveError::BadAddress(format!("{side}Address: {e}")))
        };
        let (source, destination) = (
            canonical("source", source)?,
            canonical("destination", destination)?,
        );
        let seen = self.blocked_among(&source, &destination).await;
        let matched: Vec<String> = seen.iter().map(|(a, _)| a.clone()).collect();
        if seen.is_empty() {
            return Ok(Observation {
                matched,
                results: Vec::new(),
            });
        }
        let alerts = self
            .alerts
            .lock()
            .await
            .sightings(&seen, OffsetDateTime::now_utc())
            .await?;
        let batch = AlertBatch {
            protocol_version: PROTOCOL_VERSION,
            alerts,
        };
        let response = self.client.push_alerts(&batch).await?;
        Ok(Observation {
            matched,
            results: response.results,
        })
    }

    /// The blocked addresses among `source` and `destination` (canonical), each with the evidence
    /// roles it was seen in.
    async fn blocked_among(
        &self,
        source: &str,
        destination: &str,
    ) -> Vec<(String, Vec<&'static str>)> {
        let blocklist = self.blocklist.lock().await;
        let mut seen: Vec<(String, Vec<&'static str>)> = Vec::new();
        for (address, role) in [(source, "source"), (destination, "destination")] {
            if !blocklist.contains(address) {
                continue;
            }
            match seen.iter_mut().find(|(a, _)| a == address) {
                Some((_, roles)) => roles.push(role),
                None => seen.push((address.to_string(), vec![role])),
            }
        }
        seen
    }

    /// Runs `blockIp` (`block`) or `unblockIp` on the invocation's `ip`.
    async fn run(
        &self,
        block: bool,
        action: &ActionInvocation,
    ) -> Result<Result<(), ResultInfo>, io::Error> {
        let raw = action
            .parameters
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case("ip"))
            .and_then(|p| p.value.as_deref());
        let Some(raw) = raw else {
            return Ok(Err(failure(
                400,
                format!("{} needs the parameter ip", action.name),
            )));
        };
        let address = match ParameterType::Ip.normalize(raw) {
            Ok(a) => a,
            Err(e) => return Ok(Err(failure(400, format!("ip: {e}")))),
        };
        self.blocklist.lock().await.set(&address, block).await?;
        tracing::info!(%address, block, action_id = %action.action_id, "block list changed");
        Ok(Ok(()))
    }

    async fn remember(&self, action_id: &str, status: ActionStatus) {
        let mut finished = self.finished.lock().await;
        if finished
            .status
            .insert(action_id.to_string(), status)
            .is_none()
        {
            finished.order.push_back(action_id.to_string());
        }
        while finished.order.len() > REMEMBERED_ACTIONS {
            if let Some(old) = finished.order.pop_front() {
                finished.status.remove(&old);
            }
        }
    }
}

fn failure(code: i32, message: String) -> ResultInfo {
    ResultInfo {
        code,
        message: Some(message),
        subcode: 0,
    }
}

impl Provider for Firewall {
    async fn alert_update(&self, update: AlertUpdate) -> Result<CallbackAnswer, Unavailable> {
        let mut alerts = self.alerts.lock().await;
        let version = alerts
            .apply_update(&update, OffsetDateTime::now_utc())
            .await
            .map_err(|e| Unavailable::new(format!("the update could not be recorded: {e}")))?;
        Ok(CallbackAnswer::applied(Some(ProviderVersion::Sequence(
            version,
        ))))
    }

    async fn invoke_action(&self, action: ActionInvocation) -> Result<CallbackAnswer, Unavailable> {
        let block = match action.name.as_str() {
            "blockIp" => true,
            "unblockIp" => false,
            other => {
                return Ok(CallbackAnswer::rejected(format!(
                    "this firewall offers blockIp and unblockIp, not {other}"
                )))
            }
        };
        let outcome = self
            .run(block, &action)
            .await
            .map_err(|e| Unavailable::new(format!("the block list could not be written: {e}")))?;
        let (status, error_info) = match outcome {
            Ok(()) => (ActionStatus::Completed, None),
            Err(info) => (ActionStatus::Failed, Some(info)),
        };
        self.remember(&action.action_id, status).await;
        let update = ActionStatusUpdate {
            protocol_version: PROTOCOL_VERSION,
            status,
            error_info,
            updated_date_time: Some(OffsetDateTime::now_utc()),
        };
        status_report::spawn(Arc::clone(&self.client), action.action_id, update);
        Ok(CallbackAnswer::applied(None))
    }

    async fn cancel_action(
        &self,
        cancel: ActionCancellation,
    ) -> Result<CallbackAnswer, Unavailable> {
        let id = &cancel.action_id;
        let reason = match self.finished.lock().await.status.get(id) {
            Some(status) => format!(
                "action {id} has already finished ({status}); block list changes apply at once \
                 and cannot be cancelled: run the opposite action instead"
            ),
            None => format!(
                "this firewall has no record of action {id}: it never arrived, or finished \
                 before a restart"
            ),
        };
        Ok(CallbackAnswer::rejected(reason))
    }
}
