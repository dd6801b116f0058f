"""The rest of the public API: extensions, registration, transfer, fractions, errors, summaries."""

from __future__ import annotations

import pickle
from datetime import date, datetime, time, timedelta

import pytest

from minwon.lawclock import (
    RULE_VERSION,
    LawclockError,
    Period,
    WorkingCalendar,
    compute_deadline,
    compute_due_at,
    compute_due_ats,
    extension_deadline,
    parse_period,
    period_used_fraction,
    registration_deadline,
    supplement_request_deadline,
    transfer_deadline,
    working_time_between,
)
from minwon.lawclock.tests.helpers import CAL, kst

# -- extension (영 제21조①) ------------------------------------------------------------------------
# 10일 민원, 월 3/9 접수: 3/9–3/13(5), 3/16–3/20(10) → 3/20 18:00
TEN_DAY_DUE = kst(2026, 3, 20, 18)


def test_first_extension_counts_from_the_day_after() -> None:
    # 1차 연장 10일: 다음날 3/21(토) → 1일차 월 3/23, 10일차 금 4/3
    d = extension_deadline(
        current_due_at=TEN_DAY_DUE,
        original_period="10d",
        extension_period="10d",
        previous_extensions=0,
        complainant_consent=False,
        calendar=CAL,
    )
    assert d.due_at == kst(2026, 4, 3, 18)
    assert d.legal_basis == "민원처리법 시행령 제21조 제1항 본문 (민원처리법 제19조 제2항)"
    assert d.explanation.extended_from == TEN_DAY_DUE
    assert d.explanation.extension_number == 1
    assert d.summary().startswith("1차 연장 처리기한 4월 3일 18시")
    assert d.summary("en").startswith("Extension 1: Due 3 April 18:00")


def test_extension_longer_than_original_is_refused() -> None:
    # 10일 민원을 11일 연장: 처리기간의 범위를 넘음
    with pytest.raises(LawclockError) as info:
        extension_deadline(
            current_due_at=TEN_DAY_DUE,
            original_period="10d",
            extension_period="11d",
            previous_extensions=0,
            complainant_consent=True,
            calendar=CAL,
        )
    assert (info.value.code, info.value.field) == (
        "lawclock.extension_too_long",
        "extension_period",
    )


def test_extension_of_another_kind_is_compared_by_where_it_ends() -> None:
    # 7일 민원(→ 3/17), 1주 연장: 3/18부터 1주 → 3/24(화); 7일(근무일) 연장이면 3/26 → 허용
    ok = extension_deadline(
        current_due_at=kst(2026, 3, 17, 18),
        original_period="7d",
        extension_period="1w",
        previous_extensions=0,
        complainant_consent=False,
        calendar=CAL,
    )
    assert ok.due_at == kst(2026, 3, 24, 18)
    # 7일 민원을 2주 연장: 3/18부터 2주 → 3/31 > 7근무일 연장(3/26) → 거부
    with pytest.raises(LawclockError, match="longer than the original"):
        extension_deadline(
            current_due_at=kst(2026, 3, 17, 18),
            original_period="7d",
            extension_period="2w",
            previous_extensions=0,
            complainant_consent=False,
            calendar=CAL,
        )


def test_second_extension_needs_consent() -> None:
    kwargs = {
        "current_due_at": kst(2026, 4, 3, 18),
        "original_period": "10d",
        "extension_period": "5d",
        "previous_extensions": 1,
        "calendar": CAL,
    }
    # 2차 연장, 동의 없음 → 거부
    with pytest.raises(LawclockError) as info:
        extension_deadline(complainant_consent=False, **kwargs)  # type: ignore[arg-type]
    assert info.value.code == "lawclock.extension_needs_consent"
    # 2차 연장, 민원인 동의: 4/3 다음날 4/4(토) → 5일(40근무시간 규칙): 4/6 월 09:00 + 40h → 4/10 18:00
    d = extension_deadline(complainant_consent=True, **kwargs)  # type: ignore[arg-type]
    assert d.due_at == kst(2026, 4, 10, 18)
    assert "단서" in d.legal_basis


