"""The incident register (issue 16): recording with evidence, append-only entries (model, queryset
and database), corrections as new entries, measures of 영 제4조, access, and the office pages."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from minwon.accounts.domain import Role
from minwon.accounts.models import OrgUnit, User
from minwon.core import clock
from minwon.core.errors import Conflict, ValidationFailed
from minwon.core.models import AppendOnlyError, AuditEvent
from minwon.protection.access import access_incident_for_officer, incidents_visible_to
from minwon.protection.models import Incident, IncidentEvidence, IncidentMeasure
from minwon.protection.selectors import incident_view
from minwon.protection.services import (
    EvidenceInput,
    incident_correct,
    incident_evidence_add,
    incident_measure_correct,
    incident_measure_record,
    incident_record,
)

SAID = "담당자 너 집 주소 안다, 밤길 조심해라"


def _png_with_gps() -> bytes:
    image = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif[0x8825] = {2: (37.0, 45.0, 0.0)}  # GPSInfo: latitude
    out = io.BytesIO()
    image.save(out, "PNG", exif=exif)
    return out.getvalue()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def _stored_files(media: Path) -> list[Path]:
    root = media / "protection"
    return sorted(root.iterdir()) if root.exists() else []


def _record(officer: User, **overrides: Any) -> Incident:
    values: dict[str, Any] = {
        "actor": officer,
        "kind": "threat",
        "channel": "phone",
        "occurred_at": clock.now() - dt.timedelta(minutes=30),
        "description": SAID,
        "complainant": "50대 남성, 010-1234-5678",
        "complaint_reference": "2026-000123",
    }
    values.update(overrides)
    return incident_record(**values)


def test_an_officer_records_an_incident_with_evidence(road_officer: User, media: Path) -> None:
    incident = _record(road_officer, files=[EvidenceInput("통화 캡처.png", _png_with_gps())])

    stored = Incident.objects.get(pk=incident.pk)
    assert stored.root_id is None and stored.officer == road_officer
    assert stored.org_unit_id == road_officer.org_unit_id
    assert stored.description == SAID and stored.complainant.startswith("50대")
    # what was said and who said it are encrypted at rest
    raw = Incident.objects.filter(pk=incident.pk).values_list(
        "description_encrypted", "complainant_encrypted"
    )[0]
    assert "밤길" not in raw[0] and "010" not in raw[1]
    evidence = IncidentEvidence.objects.get(incident=incident)
    assert evidence.content_type == "image/png" and evidence.original_name == "통화 캡처.png"
    data = (media / "protection" / evidence.storage_name).read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif().get(0x8825), "the location data must be gone"
    audit = AuditEvent.objects.get(action="protection.incident_recorded")
    assert audit.target_id == str(incident.pk) and audit.data["kind"] == "threat"
    assert audit.data["evidence"] == [evidence.pk]
    assert "밤길" not in str(audit.data)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"description": "   "}, "protection.description_required"),
        ({"description": "가" * 10_001}, "protection.description_too_long"),
        ({"kind": "rudeness"}, "protection.kind"),
        ({"channel": "pigeon"}, "protection.channel"),
        (
            {"occurred_at": dt.datetime(2999, 1, 1, tzinfo=dt.UTC)},
            "protection.occurred_in_future",
        ),
        ({"files": [EvidenceInput("a.exe", b"MZ\x90\x00" + b"\x00" * 60)]}, None),
        ({"files": [EvidenceInput("a.png", b"")]}, "protection.evidence_empty"),
        (
            {"files": [EvidenceInput("x.png", _png_with_gps()) for _ in range(11)]},
            "protection.evidence_limit",
        ),
    ],
    ids=["blank", "too-long", "kind", "channel", "future", "program", "empty-file", "too-many"],
)
def test_bad_input_is_refused_and_stores_nothing(
    road_officer: User, media: Path, overrides: dict[str, Any], code: str | None
) -> None:
    # a good file before the bad one: nothing at all is kept
    if "files" in overrides and code != "protection.evidence_limit":
        overrides["files"] = [EvidenceInput("ok.png", _png_with_gps()), *overrides["files"]]
    with pytest.raises(ValidationFailed) as caught:
        _record(road_officer, **overrides)
    assert caught.value.code == (code or "protection.evidence_executable")
    with translation.override("ko"):
        assert str(caught.value.message)  # a translated message, never empty
    assert not Incident.objects.exists() and not IncidentEvidence.objects.exists()
    assert _stored_files(media) == []
    assert not AuditEvent.objects.filter(action__startswith="protection.").exists()


def test_entries_cannot_be_changed_or_removed(road_officer: User) -> None:
    incident = _record(road_officer)
    measure = incident_measure_record(
        actor=road_officer, incident=incident, measure="recording", taken_at=clock.now()
    )
    incident.location = "민원실"
    with pytest.raises(AppendOnlyError):
        incident.save()
    with pytest.raises(AppendOnlyError):
        incident.delete()
    with pytest.raises(AppendOnlyError):
        Incident.objects.filter(pk=incident.pk).update(kind="other")
    with pytest.raises(AppendOnlyError):
        IncidentMeasure.objects.filter(pk=measure.pk).delete()
    with pytest.raises(AppendOnlyError):
        measure.save()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "table", ["protection_incident", "protection_incidentmeasure", "protection_incidentevidence"]
)
def test_the_database_refuses_raw_updates_and_deletes(
    city: OrgUnit, make_officer: Callable[..., User], table: str
) -> None:
    officer = make_officer("victim", city)
    incident = _record(officer, files=[EvidenceInput("a.png", _png_with_gps())])
    incident_measure_record(
        actor=officer, incident=incident, measure="separation", taken_at=clock.now()
    )
    statements = [f"UPDATE {table} SET updated_at = created_at"]
    if connection.vendor == "postgresql":  # SQLite's test database keeps DELETE for its flush
        statements.append(f"DELETE FROM {table}")
    for sql in statements:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        assert cursor.fetchone()[0] == 1


def test_a_correction_is_a_new_entry_and_the_first_stays(road_officer: User) -> None:
    incident = _record(road_officer)
    later = clock.now() - dt.timedelta(minutes=10)
    with pytest.raises(ValidationFailed) as caught:
        incident_correct(
            actor=road_officer,
            incident=incident,
            reason=" ",
            kind="verbal_abuse",
            channel="visit",
            occurred_at=later,
            description="고친 내용",
        )
    assert caught.value.code == "protection.reason_required"
    entry = incident_correct(
        actor=road_officer,
        incident=incident,
        reason="방문 민원이었음",
        kind="verbal_abuse",
        channel="visit",
        occurred_at=later,
        description=SAID + " (방문)",
        complainant="50대 남성, 010-1234-5678",
        complaint_reference="2026-000123",
    )
    assert entry.pk != incident.pk and entry.root_id == incident.pk
    first = Incident.objects.get(pk=incident.pk)
    assert first.channel == "phone" and first.description == SAID
    view = incident_view(first)
    assert view.current.pk == entry.pk and view.current.channel == "visit"
    assert [r.pk for r in view.revisions] == [incident.pk, entry.pk]
    audit = AuditEvent.objects.get(action="protection.incident_corrected")
    assert set(audit.data["changed"]) == {"kind", "channel", "occurred_at", "description"}
    assert "밤길" not in str(audit.data) and "010" not in str(audit.data)
    assert audit.data["entry"] == entry.pk


def test_measures_are_recorded_and_corrected_by_new_entries(
    road_officer: User, make_officer: Callable[..., User], road_unit: OrgUnit
) -> None:
    incident = _record(road_officer)
    head = make_officer("head", road_unit, Role.DEPARTMENT_HEAD)
    bell = incident_measure_record(
        actor=road_officer,
        incident=incident,
        measure="panic_bell",
        taken_at=incident.occurred_at + dt.timedelta(minutes=1),
    )
    guard = incident_measure_record(
        actor=head,
        incident=incident,
        measure="security_guard",
        taken_at=incident.occurred_at + dt.timedelta(minutes=3),
        performed_by="청원경찰 김OO",
        detail="민원인 퇴거 조치",
    )
    with pytest.raises(ValidationFailed) as caught:
        incident_measure_record(
            actor=head,
            incident=incident,
            measure="care_support",
            taken_at=incident.occurred_at - dt.timedelta(hours=1),
        )
    assert caught.value.code == "protection.taken_before_incident"
    with pytest.raises(ValidationFailed):
        incident_measure_record(
            actor=head, incident=incident, measure="pay_rise", taken_at=clock.now()
        )
    withdrawn = incident_measure_correct(
        actor=head, incident=incident, entry_id=bell.pk, withdrawn=True, detail="잘못 입력"
    )
    with pytest.raises(Conflict):  # only the newest entry of a measure is corrected
        incident_measure_correct(
            actor=head, incident=incident, entry_id=bell.pk, withdrawn=True, detail="again"
        )
    lines = incident_view(incident).measures
    assert [(line.entry.pk, line.entry.withdrawn) for line in lines] == [
        (withdrawn.pk, True),
        (guard.pk, False),
    ]
    assert [m.pk for m in lines[0].history] == [bell.pk, withdrawn.pk]
    assert IncidentMeasure.objects.get(pk=bell.pk).withdrawn is False  # the first entry stays
    assert list(
        AuditEvent.objects.filter(action__startswith="protection.measure").values_list(
            "action", flat=True
        )
    ) == [
        "protection.measure_recorded",
        "protection.measure_recorded",
        "protection.measure_withdrawn",
    ]


def test_who_may_read_an_incident(
    road_officer: User,
    road_unit: OrgUnit,
    civil_unit: OrgUnit,
    supervisor: User,
    make_officer: Callable[..., User],
) -> None:
    incident = _record(road_officer)
    colleague = make_officer("colleague", road_unit)
    head = make_officer("head", road_unit.parent, Role.DEPARTMENT_HEAD)
    other_head = make_officer("otherhead", civil_unit, Role.DEPARTMENT_HEAD)
    for reader in (road_officer, head, supervisor):
        assert access_incident_for_officer(officer=reader, incident_id=incident.pk) == incident
    for outsider in (colleague, other_head):
        assert not incidents_visible_to(outsider).exists()
    # a correction entry's id is not an incident of its own
    entry = incident_correct(
        actor=road_officer,
        incident=incident,
        reason="x",
        kind="threat",
        channel="phone",
        occurred_at=incident.occurred_at,
        description=SAID,
    )
    assert not incidents_visible_to(supervisor).filter(pk=entry.pk).exists()


def test_evidence_added_later_is_checked_and_counted(road_officer: User, media: Path) -> None:
    incident = _record(road_officer, files=[EvidenceInput("a.png", _png_with_gps())] * 9)
    with pytest.raises(ValidationFailed) as caught:
        incident_evidence_add(
            actor=road_officer,
            incident=incident,
            files=[EvidenceInput("b.png", _png_with_gps())] * 2,
        )
    assert caught.value.code == "protection.evidence_limit"
    assert len(_stored_files(media)) == 9
    incident_evidence_add(
        actor=road_officer, incident=incident, files=[EvidenceInput("c.png", _png_with_gps())]
    )
    assert incident.evidence.count() == 10


# --- the office pages ---------------------------------------------------------------------------


def test_the_pages_record_show_correct_and_download(
    road_officer: User,
    road_unit: OrgUnit,
    make_officer: Callable[..., User],
    officer_client: Callable[[User], Client],
) -> None:
    desk = officer_client(road_officer)
    assert desk.get(reverse("office:protection-incident-new")).status_code == 200

    refused = desk.post(
        reverse("office:protection-incident-new"),
        {"kind": "threat", "channel": "phone", "occurred_at": "2026-12-04T10:00"},
    )
    assert refused.status_code == 400 and not Incident.objects.exists()

    when = clock.now().astimezone(clock.SEOUL) - dt.timedelta(hours=1)
    upload = io.BytesIO(_png_with_gps())
    upload.name = "capture.png"
    sent = desk.post(
        reverse("office:protection-incident-new"),
        {
            "kind": "threat",
            "channel": "phone",
            "occurred_at": when.strftime("%Y-%m-%dT%H:%M"),
            "description": SAID,
            "evidence_files": [upload],
        },
    )
    incident = Incident.objects.get()
    assert sent.status_code == 302 and sent["Location"] == reverse(
        "office:protection-incident", args=[incident.pk]
    )
    shown = desk.get(sent["Location"])
    assert shown.status_code == 200 and SAID in shown.content.decode()
    assert AuditEvent.objects.filter(action="protection.incident_viewed").count() == 1

    measured = desk.post(
        reverse("office:protection-incident-measure", args=[incident.pk]),
        {"m-measure": "recording", "m-taken_at": when.strftime("%Y-%m-%dT%H:%M")},
    )
    assert measured.status_code == 302 and incident.measures.count() == 1

    corrected = desk.post(
        reverse("office:protection-incident-correct", args=[incident.pk]),
        {
            "reason": "시각 정정",
            "kind": "threat",
            "channel": "phone",
            "occurred_at": (when - dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
            "description": SAID,
        },
    )
    assert corrected.status_code == 302 and Incident.objects.count() == 2

    evidence = IncidentEvidence.objects.get()
    file = desk.get(reverse("office:protection-evidence-file", args=[incident.pk, evidence.pk]))
    assert file.status_code == 200 and file["Content-Type"] == "image/png"
    assert "attachment" in file["Content-Disposition"]
    assert AuditEvent.objects.filter(action="protection.evidence_downloaded").count() == 1

    colleague = officer_client(make_officer("colleague", road_unit))
    for name, args in [
        ("office:protection-incident", [incident.pk]),
        ("office:protection-evidence-file", [incident.pk, evidence.pk]),
        ("office:protection-incident-correct", [incident.pk]),
    ]:
        assert colleague.get(reverse(name, args=args)).status_code == 404
    listing = colleague.get(reverse("office:protection-incidents")).content.decode()
    assert f'href="/office/protection/incidents/{incident.pk}/"' not in listing
    mine = desk.get(reverse("office:protection-incidents")).content.decode()
    assert f'href="/office/protection/incidents/{incident.pk}/"' in mine


def test_the_pages_speak_korean_and_english(
    road_officer: User, officer_client: Callable[[User], Client]
) -> None:
    desk = officer_client(road_officer)
    desk.cookies["django_language"] = "ko"
    korean = desk.get(reverse("office:protection-incident-new")).content.decode()
    assert "특이민원 기록" in korean and "발언·행위 내용" in korean and "폭언·욕설" in korean
    assert "What happened" not in korean
    desk.cookies["django_language"] = "en"
    english = desk.get(reverse("office:protection-incident-new")).content.decode()
    assert "What happened" in english and "Verbal abuse or swearing" in english
    assert "폭언" not in english
