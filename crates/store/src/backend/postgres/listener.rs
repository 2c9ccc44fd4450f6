//! The node's `LISTEN` connection: republishes every node's committed announcements
//! ([`crate::events`]) to this node's subscribers. It runs on a thread of its own with a small
//! runtime, reconnects after a second when the connection is lost, and publishes
//! [`StoreEvent::Resync`] after each reconnection (notifications sent meanwhile are lost). It stops
//! when the backend is dropped.

use crate::events::StoreEvent;
use futures::StreamExt;
use std::time::Duration;
use tokio::sync::{broadcast, watch};
use tokio_postgres::{AsyncMessage, NoTls};

/// Pause before reconnecting.
const RETRY: Duration = Duration::from_secs(1);

/// Stops the listener thread when dropped.
#[derive(Debug)]
pub(crate) struct Listener {
    _stop: watch::Sender<()>,
}

impl Listener {
    /// Starts listening; returns once the first `LISTEN` is in place (or failed: then it keeps
    /// retrying in the background, and the first success publishes a resync).
    pub(crate) fn start(
        config: tokio_postgres::Config,
        channel: String,
        events: broadcast::Sender<StoreEvent>,
    ) -> Result<Listener, crate::error::StoreError> {
        let (stop_tx, stop_rx) = watch::channel(());
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("secgraph-pg-listen".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        tracing::error!(error = %e, "cannot start the change-feed listener");
                        let _ = ready_tx.send(());
                        return;
                    }
                };
                runtime.block_on(listen(config, channel, events, stop_rx, ready_tx));
            })
            .map_err(|e| {
                crate::error::StoreError::Open(format!("cannot start the listener thread: {e}"))
            })?;
        let _ = ready_rx.recv_timeout(Duration::from_secs(30));
        Ok(Listener { _stop: stop_tx })
    }
}

async fn listen(
    config: tokio_postgres::Config,
    channel: String,
    events: broadcast::Sender<StoreEvent>,
    mut stop: watch::Receiver<()>,
    ready: std::sync::mpsc::Sender<()>,
) {
    let mut first = true;
    loop {
        let session = async {
            let (client, mut connection) = config.connect(NoTls).await?;
            let mut messages = futures::stream::poll_fn(move |cx| connection.poll_message(cx));
            // The connection is driven by polling `messages`; the LISTEN is sent meanwhile.
            let statement = format!("LISTEN \"{}\"", channel.replace('"', "\"\""));
            let listen = client.batch_execute(&statement);
            tokio::pin!(listen);
            let mut listening = false;
            loop {
                tokio::select! {
                    done = &mut listen, if !listening => {
                        done?;
                        listening = true;
                        if !first {
                            let _ = events.send(StoreEvent::Resync);
                        }
                        first = false;
                        let _ = ready.send(());
                    }
                    message = messages.next() => match message {
                        Some(Ok(AsyncMessage::Notification(n))) => {
                            let _ = events.send(StoreEvent::from_payload(n.payload()));
                        }
                        Some(Ok(_)) => {}
                        Some(Err(e)) => return Err(e),
                        None => return Ok::<(), tokio_postgres::Error>(()),
                    },
                }
            }
        };
        tokio::select! {
            result = session => {
                if let Err(e) = result {
                    tracing::warn!(error = %crate::error::StoreError::from(e), "the change-feed connection was lost; reconnecting");
                }
                // A failed first attempt counts as a gap too.
                first = false;
            }
            _ = stop.changed() => return,
        }
        tokio::select! {
            () = tokio::time::sleep(RETRY) => {}
            _ = stop.changed() => return,
        }
    }
}
