"""The working calendar: which days and hours count under 민원처리법 제19조.

Working days are Monday to Friday that are not public-office holidays (관공서의 공휴일에 관한 규정).
The base holiday list is the ``holidays`` package (country ``KR``, category ``public``), fetched one
year at a time and cached; an organisation adds dates (임시공휴일 declared after the package was
released, 지방공휴일 if it counts them) or removes dates in data.

For speed every calendar keeps a *table* over a contiguous range of years: a prefix count of
working days per calendar day, the sorted ordinals of working days and of non-working days. Ordinal
arithmetic ("the 7th working day from here", "working time between two instants") is then O(1) or
O(log n) with no day-by-day loop. The table starts at the 2020–2040 window and grows on demand.
"""

from __future__ import annotations

import bisect
import hashlib
import threading
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Final, Literal
from zoneinfo import ZoneInfo

import holidays

from minwon.lawclock.errors import LawclockError

__all__ = [
    "DEFAULT_WORKING_HOURS",
    "SEOUL",
    "HolidaySource",
    "SkippedDay",
    "WorkingCalendar",
    "korean_public_holidays",
]

SEOUL: Final = ZoneInfo("Asia/Seoul")
# 지방공무원 복무규정 제2조: 09:00–18:00, 점심 12:00–13:00 — 8 working hours (configurable).
DEFAULT_WORKING_HOURS: Final = ((time(9), time(12)), (time(13), time(18)))
WINDOW: Final = (2020, 2040)  # years every table covers; more are added on demand
MIN_YEAR: Final = 1990
MAX_YEAR: Final = 2100  # the holidays package knows lunar holidays about this far
_ANCHOR: Final = date(WINDOW[0], 1, 1).toordinal()  # absolute working-day index 0 counts from here
_US_PER_DAY: Final = 86_400_000_000

SkipReason = Literal["weekend", "holiday", "extra holiday"]
# A holiday source returns (date, Korean name, English name) for one year.
HolidaySource = Callable[[int], Sequence[tuple[date, str, str]]]


@dataclass(frozen=True, slots=True)
class SkippedDay:
    """A non-working date and why: ``weekend``, ``holiday`` or ``extra holiday``."""

    day: date
    reason: SkipReason
    name_ko: str
    name_en: str


@lru_cache(maxsize=256)
def korean_public_holidays(year: int) -> tuple[tuple[date, str, str], ...]:
    """Korean public-office holidays of one year from the ``holidays`` package (ko and en names)."""
    ko = holidays.country_holidays("KR", years=year, language="ko")
    en = holidays.country_holidays("KR", years=year, language="en_US")
    return tuple(sorted((day, str(name), str(en.get(day, name))) for day, name in ko.items()))


