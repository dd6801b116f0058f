"""``minwon carewatch simulate`` and ``minwon carewatch replay`` (no Django start-up).

``simulate --households N --days D --seed S [--plot FILE] [--profile tuning|other]`` builds a
seeded population (care-monitor.md §5.6), runs the Paju arm and the personalised detector on the
same trace, scores both and prints one JSON object ``{"arms": {"paju": {...}, "personalised":
{...}}}``. ``--plot FILE`` (``.svg`` or ``.png``) also sweeps each detector's threshold and
draws the false-alert vs delay trade-off. A progress bar goes to stderr (``--quiet``: none).

``replay FILE --registry FILE [--until ISO-TIME] [--detector personalised|paju]`` runs recorded
canonical events (JSON Lines in arrival order) through the same detector; the clock advances
with the events' receive times ``rx`` and then to ``--until`` (default: the last event; records
received after ``--until`` are not read). One JSON line per alert on stdout, in time order::

    {"hh": "h000017", "at": "2026-01-20T13:42:00+09:00", "rule": "MODEL",
     "severity": "medium", "kind": "person"}

(an R5 area outage has ``"hh": null`` and its ``"area"``). Malformed, duplicate, late,
out-of-order, future-dated and unknown-device records are counted and dropped (or applied at
the server's clock, for late and out-of-order ones, without raising stale alerts); the counts
go to stderr as one JSON line. Exit status 0; 2 for bad arguments, an unreadable file or a bad
registry line (nothing is run then).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, NoReturn, TextIO

from minwon.carewatch.domain.detector import PAJU, PERSONALISED, Alert, Settings
from minwon.carewatch.domain.evaluation import run_arm, score
from minwon.carewatch.domain.events import Household, Rejected, parse_registry_line
from minwon.carewatch.domain.fleet import Fleet, alert_json
from minwon.carewatch.domain.simulation import PROFILES, Trace, simulate
from minwon.carewatch.domain.timebase import parse_iso

__all__ = ["main", "replay", "run_simulation", "sweep_settings"]

_PROG = "minwon carewatch"
DETECTORS = {"personalised": PERSONALISED, "paju": PAJU}
MAX_HOUSEHOLDS = 1_000_000
MAX_DAYS = 3_650


class UsageError(Exception):
    """Bad arguments or an unreadable file: one line on stderr, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def _positive(limit: int) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if not 1 <= value <= limit:
            raise argparse.ArgumentTypeError(f"must be between 1 and {limit}, not {value}")
        return value

    return parse


def _seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def _parser() -> _Parser:
    parser = _Parser(prog=_PROG, description="고독사 제로: the check-on-welfare detector.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sim = sub.add_parser("simulate", help="score the Paju arm and the personalised detector")
    sim.add_argument("--households", type=_positive(MAX_HOUSEHOLDS), required=True)
    sim.add_argument("--days", type=_positive(MAX_DAYS), required=True)
    sim.add_argument("--seed", type=_seed, required=True)
    sim.add_argument("--plot", metavar="FILE", help="write the trade-off plot (.svg or .png)")
    sim.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        default="tuning",
        help="the population's habits and faults (default: tuning, the one tuned on)",
    )
    sim.add_argument("--quiet", action="store_true", help="no progress bar")
    rep = sub.add_parser("replay", help="run recorded events through the detector")
    rep.add_argument("file", metavar="FILE", help='canonical events, JSON Lines; "-" reads stdin')
    rep.add_argument("--registry", metavar="FILE", required=True, help="households, JSON Lines")
    rep.add_argument("--until", metavar="ISO-TIME", help="advance the clock to this time")
    rep.add_argument("--detector", choices=sorted(DETECTORS), default="personalised")
    return parser


# -- replay -------------------------------------------------------------------------------


def read_registry(path: str) -> list[Household]:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"{_PROG}: cannot read {path}: {exc.strerror or exc}") from exc
    households: list[Household] = []
    owner: dict[str, str] = {}
    for line_no, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            h = parse_registry_line(
                json.loads(line.decode("utf-8-sig" if line_no == 1 else "utf-8"))
            )
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            reason = str(exc) if isinstance(exc, Rejected) else "not a JSON object"
            raise UsageError(f"{_PROG}: registry line {line_no}: {reason}") from None
        if owner.setdefault(h.dev, h.hh) != h.hh:
            raise UsageError(
                f"{_PROG}: registry line {line_no}: device {h.dev} is listed for two households"
            )
        households.append(h)
    return households


