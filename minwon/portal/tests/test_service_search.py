"""Service guidance that finds things (issue 11 item 7): the home search's own examples and the
everyday words people type find the catalogue entries; 민원 안내 lists every service by category
with the most asked-for first; an entry that needs a visit says so and offers no online form."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from minwon.accounts.services import org_chart_import_csv
from minwon.catalog.domain import SearchDoc, compact, rank_search, search_score
from minwon.catalog.services import catalog_seed_examples
from minwon.complaints.models import Complaint
from minwon.core import clock
from minwon.portal.selectors import service_browse, service_search

ORG_CSV = Path(__file__).resolve().parents[2] / "accounts" / "data" / "paju_org_units.csv"


@pytest.fixture
def catalogue(db: None) -> None:
    org_chart_import_csv(
        actor=None,
        path=ORG_CSV,
        city_code="paju",
        city_name_ko="파주시",
        city_name_en="Paju City",
        city_admin_code="4148000000",
    )
    report = catalog_seed_examples()
    assert report.ok, report.problems


def _codes(query: str) -> list[str]:
    return [t.code for t in service_search(query=query)]


EVERYDAY_QUERIES = [
    # the search box's own examples, as the hint words them
    ("도로 파임", "road-damage-report"),
    ("가로등", "streetlight-fault-report"),
    ("여권", "passport-issue"),
    ("소음", "noise-report"),
    # everyday words, spacing and endings as people type them
    ("등본", "resident-record-copy"),
    ("주민등록등본", "resident-record-copy"),
    ("도로파임", "road-damage-report"),
    ("도로가 파였어요", "road-damage-report"),
    ("포트홀", "road-damage-report"),
    ("불법주차", "illegal-parking-report"),
    ("쓰레기 무단투기", "illegal-dumping-report"),
    ("주민등록증 신규 발급", "resident-card-new"),
    # English
    ("passport", "passport-issue"),
    ("pothole", "road-damage-report"),
    ("street light", "streetlight-fault-report"),
]


def test_everyday_words_find_the_entry(catalogue: None) -> None:
    """One catalogue for every query (seeding it is the slow part); every miss is listed."""
    misses = {
        query: found[:3]
        for query, first in EVERYDAY_QUERIES
        if not (found := _codes(query)) or found[0] != first
    }
    assert misses == {}


def test_words_that_name_nothing_find_nothing(catalogue: None) -> None:
    assert _codes("우주선 발사") == []
    assert _codes("zzzz") == []


def test_a_popular_entry_comes_first_among_equals(catalogue: None) -> None:
    """Both columbarium reports match '납골당' equally; the one people file more comes first."""
    from minwon.catalog.selectors import complaint_type_get

    assert _codes("납골당")[:2] == ["columbarium-report-corporate", "columbarium-report-family"]
    family = complaint_type_get(code="columbarium-report-family")
    for n in range(3):
        Complaint.objects.create(
            title=f"봉안시설 {n}",
            body="봉안시설 설치신고",
            kind="statutory",
            channel="web",
            complaint_type=family,
            arrived_at=clock.now(),
        )
    assert _codes("납골당")[:2] == ["columbarium-report-family", "columbarium-report-corporate"]
    groups = dict(service_browse())
    assert groups["신고"][0].code == "columbarium-report-family"
    assert next(iter(dict(service_browse()))) == "신고"  # the most asked-for category first


def test_guidance_lists_every_service_by_category_before_any_search(
    catalogue: None, client: Client
) -> None:
    page = client.get("/services/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    for name in ["여권 발급", "주민등록표 등·초본 발급", "도로 파손 신고", "건축허가"]:
        assert name in page
    assert page.count('class="result-item"') == 31
    english = client.get("/services/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Everyday problems" in english.content.decode()


def test_a_visit_only_service_says_so_and_offers_no_online_form(
    catalogue: None, client: Client
) -> None:
    page = client.get("/services/", {"q": "주민등록증 신규 발급"}).content.decode()
    first = page.split('class="result-item"')[1].split("</li>")[0]
    assert "주민등록증 신규 발급" in first
    assert "type=resident-card-new" not in first  # no "apply online" for a visit-only service
    assert "entry-visit" in first
    passport = client.get("/services/", {"q": "여권"}).content.decode()
    item = passport.split('class="result-item"')[1].split("</li>")[0]
    assert "type=passport-issue" in item and "https://www.gov.kr/" in item


def test_a_topic_links_to_the_form_with_its_title(catalogue: None, client: Client) -> None:
    page = client.get("/services/", {"q": "가로등"}).content.decode()
    assert "/complaints/new/?title=" in page
    form = client.get("/complaints/new/", {"title": "가로등·보안등 고장 신고"}).content.decode()
    assert 'value="가로등·보안등 고장 신고"' in form


def test_ranking_rules_without_kiwi() -> None:
    docs = [
        SearchDoc(
            "a",
            frozenset({"도로", "파손"}),
            frozenset({"포트홀"}),
            (compact("도로 파손"), "포트홀"),
        ),
        SearchDoc("b", frozenset({"여권"}), frozenset(), ("여권발급",)),
    ]
    assert search_score(docs[0], ["포트홀"], "포트홀") > search_score(docs[0], ["도로"], "도로")
    assert search_score(docs[1], ["도로", "소음", "공사"], "도로소음공사") == 0
    assert rank_search(docs, ["여권"], "여권", {}) == ["b"]
    assert rank_search(docs, [], "", {}) == []
