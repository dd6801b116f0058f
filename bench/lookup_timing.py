"""Status lookup without an account: does the answer's time tell a missing follow-up number from a
wrong password? (issue 13 item 1; docs/security.md, "Complaint lookup without an account")

With the production password hashers (Argon2 first) on an in-memory SQLite database, it times
`access_complaint_by_follow_number` for an existing number with a wrong password and for a
missing number, and, for comparison, the check the code did before the fix (a cheap PBKDF2 hash
of one iteration for a missing number). Reported: median and p95 in milliseconds. A measurement,
never a test: no threshold is asserted anywhere.

    .venv/bin/python bench/lookup_timing.py            # 50 tries each
    .venv/bin/python bench/lookup_timing.py --n 200
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("MINWON_MODE", "test")
os.environ.setdefault("SECRET_KEY", "bench-secret-key-0123456789abcdef0123456789")


def _time(fn: Callable[[], object], n: int) -> list[float]:
    runs = []
    for _ in range(n):
        started = time.perf_counter()
        with contextlib.suppress(Exception):  # NotFound is the expected answer
            fn()
        runs.append((time.perf_counter() - started) * 1000)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50)
    args = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    from django.contrib.auth.hashers import check_password, get_hashers
    from django.core.management import call_command

    get_hashers.cache_clear()
    call_command("migrate", verbosity=0)

    from minwon.complaints import services as s
    from minwon.complaints.access import access_complaint_by_follow_number
    from minwon.complaints.domain import IntakeChannel
    from minwon.lawclock.kinds import ComplaintKind

    complaint = s.complaint_file(
        data=s.FilingInput(
            kind=ComplaintKind.TIP,
            title="bench",
            body="bench",
            channel=IntakeChannel.WEB,
            status_password="quiet-lantern-7",
        )
    )
    number = complaint.follow_number or ""
    assert complaint.status_password.startswith("argon2")

    def old_missing() -> None:  # the check before the fix, for comparison
        check_password("a-guess-guess", "pbkdf2_sha256$1$x$x")

    cases = {
        "existing number, wrong password": lambda: access_complaint_by_follow_number(
            number, "a-guess-guess"
        ),
        "missing number (now)": lambda: access_complaint_by_follow_number(
            "ZZZZ-ZZZZ-ZZZZ", "a-guess-guess"
        ),
        "missing number (before the fix)": old_missing,
    }
    for fn in cases.values():  # warm up (the dummy hash is made on first use)
        _time(fn, 3)
    print(f"{args.n} tries each, Argon2 ({settings.PASSWORD_HASHERS[0].rsplit('.', 1)[1]})")
    for name, fn in cases.items():
        runs = sorted(_time(fn, args.n))
        p95 = runs[min(len(runs) - 1, int(len(runs) * 0.95))]
        print(f"  {name:34} median {statistics.median(runs):7.2f} ms   p95 {p95:7.2f} ms")


if __name__ == "__main__":
    main()
