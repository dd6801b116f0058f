"""Fixed-window rate limits in the shared cache (Redis in production, memory in the demo)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from minwon.core.errors import ApplicationError


class RateLimited(ApplicationError):
    code = "rate_limited"
    default_message = _("Too many requests. Wait a minute and try again.")
    http_status = 429


def rate_limit_hit(bucket: str, *, limit: int, window_seconds: int = 60) -> int:
    """Count one request in `bucket`; raise RateLimited past `limit` in the current window.

    Returns the number of requests counted in this window so far.
    """
    window = int(time.time()) // window_seconds
    key = f"ratelimit:{bucket}:{window}"
    cache.add(key, 0, timeout=window_seconds * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window_seconds * 2)
        count = 1
    if count > limit:
        raise RateLimited(params={"limit": limit, "window_seconds": window_seconds})
    return count
