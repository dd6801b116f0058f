"""What an uploaded file really is, from its structure (issue 13 item 7), never from its name;
and the checks every stored upload passes (`check`: size, type, images re-encoded without EXIF,
the sender's name cleaned into a label), shared by complaint attachments and incident evidence.

Accepted: JPEG and PNG (re-encoded afterwards), PDF (header, a cross-reference the trailer points
at, the end marker; no JavaScript or launch actions), HWP 5 (an OLE compound file with the
`FileHeader` stream and its "HWP Document File" signature), HWPX (a valid zip whose first entry is
`mimetype` = application/hwp+zip, with the `Contents/` parts), and DOCX/XLSX/PPTX (a valid zip with
`[Content_Types].xml` and the format's main part). Refused: executables (PE, ELF, Mach-O, scripts),
other OLE files (macro documents, .msi), macros (vbaProject.bin, ActiveX and OLE objects in OOXML,
macro-enabled content types; Macros/VBA storages in OLE; non-empty HWP/HWPX scripts), zip bombs.
OLE is read with olefile (the parser oletools is built on), zip with the standard library.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
import zipfile
import zlib
from dataclasses import dataclass

import olefile
from PIL import Image, ImageOps

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
HWP, HWPX = "application/x-hwp", "application/hwp+zip"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

# The download's file extension comes from the detected type, never from the sender's name.
EXTENSIONS = {
    JPEG: "jpg",
    PNG: "png",
    PDF: "pdf",
    HWP: "hwp",
    HWPX: "hwpx",
    DOCX: "docx",
    XLSX: "xlsx",
    PPTX: "pptx",
}

MAX_ZIP_ENTRIES = 5000
MAX_ZIP_UNPACKED_BYTES = 200 * 1024 * 1024  # a zip bomb is refused before anything is unpacked
MAX_SCRIPT_BYTES = 1024 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HWP_SIGNATURE = b"HWP Document File"
_EXECUTABLE_MAGIC = (
    b"MZ",  # PE (Windows .exe, .dll)
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",  # Mach-O 32/64, either byte order, and fat binaries
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",  # scripts
)
_OOXML_MAIN = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
_OOXML_FORBIDDEN = re.compile(
    r"(^|/)(vbaProject\.bin|vbaData\.xml|activeX[^/]*|oleObject[^/]*\.bin)$", re.IGNORECASE
)
_OLE_MACRO_STORAGES = {"macros", "_vba_project_cur", "vba", "_vba_project", "objectpool"}


class Refusal(Exception):
    """Why the bytes are refused: `executable`, `macro` or `type` (not an accepted format); from
    `check` also `too_large`, `empty`, `unreadable` (an image that does not decode) and
    `image_too_large` (too many pixels)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


MAX_IMAGE_PIXELS = 40_000_000  # larger images are refused (decompression bombs)
IMAGE_TYPES = {JPEG: "JPEG", PNG: "PNG"}
_UNSAFE_IN_NAME = re.compile(r"[\\/:*?\"<>|]")


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks: its real type, and the bytes to store (images re-encoded)."""

    name: str
    content_type: str
    data: bytes


def display_name(name: str) -> str:
    """The sender's file name as a label: its last path part, without control, format (bidi
    overrides, zero-width) or path characters, at most 200 characters."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(
        " " if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} else ch for ch in name
    )
    name = " ".join(_UNSAFE_IN_NAME.sub("_", name).split()).strip(". ")
    return name[:200] or "attachment"


def clean_image(data: bytes, content_type: str) -> bytes:
    """Decode and re-encode: drops EXIF (GPS, camera serials) and anything after the image."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise Refusal("image_too_large")
                image.load()
                upright = ImageOps.exif_transpose(image)
                out = io.BytesIO()
                if content_type == JPEG:
                    upright.convert("RGB").save(out, "JPEG", quality=90)
                else:
                    upright.save(out, "PNG")
                return out.getvalue()
    except (
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise Refusal("unreadable") from exc


def check(*, name: str, data: bytes, max_bytes: int) -> CheckedFile:
    """Size and type (by content), images cleaned, the name made a label; Refusal otherwise.
    Writes nothing, so a form can check every file before anything is stored."""
    if len(data) > max_bytes:
        raise Refusal("too_large")
    if not data:
        raise Refusal("empty")
    content_type = detect_content_type(data)
    if content_type in IMAGE_TYPES:
        data = clean_image(data, content_type)
    return CheckedFile(name=display_name(name), content_type=content_type, data=data)


def detect_content_type(data: bytes) -> str:
    """The accepted type the bytes are, or Refusal."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"%PDF-"):
        _check_pdf(data)
        return PDF
    if data.startswith(OLE_MAGIC):
        return _check_hwp(data)
    if data.startswith(b"PK\x03\x04"):
        return _check_zip(data)
    if data.startswith(_EXECUTABLE_MAGIC):
        raise Refusal("executable")
    raise Refusal("type")


# --- PDF ---

_PDF_HEADER = re.compile(rb"^%PDF-[12]\.\d")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF[\s\x00]*$")
_PDF_STREAM = re.compile(rb"\bstream\r?\n.*?\bendstream\b", re.DOTALL)
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)\b")


