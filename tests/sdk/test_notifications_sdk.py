"""Rich notifications and replay against the real server (its own delivery workers) with
msgraph-sdk: a subscription with `include_resource_data` and an RSA certificate made with
`cryptography`, an alert changed through the SDK, the notification received by a receiver on
loopback and decrypted with the recipe of docs/notifications.md (Graph's), its validation token
verified with PyJWT against the tenant's JWKS, then a replay of it; and a subscription's whole
lifecycle through the SDK (create, list, renew, reauthorize, delete) on `security/incidents` with a
`$filter`, notified of an incident changed through the SDK."""

import asyncio
import base64
import datetime
import hashlib
import hmac
import http.server
import json
import threading
import time
import urllib.parse

import httpx
import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import padding as sym_padding
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.x509.oid import NameOID
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.models.security.alert import Alert
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.security.alert_status import AlertStatus
from msgraph.generated.models.security.incident import Incident
from msgraph.generated.models.subscription import Subscription
from msgraph.generated.security.alerts_v2.alerts_v2_request_builder import Alerts_v2RequestBuilder
from msgraph.generated.security.incidents.incidents_request_builder import IncidentsRequestBuilder

from conftest import fetch_token, make_client, start

CHANGE_TRACKING_APP = "0bf30f3b-4a52-48df-9a82-234910c4a086"


class Receiver:
    """Echoes the validation handshake and keeps every notification collection POSTed to it."""

    def __init__(self):
        self.collections = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if "validationToken" in q:
                    token = q["validationToken"][0].encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(token)))
                    self.end_headers()
                    self.wfile.write(token)
                    return
                owner.collections.append(json.loads(body))
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.http = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/notify"

    def notifications(self):
        return [n for c in self.collections for n in c["value"]]

    def wait_for(self, predicate, seconds=30):
        deadline = time.time() + seconds
        while time.time() < deadline:
            found = [n for n in self.notifications() if predicate(n)]
            if found:
                return found
            time.sleep(0.2)
        pytest.fail(f"no matching notification within {seconds} s: {self.collections}")


def certificate():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "receiver")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return key, cert


def decrypt(private_key, content):
    """docs/notifications.md's decryption, as Graph documents it."""
    key = private_key.decrypt(
        base64.b64decode(content["dataKey"]),
        padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None),
    )
    data = base64.b64decode(content["data"])
    expected = hmac.new(key, data, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, base64.b64decode(content["dataSignature"])):
        raise ValueError("dataSignature does not match: drop the notification")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    padded = decryptor.update(data) + decryptor.finalize()
    unpadder = sym_padding.PKCS7(128).unpadder()
    return json.loads(unpadder.update(padded) + unpadder.finalize())


@pytest.fixture(scope="module")
def webhook_server():
    s = start("--allow-insecure-webhooks")
    yield s
    s.stop()


