"""`minwon`: the one entry point (installed as a console script).

Minwon's own sub-commands are listed by `minwon --help`; any other word is handed to Django's
management commands (`minwon migrate`, `minwon createsuperuser`, `minwon check` ...).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

HELP = """\
usage: minwon COMMAND [options]

Minwon, the civil-complaint (민원) platform.

commands:
  demo                 run on the embedded default (SQLite under the data folder) with demo data
                       options: --host 127.0.0.1 --port 8000 --data-dir DIR (or MINWON_DATA_DIR)
  serve                run with production settings from the environment
                       (SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS, REDIS_URL ...)
  worker               run background workers (Celery; broker CELERY_BROKER_URL or REDIS_URL)
  scheduler            run the periodic schedule (Celery beat, config/schedule.py)
  migrate              create or update the database tables
  createsuperuser      create an administrator account
  deadline             compute a legal deadline (민원처리법 제19조); --help for options
  identity verify FILE verify a mobile-ID presentation offline (--format mdoc|sd-jwt; --help)
  routing evaluate FILE  score complaint routing on JSON Lines (--cv K, --label FIELD; --help)
  routing train [FILE] train and install a routing model (from FILE or the city's history)
  protection screen FILE  screen JSON Lines texts for abusive content (특이민원), a line each
  evaluation compute FILE  종합평가 indicators (단축률, 지연율 …) of answered complaints, JSON Lines
  benefits evaluate FILE  what a family would get from the birth programmes (행복출산), a line each
  carewatch simulate   score the 고독사 제로 detectors on a seeded population (--households N
                       --days D --seed S [--plot FILE]); one JSON object
  carewatch replay FILE  run recorded telemetry through the detector (--registry FILE
                       [--until ISO-TIME] [--detector personalised|paju]); a JSON line per alert
  deadlines recompute  re-compute the stored deadlines of open complaints now
  deadlines status     progress of the re-computation a holiday change queued (every minute)
  exchange sync        poll 국민신문고 / 정부24 for complaints and report status back, once
  apikey_issue         issue an integrator's API key (--name, --scope, --org-unit, --rate-limit)
  token_issue USERNAME issue a personal API token for a person (printed once)
  otp USERNAME         print a demo officer's current second-factor code (demo mode only)
  backup [-o FILE]     back up the database, uploaded files and a key check into one archive
  restore FILE --yes   restore such an archive (refused without the backup's encryption keys)
  check                check the configuration

Every other Django management command works too (`minwon help` lists them).
"""


# Commands that run without the per-statement time limit unless one is set explicitly.
LONG_COMMANDS = frozenset({"migrate", "backup", "restore", "deadlines_recompute"})


def _fail(message: str) -> int:
    print(f"minwon: {message}", file=sys.stderr)
    return 2


def _setup_django(mode: str | None = None) -> None:
    if mode is not None:
        os.environ["MINWON_MODE"] = mode
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _serve(host: str, port: int, *, threads: int = 8) -> None:
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    from minwon.core.runner import start_background_thread
    from minwon.serving import serve

    start_background_thread()  # BACKGROUND_RUNNER=thread: outbox and sweeps in this process
    # SIGTERM drains in-flight requests for at most SHUTDOWN_DRAIN_SECONDS (minwon.serving).
    serve(
        get_wsgi_application(),
        host=host,
        port=port,
        threads=threads,
        drain_seconds=float(getattr(settings, "SHUTDOWN_DRAIN_SECONDS", 25)),
    )


def _demo(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="minwon demo", description="Run Minwon with demo data.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--data-dir", default=os.environ.get("MINWON_DATA_DIR", "data"))
    parser.add_argument("--no-serve", action="store_true", help="seed and exit (for scripts)")
    args = parser.parse_args(argv)
    os.environ["MINWON_DATA_DIR"] = os.path.abspath(args.data_dir)
    os.environ.pop("DATABASE_URL", None)
    # Links in the demo's notices point at this server.
    os.environ.setdefault("MINWON_PUBLIC_URL", f"http://{args.host}:{args.port}")
    _setup_django("demo")
    from django.core.management import call_command

    from minwon.demo import demo_seed, format_demo_summary

    print(f"Minwon demo: data folder {os.environ['MINWON_DATA_DIR']}", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    summary = demo_seed()
    print(format_demo_summary(summary, host=args.host, port=args.port), flush=True)
    if args.no_serve:
        return 0
    _serve(args.host, args.port)
    return 0


def _serve_command(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="minwon serve", description="Run Minwon in production.")
    parser.add_argument("--host", default=os.environ.get("HOST", "0.0.0.0"))
    # argparse applies `type` to a string default too: a bad PORT is a one-line usage error
    parser.add_argument("--port", type=int, default=os.environ.get("PORT", "8000"))
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args(argv)
    _setup_django("production")
    from django.core.management import call_command

    call_command("check", deploy=False)
    call_command("collectstatic", interactive=False, verbosity=0)
    _serve(args.host, args.port, threads=args.threads)
    return 0


def _celery(command: str, argv: Sequence[str]) -> int:
    """`minwon worker` / `minwon scheduler`: Celery's worker and beat with Minwon's app."""
    port = os.environ.get("METRICS_WORKER_PORT", "").strip()
    if port and not (port.isdigit() and 0 < int(port) < 65536):  # read before Django starts
        from minwon.core.configuration import ConfigurationError

        raise ConfigurationError(f"METRICS_WORKER_PORT must be a port number, not {port!r}.")
    if command == "worker" and port:
        _worker_metrics_prepare()
    _setup_django()
    if command == "worker" and port:
        _worker_metrics_serve(port)
    from minwon.core.jobs import app_get

    app = app_get()  # made and handed in by the wiring (config/celery.py)

    if command == "worker":
        app.worker_main(argv=["worker", "--loglevel=INFO", *argv])
    else:
        app.start(argv=["beat", "--loglevel=INFO", *argv])
    return 0


def _worker_metrics_prepare() -> None:
    """Job timings from Celery's child processes are kept in prometheus-client's multiprocess
    files (the folder must be set before prometheus_client is imported, and start empty)."""
    import shutil
    import tempfile

    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or tempfile.mkdtemp(prefix="minwon-prom-")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder


def _worker_metrics_serve(port: str) -> None:
    """METRICS_WORKER_PORT: the worker's job durations on http://127.0.0.1:PORT/metrics."""
    from prometheus_client import CollectorRegistry, multiprocess, start_http_server

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    start_http_server(
        int(port), addr=os.environ.get("METRICS_WORKER_HOST", "127.0.0.1"), registry=registry
    )


def _routing_history_train(target: str) -> int:
    """`minwon routing train` without FILE: the city's confirmed routings, from the database."""
    _setup_django()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        call_command("routing_train", target=target)
    except CommandError as exc:
        return _fail(f"routing train: {exc}")
    return 0


def _otp(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="minwon otp")
    parser.add_argument("username")
    args = parser.parse_args(argv)
    _setup_django()
    from django.conf import settings

    if settings.MINWON_MODE != "demo":
        return _fail("`minwon otp` only works in demo mode.")
    import pyotp

    from minwon.accounts.models import User
    from minwon.core import crypto

    user = User.objects.filter(username=args.username).first()
    if user is None or not user.totp_secret_encrypted:
        return _fail(f"no officer {args.username!r} with a second factor.")
    print(pyotp.TOTP(crypto.decrypt(user.totp_secret_encrypted)).now())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from minwon.core.configuration import ConfigurationError

    try:
        if not args or args[0] in {"-h", "--help"}:
            print(HELP, end="")
            return 0
        command, rest = args[0], args[1:]
        if command == "deadline":
            # Pure computation: no Django start-up, so batches stream fast.
            from minwon.lawclock.cli import main as deadline_main

            return deadline_main(rest, stdin=sys.stdin, stdout=sys.stdout, stderr=sys.stderr)
        if command == "identity":
            # Pure verification: no Django start-up; JSON on the last line.
            from minwon.identity.cli import main as identity_main

            return identity_main(rest, stdin=sys.stdin.buffer)
        if command == "routing":
            # Training and evaluation on files need no Django start-up (JSON on the last line).
            from minwon.routing.cli import main as routing_main

            return routing_main(rest, history_train=_routing_history_train)
        if command == "protection":
            # The screen is pure: no Django start-up; one JSON line out per line in.
            from minwon.protection.cli import main as protection_main

            return protection_main(rest)
        if command == "evaluation":
            # Indicators of a file are pure: no Django start-up; one JSON object on stdout.
            from minwon.evaluation.cli import main as evaluation_main

            return evaluation_main(rest)
        if command == "benefits":
            # The eligibility rules and the catalogue are pure: no Django start-up.
            from minwon.benefits.cli import main as benefits_main

            return benefits_main(rest)
        if command == "carewatch":
            # Simulation and replay are pure: no Django start-up (JSON on stdout).
            from minwon.carewatch.cli import main as carewatch_main

            return carewatch_main(rest)
        if command == "demo":
            return _demo(rest)
        if command == "serve":
            return _serve_command(rest)
        if command == "otp":
            return _otp(rest)
        if command in {"worker", "scheduler"}:
            return _celery(command, rest)
        if command == "exchange":
            rest = ["exchange_" + rest[0], *rest[1:]] if rest else ["help", "exchange_sync"]
            command, rest = rest[0], rest[1:]
        if command == "deadlines":
            rest = ["deadlines_" + rest[0], *rest[1:]] if rest else ["help", "deadlines_recompute"]
            command, rest = rest[0], rest[1:]
        if command in LONG_COMMANDS:  # a migration on a large table may take minutes
            os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_SECONDS", "0")
        _setup_django()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["minwon", command, *rest])
        return 0
    except ConfigurationError as exc:
        return _fail(str(exc))


if __name__ == "__main__":
    raise SystemExit(main())
