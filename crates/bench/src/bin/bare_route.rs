//! A bare axum server: answers every `GET` with one file's bytes and fixed headers — the ceiling the
//! real list route is compared with in `bench/http.sh`, which passes the exact body and headers
//! secgraph sent for the same request.
//!
//! `bare-route --body FILE [--header 'name: value']... [--listen 127.0.0.1:0]` prints
//! `listening on ADDR` once bound.

use anyhow::Context;
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::response::IntoResponse;
use axum::Router;
use clap::Parser;
use std::net::SocketAddr;

/// Serve one file's bytes on every path.
#[derive(Debug, Parser)]
struct Args {
    /// The response body to serve.
    #[arg(long, value_name = "FILE")]
    body: std::path::PathBuf,
    /// A response header, `name: value` (repeatable). `content-length` is computed, never copied.
    #[arg(long, value_name = "HEADER")]
    header: Vec<String>,
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let body = Bytes::from(
        std::fs::read(&args.body)
            .with_context(|| format!("cannot read {}", args.body.display()))?,
    );
    let headers = parse_headers(&args.header)?;
    let app = Router::new().fallback(move || {
        let (headers, body) = (headers.clone(), body.clone());
        async move { (headers, body).into_response() }
    });
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    println!("listening on {}", listener.local_addr()?);
    axum::serve(listener, app).await.context("server error")?;
    Ok(())
}

/// `name: value` lines to a header map, leaving out the headers hyper writes itself.
fn parse_headers(lines: &[String]) -> anyhow::Result<HeaderMap> {
    let mut map = HeaderMap::new();
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .with_context(|| format!("--header '{line}' is not 'name: value'"))?;
        let name = HeaderName::from_bytes(name.trim().as_bytes())
            .with_context(|| format!("bad header name in '{line}'"))?;
        if matches!(
            name.as_str(),
            "content-length" | "date" | "transfer-encoding"
        ) {
            continue;
        }
        let value = HeaderValue::from_str(value.trim())
            .with_context(|| format!("bad header value in '{line}'"))?;
        map.append(name, value);
    }
    Ok(map)
}