def test_rich_notification_decrypts_and_replays(webhook_server):
    creds = webhook_server.credentials
    token = fetch_token(creds)
    client = make_client(webhook_server.base, token)
    rx = Receiver()
    key, cert = certificate()
    der = cert.public_bytes(serialization.Encoding.DER)

    async def subscribe_and_change():
        sub = await client.subscriptions.post(
            Subscription(
                change_type="updated",
                resource="security/alerts_v2",
                notification_url=rx.url,
                client_state="sdk-state",
                expiration_date_time=datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1),
                include_resource_data=True,
                encryption_certificate=base64.b64encode(der).decode(),
                encryption_certificate_id="sdk-cert",
            )
        )
        params = Alerts_v2RequestBuilder.Alerts_v2RequestBuilderGetQueryParameters(filter="status eq 'new'", top=1)
        page = await client.security.alerts_v2.get(request_configuration=RequestConfiguration(query_parameters=params))
        alert_id = page.value[0].id
        await client.security.alerts_v2.by_alert_id(alert_id).patch(Alert(status=AlertStatus.InProgress))
        return sub, alert_id

    sub, alert_id = asyncio.run(subscribe_and_change())
    assert sub.include_resource_data is True and sub.encryption_certificate_id == "sdk-cert"
    [n] = rx.wait_for(lambda n: n["resourceData"]["id"] == alert_id)
    assert n["subscriptionId"] == sub.id and n["clientState"] == "sdk-state"
    content = n["encryptedContent"]
    assert content["encryptionCertificateId"] == "sdk-cert"
    assert content["encryptionCertificateThumbprint"] == cert.fingerprint(hashes.SHA1()).hex().upper()
    item = decrypt(key, content)
    assert item["id"] == alert_id and item["status"] == "inProgress"

    collection = next(c for c in rx.collections if n in c["value"])
    [validation] = collection["validationTokens"]
    tenant = creds["tenantId"]
    jwks = jwt.PyJWKClient(f"{webhook_server.base}/{tenant}/discovery/v2.0/keys")
    claims = jwt.decode(
        validation,
        jwks.get_signing_key_from_jwt(validation).key,
        algorithms=["RS256"],
        audience=creds["clientId"],
        issuer=f"{webhook_server.base}/{tenant}/v2.0",
    )
    assert claims["azp"] == CHANGE_TRACKING_APP

    sequence = n["@secgraph.sequence"]
    r = httpx.post(
        f"{webhook_server.base}/secgraph/v1/subscriptions/{sub.id}/replay?since={sequence - 1}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 202, r.text
    assert r.json()["queued"] >= 1
    [again] = rx.wait_for(lambda x: x.get("@secgraph.replayed") and x["id"] == n["id"])
    assert again["@secgraph.sequence"] == sequence
    assert decrypt(key, again["encryptedContent"])["id"] == alert_id


def test_subscription_lifecycle_and_incident_notifications(webhook_server):
    """Create (handshake), list, renew, reauthorize and delete through msgraph-sdk, on
    security/incidents (our extension) with a $filter; an incident changed through the SDK is
    notified to the receiver."""
    token = fetch_token(webhook_server.credentials)
    client = make_client(webhook_server.base, token)
    rx = Receiver()
    now = datetime.datetime.now(datetime.timezone.utc)

    async def scenario():
        sub = await client.subscriptions.post(
            Subscription(
                change_type="updated",
                resource="security/incidents?$filter=status eq 'active'",
                notification_url=rx.url,
                client_state="incident-state",
                expiration_date_time=now + datetime.timedelta(hours=2),
            )
        )
        assert sub.resource == "security/incidents?$filter=status eq 'active'"
        assert sub.client_state == "incident-state"
        listed = await client.subscriptions.get()
        mine = [s for s in listed.value if s.id == sub.id]
        assert len(mine) == 1 and mine[0].client_state is None, "lists never carry clientState"
        renewed = await client.subscriptions.by_subscription_id(sub.id).patch(
            Subscription(expiration_date_time=now + datetime.timedelta(days=2))
        )
        assert renewed.expiration_date_time > now + datetime.timedelta(days=1)
        await client.subscriptions.by_subscription_id(sub.id).reauthorize.post()

        params = IncidentsRequestBuilder.IncidentsRequestBuilderGetQueryParameters(
            filter="status eq 'active'", top=1
        )
        page = await client.security.incidents.get(
            request_configuration=RequestConfiguration(query_parameters=params)
        )
        incident_id = page.value[0].id
        await client.security.incidents.by_incident_id(incident_id).patch(
            Incident(assigned_to="sdk-analyst@contoso.example")
        )
        # The PATCH, and any roll-up of the incident the write caused, are each a change.
        found = await asyncio.to_thread(rx.wait_for, lambda n: n["resourceData"]["id"] == incident_id)
        n = found[0]
        assert n["subscriptionId"] == sub.id and n["clientState"] == "incident-state"
        assert n["changeType"] == "updated"
        assert n["resource"] == f"security/incidents/{incident_id}"
        assert n["resourceData"]["@odata.type"] == "#microsoft.graph.security.incident"

        await client.subscriptions.by_subscription_id(sub.id).delete()
        with pytest.raises(ODataError) as gone:
            await client.subscriptions.by_subscription_id(sub.id).get()
        assert gone.value.response_status_code == 404

    asyncio.run(scenario())
