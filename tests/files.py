"""Real files of the types attachments accept or refuse, made in memory for tests (issue 13
item 7): a small OLE compound-file writer (HWP 5, Word with macros, .msi-like), PDF, HWPX, OOXML."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

from fpdf import FPDF

SECTOR = 512
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    path: str = ""
    children: list[int] = field(default_factory=list)
    start: int = END
    size: int = 0


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A CFB v3 file holding `streams` ("Storage/Stream" paths, one level of storages). Every
    stream is padded to 4096 bytes so none lives in the mini stream."""
    padded = {path: data.ljust(4096, b"\x00") for path, data in streams.items()}
    entries = [_Entry("Root Entry", 5)]
    index = {"": 0}
    for storage in sorted({p.split("/")[0] for p in padded if "/" in p}):
        index[storage] = len(entries)
        entries.append(_Entry(storage, 1))
        entries[0].children.append(index[storage])
    for path in padded:
        parent = path.split("/")[0] if "/" in path else ""
        entries[index[parent]].children.append(len(entries))
        entries.append(_Entry(path.split("/")[-1], 2, path))
    dir_sectors = (len(entries) * 128 + SECTOR - 1) // SECTOR
    fat: list[int] = [FATSECT]
    first_dir = len(fat)
    fat += [first_dir + i + 1 for i in range(dir_sectors - 1)] + [END]
    body = b""
    for entry in entries:
        if entry.kind == 2:
            data = padded[entry.path]
            entry.start, entry.size = len(fat), len(data)
            fat += [len(fat) + i + 1 for i in range(len(data) // SECTOR - 1)] + [END]
            body += data
    assert len(fat) <= 128
    fat += [FREE] * (128 - len(fat))
    right = {a: b for e in entries for a, b in zip(e.children, e.children[1:], strict=False)}
    directory = b""
    for number, entry in enumerate(entries):
        name = entry.name.encode("utf-16-le") + b"\x00\x00"
        child = entry.children[0] if entry.children else NOSTREAM
        directory += name.ljust(64, b"\x00") + struct.pack("<HBB", len(name), entry.kind, 1)
        directory += struct.pack("<III", NOSTREAM, right.get(number, NOSTREAM), child)
        directory += b"\x00" * 36 + struct.pack("<IQ", entry.start, entry.size)
    directory = directory.ljust(dir_sectors * SECTOR, b"\x00")
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, first_dir, 0, 4096, END, 0, END, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", FREE) * 108
    assert len(header) == SECTOR
    return header + struct.pack("<128I", *fat) + directory + body


def hwp_script(source: str) -> bytes:
    """An HWP Scripts/DefaultJScript stream (uncompressed): header, source, pre, post, end."""
    header = "var Documents = XHwpDocuments;\nvar Document = Documents.Active_XHwpDocument;\n"
    out = b""
    for part in (header, source, "", ""):
        out += struct.pack("<I", len(part)) + part.encode("utf-16-le")
    return out + struct.pack("<I", 0xFFFFFFFF)


EMPTY_SCRIPT = "function OnDocument_New()\n{\n\t//todo : \n}\n\nfunction OnDocument_Open()\n{\n}\n"


def hwp(
    *,
    script: str | None = EMPTY_SCRIPT,
    extra: dict[str, bytes] | None = None,
    compressed: bool = False,
) -> bytes:
    """An HWP 5 document; `compressed` sets the FileHeader flag Hangul sets and deflates the
    streams (raw deflate, as Hangul writes them)."""
    flags = 0x01 if compressed else 0
    file_header = b"HWP Document File".ljust(32, b"\x00") + struct.pack("<II", 0x05000300, flags)
    streams = {"FileHeader": file_header.ljust(256, b"\x00"), "BodyText/Section0": b"\x00" * 64}
    if script is not None:
        raw = hwp_script(script)
        if compressed:
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            raw = packer.compress(raw) + packer.flush()
        streams["Scripts/DefaultJScript"] = raw
        streams["Scripts/JScriptVersion"] = struct.pack("<II", 1, 0)
    return ole_file({**streams, **(extra or {})})


def word_97_with_macros() -> bytes:
    return ole_file({"WordDocument": b"\xec\xa5" + b"\x00" * 100, "Macros/VBA": b"Attribute VB"})


def msi_like() -> bytes:
    """An installer's compound file: no FileHeader stream."""
    return ole_file({"\x05SummaryInformation": b"\xfe\xff" + b"\x00" * 50, "Table": b"x" * 10})


def pdf(text: str = "test") -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text=text)
    return bytes(document.output())


def _zip(parts: dict[str, bytes], *, first: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if first is not None:
            archive.writestr(first, parts[first], compress_type=zipfile.ZIP_STORED)
        for name, data in parts.items():
            if name != first:
                archive.writestr(name, data)
    return out.getvalue()


def hwpx(extra: dict[str, bytes] | None = None) -> bytes:
    parts = {
        "mimetype": b"application/hwp+zip",
        "version.xml": b'<?xml version="1.0"?><hv:HCFVersion xmlns:hv="x"/>',
        "META-INF/container.xml": b'<?xml version="1.0"?><container/>',
        "Contents/content.hpf": b'<?xml version="1.0"?><opf:package xmlns:opf="x"/>',
        "Contents/header.xml": b'<?xml version="1.0"?><hh:head xmlns:hh="x"/>',
        "Contents/section0.xml": b'<?xml version="1.0"?><hs:sec xmlns:hs="x"/>',
        **(extra or {}),
    }
    return _zip(parts, first="mimetype")


CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def docx(extra: dict[str, bytes] | None = None, content_types: bytes = CONTENT_TYPES) -> bytes:
    return _zip(
        {
            "[Content_Types].xml": content_types,
            "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
            "word/document.xml": b'<?xml version="1.0"?><w:document xmlns:w="x"/>',
            **(extra or {}),
        }
    )


def xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "민원"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
