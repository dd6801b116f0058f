"""Fetching a status list over HTTPS (the CLI's fetcher; a deployment may cache in front)."""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit

MAX_BYTES = 4 * 1024 * 1024


def https_fetcher(uri: str, *, timeout: float = 5.0) -> str:
    if urlsplit(uri).scheme != "https":
        raise ValueError("status list uri is not https")
    request = urllib.request.Request(uri, headers={"Accept": "application/statuslist+jwt"})
    # the scheme is checked above: https only, never file: or a custom handler
    with urllib.request.urlopen(request, timeout=timeout) as response:  # nosec B310
        body: bytes = response.read(MAX_BYTES)
        return body.decode("ascii").strip()


class CachingFetcher:
    """A status-list fetcher with a cache in front (mobile-id.md §5.6: lists are fetched per list,
    not per citizen, so the issuer does not learn who is being checked at the counter).

    A list fetched less than `ttl` seconds ago is reused. When a fetch fails, a list up to
    `max_stale` seconds old is used instead (the token's own `exp` is still checked by the
    verifier); past that the failure stands and the status check fails closed.
    """

    def __init__(
        self,
        fetch: Callable[[str], str],
        *,
        ttl: float = 300.0,
        max_stale: float = 86_400.0,
        clock: Callable[[], float] = time.monotonic,
        max_entries: int = 256,
    ) -> None:
        self._fetch, self.ttl, self.max_stale, self._clock = fetch, ttl, max_stale, clock
        self._max_entries = max_entries
        self._cache: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def __call__(self, uri: str) -> str:
        now = self._clock()
        with self._lock:
            cached = self._cache.get(uri)
        if cached is not None and now - cached[0] < self.ttl:
            return cached[1]
        try:
            token = self._fetch(uri)
        except Exception:
            if cached is not None and now - cached[0] < self.max_stale:
                return cached[1]
            raise
        with self._lock:
            if len(self._cache) >= self._max_entries and uri not in self._cache:
                self._cache.pop(next(iter(self._cache)))
            self._cache[uri] = (now, token)
        return token
