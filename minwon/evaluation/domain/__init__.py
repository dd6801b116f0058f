"""The pure core of the evaluation: the indicators of answered cases (stdlib + lawclock)."""

from minwon.evaluation.domain.indicators import (
    DEFAULT_READING,
    REDUCTION_MIN_DAYS,
    Case,
    CaseFigures,
    Indicators,
    Reading,
    Result,
    case_figures,
    compute_indicators,
    in_reduction_scope,
)

__all__ = [
    "DEFAULT_READING",
    "REDUCTION_MIN_DAYS",
    "Case",
    "CaseFigures",
    "Indicators",
    "Reading",
    "Result",
    "case_figures",
    "compute_indicators",
    "in_reduction_scope",
]
