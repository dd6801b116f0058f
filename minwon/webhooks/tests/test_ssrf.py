"""Issue 13 item 6: webhooks never reach the city's own network (server-side request forgery).

Subscriptions to loopback, private, link-local, multicast, reserved and metadata addresses (IPv4,
IPv6, IPv4 carried in IPv6) or to other ports are refused; the check is made again when sending,
and the connection goes to the address checked (no DNS rebinding); redirects are not followed;
the delivery log says the same for every network failure; a stopped subscription sends nothing
more. Loopback is allowed only where a test turns WEBHOOKS_ALLOW_LOOPBACK on for its receiver.
"""

from __future__ import annotations

import datetime
import json
import ssl
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from minwon.accounts.domain import ApiScope
from minwon.accounts.services import api_key_issue, api_key_revoke
from minwon.complaints.domain import IntakeChannel
from minwon.complaints.services import ApplicantInput, FilingInput, complaint_file
from minwon.lawclock.kinds import ComplaintKind
from minwon.webhooks.domain import address_allowed
from minwon.webhooks.models import WebhookDelivery, WebhookSubscription
from minwon.webhooks.services import webhook_deliver_due, webhook_fanout
from minwon.webhooks.tests.receiver import FakeDns, Receiver

API = "/api/v1/webhooks/subscriptions"
PUBLIC = "203.0.114.7"  # an ordinary public address (no test connects to it)


@pytest.fixture
def key(db: None) -> str:
    _, raw = api_key_issue(actor=None, name="integrator", scopes=[ApiScope.WEBHOOKS])
    return raw


def post_subscription(key: str, url: str, language: str = "en") -> Any:
    return Client(enforce_csrf_checks=True).post(
        API,
        json.dumps({"url": url, "events": ["complaint.registered"]}),
        content_type="application/json",
        HTTP_X_API_KEY=key,
        HTTP_ACCEPT_LANGUAGE=language,
    )


def file_one() -> None:
    complaint_file(
        data=FilingInput(
            kind=ComplaintKind.SUGGESTION,
            title="건의",
            body="가로등",
            channel=IntakeChannel.COUNTER,
            applicant=ApplicantInput(name="홍길동", address="시청로 50"),
        )
    )
    webhook_fanout()


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.1.2.3",
        "10.0.0.5",
        "172.16.3.4",
        "192.168.0.1",
        "100.64.0.1",
        "169.254.169.254",
        "169.254.1.1",
        "168.63.129.16",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd00:ec2::254",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "::ffff:10.0.0.1",
        "64:ff9b::a9fe:a9fe",
        "2002:a9fe:a9fe::1",
    ],
)
def test_only_public_addresses_are_allowed(address: str) -> None:
    assert not address_allowed(address)
    if address not in {"127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"}:
        assert not address_allowed(address, allow_loopback=True)


@pytest.mark.parametrize("address", [PUBLIC, "8.8.8.8", "2001:4860:4860::8888", "::ffff:8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert address_allowed(address)


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://127.0.0.1/hook", "webhook.url_address"),
        ("http://169.254.169.254/latest/meta-data/", "webhook.url_address"),
        ("http://[::1]/hook", "webhook.url_address"),
        ("http://[::ffff:127.0.0.1]/hook", "webhook.url_address"),
        ("http://[fd00:ec2::254]/latest", "webhook.url_address"),
        ("http://10.1.2.3/hook", "webhook.url_address"),
        ("https://internal.example.kr/hook", "webhook.url_address"),  # resolves to 10.x
        ("https://mixed.example.kr/hook", "webhook.url_address"),  # one answer of two is private
        ("https://nowhere.example.kr/hook", "webhook.url_address"),  # does not resolve
        ("https://hooks.example.kr:8080/hook", "webhook.url_port"),
        ("https://hooks.example.kr:22/hook", "webhook.url_port"),
        ("https://hooks.example.kr:0/hook", "webhook.url_port"),
    ],
)
def test_subscriptions_to_internal_addresses_or_other_ports_are_refused(
    key: str, dns: FakeDns, url: str, code: str
) -> None:
    dns.set("internal.example.kr", ["10.20.30.40"])
    dns.set("mixed.example.kr", [PUBLIC, "127.0.0.1"])
    dns.set("hooks.example.kr", [PUBLIC])
    english, korean = post_subscription(key, url), post_subscription(key, url, "ko")
    assert english.status_code == korean.status_code == 400
    assert english.json()["code"] == code and english.json()["field"] == "url"
    assert english.json()["message"] != korean.json()["message"]  # translated
    assert any("\uac00" <= ch <= "\ud7a3" for ch in korean.json()["message"])
    assert WebhookSubscription.objects.count() == 0


