"""HTTP adapter to a national system (국민신문고, 정부24), in the exchange format of domain.py.

    GET  {base}/complaints?agency=epeople&after=CURSOR&limit=N
         → {"items": [...], "next_cursor": "..."}
    POST {base}/reports  (one report, JSON) → 200/201, or 409 when that report_id is taken
    GET  {base}/reports/{report_id} → the report the national side holds under that id, or 404

Both carry `X-Exchange-Key`. Standard library only (urllib); every call has a timeout.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol


class ExchangeUnavailable(Exception):
    """The national side did not answer, or answered with an error; try again later."""


@dataclass(frozen=True)
class Batch:
    items: list[Any]
    next_cursor: str


class ExchangeClient(Protocol):
    def fetch(self, *, agency: str, after: str, limit: int) -> Batch: ...

    def report(self, report: dict[str, Any]) -> str:
        """ "accepted", or "taken" when the national side already holds this report_id (409)."""
        ...

    def report_read(self, report_id: str) -> dict[str, Any] | None:
        """The report the national side holds under `report_id`, or None when it has none."""
        ...


class HttpExchangeClient:
    def __init__(self, base_url: str, *, key: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.key = key
        self.timeout = timeout

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
        if urllib.parse.urlsplit(self.base_url).scheme not in {"http", "https"}:
            raise ExchangeUnavailable(f"{method} {path}: the exchange URL is not http(s)")
        request = urllib.request.Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={
                "X-Exchange-Key": self.key,
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        try:
            # scheme checked above: only http(s), never file: or a custom handler
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # nosec B310
                raw = response.read()
        except TimeoutError as exc:  # the answer may be lost after the work was done
            message = f"{method} {path}: no answer within {self.timeout} s"
            raise ExchangeUnavailable(message) from exc
        except urllib.error.HTTPError as exc:
            if exc.code in {404, 409}:
                return {"_status": exc.code}
            raise ExchangeUnavailable(f"{method} {path}: HTTP {exc.code}") from exc
        except (urllib.error.URLError, ConnectionError, OSError) as exc:
            raise ExchangeUnavailable(f"{method} {path}: {exc}") from exc
        try:
            return json.loads(raw or b"{}")
        except json.JSONDecodeError as exc:
            raise ExchangeUnavailable(f"{method} {path}: the answer is not JSON") from exc

    def fetch(self, *, agency: str, after: str, limit: int) -> Batch:
        query = urllib.parse.urlencode({"agency": agency, "after": after, "limit": limit})
        body = self._call("GET", f"/complaints?{query}")
        items = body.get("items") if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise ExchangeUnavailable("GET /complaints: no items list in the answer")
        return Batch(items=items, next_cursor=str(body.get("next_cursor") or after))

    def report(self, report: dict[str, Any]) -> str:
        body = self._call("POST", "/reports", report)
        if isinstance(body, dict) and body.get("_status") == 404:
            raise ExchangeUnavailable("POST /reports: HTTP 404")
        return "taken" if isinstance(body, dict) and body.get("_status") == 409 else "accepted"

    def report_read(self, report_id: str) -> dict[str, Any] | None:
        path = "/reports/" + urllib.parse.quote(report_id, safe="")
        body = self._call("GET", path)
        if isinstance(body, dict) and body.get("_status") == 404:
            return None
        if not isinstance(body, dict) or body.get("_status") == 409:
            raise ExchangeUnavailable(f"GET {path}: not a report")
        return body
