"""Minwon settings, read from the environment.

Modes (MINWON_MODE):
- ``demo`` (default): embedded SQLite under MINWON_DATA_DIR, a secret key generated and kept there,
  background work run in-process. What `minwon demo` uses.
- ``production``: SECRET_KEY and DATABASE_URL are required; REDIS_URL or CELERY_BROKER_URL for
  background work. What `minwon serve` uses.
Settings carry the names of their environment variables.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from config.env import (
    ConfigurationError,
    database_from_url,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
)
from config.schedule import background_schedule

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = BASE_DIR / "minwon"

MINWON_MODE = env_str("MINWON_MODE", "demo")
if MINWON_MODE not in {"demo", "production", "test"}:
    raise ConfigurationError(f"MINWON_MODE must be demo, production or test, not {MINWON_MODE!r}.")
PRODUCTION = MINWON_MODE == "production"

MINWON_DATA_DIR = Path(env_str("MINWON_DATA_DIR", str(BASE_DIR / "data"))).resolve()


def _private_data_dir(path: Path) -> None:
    """The demo's data folder holds the database, the secret key, API keys and messages: only
    its owner may read it (issue 13 item 12). Files this process creates are private (umask
    077: the SQLite database and its -wal/-shm, mail, media); folders and files an older
    version left readable to others are tightened to 0700/0600."""
    os.umask(0o077)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    for folder, _dirs, files in os.walk(path):
        for entry, mode in [(folder, 0o700), *((os.path.join(folder, f), 0o600) for f in files)]:
            try:
                if os.stat(entry, follow_symlinks=False).st_mode & 0o077:
                    os.chmod(entry, mode, follow_symlinks=False)
            except (OSError, NotImplementedError):  # not ours, or a symlink on this platform
                continue


if MINWON_MODE == "demo":
    _private_data_dir(MINWON_DATA_DIR)


def _is_fernet_key(key: str) -> bool:
    import base64
    import binascii

    try:
        return len(base64.urlsafe_b64decode(key.encode("ascii"))) == 32
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return False


def _demo_secret_key() -> str:
    MINWON_DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = MINWON_DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


# --- 기타민원's period (영 제16조) ---
# The Decree answers 기타민원 (a report of an everyday inconvenience: a pothole, a streetlight) 즉시
# (①) and lets each agency set another period for them (③). OTHER_COMPLAINT_PERIOD is that period
# as the deadline contract writes it ("3d", "24h"); empty keeps 즉시.
OTHER_COMPLAINT_PERIOD = env_str("OTHER_COMPLAINT_PERIOD", "").strip()
if OTHER_COMPLAINT_PERIOD:
    from minwon.lawclock import LawclockError
    from minwon.lawclock.periods import parse_period

    try:
        parse_period(OTHER_COMPLAINT_PERIOD)
    except LawclockError as exc:
        raise ConfigurationError(f"OTHER_COMPLAINT_PERIOD: {exc}") from exc

# --- Time limits (issue 14; minwon.core.timeouts, config/handlers.py) ---
# PostgreSQL: seconds to connect and per statement (0: no statement limit; `minwon migrate`
# and `minwon backup` run without one). A request whose database work runs past
# REQUEST_TIMEOUT_SECONDS has its connection cut and is answered 503 with Retry-After.
DATABASE_CONNECT_TIMEOUT_SECONDS = env_int("DATABASE_CONNECT_TIMEOUT_SECONDS", 5, minimum=2)
DATABASE_STATEMENT_TIMEOUT_SECONDS = env_float("DATABASE_STATEMENT_TIMEOUT_SECONDS", 30)
REQUEST_TIMEOUT_SECONDS = env_float("REQUEST_TIMEOUT_SECONDS", 30)
RETRY_AFTER_SECONDS = env_int("RETRY_AFTER_SECONDS", 30, minimum=1)
READINESS_TIMEOUT_SECONDS = env_float("READINESS_TIMEOUT_SECONDS", 2)  # each check of /readyz
# /metrics (config/metrics.py): a bearer token for Prometheus; without one, loopback only.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
METRICS_DUE_SOON_HOURS = env_float("METRICS_DUE_SOON_HOURS", 24)  # "near deadline" horizon
# SIGTERM to `minwon serve` / `minwon demo`: seconds to finish in-flight requests (minwon.serving).
SHUTDOWN_DRAIN_SECONDS = env_float("SHUTDOWN_DRAIN_SECONDS", 25)
# Retention (the nightly purge jobs on config/schedule.py): stored Idempotency-Key answers, and
# finished notification and webhook deliveries (the delivery logs).
IDEMPOTENCY_RETENTION_HOURS = env_float("IDEMPOTENCY_RETENTION_HOURS", 48, minimum=1)
NOTIFICATIONS_LOG_RETENTION_DAYS = env_float("NOTIFICATIONS_LOG_RETENTION_DAYS", 365, minimum=1)
WEBHOOKS_LOG_RETENTION_DAYS = env_float("WEBHOOKS_LOG_RETENTION_DAYS", 90, minimum=1)


def _database(url: str) -> dict[str, Any]:
    return database_from_url(
        url,
        connect_timeout=DATABASE_CONNECT_TIMEOUT_SECONDS,
        statement_timeout=DATABASE_STATEMENT_TIMEOUT_SECONDS,
    )


if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 32:
        raise ConfigurationError("SECRET_KEY is too short: use at least 32 random characters.")
    DATABASES = {"default": _database(env_str("DATABASE_URL"))}
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ConfigurationError("ALLOWED_HOSTS is not set: list the host names, comma-separated.")
    # Personal data at rest: production never falls back to a key derived from SECRET_KEY.
    FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [])
    if not FIELD_ENCRYPTION_KEYS:
        raise ConfigurationError(
            "FIELD_ENCRYPTION_KEYS is not set: give one or more Fernet keys, newest first "
            "(make one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())')."
        )
else:
    SECRET_KEY = env_str("SECRET_KEY", "") or _demo_secret_key()
    default_db = f"sqlite:///{MINWON_DATA_DIR / 'minwon.sqlite3'}"
    DATABASES = {"default": _database(env_str("DATABASE_URL", default_db))}
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

DEBUG = env_bool("DEBUG", False)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "config.handlers.csrf_failure"  # the site's translated page, a way back

INSTALLED_APPS = [
    "minwon.accounts",  # first: its createsuperuser replaces Django's
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves Swagger UI from its own static files: the CSP allows no CDN
    "django.contrib.humanize",
    "minwon.core",
    "minwon.catalog",
    "minwon.complaints",
    "minwon.notifications",
    "minwon.portal",
    "minwon.office",
    "minwon.open311",
    "minwon.exchange",
    "minwon.webhooks",
    "minwon.identity",
    "minwon.routing",
    "minwon.protection",
    "minwon.benefits",
    "minwon.counter",
]

MIDDLEWARE = [
    "minwon.core.middleware.TrustedProxyMiddleware",  # first: everything after sees the client
    "minwon.core.metrics.MetricsMiddleware",  # request counts and latencies per route
    "minwon.core.timeouts.RequestTimeoutMiddleware",  # bounds the database work of a request
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "minwon.core.middleware.SecurityHeadersMiddleware",
    "minwon.core.middleware.IdleSessionMiddleware",
    "minwon.core.middleware.RequestContextMiddleware",
    "minwon.core.middleware.IdempotencyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["minwon.accounts.backends.ThrottledModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/office/"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The password a complainant without an account chooses to follow the complaint (with the
# follow-up number): complaints.services.lookup.status_password_problems.
STATUS_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failure throttles (core.domain.ThrottlePolicy, docs/security.md): inside the window, after
# per_key failures of one key (account, follow-up number), per_client from one address, or
# per_pair of one key from one address, every further try waits base_seconds, then twice as
# long after each further failure, up to max_seconds. While a try must wait nothing is checked.
THROTTLES: dict[str, dict[str, int | None]] = {
    # status lookups without an account (web /follow/ and POST /api/v1/complaints/status)
    "lookup": {
        "per_key": env_int("THROTTLE_LOOKUP_PER_NUMBER", 5),
        "per_client": env_int("THROTTLE_LOOKUP_PER_CLIENT", 20),
        "per_pair": None,
        "base_seconds": 15 * 60,
        "max_seconds": 24 * 60 * 60,
        "window_seconds": 24 * 60 * 60,
    },
    # passwords (accounts.backends.ThrottledModelBackend): an account from one address backs off
    # after 5 failures, an address after 20 over any accounts; the account from everywhere only
    # after 100 (a distributed attack), so one attacker never locks an officer out of every desk
    "login": {
        "per_key": env_int("THROTTLE_LOGIN_PER_ACCOUNT", 100),
        "per_client": env_int("THROTTLE_LOGIN_PER_CLIENT", 20),
        "per_pair": env_int("THROTTLE_LOGIN_PER_ACCOUNT_AND_CLIENT", 5),
        "base_seconds": 30,
        "max_seconds": 15 * 60,
        "window_seconds": 24 * 60 * 60,
    },
    # filings by citizens on the portal and the API, with or without an account (issue 13
    # item 8): 10 from one client address in an hour, then each further one waits 1, 2, 4 …
    # minutes after the last, up to an hour (complaints.services.abuse). Officers are not limited.
    "filing": {
        "per_key": None,
        "per_client": env_int("THROTTLE_FILING_PER_CLIENT", 10, minimum=1),
        "per_pair": None,
        "base_seconds": 60,
        "max_seconds": 60 * 60,
        "window_seconds": 60 * 60,
    },
    # officers' second-factor codes (accounts.services.totp_verify): the password is already
    # past, so an account gets 5 wrong codes from anywhere, then 1, 2, 4 … minutes up to an hour
    "otp": {
        "per_key": env_int("THROTTLE_OTP_PER_ACCOUNT", 5),
        "per_client": env_int("THROTTLE_OTP_PER_CLIENT", 20),
        "per_pair": None,
        "base_seconds": 60,
        "max_seconds": 60 * 60,
        "window_seconds": 24 * 60 * 60,
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60  # the absolute limit of a signed-in session
# 「개인정보의 안전성 확보조치 기준」 제6조: a session left idle this long is signed out
# (minwon.core.middleware.IdleSessionMiddleware).
SESSION_IDLE_TIMEOUT_SECONDS = env_int("SESSION_IDLE_TIMEOUT_SECONDS", 30 * 60, minimum=1)
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# HTTPS in production: redirect plain HTTP (except the health check a load balancer calls) and
# tell browsers to keep to HTTPS for a year (HSTS).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
_ONE_YEAR = 365 * 24 * 60 * 60
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", _ONE_YEAR if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_REFERRER_POLICY = "same-origin"
# Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (addresses or CIDR
# networks, comma-separated; minwon.core.middleware.TrustedProxyMiddleware). Empty: none, and
# the headers are removed so no client can forge them.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
try:
    from minwon.core.domain import parse_networks

    parse_networks(TRUSTED_PROXIES)
except ValueError as _bad:
    raise ConfigurationError(
        f"TRUSTED_PROXIES is malformed: {_bad} is not an address or a network."
    ) from None
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["minwon.formats"]  # dates as Koreans write them (minwon/formats/ko)
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = MINWON_DATA_DIR / "static"  # `minwon serve` collects here; demo serves from finders
if MINWON_MODE == "demo":
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [PACKAGE_DIR / "static"]
# Front-end packages come from npm (package.json + lock); each is served under /static/vendor/NAME/.
# MINWON_ASSETS_DIR: where they are for an installed package (`pip install .` has no node_modules):
# the folder `scripts/build-assets DIR` fills from a checkout's node_modules (docs/deploy.md).
_node_modules = Path(env_str("MINWON_ASSETS_DIR", str(BASE_DIR / "node_modules")))
STATICFILES_DIRS += [
    (f"vendor/{name}", _node_modules / name)
    for name in ("krds-uiux", "htmx.org", "leaflet", "jsqr")
    if (_node_modules / name).is_dir()
]
WHITENOISE_USE_FINDERS = True
MAP_TILE_URL = env_str("MAP_TILE_URL", "")  # a {z}/{x}/{y} tile URL; empty: no map shown


def _origin_of(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    netloc = parts.netloc.replace("{s}", "*")  # tile servers a., b., c.
    return f"{parts.scheme}://{netloc}" if parts.scheme in {"http", "https"} and netloc else ""


# Content-Security-Policy of every response (minwon.core.middleware.SecurityHeadersMiddleware).
# The templates carry no inline script or style, so nothing inline is allowed; map tiles come
# from MAP_TILE_URL's origin.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: " + _origin_of(MAP_TILE_URL),
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
).replace(" ;", ";")
MEDIA_ROOT = (
    MINWON_DATA_DIR / "media"
)  # uploads; never served directly (see complaints attachments)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "minwon",
    }
}
REDIS_URL = env_str("REDIS_URL", "")
_REDIS_TIMEOUT_SECONDS = env_float("REDIS_TIMEOUT_SECONDS", 0.5, minimum=0.01)
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # A stalled Redis costs a request at most this long (rate limits then fail open).
        "OPTIONS": {
            "socket_connect_timeout": _REDIS_TIMEOUT_SECONDS,
            "socket_timeout": _REDIS_TIMEOUT_SECONDS,
        },
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Fernet keys for personal data at rest, newest first (see minwon.core.crypto); required in
# production (read above), optional elsewhere (a key derived from SECRET_KEY).
if not PRODUCTION:
    FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [])
_bad_keys = [k for k in FIELD_ENCRYPTION_KEYS if not _is_fernet_key(k)]
if _bad_keys:
    raise ConfigurationError(
        "FIELD_ENCRYPTION_KEYS is malformed: "
        "each key is 32 bytes in url-safe base64 (44 characters)."
    )

# --- Background work and notifications (minwon.notifications; docs/adr/0002-background-work.md) ---
# BACKGROUND_RUNNER: "celery" (a broker: CELERY_BROKER_URL, else REDIS_URL), "thread" (a timer
# thread inside the web process: the embedded default), or "none" (tests call the services).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "") or REDIS_URL
BACKGROUND_RUNNER = env_str(
    "BACKGROUND_RUNNER",
    "none" if MINWON_MODE == "test" else "celery" if CELERY_BROKER_URL else "thread",
)
if BACKGROUND_RUNNER not in {"celery", "thread", "none"}:
    raise ConfigurationError("BACKGROUND_RUNNER must be celery, thread or none.")
if BACKGROUND_RUNNER == "celery" and not CELERY_BROKER_URL:
    raise ConfigurationError("BACKGROUND_RUNNER=celery needs CELERY_BROKER_URL or REDIS_URL.")
# E-mail: EMAIL_URL (smtp://user:password@host:587?tls=1, smtps://... for SSL) or EMAIL_HOST etc.
_email_url = env_str("EMAIL_URL", "")
if _email_url:
    from urllib.parse import parse_qs, unquote, urlsplit

    _parts = urlsplit(_email_url)
    if _parts.scheme not in {"smtp", "smtps"} or not _parts.hostname:
        raise ConfigurationError("EMAIL_URL is malformed: expected smtp://user:pass@host:587.")
    EMAIL_HOST, EMAIL_PORT = _parts.hostname, _parts.port or 25
    EMAIL_HOST_USER = unquote(_parts.username or "")
    EMAIL_HOST_PASSWORD = unquote(_parts.password or "")
    EMAIL_USE_SSL = _parts.scheme == "smtps"
    EMAIL_USE_TLS = parse_qs(_parts.query).get("tls", ["0"])[0] in {"1", "true"}
else:
    EMAIL_HOST = env_str("EMAIL_HOST", "")
    EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "minwon@localhost")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:  # no mail server: messages are written as files under the data folder (demo)
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(MINWON_DATA_DIR / "mail")
# SMS and 카카오 알림톡 through the providers' HTTP APIs; a channel without a URL is not used.
SMS_API_URL = env_str("SMS_API_URL", "")
SMS_API_KEY = env_str("SMS_API_KEY", "")
SMS_SENDER = env_str("SMS_SENDER", "")  # the registered 발신번호
ALIMTALK_API_URL = env_str("ALIMTALK_API_URL", "")
ALIMTALK_API_KEY = env_str("ALIMTALK_API_KEY", "")
ALIMTALK_SENDER_KEY = env_str("ALIMTALK_SENDER_KEY", "")  # 카카오 비즈니스 채널 발신 프로필 키
# The demo's local channel (notifications/channels/recording.py): SMS, 알림톡 and e-mail without a
# provider are recorded in a file and shown at /demo/messages/. Never in production.
NOTIFICATIONS_RECORDING = env_bool("NOTIFICATIONS_RECORDING", MINWON_MODE == "demo")
if NOTIFICATIONS_RECORDING and PRODUCTION:
    raise ConfigurationError("NOTIFICATIONS_RECORDING is for demonstrations, not production.")
NOTIFICATIONS_RECORDING_FILE = str(MINWON_DATA_DIR / "messages.jsonl")
NOTIFICATIONS_HTTP_TIMEOUT = env_float("NOTIFICATIONS_HTTP_TIMEOUT", 10.0, minimum=0.1)
NOTIFICATIONS_SITE_NAME = env_str("NOTIFICATIONS_SITE_NAME", "파주시 민원")
# Where notices send people (their complaint's page, the follow-up page): the site's public
# address. In production it defaults to https:// and the first of ALLOWED_HOSTS.
MINWON_PUBLIC_URL = env_str(
    "MINWON_PUBLIC_URL",
    f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION and ALLOWED_HOSTS else "http://127.0.0.1:8000",
).rstrip("/")
NOTIFICATIONS_BATCH_SIZE = env_int("NOTIFICATIONS_BATCH_SIZE", 200, minimum=1)
NOTIFICATIONS_SEND_THREADS = env_int("NOTIFICATIONS_SEND_THREADS", 8, minimum=1)
NOTIFICATIONS_CLAIM_SECONDS = env_int("NOTIFICATIONS_CLAIM_SECONDS", 120, minimum=1)  # a lease
NOTIFICATIONS_SWEEP_SECONDS = env_int("NOTIFICATIONS_SWEEP_SECONDS", 60, minimum=1)
# THE schedule (config/schedule.py): Celery beat and the in-process runner read this one object.
BACKGROUND_SCHEDULE = background_schedule(sweep_seconds=NOTIFICATIONS_SWEEP_SECONDS)
CELERY_BEAT_SCHEDULE = BACKGROUND_SCHEDULE.beat()
CELERY_IMPORTS = BACKGROUND_SCHEDULE.job_modules

# Open311 GeoReport v2 (minwon.open311): discovery facts and the jurisdiction served.
OPEN311_JURISDICTION = env_str("OPEN311_JURISDICTION", "paju.go.kr")
OPEN311_CONTACT = env_str("OPEN311_CONTACT", "파주시 민원여권과 031-940-4114")
OPEN311_KEY_SERVICE = env_str(
    "OPEN311_KEY_SERVICE", "API keys are issued by the city's administrator (minwon office)."
)

# The national exchange (minwon.exchange): 국민신문고 and 정부24 endpoints; empty = not connected.
EXCHANGE_URLS = {
    "epeople": env_str("EXCHANGE_EPEOPLE_URL", ""),
    "gov24": env_str("EXCHANGE_GOV24_URL", ""),
}
EXCHANGE_KEY = env_str("EXCHANGE_KEY", "")
EXCHANGE_TIMEOUT_SECONDS = env_float("EXCHANGE_TIMEOUT_SECONDS", 10.0, minimum=0.1)
# One report sweep at a time per national system: its lease, renewed before every report.
EXCHANGE_SWEEP_LEASE_SECONDS = env_int("EXCHANGE_SWEEP_LEASE_SECONDS", 120, minimum=1)

# Files chosen on the portal's filing form wait in MEDIA_ROOT/staging until the complaint is sent
# (minwon.portal.services; issue 13 item 8): at most this much per visitor (one complaint's worth:
# 10 files of 10 MB) and for all visitors together; removed after STAGING_MAX_AGE_SECONDS by the
# portal.staging_sweep job.
STAGING_MAX_BYTES_PER_VISITOR = env_int(
    "STAGING_MAX_BYTES_PER_VISITOR", 100 * 1024 * 1024, minimum=1024 * 1024
)
STAGING_MAX_BYTES_TOTAL = env_int("STAGING_MAX_BYTES_TOTAL", 2 * 1024**3, minimum=1024 * 1024)
STAGING_MAX_AGE_SECONDS = env_int("STAGING_MAX_AGE_SECONDS", 3 * 60 * 60, minimum=60)

# Webhooks (minwon.webhooks): plain-http subscriber URLs only outside production.
WEBHOOKS_ALLOW_HTTP = env_bool("WEBHOOKS_ALLOW_HTTP", not PRODUCTION)
# The only ports a subscriber URL may name (issue 13 item 6: no scanning of other services).
_webhook_ports = env_list("WEBHOOKS_ALLOWED_PORTS", ["443", "80"])
if not all(p.isdigit() and 0 < int(p) < 65536 for p in _webhook_ports):
    raise ConfigurationError("WEBHOOKS_ALLOWED_PORTS is malformed: port numbers, comma-separated.")
WEBHOOKS_ALLOWED_PORTS = [int(p) for p in _webhook_ports]
# Deliveries reach public internet addresses only (minwon.webhooks.transport). Loopback may be
# allowed for tests against a local receiver, never in production.
WEBHOOKS_ALLOW_LOOPBACK = env_bool("WEBHOOKS_ALLOW_LOOPBACK", False)
if WEBHOOKS_ALLOW_LOOPBACK and PRODUCTION:
    raise ConfigurationError("WEBHOOKS_ALLOW_LOOPBACK is for tests, never production.")

# Mobile-ID verification (minwon.identity, docs/identity.md): the folder of trust anchors (IACA
# PEMs, SD-JWT issuer JWKs), the verifier's certificate and key (PEM files) that sign OpenID4VP
# requests (empty: unsigned requests under the redirect_uri client_id prefix), the government
# MIP SP sidecar on loopback (empty: the MIP channel is off).
IDENTITY_TRUST_DIR = env_str("IDENTITY_TRUST_DIR", "")
IDENTITY_VERIFIER_CERT = env_str("IDENTITY_VERIFIER_CERT", "")
IDENTITY_VERIFIER_KEY = env_str("IDENTITY_VERIFIER_KEY", "")
IDENTITY_MIP_SIDECAR_URL = env_str("IDENTITY_MIP_SIDECAR_URL", "")

# Citizens' 본인확인 / 간편인증 (minwon.accounts.providers, docs/how-to/identity-provider.md): the
# dotted paths of the provider adapters offered on /my/identity/. The simulator stands in for
# PASS and the others in demos and tests; production refuses it.
IDENTITY_PROVIDERS = env_list(
    "IDENTITY_PROVIDERS",
    [] if PRODUCTION else ["minwon.accounts.providers.SimulatorProvider"],
)
if PRODUCTION and any(path.endswith(".SimulatorProvider") for path in IDENTITY_PROVIDERS):
    raise ConfigurationError("The identity-check simulator is for demonstrations, not production.")
