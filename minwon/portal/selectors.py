"""Reads for the citizen screens, built on the catalogue's selectors (the filing choices both
interfaces show are `minwon.web.choices`)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count

from minwon.catalog.domain import SearchDoc, compact, rank_search
from minwon.catalog.models import ComplaintType
from minwon.catalog.selectors import complaint_type_list
from minwon.complaints.models import Complaint
from minwon.core import clock
from minwon.routing.text import morphemes

SEARCH_LIMIT = 30
# Before anyone has filed, the guide starts with what most visitors look for.
CATEGORY_ORDER = ["생활불편", "발급", "증명", "신고", "인허가", "등록"]


@dataclass(frozen=True)
class _Index:
    stamp: tuple[int, int]
    docs: list[SearchDoc]


_index: _Index | None = None
_index_lock = threading.Lock()


def _search_index(types: list[ComplaintType]) -> list[SearchDoc]:
    """Morphemes of every active entry, computed once per catalogue state (an edit makes a new
    version, so the newest version id and the count tell when to rebuild)."""
    global _index
    stamp = (len(types), max((t.current_version_id or 0 for t in types), default=0))
    with _index_lock:
        if _index is not None and _index.stamp == stamp:
            return _index.docs
        docs = []
        for t in types:
            version = t.current_version
            assert version is not None
            names = [version.name_ko, version.name_en, version.category]
            docs.append(
                SearchDoc(
                    key=t.code,
                    name_terms=frozenset(morphemes(" ".join(names))),
                    alias_terms=frozenset(morphemes(" ".join(version.aliases))),
                    phrases=tuple(p for p in map(compact, [*names[:2], *version.aliases]) if p),
                )
            )
        _index = _Index(stamp, docs)
        return docs


def service_popularity(*, days: int = 365) -> dict[str, int]:
    """How many complaints each catalogue entry had in the last `days` days (its code → count)."""
    since = clock.now() - timedelta(days=days)
    rows = (
        Complaint.objects.filter(created_at__gte=since, complaint_type__isnull=False)
        .values_list("complaint_type__code")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def _active_types() -> list[ComplaintType]:
    return list(
        complaint_type_list()
        .filter(current_version__isnull=False)
        .select_related("current_version__handling_org_unit")
    )


def service_search(*, query: str) -> list[ComplaintType]:
    """Active catalogue entries the words find, best first: Korean morphemes (kiwipiepy) of the
    names, the category and the everyday search words (등본, 포트홀), so spacing and endings do
    not matter ('도로파임', '도로가 파였어요'); English names too."""
    types = _active_types()
    docs = _search_index(types)
    text = query.strip()[:100]
    order = rank_search(docs, morphemes(text), compact(text), service_popularity())
    by_code = {t.code: t for t in types}
    return [by_code[code] for code in order[:SEARCH_LIMIT]]


def service_browse() -> list[tuple[str, list[ComplaintType]]]:
    """Every active entry by category, the most asked-for first in each; the categories with
    the most complaints first, then by name."""
    popularity = service_popularity()
    groups: dict[str, list[ComplaintType]] = {}
    for t in _active_types():
        assert t.current_version is not None
        groups.setdefault(t.current_version.category or "", []).append(t)
    for items in groups.values():
        items.sort(key=lambda t: (-popularity.get(t.code, 0), t.current_version.name_ko))  # type: ignore[union-attr]

    def order(group: tuple[str, list[ComplaintType]]) -> tuple[int, int, str]:
        asked = sum(popularity.get(t.code, 0) for t in group[1])
        usual = CATEGORY_ORDER.index(group[0]) if group[0] in CATEGORY_ORDER else 99
        return (-asked, usual, group[0])

    return sorted(groups.items(), key=order)


def map_tile_url() -> str:
    """The map tile URL template (MAP_TILE_URL); empty means no map is shown (address only)."""
    return str(getattr(settings, "MAP_TILE_URL", "") or "")
