"""Fetching a status list over HTTPS (the CLI's fetcher; a deployment may cache in front)."""

from __future__ import annotations

import urllib.request
from urllib.parse import urlsplit

MAX_BYTES = 4 * 1024 * 1024


def https_fetcher(uri: str, *, timeout: float = 5.0) -> str:
    if urlsplit(uri).scheme != "https":
        raise ValueError("status list uri is not https")
    request = urllib.request.Request(uri, headers={"Accept": "application/statuslist+jwt"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body: bytes = response.read(MAX_BYTES)
        return body.decode("ascii").strip()
