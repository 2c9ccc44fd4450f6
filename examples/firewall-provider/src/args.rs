//! Command-line arguments; each can also come from a `FIREWALL_*` environment variable, which is
//! where the two secrets belong (arguments show in the process list).

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

/// An example secgraph provider: a firewall that blocks addresses on request, keeps its block
/// list on disk, and pushes an alert when a blocked address is seen.
#[derive(Debug, Clone, Parser)]
#[command(name = "firewall-provider", version)]
pub struct Args {
    /// Address to listen on; port 0 picks a free port (printed as `listening on http://ADDR`).
    #[arg(long, env = "FIREWALL_LISTEN", default_value = "127.0.0.1:8700")]
    pub listen: SocketAddr,
    /// secgraph's base URL, such as http://127.0.0.1:8080.
    #[arg(long, env = "FIREWALL_SECGRAPH")]
    pub secgraph: String,
    /// The customer tenant this firewall reports to (its id).
    #[arg(long, env = "FIREWALL_TENANT")]
    pub tenant: String,
    /// The provider application's client id.
    #[arg(long, env = "FIREWALL_CLIENT_ID")]
    pub client_id: String,
    /// The provider application's client secret.
    #[arg(long, env = "FIREWALL_CLIENT_SECRET", hide_env_values = true)]
    pub client_secret: String,
    /// The signing secret secgraph issued for this provider; give it twice (or comma-separated)
    /// during a rotation.
    #[arg(
        long,
        env = "FIREWALL_SIGNING_SECRET",
        hide_env_values = true,
        value_delimiter = ',',
        required = true
    )]
    pub signing_secret: Vec<String>,
    /// Where the block list, the alerts and the alert-update journal are kept.
    #[arg(long, env = "FIREWALL_STATE_DIR", default_value = "firewall-state")]
    pub state_dir: PathBuf,
}
