"""An msgraph-sdk client against secgraph's emulator fault injection (docs/emulator.md).

Each test sets a fault profile on the demo tenant through the admin API, then makes an ordinary
SDK call. Decisions are a function of the profile's seed and the count of the tenant's Graph
requests since the profile was set, so the sequences below are fixed:

* seed 6, throttle rate 0.5: request 0 is a 429, request 1 is not -> the RetryHandler waits
  Retry-After (1 s), retries with Retry-Attempt: 1 and gets the page;
* seed 3, unavailable rate 0.5: request 0 is a 503, request 1 is not -> the same, for 503;
* latency 300 ms: the call takes at least that long and returns the page;
* partialContent: the legacy alert list is 206 with a Warning naming the provider, and the SDK
  returns the alerts it carries.

A recording transport under the SDK's middleware sees every attempt on the wire.
"""

import asyncio
import os
import time

import httpx
import pytest
from kiota_authentication_azure.azure_identity_authentication_provider import (
    AzureIdentityAuthenticationProvider,
)
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph_core import GraphClientFactory

from conftest import GRAPH_SCOPE, Recording, StaticTokenCredential, fetch_token, start


@pytest.fixture(scope="module")
def emulator():
    """A server of this module's own, so that no other test's requests move the counts."""
    s = start()
    yield s
    s.stop()


def set_fault_profile(secgraph, profile):
    """PUT /secgraph/admin/v1/tenants/{tenantId}/faultProfile with the admin credential."""
    with open(os.path.join(secgraph.data_dir, "admin-token")) as f:
        headers = {"Authorization": f"Bearer {f.read().strip()}"}
    tenant = secgraph.credentials["tenantId"]
    url = f"{secgraph.base}/secgraph/admin/v1/tenants/{tenant}/faultProfile"
    r = httpx.put(url, headers=headers, json=profile)
    assert r.status_code == 200, r.text
    return r.json()


def sdk_client(secgraph):
    """A GraphServiceClient with the SDK's default middleware (RetryHandler included) over a
    recording transport."""
    recording = Recording()
    http = GraphClientFactory.create_with_default_middleware(client=httpx.AsyncClient(transport=recording))
    auth = AzureIdentityAuthenticationProvider(
        StaticTokenCredential(fetch_token(secgraph.credentials)), scopes=[GRAPH_SCOPE]
    )
    adapter = GraphRequestAdapter(auth, client=http)
    adapter.base_url = f"{secgraph.base}/v1.0"
    return GraphServiceClient(request_adapter=adapter), recording


def test_the_sdk_survives_an_injected_429(emulator):
    set_fault_profile(emulator, {"seed": 6, "throttle": {"rate": 0.5, "retryAfterSeconds": 1}})
    client, recording = sdk_client(emulator)
    began = time.monotonic()
    page = asyncio.run(client.security.alerts_v2.get())
    waited = time.monotonic() - began
    assert page.value, "the retried request returned the page"
    assert [s for s, _, _ in recording.seen] == [429, 200]
    assert recording.seen[0][2]["Retry-After"] == "1"
    assert recording.seen[0][2]["secgraph-fault"] == "throttle"
    assert recording.seen[1][1] == "1", "the retry carries Retry-Attempt: 1"
    assert waited >= 0.9, "the RetryHandler waited Retry-After"


def test_the_sdk_survives_an_injected_503(emulator):
    set_fault_profile(emulator, {"seed": 3, "unavailable": {"rate": 0.5, "retryAfterSeconds": 1}})
    client, recording = sdk_client(emulator)
    page = asyncio.run(client.security.incidents.get())
    assert page.value is not None
    assert [s for s, _, _ in recording.seen] == [503, 200]
    assert recording.seen[0][2]["Retry-After"] == "1"
    assert recording.seen[1][1] == "1"


def test_the_sdk_waits_out_injected_latency(emulator):
    set_fault_profile(emulator, {"latency": {"minMs": 300, "maxMs": 400}})
    client, recording = sdk_client(emulator)
    began = time.monotonic()
    page = asyncio.run(client.security.alerts_v2.get())
    took = time.monotonic() - began
    assert page.value
    assert took >= 0.3, took
    assert [s for s, _, _ in recording.seen] == [200]
    assert recording.seen[0][2]["secgraph-fault"] == "latency"


def test_the_sdk_returns_the_data_of_a_partial_answer(emulator):
    profile = {"partialContent": {"rate": 1.0, "vendor": "Contoso", "provider": "EDR", "status": 504, "latencyMs": 10000}}
    set_fault_profile(emulator, profile)
    client, recording = sdk_client(emulator)
    page = asyncio.run(client.security.alerts.get())
    assert page.value, "the alerts of the partial answer"
    status, _, headers = recording.seen[-1]
    assert status == 206
    assert headers["Warning"] == '199 - "Contoso/EDR/504/10000"'
