"""``minwon benefits evaluate FILE``: what a family would get, a JSON line each (no Django).

FILE is JSON Lines (``-`` for stdin), one family situation a line::

    {"id": "f-1", "as_of": "2026-04-20", "month": "2026-05",
     "child": {"birth_date": "2026-03-10", "birth_order": 1, "birth_registered_on": "2026-03-20"},
     "residence": {"sigungu_code": "41480", "since": "2020-01-01"}}

``as_of`` is the application date, ``month`` the month monthly amounts are asked for,
``birth_registered_on`` the 출생신고 date (``null`` while the birth is not registered),
``sigungu_code`` a 5-digit 행정구역 code (41480 파주시). For each line, in order, one line::

    {"id": "f-1", "programmes": {"parental_benefit": {"eligible": true, "amount": 1000000,
      "reasons": ["부모급여 0세 월 100만원: 2026-03 출생, 신청일이 출생 후 60일 이내 …"]}, …}}

with every programme the catalogue computes (``first_meeting_voucher``, ``parental_benefit``,
``child_allowance``, ``paju_birth_grant`` (both instalments), ``gyeonggi_postpartum_care``).
``amount`` is in won; for monthly programmes the amount for ``month`` (0 when nothing is paid
that month); for one-off ones the whole amount when eligible, else 0. Reasons are Korean
(``--language en`` for English), from the project's message catalogue.

A line that cannot be evaluated (not JSON, a missing or malformed field, a birth after the
application date, a birth order outside 1–20, a registration before the birth, a move-in after
the application date) gets ``{"line": N, "id": …, "error": "…"}`` in its place and a message on
stderr; the batch goes on. Blank lines are skipped. Exit status: 0 when every line was
evaluated, 1 when some line was bad, 2 when the file cannot be read or the arguments are wrong.
"""

from __future__ import annotations

import argparse
import gettext
import json
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any, NoReturn, TextIO

from minwon.benefits.catalogue import CatalogueError, catalogue_default
from minwon.benefits.domain.catalogue import Catalogue
from minwon.benefits.domain.dates import Month
from minwon.benefits.domain.eligibility import Child, Residence, Situation, SituationError
from minwon.benefits.domain.reasons import render

__all__ = ["evaluate_line", "main", "situation_parse"]

_PROG = "minwon benefits"
LOCALE = Path(__file__).resolve().parents[1] / "locale"


class UsageError(Exception):
    """Bad arguments or an unreadable file: one line on stderr, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def _parser() -> _Parser:
    parser = _Parser(
        prog=_PROG, description="Life-event benefits (행복출산): what would a family get."
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    ev = sub.add_parser("evaluate", help="evaluate a JSON Lines file of family situations")
    ev.add_argument(
        "file", metavar="FILE", help='JSON Lines, one situation a line; "-" reads stdin'
    )
    ev.add_argument(
        "--language", choices=("ko", "en"), default="ko", help="language of the reasons (ko)"
    )
    return parser


def translator(language: str) -> Callable[[str], str]:
    """The project's compiled catalogue read with the standard library (no Django)."""
    if language == "en":
        return lambda message: message
    translation = gettext.translation("django", localedir=LOCALE, languages=[language])
    return translation.gettext


def _date(record: Mapping[str, Any], key: str, where: str, *, nullable: bool = False) -> Any:
    if key not in record:
        raise SituationError(f"{where}{key}", "is missing")
    value = record[key]
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise SituationError(f"{where}{key}", f"must be a date YYYY-MM-DD, not {value!r}")
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise SituationError(f"{where}{key}", f"is not a date YYYY-MM-DD: {value!r}") from None


