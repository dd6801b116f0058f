"""Load the Python-2-only PyPI package `open311` 1.1 under Python 3 without editing it.

It registers top-level modules named `api`, `xml2dict` and `object_dict` (the package's implicit
relative imports); Minwon has no top-level modules of those names.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import types
import urllib.request
import xml.etree.ElementTree as ET
from typing import Any


class _Node:
    """Stands in for an Element: the package calls node.getchildren() (removed in Python 3.9)."""

    def __init__(self, element: ET.Element) -> None:
        self._element = element
        self.tag, self.text, self.attrib = element.tag, element.text, dict(element.attrib)

    def getchildren(self) -> list[_Node]:
        return [_Node(child) for child in self._element]


def _load(name: str, path: str, package_dir: list[str] | None = None) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(
        name, path, submodule_search_locations=package_dir
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_open311() -> Any:
    found = importlib.util.find_spec("open311")
    assert found is not None and found.submodule_search_locations is not None
    base = next(iter(found.submodule_search_locations))
    xml_dir = os.path.join(base, "api", "xml2dict")
    _load("object_dict", os.path.join(xml_dir, "object_dict.py"))
    _load("xml2dict", os.path.join(xml_dir, "__init__.py"), [xml_dir])
    sys.modules["xml2dict.xml2dict"].ET = types.SimpleNamespace(  # type: ignore[attr-defined]
        fromstring=lambda s: _Node(ET.fromstring(s))
    )
    api = _load("api", os.path.join(base, "api", "api.py"))
    sys.modules["api.api"] = api
    raw = urllib.request.urlopen

    def urlopen(url: str, data: Any = None) -> Any:
        return raw(url, data.encode("utf-8") if isinstance(data, str) else data)

    api.urlopen = urlopen  # type: ignore[attr-defined]
    return _load("open311_client", os.path.join(base, "open311.py")).Open311
