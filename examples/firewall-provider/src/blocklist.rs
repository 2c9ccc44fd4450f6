//! The block list: the addresses this firewall drops, in canonical form (the form secgraph's
//! `ip` parameter type sends), kept in `blocklist.json` in the state directory.

use crate::state_file;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

/// The file's name in the state directory.
pub const FILE: &str = "blocklist.json";

/// What the file holds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct OnDisk {
    addresses: BTreeSet<String>,
}

/// The block list and where it lives.
#[derive(Debug)]
pub struct BlockList {
    path: PathBuf,
    addresses: BTreeSet<String>,
}

impl BlockList {
    /// The list stored in `dir` (empty when there is none yet).
    pub fn open(dir: &Path) -> io::Result<BlockList> {
        let path = dir.join(FILE);
        let on_disk: OnDisk = state_file::read(&path)?;
        Ok(BlockList {
            path,
            addresses: on_disk.addresses,
        })
    }

    /// The blocked addresses, sorted.
    pub fn addresses(&self) -> Vec<String> {
        self.addresses.iter().cloned().collect()
    }

    /// True when `address` (canonical) is blocked.
    pub fn contains(&self, address: &str) -> bool {
        self.addresses.contains(address)
    }

    /// Blocks or unblocks `address` (canonical) and writes the list to disk before returning;
    /// the list in memory changes only once the file is written. Returns whether it changed.
    pub async fn set(&mut self, address: &str, blocked: bool) -> io::Result<bool> {
        let mut next = self.addresses.clone();
        let changed = if blocked {
            next.insert(address.to_string())
        } else {
            next.remove(address)
        };
        if changed {
            let path = self.path.clone();
            let on_disk = OnDisk {
                addresses: next.clone(),
            };
            tokio::task::spawn_blocking(move || state_file::write(&path, &on_disk))
                .await
                .map_err(io::Error::other)??;
            self.addresses = next;
        }
        Ok(changed)
    }
}
