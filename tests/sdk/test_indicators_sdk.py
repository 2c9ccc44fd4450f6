"""msgraph-beta-sdk against secgraph's `security/tiIndicators`: create, read, list with OData options
and PageIterator, PATCH (204 and `Prefer: return=representation`), DELETE, the four bulk actions with
their per-item results (206 when some fail), enum round trips, Graph errors, and ownership by
application — every call through the SDK's own request builders and models.

Each test tags its indicators with a marker of its own and filters on it, so tests share the session
server without seeing each other's data. A recording httpx client (the SDK's default middleware
around an `httpx.AsyncClient` with a response hook) shows the status codes the SDK does not return.
"""

import asyncio
import datetime
import hashlib
import os
import uuid

import httpx
import pytest
from kiota_abstractions.base_request_configuration import RequestConfiguration
from kiota_authentication_azure.azure_identity_authentication_provider import AzureIdentityAuthenticationProvider
from kiota_http.middleware.options import HeadersInspectionHandlerOption
from msgraph_beta import GraphRequestAdapter, GraphServiceClient
from msgraph_beta.generated.models.diamond_model import DiamondModel
from msgraph_beta.generated.models.file_hash_type import FileHashType
from msgraph_beta.generated.models.o_data_errors.o_data_error import ODataError
from msgraph_beta.generated.models.ti_action import TiAction
from msgraph_beta.generated.models.ti_indicator import TiIndicator
from msgraph_beta.generated.models.tlp_level import TlpLevel
from msgraph_beta.generated.security.ti_indicators.count.count_request_builder import CountRequestBuilder
from msgraph_beta.generated.security.ti_indicators.item.ti_indicator_item_request_builder import TiIndicatorItemRequestBuilder
from msgraph_beta.generated.security.ti_indicators.delete_ti_indicators.delete_ti_indicators_post_request_body import DeleteTiIndicatorsPostRequestBody
from msgraph_beta.generated.security.ti_indicators.delete_ti_indicators_by_external_id.delete_ti_indicators_by_external_id_post_request_body import DeleteTiIndicatorsByExternalIdPostRequestBody
from msgraph_beta.generated.security.ti_indicators.submit_ti_indicators.submit_ti_indicators_post_request_body import SubmitTiIndicatorsPostRequestBody
from msgraph_beta.generated.security.ti_indicators.ti_indicators_request_builder import TiIndicatorsRequestBuilder
from msgraph_beta.generated.security.ti_indicators.update_ti_indicators.update_ti_indicators_post_request_body import UpdateTiIndicatorsPostRequestBody
from msgraph_beta.graph_request_adapter import options as beta_options
from msgraph_core import APIVersion, GraphClientFactory
from msgraph_core.tasks.page_iterator import PageIterator

from conftest import GRAPH_SCOPE, StaticTokenCredential, fetch_token

UTC = datetime.timezone.utc
FAR = datetime.datetime(2099, 1, 1, tzinfo=UTC)
SHA256 = hashlib.sha256(b"secgraph sdk test").hexdigest()


def run(coro):
    return asyncio.run(coro)


def marker():
    """A tag of this test's own, to filter its indicators out of the shared server."""
    return "sdk-" + uuid.uuid4().hex[:12]


def tagged(tag):
    return f"tags/any(t: t eq '{tag}')"


def indicator(tag, n=0, **kw):
    """A valid Azure Sentinel indicator on a domain, tagged `tag`; `kw` overrides fields."""
    fields = dict(action=TiAction.Alert, description=f"SDK indicator {n}", expiration_date_time=FAR)
    fields.update(target_product="Azure Sentinel", threat_type="Malware", tlp_level=TlpLevel.Green)
    fields.update(domain_name=f"d{n}.{tag}.example", external_id=f"{tag}-{n}", tags=[tag])
    fields.update(kw)
    return TiIndicator(**fields)


def list_query(**kw):
    params = TiIndicatorsRequestBuilder.TiIndicatorsRequestBuilderGetQueryParameters(**kw)
    return RequestConfiguration(query_parameters=params)


