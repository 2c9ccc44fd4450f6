//! Logging: one `tracing` subscriber writing to stderr, filtered by `RUST_LOG` or the configured
//! level, as human-readable text or as one JSON object per line (`log_format = "json"`).

use crate::config::LogFormat;
use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

/// Installs a text subscriber (once; later calls are ignored).
pub fn init(level: &str) {
    init_with(level, LogFormat::Text);
}

/// Installs the subscriber in `format` (once; later calls are ignored). Text has colours only when
/// stderr is a terminal, so logs redirected to a file or a journal carry no escape sequences; JSON
/// lines carry `timestamp`, `level`, `target` and the event's `fields` (`message` among them).
pub fn init_with(level: &str, format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
        LogFormat::Json => builder.json().with_ansi(false).try_init(),
    };
}
