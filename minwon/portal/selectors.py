"""Reads for the citizen screens, built on the catalogue's selectors (the filing choices both
interfaces show are `minwon.web.choices`)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet

from minwon.catalog.models import ComplaintType
from minwon.catalog.selectors import complaint_type_list

SEARCH_LIMIT = 30


def service_search(*, query: str) -> QuerySet[ComplaintType]:
    """Active catalogue entries whose name (Korean or English) or category contains the words."""
    qs = complaint_type_list().filter(current_version__isnull=False)
    for word in query.split()[:5]:
        qs = qs.filter(
            Q(current_version__name_ko__icontains=word)
            | Q(current_version__name_en__icontains=word)
            | Q(current_version__category__icontains=word)
        )
    return qs[:SEARCH_LIMIT]


def map_tile_url() -> str:
    """The map tile URL template (MAP_TILE_URL); empty means no map is shown (address only)."""
    return str(getattr(settings, "MAP_TILE_URL", "") or "")