def _micros(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


def _check_year(year: int, *, field_name: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise LawclockError(
            f"The legal clock covers the years {MIN_YEAR}–{MAX_YEAR}; this needs {year}.",
            field=field_name,
            code="lawclock.out_of_range",
        )


@dataclass(slots=True)
class _Table:
    """Precomputed working-day arithmetic over the ordinals ``[first, last)``."""

    first: int
    last: int
    base: int  # absolute index of the table's first working day (working days from _ANCHOR)
    cum: array[int]  # cum[i]: working days in [first, first + i)
    work: array[int]  # ordinals of the working days, ascending
    work_dates: list[date]  # the same working days as dates
    work_ends: list[datetime]  # the same working days at the end of working hours (day-rule dues)
    off: array[int]  # ordinals of the non-working days, ascending
    off_info: list[SkippedDay]


@dataclass(eq=False, slots=True)
class _Cache:
    """Per-calendar derived data: working segments in microseconds and the day table."""

    segments: tuple[tuple[int, int], ...] = ()
    day_us: int = 0
    end_times: dict[int, time] = field(default_factory=dict)  # working-time-of-day → clock time
    start_times: dict[int, time] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    table: list[_Table] = field(default_factory=list)  # one slot, replaced whole when grown


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days and working hours of one organisation.

    ``extra_holidays`` are added to the base source (e.g. an 임시공휴일), ``removed_holidays`` are
    taken out of it. ``working_hours`` are the daily working segments (default 09:00–12:00 and
    13:00–18:00). ``version`` is stored next to every deadline so it can be re-derived.
    """

    extra_holidays: frozenset[date] = frozenset()
    removed_holidays: frozenset[date] = frozenset()
    working_hours: tuple[tuple[time, time], ...] = DEFAULT_WORKING_HOURS
    version: str = ""
    source: HolidaySource = field(default=korean_public_holidays, repr=False)
    _cache: _Cache = field(default_factory=_Cache, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        segments = self.working_hours
        if not segments:
            raise LawclockError(
                "Working hours need at least one segment.",
                field="working_hours",
                code="lawclock.bad_working_hours",
            )
        previous = time(0)
        for start, end in segments:
            if start.tzinfo is not None or end.tzinfo is not None or not previous <= start < end:
                raise LawclockError(
                    "Working hours must be ascending, non-overlapping local times, start < end, "
                    f"e.g. ((09:00, 12:00), (13:00, 18:00)); got {start}–{end}.",
                    field="working_hours",
                    code="lawclock.bad_working_hours",
                )
            previous = end
        self._cache.segments = tuple((_micros(s), _micros(e)) for s, e in segments)
        self._cache.day_us = sum(e - s for s, e in self._cache.segments)
        if not self.version:
            object.__setattr__(self, "version", _default_version(self))

    @classmethod
    def default(
        cls,
        *,
        extra_holidays: Iterable[date] = (),
        removed_holidays: Iterable[date] = (),
        working_hours: tuple[tuple[time, time], ...] = DEFAULT_WORKING_HOURS,
        version: str = "",
    ) -> WorkingCalendar:
        """Korean public-office holidays (``holidays`` package) plus the organisation's changes."""
        return cls(
            extra_holidays=frozenset(extra_holidays),
            removed_holidays=frozenset(removed_holidays),
            working_hours=working_hours,
            version=version,
        )

    # -- segments --------------------------------------------------------------------------------
    @property
    def segments_us(self) -> tuple[tuple[int, int], ...]:
        """Working segments as microseconds after midnight."""
        return self._cache.segments

    @property
    def day_length(self) -> timedelta:
        """Working time of one working day (8 hours by default)."""
        return timedelta(microseconds=self._cache.day_us)

    # -- days ------------------------------------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        """Monday–Friday and not a public-office holiday (after the organisation's changes)."""
        o = day.toordinal()
        table = self.table_for(o)
        return table.cum[o - table.first + 1] != table.cum[o - table.first]

    def non_working_reason(self, day: date) -> SkippedDay | None:
        """Why ``day`` is not a working day, or ``None`` when it is one."""
        o = day.toordinal()
        table = self.table_for(o)
        i = bisect.bisect_left(table.off, o)
        return table.off_info[i] if i < len(table.off) and table.off[i] == o else None

    def skipped_between(self, first: date, last: date) -> tuple[SkippedDay, ...]:
        """Non-working days in ``[first, last]``, in order."""
        lo, hi = first.toordinal(), last.toordinal()
        self.table_for(hi)
        table = self.table_for(lo)
        i = bisect.bisect_left(table.off, lo)
        j = bisect.bisect_right(table.off, hi)
        return tuple(table.off_info[i:j])

    def working_days_between(self, first: date, last: date) -> int:
        """Working days in ``[first, last]`` (0 when ``last < first``)."""
        if last < first:
            return 0
        return self.count_before(last.toordinal() + 1) - self.count_before(first.toordinal())

    def next_working_day(self, day: date) -> date:
        """``day`` itself when it is a working day, else the next working day."""
        return date.fromordinal(self.working_day_at(self.count_before(day.toordinal())))

    # -- instants --------------------------------------------------------------------------------
    def is_working_time(self, instant: datetime) -> bool:
        """Whether ``instant`` lies inside a working segment [start, end) of a working day."""
        local = instant.astimezone(SEOUL)
        tod = _micros(local.time())
        return self.is_working_day(local.date()) and any(s <= tod < e for s, e in self.segments_us)

    def next_working_start(self, instant: datetime) -> datetime:
        """``instant`` if it is working time, else the start of the next working segment (Seoul)."""
        local = instant.astimezone(SEOUL)
        if self.is_working_day(local.date()):
            tod = _micros(local.time())
            for start, end in self.segments_us:
                if tod < end:
                    return local if tod >= start else _at(local.date(), start)
        following = self.next_working_day(local.date() + timedelta(days=1))
        return _at(following, self.segments_us[0][0])

    def end_of_day(self, day: date) -> datetime:
        """The end of working hours (18:00 by default) on ``day``."""
        return _at(day, self.segments_us[-1][1])

    # -- ordinal arithmetic (absolute working-day indices, stable while the table grows) ---------
    def count_before(self, ordinal: int) -> int:
        """Absolute index of the first working day at or after ``ordinal`` (working days before)."""
        table = self.table_for(ordinal)
        return table.base + table.cum[ordinal - table.first]

    def working_day_at(self, index: int) -> int:
        """Ordinal of the working day with absolute index ``index``."""
        table = self._tables()
        while not 0 <= index - table.base < len(table.work):
            table = self._grow_for_index(table, index)
        return table.work[index - table.base]

    def table_for(self, ordinal: int) -> _Table:
        """The table, grown when needed so that it covers ``ordinal``."""
        table = self._tables()
        if table.first <= ordinal < table.last:
            return table
        year = _year_of(ordinal)
        _check_year(year, field_name="calendar")
        first_year = date.fromordinal(table.first).year
        last_year = date.fromordinal(table.last - 1).year
        return self._build(min(first_year, year), max(last_year, year))

    def _tables(self) -> _Table:
        slot = self._cache.table
        return slot[0] if slot else self._build(*WINDOW)

    def _grow_for_index(self, table: _Table, index: int) -> _Table:
        first_year = date.fromordinal(table.first).year
        last_year = date.fromordinal(table.last - 1).year
        if index < table.base:
            return self._build(first_year - 1 - (table.base - index) // 240, last_year)
        missing = index - table.base - len(table.work)
        return self._build(first_year, last_year + 1 + missing // 240)

    def _build(self, first_year: int, last_year: int) -> _Table:
        _check_year(first_year, field_name="calendar")
        _check_year(last_year, field_name="calendar")
        with self._cache.lock:
            slot = self._cache.table
            if (
                slot
                and date.fromordinal(slot[0].first).year <= first_year
                and last_year <= date.fromordinal(slot[0].last - 1).year
            ):
                return slot[0]
            table = _make_table(self, first_year, last_year)
            slot[:] = [table]
            return table


def _year_of(ordinal: int) -> int:
    return date.fromordinal(max(1, min(ordinal, date.max.toordinal()))).year


def _at(day: date, micros: int) -> datetime:
    return datetime.combine(day, time(0), tzinfo=SEOUL) + timedelta(microseconds=micros)


_WEEKEND: Final = {5: ("토요일", "Saturday"), 6: ("일요일", "Sunday")}


def _make_table(cal: WorkingCalendar, first_year: int, last_year: int) -> _Table:
    named: dict[date, SkippedDay] = {}
    for year in range(first_year, last_year + 1):
        for day, ko, en in cal.source(year):
            if day not in cal.removed_holidays:
                named[day] = SkippedDay(day, "holiday", ko, en)
    for day in cal.extra_holidays:
        if first_year <= day.year <= last_year and day not in named:
            named[day] = SkippedDay(day, "extra holiday", "임시공휴일(기관 지정)", "extra holiday")
    first = date(first_year, 1, 1).toordinal()
    last = date(last_year + 1, 1, 1).toordinal()
    cum, work, off = array("q", [0]), array("q"), array("q")
    off_info: list[SkippedDay] = []
    count = 0
    for o in range(first, last):
        day = date.fromordinal(o)
        reason = named.get(day)
        weekday = day.weekday()
        if reason is None and weekday in _WEEKEND:
            reason = SkippedDay(day, "weekend", *_WEEKEND[weekday])
        if reason is None:
            work.append(o)
            count += 1
        else:
            off.append(o)
            off_info.append(reason)
        cum.append(count)
    base = -cum[_ANCHOR - first]  # every table starts at or before the anchor (WINDOW[0])
    work_dates = [date.fromordinal(o) for o in work]
    end = cal.working_hours[-1][1]
    work_ends = [datetime.combine(d, end, SEOUL) for d in work_dates]
    return _Table(first, last, base, cum, work, work_dates, work_ends, off, off_info)


def _default_version(cal: WorkingCalendar) -> str:
    source = (
        "kr" if cal.source is korean_public_holidays else getattr(cal.source, "__name__", "custom")
    )
    parts = [
        f"{source}-holidays-{getattr(holidays, '__version__', '?')}" if source == "kr" else source
    ]
    changes = sorted(f"+{d}" for d in cal.extra_holidays) + sorted(
        f"-{d}" for d in cal.removed_holidays
    )
    if cal.working_hours != DEFAULT_WORKING_HOURS:
        changes.append("hours:" + ",".join(f"{s:%H%M}-{e:%H%M}" for s, e in cal.working_hours))
    if changes:
        parts.append(hashlib.sha256(" ".join(changes).encode()).hexdigest()[:10])
    return "+".join(parts)
