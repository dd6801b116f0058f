"""What the office shows of the 특이민원 screen (issue 16): a complaint's texts masked by default,
the flags of each text, the queue's badge. Officers only: nothing here reaches a citizen's page.

The masks come from the stored screenings (``protection.selectors.texts_masked``); a text the
job has not screened yet is screened on the fly for its mask, so a page never shows unmasked words
because a worker is late. Revealing the words as written is a separate, recorded request
(``views.complaint_reveal``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from minwon.complaints.domain import Action
from minwon.complaints.models import Complaint, ComplaintEvent
from minwon.office.selectors import QueueRow
from minwon.protection.domain import Source
from minwon.protection.models import CATEGORY_CHOICES, SEVERITY_CHOICES, SOURCE_CHOICES
from minwon.protection.selectors import complaint_flags, texts_masked

CATEGORY_LABELS = dict(CATEGORY_CHOICES)
SEVERITY_LABELS = dict(SEVERITY_CHOICES)
SOURCE_LABELS = dict(SOURCE_CHOICES)
# The badge's colour per severity (KRDS badge classes).
SEVERITY_BADGES = {
    "low": "bg-light-gray",
    "medium": "bg-light-warning",
    "high": "bg-danger",
    "urgent": "bg-danger",
}


@dataclass(frozen=True)
class Flag:
    """One flagged text on a complaint's page."""

    source: str
    severity: str
    categories: tuple[str, ...]
    screening_id: int | None

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS.get(self.source, self.source))

    @property
    def severity_label(self) -> str:
        return str(SEVERITY_LABELS.get(self.severity, self.severity))

    @property
    def category_labels(self) -> list[str]:
        return [str(CATEGORY_LABELS.get(c, c)) for c in self.categories]

    @property
    def badge(self) -> str:
        return SEVERITY_BADGES.get(self.severity, "bg-light-gray")

    @property
    def urgent(self) -> bool:
        return self.severity == "urgent"


def complaint_text(complaint: Complaint) -> str:
    """The complaint's text as screened (the lifecycle hands protection this)."""
    return f"{complaint.title}\n{complaint.body}"


def _event_text(event: ComplaintEvent) -> tuple[Source, str] | None:
    data = event.data or {}
    if event.action == Action.RECEIVE_SUPPLEMENT.value and data.get("by_complainant"):
        return Source.SUPPLEMENT, str(data.get("note") or "")
    if event.action == Action.FILE_OBJECTION.value:
        return Source.OBJECTION, str(data.get("grounds") or "")
    if event.action in (Action.REOPEN.value, Action.WITHDRAW.value):
        actor = event.actor
        if actor is None or not actor.is_officer:
            return Source.MESSAGE, str(data.get("reason") or "")
    return None


def complaint_screened(
    complaint: Complaint,
    events: Sequence[ComplaintEvent],
    ratings: Sequence[Any],
    *,
    revealed: bool,
) -> dict[str, Any]:
    """The page's citizen texts as shown (masked unless ``revealed``) and the flags.

    Sets ``shown_text`` on each event that carries a citizen's words and ``shown_comment`` on
    each rating, for the template."""
    text = complaint_text(complaint)
    items: list[tuple[int, Source, str]] = [(complaint.pk, Source.COMPLAINT, text)]
    event_texts: dict[int, tuple[Source, str]] = {}
    for event in events:
        found = _event_text(event)
        if found is not None and found[1]:
            event_texts[event.pk] = found
            items.append((complaint.pk, found[0], found[1]))
    for rating in ratings:
        if rating.comment:
            items.append((complaint.pk, Source.MESSAGE, rating.comment))
    masked = texts_masked(items)

    flags: list[Flag] = []
    ids: list[int] = []
    hidden = False

    def shown(source: Source, original: str) -> str:
        nonlocal hidden
        m = masked.get((complaint.pk, source.value, original))
        if m is None:
            return original
        if m.abusive:
            flags.append(Flag(source.value, m.severity, m.categories, m.screening_id))
            if m.screening_id is not None:
                ids.append(m.screening_id)
        hidden = hidden or m.text != original
        return original if revealed else m.text

    whole = shown(Source.COMPLAINT, text)
    title, body = whole[: len(complaint.title)], whole[len(complaint.title) + 1 :]
    for event in events:
        if event.pk in event_texts:
            source, original = event_texts[event.pk]
            event.shown_text = shown(source, original)  # type: ignore[attr-defined]
    for rating in ratings:
        comment = rating.comment or ""
        rating.shown_comment = shown(Source.MESSAGE, comment) if comment else ""
    unique = list({(f.source, f.severity, f.categories, f.screening_id): f for f in flags}.values())
    return {
        "title": title,
        "body": body,
        "flags": unique,
        "urgent": any(f.urgent for f in unique),
        "masked": hidden and not revealed,
        "revealed": revealed and hidden,
        "can_reveal": hidden,
        "screening_ids": sorted(set(ids)),
    }


def queue_rows_screened(rows: Sequence[QueueRow]) -> list[QueueRow]:
    """The queue's rows with each complaint's title masked and its worst flag (the badge)."""
    if not rows:
        return list(rows)
    complaints = [row.complaint for row in rows]
    masked = texts_masked((c.pk, Source.COMPLAINT, complaint_text(c)) for c in complaints)
    flags = complaint_flags(c.pk for c in complaints)
    out: list[QueueRow] = []
    for row in rows:
        c = row.complaint
        m = masked.get((c.pk, Source.COMPLAINT.value, complaint_text(c)))
        title = m.text[: len(c.title)] if m is not None else c.title
        flag = flags.get(c.pk)
        if flag is None and m is not None and m.abusive:  # not stored yet: read on the fly
            flag_obj = Flag(Source.COMPLAINT.value, m.severity, m.categories, None)
        elif flag is not None:
            flag_obj = Flag(Source.COMPLAINT.value, flag.severity, flag.categories, None)
        else:
            flag_obj = None
        out.append(replace(row, title=title, flag=flag_obj))
    return out