def _decode(raw: bytes, line_no: int) -> Any:
    """A line → its JSON value, or None when it is not JSON (counted as malformed)."""
    try:
        return json.loads(raw.decode("utf-8-sig" if line_no == 1 else "utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def replay(
    lines: Iterator[bytes], households: list[Household], cfg: Settings, until: int | None
) -> tuple[list[Alert], Counter[str]]:
    """Feed the records in arrival order, then advance to `until`; alerts in time order."""
    fleet = Fleet(households, cfg)
    alerts: list[Alert] = []
    records = 0
    for line_no, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        records += 1
        obj = _decode(raw, line_no)
        if obj is None:
            fleet.counts["malformed"] += 1
            continue
        rx = obj.get("rx") if isinstance(obj, dict) else None
        if until is not None and isinstance(rx, int) and rx > until:
            fleet.counts["after_until"] += 1
            continue
        alerts.extend(fleet.feed(obj))
    end = until if until is not None else fleet.clock
    if end is not None:
        alerts.extend(fleet.advance_to(end))
    fleet.counts["records"] = records
    alerts.sort(key=lambda a: (a.at, a.hh or "", a.severity))
    return alerts, fleet.counts


def _replay(args: argparse.Namespace, *, stdin: IO[bytes], stdout: TextIO, stderr: TextIO) -> int:
    until = None
    if args.until is not None:
        try:
            until = parse_iso(args.until)
        except ValueError:
            raise UsageError(f"{_PROG}: --until is not an ISO 8601 time: {args.until!r}") from None
    households = read_registry(args.registry)
    if args.file == "-":
        stream: IO[bytes] = stdin
    else:
        try:
            stream = open(args.file, "rb")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise UsageError(f"{_PROG}: cannot read {args.file}: {exc.strerror or exc}") from exc
    try:
        alerts, counts = replay(iter(stream), households, DETECTORS[args.detector], until)
    finally:
        if stream is not stdin:
            stream.close()
    for alert in alerts:
        stdout.write(json.dumps(alert_json(alert), ensure_ascii=False) + "\n")
    stdout.flush()
    summary = {"records": counts.pop("records", 0), "alerts": len(alerts), **dict(counts)}
    stderr.write(f"{_PROG} replay: {json.dumps(summary, sort_keys=True)}\n")
    return 0


# -- simulate -----------------------------------------------------------------------------


def sweep_settings() -> list[tuple[str, str, Settings]]:
    """The trade-off curve's points: (family, label, settings), each detector's main knob."""
    import math

    points: list[tuple[str, str, Settings]] = []
    for minutes in (90, 120, 180, 240):
        points.append(("paju", f"R2 {minutes} min", PAJU.replace(no_input_min=minutes)))
    for exponent in (2, 3, 4, 5):
        theta = math.log(10**exponent)
        points.append(
            (
                "personalised",
                f"theta ln 1e{exponent}",
                PERSONALISED.replace(theta=theta, theta_high=max(theta, PERSONALISED.theta_high)),
            )
        )
    return points


def run_simulation(
    households: int,
    days: int,
    seed: int,
    *,
    profile: str = "tuning",
    sweep: bool = False,
    stderr: TextIO | None = None,
    quiet: bool = True,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The command's JSON object, and the sweep's points when `sweep` (for the plot)."""
    from tqdm import tqdm

    trace: Trace = simulate(households, days, seed, PROFILES[profile])
    arms: list[tuple[str, str, Settings]] = [
        ("paju", "paju", PAJU),
        ("personalised", "personalised", PERSONALISED),
    ]
    if sweep:
        arms += sweep_settings()
    result: dict[str, Any] = {"arms": {}}
    points: list[dict[str, Any]] = []
    total = len(trace.events) * len(arms)
    with tqdm(
        total=total,
        desc="simulating",
        unit=" events",
        file=stderr or sys.stderr,
        disable=quiet,
        mininterval=0.5,
    ) as bar:
        for family, label, cfg in arms:
            alerts, counts, acked = run_arm(trace, cfg, seed=seed, progress=bar.update)
            scored = score(trace, alerts, seed=seed, acked=acked)
            if family == label:
                scored["records_dropped"] = {
                    k: v for k, v in sorted(counts.items()) if k not in ("accepted", "late")
                }
                scored["records_late"] = counts.get("late", 0)
                result["arms"][family] = scored
            else:
                points.append({"family": family, "label": label, "score": scored})
    return result, points


def _simulate(args: argparse.Namespace, *, stdout: TextIO, stderr: TextIO) -> int:
    plot = Path(args.plot) if args.plot else None
    if plot is not None and plot.suffix.lower() not in (".svg", ".png"):
        raise UsageError(f"{_PROG}: --plot must end in .svg or .png: {args.plot}")
    if plot is not None and not plot.parent.is_dir():
        raise UsageError(f"{_PROG}: no folder for --plot: {plot.parent}")
    result, points = run_simulation(
        args.households,
        args.days,
        args.seed,
        profile=args.profile,
        sweep=plot is not None,
        stderr=stderr,
        quiet=args.quiet,
    )
    if plot is not None:
        from minwon.carewatch.plot import tradeoff

        title = (
            f"{args.households} households x {args.days} days, seed {args.seed}, "
            f"profile {args.profile}"
        )
        try:
            tradeoff(points, plot, title=title)
        except OSError as exc:
            raise UsageError(f"{_PROG}: cannot write {plot}: {exc.strerror or exc}") from exc
    stdout.write(json.dumps(result, ensure_ascii=False, sort_keys=True) + "\n")
    stdout.flush()
    return 0


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
        if args.command == "simulate":
            return _simulate(args, stdout=stdout, stderr=stderr)
        return _replay(args, stdin=stdin, stdout=stdout, stderr=stderr)
    except UsageError as exc:
        stderr.write(f"{exc}\n")
        return 2
