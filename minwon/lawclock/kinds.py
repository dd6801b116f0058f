"""The kinds of 민원 the law distinguishes, and the processing period the Decree fixes for each.

Here, below the catalogue and the complaint lifecycle, because both speak of kinds: a catalogue
entry (민원사무편람) is for one kind, and a complaint is of one kind. Stdlib only.

| kind                | 민원의 종류 (법 제2조 제1호)    | period (영 제14조~제17조)         |
|---------------------|---------------------------------|-----------------------------------|
| `statutory`         | 법정민원                        | the catalogue's (법 제17조)       |
| `inquiry_law`       | 질의민원: 법령 해석             | 14일 (영 제14조 제1호)            |
| `inquiry_procedure` | 질의민원: 제도·절차 등          | 7일 (영 제14조 제2호)             |
| `suggestion`        | 건의민원                        | 14일 (영 제15조)                  |
| `other`             | 기타민원                        | 즉시 (영 제16조 제1항)            |
| `grievance`         | 고충민원                        | 7일 (영 제17조 제1항)             |
| `tip`               | 제보 (익명; not a 민원 in law)  | none                              |
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

__all__ = ["DECREE_PERIODS", "STATUTORY_PERIOD_BASIS", "ComplaintKind"]


class ComplaintKind(StrEnum):
    """법 제2조 제1호 민원의 종류, plus the anonymous tip track (not a 민원 in law)."""

    STATUTORY = "statutory"  # 법정민원
    INQUIRY_LAW = "inquiry_law"  # 질의민원: 법령 해석
    INQUIRY_PROCEDURE = "inquiry_procedure"  # 질의민원: 제도·절차 등 법령 외
    SUGGESTION = "suggestion"  # 건의민원
    OTHER = "other"  # 기타민원
    GRIEVANCE = "grievance"  # 고충민원
    TIP = "tip"  # 제보 (익명; 영 제2조① 제3호: 민원인이 아니므로 법정 처리기간 없음)


# 영 제14조~제17조: (period, legal basis) fixed by the Decree for the non-statutory kinds.
DECREE_PERIODS: Final[dict[ComplaintKind, tuple[str, str]]] = {
    ComplaintKind.INQUIRY_LAW: ("14d", "민원처리법 시행령 제14조 제1호"),
    ComplaintKind.INQUIRY_PROCEDURE: ("7d", "민원처리법 시행령 제14조 제2호"),
    ComplaintKind.SUGGESTION: ("14d", "민원처리법 시행령 제15조"),
    ComplaintKind.OTHER: ("instant", "민원처리법 시행령 제16조 제1항"),
    ComplaintKind.GRIEVANCE: ("7d", "민원처리법 시행령 제17조 제1항"),
}
# 법 제17조: a 법정민원's period is the one its entry in the 민원처리기준표 states.
STATUTORY_PERIOD_BASIS: Final = "민원처리법 제17조 (민원처리기준표)"
