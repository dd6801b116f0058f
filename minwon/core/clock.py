"""The one place the application asks what time it is (tests move it with time-machine)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

SEOUL = ZoneInfo("Asia/Seoul")


def now() -> datetime:
    return timezone.now()


def local_now() -> datetime:
    return timezone.now().astimezone(SEOUL)
