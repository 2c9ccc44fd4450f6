//! Test servers on 127.0.0.1 port 0 and the clients that call them; shared by the test files.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use outbound::{Limits, OutboundClient};
use std::net::SocketAddr;
use std::time::Duration;

/// Serves `router` on a fresh loopback port until the test ends.
pub async fn serve(router: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}

/// A loopback port nothing listens on (bound, then released).
pub async fn closed_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

/// A client with the default limits.
pub fn client() -> OutboundClient {
    OutboundClient::new(Limits::default()).unwrap()
}

/// A client whose total timeout is `timeout` and body cap `max_bytes`.
pub fn client_with(timeout: Duration, max_bytes: usize) -> OutboundClient {
    OutboundClient::new(Limits {
        request_timeout: timeout,
        max_response_bytes: max_bytes,
        ..Limits::default()
    })
    .unwrap()
}
