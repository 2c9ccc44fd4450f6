//! Serving the application on a bound listener, in cleartext (HTTP/1.1) or over TLS (HTTP/1.1 and
//! HTTP/2, chosen by ALPN), with the same graceful shutdown: at the signal, stop accepting, let
//! in-flight requests finish, then return.

use anyhow::Context;
use axum::body::Body;
use axum::extract::Request;
use axum::ServiceExt;
use axum_server::tls_rustls::RustlsConfig;
use std::future::Future;
use tokio::net::TcpListener;

use api::AppService;

/// Serves `service` on `listener` until `shutdown` resolves and every in-flight request finished.
pub async fn serve(
    listener: TcpListener,
    tls: Option<RustlsConfig>,
    service: AppService,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    match tls {
        None => axum::serve(listener, ServiceExt::<Request>::into_make_service(service))
            .with_graceful_shutdown(shutdown)
            .await
            .context("server error"),
        Some(config) => {
            let handle = axum_server::Handle::new();
            let on_signal = handle.clone();
            tokio::spawn(async move {
                shutdown.await;
                on_signal.graceful_shutdown(None);
            });
            let listener = listener
                .into_std()
                .context("cannot hand the listener to the TLS server")?;
            // hyper hands the TLS server's requests over with its own body type; the router takes
            // axum's.
            let service = tower::ServiceBuilder::new()
                .map_request(|req: Request<hyper::body::Incoming>| req.map(Body::new))
                .service(service);
            axum_server::tls_rustls::from_tcp_rustls(listener, config)
                .context("cannot start the TLS server")?
                .handle(handle)
                .serve(tower::make::Shared::new(service))
                .await
                .context("server error")
        }
    }
}