def count_query(flt):
    params = CountRequestBuilder.CountRequestBuilderGetQueryParameters(filter=flt)
    return RequestConfiguration(query_parameters=params)


def recording_client(server, token, version="beta"):
    """A beta GraphServiceClient whose httpx client logs `(method, status)` of each response."""
    log = []

    async def record(response):
        log.append((response.request.method, response.status_code))

    http = GraphClientFactory.create_with_default_middleware(
        api_version=APIVersion.beta,
        client=httpx.AsyncClient(event_hooks={"response": [record]}),
        options=beta_options,
    )
    auth = AzureIdentityAuthenticationProvider(StaticTokenCredential(token), scopes=[GRAPH_SCOPE])
    adapter = GraphRequestAdapter(auth, client=http)
    adapter.base_url = f"{server}/{version}"
    return GraphServiceClient(request_adapter=adapter), log


@pytest.fixture()
def sdk(server, token):
    return recording_client(server, token)


async def odata_error(coro):
    """The ODataError the call raises (fails the test when it succeeds)."""
    try:
        await coro
    except ODataError as e:
        return e
    pytest.fail("the call succeeded; an ODataError was expected")


def admin(secgraph, method, path, body):
    """A call to secgraph's admin API with the admin credential of the server's data directory."""
    with open(os.path.join(secgraph.data_dir, "admin-token")) as f:
        headers = {"Authorization": f"Bearer {f.read().strip()}"}
    r = httpx.request(method, f"{secgraph.base}/secgraph/admin/v1{path}", headers=headers, json=body)
    assert r.status_code in (200, 201), r.text
    return r.json()


def app_token(secgraph, permissions=("ThreatIndicators.ReadWrite.OwnedBy",), tenant=None):
    """A token of a newly registered app (in `tenant`, default the demo tenant) with consent."""
    tenant = tenant or secgraph.credentials["tenantId"]
    app = {"displayName": marker(), "homeTenantId": tenant, "requestedPermissions": list(permissions)}
    client_id = admin(secgraph, "POST", "/apps", app)["clientId"]
    secret = admin(secgraph, "POST", f"/apps/{client_id}/secrets", {})["secretText"]
    admin(secgraph, "PUT", f"/tenants/{tenant}/consents/{client_id}", {})
    token_url = f"{secgraph.base}/{tenant}/oauth2/v2.0/token"
    return fetch_token({"tokenUrl": token_url, "clientId": client_id, "clientSecret": secret})