def test_hour_extension_continues_from_the_current_due() -> None:
    # 3일 민원(목 3/12 15:00) 2일 연장: 목 15–18 3h, 금 8h, 월 09–12 3h + 13–15 2h = 16h → 월 3/16 15:00
    d = extension_deadline(
        current_due_at=kst(2026, 3, 12, 15),
        original_period="3d",
        extension_period="2d",
        previous_extensions=0,
        complainant_consent=False,
        calendar=CAL,
    )
    assert d.due_at == kst(2026, 3, 16, 15)


@pytest.mark.parametrize(
    ("count", "code"), [(2, "lawclock.extension_limit"), (-1, "lawclock.bad_extension_count")]
)
def test_no_third_extension(count: int, code: str) -> None:
    with pytest.raises(LawclockError) as info:
        extension_deadline(
            current_due_at=TEN_DAY_DUE,
            original_period="10d",
            extension_period="1d",
            previous_extensions=count,
            complainant_consent=True,
            calendar=CAL,
        )
    assert info.value.code == code


# -- registration (영 제6조⑧) and transfer (영 제13조) ----------------------------------------------
def test_registration_within_eight_working_hours() -> None:
    # 금 3/13 17:00 도달: 금 1h + 월 09–12 3h + 13–17 4h = 8h → 월 3/16 17:00
    d = registration_deadline(arrived_at=kst(2026, 3, 13, 17), calendar=CAL)
    assert d.due_at == kst(2026, 3, 16, 17)
    assert d.legal_basis == "민원처리법 시행령 제6조 제8항"


def test_supplement_request_within_eight_working_hours_of_registration() -> None:
    # 규칙 제9조①: 월 3/9 10:00 접수: 월 10–12 2h + 13–18 5h, 화 09–10 1h → 화 3/10 10:00
    d = supplement_request_deadline(registered_at=kst(2026, 3, 9, 10), calendar=CAL)
    assert d.due_at == kst(2026, 3, 10, 10)
    assert d.legal_basis == "민원처리법 시행규칙 제9조 제1항"


@pytest.mark.parametrize(
    ("kind", "received", "due", "basis"),
    [
        # 민원실 → 처리주무부서 1근무시간: 11:30–12:00 0.5h, 점심 제외, 13:00–13:30 0.5h → 13:30
        (
            "within_unit",
            kst(2026, 3, 9, 11, 30),
            kst(2026, 3, 9, 13, 30),
            "민원처리법 시행령 제13조 제1항",
        ),
        # 같은 기관 내 잘못 접수 3근무시간: 11:30–12:00 0.5h, 13:00–15:30 2.5h → 15:30
        (
            "internal",
            kst(2026, 3, 9, 11, 30),
            kst(2026, 3, 9, 15, 30),
            "민원처리법 시행령 제13조 제2항",
        ),
        # 다른 기관 8근무시간: 월 17–18 1h, 화 09–12 3h + 13–17 4h → 화 17:00
        ("external", kst(2026, 3, 9, 17), kst(2026, 3, 10, 17), "민원처리법 시행령 제13조 제3항"),
    ],
)
def test_transfer(kind: str, received: datetime, due: datetime, basis: str) -> None:
    d = transfer_deadline(received_at=received, kind=kind, calendar=CAL)  # type: ignore[arg-type]
    assert (d.due_at, d.legal_basis) == (due, basis)


def test_unknown_transfer_kind() -> None:
    with pytest.raises(LawclockError) as info:
        transfer_deadline(received_at=kst(2026, 3, 9, 9), kind="sideways", calendar=CAL)  # type: ignore[arg-type]
    assert info.value.field == "kind"


