"""Test settings: SQLite in memory by default; DATABASE_URL switches the run to PostgreSQL."""

from __future__ import annotations

import os

os.environ.setdefault("MINWON_MODE", "test")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789")

from config.settings import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing in tests
if "DATABASE_URL" not in os.environ:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
STATIC_ROOT = BASE_DIR / "minwon" / "static"  # exists; nothing is collected in tests
