//! The client against real loopback servers: the policy at connection time (literal and
//! resolved), the size cap while reading, the total timeout, redirects returned, failures
//! classified.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod server;

use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::get;
use axum::Router;
use outbound::{AddressPolicy, OutboundError, OutboundRequest};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use url::Url;

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

/// A server whose `/` answers "hello" and counts its hits.
async fn counting_server() -> (u16, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let router = Router::new().route(
        "/",
        get(move || async move {
            h.fetch_add(1, Ordering::SeqCst);
            "hello"
        }),
    );
    (server::serve(router).await.port(), hits)
}

#[tokio::test]
async fn loopback_is_refused_by_default_and_reached_when_private_is_allowed() {
    let (port, hits) = counting_server().await;
    let client = server::client();
    for target in [
        format!("http://127.0.0.1:{port}/"),
        format!("http://localhost:{port}/"),
        format!("http://[::ffff:127.0.0.1]:{port}/"),
    ] {
        let err = client
            .send(OutboundRequest::get(url(&target)))
            .await
            .unwrap_err();
        let OutboundError::Refused { reason } = &err else {
            panic!("{target}: {err:?}");
        };
        assert!(reason.contains("(loopback)"), "{reason}");
        assert!(!err.is_retryable());
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0, "nothing reached the server");

    for target in [
        format!("http://127.0.0.1:{port}/"),
        format!("http://localhost:{port}/"),
    ] {
        let req = OutboundRequest::get(url(&target)).with_policy(AddressPolicy::AllowPrivate);
        let resp = client.send(req).await.unwrap();
        assert_eq!(resp.status, 200, "{target}");
        assert_eq!(&resp.body[..], b"hello");
        assert!(resp.is_success());
    }
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

/// `localhost` never reaches the address check as a literal: only the resolver can refuse it, so
/// this refusal proves the check runs on resolved addresses.
#[tokio::test]
async fn a_name_is_refused_for_the_address_it_resolves_to() {
    let (port, _) = counting_server().await;
    let err = server::client()
        .send(OutboundRequest::get(url(&format!(
            "http://localhost:{port}/x"
        ))))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, OutboundError::Refused { reason } if reason.starts_with("localhost resolves to")),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_answer_longer_than_the_cap_announced_by_content_length_fails_at_once() {
    let router = Router::new()
        .route("/exact", get(|| async { vec![b'a'; 1000] }))
        .route("/over", get(|| async { vec![b'a'; 1001] }));
    let addr = server::serve(router).await;
    let client = server::client_with(Duration::from_secs(10), 1000);
    let private = |path: &str| {
        OutboundRequest::get(url(&format!("http://{addr}{path}")))
            .with_policy(AddressPolicy::AllowPrivate)
    };
    let resp = client.send(private("/exact")).await.unwrap();
    assert_eq!(resp.body.len(), 1000);
    let err = client.send(private("/over")).await.unwrap_err();
    assert_eq!(
        err,
        OutboundError::TooLarge {
            limit: 1000,
            status: 200
        }
    );
    assert!(err.is_retryable());
}

/// A raw HTTP/1.1 server that streams 10 MiB without a length, 64 KiB every 2 ms, and reports
/// how many bytes it managed to write before the client hung up.
async fn streaming_server() -> (u16, tokio::task::JoinHandle<usize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = [0u8; 4096];
        let _ = socket.read(&mut request).await.unwrap();
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\nconnection: close\r\n\r\n";
        socket.write_all(head.as_bytes()).await.unwrap();
        let chunk = vec![b'x'; 64 * 1024];
        let mut written = 0;
        while written < 10 * 1024 * 1024 {
            if socket.write_all(&chunk).await.is_err() {
                break;
            }
            written += chunk.len();
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        written
    });
    (port, task)
}

#[tokio::test]
async fn a_streamed_answer_is_cut_at_the_cap_without_reading_the_rest() {
    let (port, server) = streaming_server().await;
    let client = server::client();
    let req = OutboundRequest::get(url(&format!("http://127.0.0.1:{port}/big")))
        .with_policy(AddressPolicy::AllowPrivate);
    let err = client.send(req).await.unwrap_err();
    assert_eq!(
        err,
        OutboundError::TooLarge {
            limit: 1024 * 1024,
            status: 200
        }
    );
    let written = tokio::time::timeout(Duration::from_secs(20), server)
        .await
        .expect("the server noticed the hang-up")
        .unwrap();
    assert!(
        written < 4 * 1024 * 1024,
        "the server wrote {written} bytes; the client kept reading past the cap"
    );
}

