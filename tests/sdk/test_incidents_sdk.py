"""msgraph-sdk and msgraph-beta-sdk against secgraph's incidents: list with $expand=alerts and follow
every nextLink, filter and count, read one, PATCH the writable set (resolving resolves the alerts),
comment on the incident and on one of its alerts — the calls a SOAR integration makes."""

import asyncio

import httpx
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.models.security.alert_classification import AlertClassification
from msgraph.generated.models.security.alert_comment import AlertComment
from msgraph.generated.models.security.alert_determination import AlertDetermination
from msgraph.generated.models.security.alert_status import AlertStatus
from msgraph.generated.models.security.incident import Incident
from msgraph.generated.models.security.incident_status import IncidentStatus
from msgraph.generated.security.incidents.incidents_request_builder import IncidentsRequestBuilder
from msgraph_core.tasks.page_iterator import PageIterator


def run(coro):
    return asyncio.run(coro)


def query(**kw):
    params = IncidentsRequestBuilder.IncidentsRequestBuilderGetQueryParameters(**kw)
    return RequestConfiguration(query_parameters=params)


def test_list_with_alerts_and_follow_every_next_link(client, server):
    async def go():
        first = await client.security.incidents.get(request_configuration=query(top=25, count=True, expand=["alerts"]))
        total = first.odata_count
        assert total and total > 25, "the demo tenant has more than one page of incidents"
        assert first.odata_next_link.startswith(server)
        seen = []

        def collect(incident):
            seen.append(incident)
            return True

        await PageIterator(first, client.request_adapter).iterate(collect)
        return total, seen

    total, seen = run(go())
    assert len(seen) == total and len({i.id for i in seen}) == total
    created = [i.created_date_time for i in seen]
    assert created == sorted(created, reverse=True), "newest first"
    alerts = [a for i in seen for a in (i.alerts or [])]
    assert len(alerts) == len({a.id for a in alerts}), "an alert is in one incident"
    for i in seen:
        assert all(a.incident_id == i.id for a in (i.alerts or []))
    grouped = [i for i in seen if len(i.alerts or []) > 1]
    assert grouped, "correlation grouped some demo alerts"
    reasons = grouped[0].additional_data.get("correlationReasons")
    assert reasons and reasons[0]["rule"] and reasons[0]["entity"]["kind"], "[ext] reasons reach additional_data"


def test_filter_and_count(client):
    async def go():
        page = await client.security.incidents.get(
            request_configuration=query(filter="severity eq 'high' and status ne 'resolved'", count=True, top=500)
        )
        n = await client.security.incidents.count.get()
        return page, n

    page, n = run(go())
    assert page.value and len(page.value) == page.odata_count
    assert all(i.severity.value == "high" and i.status != IncidentStatus.Resolved for i in page.value)
    assert n >= page.odata_count


def test_get_patch_resolve_and_comment(client, server, token):
    async def go():
        page = await client.security.incidents.get(
            request_configuration=query(filter="status eq 'active'", top=1, expand=["alerts"])
        )
        incident_id = page.value[0].id
        builder = client.security.incidents.by_incident_id(incident_id)
        one = await builder.get()
        assert one.id == incident_id and one.incident_web_url.startswith(server)
        body = Incident(
            status=IncidentStatus.Resolved,
            classification=AlertClassification.TruePositive,
            determination=AlertDetermination.MultiStagedAttack,
            assigned_to="secops@contoso.com",
            custom_tags=["SDK"],
        )
        updated = await builder.patch(body)
        alerts = await builder.alerts.get()
        first = alerts.value[0].id
        await builder.alerts.by_alert_id(first).comments.post([AlertComment(comment="Seen by the SDK test")])
        again = await builder.alerts.by_alert_id(first).get()
        return incident_id, updated, alerts, again

    incident_id, updated, alerts, again = run(go())
    assert updated.status == IncidentStatus.Resolved
    assert updated.classification == AlertClassification.TruePositive
    assert updated.determination == AlertDetermination.MultiStagedAttack
    assert updated.assigned_to == "secops@contoso.com" and updated.custom_tags == ["SDK"]
    assert updated.last_modified_by
    assert alerts.value and all(a.status == AlertStatus.Resolved for a in alerts.value), "resolving resolves the alerts"
    assert any(c.comment == "Seen by the SDK test" for c in again.comments)
    # The incident's own comments: documented in v1.0, not in the SDK's builders; plain HTTP as scripts do.
    r = httpx.post(
        f"{server}/v1.0/security/incidents/{incident_id}/comments",
        json={"@odata.type": "microsoft.graph.security.alertComment", "comment": "Closed by SDK test"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["value"][-1]["comment"] == "Closed by SDK test"


def test_unknown_incident_and_non_writable_property_are_graph_errors(client):
    from msgraph.generated.models.o_data_errors.o_data_error import ODataError

    async def go():
        errors = []
        try:
            await client.security.incidents.by_incident_id("999999").get()
        except ODataError as e:
            errors.append(e)
        page = await client.security.incidents.get(request_configuration=query(top=1))
        try:
            await client.security.incidents.by_incident_id(page.value[0].id).patch(Incident(display_name="renamed"))
        except ODataError as e:
            errors.append(e)
        return errors

    missing, refused = run(go())
    assert missing.response_status_code == 404 and missing.error.code == "itemNotFound"
    assert refused.response_status_code == 400 and "displayName" in refused.error.message


def test_beta_shows_the_beta_only_properties(beta_client, client):
    async def go():
        beta = await beta_client.security.incidents.get()
        v1 = await client.security.incidents.get()
        return beta, v1

    beta, v1 = run(go())
    assert beta.value and beta.value[0].recommended_hunting_queries == []
    assert "recommendedActions" not in (v1.value[0].additional_data or {})
