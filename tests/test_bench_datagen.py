"""bench/datagen.py (issue 22) writes rows the product reads as its own: a small run on the test
database (SQLite and PostgreSQL), checked through the product's selectors and the legal clock."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from minwon.catalog.models import ComplaintType
from minwon.catalog.selectors import working_calendar_get
from minwon.complaints.models import Applicant, Attachment, Complaint, ComplaintEvent
from minwon.complaints.selectors import applicant_masked
from minwon.lawclock.due import compute_due_at
from minwon.notifications.models import Delivery, Notification

pytestmark = pytest.mark.django_db(transaction=True)


def _datagen() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "bench" / "datagen.py"
    spec = importlib.util.spec_from_file_location("datagen", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_small_run_writes_complete_consistent_complaints_and_appends() -> None:
    datagen = _datagen()
    written = datagen.generate(120, years=2, seed=7, types=40, people=10)
    assert written["complaints_complaint"] == Complaint.objects.count() == 120
    assert ComplaintType.objects.count() >= 40
    assert Applicant.objects.count() == 120
    assert written["complaints_complaintevent"] == ComplaintEvent.objects.count()
    assert Notification.objects.count() == Delivery.objects.count() > 120  # receipt + result
    assert Attachment.objects.count() == written["complaints_attachment"]
    calendar = working_calendar_get()
    for complaint in Complaint.objects.select_related("type_version")[:40]:
        assert complaint.receipt_number and complaint.follow_number
        assert complaint.registered_at is not None and complaint.due_at is not None
        assert complaint.arrived_at <= complaint.registered_at <= complaint.due_at
        # the stored deadline is the legal clock's, for the registration hour it was cached by
        hour = complaint.registered_at.replace(minute=0, second=0)
        assert complaint.due_at == compute_due_at(
            registered_at=hour, period=complaint.period, calendar=calendar
        )
        if complaint.kind == "statutory":
            assert complaint.type_version is not None
            assert complaint.period == complaint.type_version.processing_period
        actions = list(
            ComplaintEvent.objects.filter(complaint=complaint)
            .order_by("pk")
            .values_list("action", flat=True)
        )
        assert actions[:2] == ["arrive", "register"]
        assert ("answer" in actions) == (complaint.status == "answered")
        masked = applicant_masked(complaint)  # decrypts with the configured keys
        assert masked is not None and masked.name
    # A second run appends: new ids, new follow-up numbers, nothing overwritten.
    datagen.generate(30, years=2, seed=7, types=40, people=10)
    assert Complaint.objects.count() == 150
    assert Complaint.objects.values("follow_number").distinct().count() == 150
    # The sequences moved past the loaded ids: the product's own insert still works.
    first = Complaint.objects.order_by("pk").first()
    assert first is not None
    ComplaintEvent.objects.create(
        complaint=first,
        occurred_at=first.arrived_at,
        action="rate",
        to_status="answered",
    )
