"""``minwon deadline``: compute one deadline, or a JSON Lines batch, and print JSON.

    minwon deadline --registered-at 2026-03-09T15:00:00+09:00 --period 3d \\
        [--exclude START/END] ... [--holiday 2026-03-12] ...
    minwon deadline --batch FILE      # JSON Lines; - for stdin

Single mode prints one JSON object (``due_at``, ``rule``, ``legal_basis`` and the explanation)
and exits 0; bad input prints one line naming the field on stderr and exits 2. Batch mode writes one
line per input line, ``{"id": …, "due_at": …}`` or ``{"id": …, "error": "…"}``, never stops on a
bad line and exits 0 unless the file cannot be read (then 2).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import NoReturn, TextIO

from minwon.lawclock.calendar import WorkingCalendar
from minwon.lawclock.due import Interval, compute_deadline, compute_due_at
from minwon.lawclock.errors import LawclockError

__all__ = ["main"]

_CALENDARS_KEPT = 64  # distinct holiday sets whose calendars a batch keeps


class _ExitError(Exception):
    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _Parser(argparse.ArgumentParser):
    """argparse writing to the given streams and raising instead of calling ``sys.exit``."""

    def __init__(self, *, out: TextIO, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._out = out

    def _print_message(self, message: str, file: object = None) -> None:
        self._out.write(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise _ExitError(status, message or "")

    def error(self, message: str) -> NoReturn:
        raise _ExitError(2, f"{self.prog}: error: {message}\n")


def _parser(stdout: TextIO) -> _Parser:
    parser = _Parser(
        out=stdout,
        prog="minwon deadline",
        description="Compute 민원 processing deadlines (민원처리법 제19조) and print JSON.",
    )
    parser.add_argument("--registered-at", metavar="INSTANT", help="e.g. 2026-03-09T15:00:00+09:00")
    parser.add_argument("--period", help="instant, Nh, Nd, Nw, Nm or Ny (e.g. 7d)")
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="START/END",
        help="an excluded interval (보완, 현장조사, outage …); repeatable",
    )
    parser.add_argument(
        "--holiday",
        action="append",
        default=[],
        metavar="DATE",
        help="an extra holiday; repeatable",
    )
    parser.add_argument("--batch", metavar="FILE", help="JSON Lines input; - for stdin")
    return parser


def main(argv: Sequence[str], *, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Run ``minwon deadline`` with ``argv`` (without the command name); returns the exit status."""
    try:
        args = _parser(stdout).parse_args(list(argv))
        if args.batch is not None:
            if (
                args.registered_at is not None
                or args.period is not None
                or args.exclude
                or args.holiday
            ):
                raise _ExitError(
                    2, "minwon deadline: error: --batch takes its input from the file only\n"
                )
            return _batch(args.batch, stdin=stdin, stdout=stdout, stderr=stderr)
        if args.registered_at is None or args.period is None:
            raise _ExitError(
                2, "minwon deadline: error: give --registered-at and --period, or --batch FILE\n"
            )
    except _ExitError as done:
        stderr.write(done.message)
        return done.status
    try:
        calendar = WorkingCalendar.default(extra_holidays=_holidays(args.holiday, "--holiday"))
        deadline = compute_deadline(
            registered_at=_instant(args.registered_at, "--registered-at"),
            period=args.period,
            calendar=calendar,
            excluded=[
                _interval_text(text, f"--exclude[{i}]") for i, text in enumerate(args.exclude)
            ],
        )
    except LawclockError as error:
        stderr.write(f"minwon deadline: error: {_describe(error, _OPTION_NAMES)}\n")
        return 2
    stdout.write(json.dumps(deadline.as_dict(), ensure_ascii=False) + "\n")
    return 0


_OPTION_NAMES = {"registered_at": "--registered-at", "period": "--period", "excluded": "--exclude"}
_BATCH_NAMES = {"excluded": "exclude"}


def _describe(error: LawclockError, names: dict[str, str]) -> str:
    """``field: message``, the field as the user wrote it (``--registered-at``, ``exclude[0]``)."""
    head, sep, tail = error.field.partition("[")
    field = names.get(head, head) + sep + tail
    message = error.message
    if message.startswith(error.field):
        return field + message[len(error.field) :]
    return f"{field}: {message}"