# -- working time and fractions ----------------------------------------------------------------------
def test_working_time_between() -> None:
    # 월 10:00–화 10:00: 월 10–12 2h + 13–18 5h + 화 09–10 1h = 8h; 화 09:30–09:45 불산입 → 7h45m
    assert working_time_between(
        kst(2026, 3, 9, 10), kst(2026, 3, 10, 10), calendar=CAL
    ) == timedelta(hours=8)
    excluded = [
        (kst(2026, 3, 10, 9, 30), kst(2026, 3, 10, 9, 45)),
        (kst(2026, 3, 8), kst(2026, 3, 8, 1)),
    ]
    got = working_time_between(
        kst(2026, 3, 9, 10), kst(2026, 3, 10, 10), calendar=CAL, excluded=excluded
    )
    assert got == timedelta(hours=7, minutes=45)
    with pytest.raises(LawclockError) as info:
        working_time_between(kst(2026, 3, 10), kst(2026, 3, 9), calendar=CAL)
    assert info.value.code == "lawclock.interval_reversed"


@pytest.mark.parametrize(
    ("period", "now", "fraction"),
    [
        # 3일(24h), 월 15:00 접수: 화 18:00까지 3h + 8h = 11h → 11/24
        ("3d", kst(2026, 3, 10, 18), 11 / 24),
        ("3d", kst(2026, 3, 12, 15), 1.0),
        # 7일: 1일차 09:00부터, 화 3/10 18:00까지 2일 = 16h / 56h
        ("7d", kst(2026, 3, 10, 18), 2 / 7),
        ("7d", kst(2026, 3, 17, 18), 1.0),
        # 1개월: 3/9 00:00 → 4/8 18:00 (3/9 접수 → 4/8 목) ; 절반 경과 등은 역 시간으로
        ("1m", kst(2026, 4, 8, 18), 1.0),
        # 접수 전이면 0
        ("3d", kst(2026, 3, 9, 14), 0.0),
    ],
)
def test_period_used_fraction(period: str, now: datetime, fraction: float) -> None:
    got = period_used_fraction(
        registered_at=kst(2026, 3, 9, 15), period=period, now=now, calendar=CAL
    )
    assert got == pytest.approx(fraction)


def test_fraction_with_excluded_days_reaches_one_at_due() -> None:
    # 3/10–3/11 불산입: 기한에서 정확히 1.0, 불산입 전(3/9 12:00)에는 아직 작음
    excluded = [(kst(2026, 3, 10, 10), kst(2026, 3, 11, 9))]
    for period in ("7d", "1m"):
        d = compute_deadline(
            registered_at=kst(2026, 3, 9, 10), period=period, calendar=CAL, excluded=excluded
        )
        assert d.explanation.excluded_days == 2
        at_due = period_used_fraction(
            registered_at=kst(2026, 3, 9, 10),
            period=period,
            now=d.due_at,
            calendar=CAL,
            excluded=excluded,
        )
        assert at_due == pytest.approx(1.0)
        before = period_used_fraction(
            registered_at=kst(2026, 3, 9, 10),
            period=period,
            now=kst(2026, 3, 9, 12),
            calendar=CAL,
            excluded=excluded,
        )
        assert 0.0 < before < 0.1
        # 토요일 접수 직후(일요일)에는 아직 1일차 전
        early = period_used_fraction(
            registered_at=kst(2026, 3, 14, 10),
            period=period,
            now=kst(2026, 3, 15, 10),
            calendar=CAL,
        )
        assert 0.0 <= early < 0.1


