"""Choices on the filing forms of both interfaces, in the visitor's language."""

from __future__ import annotations

from minwon.catalog.selectors import complaint_type_list
from minwon.lawclock.kinds import ComplaintKind


def filing_type_choices(*, language: str) -> list[tuple[str, str]]:
    """The statutory applications one can choose when filing, in the visitor's language."""
    return catalogue_type_choices(language=language, kind=ComplaintKind.STATUTORY.value)


def catalogue_type_choices(*, language: str, kind: str | None = None) -> list[tuple[str, str]]:
    """The catalogue's types (of one kind, or all), by name in the visitor's language."""
    qs = complaint_type_list(kind=kind).filter(current_version__isnull=False)
    choices = []
    for complaint_type in qs:
        version = complaint_type.current_version
        assert version is not None
        name = version.name_en if language == "en" and version.name_en else version.name_ko
        choices.append((complaint_type.code, name))
    return sorted(choices, key=lambda choice: choice[1])
