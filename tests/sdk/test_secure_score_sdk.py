"""msgraph-sdk against secgraph's secure score: the demo tenant's daily scores (the latest with
$top=1, the history newest first, one day by id, $count), its control profiles (rank order, $filter,
the demo's decisions), and PATCH with the body of Microsoft's Python snippet for this call (snake_case
keys in `additional_data`, vendor "Microsoft") — 204, then 200 under Prefer with the entry the server
appended — a ThirdParty decision earning full points in the next snapshot, and the Graph errors for a
bad state and for POST. Every Graph call goes through the SDK's own request builders and models.

The demo's history ends at the fixed anchor (2026-11-01) while the snapshot job prunes relative to
today, so the tests do not depend on how many days are left.
"""

import asyncio
import os
import uuid

import httpx
import pytest
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.secure_score import SecureScore
from msgraph.generated.models.secure_score_control_profile import SecureScoreControlProfile
from msgraph.generated.models.security_vendor_information import SecurityVendorInformation
from msgraph.generated.security.secure_score_control_profiles.secure_score_control_profiles_request_builder import (
    SecureScoreControlProfilesRequestBuilder,
)
from msgraph.generated.security.secure_scores.secure_scores_request_builder import SecureScoresRequestBuilder

DECIDED_BY = "secops@contoso-demo.example"


def run(coro):
    return asyncio.run(coro)


def scores_query(**kw):
    params = SecureScoresRequestBuilder.SecureScoresRequestBuilderGetQueryParameters(**kw)
    return RequestConfiguration(query_parameters=params)


def profiles_query(**kw):
    params = SecureScoreControlProfilesRequestBuilder.SecureScoreControlProfilesRequestBuilderGetQueryParameters(**kw)
    return RequestConfiguration(query_parameters=params)


def admin(secgraph, method, path, body=None):
    with open(os.path.join(secgraph.data_dir, "admin-token")) as f:
        token = f.read().strip()
    r = httpx.request(method, f"{secgraph.base}/secgraph/admin/v1{path}", json=body,
                      headers={"Authorization": f"Bearer {token}"})
    assert r.status_code < 300, r.text
    return r.json() if r.text else None


def snippet_body(state, comment):
    """The body of Microsoft's Python snippet for PATCH secureScoreControlProfile."""
    return SecureScoreControlProfile(
        additional_data={"assigned_to": "", "comment": comment, "state": state},
        vendor_information=SecurityVendorInformation(
            provider="SecureScore", provider_version=None, sub_provider=None, vendor="Microsoft"
        ),
    )


def test_the_latest_score_and_the_history_newest_first(client, secgraph):
    tenant = secgraph.credentials["tenantId"]
    scores = client.security.secure_scores

    async def go():
        latest = await scores.get(request_configuration=scores_query(top=1))
        history = await scores.get(request_configuration=scores_query(count=True, top=200))
        count = await scores.count.get()
        oldest = await scores.by_secure_score_id(history.value[-1].id).get()
        return latest, history, count, oldest

    latest, history, count, oldest = run(go())
    assert len(latest.value) == 1
    s = latest.value[0]
    assert s.id == history.value[0].id and s.id.startswith(f"{tenant}_")
    assert s.azure_tenant_id == tenant
    assert 0 < s.current_score <= s.max_score
    assert (s.licensed_user_count, s.active_user_count) == (250, 212)
    assert s.vendor_information.provider == "SecureScore"
    assert s.average_comparative_scores == [], "one tenant is no basis for a comparison"
    assert s.control_scores[0].control_name == "AdminMfa" and s.control_scores[0].control_category == "Identity"
    assert "HasDirectory" in s.enabled_services
    wipe = next(c for c in s.control_scores if c.control_name == "MobileRemoteWipe")
    assert wipe.score == 0.0 and wipe.additional_data["state"] == "Ignored"
    assert history.odata_count == count == len(history.value)
    created = [x.created_date_time for x in history.value]
    assert created == sorted(created, reverse=True), "newest first"
    assert len({x.id for x in history.value}) == count, "one snapshot per day"
    assert oldest.id == history.value[-1].id and oldest.created_date_time == created[-1]


def test_profiles_in_rank_order_with_the_demo_decisions(client):
    profiles = client.security.secure_score_control_profiles

    async def go():
        everything = await profiles.get()
        identity = await profiles.get(request_configuration=profiles_query(filter="controlCategory eq 'Identity'", count=True))
        wipe = await profiles.by_secure_score_control_profile_id("mobileremotewipe").get()
        return everything, identity, wipe

    everything, identity, wipe = run(go())
    assert len(everything.value) >= 40
    assert [p.rank for p in everything.value] == list(range(1, len(everything.value) + 1))
    assert identity.odata_count == len(identity.value) > 0
    assert all(p.control_category == "Identity" for p in identity.value)
    assert wipe.id == "MobileRemoteWipe" and wipe.max_score > 0
    first = wipe.control_state_updates[0]
    assert (first.state, first.updated_by) == ("Ignored", DECIDED_BY)
    names = {c.certification_name for c in wipe.compliance_information}
    assert "CIS Controls v8" in names


def test_patch_with_microsoft_s_snippet_then_third_party_earns_full_points(client, secgraph):
    tenant = secgraph.credentials["tenantId"]
    item = client.security.secure_score_control_profiles.by_secure_score_control_profile_id("DnsFiltering")
    marker = f"sdk-{uuid.uuid4().hex[:8]}"

    async def go():
        plain = await item.patch(snippet_body("Reviewed", marker))
        config = RequestConfiguration()
        config.headers.add("Prefer", "return=representation")
        represented = await item.patch(snippet_body("thirdParty", marker), config)
        with pytest.raises(ODataError) as refused:
            await item.patch(snippet_body("Closed", marker))
        with pytest.raises(ODataError) as not_allowed:
            await client.security.secure_scores.post(SecureScore())
        score = admin(secgraph, "POST", f"/tenants/{tenant}/secureScore/snapshots")
        fresh = await client.security.secure_scores.by_secure_score_id(score["id"]).get()
        profile = await item.get()
        return plain, represented, refused.value, not_allowed.value, fresh, profile

    plain, represented, refused, not_allowed, fresh, profile = run(go())
    assert plain is None, "204: the SDK returns None"
    mine = [u for u in represented.control_state_updates if u.comment == marker]
    assert [u.state for u in mine] == ["Reviewed", "ThirdParty"]
    assert mine[-1].updated_by and mine[-1].updated_date_time is not None
    assert represented.last_modified_date_time == mine[-1].updated_date_time
    assert refused.response_status_code == 400 and "ThirdParty" in refused.error.message
    assert not_allowed.response_status_code == 405

    dns = next(c for c in fresh.control_scores if c.control_name == "DnsFiltering")
    assert dns.score == profile.max_score, "ThirdParty earns the control's full points"
    assert dns.additional_data["state"] == "ThirdParty"