# -- parsing --------------------------------------------------------------------------------------
def _instant(value: object, field: str) -> datetime:
    if not isinstance(value, str):
        raise LawclockError(
            f"expected an ISO 8601 date-time string, got {json.dumps(value)}",
            field=field,
            code="lawclock.malformed_datetime",
        )
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise LawclockError(
            f"{value!r} is not an ISO 8601 date-time such as 2026-03-09T15:00:00+09:00",
            field=field,
            code="lawclock.malformed_datetime",
        ) from None


def _interval_text(text: str, field: str) -> Interval:
    start, sep, end = text.partition("/")
    if not sep:
        raise LawclockError(f"{text!r} is not START/END", field=field, code="lawclock.bad_interval")
    return _instant(start, f"{field}.start"), _instant(end, f"{field}.end")


def _holidays(values: object, field: str) -> frozenset[date]:
    if not isinstance(values, list):
        raise LawclockError("expected a list of dates", field=field, code="lawclock.malformed_date")
    days = set()
    for i, value in enumerate(values):
        try:
            days.add(date.fromisoformat(value))
        except (TypeError, ValueError):
            raise LawclockError(
                f"{json.dumps(value, ensure_ascii=False)} is not a date such as 2026-06-03",
                field=f"{field}[{i}]",
                code="lawclock.malformed_date",
            ) from None
    return frozenset(days)


def _intervals(values: object) -> list[Interval]:
    if not isinstance(values, list):
        raise LawclockError(
            "expected a list of [start, end] pairs", field="exclude", code="lawclock.bad_interval"
        )
    pairs: list[Interval] = []
    for i, pair in enumerate(values):
        if not isinstance(pair, list) or len(pair) != 2:
            raise LawclockError(
                "expected a [start, end] pair", field=f"exclude[{i}]", code="lawclock.bad_interval"
            )
        pairs.append(
            (_instant(pair[0], f"exclude[{i}].start"), _instant(pair[1], f"exclude[{i}].end"))
        )
    return pairs


# -- batch ----------------------------------------------------------------------------------------
def _batch(path: str, *, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    try:
        source: TextIO = stdin if path == "-" else open(path, encoding="utf-8", errors="replace")  # noqa: SIM115
    except OSError as error:
        stderr.write(f"minwon deadline: error: --batch: cannot read {path}: {error.strerror}\n")
        return 2
    calendars: OrderedDict[frozenset[date], WorkingCalendar] = OrderedDict()
    try:
        for line in _lines(source):
            stdout.write(json.dumps(_one(line, calendars), ensure_ascii=False) + "\n")
    finally:
        if source is not stdin:
            source.close()
    return 0


def _lines(source: TextIO) -> Iterable[str]:
    for line in source:
        if line.strip():
            yield line


def _one(line: str, calendars: OrderedDict[frozenset[date], WorkingCalendar]) -> dict[str, object]:
    try:
        item = json.loads(line)
    except ValueError as error:
        return {"id": None, "error": f"line is not JSON: {error}"}
    if not isinstance(item, dict):
        return {"id": None, "error": "line is not a JSON object"}
    ident = item.get("id")
    try:
        if "registered_at" not in item or "period" not in item:
            missing = "registered_at" if "registered_at" not in item else "period"
            raise LawclockError("missing", field=missing, code="lawclock.missing_field")
        period = item["period"]
        if not isinstance(period, str):
            raise LawclockError(
                f"expected text such as '7d', got {json.dumps(period)}",
                field="period",
                code="lawclock.unknown_period",
            )
        due = compute_due_at(
            registered_at=_instant(item["registered_at"], "registered_at"),
            period=period,
            calendar=_calendar(_holidays(item.get("holidays", []), "holidays"), calendars),
            excluded=_intervals(item.get("exclude", [])),
        )
    except LawclockError as error:
        return {"id": ident, "error": _describe(error, _BATCH_NAMES)}
    return {"id": ident, "due_at": due.isoformat()}


def _calendar(
    extra: frozenset[date], calendars: OrderedDict[frozenset[date], WorkingCalendar]
) -> WorkingCalendar:
    calendar = calendars.get(extra)
    if calendar is None:
        calendar = calendars[extra] = WorkingCalendar.default(extra_holidays=extra)
        if len(calendars) > _CALENDARS_KEPT:
            calendars.popitem(last=False)
    else:
        calendars.move_to_end(extra)
    return calendar


if __name__ == "__main__":  # pragma: no cover - run by test_cli.test_as_a_module
    raise SystemExit(main(sys.argv[1:], stdin=sys.stdin, stdout=sys.stdout, stderr=sys.stderr))
