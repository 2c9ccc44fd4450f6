"""Fixtures for driving a real secgraph server with Microsoft's own Python SDKs.

The server is the real binary (`SECGRAPH_BIN`, built by `tests/sdk/run`), started with the demo tenant
on a free loopback port in a temporary data directory. Clients are `msgraph-sdk` / `msgraph-beta-sdk`
pointed at it through their request adapter's `base_url`, with a static token credential: no
Microsoft login is involved (see shared recipe in README.md).
"""

import os
import re
import subprocess
import tempfile
import time

import pytest
from azure.core.credentials import AccessToken, TokenCredential
from kiota_authentication_azure.azure_identity_authentication_provider import (
    AzureIdentityAuthenticationProvider,
)

ANCHOR = "2026-11-01"


class StaticTokenCredential(TokenCredential):
    """A credential that always returns the same token (the server runs with --auth none)."""

    def __init__(self, token):
        self.token = token

    def get_token(self, *scopes, claims=None, tenant_id=None, enable_cae=False, **kwargs):
        return AccessToken(self.token, int(time.time()) + 3600)


@pytest.fixture(scope="session")
def server():
    binary = os.environ.get("SECGRAPH_BIN")
    assert binary and os.path.exists(binary), "set SECGRAPH_BIN to the secgraph binary (tests/sdk/run does)"
    data_dir = tempfile.mkdtemp(prefix="secgraph-sdk-")
    proc = subprocess.Popen(
        [binary, "serve", "--demo", "--demo-anchor", ANCHOR, "--listen", "127.0.0.1:0", "--data-dir", data_dir],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    base = None
    deadline = time.time() + 60
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        m = re.search(r"listening on (http://\S+)", line)
        if m:
            base = m.group(1).rstrip("/")
            break
    if base is None:
        proc.kill()
        pytest.fail("secgraph did not report its address")
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def make_client(base, version="v1.0"):
    auth = AzureIdentityAuthenticationProvider(
        StaticTokenCredential("emulator-token"), scopes=["api://secgraph/.default"]
    )
    if version == "beta":
        from msgraph_beta import GraphRequestAdapter, GraphServiceClient
    else:
        from msgraph import GraphRequestAdapter, GraphServiceClient
    adapter = GraphRequestAdapter(auth)
    adapter.base_url = f"{base}/{version}"
    return GraphServiceClient(request_adapter=adapter)


@pytest.fixture()
def client(server):
    return make_client(server)


@pytest.fixture()
def beta_client(server):
    return make_client(server, "beta")
