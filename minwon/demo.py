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
    return [_seed_catalog, _seed_open311, _seed_complaints]


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


def _seed_complaints() -> list[str]:
    """A few complaints in different states, so the office queue and the citizen's list show the
    legal clock at work. Two are filed as if days ago (`clock.moved_to`), which places them near
    or past their deadline. Made once (marked with external_ref "demo:…")."""
    from datetime import timedelta

    from minwon.complaints.domain import IntakeChannel, Outcome
    from minwon.complaints.models import Complaint
    from minwon.complaints.services import (
        ApplicantInput,
        FilingInput,
        complaint_answer,
        complaint_assign,
        complaint_file,
        complaint_supplement_request,
    )
    from minwon.core import clock
    from minwon.lawclock.kinds import ComplaintKind

    if Complaint.objects.filter(external_ref__startswith="demo:").exists():
        return ["demo complaints: already there"]
    now = clock.now()
    citizen = User.objects.get(username="citizen")
    road = User.objects.get(username="road")
    road_unit = OrgUnit.objects.get(code="doro-gwalli-gwa")
    civil_unit = OrgUnit.objects.get(code="minwon-yeokwon-gwa")
    hong = ApplicantInput(
        name="홍길동",
        address="경기도 파주시 시청로 50",
        phone="010-1234-5678",
        email="citizen@minwon.example",
    )

    def file(
        ref: str,
        kind: ComplaintKind,
        title: str,
        body: str,
        channel: IntakeChannel,
        *,
        days_ago: float = 0,
        unit: OrgUnit | None = None,
        place: str = "",
        mine: bool = False,
        assignee: User | None = None,
    ) -> Complaint:
        with clock.moved_to(now - timedelta(days=days_ago)):
            complaint = complaint_file(
                data=FilingInput(
                    kind=kind,
                    title=title,
                    body=body,
                    channel=channel,
                    applicant=hong,
                    external_ref=f"demo:{ref}",
                    org_unit=unit,
                    location_text=place,
                ),
                citizen=citizen if mine else None,
            )
            if assignee is not None:
                complaint = complaint_assign(
                    complaint=complaint, actor=None, assignee=assignee, org_unit=unit
                )
        return complaint

    file(
        "web-1",
        ComplaintKind.SUGGESTION,
        "통학로에 횡단보도를 만들어 주세요",
        "운정3동 초등학교 앞 통학로에 횡단보도가 없어 아이들이 위험합니다.",
        IntakeChannel.WEB,
        place="경기도 파주시 미래로 350 앞",
        mine=True,
    )
    file(
        "post-1",
        ComplaintKind.INQUIRY_PROCEDURE,
        "도로 점용허가 절차 문의",
        "상가 앞 도로에 간판을 세우려면 어떤 절차가 필요한지 알려 주세요.",
        IntakeChannel.POST,
        days_ago=14,
        unit=road_unit,
        assignee=road,
    )
    file(
        "post-2",
        ComplaintKind.GRIEVANCE,
        "가로등이 계속 꺼져 있습니다",
        "금촌2동 쇠재로 주변 가로등 세 개가 2주째 꺼져 있어 밤길이 어둡습니다.",
        IntakeChannel.POST,
        days_ago=7,
        unit=road_unit,
        place="경기도 파주시 쇠재로 115 주변",
        mine=True,
        assignee=road,
    )
    pothole = file(
        "counter-1",
        ComplaintKind.GRIEVANCE,
        "도로 파임으로 타이어가 손상되었습니다",
        "시청로 50 앞 도로가 크게 파여 차량 타이어가 찢어졌습니다. 보상 절차도 알려 주세요.",
        IntakeChannel.COUNTER,
        unit=road_unit,
        place="경기도 파주시 시청로 50 앞",
        mine=True,
        assignee=road,
    )
    complaint_supplement_request(
        complaint=Complaint.objects.get(pk=pothole.pk),
        actor=road,
        items=["파손된 타이어 사진", "수리비 영수증"],
        days=7,
    )
    answered = file(
        "counter-2",
        ComplaintKind.SUGGESTION,
        "민원실 대기 의자를 늘려 주세요",
        "오전에 민원실 대기 의자가 모자라 어르신들이 서서 기다리십니다.",
        IntakeChannel.COUNTER,
        unit=civil_unit,
        mine=True,
    )
    supervisor = User.objects.get(username="supervisor")
    complaint_assign(complaint=answered, actor=None, assignee=supervisor, org_unit=civil_unit)
    answered = Complaint.objects.get(pk=answered.pk)
    complaint_answer(
        complaint=answered,
        actor=supervisor,
        outcome=Outcome.GRANTED,
        answer="다음 주까지 대기 의자 10개를 더 놓겠습니다. 좋은 의견 감사합니다.",
    )
    return [
        "demo complaints: 5 (one waiting for registration, one overdue, one near its "
        "deadline, one waiting for a supplement, one answered)"
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
    lines.append(
        f"  A new citizen signs up at http://{host}:{port}/signup/; the codes, like every text"
        f" message, KakaoTalk notice and e-mail the demo sends, appear at"
        f" http://{host}:{port}/demo/messages/"
    )
    lines.extend(f"  {note}" for note in summary.notes)
    lines.append("")
    return "\n".join(lines)
