"""Intake and the lifecycle hand routing what happened (issue 15), after the fact: a filing asks
for its reading after the commit, the routing job stores the suggestions, a transfer after a
suggestion is a miss, an answer is the training label; a routing failure never fails intake."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from minwon.accounts.models import OrgUnit, User
from minwon.accounts.services import org_unit_duties_update
from minwon.complaints import services as s
from minwon.complaints.domain import IntakeChannel, Outcome, TransferKind
from minwon.complaints.models import Complaint
from minwon.complaints.services import routing as bridge
from minwon.core import jobs
from minwon.lawclock.kinds import ComplaintKind
from minwon.routing import services as routing
from minwon.routing.models import Case

pytestmark = pytest.mark.django_db
File = Callable[..., Complaint]

PARKING = "아파트 정문 앞 불법 주정차 차량 때문에 통행이 어렵습니다. 주차 단속을 해 주세요."
ROAD = "우리 동네 도로 포장이 깨져서 차가 다니기 위험합니다. 도로 보수를 부탁드립니다."


@pytest.fixture(autouse=True)
def model_dir(settings, tmp_path: Path) -> Path:
    settings.ROUTING_MODEL_DIR = str(tmp_path / "models")
    routing.duplicate_index_reset()
    return tmp_path / "models"


@pytest.fixture
def duties(civil_unit: OrgUnit, road_unit: OrgUnit, supervisor: User) -> None:
    org_unit_duties_update(
        actor=supervisor, unit=civil_unit, duties="불법 주정차 단속; 주차 질서; 공영주차장"
    )
    org_unit_duties_update(
        actor=supervisor, unit=road_unit, duties="도로 보수; 도로 포장; 보도 정비; 도로 파손"
    )


def test_a_filing_is_read_after_its_commit_with_top3_suggestions(
    file: File,
    counter_officer: User,
    civil_unit: OrgUnit,
    duties: None,
    settings,
    django_capture_on_commit_callbacks,
) -> None:
    settings.BACKGROUND_RUNNER = "thread"
    jobs.work_available.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        c = file(
            ComplaintKind.GRIEVANCE,
            filed_by=counter_officer,
            org_unit=civil_unit,
            title="주차 단속 요청",
            body=PARKING,
        )
        assert not Case.objects.exists()  # nothing read inside intake's transaction
    assert bridge.routing_wake in callbacks
    assert jobs.work_available.is_set()  # the in-process runner was told at once
    assert s.complaint_routing_sweep() == 1  # the arrival (접수 is not routing's business)
    case = Case.objects.get(complaint_id=c.pk)
    tops = list(case.suggestions.filter(target="department").order_by("rank"))
    assert [t.rank for t in tops] == [1, 2, 3][: len(tops)] and len(tops) >= 2
    assert tops[0].label == "civil" and tops[0].words
    assert case.complainant_key and "홍" not in case.complainant_key
    assert s.complaint_routing_sweep() == 0  # the cursor moved: nothing is read twice


def test_the_counter_and_web_and_import_channels_are_all_read(
    file: File, counter_officer: User, citizen: User, duties: None
) -> None:
    a = file(ComplaintKind.GRIEVANCE, filed_by=counter_officer, body=ROAD)
    b = file(
        ComplaintKind.GRIEVANCE,
        channel=IntakeChannel.WEB,
        citizen=citizen,
        body=PARKING,
        status_password="password-123",
    )
    s.complaint_routing_sweep()
    assert set(Case.objects.values_list("complaint_id", flat=True)) == {a.pk, b.pk}


def test_a_transfer_after_a_suggestion_is_a_miss_and_the_answer_is_the_label(
    file: File, counter_officer: User, civil_unit: OrgUnit, road_unit: OrgUnit, duties: None
) -> None:
    c = file(ComplaintKind.GRIEVANCE, filed_by=counter_officer, org_unit=civil_unit, body=ROAD)
    s.complaint_routing_sweep()
    c = s.complaint_transfer(
        complaint=c,
        actor=counter_officer,
        kind=TransferKind.WITHIN_UNIT,
        to_org_unit=road_unit,
        reason="소관 부서",
    )
    s.complaint_answer(
        complaint=c, actor=counter_officer, outcome=Outcome.GRANTED, answer="보수했습니다."
    )
    s.complaint_routing_sweep()
    case = Case.objects.get(complaint_id=c.pk)
    assert case.transferred_after_suggestion is True
    assert (case.final_department, case.final_kind) == ("road", "grievance")


def test_a_routing_failure_never_fails_intake_and_does_not_stop_the_next(
    file: File,
    counter_officer: User,
    duties: None,
    monkeypatch,
    caplog,
    django_capture_on_commit_callbacks,
) -> None:
    real = routing.case_read
    broken: list[int] = []

    def case_read(**kwargs):
        if not broken:
            broken.append(kwargs["complaint_id"])
            raise RuntimeError("model file unreadable")
        return real(**kwargs)

    monkeypatch.setattr(routing, "case_read", case_read)
    with django_capture_on_commit_callbacks(execute=True):
        first = file(ComplaintKind.GRIEVANCE, filed_by=counter_officer, body=PARKING)
    assert Complaint.objects.filter(pk=first.pk).exists()  # filed, whatever routing does
    second = file(ComplaintKind.GRIEVANCE, filed_by=counter_officer, body=ROAD)
    s.complaint_routing_sweep()
    assert broken == [first.pk]
    assert "was not read" in caplog.text
    assert list(Case.objects.values_list("complaint_id", flat=True)) == [second.pk]


def test_the_routing_job_is_on_the_one_schedule_and_woken() -> None:
    from django.conf import settings

    entry = next(e for e in settings.BACKGROUND_SCHEDULE.entries if e.task == bridge.ROUTING_TASK)
    assert entry.on_wake is True


def test_a_burst_of_filings_asks_celery_for_one_reading(settings, monkeypatch) -> None:
    """A message per filing flooded the one queue (issue 14, load with faults): 700 filings put
    700 routing sweeps ahead of the notices' jobs. One message per ROUTING_WAKE_SECONDS."""
    from django.core.cache import cache

    settings.BACKGROUND_RUNNER = "celery"
    sent: list[str] = []
    monkeypatch.setattr(jobs, "send", lambda name, **kwargs: sent.append(name))
    cache.delete(bridge.ROUTING_WAKE_CACHE_KEY)
    for _ in range(5):
        bridge.routing_wake()
    assert sent == [bridge.ROUTING_TASK]
    cache.delete(bridge.ROUTING_WAKE_CACHE_KEY)  # ROUTING_WAKE_SECONDS have passed
    bridge.routing_wake()
    assert sent == [bridge.ROUTING_TASK, bridge.ROUTING_TASK]


def test_one_routing_read_runs_at_a_time(
    file: File, counter_officer: User, civil_unit: OrgUnit, duties: None
) -> None:
    """Two worker processes each took a routing read and read the same rows side by side while
    the notices waited behind them (issue 14, load with faults). A second run leaves at once."""
    from django.core.cache import cache

    from minwon.complaints.jobs import complaint_routing_read_job

    file(
        ComplaintKind.GRIEVANCE,
        filed_by=counter_officer,
        org_unit=civil_unit,
        title="주차 단속 요청",
        body=PARKING,
    )
    cache.set(bridge.ROUTING_RUN_CACHE_KEY, "another worker", timeout=60)
    try:
        assert complaint_routing_read_job() == 0  # another run is reading: this one leaves
        assert not Case.objects.exists()
    finally:
        cache.delete(bridge.ROUTING_RUN_CACHE_KEY)
    assert complaint_routing_read_job() == 1
    assert Case.objects.count() == 1
    assert cache.get(bridge.ROUTING_RUN_CACHE_KEY) is None  # the mark is released
