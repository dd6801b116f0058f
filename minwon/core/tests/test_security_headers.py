"""Security headers, idle sign-out and the trusted-proxy client address (issue 13 items 9, 13)."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

import pytest
import time_machine
from django.test import Client

from minwon.accounts.models import User
from minwon.core.domain import client_address, parse_networks
from minwon.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_every_page_has_a_strict_content_security_policy_and_no_store() -> None:
    response = Client().get("/healthz")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["Cache-Control"] == "no-store"


def test_no_template_uses_what_the_policy_blocks() -> None:
    """The policy allows no inline style or script: a template that used one would break silently."""
    templates = Path(__file__).resolve().parents[2] / "templates"
    blocked = re.compile(r"""\sstyle=|<style|<script(?![^>]*\ssrc=)|\son[a-z]+=""")
    offenders = [
        f"{path.relative_to(templates)}:{number}"
        for path in sorted(templates.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if blocked.search(line)
    ]
    assert offenders == []


def test_the_api_reference_loads_only_what_the_policy_allows() -> None:
    """Swagger UI from this site's static files, not a CDN the policy (and a closed network) blocks."""
    page = Client().get("/api/v1/docs").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets
    assert [a for a in assets if a.startswith(("http:", "https:", "//"))] == []


def test_a_session_idle_longer_than_the_timeout_is_signed_out(settings: object) -> None:
    user = User.objects.create_user(username="idle-citizen", password="x-long-password-1")
    client = Client()
    with time_machine.travel("2026-03-02 09:00:00+09:00", tick=False) as traveller:
        client.force_login(user)
        client.get("/healthz")  # marks activity
        traveller.shift(29 * 60)
        client.get("/healthz")
        assert "_auth_user_id" in client.session
        traveller.shift(31 * 60)
        client.get("/healthz")
        assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="user.logged_out_idle", target_id=str(user.pk)).exists()


TRUSTED = parse_networks(["10.0.0.0/8"])


@pytest.mark.parametrize(
    ("peer", "xff", "expected"),
    [
        ("203.0.113.9", "1.2.3.4", "203.0.113.9"),  # not a proxy: the header is ignored
        ("10.0.0.2", "198.51.100.7", "198.51.100.7"),
        ("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.3", "198.51.100.7"),  # forged left part
        ("10.0.0.2", "garbage, 10.0.0.3", "10.0.0.3"),
        ("10.0.0.2", "", "10.0.0.2"),
    ],
)
def test_client_address_behind_trusted_proxies(peer: str, xff: str, expected: str) -> None:
    assert client_address(peer, xff, TRUSTED) == expected


def test_parse_networks_names_a_bad_entry() -> None:
    assert parse_networks(["192.0.2.7"]) == [ipaddress.ip_network("192.0.2.7/32")]
    with pytest.raises(ValueError, match="nope"):
        parse_networks(["nope"])


def test_forwarded_headers_from_an_untrusted_peer_are_dropped(settings: object) -> None:
    response = Client(REMOTE_ADDR="203.0.113.9").get(
        "/healthz", HTTP_X_FORWARDED_FOR="1.2.3.4", HTTP_X_FORWARDED_PROTO="https"
    )
    assert response.wsgi_request.META["REMOTE_ADDR"] == "203.0.113.9"
    assert "HTTP_X_FORWARDED_FOR" not in response.wsgi_request.META
    assert not response.wsgi_request.is_secure()