def _object(record: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = record.get(key)
    if not isinstance(value, dict):
        raise SituationError(key, "is missing (an object is required)")
    return value


def situation_parse(record: Mapping[str, Any]) -> Situation:
    """A decoded line → a checked ``Situation`` (``SituationError`` names the bad field)."""
    as_of = _date(record, "as_of", "")
    raw_month = record.get("month")
    if not isinstance(raw_month, str):
        raise SituationError("month", f"must be a month YYYY-MM, not {raw_month!r}")
    try:
        month = Month.parse(raw_month)
    except ValueError:
        raise SituationError("month", f"is not a month YYYY-MM: {raw_month!r}") from None
    child = _object(record, "child")
    order = child.get("birth_order")
    if isinstance(order, bool) or not isinstance(order, int):
        raise SituationError("child.birth_order", f"must be a whole number, not {order!r}")
    residence = _object(record, "residence")
    code = residence.get("sigungu_code")
    if not isinstance(code, str):
        raise SituationError(
            "residence.sigungu_code", f"must be a 5-digit code as a string, not {code!r}"
        )
    situation = Situation(
        as_of=as_of,
        month=month,
        child=Child(
            birth_date=_date(child, "birth_date", "child."),
            birth_order=order,
            birth_registered_on=_date(child, "birth_registered_on", "child.", nullable=True),
        ),
        residence=Residence(sigungu_code=code, since=_date(residence, "since", "residence.")),
    )
    situation.check()
    return situation


def _id(record: object) -> object:
    if isinstance(record, dict):
        value = record.get("id")
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return value
    return None


def evaluate_line(
    raw: str, line_no: int, catalogue: Catalogue, translate: Callable[[str], str], language: str
) -> dict[str, Any]:
    """One input line → its output object (a result, or an ``error``); never raises."""
    try:
        record = json.loads(raw)
    except (json.JSONDecodeError, RecursionError) as exc:
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
        return {"line": line_no, "error": f"not valid JSON ({message})"}
    if not isinstance(record, dict):
        return {"line": line_no, "error": "not a JSON object"}
    ident = _id(record)
    if ident is None:
        return {"line": line_no, "error": "id: is missing (a string or a number is required)"}
    try:
        situation = situation_parse(record)
    except SituationError as exc:
        return {"line": line_no, "id": ident, "error": str(exc)}
    programmes: dict[str, Any] = {}
    for code in catalogue.computed_codes():
        result = catalogue.evaluate(code, situation)
        programmes[code] = {
            "eligible": result.eligible,
            "amount": result.amount,
            "reasons": [render(r, translate, language) for r in result.reasons],
        }
    return {"id": ident, "programmes": programmes}


def _lines(stream: IO[str]) -> Iterator[tuple[int, str]]:
    for line_no, raw in enumerate(stream, start=1):
        text = raw.lstrip("\ufeff") if line_no == 1 else raw
        if text.strip():
            yield line_no, text.rstrip("\r\n")


def _evaluate(args: argparse.Namespace, *, stdin: IO[str], stdout: TextIO, stderr: TextIO) -> int:
    try:
        catalogue = catalogue_default()
    except CatalogueError as exc:
        raise UsageError(f"{_PROG}: the programme catalogue is wrong: {exc}") from exc
    translate = translator(args.language)
    if args.file == "-":
        stream = stdin
    else:
        try:
            stream = open(args.file, encoding="utf-8")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise UsageError(f"{_PROG}: cannot read {args.file}: {exc.strerror or exc}") from exc
    bad = 0
    try:
        for line_no, raw in _lines(stream):
            out = evaluate_line(raw, line_no, catalogue, translate, args.language)
            if "error" in out:
                bad += 1
                stderr.write(f"{_PROG}: line {line_no}: {out['error']}\n")
            stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
            stdout.flush()
    except UnicodeDecodeError as exc:
        raise UsageError(f"{_PROG}: {args.file} is not UTF-8 text ({exc.reason})") from exc
    finally:
        if stream is not stdin:
            stream.close()
    return 1 if bad else 0


def main(
    argv: Sequence[str],
    *,
    stdin: IO[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        args = _parser().parse_args(list(argv))
        return _evaluate(args, stdin=stdin, stdout=stdout, stderr=stderr)
    except UsageError as exc:
        stderr.write(f"{exc}\n")
        return 2
