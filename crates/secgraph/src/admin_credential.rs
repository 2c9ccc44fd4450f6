//! The admin API's credential file, `<data-dir>/admin-token`: created with a random secret at first
//! start (mode 0600), read at every later start. The secret itself is never printed or logged; the
//! start-up banner names the file.

use crate::private_file;
use anyhow::Context;
use api::admin::AdminCredential;
use std::path::Path;

/// Reads the credential at `path`, creating it first when the file does not exist.
pub fn ensure(path: &Path) -> anyhow::Result<AdminCredential> {
    match std::fs::read_to_string(path) {
        Ok(text) if !text.trim().is_empty() => Ok(AdminCredential::from_plaintext(&text)),
        Ok(_) => anyhow::bail!(
            "the admin credential file {} is empty; delete it to have a new one generated",
            path.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let (plaintext, credential) = AdminCredential::generate();
            private_file::write(path, format!("{plaintext}\n").as_bytes())?;
            tracing::info!(file = %path.display(), "created the admin credential");
            Ok(credential)
        }
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}
