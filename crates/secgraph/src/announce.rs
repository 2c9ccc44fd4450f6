//! The start-up banner on stdout: where the server listens, the demo data and credentials, how to
//! trust a generated certificate, where the admin credential is, and a curl that works. The first
//! line (`secgraph listening on URL …`) and the last (`try: curl …`) are read by scripts and tests.
//! The admin secret is never printed, only its file.

use crate::config::AuthMode;
use crate::demo_identity::DemoCredentials;
use crate::demo_load::Loaded;
use std::net::SocketAddr;
use std::path::Path;

/// Everything the banner reports.
pub struct Banner<'a> {
    /// The bound address (shows the port chosen for port 0).
    pub bound: SocketAddr,
    /// The public base URL.
    pub public_url: &'a str,
    /// Whether the server speaks TLS.
    pub tls: bool,
    /// The CA certificate to trust, when we generated the certificate.
    pub trust_file: Option<&'a Path>,
    /// The admin credential file.
    pub admin_file: &'a Path,
    /// The authentication mode.
    pub auth: AuthMode,
    /// What loading the demo did.
    pub demo: Option<&'a Loaded>,
    /// The demo credentials.
    pub credentials: Option<&'a DemoCredentials>,
}

const TRY_QUERY: &str = "/v1.0/security/alerts_v2?$filter=severity%20eq%20%27high%27%20and%20status%20eq%20%27new%27&$top=5&$count=true";

/// Prints the banner.
pub fn print(b: &Banner<'_>) {
    let public_url = b.public_url;
    tracing::info!(bound = %b.bound, %public_url, "secgraph is listening");
    let scheme = if b.tls { "https" } else { "http" };
    // The bound address, not the public URL: with port 0 and a reverse proxy in front, this line is
    // the only place the chosen port is shown.
    println!(
        "secgraph listening on {scheme}://{} (Graph roots: {public_url}/v1.0 and {public_url}/beta)",
        b.bound
    );
    if let Some(d) = b.demo {
        println!(
            "demo tenant {} loaded: {} alerts ({} new, {} unchanged), anchor {}",
            d.tenant, d.total, d.created, d.unchanged, d.anchor
        );
    }
    let curl = match b.trust_file {
        Some(ca) => {
            let ca = ca.display();
            println!("TLS certificate for localhost/127.0.0.1 generated; trust its CA: export REQUESTS_CA_BUNDLE={ca} SSL_CERT_FILE={ca}  (curl: --cacert {ca})");
            format!("curl -s --cacert {ca}")
        }
        None => "curl -s".to_owned(),
    };
    println!(
        "admin API: {public_url}/secgraph/admin/v1 with 'Authorization: Bearer <contents of {}>'",
        b.admin_file.display()
    );
    if b.auth == AuthMode::None {
        println!("try: {curl} '{public_url}{TRY_QUERY}'");
        return;
    }
    match b.credentials {
        Some(c) => print_credentials(c, &curl),
        None => println!(
            "tokens: POST {public_url}/<tenant id>/oauth2/v2.0/token (client credentials; register an app with `secgraph app create`, see docs/auth.md)"
        ),
    }
    println!("try: {curl} -H \"Authorization: Bearer $TOKEN\" '{public_url}{TRY_QUERY}'");
}

fn print_credentials(c: &DemoCredentials, curl: &str) {
    println!("demo credentials (also in demo-credentials.json in the data directory):");
    println!("  tenant id:     {}", c.tenant_id);
    println!("  client id:     {}", c.client_id);
    println!("  client secret: {}", c.client_secret);
    println!("  token URL:     {}", c.token_url);
    println!(
        "TOKEN=$({curl} -X POST {} -d grant_type=client_credentials -d client_id={} -d client_secret={} -d scope=https://graph.microsoft.com/.default | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])')",
        c.token_url, c.client_id, c.client_secret
    );
}
