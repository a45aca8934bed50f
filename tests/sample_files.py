"""Small, real files of each kind an office uploads, generated in the test run (no binary fixtures)."""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document  # type: ignore[import-untyped]
from openpyxl import Workbook
from PIL import Image


def pdf_bytes(text: str = "Notice", *, catalog: bytes = b"", extra: tuple[bytes, ...] = ()) -> bytes:
    """A one-page PDF showing ``text`` (ASCII) in Helvetica, with a correct cross-reference table.

    ``catalog`` is added to the catalog dictionary; ``extra`` are further objects, numbered from 6."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<</Type/Catalog/Pages 2 0 R" + catalog + b">>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream",
        *extra,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj" % number + body + b"endobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_update(pdf: bytes, objects: dict[int, bytes]) -> bytes:
    """``pdf`` with an incremental update appended that (re)defines ``objects`` (number -> dictionary),
    as a PDF editor's "save" writes it: the original bytes untouched, a new cross-reference section
    pointing back at the previous one."""
    previous = int(pdf[pdf.rindex(b"startxref") + len(b"startxref") :].split()[0])
    size = int(re.findall(rb"/Size\s+(\d+)", pdf)[-1])
    root = re.findall(rb"/Root\s+(\d+\s+\d+)\s+R", pdf)[-1]
    out = io.BytesIO(pdf)
    out.seek(len(pdf))
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj" % number + body + b"endobj\n")
    xref = out.tell()
    out.write(b"xref\n")
    for number, offset in offsets.items():
        out.write(b"%d 1\n%010d 00000 n \n" % (number, offset))
    size = max(size, *(n + 1 for n in objects))
    out.write(
        b"trailer<</Size %d/Root %s R/Prev %d>>\nstartxref\n%d\n%%%%EOF\n" % (size, root, previous, xref)
    )
    return out.getvalue()


def pdf_compressed(pdf: bytes) -> bytes:
    """The same document rewritten by qpdf with every object it can inside compressed object streams
    (as Acrobat and most PDF libraries save by default): no dictionary is left in plain bytes."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        out = io.BytesIO()
        doc.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
    return out.getvalue()


def docx_bytes(text: str = "附件正文") -> bytes:
    doc = Document()
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def xlsx_bytes(rows: list[list[object]] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows or [["项目", "金额（万元）"], ["养老驿站运营", 12.5]]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (80, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (120, 160, 200)).save(out, format="PNG")
    return out.getvalue()


def with_macro(docx: bytes) -> bytes:
    """The same Word package with a VBA project added, as a .docm saved under a .docx name would have."""
    src = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 512)
    return out.getvalue()


def zip_bomb() -> bytes:
    """A package with [Content_Types].xml whose one part inflates a thousandfold."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        dst.writestr("[Content_Types].xml", "<Types/>")
        dst.writestr("word/document.xml", b"\0" * (50 * 1024 * 1024))
    return out.getvalue()