#[tokio::test]
async fn a_server_that_sleeps_times_out_within_the_limit() {
    let router = Router::new().route(
        "/slow",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            "late"
        }),
    );
    let addr = server::serve(router).await;
    let target = url(&format!("http://{addr}/slow"));

    // The client's limit...
    let client = server::client_with(Duration::from_millis(300), 1024);
    let started = Instant::now();
    let req = OutboundRequest::get(target.clone()).with_policy(AddressPolicy::AllowPrivate);
    let err = client.send(req).await.unwrap_err();
    assert_eq!(
        err,
        OutboundError::Timeout {
            limit: Duration::from_millis(300)
        }
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(err.is_retryable());

    // ...and a request's own, which overrides it.
    let started = Instant::now();
    let req = OutboundRequest::get(target)
        .with_policy(AddressPolicy::AllowPrivate)
        .with_timeout(Duration::from_millis(200));
    let err = server::client().send(req).await.unwrap_err();
    assert!(matches!(err, OutboundError::Timeout { limit } if limit == Duration::from_millis(200)));
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_redirect_comes_back_as_the_answer() {
    let followed = Arc::new(AtomicUsize::new(0));
    let f = followed.clone();
    let router = Router::new()
        .route(
            "/start",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/target")], "moved") }),
        )
        .route(
            "/target",
            get(move || async move {
                f.fetch_add(1, Ordering::SeqCst);
                "followed"
            }),
        );
    let addr = server::serve(router).await;
    let req = OutboundRequest::get(url(&format!("http://{addr}/start")))
        .with_policy(AddressPolicy::AllowPrivate);
    let resp = server::client().send(req).await.unwrap();
    assert_eq!(resp.status, 302);
    assert_eq!(resp.headers.get(header::LOCATION).unwrap(), "/target");
    assert_eq!(&resp.body[..], b"moved");
    assert_eq!(followed.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn the_request_carries_method_headers_body_and_user_agent() {
    let router = Router::new().route(
        "/echo",
        axum::routing::put(|headers: HeaderMap, body: String| async move {
            let ua = headers[header::USER_AGENT].to_str().unwrap().to_string();
            let custom = headers["x-test"].to_str().unwrap().to_string();
            format!("{ua}|{custom}|{body}")
        }),
    );
    let addr = server::serve(router).await;
    let mut req = OutboundRequest::new(http::Method::PUT, url(&format!("http://{addr}/echo")))
        .with_policy(AddressPolicy::AllowPrivate)
        .with_header(
            http::HeaderName::from_static("x-test"),
            http::HeaderValue::from_static("yes"),
        );
    req.body = bytes::Bytes::from_static(b"payload");
    let resp = server::client().send(req).await.unwrap();
    let text = String::from_utf8(resp.body.to_vec()).unwrap();
    assert_eq!(
        text,
        format!("secgraph/{}|yes|payload", env!("CARGO_PKG_VERSION"))
    );
    assert!(resp.elapsed > Duration::ZERO);
}

#[tokio::test]
async fn a_closed_port_is_a_retryable_connect_failure() {
    let port = server::closed_port().await;
    let req = OutboundRequest::get(url(&format!("http://127.0.0.1:{port}/")))
        .with_policy(AddressPolicy::AllowPrivate);
    let err = server::client().send(req).await.unwrap_err();
    assert!(matches!(err, OutboundError::Connect(_)), "{err:?}");
    assert!(err.is_retryable());
    assert!(
        !err.to_string().contains(&port.to_string()),
        "no URL in {err}"
    );
}

#[tokio::test]
async fn bad_schemes_and_credentials_are_refused_before_sending() {
    let client = server::client();
    for bad in ["ftp://127.0.0.1/x", "http://user:pw@127.0.0.1/x"] {
        let req = OutboundRequest::get(url(bad)).with_policy(AddressPolicy::AllowPrivate);
        let err = client.send(req).await.unwrap_err();
        assert!(
            matches!(err, OutboundError::InvalidUrl(_)),
            "{bad}: {err:?}"
        );
        assert!(!err.is_retryable());
    }
}
