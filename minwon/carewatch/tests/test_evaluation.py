"""Scoring: an incident the run ended on is censored, not missed; a real miss stays a miss."""

from __future__ import annotations

from minwon.carewatch.domain.detector import HIGH, PERSON, Alert
from minwon.carewatch.domain.evaluation import score
from minwon.carewatch.domain.simulation import START, Trace, Truth
from minwon.carewatch.domain.timebase import DAY, HOUR

REGISTRY = [{"hh": "h1", "dev": "d1", "enrolled_at": "2026-01-01T00:00:00+09:00", "area": "a"}]


def _trace(*incidents: tuple[str, int, str]) -> Trace:
    return Trace(REGISTRY, [], Truth(incidents=list(incidents), days=40))


def test_an_incident_the_run_ends_on_is_censored_not_missed() -> None:
    end = START + 40 * DAY
    near_end = ("h1", end - 2 * HOUR, "b")
    early = ("h1", START + 20 * DAY, "a")
    result = score(_trace(near_end, early), [])
    assert result["censored"] == 1
    assert result["missed"] == 1
    assert result["incidents"] == 1
    assert result["delay_hours"]["median"] is None  # the only daytime incident was missed


def test_a_detected_incident_near_the_end_counts() -> None:
    end = START + 40 * DAY
    onset = end - 5 * HOUR
    alert = Alert("h1", onset + 3 * HOUR, "R3", HIGH, PERSON, onset)
    result = score(_trace(("h1", onset, "b")), [alert])
    assert result["censored"] == 0
    assert result["missed"] == 0
    assert result["delay_hours"]["median"] == 3.0
    assert result["detected_within_hours"]["6"] == 1.0
