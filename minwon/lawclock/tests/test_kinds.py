"""The kinds of 민원 (법 제2조 제1호) and the periods the Decree fixes for them (영 제14조~제17조)."""

from __future__ import annotations

from minwon.lawclock import parse_period
from minwon.lawclock.kinds import DECREE_PERIODS, STATUTORY_PERIOD_BASIS, ComplaintKind


def test_the_decree_fixes_a_period_for_every_kind_but_statutory_and_tips() -> None:
    # 법정민원 take the catalogue's period (법 제17조); a tip has none (영 제2조① 제3호).
    assert set(DECREE_PERIODS) == set(ComplaintKind) - {ComplaintKind.STATUTORY, ComplaintKind.TIP}
    assert "제17조" in STATUTORY_PERIOD_BASIS


def test_each_decree_period_is_a_period_the_clock_reads() -> None:
    written = {kind: parse_period(period).kind for kind, (period, _basis) in DECREE_PERIODS.items()}
    assert written[ComplaintKind.OTHER] == "instant"  # 영 제16조 제1항: 즉시
    assert DECREE_PERIODS[ComplaintKind.INQUIRY_LAW][0] == "14d"  # 영 제14조 제1호
    assert DECREE_PERIODS[ComplaintKind.GRIEVANCE][0] == "7d"  # 영 제17조 제1항
    assert all(basis.startswith("민원처리법 시행령 제1") for _p, basis in DECREE_PERIODS.values())
