//! A kit for vendors building a secgraph provider in Rust. `provider-protocol` holds the contract
//! and stays I/O-free; this crate does the I/O around it.
//!
//! | module | what |
//! |---|---|
//! | [`server`] | the provider's endpoints as an axum [`axum::Router`]: signature and timestamp checks, envelope validation, an idempotency cache; the vendor implements [`Provider`] |
//! | [`client`] | [`SecgraphClient`]: an app-only token (client credentials), pushing alerts, reporting action status and control states |
//! | [`check`] | the conformance kit: calls a provider's endpoints as secgraph would and reports what it gets wrong |
//!
//! A push provider in a few lines:
//!
//! ```no_run
//! use provider_protocol::{ActionCancellation, ActionInvocation, AlertUpdate, CallbackAnswer};
//! use provider_sdk::server::{router, Provider, Unavailable};
//! use std::sync::Arc;
//!
//! struct Firewall;
//!
//! impl Provider for Firewall {
//!     async fn alert_update(&self, _u: AlertUpdate) -> Result<CallbackAnswer, Unavailable> {
//!         Ok(CallbackAnswer::applied(None))
//!     }
//!     async fn invoke_action(&self, _a: ActionInvocation) -> Result<CallbackAnswer, Unavailable> {
//!         Ok(CallbackAnswer::applied(None))
//!     }
//!     async fn cancel_action(&self, _c: ActionCancellation) -> Result<CallbackAnswer, Unavailable> {
//!         Ok(CallbackAnswer::rejected("actions finish at once; there is nothing to cancel"))
//!     }
//! }
//!
//! # async fn serve() -> Result<(), Box<dyn std::error::Error>> {
//! let secret = std::env::var("SIGNING_SECRET")?;
//! let app = router(Arc::new(Firewall), vec![secret])?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8700").await?;
//! axum::serve(listener, app).await?;
//! # Ok(())
//! # }
//! ```

pub mod check;
pub mod client;
pub mod server;

pub use client::{ClientError, SecgraphClient};
pub use server::{router, InvalidSecret, Provider, Refusal, Unavailable};
