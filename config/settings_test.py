"""Test settings: SQLite in memory by default; DATABASE_URL switches the run to PostgreSQL."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("MINWON_MODE", "test")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789")

from config.settings import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing in tests
if "DATABASE_URL" not in os.environ:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
# Nothing is collected in tests; the folder only has to exist (WhiteNoise warns otherwise).
STATIC_ROOT = Path(tempfile.gettempdir()) / "minwon-test-static"
STATIC_ROOT.mkdir(exist_ok=True)
# The request watchdog (minwon.core.timeouts) is off in tests: a loaded machine must not cut a
# slow test's connection; the fault tests switch it on with override_settings.
REQUEST_TIMEOUT_SECONDS = 0.0
