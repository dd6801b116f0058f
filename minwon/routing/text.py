"""Korean morphemes on kiwipiepy (its model ships on PyPI as ``kiwipiepy_model``: nothing fetched).

``morphemes`` turns a text that has passed ``domain.prepare_text`` into the content morphemes that
carry a complaint's subject: nouns, verb and adjective stems (as dictionary forms, 어둡다), roots,
foreign words and the masking placeholders. Particles and endings are dropped. Kiwi segments
unspaced or badly spaced text itself, so "불법주정차단속해주세요" and "불법 주정차 단속 해 주세요"
give the same morphemes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["kiwi", "morphemes", "morphemes_many"]

# Content parts of speech (Sejong tags as Kiwi uses them).
_KEEP = {
    "NNG",
    "NNP",
    "NNB",
    "NR",
    "XR",
    "SL",
    "SH",
    "VV",
    "VA",
    "VV-R",
    "VV-I",
    "VA-R",
    "VA-I",
    "MAG",
}
_STEM = {"VV", "VA", "VV-R", "VV-I", "VA-R", "VA-I"}
_DROP_FORMS = {"것", "수", "등", "때", "거", "중", "분"}

_lock = threading.Lock()
_kiwi: Any = None


def kiwi() -> Any:
    """The process's one Kiwi (the model loads in about a second)."""
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                import warnings

                from kiwipiepy import Kiwi

                with warnings.catch_warnings():
                    # "num_workers=0 changed in 0.21": 0 now means one thread, which is meant.
                    warnings.simplefilter("ignore", DeprecationWarning)
                    _kiwi = Kiwi(num_workers=0)
    return _kiwi


def _keep(tokens: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        tag = token.tag
        if tag not in _KEEP:
            continue
        form = token.form
        if tag in _STEM:
            form += "다"
        elif tag == "SL":
            form = form.upper() if form.startswith("X") and form.isupper() else form.lower()
        if form in _DROP_FORMS:
            continue
        out.append(form)
    return out


def morphemes(text: str) -> list[str]:
    if not text:
        return []
    return _keep(kiwi().tokenize(text))


def morphemes_many(texts: Iterable[str]) -> Iterator[list[str]]:
    """Morphemes of many texts, one after another (one core; the machine is shared)."""
    k = kiwi()
    for text in texts:
        yield _keep(k.tokenize(text)) if text else []
