"""Issue 13 item 8: filing and staging have limits.

Filing from one client is limited on the portal and the API (translated; 429 with Retry-After);
staged files are bounded per visitor and in total (a clear error, the files already staged stay);
staged folders past their age are removed by the scheduled `portal.staging_sweep` job (moved in
time with the travelling clock)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from minwon.complaints.models import Complaint
from minwon.core.jobs import schedule_get
from minwon.portal.tests.test_filing import FORM
from tests.factories import TravellingClock
from tests.files import pdf

API = "/api/v1"
TIP = {
    "kind": "tip",
    "title": "불법 투기",
    "body": "야간 투기",
    "status_password": "quiet-lantern-7",
}
PASSWORDS = {"status_password": "quiet-lantern-7", "status_password_again": "quiet-lantern-7"}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def clock() -> Iterator[TravellingClock]:
    c = TravellingClock()
    yield c
    c.stop()


def tip(client: Client, language: str = "en", ip: str = "203.0.113.9") -> Any:
    return client.post(
        f"{API}/complaints/without-account",
        data=json.dumps(TIP),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
        REMOTE_ADDR=ip,
    )


def preview(client: Client, data: dict[str, Any], language: str = "en") -> tuple[int, str, str]:
    """Send the form for checking; return the status, the page and the staging token."""
    response = client.post(
        "/complaints/new/", {**data, "step": "preview"}, HTTP_ACCEPT_LANGUAGE=language
    )
    page = response.content.decode()
    marker = 'name="upload_token" value="'
    token = page.split(marker, 1)[1].split('"', 1)[0] if marker in page else ""
    return response.status_code, page, token


def free_filings() -> int:
    return int(django_settings.THROTTLES["filing"]["per_client"])  # type: ignore[arg-type]


@pytest.mark.django_db
def test_anonymous_tips_from_one_client_are_limited_on_the_api(clock: TravellingClock) -> None:
    clock.at(2026, 3, 9, 10, 0)
    client = Client()
    answers = [tip(client) for _ in range(40)]
    assert [a.status_code for a in answers].count(201) == free_filings()
    refused = answers[-1]
    assert refused.status_code == 429
    assert refused.json()["code"] == "complaint.filing_throttled"
    assert int(refused["Retry-After"]) > 0
    assert Complaint.objects.count() == free_filings()
    korean = tip(client, "ko")
    assert korean.status_code == 429 and "잠시" in korean.json()["message"]
    # Another client is not held up; this one may file again after the wait.
    assert tip(client, ip="203.0.113.10").status_code == 201
    clock.at(2026, 3, 9, 11, 30)
    assert tip(client).status_code == 201


@pytest.mark.django_db
def test_a_refused_filing_is_not_counted(clock: TravellingClock) -> None:
    clock.at(2026, 3, 9, 10, 0)
    client = Client()
    for _ in range(free_filings() + 5):
        bad = client.post(
            f"{API}/complaints/without-account",
            data=json.dumps(TIP | {"status_password": "12345678"}),
            content_type="application/json",
            REMOTE_ADDR="203.0.113.9",
        )
        assert bad.status_code == 400
    assert tip(client).status_code == 201


@pytest.mark.django_db
def test_filing_on_the_portal_is_limited_with_the_form_kept(clock: TravellingClock) -> None:
    clock.at(2026, 3, 9, 10, 0)
    client = Client(REMOTE_ADDR="203.0.113.20")
    data = FORM | PASSWORDS | {"step": "submit"}
    for _ in range(free_filings()):
        client.post("/complaints/new/", FORM | {"step": "preview"})
        assert client.post("/complaints/new/", data).status_code == 302
    refused = client.post("/complaints/new/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    page = refused.content.decode()
    assert "Many complaints have been sent from your connection" in page
    assert "금촌역 앞 가로등이 꺼져 있습니다." in page  # nothing typed is lost
    assert Complaint.objects.count() == free_filings()
    # Checking (and staging files) waits too.
    assert client.post("/complaints/new/", FORM | {"step": "preview"}).status_code == 429


@pytest.mark.django_db
def test_staged_bytes_are_bounded_per_visitor_and_the_staged_files_stay(
    settings: Any, media: Path
) -> None:
    document = pdf()
    settings.STAGING_MAX_BYTES_PER_VISITOR = len(document) * 2 + len(document) // 2
    client = Client()
    first = [SimpleUploadedFile("a.pdf", document), SimpleUploadedFile("b.pdf", document)]
    status, page, token = preview(client, FORM | {"attachments": first})
    assert status == 200 and token
    status, page, same = preview(
        client,
        FORM | {"upload_token": token, "attachments": [SimpleUploadedFile("c.pdf", document)]},
        language="en",
    )
    assert status == 400
    assert "the most kept for one visitor" in page
    assert "a.pdf" in page and "b.pdf" in page and "c.pdf" not in page.split("attachments-error")[0]
    assert same == token  # the files already staged stay, under the same token
    staged = media / "staging" / token
    assert sorted(p.name for p in staged.iterdir() if p.name.isdigit()) == ["00", "01"]
    # A second folder of the same visitor counts too (a fresh form in the same session).
    status, page, _ = preview(
        client, FORM | {"attachments": [SimpleUploadedFile("d.pdf", document)]}, language="en"
    )
    assert status == 400 and "the most kept for one visitor" in page


@pytest.mark.django_db
def test_staged_bytes_are_bounded_for_everyone(settings: Any, media: Path) -> None:
    document = pdf()
    settings.STAGING_MAX_BYTES_TOTAL = len(document) * 3 + len(document) // 2  # + manifests
    for _ in range(3):
        status, _, _ = preview(
            Client(), FORM | {"attachments": [SimpleUploadedFile("a.pdf", document)]}
        )
        assert status == 200
    status, page, _ = preview(
        Client(), FORM | {"attachments": [SimpleUploadedFile("a.pdf", document)]}, language="ko"
    )
    assert status == 400
    assert "잠시" in page or "나중에" in page
    assert len(list((media / "staging").iterdir())) == 3


@pytest.mark.django_db
def test_the_scheduled_sweep_removes_expired_staging(
    clock: TravellingClock, media: Path, settings: Any
) -> None:
    settings.STAGING_MAX_AGE_SECONDS = 3 * 60 * 60
    clock.at(2026, 3, 9, 10, 0)
    _, _, old = preview(Client(), FORM | {"attachments": [SimpleUploadedFile("a.pdf", pdf())]})
    clock.at(2026, 3, 9, 12, 30)
    _, _, recent = preview(Client(), FORM | {"attachments": [SimpleUploadedFile("b.pdf", pdf())]})
    job = schedule_get().import_jobs()["portal.staging_sweep"].function
    clock.at(2026, 3, 9, 12, 59)
    assert job() == 0
    clock.at(2026, 3, 9, 13, 1)
    assert job() == 1
    assert not (media / "staging" / old).exists()
    assert (media / "staging" / recent).exists()
    clock.at(2026, 3, 9, 15, 31)
    assert job() == 1
    assert list((media / "staging").iterdir()) == []


def test_the_sweep_is_on_the_schedule() -> None:
    entries = {e.task: e for e in django_settings.BACKGROUND_SCHEDULE.entries}
    assert "portal.staging_sweep" in entries
