"""``minwon protection screen FILE``: the 특이민원 screen over a batch (no Django start-up).

FILE is JSON Lines (``-`` for stdin): one object a line with a string field ``text`` (any other
fields are ignored; an ``id`` is echoed back). For every input line, in order, one JSON line on
stdout::

    {"line": 3, "id": "c-17", "abusive": true, "categories": ["threat"], "severity": "urgent",
     "spans": [{"category": "threat", "severity": "urgent", "start": 4, "end": 8,
                "masked": "죽●●●", "rule": "construction"}], "truncated": false, "reason": null}

Offsets count Unicode code points of ``text``. A line that cannot be screened (not JSON, not an
object, no string ``text``, not UTF-8) gets ``{"line": N, "error": "..."}`` in its place and a
message on stderr; the batch goes on. Blank lines are skipped. Exit status: 0 when every line
was screened, 1 when some line was bad, 2 when the file cannot be read or the arguments are
wrong. A progress bar goes to stderr (``--quiet`` turns it off). ``--morphemes`` also reads verb
lemmas with kiwipiepy (``protection.text``), for conjugated forms such as 닥치세요.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any, NoReturn, TextIO

from minwon.protection.domain import MorphemeFn, screen

__all__ = ["main", "screen_line"]

_PROG = "minwon protection"


class UsageError(Exception):
    """Bad arguments or an unreadable file: one line on stderr, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def _parser() -> _Parser:
    parser = _Parser(prog=_PROG, description="Screen citizens' texts for abusive content.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sc = sub.add_parser("screen", help="screen a JSON Lines file of texts (one result a line)")
    sc.add_argument("file", metavar="FILE", help='JSON Lines with "text"; "-" reads stdin')
    sc.add_argument("--quiet", action="store_true", help="no progress bar")
    sc.add_argument(
        "--morphemes", action="store_true", help="also read verb lemmas with kiwipiepy (slower)"
    )
    return parser


def screen_line(raw: bytes, line_no: int, morphemes: MorphemeFn | None = None) -> dict[str, Any]:
    """One input line → its output object (a result, or an ``error``); never raises."""
    try:
        decoded = raw.decode("utf-8-sig" if line_no == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        return {"line": line_no, "error": f"not UTF-8 text ({exc.reason})"}
    try:
        record = json.loads(decoded)
    except (json.JSONDecodeError, RecursionError) as exc:
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
        return {"line": line_no, "error": f"not valid JSON ({message})"}
    if not isinstance(record, dict):
        return {"line": line_no, "error": "not a JSON object"}
    text = record.get("text")
    if not isinstance(text, str):
        return {"line": line_no, "error": "no text (a string field `text` is required)"}
    out: dict[str, Any] = {"line": line_no}
    if isinstance(record.get("id"), (str, int)) and not isinstance(record.get("id"), bool):
        out["id"] = record["id"]
    out.update(screen(text, morphemes=morphemes).as_dict())
    return out


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    for line_no, raw in enumerate(stream, start=1):
        if raw.strip():
            yield line_no, raw.rstrip(b"\r\n")


def _progress(items: Iterable[Any], stderr: TextIO, quiet: bool) -> Iterator[Any]:
    from tqdm import tqdm

    yield from tqdm(
        items, desc="screening", unit=" lines", file=stderr, disable=quiet, mininterval=0.5
    )


def _screen(args: argparse.Namespace, *, stdin: IO[bytes], stdout: TextIO, stderr: TextIO) -> int:
    if args.file == "-":
        stream = stdin
    else:
        try:
            stream = open(args.file, "rb")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise UsageError(f"{_PROG}: cannot read {args.file}: {exc.strerror or exc}") from exc
    morphemes: MorphemeFn | None = None
    if args.morphemes:
        from minwon.protection.text import lemmas

        morphemes = lemmas
    bad = 0
    try:
        for line_no, raw in _progress(_lines(stream), stderr, args.quiet):
            out = screen_line(raw, line_no, morphemes)
            if "error" in out:
                bad += 1
                stderr.write(f"{_PROG}: line {line_no}: {out['error']}\n")
            stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
            stdout.flush()
    finally:
        if stream is not stdin:
            stream.close()
    return 1 if bad else 0


def main(
    argv: Sequence[str],
    *,
    stdin: IO[bytes] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    stdin = stdin if stdin is not None else sys.stdin.buffer
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        args = _parser().parse_args(list(argv))
        return _screen(args, stdin=stdin, stdout=stdout, stderr=stderr)
    except UsageError as exc:
        stderr.write(f"{exc}\n")
        return 2
