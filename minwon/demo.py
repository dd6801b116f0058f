"""Demo data for `minwon demo`: Paju's organisation, officers of every role, a citizen.

Each context contributes through its own services; running it again changes nothing.
Demo passwords are printed on start: they are for a laptop, never for a city's server.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from minwon.accounts.domain import Role
from minwon.accounts.models import OrgUnit, User
from minwon.accounts.services import (
    citizen_register,
    officer_create,
    org_chart_import_csv,
    totp_confirm,
    totp_enroll_start,
)

DEMO_PASSWORD = "paju-minwon-2026"
CITY_CODE = "paju"

# (username, name, org unit code, roles)
DEMO_OFFICERS: list[tuple[str, str, str, list[Role]]] = [
    ("admin", "관리자", CITY_CODE, [Role.ADMINISTRATOR, Role.COMPLAINT_SUPERVISOR]),
    ("supervisor", "김총괄", "minwon-yeokwon-gwa", [Role.COMPLAINT_SUPERVISOR]),
    ("counter", "박창구", "minwon-yeokwon-gwa", [Role.COUNTER_OFFICER]),
    ("road", "이도로", "doro-gwalli-gwa", [Role.DEPARTMENT_OFFICER]),
    ("roadhead", "최과장", "doro-gwalli-gwa", [Role.DEPARTMENT_HEAD]),
    ("welfare", "정복지", "noin-jangaein-gwa", [Role.WELFARE_OFFICER, Role.DEPARTMENT_OFFICER]),
    ("unjeong1", "한운정", "adm-4148055000", [Role.COUNTER_OFFICER, Role.DEPARTMENT_OFFICER]),
]


@dataclass
class DemoSummary:
    officers: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # user, name, unit, secret
    citizens: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _org_csv() -> Path:
    return Path(__file__).resolve().parent / "accounts" / "data" / "paju_org_units.csv"


@transaction.atomic
def demo_seed() -> DemoSummary:
    import pyotp

    from minwon.core import crypto

    summary = DemoSummary()
    result = org_chart_import_csv(
        actor=None,
        path=_org_csv(),
        city_code=CITY_CODE,
        city_name_ko="파주시",
        city_name_en="Paju City",
        city_admin_code="4148000000",
    )
    summary.notes.append(f"org units: {OrgUnit.objects.count()} ({result.created} new)")
    for username, name, unit_code, roles in DEMO_OFFICERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            unit = OrgUnit.objects.get(code=unit_code)
            user = officer_create(
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                name=name,
                org_unit=unit,
                roles=roles,
                email=f"{username}@minwon.example",
            )
            secret = totp_enroll_start(user=user)
            totp_confirm(user=user, code=pyotp.TOTP(secret).now())
        secret = crypto.decrypt(user.totp_secret_encrypted)
        unit_name = user.org_unit.name_ko if user.org_unit else ""
        summary.officers.append((username, name, unit_name, secret))
    if not User.objects.filter(username="citizen").exists():
        citizen_register(
            username="citizen",
            password=DEMO_PASSWORD,
            name="홍길동",
            email="citizen@minwon.example",
            phone="010-1234-5678",
        )
    summary.citizens.append(("citizen", "홍길동"))
    for seeder in _context_seeders():
        summary.notes.extend(seeder())
    return summary


def _context_seeders() -> list[Callable[[], list[str]]]:
    """Seeders of later contexts (catalogue, complaints ...), each returning summary lines."""
    return [_seed_catalog, _seed_open311]


def _seed_catalog() -> list[str]:
    from minwon.catalog.services import catalog_seed_examples

    report = catalog_seed_examples()
    return [f"complaint types: {report.created} new, {report.unchanged} unchanged"]


def _seed_open311() -> list[str]:
    """Open311 services and an integrator key, printed so scripted clients can post.

    The key comes from MINWON_DEMO_API_KEY when set; otherwise one is made once and kept in the
    data folder.
    """
    import os

    from django.conf import settings

    from minwon.accounts.domain import ApiScope
    from minwon.accounts.selectors import api_key_get_active
    from minwon.accounts.services import api_key_issue
    from minwon.open311.services import open311_demo_services_seed

    created = open311_demo_services_seed()
    key_file = settings.MINWON_DATA_DIR / "demo_api_key"
    raw = os.environ.get("MINWON_DEMO_API_KEY", "").strip()
    if not raw and key_file.exists():
        raw = key_file.read_text(encoding="utf-8").strip()
    if not raw or api_key_get_active(raw) is None:
        _, raw = api_key_issue(
            actor=None,
            name="Demo integrator",
            raw_key=raw or None,
            scopes=[
                ApiScope.OPEN311_POST,
                ApiScope.API_READ,
                ApiScope.API_WRITE,
                ApiScope.EXCHANGE,
                ApiScope.WEBHOOKS,
            ],
        )
    if not os.environ.get("MINWON_DEMO_API_KEY"):
        key_file.write_text(raw, encoding="utf-8")
        key_file.chmod(0o600)
    return [
        f"Open311 services: {created} new; endpoint /open311/v2/"
        " (discovery /open311/discovery.json)",
        f"Integrator API key (Open311 api_key, X-API-Key): {raw}",
    ]


def format_demo_summary(summary: DemoSummary, *, host: str, port: int) -> str:
    lines = [
        "",
        f"  Minwon is running at http://{host}:{port}/  (officers: http://{host}:{port}/office/)",
        f"  Demo password for every account: {DEMO_PASSWORD}",
        "  Officers (second factor: add the key to an authenticator app,"
        " or run `minwon otp USER`):",
    ]
    for username, name, unit, secret in summary.officers:
        lines.append(f"    {username:<11} {name} · {unit}  TOTP key {secret}")
    lines.append("  Citizens:")
    for username, name in summary.citizens:
        lines.append(f"    {username:<11} {name}")
    lines.extend(f"  {note}" for note in summary.notes)
    lines.append("")
    return "\n".join(lines)
