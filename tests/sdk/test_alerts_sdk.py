"""msgraph-sdk against secgraph: list with OData options, follow every nextLink, read, update, comment,
and the legacy view — the calls a Graph security integration makes."""

import asyncio

import httpx
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.models.security.alert import Alert
from msgraph.generated.models.security.alert_classification import AlertClassification
from msgraph.generated.models.security.alert_comment import AlertComment
from msgraph.generated.models.security.alert_determination import AlertDetermination
from msgraph.generated.models.security.alert_status import AlertStatus
from msgraph.generated.security.alerts_v2.alerts_v2_request_builder import Alerts_v2RequestBuilder
from msgraph_core.tasks.page_iterator import PageIterator


def run(coro):
    return asyncio.run(coro)


def query(**kw):
    params = Alerts_v2RequestBuilder.Alerts_v2RequestBuilderGetQueryParameters(**kw)
    return RequestConfiguration(query_parameters=params)


def test_list_filter_top_orderby_and_follow_every_next_link(client, server):
    flt = "severity eq 'high' and status ne 'resolved'"

    async def go():
        first = await client.security.alerts_v2.get(
            request_configuration=query(filter=flt, top=7, orderby=["createdDateTime desc"], count=True)
        )
        total = first.odata_count
        assert total and total > 7, "the demo tenant has more than one page of high, unresolved alerts"
        assert first.odata_next_link.startswith(server)
        seen = []

        def collect(alert):
            seen.append(alert)
            return True

        it = PageIterator(first, client.request_adapter)
        await it.iterate(collect)
        return total, seen

    total, seen = run(go())
    assert len(seen) == total
    assert len({a.id for a in seen}) == total, "no alert repeated across pages"
    assert all(a.severity.value == "high" and a.status.value != "resolved" for a in seen)
    created = [a.created_date_time for a in seen]
    assert created == sorted(created, reverse=True)
    evidence = [e for a in seen for e in (a.evidence or [])]
    assert evidence, "demo alerts carry evidence"
    assert all(type(e).__name__ != "AlertEvidence" for e in evidence), "@odata.type picks evidence subtypes"


def test_count_equals_following_links_manually(client):
    async def go():
        page = await client.security.alerts_v2.get(request_configuration=query(top=50, count=True))
        total, n = page.odata_count, len(page.value)
        while page.odata_next_link:
            page = await client.security.alerts_v2.with_url(page.odata_next_link).get()
            n += len(page.value)
        return total, n

    total, n = run(go())
    assert total >= 500 and n == total


def test_get_patch_and_comment(client):
    async def go():
        page = await client.security.alerts_v2.get(request_configuration=query(filter="status eq 'new'", top=1))
        alert_id = page.value[0].id
        one = await client.security.alerts_v2.by_alert_id(alert_id).get()
        assert one.id == alert_id
        body = Alert(
            status=AlertStatus.Resolved,
            classification=AlertClassification.TruePositive,
            determination=AlertDetermination.Malware,
            assigned_to="secops@contoso.com",
        )
        updated = await client.security.alerts_v2.by_alert_id(alert_id).patch(body)
        assert updated.status == AlertStatus.Resolved
        assert updated.classification == AlertClassification.TruePositive
        assert updated.determination == AlertDetermination.Malware
        assert updated.assigned_to == "secops@contoso.com"
        assert updated.resolved_date_time is not None
        await client.security.alerts_v2.by_alert_id(alert_id).comments.post([AlertComment(comment="Contained by SDK test")])
        again = await client.security.alerts_v2.by_alert_id(alert_id).get()
        return again

    again = run(go())
    assert again.status == AlertStatus.Resolved
    assert any(c.comment == "Contained by SDK test" for c in again.comments)


def test_unknown_id_is_a_graph_error(client):
    from msgraph.generated.models.o_data_errors.o_data_error import ODataError

    async def go():
        try:
            await client.security.alerts_v2.by_alert_id("no-such-alert").get()
        except ODataError as e:
            return e
        return None

    err = run(go())
    assert err is not None and err.response_status_code == 404
    assert err.error.code == "itemNotFound"
    assert err.error.inner_error.request_id


def test_legacy_alerts_list(client, server, token):
    async def go():
        return await client.security.alerts.get()

    page = run(go())
    assert page.value and all(a.vendor_information and a.vendor_information.provider for a in page.value)
    # the beta updateAlerts action through plain HTTP, as scripts do
    first = page.value[0]
    r = httpx.patch(
        f"{server}/v1.0/security/alerts/{first.id}",
        json={"status": "inProgress", "vendorInformation": {"provider": first.vendor_information.provider, "vendor": first.vendor_information.vendor}},
        headers={"Prefer": "return=representation", "Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200 and r.json()["status"] == "inProgress"


def test_beta_sdk_lists_alerts_v2(beta_client):
    async def go():
        return await beta_client.security.alerts_v2.get()

    page = run(go())
    assert len(page.value) > 0