@pytest.mark.parametrize("period", ["3d", "7d", "1m"])  # hour, day and calendar rule
def test_fraction_up_to_an_extended_deadline(period: str) -> None:
    # 영 제21조①: the period extended once by itself; the share runs to the new deadline.
    start = kst(2026, 3, 9, 15)
    own = compute_deadline(registered_at=start, period=period, calendar=CAL)
    extended = extension_deadline(
        current_due_at=own.due_at,
        original_period=period,
        extension_period=period,
        previous_extensions=0,
        complainant_consent=False,
        calendar=CAL,
    ).due_at
    assert extended > own.due_at

    def used(now: datetime, due_at: datetime | None) -> float:
        return period_used_fraction(
            registered_at=start, period=period, now=now, calendar=CAL, due_at=due_at
        )

    assert used(extended, extended) == pytest.approx(1.0)
    assert 0.4 < used(own.due_at, extended) < 0.6  # half of a doubled period
    assert used(own.due_at, own.due_at) == pytest.approx(used(own.due_at, None)) == 1.0
    assert used(kst(2026, 3, 9, 14), extended) == 0.0
    with pytest.raises(LawclockError) as caught:
        used(own.due_at, own.due_at - timedelta(hours=1))
    assert caught.value.code == "lawclock.due_before_period_end"


# -- explanation and summary ---------------------------------------------------------------------------
def test_explanation_of_the_contract_examples() -> None:
    d = compute_deadline(registered_at=kst(2026, 1, 31, 10), period="1m", calendar=CAL)
    e = d.explanation
    assert (e.period_end, e.calendar_days) == (date(2026, 2, 28), 29)
    assert [(s.day.day, s.reason, s.name_ko) for s in e.civil_code_161_shift] == [
        (28, "weekend", "토요일"),
        (1, "holiday", "삼일절"),
        (2, "holiday", "삼일절 대체 휴일"),
    ]
    assert d.summary() == (
        "처리기한 3월 3일 18시: 처리기간 1개월, 첫날 산입, 말일이 토요일·공휴일이어서 다음 근무일로(민법 제161조)"
    )
    assert d.summary("en") == (
        "Due 3 March 18:00: 1-month period, first day counted, "
        "last day moved past a Saturday/holiday (Civil Act art. 161)"
    )
    assert d.rule_version == RULE_VERSION
    assert d.calendar_version.startswith("kr-holidays-")
    h = compute_deadline(registered_at=kst(2026, 3, 9, 20), period="3d", calendar=CAL)
    assert h.explanation.start_at == kst(2026, 3, 10, 9)
    assert h.summary("en") == (
        "Due 12 March 18:00: 3-day period, Saturdays and holidays not counted, 8 working hours a day"
    )
    seven = compute_deadline(registered_at=kst(2026, 3, 14, 11), period="7d", calendar=CAL)
    assert seven.explanation.start_at == kst(2026, 3, 16, 9)
    assert seven.summary() == "처리기한 3월 24일 18시: 처리기간 7일, 토요일·공휴일 제외"


@pytest.mark.parametrize(
    ("period", "excluded", "ko", "en"),
    [
        # 즉시, 09:30: 09:30–12:00 2.5h + 13:00–13:30 0.5h → 13:30
        (
            "instant",
            [],
            "처리기한 3월 9일 13시 30분: 처리기간 즉시(3근무시간), 토요일·공휴일 제외",
            "Due 9 March 13:30: immediate (3 working hours), Saturdays and holidays not counted",
        ),
        # 4근무시간, 09:30, 10:00–11:30 불산입: 09:30–10:00 0.5h, 11:30–12:00 0.5h, 13:00–16:00 3h → 16:00
        (
            "4h",
            [(kst(2026, 3, 9, 10), kst(2026, 3, 9, 11, 30))],
            "처리기한 3월 9일 16시: 처리기간 4근무시간, 토요일·공휴일 제외, 불산입 1.5근무시간",
            "Due 9 March 16:00: 4-working-hour period, Saturdays and holidays not counted, 1.5 working hours excluded",
        ),
        (
            "6d",
            [(kst(2026, 3, 10, 10), kst(2026, 3, 10, 10))],
            "처리기한 3월 17일 18시: 처리기간 6일, 토요일·공휴일 제외, 불산입 1일",
            "Due 17 March 18:00: 6-day period, Saturdays and holidays not counted, 1 day excluded",
        ),
        (
            "1y",
            [(kst(2026, 3, 10, 10), kst(2026, 3, 11, 10))],
            "처리기한 2027년 3월 10일 18시: 처리기간 1년, 첫날 산입, 불산입 2일",
            "Due 10 March 2027 18:00: 1-year period, first day counted, 2 days excluded",
        ),
    ],
)
def test_summaries(
    period: str, excluded: list[tuple[datetime, datetime]], ko: str, en: str
) -> None:
    # 1년, 3/9 → 2027-03-08(월) + 불산입 2일 → 3/10(수)
    d = compute_deadline(
        registered_at=kst(2026, 3, 9, 9, 30), period=period, calendar=CAL, excluded=excluded
    )
    assert (d.summary(), d.summary("en")) == (ko, en)
    assert d.as_dict()["due_at"] == d.due_at.isoformat()