def _check_pdf(data: bytes) -> None:
    """A PDF header, `startxref <n> %%EOF` at the end (incremental saves have several), and the
    offset it gives leading to a cross-reference table or stream; no active content."""
    if not _PDF_HEADER.match(data):
        raise Refusal("type")
    # Active content among the objects (stream bodies are skipped: random compressed bytes would
    # match; names compressed into object streams are out of this check's reach).
    objects = _PDF_STREAM.sub(b"stream endstream", data)
    names = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), objects)
    if _PDF_ACTIVE.search(names):
        raise Refusal("macro")
    tail = _STARTXREF.search(data[-2048:])
    if tail is None:
        raise Refusal("type")
    offset = int(tail.group(1))
    target = data[offset : offset + 64] if offset < len(data) else b""
    if not (target.startswith(b"xref") or re.match(rb"\d+\s+\d+\s+obj\b", target)):
        raise Refusal("type")


# --- OLE: HWP 5 ---


def _check_hwp(data: bytes) -> str:
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError, IndexError, TypeError):
        raise Refusal("type") from None
    try:
        streams = ole.listdir(streams=True, storages=True)
        if any(part.lower() in _OLE_MACRO_STORAGES for path in streams for part in path):
            raise Refusal("macro")
        if not ole.exists("FileHeader"):
            raise Refusal("type")  # another OLE file: a Word/Excel document, an .msi …
        header = ole.openstream("FileHeader").read(256)
        if not header.startswith(HWP_SIGNATURE):
            raise Refusal("type")
        compressed = len(header) >= 40 and bool(header[36] & 0x01)
        for path in streams:
            if path and path[0].lower() == "scripts" and len(path) > 1:
                raw = ole.openstream(path).read(MAX_SCRIPT_BYTES)
                if path[-1].lower() != "jscriptversion" and _has_script(raw, compressed=compressed):
                    raise Refusal("macro")
    except (OSError, ValueError, IndexError, TypeError, zlib.error):
        raise Refusal("type") from None
    finally:
        ole.close()
    return HWP


# What Hangul saves with every document: a prologue binding the document objects, and event
# functions with empty bodies (and `//todo` comments). Anything beyond that is code.
_SCRIPT_PROLOGUE = re.compile(
    r"var\s+Documents\s*=\s*XHwpDocuments\s*;|"
    r"var\s+Document\s*=\s*Documents\.Active_XHwpDocument\s*;"
)
_EMPTY_FUNCTION = re.compile(r"function\s+[A-Za-z_$][\w$]*\s*\([^)]*\)\s*\{\s*\}")
_SCRIPT_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)


def _script_text(raw: bytes) -> str:
    """An HWP script stream is a run of (DWORD length, UTF-16 characters) parts: header, source,
    pre- and post-source, ended by 0xFFFFFFFF; an HWPX script file is plain text."""
    parts: list[str] = []
    at = 0
    while at + 4 <= len(raw):
        length = int.from_bytes(raw[at : at + 4], "little")
        if length == 0xFFFFFFFF:
            return "\n".join(parts)
        end = at + 4 + 2 * length
        if end > len(raw):
            break
        parts.append(raw[at + 4 : end].decode("utf-16-le", errors="replace"))
        at = end
    else:
        if parts:
            return "\n".join(parts)
    if b"\x00" in raw[:64]:
        return raw.decode("utf-16-le", errors="replace")
    return raw.decode("utf-8", errors="replace")


def _has_script(raw: bytes, *, compressed: bool, structured: bool = True) -> bool:
    """Does an HWP/HWPX script hold code (anything beyond the skeleton Hangul writes)?"""
    if compressed:
        try:
            raw = zlib.decompressobj(-15).decompress(raw, MAX_SCRIPT_BYTES)
        except zlib.error:
            return True
    text = _script_text(raw) if structured else raw.decode("utf-8", errors="replace")
    text = _SCRIPT_COMMENT.sub("", text.replace("\x00", ""))
    text = _EMPTY_FUNCTION.sub("", _SCRIPT_PROLOGUE.sub("", text))
    return bool(text.strip())


# --- zip: HWPX and OOXML ---


def _check_zip(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise Refusal("type") from None
    if not infos or len(infos) > MAX_ZIP_ENTRIES:
        raise Refusal("type")
    if sum(i.file_size for i in infos) > MAX_ZIP_UNPACKED_BYTES:
        raise Refusal("type")
    names = {i.filename for i in infos}
    try:
        if infos[0].filename == "mimetype":
            if archive.read("mimetype").strip() != b"application/hwp+zip":
                raise Refusal("type")
            return _check_hwpx(archive, names)
        if "[Content_Types].xml" in names:
            return _check_ooxml(archive, names)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, NotImplementedError):
        raise Refusal("type") from None
    raise Refusal("type")


def _check_hwpx(archive: zipfile.ZipFile, names: set[str]) -> str:
    if "Contents/content.hpf" not in names or not any(
        n.startswith("Contents/section") and n.endswith(".xml") for n in names
    ):
        raise Refusal("type")
    if any(_OOXML_FORBIDDEN.search(n) for n in names):
        raise Refusal("macro")
    for name in names:
        if name.startswith("Scripts/") and not name.endswith("/"):
            script = archive.read(name)[:MAX_SCRIPT_BYTES]
            if _has_script(script, compressed=False, structured=b"\x00" in script[:64]):
                raise Refusal("macro")
    if archive.testzip() is not None:
        raise Refusal("type")
    return HWPX


def _check_ooxml(archive: zipfile.ZipFile, names: set[str]) -> str:
    kinds = [kind for part, kind in _OOXML_MAIN.items() if part in names]
    if len(kinds) != 1:
        raise Refusal("type")
    if any(_OOXML_FORBIDDEN.search(n) for n in names):
        raise Refusal("macro")
    content_types = archive.read("[Content_Types].xml").lower()
    if b"macroenabled" in content_types or b"vbaproject" in content_types:
        raise Refusal("macro")
    if archive.testzip() is not None:
        raise Refusal("type")
    return kinds[0]
