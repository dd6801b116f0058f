"""The status-list cache: reuse within the TTL, a stale list only while the fetch fails, and
nothing past max-stale (the status check then fails closed)."""

from __future__ import annotations

import pytest

from minwon.identity.verifier.statuslist_fetch import CachingFetcher


class Source:
    def __init__(self) -> None:
        self.calls = 0
        self.down = False

    def __call__(self, uri: str) -> str:
        if self.down:
            raise OSError("unreachable")
        self.calls += 1
        return f"{uri}#{self.calls}"


def test_a_list_is_fetched_once_per_ttl_and_stale_only_while_down() -> None:
    now = [0.0]
    source = Source()
    fetch = CachingFetcher(source, ttl=300, max_stale=3600, clock=lambda: now[0])
    assert fetch("https://s/1") == "https://s/1#1"
    now[0] = 299
    assert fetch("https://s/1") == "https://s/1#1" and source.calls == 1
    now[0] = 301
    assert fetch("https://s/1") == "https://s/1#2"
    source.down = True
    now[0] = 301 + 3599
    assert fetch("https://s/1") == "https://s/1#2"  # stale but within max_stale
    now[0] = 301 + 3601
    with pytest.raises(OSError, match="unreachable"):
        fetch("https://s/1")
    with pytest.raises(OSError, match="unreachable"):
        fetch("https://s/other")  # never fetched: nothing to fall back on


def test_the_cache_is_bounded() -> None:
    fetch = CachingFetcher(Source(), max_entries=2, clock=lambda: 0.0)
    for n in range(5):
        fetch(f"https://s/{n}")
    assert len(fetch._cache) == 2