# -- periods and errors ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("instant", Period("instant", 1)),
        ("즉시", Period("instant", 1)),
        (" 7D ", Period("days", 7)),
        ("+3h", Period("hours", 3)),
        ("2w", Period("weeks", 2)),
        ("1m", Period("months", 1)),
        ("1y", Period("years", 1)),
    ],
)
def test_parse_period(text: str, expected: Period) -> None:
    assert parse_period(text) == expected
    assert parse_period(expected) is expected
    assert parse_period(str(expected)) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("0d", "lawclock.nonpositive_period"),
        ("-2d", "lawclock.nonpositive_period"),
        ("3x", "lawclock.unknown_period"),
        ("", "lawclock.unknown_period"),
        ("1.5d", "lawclock.unknown_period"),
        ("101y", "lawclock.period_too_long"),
        (7, "lawclock.unknown_period"),
    ],
)
def test_bad_periods(text: object, code: str) -> None:
    with pytest.raises(LawclockError) as info:
        parse_period(text)  # type: ignore[arg-type]
    assert (info.value.code, info.value.field) == (code, "period")
    with pytest.raises(LawclockError):
        compute_deadline(registered_at=kst(2026, 3, 9), period=text, calendar=CAL)  # type: ignore[arg-type]


@pytest.mark.parametrize(("kind", "amount"), [("instant", 2), ("fortnights", 1)])
def test_bad_period_objects(kind: str, amount: int) -> None:
    with pytest.raises(LawclockError):
        Period(kind, amount)  # type: ignore[arg-type]


def test_rule_of_each_period() -> None:
    assert [parse_period(p).rule for p in ("instant", "8h", "5d", "6d", "1w")] == [
        "hours",
        "hours",
        "hours",
        "days",
        "calendar",
    ]
    assert [parse_period(p).working_hours for p in ("instant", "8h", "5d", "6d")] == [3, 8, 40, 0]


@pytest.mark.parametrize(
    ("registered_at", "excluded", "field", "code"),
    [
        (datetime(2026, 3, 9, 15), [], "registered_at", "lawclock.naive_datetime"),
        ("2026-03-09", [], "registered_at", "lawclock.not_a_datetime"),
        (
            kst(2026, 3, 9),
            [(kst(2026, 3, 10), kst(2026, 3, 9))],
            "excluded[0]",
            "lawclock.interval_reversed",
        ),
        (
            kst(2026, 3, 9),
            [(kst(2026, 3, 10), datetime(2026, 3, 11))],
            "excluded[0].end",
            "lawclock.naive_datetime",
        ),
        (kst(2026, 3, 9), [(kst(2026, 3, 10),)], "excluded[0]", "lawclock.bad_interval"),
        (kst(2026, 3, 9), ["x"], "excluded[0]", "lawclock.bad_interval"),
        (
            datetime(1980, 3, 9, tzinfo=kst(2026, 1, 1).tzinfo),
            [],
            "calendar",
            "lawclock.out_of_range",
        ),
    ],
)
def test_bad_inputs(registered_at: object, excluded: list[object], field: str, code: str) -> None:
    with pytest.raises(LawclockError) as info:
        compute_deadline(registered_at=registered_at, period="3d", calendar=CAL, excluded=excluded)  # type: ignore[arg-type]
    assert (info.value.field, info.value.code) == (field, code)
    assert isinstance(info.value, ValueError)
    clone = pickle.loads(pickle.dumps(info.value))
    assert (clone.field, clone.code, str(clone)) == (field, code, str(info.value))


