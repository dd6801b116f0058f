"""The canonical telemetry event of care-monitor.md §5.1 and the household registry entry.

Only event types, timestamps, sequence numbers and liveness are accepted: a record that carries
what was watched (channel, programme, volume, audio …) is rejected, never stored (§4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .timebase import parse_hhmm, parse_iso

EVENT_TYPES = frozenset({"tv_on", "tv_off", "input", "ack", "heartbeat", "boot"})
# Person activity: the resident pressed something. `boot` is the device powering up; it is
# evidence for the morning rule only (the resident switched the power strip on, §5.9).
ACTIVITY_TYPES = frozenset({"tv_on", "tv_off", "input", "ack"})
CONTENT_FIELDS = frozenset(
    {"channel", "chan", "programme", "program", "title", "volume", "audio", "content", "genre"}
)
MAX_ID_LENGTH = 64
# Times outside 2000-01-01 … 2100-01-01 (epoch ms) are malformed, not "far future": a clock that
# jumped by centuries must not make a host walk millions of half-hour slots.
MIN_TIME = 946_684_800_000
MAX_TIME = 4_102_444_800_000
MAX_SEQ = 2**63 - 1


@dataclass(frozen=True, slots=True)
class Event:
    hh: str
    dev: str
    seq: int
    ts: int  # device clock, epoch ms
    rx: int  # receive time stamped by the server, epoch ms
    type: str
    hb_tv: str | None = None  # heartbeat summary: "on" / "off"
    hb_inputs: int | None = None  # heartbeat summary: inputs counted by the device


class Rejected(ValueError):
    """A record that is not a canonical event; `reason` is the counter it is filed under."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return int(value)


def _ident(value: Any) -> str | None:
    if isinstance(value, str) and 0 < len(value) <= MAX_ID_LENGTH and value.isprintable():
        return value
    return None


def parse_event(obj: Any) -> Event:
    """A decoded JSON object → `Event`, or `Rejected("malformed" | "content", …)`."""
    if not isinstance(obj, dict):
        raise Rejected("malformed", "not an object")
    if CONTENT_FIELDS & obj.keys():
        raise Rejected("content", "viewing content is never accepted")
    hh, dev = _ident(obj.get("hh")), _ident(obj.get("dev"))
    seq, ts, rx = _int(obj.get("seq")), _int(obj.get("ts")), _int(obj.get("rx"))
    kind = obj.get("type")
    if hh is None or dev is None:
        raise Rejected("malformed", "hh/dev")
    if seq is None or not 0 <= seq <= MAX_SEQ:
        raise Rejected("malformed", "seq")
    if ts is None or rx is None or not (MIN_TIME <= ts < MAX_TIME and MIN_TIME <= rx < MAX_TIME):
        raise Rejected("malformed", "ts/rx")
    if not isinstance(kind, str) or kind not in EVENT_TYPES:
        raise Rejected("malformed", "type")
    hb_tv: str | None = None
    hb_inputs: int | None = None
    hb = obj.get("hb")
    if hb is not None:
        if not isinstance(hb, dict):
            raise Rejected("malformed", "hb")
        if CONTENT_FIELDS & hb.keys():
            raise Rejected("content", "viewing content is never accepted")
        tv = hb.get("tv")
        hb_tv = tv if tv in ("on", "off") else None
        n = _int(hb.get("n_input"))
        hb_inputs = n if n is not None and n >= 0 else None
    return Event(hh, dev, seq, ts, rx, str(kind), hb_tv, hb_inputs)


@dataclass(frozen=True, slots=True)
class Household:
    """One registry line: a device of an enrolled household, and what the detector needs."""

    hh: str
    dev: str
    enrolled_at: int
    area: str
    morning_min: int | None  # agreed morning time, minutes after local midnight
    heartbeat_ms: int  # 0 = the device sends no heartbeats (liveness unknown)
    away: tuple[tuple[int, int], ...] = field(default=())


def parse_registry_line(obj: Any) -> Household:
    if not isinstance(obj, dict):
        raise Rejected("malformed", "registry line is not an object")
    hh, dev = _ident(obj.get("hh")), _ident(obj.get("dev"))
    if hh is None or dev is None:
        raise Rejected("malformed", "registry hh/dev")
    try:
        enrolled = parse_iso(str(obj["enrolled_at"]))
        morning = parse_hhmm(obj.get("morning_time"))
        hb = obj.get("heartbeat_s")
        heartbeat_ms = 0 if hb in (None, 0) else int(str(hb)) * 1000
        if heartbeat_ms < 0:
            raise ValueError("heartbeat_s")
        if not MIN_TIME <= enrolled < MAX_TIME:
            raise ValueError("enrolled_at outside 2000–2100")
        away = tuple(
            sorted((parse_iso(str(a)), parse_iso(str(b))) for a, b in obj.get("away") or ())
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise Rejected("malformed", f"registry {hh}: {exc}") from None
    area = obj.get("area")
    return Household(
        hh,
        dev,
        enrolled,
        str(area) if area is not None else "",
        morning,
        heartbeat_ms,
        tuple((a, b) for a, b in away if b > a),
    )
