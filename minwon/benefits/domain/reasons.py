"""Reasons a citizen can read, kept as a message and its values until shown.

The domain cannot call Django's translation, so a reason is an English message id (marked with
``_`` so ``./scripts/messages`` extracts it into the project's catalogue) and typed values;
``render`` formats it in one language with a translate function the caller passes in: Django's
``gettext`` on pages, the standard library's ``gettext`` over the same compiled catalogue in the
CLI (``minwon.benefits.cli``). Amounts are shown as Koreans write them (``100만원``,
``41만 6천원``) in Korean and as ``KRW 1,000,000`` in English; Korean particles written in both
forms are resolved for the value before them (``core.domain.choose_particles``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from minwon.benefits.domain.dates import Month
from minwon.core.domain import choose_particles

__all__ = ["Reason", "Text", "Won", "format_won", "render"]


def _(message: str) -> str:
    """Marks an English message id for extraction; translation happens in ``render``."""
    return message


@dataclass(frozen=True)
class Won:
    amount: int


@dataclass(frozen=True)
class Text:
    """A text from the catalogue data in both languages (programme names, bands)."""

    ko: str
    en: str

    def in_language(self, language: str) -> str:
        return self.ko if language == "ko" else self.en


@dataclass(frozen=True)
class Reason:
    message: str
    values: Mapping[str, object] = field(default_factory=dict)
    rule: str = ""  # a stable id of the rule that gave it (for traces and tests)


def format_won(amount: int, language: str) -> str:
    """``1000000`` → ``100만원`` (ko) / ``KRW 1,000,000`` (en); ``416000`` → ``41만 6천원``."""
    if language != "ko":
        return f"KRW {amount:,}"
    if amount == 0:
        return "0원"
    man, rest = divmod(amount, 10_000)
    parts: list[str] = []
    if man:
        parts.append(f"{man:,}만")
    if rest:
        cheon, won = divmod(rest, 1000)
        if won or not cheon:
            parts.append(f"{rest:,}")
        else:
            parts.append(f"{cheon}천")
    return " ".join(parts) + "원"


def render(reason: Reason, translate: Callable[[str], str], language: str) -> str:
    """The reason as one sentence in ``language`` (``translate`` maps a message id to it)."""
    values: dict[str, str] = {}
    for key, value in reason.values.items():
        if isinstance(value, Won):
            values[key] = format_won(value.amount, language)
        elif isinstance(value, Text):
            values[key] = value.in_language(language)
        elif isinstance(value, Reason):
            values[key] = render(value, translate, language)
        elif isinstance(value, (date, Month)):
            values[key] = value.isoformat() if isinstance(value, date) else str(value)
        else:
            values[key] = str(value)
    text = translate(reason.message)
    # Korean messages write a particle after a value in both forms ("%(programme)s은(는)"); the
    # one that fits the filled value is kept (아동수당은, 부모급여는).
    return choose_particles(text % values if values else text)
