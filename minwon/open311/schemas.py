"""GeoReport v2 documents in XML and JSON (the spec's "Spark convention").

A document is a root name, an item name and a list of items (dicts). In XML the items are the
root's repeated children; in JSON the root is dropped and the items form an array. A value that
is a list becomes a container of repeated children (`attributes` → `attribute`, `values` →
`value`, `notes` → `note`); None is an empty element; booleans are `true`/`false`.

XML 1.0 cannot carry every character a client may send (a description with a control
character, a lone surrogate): the writer drops those (`xml_text`), so the document is always
well-formed and parses back to the text without them; a carriage return is written as `&#13;`
so that parsers' line-end normalisation keeps it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

from minwon.open311.domain import Format, Open311Error

CHILD_NAMES = {
    "attributes": "attribute",
    "values": "value",
    "notes": "note",
    "formats": "format",
    "endpoints": "endpoint",
    "photos": "photo",
}


# Everything outside XML 1.0's Char production (§2.2): C0 controls but tab, LF and CR;
# surrogates; U+FFFE and U+FFFF.
_NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """`value` without the characters an XML 1.0 document cannot hold."""
    return _NOT_XML_CHAR.sub("", value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return xml_text(str(value))


def _append(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    if value is None:
        return
    if isinstance(value, Mapping):
        for key, child in value.items():
            _append(element, key, child)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        child_name = CHILD_NAMES.get(name, name.rstrip("s"))
        for child in value:
            _append(element, child_name, child)
    else:
        element.text = _text(value)


def to_xml(
    root: str, item: str | None, content: Sequence[Mapping[str, Any]] | Mapping[str, Any]
) -> bytes:
    element = ET.Element(root)
    if isinstance(content, Mapping):
        for key, value in content.items():
            _append(element, key, value)
    else:
        assert item is not None
        for entry in content:
            _append(element, item, entry)
    # No attributes are written, so a raw CR can only be text: keep it through parsing.
    body = ET.tostring(element, encoding="unicode").replace("\r", "&#13;")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode("utf-8")


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def render(
    fmt: Format,
    root: str,
    item: str | None,
    content: Sequence[Mapping[str, Any]] | Mapping[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    if fmt == Format.XML:
        return HttpResponse(
            to_xml(root, item, content), status=status, content_type="text/xml; charset=utf-8"
        )
    body = json.dumps(content, ensure_ascii=False, default=_json_default)
    return HttpResponse(
        body.encode("utf-8"), status=status, content_type="application/json; charset=utf-8"
    )


def render_errors(fmt: Format, errors: Sequence[Open311Error]) -> HttpResponse:
    status = errors[0].status
    items = [{"code": e.body_code, "description": e.description} for e in errors]
    return render(fmt, "errors", "error", items, status=status)