def test_far_future_is_out_of_range() -> None:
    with pytest.raises(LawclockError) as info:
        compute_deadline(registered_at=kst(2099, 6, 1), period="5y", calendar=CAL)
    assert info.value.code == "lawclock.out_of_range"


def test_bad_working_hours() -> None:
    for hours in [(), ((time(12), time(9)),), ((time(9), time(13)), (time(12), time(18)))]:
        with pytest.raises(LawclockError) as info:
            WorkingCalendar(working_hours=hours)
        assert info.value.code == "lawclock.bad_working_hours"


def test_custom_working_hours() -> None:
    # 점심 11:30–12:30인 기관: 즉시, 10:00 → 10–11:30 1.5h + 12:30–14:00 1.5h → 14:00
    cal = WorkingCalendar.default(working_hours=((time(9), time(11, 30)), (time(12, 30), time(18))))
    d = compute_deadline(registered_at=kst(2026, 3, 9, 10), period="instant", calendar=cal)
    assert d.due_at == kst(2026, 3, 9, 14)
    assert cal.day_length == timedelta(hours=8)
    assert "hours" not in WorkingCalendar.default().version


# -- batch ------------------------------------------------------------------------------------------------
def test_compute_due_ats_matches_one_by_one() -> None:
    regs = [
        kst(2026, 3, 9, 15),
        kst(2026, 3, 14, 11),
        datetime.fromisoformat("2026-09-23T01:00:00+00:00"),
        kst(2026, 3, 10, 10),
        kst(2040, 12, 20, 10),
        kst(2019, 12, 20, 10),
    ]
    periods: list[Period | str] = ["3d", "6d", "7d", "1m", "30d", "6d"]
    expected = [
        compute_deadline(registered_at=r, period=p, calendar=CAL).due_at
        for r, p in zip(regs, periods, strict=False)
    ]
    assert compute_due_ats(regs, periods, calendar=CAL) == expected
    days_only = [
        (r, p) for r, p in zip(regs, periods, strict=False) if parse_period(p).rule == "days"
    ]
    assert compute_due_ats([r for r, _ in days_only], [p for _, p in days_only], calendar=CAL) == [
        compute_due_at(registered_at=r, period=p, calendar=CAL) for r, p in days_only
    ]
    assert compute_due_ats([], [], calendar=CAL) == []
    # all Seoul-time day-rule rows, on a fresh calendar that must grow past 2040 for them
    fresh = WorkingCalendar.default()
    late = [kst(2040, 12, 20, 10), kst(2026, 3, 9, 10)]
    assert compute_due_ats(late, ["30d", "7d"], calendar=fresh) == [
        compute_due_at(registered_at=r, period=p, calendar=CAL)
        for r, p in zip(late, ["30d", "7d"], strict=False)
    ]
    grown = WorkingCalendar.default()
    assert compute_due_at(registered_at=kst(2026, 3, 9, 15), period="3d", calendar=grown) == kst(
        2026, 3, 12, 15
    )
    # 2045-03-06 is a Monday; the table (2020–2040) grows to cover it
    assert compute_due_at(registered_at=kst(2045, 3, 6, 10), period="3d", calendar=grown) == kst(
        2045, 3, 9, 10
    )
    assert compute_due_ats([kst(2026, 3, 9)], ["3d"], calendar=CAL) == [kst(2026, 3, 11, 18)]
    with pytest.raises(LawclockError) as info:
        compute_due_ats([kst(2026, 3, 9)], [], calendar=CAL)
    assert info.value.code == "lawclock.batch_length"
    with pytest.raises(LawclockError):
        compute_due_ats([datetime(2026, 3, 9)], ["7d"], calendar=CAL)
