//! The real `firewall-provider` binary as a child process, started against a stand-in secgraph
//! with a state directory; it is killed when dropped.

use super::{CLIENT_ID, CLIENT_SECRET, SIGNING_SECRET, TENANT};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// A running firewall.
pub struct Firewall {
    child: Child,
    /// `http://ADDR` as it printed it.
    pub base: String,
}

impl Firewall {
    /// Starts the binary on 127.0.0.1 port 0 and waits for its `listening on` line.
    pub async fn start(secgraph: &str, state_dir: &Path) -> Firewall {
        let log = std::fs::File::create(state_dir.with_extension("log")).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_firewall-provider"))
            .args([
                "--listen",
                "127.0.0.1:0",
                "--secgraph",
                secgraph,
                "--tenant",
                TENANT,
            ])
            .args(["--client-id", CLIENT_ID, "--state-dir"])
            .arg(state_dir)
            .env("FIREWALL_CLIENT_SECRET", CLIENT_SECRET)
            .env("FIREWALL_SIGNING_SECRET", SIGNING_SECRET)
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut first = String::new();
        tokio::time::timeout(
            Duration::from_secs(30),
            BufReader::new(stdout).read_line(&mut first),
        )
        .await
        .expect("the firewall printed its address within 30 s")
        .unwrap();
        let base = first
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_string();
        Firewall { child, base }
    }

    /// The provider endpoints' base URL (the manifest's `callbackBaseUrl`).
    pub fn callback_base(&self) -> String {
        format!("{}/secgraph", self.base)
    }

    /// Kills the process and waits for it to exit.
    pub async fn stop(mut self) {
        self.child.kill().await.unwrap();
    }
}