def test_a_public_name_on_an_allowed_port_is_accepted(key: str, dns: FakeDns) -> None:
    dns.set("hooks.example.kr", [PUBLIC, "2001:db9::1"])
    assert post_subscription(key, "https://hooks.example.kr/hook").status_code == 201
    assert post_subscription(key, "https://hooks.example.kr:443/hook").status_code == 201


def test_loopback_needs_the_explicit_setting(key: str, receiver: Receiver, settings: Any) -> None:
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    assert post_subscription(key, receiver.url).status_code == 400
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    assert post_subscription(key, receiver.url).status_code == 201


def test_the_address_is_checked_again_when_sending(
    key: str, receiver: Receiver, dns: FakeDns, settings: Any
) -> None:
    """Subscribed while the name was public; it now points at loopback: nothing is sent."""
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    dns.set("rebind.example.kr", [PUBLIC], ["127.0.0.1"])
    url = f"http://rebind.example.kr:{receiver.port}/hook"
    assert post_subscription(key, url).status_code == 201
    file_one()
    assert webhook_deliver_due(timeout=2).retrying == 1
    assert receiver.calls == []
    delivery = WebhookDelivery.objects.get()
    assert (delivery.last_status_code, delivery.last_error) == (None, "unreachable")


def test_the_connection_goes_to_the_address_that_was_checked(
    key: str, receiver: Receiver, dns: FakeDns
) -> None:
    """One lookup per send, and the socket opens to its answer: a second lookup (which would
    answer another address) never happens."""
    dns.set("pinned.example.kr", ["127.0.0.1"])
    url = f"http://pinned.example.kr:{receiver.port}/hook"
    assert post_subscription(key, url).status_code == 201
    file_one()
    dns.lookups.clear()
    dns.set("pinned.example.kr", ["127.0.0.1"], ["127.0.0.2"])
    assert webhook_deliver_due(timeout=2).delivered == 1
    assert dns.lookups == ["pinned.example.kr"]
    headers, _ = receiver.calls[0]
    assert headers["Host"] == f"pinned.example.kr:{receiver.port}"


def test_redirects_are_not_followed(key: str, receiver: Receiver) -> None:
    other = Receiver()
    try:
        receiver.answers = [302]
        receiver.location = other.url
        assert post_subscription(key, receiver.url).status_code == 201
        file_one()
        result = webhook_deliver_due(timeout=2)
        assert (result.delivered, result.retrying) == (0, 1)
        assert len(receiver.calls) == 1 and other.calls == []
        delivery = WebhookDelivery.objects.get()
        assert (delivery.last_status_code, delivery.last_error) == (302, "HTTP 302")
    finally:
        other.close()


def test_the_delivery_log_says_the_same_for_every_network_failure(
    key: str, receiver: Receiver, dns: FakeDns, settings: Any
) -> None:
    """A closed port, a name that stopped resolving and an address refused at send time read
    alike: the log is no port scanner."""
    settings.WEBHOOKS_ALLOWED_PORTS = [*settings.WEBHOOKS_ALLOWED_PORTS, 9]
    dns.set("gone.example.kr", [PUBLIC])
    dns.set("turned.example.kr", [PUBLIC])
    for url in (
        "http://127.0.0.1:9/closed",
        "https://gone.example.kr/hook",
        "https://turned.example.kr/hook",
    ):
        assert post_subscription(key, url).status_code == 201
    del dns.answers["gone.example.kr"]
    dns.set("turned.example.kr", ["169.254.169.254"])
    file_one()
    assert webhook_deliver_due(timeout=2).retrying == 3
    log = {(d.last_status_code, d.last_error) for d in WebhookDelivery.objects.all()}
    assert log == {(None, "unreachable")}
    body = Client().get(
        f"{API}/{WebhookSubscription.objects.first().pk}/deliveries",  # type: ignore[union-attr]
        HTTP_X_API_KEY=key,
    )
    assert body.json()["items"][0]["last_error"] == "unreachable"


