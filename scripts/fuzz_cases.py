"""Crafted cases the schema-driven fuzzer cannot express (issue 13 item 11), against a running
server: every paged JSON API list with crafted cursors, Open311 paging past any offset and in
non-ASCII digits, a control character in a description then requests.xml, and non-http media
URLs. Any 5xx, an ill-formed XML document or a non-400 answer where 400 is due fails.

Usage: fuzz_cases.py BASE_URL OPEN311_KEY 'Header: value' ['Header: value' ...]
(run by scripts/fuzz-api after schemathesis).
"""

from __future__ import annotations

import base64
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from xml.etree import ElementTree as ET


def _b64(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


CURSORS = [
    "%%%",
    "커서",
    _b64("not json"),
    _b64("[1, 2, 3]"),
    _b64('{"a": 1, "b": 2}'),
    _b64('[{"dt": "2026-03-09T10:00:00+09:00"}, "x"]'),
    _b64('[{"dt": "2026-03-09T10:00:00+09:00"}, true]'),
    _b64(f'[{{"dt": "2026-03-09T10:00:00+09:00"}}, {2**70}]'),
    _b64("[[1, 2], 3]"),
    _b64('["abc", 3]'),
    _b64("[12345, 3]"),
    _b64('[{"dt": "2026-03-09T10:00:00"}, 3]'),
    _b64('[{"dt": "9999-12-31T23:59:59-23:59"}, 3]'),
    _b64("[" * 5000 + "]" * 5000),
    _b64("[NaN, 3]"),
    "A" * 10_000,
]
PAGES = [
    "page=999999999999999999999",
    "page_size=999999999999999999999",
    "page=%D9%A1%D9%A2",
    "page=%C2%B2",
    "page_size=%EF%BC%95",
    "page=1%00",
]
MEDIA = ["javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd", "//evil.example/"]


def call(
    url: str, *, headers: dict[str, str] | None = None, data: dict[str, str] | None = None
) -> tuple[int, bytes]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def main(base: str, key: str, auth_headers: list[str]) -> int:
    failures: list[str] = []
    sent = 0

    def expect(label: str, status: int, wanted: int) -> None:
        nonlocal sent
        sent += 1
        if status >= 500 or status != wanted:
            failures.append(f"{label}: {status}, wanted {wanted}")

    spec = json.loads(call(f"{base}/api/v1/openapi.json")[1])
    paged = [
        path
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method == "get"
        and "{" not in path
        and any(p.get("name") == "cursor" for p in operation.get("parameters", []))
    ]
    for header in auth_headers:
        name, _, value = header.partition(": ")
        for path in paged:
            for cursor in CURSORS:
                url = f"{base}/api/v1{path.removeprefix('/api/v1')}?" + urllib.parse.urlencode(
                    {"cursor": cursor}
                )
                status, _ = call(url, headers={name: value})
                if status in (401, 403, 404):  # not this caller's list
                    break
                expect(f"{path} cursor={cursor[:30]!r} as {name}", status, 400)
    for query in PAGES:
        for fmt in ("json", "xml"):
            status, _ = call(f"{base}/open311/v2/requests.{fmt}?{query}")
            expect(f"open311 requests.{fmt}?{query}", status, 400)
    report = {"service_code": "road-damage", "lat": "37.76", "long": "126.78"}
    report["attribute[damage_type]"] = "pothole"
    posted = f"{base}/open311/v2/requests.json?api_key={key}"
    status, _ = call(posted, data={**report, "description": "제어\x01문자\x0b\x1b 포함\r\n"})
    expect("open311 POST with control characters", status, 201)
    status, body = call(f"{base}/open311/v2/requests.xml")
    expect("open311 requests.xml", status, 200)
    try:
        ET.fromstring(body)
    except ET.ParseError as error:
        failures.append(f"open311 requests.xml is not well-formed: {error}")
    status, _ = call(posted, data={**report, "description": "a\x00b"})
    expect("open311 POST with NUL", status, 400)
    for media in MEDIA:
        status, _ = call(posted, data={**report, "media_url": media})
        expect(f"open311 POST media_url={media!r}", status, 400)
    for failure in failures:
        print(f"fuzz-cases: {failure}", file=sys.stderr)
    print(
        f"fuzz-cases: {sent} crafted requests on {len(paged)} paged lists and Open311, "
        f"{len(failures)} failures"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
