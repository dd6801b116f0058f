"""Documents made from the complaints context's reads: the 접수증 (receipt) as a PDF.

`selectors.complaint_receipt` gives the data; `receipt_document` lays it out as labelled rows in
the active language (pure data, easy to test), and `receipt_pdf` renders those rows with fpdf2 on
the Pretendard GOV font that KRDS ships (node_modules/krds-uiux). Interfaces only send the bytes.

The font: krds-uiux ships WOFF files; fpdf2 reads TrueType only, so each face is converted once
(fontTools; plain WOFF needs only zlib) and cached under MINWON_DATA_DIR/cache/fonts. The subset
covers 2,780 Hangul syllables (all 2,350 of KS X 1001 and 430 more), Latin and common symbols, and
no Hanja. A character the font lacks is never left blank: a Hangul syllable is spelled out in
compatibility jamo (쉜 → ㅅㅞㄺ), anything else becomes "?".
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.fonts import FontFace

from minwon.accounts.domain import OrgUnitKind
from minwon.accounts.selectors import org_unit_list
from minwon.complaints.domain import period_citation
from minwon.complaints.models import Complaint
from minwon.complaints.selectors import Receipt, complaint_receipt
from minwon.core.errors import Conflict

FONT_FAMILY = "PretendardGOV"
FONT_FILES = {"": "PretendardGOV-Regular.subset.woff", "B": "PretendardGOV-Bold.subset.woff"}

# The same words as the portal's labels (one translation each).
KIND_LABELS: dict[str, Promise] = {
    "statutory": gettext_lazy("Application (permit, certificate, report)"),
    "inquiry_law": gettext_lazy("Question about a law"),
    "inquiry_procedure": gettext_lazy("Question about a procedure"),
    "suggestion": gettext_lazy("Suggestion"),
    "other": gettext_lazy("Simple request"),
    "grievance": gettext_lazy("Problem or inconvenience"),
    "tip": gettext_lazy("Anonymous tip"),
}
CHANNEL_LABELS: dict[str, Promise] = {
    "web": gettext_lazy("Website"),
    "counter": gettext_lazy("At the counter, in writing"),
    "oral": gettext_lazy("At the counter, orally"),
    "phone": gettext_lazy("By phone"),
    "post": gettext_lazy("By post"),
    "fax": gettext_lazy("By fax"),
    "api": gettext_lazy("Another system"),
    "epeople": gettext_lazy("National e-People portal"),
    "gov24": gettext_lazy("Government24"),
}
# How lawclock counted the deadline (its `Deadline.rule`), 민원처리법 제19조.
RULE_LABELS: dict[str, Promise] = {
    "hours": gettext_lazy(
        "in working hours (8 hours a working day); Saturdays, Sundays and public holidays are "
        "not counted"
    ),
    "days": gettext_lazy(
        "in working days, the day of registration counted as the first; Saturdays, Sundays and "
        "public holidays are not counted"
    ),
    "calendar": gettext_lazy(
        "by the calendar from the day of registration; when the last day is a Saturday or a "
        "public holiday, the period ends on the next working day"
    ),
}


class PdfFontMissingError(ImproperlyConfigured):
    """The font the PDF documents are set in is not installed."""


def font_source_dir() -> Path:
    return Path(settings.BASE_DIR) / "node_modules" / "krds-uiux" / "resources" / "fonts"


def font_cache_dir() -> Path:
    return Path(settings.MINWON_DATA_DIR) / "cache" / "fonts"


@dataclass(frozen=True)
class PdfFont:
    path: Path  # a TrueType file fpdf2 can embed
    covered: frozenset[int]  # the code points it has glyphs for


def pdf_font(style: str = "") -> PdfFont:
    """The Pretendard GOV face for `style` ("" or "B") as TrueType, converted once and cached."""
    source = font_source_dir() / FONT_FILES[style]
    if not source.is_file():
        raise PdfFontMissingError(
            f"The PDF font {source} is missing; install the front-end packages (./scripts/setup "
            "runs npm ci, which brings krds-uiux)."
        )
    font = _converted(source, source.stat().st_mtime_ns, font_cache_dir())
    if not font.path.is_file():  # the cache was cleaned while this process ran
        _converted.cache_clear()
        font = _converted(source, source.stat().st_mtime_ns, font_cache_dir())
    return font


@lru_cache(maxsize=8)
def _converted(source: Path, mtime_ns: int, cache_dir: Path) -> PdfFont:
    data = source.read_bytes()
    font = TTFont(io.BytesIO(data))
    covered = frozenset[int](font.getBestCmap())
    name = f"{source.name.split('.')[0]}-{hashlib.sha256(data).hexdigest()[:16]}.ttf"
    for folder in (cache_dir, Path(tempfile.gettempdir()) / "minwon-fonts"):
        target = folder / name
        if target.is_file():
            return PdfFont(target, covered)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            font.flavor = None  # WOFF → plain TrueType
            handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
            with os.fdopen(handle, "wb") as out:
                font.save(out)
            os.chmod(temporary, 0o644)  # mkstemp makes it private; the font is public
            os.replace(temporary, target)  # atomic: a concurrent reader sees all or nothing
        except OSError:
            continue  # a read-only data folder: try the temporary folder
        return PdfFont(target, covered)
    raise PdfFontMissingError(f"Cannot write the converted PDF font {name} anywhere.")


# --- text the font can show ----------------------------------------------------------------------

_CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JUNGSEONG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_JONGSEONG: list[str] = ["", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"]


def _jamo(syllable: str) -> str:
    index = ord(syllable) - 0xAC00
    lead, rest = divmod(index, 588)
    vowel, tail = divmod(rest, 28)
    return _CHOSEONG[lead] + _JUNGSEONG[vowel] + _JONGSEONG[tail]


def printable(text: str, covered: frozenset[int]) -> str:
    """`text` with every character the font lacks replaced: a Hangul syllable by its jamo, any
    other character by "?". Control characters become spaces."""
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        code = ord(char)
        if char in "\n\t" or unicodedata.category(char) == "Cc":
            out.append(" " if char != "\n" else "\n")
        elif code in covered:
            out.append(char)
        elif 0xAC00 <= code <= 0xD7A3 and all(ord(j) in covered for j in _jamo(char)):
            out.append(_jamo(char))
        else:
            out.append("?")
    return "".join(out)


# --- layout --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiptDocument:
    """The 접수증 as labelled rows, translated; what `receipt_pdf` renders."""

    heading: str
    city: str
    rows: tuple[tuple[str, str], ...]
    required_documents: tuple[str, ...]
    notes: tuple[str, ...]
    statement: str
    issued_at: str


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    return str(formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT"))


def _period_label(value: str) -> str:
    """'7d' → '7 days', '8h' → '8 working hours', 'instant' → 'at once (3 working hours)'."""
    if value == "instant":
        return _("at once (within 3 working hours)")
    if len(value) < 2 or not value[:-1].isdigit():
        return value
    amount, unit = int(value[:-1]), value[-1]
    labels = {
        "h": ngettext("%(n)d working hour", "%(n)d working hours", amount),
        "d": ngettext("%(n)d day", "%(n)d days", amount),
        "w": ngettext("%(n)d week", "%(n)d weeks", amount),
        "m": ngettext("%(n)d month", "%(n)d months", amount),
        "y": ngettext("%(n)d year", "%(n)d years", amount),
    }
    return labels[unit] % {"n": amount} if unit in labels else value


def _city_name(complaint: Complaint) -> str:
    """The city the complaint was made to: the 시 above its department, or the one city."""
    cities = list(org_unit_list().filter(kind=OrgUnitKind.CITY.value))
    unit = complaint.org_unit
    if unit is not None:
        for city in cities:
            if unit.path.startswith(city.path):
                return city.name_ko
    return cities[0].name_ko if len(cities) == 1 else ""


def receipt_document(
    complaint: Complaint,
    *,
    follow_url: str,
    now: datetime | None = None,
    before_registration: bool = False,
) -> ReceiptDocument:
    """The 접수증 of a registered complaint (영 제6조④: what was received, by whom, when it is
    due and how that was counted). An unregistered complaint has no receipt yet: Conflict, unless
    `before_registration` asks for the confirmation of sending (신청 확인서: the follow-up number,
    and that the receipt number comes at registration)."""
    registered = bool(complaint.receipt_number)
    if not registered and not before_registration:
        raise Conflict(
            _("The complaint has no receipt number yet: it gets one when it is registered."),
            code="complaint.not_registered",
        )
    receipt: Receipt = complaint_receipt(complaint)
    period = ""
    if complaint.period:
        period = _period_label(complaint.period)
        # The same citation as the office and the citizen's pages (domain.deadline_citation).
        citation = period_citation(
            period_basis=receipt.legal_basis,
            counting_basis=complaint.deadline_legal_basis,
            clock=complaint.clock,
        )
        if citation:
            period = f"{period} ({citation})"
    counted = str(RULE_LABELS.get(complaint.deadline_rule, complaint.deadline_rule))
    anonymous = _("Anonymous") if complaint.kind == "tip" else "—"
    rows = [
        (_("Follow-up number"), complaint.follow_number or "—"),
        (
            _("Receipt number"),
            receipt.receipt_number or _("Given when the complaints office registers the complaint"),
        ),
        (_("Sent at"), _when(complaint.arrived_at)),
        (_("Registered at"), _when(receipt.registered_at) if registered else "—"),
        (_("Complainant"), receipt.applicant_name or anonymous),
        (_("Kind"), str(KIND_LABELS.get(receipt.kind, receipt.kind))),
        (_("Service"), receipt.type_name or "—"),
        (_("Title"), receipt.title),
        (_("Filed"), str(CHANNEL_LABELS.get(receipt.channel, receipt.channel))),
        (_("Department in charge"), receipt.org_unit or _("Assigned by the complaints office")),
        (_("Processing period"), period or _("No legal processing period")),
        (_("Answer due by"), _when(receipt.due_at)),
    ]
    if counted:
        rows.append((_("How the deadline is counted"), counted))
    notes = (
        _(
            "Follow this complaint at %(url)s with the follow-up number and the password you "
            "chose, or under “My complaints” if you filed it with an account."
        )
        % {"url": follow_url},
        _(
            "The follow-up number is given the moment a complaint is sent and opens it with "
            "your password: keep it to yourself. The receipt number (접수번호) is the official "
            "number given at registration; it is public and does not open the complaint."
        ),
        _(
            "Time spent waiting for information the department asks you for is not counted; the "
            "period may be extended once, and you are told why."
        ),
        _("Your name is partly hidden on this receipt to protect your personal data."),
    )
    city = _city_name(complaint)
    return ReceiptDocument(
        heading=_("Complaint receipt") if registered else _("Confirmation of sending"),
        city=city,
        rows=tuple(rows),
        required_documents=tuple(receipt.required_documents),
        notes=notes,
        statement=_("The complaint above has been received.")
        if registered
        else _("The complaint above has arrived and waits for registration."),
        issued_at=_when(now or timezone.now()),
    )


# --- rendering -----------------------------------------------------------------------------------

_LABEL_FILL = (238, 242, 247)
_RULE_COLOUR = (177, 184, 190)


def receipt_pdf(document: ReceiptDocument) -> bytes:
    """Render the receipt on one A4 page (more when the text is long) and return the PDF bytes."""
    regular, bold = pdf_font(""), pdf_font("B")
    covered = regular.covered & bold.covered

    def text(value: str) -> str:
        return printable(value, covered)

    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_title(text(document.heading))
    pdf.set_creator("Minwon")
    pdf.set_lang("ko")
    pdf.add_font(FONT_FAMILY, "", regular.path)
    pdf.add_font(FONT_FAMILY, "B", bold.path)
    pdf.add_page()
    width = pdf.epw

    pdf.set_font(FONT_FAMILY, "B", 20)
    pdf.cell(width, 12, text(document.heading), align="C", new_x="LMARGIN", new_y="NEXT")
    if document.city:
        pdf.set_font(FONT_FAMILY, "", 12)
        pdf.cell(width, 8, text(document.city), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)

    pdf.set_font(FONT_FAMILY, "", 10.5)
    pdf.set_draw_color(*_RULE_COLOUR)
    label_style = FontFace(emphasis="BOLD", fill_color=_LABEL_FILL)
    with pdf.table(
        col_widths=(42, width - 42),
        first_row_as_headings=False,
        line_height=6,
        padding=2,
        text_align=("LEFT", "LEFT"),
    ) as table:
        for label, value in document.rows:
            row = table.row()
            row.cell(text(label), style=label_style)
            row.cell(text(value))
    pdf.ln(6)

    pdf.set_font(FONT_FAMILY, "B", 12)
    pdf.cell(width, 8, text(_("Documents to bring")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, "", 10.5)
    items = document.required_documents or (_("None"),)
    for item in items:
        pdf.multi_cell(width, 6, text(f"• {item}"), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    pdf.set_font(FONT_FAMILY, "B", 12)
    pdf.cell(width, 8, text(_("Good to know")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, "", 10)
    for note in document.notes:
        pdf.multi_cell(width, 5.5, text(f"※ {note}"), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    pdf.ln(10)

    pdf.set_font(FONT_FAMILY, "", 11)
    pdf.cell(width, 7, text(document.statement), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width, 7, text(document.issued_at), align="C", new_x="LMARGIN", new_y="NEXT")
    if document.city:
        pdf.ln(4)
        pdf.set_font(FONT_FAMILY, "B", 16)
        pdf.cell(width, 10, text(document.city), align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def complaint_receipt_pdf(
    complaint: Complaint, *, follow_url: str, before_registration: bool = False
) -> bytes:
    """The 접수증 of a registered complaint as PDF bytes (Conflict when not registered yet,
    unless `before_registration` asks for the confirmation of sending)."""
    return receipt_pdf(
        receipt_document(complaint, follow_url=follow_url, before_registration=before_registration)
    )
