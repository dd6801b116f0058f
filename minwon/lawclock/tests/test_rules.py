"""Table tests: one row per legal scenario, each worked out by hand (2026 calendar, holidays 0.109).

2026 facts used below: 3/9 is a Monday. 설 2/16–2/18 (Mon–Wed). 삼일절 3/1 is a Sunday, so 3/2 is
its 대체공휴일. 노동절 5/1 (Fri) and 어린이날 5/5 (Tue). 지방선거 6/3 (Wed). 현충일 6/6 (Sat). 추석
9/24–9/26 (Thu–Sat); 개천절 10/3 is a Saturday, so 10/5 (Mon) is its 대체공휴일. Working hours are
09:00–12:00 and 13:00–18:00 (8 h a day).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from minwon.lawclock import WorkingCalendar, compute_deadline, compute_due_at
from minwon.lawclock.tests.helpers import CAL, kst

Row = tuple[datetime, str, datetime, str]

HOUR_ROWS: list[Row] = [
    # 계약 예시: 3일, 월 15:00 접수. 월 15–18 = 3h, 화 8h, 수 8h (누계 19h), 목 09–12 3h + 13–15 2h = 24h
    (kst(2026, 3, 9, 15), "3d", kst(2026, 3, 12, 15), "민원처리법 제19조 제1항"),
    # 즉시(3근무시간), 월 15:00: 15–18 = 3h, 정확히 18:00에 소진 → 당일 18:00 (다음날 09:00 아님)
    (kst(2026, 3, 9, 15), "instant", kst(2026, 3, 9, 18), "민원처리법 시행령 제19조"),
    # 즉시, 월 10:00: 10–12 = 2h, 점심 제외, 13–14 = 1h → 14:00
    (kst(2026, 3, 9, 10), "instant", kst(2026, 3, 9, 14), "민원처리법 시행령 제19조"),
    # 즉시, 점심시간 12:30 접수: 13:00부터 기산, 13–16 = 3h → 16:00
    (kst(2026, 3, 9, 12, 30), "instant", kst(2026, 3, 9, 16), "민원처리법 시행령 제19조"),
    # 1근무시간, 11:00 접수: 11–12 = 1h, 정확히 12:00에 소진 → 12:00 (13:00 아님)
    (kst(2026, 3, 9, 11), "1h", kst(2026, 3, 9, 12), "민원처리법 제19조 제1항"),
    # 3일, 월 20:00(야간) 접수: 화 09:00부터 기산, 화·수·목 각 8h = 24h → 목 18:00
    (kst(2026, 3, 9, 20), "3d", kst(2026, 3, 12, 18), "민원처리법 제19조 제1항"),
    # 1일, 토요일 10:00 접수: 월 3/16 09:00부터 8h → 월 18:00
    (kst(2026, 3, 14, 10), "1d", kst(2026, 3, 16, 18), "민원처리법 제19조 제1항"),
    # 1일, 정확히 18:00 접수: 다음 근무일 09:00부터 8h → 화 18:00
    (kst(2026, 3, 9, 18), "1d", kst(2026, 3, 10, 18), "민원처리법 제19조 제1항"),
    # 설 연휴: 2일(16h), 금 2/13 14:00. 금 14–18 = 4h; 2/14–2/18 (토·일·설 3일) 제외;
    # 목 2/19 8h (누계 12h); 금 2/20 09–12 3h + 13–14 1h = 16h → 2/20 14:00
    (kst(2026, 2, 13, 14), "2d", kst(2026, 2, 20, 14), "민원처리법 제19조 제1항"),
    # 삼일절+대체공휴일: 1일, 금 2/27 16:00. 금 2h; 2/28 토, 3/1 일(삼일절), 3/2 대체 제외;
    # 화 3/3 09–12 3h + 13–16 3h = 8h → 3/3 16:00
    (kst(2026, 2, 27, 16), "1d", kst(2026, 3, 3, 16), "민원처리법 제19조 제1항"),
    # 지방선거일 6/3: 1일, 화 6/2 13:00. 화 13–18 = 5h; 6/3 제외; 목 09–12 = 3h → 정확히 12:00
    (kst(2026, 6, 2, 13), "1d", kst(2026, 6, 4, 12), "민원처리법 제19조 제1항"),
    # 5일(40h), 월 3/9 10:00: 월 10–18 7h, 화–금 32h (누계 39h), 월 3/16 09–10 1h → 3/16 10:00
    (kst(2026, 3, 9, 10), "5d", kst(2026, 3, 16, 10), "민원처리법 제19조 제1항"),
    # 노동절·어린이날: 1일, 목 4/30 14:00. 목 4h; 5/1 노동절·주말 제외; 월 5/4 09–12 3h + 13–14 1h
    (kst(2026, 4, 30, 14), "1d", kst(2026, 5, 4, 14), "민원처리법 제19조 제1항"),
    # 다른 시간대로 준 접수시각: 06:00Z = 15:00 KST → 계약 예시와 같음
    (
        datetime.fromisoformat("2026-03-09T06:00:00+00:00"),
        "3d",
        kst(2026, 3, 12, 15),
        "민원처리법 제19조 제1항",
    ),
]

DAY_ROWS: list[Row] = [
    # 계약 예시: 7일, 월 3/9 10:00. 1일차 3/9 … 5일차 3/13, 6일차 3/16, 7일차 3/17 → 18:00
    (kst(2026, 3, 9, 10), "7d", kst(2026, 3, 17, 18), "민원처리법 제19조 제2항"),
    # 18:00 직전 접수도 그날이 1일차: 6일, 월 3/9 17:59 → 6일차 월 3/16
    (kst(2026, 3, 9, 17, 59), "6d", kst(2026, 3, 16, 18), "민원처리법 제19조 제2항"),
    # 토요일 접수: 6일, 토 3/14 → 1일차 월 3/16, 6일차 월 3/23
    (kst(2026, 3, 14, 11), "6d", kst(2026, 3, 23, 18), "민원처리법 제19조 제2항"),
    # 추석: 7일, 수 9/23. 1일차 9/23; 9/24–9/27 제외; 2–6일차 9/28–10/2; 10/3–10/5 제외; 7일차 화 10/6
    (kst(2026, 9, 23, 10), "7d", kst(2026, 10, 6, 18), "민원처리법 제19조 제2항"),
    # 노동절: 6일, 목 4/30. 1일차 4/30; 5/1 제외; 5/4 2일차; 5/5 제외; 5/6·7·8 3–5일차; 5/11 6일차
    (kst(2026, 4, 30, 9), "6d", kst(2026, 5, 11, 18), "민원처리법 제19조 제2항"),
    # 14일(건의민원), 월 3/9: 3/9–3/13(5), 3/16–3/20(10), 3/23–3/26(14) → 목 3/26
    (kst(2026, 3, 9, 9), "14d", kst(2026, 3, 26, 18), "민원처리법 제19조 제2항"),
]

CALENDAR_BASIS = "민원처리법 제19조 제3항, 민법 제159조~제161조"
CALENDAR_ROWS: list[Row] = [
    # 계약 예시: 1개월, 3/10 → 4/10의 전일 4/9(목) → 18:00
    (kst(2026, 3, 10, 10), "1m", kst(2026, 4, 9, 18), CALENDAR_BASIS),
    # 계약 예시: 1개월, 1/31 → 2월에 31일 없음 → 2/28(토) 만료(제160조③); 3/1 일·삼일절, 3/2 대체 → 3/3
    (kst(2026, 1, 31, 10), "1m", kst(2026, 3, 3, 18), CALENDAR_BASIS),
    # 1개월, 1/30 → 2/30 없음 → 2/28 → 제161조로 3/3 (1/31과 같음)
    (kst(2026, 1, 30, 10), "1m", kst(2026, 3, 3, 18), CALENDAR_BASIS),
    # 1개월, 1/28 → 2/28의 전일 2/27(금) → 18:00
    (kst(2026, 1, 28, 10), "1m", kst(2026, 2, 27, 18), CALENDAR_BASIS),
    # 2주, 화 3/10 → 3/24의 전일 3/23(월)
    (kst(2026, 3, 10, 10), "2w", kst(2026, 3, 23, 18), CALENDAR_BASIS),
    # 1주, 일 5/31 접수(초일 산입) → 6/6(토, 현충일) → 6/7 일 → 월 6/8
    (kst(2026, 5, 31, 10), "1w", kst(2026, 6, 8, 18), CALENDAR_BASIS),
    # 1개월, 12/31 → 2027-01-31의 전일 1/30(토) → 1/31 일 → 2027-02-01(월)
    (kst(2026, 12, 31, 10), "1m", kst(2027, 2, 1, 18), CALENDAR_BASIS),
    # 1년, 2027-03-01 → 2028-03-01의 전일 = 윤일 2028-02-29(화)
    (kst(2027, 3, 1, 10), "1y", kst(2028, 2, 29, 18), CALENDAR_BASIS),
    # 1년, 윤일 2028-02-29 → 2029-02-29 없음 → 2029-02-28(수) (제160조③)
    (kst(2028, 2, 29, 10), "1y", kst(2029, 2, 28, 18), CALENDAR_BASIS),
    # 3개월, 11/30 → 2027-02-30 없음 → 2/28(일) → 3/1(월, 삼일절) → 3/2(화)
    (kst(2026, 11, 30, 10), "3m", kst(2027, 3, 2, 18), CALENDAR_BASIS),
]


@pytest.mark.parametrize(
    ("registered_at", "period", "due_at", "basis"), HOUR_ROWS + DAY_ROWS + CALENDAR_ROWS
)
def test_deadline_table(registered_at: datetime, period: str, due_at: datetime, basis: str) -> None:
    cal = CAL
    deadline = compute_deadline(registered_at=registered_at, period=period, calendar=cal)
    assert deadline.due_at == due_at
    assert deadline.due_at.utcoffset() == due_at.utcoffset()
    assert deadline.legal_basis == basis
    assert compute_due_at(registered_at=registered_at, period=period, calendar=cal) == due_at


EXCLUDED_ROWS: list[tuple[datetime, str, list[tuple[datetime, datetime]], datetime]] = [
    # 시간 규칙 + 보완기간 화 09–18 (8h) 불산입: 계약 예시 목 15:00 + 8h → 금 3/13 15:00
    (
        kst(2026, 3, 9, 15),
        "3d",
        [(kst(2026, 3, 10, 9), kst(2026, 3, 10, 18))],
        kst(2026, 3, 13, 15),
    ),
    # 겹치는 구간은 한 번만: 화 09–13, 화 11–15 → 합집합 09–15 = 3h + 2h = 5h;
    # 목 15:00 + 5h = 목 15–18 3h, 금 09–11 2h → 금 11:00
    (
        kst(2026, 3, 9, 15),
        "3d",
        [(kst(2026, 3, 10, 9), kst(2026, 3, 10, 13)), (kst(2026, 3, 10, 11), kst(2026, 3, 10, 15))],
        kst(2026, 3, 13, 11),
    ),
    # 접수 전에 시작한 구간은 접수 이후만: 월 09–16 중 15–16 1h → 목 16:00
    (kst(2026, 3, 9, 15), "3d", [(kst(2026, 3, 9, 9), kst(2026, 3, 9, 16))], kst(2026, 3, 12, 16)),
    # 시작=끝인 구간은 시간 규칙에서 아무것도 빼지 않음
    (
        kst(2026, 3, 9, 15),
        "3d",
        [(kst(2026, 3, 10, 10), kst(2026, 3, 10, 10))],
        kst(2026, 3, 12, 15),
    ),
    # 기한 뒤의 구간은 영향 없음
    (
        kst(2026, 3, 9, 15),
        "3d",
        [(kst(2026, 3, 20, 9), kst(2026, 3, 20, 18))],
        kst(2026, 3, 12, 15),
    ),
    # 일 규칙: 7일, 3/10 10:00–3/11 09:00 → 3/10·3/11 두 근무일 불산입(발송일·도달일 포함) → 3/19
    (
        kst(2026, 3, 9, 10),
        "7d",
        [(kst(2026, 3, 10, 10), kst(2026, 3, 11, 9))],
        kst(2026, 3, 19, 18),
    ),
    # 일 규칙, 겹침: 3/10–3/11과 3/11–3/12 → 3/10·11·12 세 근무일(3/11은 한 번) → 금 3/20
    (
        kst(2026, 3, 9, 10),
        "7d",
        [
            (kst(2026, 3, 10, 10), kst(2026, 3, 11, 10)),
            (kst(2026, 3, 11, 15), kst(2026, 3, 12, 10)),
        ],
        kst(2026, 3, 20, 18),
    ),
    # 일 규칙, 시작=끝 구간: 그 날짜(3/10) 하나 불산입 → 3/18
    (
        kst(2026, 3, 9, 10),
        "7d",
        [(kst(2026, 3, 10, 12), kst(2026, 3, 10, 12))],
        kst(2026, 3, 18, 18),
    ),
    # 일 규칙, 주말만 걸친 구간(3/14–3/15)은 근무일이 없으므로 변화 없음 → 3/17
    (
        kst(2026, 3, 9, 10),
        "7d",
        [(kst(2026, 3, 14, 10), kst(2026, 3, 15, 10))],
        kst(2026, 3, 17, 18),
    ),
    # 달력 규칙: 1개월 3/10, 3/20–3/22 세 역일 불산입 → 4/9 + 3 = 4/12(일) → 제161조 4/13(월)
    (
        kst(2026, 3, 10, 10),
        "1m",
        [(kst(2026, 3, 20, 10), kst(2026, 3, 22, 10))],
        kst(2026, 4, 13, 18),
    ),
    # 달력 규칙, 겹침: 3/20–3/22와 3/21–3/23 → 3/20–3/23 네 역일 → 4/13(월) → 18:00
    (
        kst(2026, 3, 10, 10),
        "1m",
        [
            (kst(2026, 3, 20, 10), kst(2026, 3, 22, 10)),
            (kst(2026, 3, 21, 10), kst(2026, 3, 23, 10)),
        ],
        kst(2026, 4, 13, 18),
    ),
    # 달력 규칙, 기간 만료 뒤 구간은 무시
    (kst(2026, 3, 10, 10), "1m", [(kst(2026, 5, 1, 10), kst(2026, 5, 2, 10))], kst(2026, 4, 9, 18)),
]


@pytest.mark.parametrize(("registered_at", "period", "excluded", "due_at"), EXCLUDED_ROWS)
def test_excluded_intervals(
    registered_at: datetime,
    period: str,
    excluded: list[tuple[datetime, datetime]],
    due_at: datetime,
) -> None:
    cal = CAL
    deadline = compute_deadline(
        registered_at=registered_at, period=period, calendar=cal, excluded=excluded
    )
    assert deadline.due_at == due_at
    assert (
        compute_due_at(registered_at=registered_at, period=period, calendar=cal, excluded=excluded)
        == due_at
    )


def test_extra_holiday_moves_day_rule() -> None:
    # 임시공휴일 3/12 지정: 7일, 월 3/9 → 3/12 제외 → 3/18
    cal = WorkingCalendar.default(extra_holidays=[date(2026, 3, 12)])
    deadline = compute_deadline(registered_at=kst(2026, 3, 9, 10), period="7d", calendar=cal)
    assert deadline.due_at == kst(2026, 3, 18, 18)
    assert [s.reason for s in deadline.explanation.skipped] == [
        "extra holiday",
        "weekend",
        "weekend",
    ]


def test_removed_holiday_counts_again() -> None:
    # 기관이 6/3을 근무일로 둔 경우: 1일, 화 6/2 13:00 → 5h + 수 09–12 3h → 수 6/3 12:00
    cal = WorkingCalendar.default(removed_holidays=[date(2026, 6, 3)])
    deadline = compute_deadline(registered_at=kst(2026, 6, 2, 13), period="1d", calendar=cal)
    assert deadline.due_at == kst(2026, 6, 3, 12)
    assert cal.version != WorkingCalendar.default().version
