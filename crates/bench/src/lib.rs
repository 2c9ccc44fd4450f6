//! secgraph's benchmark programs (not a library anyone depends on; `publish = false`).
//!
//! - `ingest`: durable ingest rate of demo alerts through [`store::TenantStore::ingest`], with every
//!   index and with each of [`store::schema::ALERT_INDEXES`] removed in turn (the index's cost).
//! - `bare-route`: an axum server answering every `GET` with one file's bytes and the headers secgraph
//!   sends, the ceiling `bench/http.sh` compares the real list route with.
//!
//! How to run them and the measured figures: `docs/performance.md`.

pub mod measure;
