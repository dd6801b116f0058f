"""``minwon evaluation compute FILE``: the 종합평가 indicators of an export of answered complaints.

FILE is JSON Lines (``-`` for stdin), one answered complaint a line (a 새올 extract, another
system's export, a test)::

    {"id": "2026-0001", "kind": "statutory", "org_unit": "A", "period": "10d",
     "registered_at": "2026-03-09T10:00:00+09:00", "answered_at": "2026-03-12T15:00:00+09:00",
     "due_at": "2026-03-20T18:00:00+09:00", "excluded": [[start, end], ...]}

``kind`` is one of the complaint kinds (``statutory``, ``inquiry_law``, ``inquiry_procedure``,
``suggestion``, ``other``, ``grievance``, ``tip``); ``period`` is written as the deadline contract
writes it; ``due_at`` is the deadline as it stood at the answer. ``period`` and ``due_at`` may be
null only for a ``tip`` (it has no legal period). ``excluded`` may be left out. Every time carries
its UTC offset.

It prints one JSON object: ``reduction_rate`` (처리기간 단축률) and ``delay_rate`` (지연율), each
with ``overall`` and ``by_unit`` {org unit: value} in percent (rounded to 2 decimals; null when
there is nothing to divide) and ``counts`` (the sums and numbers behind them, overall and by unit),
plus ``on_time_rate``, ``average_processing`` and the ``reading`` used. The reading is the issue's
default; ``--aggregate``, ``--unit``, ``--legal``, ``--negative`` and ``--excluded`` select the
others (docs/evaluation.md). ``--holiday DATE`` adds an organisation's holiday (repeatable).

A bad line (not JSON, a missing or malformed field, an unknown kind or period, a time without
offset, an answer before registration, a repeated id) stops with one message naming the line and
the field on stderr and exit status 2; ``--skip-invalid`` leaves such lines out, says why on stderr
and counts them in ``skipped``. No database, no Django start-up (import-linter contract).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, NoReturn, TextIO

from minwon.evaluation.domain import Case, Indicators, Reading, case_figures
from minwon.lawclock import LawclockError, WorkingCalendar
from minwon.lawclock.kinds import ComplaintKind

__all__ = ["main", "read_cases", "report"]

_PROG = "minwon evaluation"
_KINDS = tuple(k.value for k in ComplaintKind)


class UsageError(Exception):
    """Bad input or arguments: one line on stderr, exit status 2."""


class LineError(ValueError):
    """One bad line: what is wrong with which field."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            sys.stderr.write(message)
        raise SystemExit(status)


def _instant(record: dict[str, Any], name: str, *, optional: bool = False) -> datetime | None:
    value = record.get(name)
    if value is None:
        if optional:
            return None
        raise LineError(
            f"{name}: missing (an ISO 8601 time with offset, e.g. 2026-03-09T10:00+09:00)"
        )
    return _parse_instant(value, name)


