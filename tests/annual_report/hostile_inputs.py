"""Hostile inputs for the memory tests and the memory benchmark (bench/audit_memory.py), made on
the fly so no large or malicious file is ever committed: a saved web page padded with scripts,
styles and images, PDFs of many characters, content bombs, long strings and forms drawn many times."""

from __future__ import annotations

import base64
import io
import os
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

from gongkai.annual_report.parsing.limits import MAX_PDF_CONTENT_BYTES

MB = 1024 * 1024


def padded_page(html: str, megabytes: int) -> str:
    """A saved web page: the report's HTML with MBs of inline scripts, styles and base64 images in
    its head and body, the way a browser's "save page" keeps a portal's assets."""
    script = "<script>" + "var menu = {'item': 'abcdefghij', 'n': 1234567890};\n" * 20_000 + "</script>\n"
    style = "<style>" + ".nav-item-123 { color: #123456; margin: 0 1px 2px 3px; }\n" * 20_000 + "</style>\n"
    image = '<img alt="" src="data:image/png;base64,' + base64.b64encode(os.urandom(MB)).decode() + '">\n'
    assets = (script + style + image) * (megabytes * MB // len(script + style + image) + 1)
    half = len(assets) // 2
    head_end = html.index("</head>")
    body_start = html.index(">", html.index("<body")) + 1
    return html[:head_end] + assets[:half] + html[head_end:body_start] + assets[half:] + html[body_start:]


def text_pdf(pages: int, lines: int, columns: int, *, contents: bytes = b"") -> bytes:
    """A PDF whose pages all show the same ``lines`` × ``columns`` characters (Helvetica), or the
    given page ``contents`` compressed."""
    row = ("1234567890 " * (columns // 11 + 1))[:columns]
    # Lines 6 pt apart: PDFium drops characters printed over identical ones (a fake bold).
    stream = "\n".join(["BT /F1 5 Tf 20 820 Td 6 TL", *(f"({row}) '" for _ in range(lines)), "ET"]).encode()
    dictionary = b"/Length %d" % len(stream)
    if contents:
        stream = zlib.compress(contents)
        dictionary = b"/Length %d /Filter /FlateDecode" % len(stream)
    return pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>"
            % (b" ".join(b"%d 0 R" % (5 + i) for i in range(pages)), pages),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< %s >>\nstream\n%s\nendstream" % (dictionary, stream),
            *[
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
                b" /Contents 4 0 R >>"
            ]
            * pages,
        ]
    )


def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF of ``objects``, numbered from 1 (the catalogue), with its cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def long_strings_pdf() -> bytes:
    """One page whose contents, just under the contents cap, are text strings of 100,000 characters:
    PDFium keeps every character's code and position when it loads the page (1.4 GB in this process)."""
    string = b"(" + b"0123456789" * 10_000 + b") Tj\n"
    contents = (
        b"BT /F1 5 Tf 20 820 Td\n" + string * ((MAX_PDF_CONTENT_BYTES - 64 * 1024) // len(string)) + b"ET\n"
    )
    return one_page_pdf(zlib.compress(contents))


def form_drawn_pdf(times: int = 3000, *, image_mb: int = 0) -> bytes:
    """One page that draws a form of 100 text lines ``times`` times: PDFium parses the form again for
    every drawing (1.8 GB in this process for a file of 1 KB); with an image of ``image_mb`` MB that
    makes the file as large as the auditing process may hold when it forks the reading child."""
    form = (
        b"BT /F1 5 Tf 20 820 Td 6 TL\n" + b"(1234567890 1234567890 1234567890 1234567890) '\n" * 100 + b"ET\n"
    )
    return one_page_pdf(zlib.compress(b"q /X1 Do Q\n" * times), form=zlib.compress(form), image_mb=image_mb)


def one_page_pdf(contents: bytes, *, form: bytes = b"", image_mb: int = 0) -> bytes:
    font = b"/Font << /F1 3 0 R >>"
    image = os.urandom(image_mb * MB)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(contents), contents),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << %s %s >> /Contents 4 0 R >>"
        % (font, b"/XObject << /X1 6 0 R >>" if form else b""),
    ]
    if form:
        objects.append(
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << %s >> /Length %d"
            b" /Filter /FlateDecode >>\nstream\n%s\nendstream" % (font, len(form), form)
        )
    if image:
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height 1024 /ColorSpace /DeviceGray"
            b" /BitsPerComponent 8 /Length %d >>\nstream\n%s\nendstream"
            % (len(image) // 1024, len(image), image)
        )
    return pdf_file(objects)


def docx_with_body(source: bytes, write_body: Callable[[Any], None]) -> bytes:
    """The Word file ``source`` with its body extended by ``write_body(stream)``, streamed into the
    new package so a bomb of hundreds of MB is never held in memory."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "word/document.xml":
                dst.writestr(info, data)
                continue
            start = data.index(b"<w:body>") + len(b"<w:body>")
            with dst.open("word/document.xml", "w") as part:
                part.write(data[:start])
                write_body(part)
                part.write(data[start:])
    return out.getvalue()


def repeated_paragraphs(megabytes: int) -> Callable[[Any], None]:
    """A body writer: ``megabytes`` MB of one paragraph over and over (it compresses ~400 to 1)."""

    def write(part: Any) -> None:
        chunk = (b"<w:p><w:r><w:t>" + b"A" * 1000 + b"</w:t></w:r></w:p>") * 1000
        for _ in range(megabytes):
            part.write(chunk)

    return write