def test_unsubscribing_stops_the_deliveries_waiting(key: str, receiver: Receiver) -> None:
    created = post_subscription(key, receiver.url).json()
    file_one()
    assert WebhookDelivery.objects.get().status == "pending"
    gone = Client(enforce_csrf_checks=True).delete(f"{API}/{created['id']}", HTTP_X_API_KEY=key)
    assert gone.status_code == 204
    assert webhook_deliver_due().delivered == 0
    assert receiver.calls == []
    assert WebhookDelivery.objects.get().status == "cancelled"


def test_a_stopped_subscription_or_revoked_key_sends_nothing(key: str, receiver: Receiver) -> None:
    """Stopped by another path (410 on another delivery, a revoked key) after the fan-out."""
    post_subscription(key, receiver.url)
    _, other_raw = api_key_issue(actor=None, name="second", scopes=[ApiScope.WEBHOOKS])
    post_subscription(other_raw, receiver.url)
    file_one()
    assert WebhookDelivery.objects.filter(status="pending").count() == 2
    first, second = WebhookSubscription.objects.order_by("pk")
    WebhookSubscription.objects.filter(pk=first.pk).update(is_active=False)
    api_key_revoke(actor=None, key=second.api_key)
    assert webhook_deliver_due().delivered == 0
    assert receiver.calls == []
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"cancelled"}


def _self_signed(name: str, folder: Path) -> tuple[Path, Path, bytes]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM)
    (folder / "cert.pem").write_bytes(pem)
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return folder / "cert.pem", folder / "key.pem", pem


def test_https_goes_to_the_checked_address_with_the_name_verified(
    key: str, dns: FakeDns, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The socket opens to the address checked, TLS still names and verifies the host: an
    untrusted certificate, or one for another name, is an attempt that failed."""
    cert, private, pem = _self_signed("secure.example.kr", tmp_path)
    server_side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_side.load_cert_chain(cert, private)
    seen: list[str | None] = []
    server_side.sni_callback = lambda sock, name, ctx: seen.append(name)
    receiver = Receiver(tls=server_side)
    try:
        settings.WEBHOOKS_ALLOW_LOOPBACK = True
        settings.WEBHOOKS_ALLOWED_PORTS = [443, receiver.port]
        dns.set("secure.example.kr", ["127.0.0.1"])
        dns.set("other.example.kr", ["127.0.0.1"])
        for host in ("secure.example.kr", "other.example.kr"):
            url = f"https://{host}:{receiver.port}/hook"
            assert post_subscription(key, url).status_code == 201
        file_one()
        # Not trusted yet: nothing is delivered, the log says only "unreachable".
        assert webhook_deliver_due(timeout=5).retrying == 2
        assert receiver.calls == []
        real = ssl.create_default_context

        def trusting(*args: Any, **kwargs: Any) -> ssl.SSLContext:
            context = real(*args, **kwargs)
            context.load_verify_locations(cadata=pem.decode())
            return context

        monkeypatch.setattr(ssl, "create_default_context", trusting)
        WebhookDelivery.objects.update(next_attempt_at=timezone.now())
        result = webhook_deliver_due(timeout=5)
        assert (result.delivered, result.retrying) == (1, 1)  # other.example.kr: name mismatch
        assert len(receiver.calls) == 1
        assert receiver.calls[0][0]["Host"] == f"secure.example.kr:{receiver.port}"
        assert "secure.example.kr" in seen and "other.example.kr" in seen  # SNI, not the address
        failed = WebhookDelivery.objects.get(status="pending")
        assert failed.last_error == "unreachable"
    finally:
        receiver.close()