def _parse_instant(value: object, name: str) -> datetime:
    if not isinstance(value, str):
        raise LineError(f"{name}: must be an ISO 8601 time as text, not {type(value).__name__}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise LineError(f"{name}: {value!r} is not an ISO 8601 time") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise LineError(f"{name}: {value!r} has no UTC offset (write e.g. +09:00)")
    return parsed


def _case(record: object) -> Case:
    """One line's case; raises :class:`LineError` naming the field."""
    if not isinstance(record, dict):
        raise LineError("not a JSON object")
    raw_id = record.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)) or not str(raw_id).strip():
        raise LineError("id: missing (a non-empty text or number)")
    kind = record.get("kind")
    if kind not in _KINDS:
        raise LineError(f"kind: {kind!r} is not one of {', '.join(_KINDS)}")
    unit = record.get("org_unit")
    if not isinstance(unit, str) or not unit.strip():
        raise LineError("org_unit: missing (the org unit's code as text)")
    is_tip = kind == ComplaintKind.TIP
    period = record.get("period")
    if period is None and is_tip:
        period = ""
    if not isinstance(period, str) or (not period and not is_tip):
        raise LineError("period: missing (as the deadline contract writes it, e.g. '10d')")
    registered = _instant(record, "registered_at")
    answered = _instant(record, "answered_at")
    due = _instant(record, "due_at", optional=is_tip)
    raw_excluded = record.get("excluded", [])
    if raw_excluded is None:
        raw_excluded = []
    if not isinstance(raw_excluded, list):
        raise LineError("excluded: must be a list of [start, end] pairs")
    excluded: list[tuple[datetime, datetime]] = []
    for i, pair in enumerate(raw_excluded):
        name = f"excluded[{i}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise LineError(f"{name}: must be a [start, end] pair")
        start, end = _parse_instant(pair[0], f"{name}[0]"), _parse_instant(pair[1], f"{name}[1]")
        if end < start:
            raise LineError(f"{name}: ends before it starts")
        excluded.append((start, end))
    assert registered is not None
    assert answered is not None
    return Case(
        id=str(raw_id),
        kind=kind,
        org_unit=unit.strip(),
        period=period.strip(),
        registered_at=registered,
        answered_at=answered,
        due_at=due,
        excluded=tuple(excluded),
    )


def read_cases(
    lines: Iterable[str],
    *,
    calendar: WorkingCalendar,
    skip_invalid: bool = False,
    stderr: TextIO | None = None,
) -> tuple[list[Case], int]:
    """The cases of JSON Lines, each checked against the clock; (cases, lines skipped).

    Raises :class:`UsageError` naming the first bad line unless ``skip_invalid``.
    """
    cases: list[Case] = []
    seen: dict[str, int] = {}
    skipped = 0
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise LineError(f"not valid JSON ({exc.msg})") from None
            case = _case(record)
            if case.id in seen:
                raise LineError(f"id: {case.id!r} is already on line {seen[case.id]}")
            try:
                case_figures(case, calendar=calendar)
            except LawclockError as exc:
                raise LineError(f"{exc.field}: {exc}") from None
        except LineError as exc:
            message = f"{_PROG}: line {line_no}: {exc}"
            if not skip_invalid:
                raise UsageError(message) from None
            skipped += 1
            if stderr is not None:
                stderr.write(message + " (skipped)\n")
            continue
        seen[case.id] = line_no
        cases.append(case)
    return cases, skipped


def _percent(value: Fraction | None) -> float | None:
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _number(value: Fraction) -> int | float:
    if value.denominator == 1:
        return int(value)
    return float(
        (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP
        )
    )


def _reduction_counts(ind: Indicators) -> dict[str, int | float]:
    return {
        "cases": ind.reduction_cases,
        "legal": _number(ind.legal_total),
        "actual": _number(ind.actual_total),
        "reduced": _number(ind.reduced_total),
    }


def _delay_counts(ind: Indicators) -> dict[str, int]:
    return {"answered": ind.with_deadline, "late": ind.late}


def report(
    cases: Sequence[Case], *, calendar: WorkingCalendar, reading: Reading, skipped: int = 0
) -> dict[str, Any]:
    """The JSON object ``minwon evaluation compute`` prints."""
    overall = Indicators(reading=reading)
    units: dict[str, Indicators] = {}
    for case in cases:
        figures = case_figures(case, calendar=calendar, reading=reading)
        overall.add(figures)
        units.setdefault(case.org_unit, Indicators(reading=reading)).add(figures)
    order = sorted(units)

    def rates(attr: str) -> dict[str, Any]:
        return {
            "overall": _percent(getattr(overall, attr)),
            "by_unit": {u: _percent(getattr(units[u], attr)) for u in order},
        }

    def mean(attr: str) -> dict[str, Any]:
        def value(ind: Indicators) -> int | float | None:
            v = getattr(ind, attr)
            return None if v is None else _number(v)

        return {"overall": value(overall), "by_unit": {u: value(units[u]) for u in order}}

    unit_name = "working_days" if reading.unit == "days" else "working_hours"
    return {
        "reading": reading.as_dict(),
        "cases": len(cases),
        "skipped": skipped,
        "reduction_rate": {
            **rates("reduction_rate"),
            "unit": unit_name,
            "counts": {
                "overall": _reduction_counts(overall),
                "by_unit": {u: _reduction_counts(units[u]) for u in order},
            },
        },
        "delay_rate": {
            **rates("delay_rate"),
            "counts": {
                "overall": _delay_counts(overall),
                "by_unit": {u: _delay_counts(units[u]) for u in order},
            },
        },
        "on_time_rate": rates("on_time_rate"),
        "average_processing": {
            "working_days": mean("average_working_days"),
            "working_hours": mean("average_working_hours"),
        },
    }


