"""Read any published annual report file: sniff its type from the content, hand it to its front end.

The type is decided by the bytes, not the file name (offices publish PDFs named .doc and web pages
saved as .txt): ``%PDF`` is a PDF, a ZIP with ``word/document.xml`` is a Word document, markup is a
web page, anything that decodes as UTF-8 / GB18030 text is text (Markdown included). Whatever cannot
be audited raises ``UnreadableReport`` with one Chinese line saying why and what to do; no other
exception escapes.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import zipfile
import zlib
from pathlib import Path

from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.parsing.base import Line, ParseNote, UnreadableReport
from gongkai.annual_report.parsing.limits import check_lines, check_text, open_part

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
)
_HTML_DOCUMENT = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]", re.I)
_HTML_FRAGMENT = re.compile(r"<(head|meta|table|div|p|h[1-6]|section|article)[\s>]", re.I)
_TEXT_SUFFIXES = (".md", ".markdown", ".txt", ".text")


def parse_file(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[AnnualReport, list[ParseNote]]:
    """Read the report in ``path`` (PDF, DOCX, HTML, Markdown or text) into the canonical model."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UnreadableReport(_too_large(size, max_bytes))
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableReport(f"无法读取文件 {path.name}：{exc.strerror or exc}") from None
    return parse_bytes(data, name=path.name, max_bytes=max_bytes)


def parse_bytes(
    data: bytes, *, name: str = "", max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[AnnualReport, list[ParseNote]]:
    """Read a report from its bytes (an upload); ``name`` is only used to name the source."""
    if len(data) > max_bytes:
        raise UnreadableReport(_too_large(len(data), max_bytes))
    try:
        kind = sniff(data, name=name)
        if kind == "text":
            text = _decode_text(data)
            check_text(text)
            return _parse_text(text, source=name)
        lines, notes = read_lines(data, kind)
        check_lines(lines)
        from gongkai.annual_report.parsing.assemble import assemble

        report, more = assemble(lines, source=name)
    except UnreadableReport:
        raise
    except Exception as exc:
        # A malformed file must be refused, never crash the caller. The same path would catch a
        # parser bug, so the message says both; the cause stays chained for whoever debugs it.
        raise UnreadableReport(
            f"无法读取该文件（{type(exc).__name__}）：文件可能已损坏或格式异常；如该文件能正常打开，请报告此文件"
        ) from exc
    return report, notes + more


def sniff(data: bytes, *, name: str = "") -> str:
    """``"pdf"``, ``"docx"``, ``"html"`` or ``"text"``; anything else raises ``UnreadableReport``.

    ``name`` only breaks the tie between markup and text: a ``.md``/``.txt`` file is a web page only
    when it says so (doctype, ``<html>``, ``<body>``); any other file that opens with a tag is one."""
    if not data or data.isspace():  # (data.strip() would copy a 50 MB file to look)
        raise UnreadableReport("文件是空的")
    head = data[:1024]
    if b"%PDF" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        _check_docx(data)
        return "docx"
    if data.startswith(_OLE_MAGIC):
        raise UnreadableReport(_ole_reason(data))
    for magic, kind in _IMAGE_MAGIC:
        if data.startswith(magic):
            raise UnreadableReport(
                f"这是 {kind} 图片，不是文字文件；需先用 OCR 软件识别成文字（gongkai 不做 OCR）"
            )
    if data.startswith(b"{\\rtf"):
        raise UnreadableReport("这是 RTF 文件，请用 Word 或 WPS 另存为 .docx 后再导入")
    text = _decode_text(data)
    head_text = text[:8192]
    if _HTML_DOCUMENT.search(head_text):
        return "html"
    if (
        not name.lower().endswith(_TEXT_SUFFIXES)
        and text.lstrip().startswith("<")
        and _HTML_FRAGMENT.search(head_text)
    ):
        return "html"
    return "text"


def read_lines(data: bytes, kind: str) -> tuple[list[Line], list[ParseNote]]:
    """The front end's lines for a PDF, DOCX or HTML document (no assembling)."""
    if kind == "pdf":
        from gongkai.annual_report.parsing.pdf import read_pdf

        return read_pdf(data)
    if kind == "docx":
        from gongkai.annual_report.parsing.docx import docx_lines

        return docx_lines(data), []
    if kind == "html":
        from gongkai.annual_report.parsing.html import html_lines

        return html_lines(data), []
    raise ValueError(kind)


def _parse_text(text: str, *, source: str) -> tuple[AnnualReport, list[ParseNote]]:
    from gongkai.annual_report.parsing.text import parse_text

    return parse_text(text, source=source)


def _too_large(size: int, limit: int) -> str:
    return (
        f"文件过大：{_megabytes(size)}（{size:,} 字节），超过上限 {_megabytes(limit)}；"
        "如确需处理，请用 --max-size 调高上限"
    )


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def _check_docx(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                # Read through to the end in chunks, which checks that the part is complete (CRC)
                # without holding it: the part may unpack to far more than the file.
                with open_part(archive, "word/document.xml") as part:
                    while part.read(1024 * 1024):
                        pass
                return
    except UnreadableReport:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, RuntimeError) as exc:
        raise UnreadableReport(
            "Word 文档（.docx）或压缩包不完整、已损坏，可能下载时被截断，请重新获取完整文件"
        ) from exc
    if "xl/workbook.xml" in names:
        raise UnreadableReport(
            "这是 Excel 表格（.xlsx），不是年度报告文档；请导入报告的 Word、PDF 或网页版本"
        )
    if "ppt/presentation.xml" in names:
        raise UnreadableReport("这是 PowerPoint 演示文稿（.pptx），不是年度报告文档")
    if "content.xml" in names and "mimetype" in names:
        raise UnreadableReport("这是 OpenDocument（WPS/LibreOffice）文件，请另存为 .docx 后再导入")
    raise UnreadableReport("这是一个 ZIP 压缩包，不是 Word 文档（.docx）；请解压后导入其中的报告文件")


def _ole_reason(data: bytes) -> str:
    # Stream names in an OLE directory are UTF-16; enough to tell the common cases apart.
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "这是加密的 Office 文档（设置了打开密码），请先去除密码保护、另存为 .docx 后再导入"
    if "WordDocument".encode("utf-16-le") in data:
        return "这是旧版 Word 文档（.doc），gongkai 无法读取；请用 Word 或 WPS 另存为 .docx 后再导入"
    if "Workbook".encode("utf-16-le") in data:
        return "这是旧版 Excel 表格（.xls），不是年度报告文档"
    return "这是旧版 Office 文件（.doc/.xls/.wps 等），gongkai 无法读取；请另存为 .docx 或 PDF 后再导入"


def _decode_text(data: bytes) -> str:
    """Decode text by its BOM, else UTF-8, else GB18030; refuse binary data."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return _plain(data[len(bom) :].decode(encoding))
            except UnicodeDecodeError:
                break
    for encoding in ("utf-8", "gb18030"):
        try:
            return _plain(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise UnreadableReport(_binary_reason())


def _plain(text: str) -> str:
    # Text has almost no control characters; a binary file decoded by accident has many.
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > max(2, len(text[:65536]) // 200):
        raise UnreadableReport(_binary_reason())
    return text


def _binary_reason() -> str:
    return "无法识别的文件：既不是 PDF、Word（.docx）、网页，也不是 UTF-8 或 GB18030 编码的文本"
