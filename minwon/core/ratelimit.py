"""Fixed-window rate limits in the shared cache (Redis in production, memory in the demo).

When the cache cannot be reached (Redis down or stalled) the limit fails open: the request goes
on, a warning is logged (at most once a minute per process) and `fail_open_count` grows, so a
cache outage never turns API requests into server errors.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from minwon.core.errors import ApplicationError


class RateLimited(ApplicationError):
    code = "rate_limited"
    default_message = _("Too many requests. Wait a minute and try again.")
    http_status = 429


logger = logging.getLogger(__name__)
_lock = threading.Lock()
fail_open_count = 0  # requests let through without counting (read by the metrics endpoint)
_last_warning = 0.0


def _fail_open(exc: Exception) -> None:
    global fail_open_count, _last_warning
    with _lock:
        fail_open_count += 1
        warn = time.monotonic() - _last_warning >= 60
        if warn:
            _last_warning = time.monotonic()
    if warn:
        logger.warning("rate limits fail open: the cache is unreachable (%s)", exc)


def rate_limit_hit(bucket: str, *, limit: int, window_seconds: int = 60) -> int:
    """Count one request in `bucket`; raise RateLimited past `limit` in the current window.

    Returns the number of requests counted in this window so far (0 when the cache is
    unreachable and the limit failed open).
    """
    window = int(time.time()) // window_seconds
    key = f"ratelimit:{bucket}:{window}"
    try:
        cache.add(key, 0, timeout=window_seconds * 2)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=window_seconds * 2)
            count = 1
    except Exception as exc:  # redis.ConnectionError, TimeoutError …: never a 500
        _fail_open(exc)
        return 0
    if count > limit:
        raise RateLimited(params={"limit": limit, "window_seconds": window_seconds})
    return count
