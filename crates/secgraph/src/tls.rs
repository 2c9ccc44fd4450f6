//! TLS for `serve`: a certificate and key given as PEM files (`--tls-cert`, `--tls-key`), or a
//! self-signed one for `localhost`/`127.0.0.1`/`::1` generated into the data directory (`--tls`).
//!
//! The generated material is a small private CA (`tls/ca.crt`, the file clients trust through
//! `REQUESTS_CA_BUNDLE`/`SSL_CERT_FILE`) and a server certificate it signed (`tls/server.crt`,
//! `tls/server.key`, the key 0600). A CA plus a leaf, rather than one self-signed leaf, because
//! OpenSSL's strict mode (Python 3.13+) and rustls refuse a CA certificate used as a server's own.
//! Both are reused across restarts, so a client trusts the server once.

use crate::private_file;
use anyhow::Context;
use axum_server::tls_rustls::RustlsConfig;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use std::path::{Path, PathBuf};

/// Where the server's certificate comes from.
#[derive(Debug, Clone)]
pub enum TlsSource {
    /// PEM files given by the operator.
    Files {
        /// Certificate chain (leaf first).
        cert: PathBuf,
        /// Private key (PKCS#8, PKCS#1 or SEC1).
        key: PathBuf,
    },
    /// A certificate for the loopback names, generated once into `<data-dir>/tls/`.
    SelfSigned,
}

/// The loaded TLS configuration and what to tell the user about it.
pub struct Tls {
    /// The rustls configuration (ALPN `h2` and `http/1.1`).
    pub config: RustlsConfig,
    /// The certificate clients should trust, when we generated it.
    pub trust_file: Option<PathBuf>,
}

/// Loads (or, for [`TlsSource::SelfSigned`], generates or reuses) the certificate and key.
pub async fn load(source: &TlsSource, data_dir: &Path) -> anyhow::Result<Tls> {
    let (cert, key, trust_file) = match source {
        TlsSource::Files { cert, key } => (cert.clone(), key.clone(), None),
        TlsSource::SelfSigned => {
            let files = self_signed(data_dir)?;
            let ca = std::path::absolute(&files.ca).unwrap_or(files.ca);
            (files.cert, files.key, Some(ca))
        }
    };
    let config = RustlsConfig::from_pem_file(&cert, &key)
        .await
        .with_context(|| {
            format!(
                "cannot load the TLS certificate {} and key {} (PEM expected)",
                cert.display(),
                key.display()
            )
        })?;
    Ok(Tls { config, trust_file })
}

/// The files of a generated certificate.
struct Generated {
    ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

/// The names the generated certificate is valid for.
const NAMES: &[&str] = &["localhost", "127.0.0.1", "::1"];

/// Reuses `<data-dir>/tls/{ca.crt,server.crt,server.key}` or generates them.
fn self_signed(data_dir: &Path) -> anyhow::Result<Generated> {
    let dir = data_dir.join("tls");
    let files = Generated {
        ca: dir.join("ca.crt"),
        cert: dir.join("server.crt"),
        key: dir.join("server.key"),
    };
    if files.ca.exists() && files.cert.exists() && files.key.exists() {
        return Ok(files);
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let (ca_pem, cert_pem, key_pem) = generate().context("cannot generate a TLS certificate")?;
    private_file::write(&files.key, key_pem.as_bytes())?;
    std::fs::write(&files.cert, cert_pem)
        .with_context(|| format!("cannot write {}", files.cert.display()))?;
    std::fs::write(&files.ca, ca_pem)
        .with_context(|| format!("cannot write {}", files.ca.display()))?;
    tracing::info!(ca = %files.ca.display(), "generated a TLS certificate for localhost");
    Ok(files)
}

/// A CA certificate, and a server certificate and key it signed: `(ca, cert, key)` in PEM.
fn generate() -> Result<(String, String, String), rcgen::Error> {
    let ca_key = KeyPair::generate()?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "secgraph local CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_cert = ca_params.self_signed(&ca_key)?;
    let issuer = Issuer::new(ca_params, ca_key);

    let server_key = KeyPair::generate()?;
    let names: Vec<String> = NAMES.iter().map(|n| (*n).to_owned()).collect();
    let mut params = CertificateParams::new(names)?;
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    let cert = params.signed_by(&server_key, &issuer)?;
    Ok((ca_cert.pem(), cert.pem(), server_key.serialize_pem()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn generated_files_are_reused_and_the_key_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let first = self_signed(dir.path()).unwrap();
        let pem = std::fs::read_to_string(&first.cert).unwrap();
        let again = self_signed(dir.path()).unwrap();
        assert_eq!(std::fs::read_to_string(&again.cert).unwrap(), pem);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&first.key).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
