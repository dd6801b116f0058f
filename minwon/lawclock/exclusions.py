"""Time the law does not count (처리기간에 산입하지 않는 기간), each with its legal basis.

영 제20조 excludes the periods of 행정절차법 시행령 제11조 (제1호) and, since 2026.5.6, the time an
information-system outage made processing impossible (제2호); 영 제17조④⑤ excludes a 고충민원's
site investigation. An excluded interval is a start and an end instant; ``compute_deadline`` takes
them as ``excluded`` and moves the deadline by the working time (hour rules) or working days (day
rules) they cover. Stdlib only.

- `supplement`: 보완에 소요되는 기간, via the supplement request (행정절차법 시행령 제11조 제1호)
- `document_transit`: 접수·경유·협의 기관이 멀어 문서 이송에 드는 기간 (제11조 제2호)
- `representative`: 대표자 선정 기간 (제11조 제3호)
- `hearing`: 의견청취 — 청문·공청회 등 (제11조 제4호)
- `testing`: 실험·검사·감정, 전문적인 기술검토 (제11조 제5호)
- `prior_matter`: 선행사무의 완결을 조건으로 하는 경우 (제11조 제6호)
- `site_investigation`: 고충민원 현장조사, 14일 이내 + 1회 7일 (민원처리법 시행령 제17조④⑤)
- `system_outage`: 정보시스템 장애로 처리가 불가능한 기간, 2026.5.6.부터 (영 제20조 제2호)
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Final

from minwon.lawclock.calendar import SEOUL
from minwon.lawclock.errors import LawclockError

__all__ = ["EXCLUSION_BASES", "ExclusionKind", "check_exclusion"]


class ExclusionKind(StrEnum):
    SUPPLEMENT = "supplement"
    DOCUMENT_TRANSIT = "document_transit"
    REPRESENTATIVE = "representative"
    HEARING = "hearing"
    TESTING = "testing"
    PRIOR_MATTER = "prior_matter"
    SITE_INVESTIGATION = "site_investigation"
    SYSTEM_OUTAGE = "system_outage"


_PROCEDURE = "민원처리법 시행령 제20조 제1호, 행정절차법 시행령 제11조"
EXCLUSION_BASES: Final[dict[ExclusionKind, str]] = {
    ExclusionKind.SUPPLEMENT: f"{_PROCEDURE} 제1호",
    ExclusionKind.DOCUMENT_TRANSIT: f"{_PROCEDURE} 제2호",
    ExclusionKind.REPRESENTATIVE: f"{_PROCEDURE} 제3호",
    ExclusionKind.HEARING: f"{_PROCEDURE} 제4호",
    ExclusionKind.TESTING: f"{_PROCEDURE} 제5호",
    ExclusionKind.PRIOR_MATTER: f"{_PROCEDURE} 제6호",
    ExclusionKind.SITE_INVESTIGATION: "민원처리법 시행령 제17조 제4항·제5항",
    ExclusionKind.SYSTEM_OUTAGE: "민원처리법 시행령 제20조 제2호",
}
# 영 제17조④: 현장조사 14일 이내, 1회에 한정하여 7일 이내 연장 — at most 21 days in all.
SITE_INVESTIGATION_MAX: Final = timedelta(days=21)
# 영 제20조 제2호 (부칙 제3조): outages from the day the 2026.5.6. amendment came into force.
SYSTEM_OUTAGE_FROM: Final = date(2026, 5, 6)


def _aware(value: datetime, field: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise LawclockError(
            f"{field} needs a time zone.", field=field, code="lawclock.naive_datetime"
        )
    return value


def check_exclusion(
    *,
    kind: str,
    start: datetime,
    end: datetime | None,
    complaint_kind: str,
    now: datetime,
) -> ExclusionKind:
    """The interval's kind, checked: it has begun (and ended, if `end` is given) by `now`, ends
    after it starts, and the law excludes such time for this kind of complaint. `end` None: the
    interval is still running (the clock is stopped until it ends)."""
    try:
        parsed = ExclusionKind(kind)
    except ValueError:
        raise LawclockError(
            f"Unknown kind of excluded time: {kind!r}.",
            field="kind",
            code="lawclock.exclusion_kind",
        ) from None
    start = _aware(start, "start")
    if start > now or (end is not None and _aware(end, "end") > now):
        raise LawclockError(
            "Excluded time is recorded once it has begun (and ended).",
            field="start" if start > now else "end",
            code="lawclock.exclusion_in_future",
        )
    if end is not None and end <= start:
        raise LawclockError(
            "Excluded time must end after it starts.", field="end", code="lawclock.exclusion_order"
        )
    if parsed == ExclusionKind.SITE_INVESTIGATION:
        if complaint_kind != "grievance":
            raise LawclockError(
                "Site-investigation time is excluded for grievances only (영 제17조④⑤).",
                field="kind",
                code="lawclock.exclusion_not_applicable",
            )
        if (end or now) - start > SITE_INVESTIGATION_MAX:
            raise LawclockError(
                "A site investigation is excluded for at most 14 + 7 days (영 제17조④).",
                field="end",
                code="lawclock.exclusion_too_long",
            )
    if (
        parsed == ExclusionKind.SYSTEM_OUTAGE
        and start.astimezone(SEOUL).date() < SYSTEM_OUTAGE_FROM
    ):
        raise LawclockError(
            "Outages are excluded from 2026-05-06 (영 제20조 제2호, 부칙 제3조).",
            field="start",
            code="lawclock.exclusion_not_applicable",
        )
    return parsed
