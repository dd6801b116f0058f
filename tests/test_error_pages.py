"""Every error page is the site's own, translated, with a way back (issue 11 item 10), run as in
production: DEBUG off, exceptions turned into responses (not raised into the test)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory, override_settings
from django.utils import translation

from config.handlers import bad_request, permission_denied
from minwon.accounts.models import OrgUnit, User
from minwon.complaints.models import Complaint
from minwon.lawclock.kinds import ComplaintKind
from minwon.portal import selectors as portal_selectors
from tests.factories import complaint_filed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("production_like")]


@pytest.fixture
def production_like() -> Iterator[None]:
    with override_settings(DEBUG=False):
        yield


def _client(lang: str, **kwargs: object) -> Client:
    client = Client(raise_request_exception=False, **kwargs)  # type: ignore[arg-type]
    client.cookies["django_language"] = lang
    return client


WORDS = {
    404: {"ko": "페이지를 찾을 수 없습니다", "en": "We cannot find this page"},
    403: {"ko": "양식을 보낼 수 없었습니다", "en": "The form could not be sent"},
    500: {"ko": "서비스에 문제가 생겼습니다", "en": "Something went wrong on our side"},
}


def _styled(page: str) -> None:
    assert "minwon/minwon.css" in page and 'id="main-content"' in page
    assert 'href="/"' in page  # a way back


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_not_found_is_the_sites_page(lang: str) -> None:
    response = _client(lang).get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    _styled(page)
    assert WORDS[404][lang] in page
    assert f'<html lang="{lang}"' in page
    assert 'id="krds-header"' in page and 'id="krds-footer"' in page


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_csrf_failure_is_the_sites_page(lang: str) -> None:
    client = _client(lang, enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 403
    page = response.content.decode()
    _styled(page)
    assert WORDS[403][lang] in page


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_server_error_is_the_sites_page(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(portal_selectors, "complaint_type_list", broken)
    response = _client(lang).get("/services/", {"q": "여권"})
    assert response.status_code == 500
    page = response.content.decode()
    _styled(page)
    assert WORDS[500][lang] in page
    assert "RuntimeError" not in page


def test_a_forbidden_page_and_a_bad_request_are_the_sites_pages(rf: RequestFactory) -> None:
    request = rf.get("/somewhere/")
    request.user = AnonymousUser()
    for handler, status, words in (
        (permission_denied, 403, "이 페이지를 열 수 없습니다"),
        (bad_request, 400, "요청을 이해하지 못했습니다"),
    ):
        with translation.override("ko"):
            response = handler(request, PermissionDenied())
        assert response.status_code == status
        page = response.content.decode()
        _styled(page)
        assert words in page


def test_an_officer_who_passes_a_complaint_away_lands_on_the_queue(
    officer_client: Callable[[User], Client],
    road_officer: User,
    road_unit: OrgUnit,
    civil_unit: OrgUnit,
) -> None:
    complaint = complaint_filed(ComplaintKind.GRIEVANCE, org_unit=road_unit, title="가로등 고장")
    client = officer_client(road_officer)
    response = client.post(
        f"/office/complaints/{complaint.pk}/transfer/",
        {"transfer-to_org_unit": civil_unit.code, "transfer-reason": "민원여권과 소관"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/office/"
    page = client.get("/office/").content.decode()
    assert "가로등 고장" in page and "업무 목록에서 빠졌습니다" in page
    assert Complaint.objects.get(pk=complaint.pk).org_unit_id == civil_unit.pk
