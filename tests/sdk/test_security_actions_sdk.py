"""msgraph-beta-sdk against secgraph's `security/securityActions`: create (Microsoft's example body,
with the PascalCase action and upper-case parameter names of the docs), read, list, $count,
cancelSecurityAction, and the Graph error for an action the provider does not offer — every call
through the SDK's own request builders and models.

A provider ("Edge Firewall") is registered for the demo tenant through secgraph's admin API; its
callback address is a closed loopback port, so the invocations stay queued in the outbox (the
delivery itself is covered by the Rust end-to-end tests with a real provider process).
"""

import asyncio
import os
import uuid

import httpx
import pytest
from msgraph_beta.generated.models.key_value_pair import KeyValuePair
from msgraph_beta.generated.models.o_data_errors.o_data_error import ODataError
from msgraph_beta.generated.models.operation_status import OperationStatus
from msgraph_beta.generated.models.security_action import SecurityAction
from msgraph_beta.generated.models.security_vendor_information import SecurityVendorInformation

PROVIDER = "Edge Firewall"
VENDOR = "Contoso"


def admin(secgraph, method, path, body=None):
    with open(os.path.join(secgraph.data_dir, "admin-token")) as f:
        token = f.read().strip()
    r = httpx.request(method, f"{secgraph.base}/secgraph/admin/v1{path}", json=body,
                      headers={"Authorization": f"Bearer {token}"})
    assert r.status_code < 300, r.text
    return r.json() if r.text else None


@pytest.fixture(scope="module")
def provider(secgraph):
    tenant = secgraph.credentials["tenantId"]
    app = admin(secgraph, "POST", "/apps", {"displayName": "Edge Firewall", "homeTenantId": tenant,
                                             "multiTenant": True,
                                             "requestedPermissions": ["SecurityAlert.ReadWrite.All"]})
    admin(secgraph, "PUT", f"/tenants/{tenant}/consents/{app['clientId']}")
    manifest = {"protocolVersion": 1, "name": PROVIDER, "vendor": VENDOR, "mode": "push",
                "callbackBaseUrl": "http://127.0.0.1:9/secgraph",
                "actions": [{"name": "blockIp", "parameters": [{"name": "ip", "type": "ip", "required": True}]}]}
    return admin(secgraph, "POST", "/providers", {"clientId": app["clientId"], "manifest": manifest,
                                                   "allowPrivateAddresses": True})


def block(reason, ip="203.0.113.5", name="BlockIp"):
    return SecurityAction(
        name=name,
        action_reason=reason,
        parameters=[KeyValuePair(name="IP", value=ip)],
        vendor_information=SecurityVendorInformation(provider=PROVIDER, vendor=VENDOR),
    )


def test_create_read_list_count_and_cancel(beta_client, provider):
    marker = f"sdk-{uuid.uuid4().hex[:8]}"
    actions = beta_client.security.security_actions

    async def run():
        created = await actions.post(block(marker))
        assert created.id and created.status == OperationStatus.NotStarted
        assert created.name == "blockIp"
        assert [(p.name, p.value) for p in created.parameters] == [("ip", "203.0.113.5")]
        assert created.vendor_information.provider == PROVIDER
        assert [s.status for s in created.states] == [OperationStatus.NotStarted]
        got = await actions.by_security_action_id(created.id).get()
        assert got.action_reason == marker and got.created_date_time is not None
        page = await actions.get()
        assert created.id in [a.id for a in page.value]
        count = await actions.count.get()
        assert count >= 1
        await actions.by_security_action_id(created.id).cancel_security_action.post()
        cancelled = await actions.by_security_action_id(created.id).get()
        assert cancelled.status == OperationStatus.Failed
        assert "ancel" in cancelled.error_info.message
        return created.id

    asyncio.run(run())


def test_an_action_the_provider_does_not_offer_is_a_graph_error(beta_client, provider):
    async def run():
        with pytest.raises(ODataError) as e:
            await beta_client.security.security_actions.post(block("nope", name="isolateDevice"))
        assert e.value.response_status_code == 400
        assert "blockIp" in e.value.error.message

    asyncio.run(run())
