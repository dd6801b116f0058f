"""kiwipiepy lemmas for the screen's optional ``morphemes`` callable (no Django).

``lemmas(text)`` yields ``(lemma, start, end)`` for the verbs and adjectives of ``text``, as
dictionary forms (닥치세요 → 닥치다), with offsets into ``text``. Pass it as
``screen(text, morphemes=lemmas)``. kiwipiepy's model ships on PyPI (nothing is fetched); it
loads in about a second, once per process. ``protection`` keeps its own Kiwi: it may not import
``routing``, which sits on the same row of the dependency order.
"""

from __future__ import annotations

import threading
import warnings
from typing import Any

__all__ = ["lemmas"]

_VERBS = {"VV", "VA", "VV-R", "VV-I", "VA-R", "VA-I"}
_lock = threading.Lock()
_kiwi: Any = None


def _analyser() -> Any:
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    _kiwi = Kiwi(num_workers=0)
    return _kiwi


def lemmas(text: str) -> list[tuple[str, int, int]]:
    out: list[tuple[str, int, int]] = []
    for token in _analyser().tokenize(text):
        if token.tag in _VERBS:
            out.append((token.form + "다", token.start, token.start + token.len))
    return out
