"""msgraph-sdk's retry handler against secgraph's throttling: a server started with a tiny limit on
legacy alerts (2 requests per 2 seconds, from the configuration file's `[throttle]` section) answers
Graph's 429 with an integer Retry-After once the quota is spent; the SDK's RetryHandler waits that
long, retries with `Retry-Attempt: 1` and gets the page. conftest's recording transport under the
SDK's middleware sees every attempt on the wire.
"""

import asyncio
import os
import tempfile
import time

import httpx
import pytest
from kiota_authentication_azure.azure_identity_authentication_provider import (
    AzureIdentityAuthenticationProvider,
)
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph_core import GraphClientFactory

from conftest import GRAPH_SCOPE, Recording, StaticTokenCredential, fetch_token, start

CONFIG = """
[throttle.limits]
legacy_alerts = { rates = [{ requests = 2, window_seconds = 2 }] }
"""


@pytest.fixture(scope="module")
def throttled():
    folder = tempfile.mkdtemp(prefix="secgraph-throttle-")
    path = os.path.join(folder, "secgraph.toml")
    with open(path, "w") as f:
        f.write(CONFIG)
    s = start("--config", path)
    yield s
    s.stop()


def test_the_retry_handler_waits_out_a_429_and_succeeds(throttled):
    token = fetch_token(throttled.credentials)
    recording = Recording()
    http = GraphClientFactory.create_with_default_middleware(client=httpx.AsyncClient(transport=recording))
    auth = AzureIdentityAuthenticationProvider(StaticTokenCredential(token), scopes=[GRAPH_SCOPE])
    adapter = GraphRequestAdapter(auth, client=http)
    adapter.base_url = f"{throttled.base}/v1.0"
    client = GraphServiceClient(request_adapter=adapter)

    # Spend the quota without the SDK: two pages, then Graph's 429.
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{throttled.base}/v1.0/security/alerts?$top=1"
    assert [httpx.get(url, headers=headers).status_code for _ in range(2)] == [200, 200]
    refused = httpx.get(url, headers=headers)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"].isdigit() and int(refused.headers["Retry-After"]) >= 1
    assert refused.headers["x-ratelimit-remaining"] == "0"
    error = refused.json()["error"]
    assert error["code"] == "TooManyRequests"
    assert error["message"].startswith("Please retry again later.")

    began = time.monotonic()
    page = asyncio.run(client.security.alerts.get())
    waited = time.monotonic() - began

    assert page.value, "the retried request returned the page"
    statuses = [s for s, _, _ in recording.seen]
    assert statuses[0] == 429 and statuses[-1] == 200, recording.seen
    retry_after = int(recording.seen[0][2]["Retry-After"])
    assert waited >= retry_after * 0.9, (waited, recording.seen)
    assert recording.seen[1][1] == "1", "the retry carries Retry-Attempt: 1"
