//! Logging: one `tracing` subscriber writing to stderr, filtered by `RUST_LOG` or the configured level.

use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

/// Installs the subscriber (once; later calls are ignored). Colours only when stderr is a terminal,
/// so logs redirected to a file or a journal carry no escape sequences.
pub fn init(level: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