def _parser() -> _Parser:
    parser = _Parser(prog=_PROG, description="The 민원서비스 종합평가 indicators from files.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    compute = sub.add_parser(
        "compute",
        help="indicators of answered complaints in JSON Lines",
        description="Compute 처리기간 단축률, 지연율 and the rest from JSON Lines (- for stdin).",
    )
    compute.add_argument("file", metavar="FILE", help="JSON Lines, one answered complaint a line")
    compute.add_argument(
        "--aggregate",
        choices=("sum", "mean"),
        default="sum",
        help="단축률 as a ratio of sums (default) or the mean of per-case rates",
    )
    compute.add_argument(
        "--unit",
        choices=("days", "hours"),
        default="days",
        help="working days as 법 제19조② counts them (default) or working hours",
    )
    compute.add_argument(
        "--legal",
        choices=("catalogue", "extended"),
        default="catalogue",
        help="the catalogue period (default) or the period with its extension",
    )
    compute.add_argument(
        "--negative",
        choices=("keep", "zero"),
        default="keep",
        help="late cases count negative (default) or 0",
    )
    compute.add_argument(
        "--excluded",
        choices=("subtract", "count"),
        default="subtract",
        help="excluded time off the actual duration (default) or left in",
    )
    compute.add_argument(
        "--holiday",
        action="append",
        default=[],
        metavar="DATE",
        help="an extra holiday of the organisation (YYYY-MM-DD); repeatable",
    )
    compute.add_argument(
        "--skip-invalid",
        action="store_true",
        help="leave bad lines out (counted in `skipped`) instead of stopping",
    )
    return parser


def _holidays(values: Sequence[str]) -> list[date]:
    days = []
    for value in values:
        try:
            days.append(date.fromisoformat(value))
        except ValueError:
            raise UsageError(f"{_PROG}: --holiday {value!r} is not a date (YYYY-MM-DD)") from None
    return days


def main(
    argv: Sequence[str],
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    stderr = sys.stderr if stderr is None else stderr
    try:
        args = _parser().parse_args(list(argv))
        reading = Reading(
            aggregate=args.aggregate,
            unit=args.unit,
            legal=args.legal,
            negative=args.negative,
            excluded=args.excluded,
        )
        calendar = WorkingCalendar.default(extra_holidays=_holidays(args.holiday))
        if args.file == "-":
            cases, skipped = read_cases(
                stdin, calendar=calendar, skip_invalid=args.skip_invalid, stderr=stderr
            )
        else:
            try:
                handle = open(args.file, encoding="utf-8-sig")  # noqa: SIM115
            except OSError as exc:
                raise UsageError(
                    f"{_PROG}: cannot read {args.file}: {exc.strerror or exc}"
                ) from exc
            with handle:
                try:
                    cases, skipped = read_cases(
                        handle, calendar=calendar, skip_invalid=args.skip_invalid, stderr=stderr
                    )
                except UnicodeDecodeError:
                    raise UsageError(f"{_PROG}: {args.file} is not UTF-8 text") from None
        result = report(cases, calendar=calendar, reading=reading, skipped=skipped)
    except UsageError as exc:
        stderr.write(f"{exc}\n")
        return 2
    stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0
