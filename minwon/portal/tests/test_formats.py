"""Times as Koreans write them (issue 11 item 11): "오후 3:01" and "2026. 12. 3.(목) 14:58"."""

from __future__ import annotations

from datetime import datetime

from django.utils import formats, translation

from minwon.core.clock import SEOUL


def test_korean_dates_and_times() -> None:
    moment = datetime(2026, 12, 3, 14, 58, tzinfo=SEOUL)
    with translation.override("ko"):
        assert formats.date_format(moment, "DATETIME_FORMAT") == "2026. 12. 3.(목) 14:58"
        assert formats.time_format(moment.replace(hour=15, minute=1), "TIME_FORMAT") == "오후 3:01"
        assert formats.date_format(moment, "DATE_FORMAT") == "2026. 12. 3.(목)"
