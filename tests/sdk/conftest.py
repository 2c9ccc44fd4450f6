"""Fixtures for driving a real secgraph server with Microsoft's own Python SDKs.

The server is the real binary (`SECGRAPH_BIN`, built by `tests/sdk/run`), started with `serve --demo`
on a free loopback port in a temporary data directory, with token authentication (the default). The
demo credentials come from `<data-dir>/demo-credentials.json`; clients get a real token from the
server's token endpoint (a client-credentials POST, as Microsoft's samples do) and send it through
`msgraph-sdk` / `msgraph-beta-sdk`. The TLS fixture serves `serve --demo --tls` and points
`REQUESTS_CA_BUNDLE`/`SSL_CERT_FILE` at the generated CA, for MSAL and azure-identity.
"""

import json
import os
import re
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field

import httpx
import pytest
from azure.core.credentials import AccessToken, TokenCredential
from kiota_authentication_azure.azure_identity_authentication_provider import (
    AzureIdentityAuthenticationProvider,
)

ANCHOR = "2026-11-01"
# tests/sdk/run sets SECGRAPH_SDK_BACKEND=postgres for its second pass: every server then gets a
# schema of its own on SECGRAPH_TEST_POSTGRES_URL (dropped when it stops).
POSTGRES = (
    os.environ.get("SECGRAPH_TEST_POSTGRES_URL")
    if os.environ.get("SECGRAPH_SDK_BACKEND") == "postgres"
    else None
)
GRAPH_SCOPE = "https://graph.microsoft.com/.default"


class StaticTokenCredential(TokenCredential):
    """A credential that always returns the same token."""

    def __init__(self, token):
        self.token = token

    def get_token(self, *scopes, claims=None, tenant_id=None, enable_cae=False, **kwargs):
        return AccessToken(self.token, int(time.time()) + 3600)


class Recording(httpx.AsyncBaseTransport):
    """A transport to put under the SDK's middleware: records each attempt on the wire as
    (status, the request's Retry-Attempt header, the response headers)."""

    def __init__(self):
        self.inner = httpx.AsyncHTTPTransport()
        self.seen = []

    async def handle_async_request(self, request):
        response = await self.inner.handle_async_request(request)
        self.seen.append((response.status_code, request.headers.get("Retry-Attempt"), response.headers))
        return response

    async def aclose(self):
        await self.inner.aclose()


@dataclass
class Secgraph:
    proc: subprocess.Popen
    base: str
    data_dir: str
    schema: str | None = field(default=None)

    @property
    def credentials(self):
        with open(os.path.join(self.data_dir, "demo-credentials.json")) as f:
            return json.load(f)

    @property
    def ca_file(self):
        return os.path.join(self.data_dir, "tls", "ca.crt")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.schema:
            psql(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")


def psql(sql):
    subprocess.run(["psql", POSTGRES, "-qc", sql], check=True, stdout=subprocess.DEVNULL)


def start(*extra):
    binary = os.environ.get("SECGRAPH_BIN")
    assert binary and os.path.exists(binary), "set SECGRAPH_BIN to the secgraph binary (tests/sdk/run does)"
    data_dir = tempfile.mkdtemp(prefix="secgraph-sdk-")
    args = [binary, "serve", "--demo", "--demo-anchor", ANCHOR, "--listen", "127.0.0.1:0", "--data-dir", data_dir]
    schema = None
    if POSTGRES:
        schema = "sg_test_sdk_" + uuid.uuid4().hex
        psql(f"CREATE SCHEMA {schema}")
        sep = "&" if "?" in POSTGRES else "?"
        args += ["--database", f"{POSTGRES}{sep}options=-c%20search_path%3D{schema}"]
    proc = subprocess.Popen(args + list(extra), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    base = None
    deadline = time.time() + 60
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        m = re.search(r"listening on (https?://\S+)", line)
        if m:
            base = m.group(1).rstrip("/")
        if line.startswith("try: curl"):
            break
    if base is None:
        proc.kill()
        pytest.fail("secgraph did not report its address")
    return Secgraph(proc, base, data_dir, schema)


def fetch_token(creds, verify=True):
    """A token from the token endpoint: the client-credentials POST Microsoft's samples send."""
    r = httpx.post(
        creds["tokenUrl"],
        data={
            "grant_type": "client_credentials",
            "client_id": creds["clientId"],
            "client_secret": creds["clientSecret"],
            "scope": GRAPH_SCOPE,
        },
        verify=verify,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3599
    return body["access_token"]


@pytest.fixture(scope="session")
def secgraph():
    s = start()
    yield s
    s.stop()


@pytest.fixture(scope="session")
def server(secgraph):
    return secgraph.base


@pytest.fixture(scope="session")
def token(secgraph):
    return fetch_token(secgraph.credentials)


@pytest.fixture(scope="session")
def tls_server():
    s = start("--tls")
    saved = {k: os.environ.get(k) for k in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE")}
    os.environ["REQUESTS_CA_BUNDLE"] = s.ca_file
    os.environ["SSL_CERT_FILE"] = s.ca_file
    yield s
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    s.stop()


def make_client(base, token, version="v1.0"):
    auth = AzureIdentityAuthenticationProvider(StaticTokenCredential(token), scopes=[GRAPH_SCOPE])
    if version == "beta":
        from msgraph_beta import GraphRequestAdapter, GraphServiceClient
    else:
        from msgraph import GraphRequestAdapter, GraphServiceClient
    adapter = GraphRequestAdapter(auth)
    adapter.base_url = f"{base}/{version}"
    return GraphServiceClient(request_adapter=adapter)


@pytest.fixture()
def client(server, token):
    return make_client(server, token)


@pytest.fixture()
def beta_client(server, token):
    return make_client(server, token, "beta")