def test_create_returns_201_and_the_stored_model_then_get_reads_it(sdk, secgraph, server):
    client, log = sdk
    tag = marker()
    expires = datetime.datetime(2099, 3, 1, 21, 43, 37, 503146, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    body = indicator(tag, expiration_date_time=expires, confidence=42, severity=4, kill_chain=["C2"])
    inspect = HeadersInspectionHandlerOption(inspect_response_headers=True)

    async def go():
        created = await client.security.ti_indicators.post(body, RequestConfiguration(options=[inspect]))
        got = await client.security.ti_indicators.by_ti_indicator_id(created.id).get()
        return created, got

    before = datetime.datetime.now(UTC)
    created, got = run(go())
    assert log == [("POST", 201), ("GET", 200)]
    assert created.id and created.odata_type == "#microsoft.graph.tiIndicator"
    assert created.azure_tenant_id == secgraph.credentials["tenantId"], "stamped from the token"
    assert before - datetime.timedelta(seconds=5) <= created.ingested_date_time <= datetime.datetime.now(UTC)
    assert created.expiration_date_time == expires, "an offset and six fractional digits keep the instant"
    assert created.expiration_date_time.utcoffset() == datetime.timedelta(0), "returned in UTC"
    assert (created.action, created.tlp_level, created.threat_type) == (TiAction.Alert, TlpLevel.Green, "Malware")
    assert (created.confidence, created.severity, created.kill_chain, created.tags) == (42, 4, ["C2"], [tag])
    assert (created.is_active, created.passive_only) == (True, False), "Graph's defaults"
    assert created.additional_data.get("hitCount") == 0
    location = inspect.response_headers.get("location")
    assert location == {f"{server}/beta/security/tiIndicators/{created.id}"}, location
    assert got.id == created.id and got.domain_name == f"d0.{tag}.example"
    assert got.ingested_date_time == created.ingested_date_time


def test_get_under_v1_and_by_lowercase_path_reads_the_same_indicator(server, token):
    tag = marker()
    beta, _ = recording_client(server, token)
    created = run(beta.security.ti_indicators.post(indicator(tag)))
    v1, log = recording_client(server, token, "v1.0")

    async def go():
        params = TiIndicatorItemRequestBuilder.TiIndicatorItemRequestBuilderGetQueryParameters(select=["externalId", "tags"])
        one = await v1.security.ti_indicators.by_ti_indicator_id(created.id).get(RequestConfiguration(query_parameters=params))
        lowercase = f"{server}/beta/security/tiindicators/{created.id}"
        lower = await v1.security.ti_indicators.by_ti_indicator_id(created.id).with_url(lowercase).get()
        return one, lower

    one, lower = run(go())
    assert one.id == created.id and one.external_id == f"{tag}-0" and one.tags == [tag]
    assert one.description is None and one.domain_name is None, "$select applies to a single indicator"
    assert log == [("GET", 200), ("GET", 200)]
    assert lower.id == created.id and lower.tags == [tag], "path segments match case-insensitively"


def test_every_enum_member_round_trips_and_the_sentinel_is_refused_per_item(sdk):
    client, log = sdk
    tag = marker()
    hashes = {FileHashType.Md5: hashlib.md5(b"x").hexdigest(), FileHashType.Sha1: hashlib.sha1(b"x").hexdigest()}
    items = (
        [indicator(tag, 1, action=a) for a in TiAction]
        + [indicator(tag, 2, tlp_level=t) for t in TlpLevel]
        + [indicator(tag, 3, diamond_model=d) for d in DiamondModel]
        + [indicator(tag, 4, file_hash_type=f, file_hash_value=hashes.get(f, SHA256)) for f in FileHashType]
    )
    fields = ("action", "tlp_level", "diamond_model", "file_hash_type")

    async def go():
        submitted = await client.security.ti_indicators.submit_ti_indicators.post(
            SubmitTiIndicatorsPostRequestBody(value=items)
        )
        stored = {}
        for result in submitted.value:
            if result.id:
                stored[result.id] = await client.security.ti_indicators.by_ti_indicator_id(result.id).get()
        return submitted.value, stored

    results, stored = run(go())
    assert log[0] == ("POST", 206), "the four unknownFutureValue items fail, the rest are stored"
    assert len(results) == len(items)
    for sent, result in zip(items, results):
        sent_values = [getattr(sent, f) for f in fields]
        if any(v is not None and v.value == "unknownFutureValue" for v in sent_values):
            error = result.additional_data["Error"]
            assert result.id is None and "unknownFutureValue" in error["message"], error
            assert error["target"] in ("action", "tlpLevel", "diamondModel", "fileHashType"), error
            continue
        assert "Error" not in result.additional_data, result.additional_data
        for f in fields:
            assert getattr(result, f) == getattr(sent, f), f"{f} in the submit result"
            assert getattr(stored[result.id], f) == getattr(sent, f), f"{f} read back by id"
    assert len(stored) == len(items) - 4


def test_list_filter_select_orderby_count_and_page_iterator(sdk, server):
    client, log = sdk
    tag = marker()
    items = [indicator(tag, i, confidence=i * 5, action=TiAction.Block if i % 3 == 0 else TiAction.Alert) for i in range(12)]

    async def go():
        await client.security.ti_indicators.submit_ti_indicators.post(SubmitTiIndicatorsPostRequestBody(value=items))
        first = await client.security.ti_indicators.get(
            list_query(filter=tagged(tag), top=5, count=True, select=["domainName", "confidence"], orderby=["confidence desc"])
        )
        seen = []
        await PageIterator(first, client.request_adapter).iterate(lambda item: seen.append(item) or True)
        blocks = await client.security.ti_indicators.count.get(count_query(f"{tagged(tag)} and action eq 'block'"))
        high = await client.security.ti_indicators.get(list_query(filter=f"{tagged(tag)} and confidence ge 40"))
        return first, seen, blocks, high

    first, seen, blocks, high = run(go())
    assert first.odata_count == 12 and len(first.value) == 5
    assert first.odata_next_link.startswith(f"{server}/beta/security/tiIndicators?")
    assert [i.confidence for i in seen] == [i * 5 for i in range(11, -1, -1)], "PageIterator follows every nextLink in order"
    assert len({i.id for i in seen}) == 12
    assert all(i.description is None and i.action is None and i.domain_name for i in seen), "$select shapes every page"
    assert blocks == 4, "$count with $filter parses as an int"
    assert sorted(i.confidence for i in high.value) == [40, 45, 50, 55] and high.odata_next_link is None
    assert [s for _, s in log] == [200] * len(log), log


def test_patch_answers_204_then_200_with_prefer_return_representation(sdk):
    client, log = sdk
    tag = marker()

    async def go():
        created = await client.security.ti_indicators.post(indicator(tag))
        item = client.security.ti_indicators.by_ti_indicator_id(created.id)
        plain = await item.patch(TiIndicator(description="changed", severity=5, expiration_date_time=FAR, target_product="Azure Sentinel"))
        config = RequestConfiguration()
        config.headers.add("Prefer", "return=representation")
        represented = await item.patch(TiIndicator(confidence=90, diamond_model=DiamondModel.Victim), config)
        refused = await odata_error(item.patch(TiIndicator(domain_name="other.example")))
        return created, plain, represented, refused

    created, plain, represented, refused = run(go())
    assert plain is None, "204: the SDK returns None"
    assert log[1:3] == [("PATCH", 204), ("PATCH", 200)]
    assert represented.id == created.id
    assert (represented.description, represented.severity, represented.confidence) == ("changed", 5, 90)
    assert represented.diamond_model == DiamondModel.Victim
    assert represented.ingested_date_time == created.ingested_date_time
    assert refused.response_status_code == 400 and "domainName" in refused.error.message, refused.error.message


def test_delete_answers_204_then_the_indicator_is_gone(sdk):
    client, log = sdk

    async def go():
        created = await client.security.ti_indicators.post(indicator(marker()))
        item = client.security.ti_indicators.by_ti_indicator_id(created.id)
        deleted = await item.delete()
        return deleted, await odata_error(item.get()), await odata_error(item.delete())

    deleted, get_error, delete_error = run(go())
    assert deleted is None
    assert log[:2] == [("POST", 201), ("DELETE", 204)]
    for e in (get_error, delete_error):
        assert e.response_status_code == 404 and e.error.code == "itemNotFound", e.error.message


def test_invalid_indicators_are_odata_errors_400_that_name_the_property(sdk):
    client, _ = sdk
    tag = marker()
    cases = [
        (TiIndicator(action=TiAction.Alert, description="x", domain_name="a.example"), ["expirationDateTime", "targetProduct", "threatType", "tlpLevel"]),
        (indicator(tag, network_destination_i_pv4="300.1.1.1"), ["networkDestinationIPv4", "300.1.1.1"]),
        (indicator(tag, file_hash_type=FileHashType.Sha256, file_hash_value="abc"), ["fileHashValue"]),
        (indicator(tag, domain_name=None), ["observable"]),
    ]

    async def go():
        errors = [await odata_error(client.security.ti_indicators.post(body)) for body, _ in cases]
        bad_filter = await odata_error(client.security.ti_indicators.get(list_query(filter="colour eq 'red'")))
        expand = await odata_error(client.security.ti_indicators.get(list_query(expand=["alerts"])))
        left = await client.security.ti_indicators.count.get(count_query(tagged(tag)))
        return errors, bad_filter, expand, left

    errors, bad_filter, expand, left = run(go())
    for e, (_, needles) in zip(errors, cases):
        assert e.response_status_code == 400 and e.error.code == "BadRequest"
        assert all(n in e.error.message for n in needles), (needles, e.error.message)
        assert e.error.inner_error.request_id and e.error.inner_error.date is not None
    assert bad_filter.response_status_code == 400 and "'colour'" in bad_filter.error.message
    assert expand.response_status_code == 400 and "$expand" in expand.error.message, expand.error.message
    assert left == 0, "nothing of a refused create is stored"


def test_submit_returns_200_or_206_with_per_item_results_in_request_order(sdk):
    client, log = sdk
    tag = marker()
    good = [indicator(tag, i) for i in range(3)]
    bad = indicator(tag, 9, network_destination_i_pv4="not-an-ip")
    bad.additional_data["indicatorRequestHash"] = "hash-9"

    async def go():
        submit = client.security.ti_indicators.submit_ti_indicators
        empty = await submit.post(SubmitTiIndicatorsPostRequestBody(value=[]))
        all_good = await submit.post(SubmitTiIndicatorsPostRequestBody(value=good[:2]))
        partial = await submit.post(SubmitTiIndicatorsPostRequestBody(value=[good[2], bad]))
        total = await client.security.ti_indicators.count.get(count_query(tagged(tag)))
        return empty, all_good, partial, total

    empty, all_good, partial, total = run(go())
    assert [s for _, s in log[:3]] == [200, 200, 206]
    assert empty.value == []
    assert [r.external_id for r in all_good.value] == [f"{tag}-0", f"{tag}-1"]
    assert all(r.id and r.azure_tenant_id and r.ingested_date_time for r in all_good.value)
    ok, failed = partial.value
    assert ok.id and ok.external_id == f"{tag}-2" and "Error" not in ok.additional_data
    assert failed.id is None and failed.external_id == f"{tag}-9", "a failed item is the item as sent"
    assert failed.additional_data["indicatorRequestHash"] == "hash-9", "unknown properties are echoed"
    error = failed.additional_data["Error"]
    assert error["target"] == "networkDestinationIPv4" and "not-an-ip" in error["message"], error
    assert total == 3


def test_update_ti_indicators_changes_each_item_and_reports_failures(sdk):
    client, log = sdk
    tag = marker()

    async def go():
        submitted = await client.security.ti_indicators.submit_ti_indicators.post(
            SubmitTiIndicatorsPostRequestBody(value=[indicator(tag, 0), indicator(tag, 1)])
        )
        a, b = (r.id for r in submitted.value)
        missing = str(uuid.uuid4())
        body = UpdateTiIndicatorsPostRequestBody(value=[
            TiIndicator(id=a, additional_information="mytest", tlp_level=TlpLevel.Red),
            TiIndicator(id=b, additional_information="test again", action=TiAction.Block),
            TiIndicator(id=missing, additional_information="nope"),
        ])
        updated = await client.security.ti_indicators.update_ti_indicators.post(body)
        again = await client.security.ti_indicators.by_ti_indicator_id(a).get()
        return a, b, missing, updated, again

    a, b, missing, updated, again = run(go())
    assert log[1] == ("POST", 206), "one update failed"
    first, second, third = updated.value
    assert (first.id, first.additional_information, first.tlp_level) == (a, "mytest", TlpLevel.Red)
    assert (second.id, second.additional_information, second.action) == (b, "test again", TiAction.Block)
    assert first.description == "SDK indicator 0", "properties not sent are kept"
    error = third.additional_data["Error"]
    assert third.id == missing and error["target"] == "id" and missing in error["message"], error
    assert again.additional_information == "mytest" and again.tlp_level == TlpLevel.Red


def test_delete_ti_indicators_answers_a_result_info_per_id(sdk):
    client, log = sdk
    tag = marker()

    async def go():
        submitted = await client.security.ti_indicators.submit_ti_indicators.post(
            SubmitTiIndicatorsPostRequestBody(value=[indicator(tag, 0), indicator(tag, 1), indicator(tag, 2)])
        )
        ids = [r.id for r in submitted.value]
        delete = client.security.ti_indicators.delete_ti_indicators
        some = await delete.post(DeleteTiIndicatorsPostRequestBody(value=ids[:2] + ["no-such-indicator"]))
        rest = await delete.post(DeleteTiIndicatorsPostRequestBody(value=ids[2:]))
        left = await client.security.ti_indicators.count.get(count_query(tagged(tag)))
        return some, rest, left

    some, rest, left = run(go())
    assert [s for _, s in log[1:3]] == [206, 200]
    assert [(r.code, r.subcode) for r in some.value] == [(200, 0), (200, 0), (404, 0)], "Int32 code and subcode"
    assert "no-such-indicator" in some.value[2].message
    assert [r.code for r in rest.value] == [200]
    assert left == 0


def test_delete_by_external_id_removes_every_match_also_by_the_qualified_name(sdk, server):
    client, log = sdk
    tag = marker()
    shared = f"{tag}-shared"
    items = [indicator(tag, 0, external_id=shared), indicator(tag, 1, external_id=shared), indicator(tag, 2)]
    qualified = f"{server}/beta/security/tiindicators/microsoft.graph.deleteTiIndicatorsByExternalId"

    async def go():
        await client.security.ti_indicators.submit_ti_indicators.post(SubmitTiIndicatorsPostRequestBody(value=items))
        by_external_id = client.security.ti_indicators.delete_ti_indicators_by_external_id
        result = await by_external_id.post(DeleteTiIndicatorsByExternalIdPostRequestBody(value=[shared, f"{tag}-none"]))
        left = await client.security.ti_indicators.get(list_query(filter=tagged(tag)))
        last = await by_external_id.with_url(qualified).post(DeleteTiIndicatorsByExternalIdPostRequestBody(value=[f"{tag}-2"]))
        return result, left, last

    result, left, last = run(go())
    assert [s for _, s in log] == [200, 206, 200, 200]
    found, none = result.value
    assert (found.code, none.code) == (200, 404)
    assert "2" in found.message and shared in found.message, found.message
    assert [i.external_id for i in left.value] == [f"{tag}-2"]
    assert [(r.code, r.subcode) for r in last.value] == [(200, 0)], "lowercase path, qualified action name"


def test_other_applications_and_tenants_do_not_see_an_apps_indicators(secgraph, server, token):
    tag = marker()
    owner, _ = recording_client(server, token)
    created = run(owner.security.ti_indicators.post(indicator(tag)))
    elsewhere = admin(secgraph, "POST", "/tenants", {"displayName": marker()})["id"]
    strangers = [app_token(secgraph), app_token(secgraph, tenant=elsewhere)]
    alerts_only = app_token(secgraph, permissions=("SecurityAlert.Read.All",))

    async def attempt(client):
        item = client.security.ti_indicators.by_ti_indicator_id(created.id)
        listed = await client.security.ti_indicators.get(list_query(filter=tagged(tag), count=True))
        errors = [await odata_error(call) for call in (item.get(), item.patch(TiIndicator(severity=1)), item.delete())]
        bulk = await client.security.ti_indicators.delete_ti_indicators.post(DeleteTiIndicatorsPostRequestBody(value=[created.id]))
        return listed, errors, bulk

    for stranger in strangers:
        listed, errors, bulk = run(attempt(recording_client(server, stranger)[0]))
        assert listed.value == [] and listed.odata_count == 0
        assert [e.response_status_code for e in errors] == [404, 404, 404]
        assert bulk.value[0].code == 404
    denied = run(odata_error(recording_client(server, alerts_only)[0].security.ti_indicators.get()))
    assert denied.response_status_code == 403, denied.error.message
    owner_again, _ = recording_client(server, token)
    still = run(owner_again.security.ti_indicators.by_ti_indicator_id(created.id).get())
    assert still.id == created.id and still.severity == 3, "the strangers' PATCH changed nothing"
