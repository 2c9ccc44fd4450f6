"""Microsoft's identity libraries against secgraph's authority over TLS: MSAL's
ConfidentialClientApplication and azure-identity's ClientSecretCredential get tokens from
`https://127.0.0.1:PORT/<tenant>` (instance discovery off), and msgraph-sdk calls the API with the
credential end to end. The server's generated CA is trusted through REQUESTS_CA_BUNDLE (requests:
MSAL, azure-identity) and SSL_CERT_FILE (httpx: msgraph-sdk)."""

import asyncio

import httpx
import msal
import pytest
from azure.core.exceptions import ClientAuthenticationError
from azure.identity import ClientSecretCredential
from kiota_abstractions.api_error import APIError
from msgraph import GraphServiceClient

from conftest import GRAPH_SCOPE, fetch_token, make_client


def authority_host(base):
    return base.split("://", 1)[1]


def msal_app(s, secret=None):
    c = s.credentials
    return msal.ConfidentialClientApplication(
        c["clientId"],
        client_credential=secret or c["clientSecret"],
        authority=f"{s.base}/{c['tenantId']}",
        instance_discovery=False,
    )


def test_msal_client_credentials_token_calls_the_api(tls_server):
    result = msal_app(tls_server).acquire_token_for_client(scopes=[GRAPH_SCOPE])
    assert "access_token" in result, result
    assert result["token_type"] == "Bearer"
    r = httpx.get(
        f"{tls_server.base}/v1.0/security/alerts_v2?$top=3",
        headers={"Authorization": f"Bearer {result['access_token']}"},
    )
    assert r.status_code == 200 and len(r.json()["value"]) == 3
    assert r.http_version in ("HTTP/1.1", "HTTP/2")


def test_msal_reports_a_wrong_secret_as_invalid_client(tls_server):
    result = msal_app(tls_server, secret="wrong").acquire_token_for_client(scopes=[GRAPH_SCOPE])
    assert result.get("error") == "invalid_client", result
    assert 7000215 in result["error_codes"]
    assert result["error_description"].startswith("AADSTS7000215")


def test_azure_identity_credential_drives_msgraph_sdk_over_tls(tls_server):
    c = tls_server.credentials
    cred = ClientSecretCredential(
        c["tenantId"],
        c["clientId"],
        c["clientSecret"],
        authority=authority_host(tls_server.base),
        disable_instance_discovery=True,
    )
    token = cred.get_token(GRAPH_SCOPE)
    assert token.token and token.expires_on > 0
    client = GraphServiceClient(credentials=cred, scopes=[GRAPH_SCOPE])
    client.request_adapter.base_url = f"{tls_server.base}/v1.0"

    async def go():
        page = await client.security.alerts_v2.get()
        legacy = await client.security.alerts.get()
        return page, legacy

    page, legacy = asyncio.run(go())
    assert len(page.value) > 0 and len(legacy.value) > 0


def test_azure_identity_without_scope_derives_the_host_scope(tls_server):
    """With no scopes the kiota provider asks for `https://127.0.0.1/.default` (port dropped)."""
    c = tls_server.credentials
    cred = ClientSecretCredential(
        c["tenantId"], c["clientId"], c["clientSecret"],
        authority=authority_host(tls_server.base), disable_instance_discovery=True,
    )
    client = GraphServiceClient(credentials=cred)
    client.request_adapter.base_url = f"{tls_server.base}/v1.0"
    page = asyncio.run(client.security.alerts_v2.get())
    assert len(page.value) > 0


def test_azure_identity_wrong_secret_raises(tls_server):
    c = tls_server.credentials
    cred = ClientSecretCredential(
        c["tenantId"], c["clientId"], "wrong",
        authority=authority_host(tls_server.base), disable_instance_discovery=True,
    )
    with pytest.raises(ClientAuthenticationError):
        cred.get_token(GRAPH_SCOPE)


def test_sdk_sees_401_without_a_valid_token(server):
    client = make_client(server, "not-a-token")

    async def go():
        try:
            await client.security.alerts_v2.get()
        except APIError as e:
            return e
        return None

    err = asyncio.run(go())
    assert err is not None and err.response_status_code == 401
    assert err.error.code == "InvalidAuthenticationToken"


def test_token_post_with_graph_scope_over_plain_http(secgraph):
    token = fetch_token(secgraph.credentials)
    r = httpx.get(f"{secgraph.base}/v1.0/security/alerts_v2/$count", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and int(r.text) > 0
