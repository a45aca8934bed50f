"""Caps that keep the audit of any one file within its memory budget (600 MB, issue 9).

The file size limit (``--max-size``) alone does not bound memory: a 1 MB Word file can unpack to
gigabytes, a 50 MB text becomes millions of ``Token`` objects, a PDF page can hold a million
characters. Real annual reports are small — a long provincial report is 100–200 thousand characters,
tables included, in a few thousand lines, and PDFs of a few dozen pages — so everything past the
caps below is refused with a one-line reason instead of being read. Each cap is several times what
a real report needs.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from typing import IO

from gongkai.annual_report.parsing.base import Line, UnreadableReport

# Characters of text (whitespace not counted) and lines handed to the assembler.
MAX_TEXT_CHARS = 2_000_000
MAX_LINES = 100_000
# Parsed elements held at once: those kept from a web page once scripts, styles and hidden parts
# are dropped, or those of one paragraph or table of a Word document (read one at a time).
MAX_ELEMENTS = 500_000
# Grid slots of one table (a merged cell takes rowspan × colspan); the statutory tables have a few
# hundred, and a handful of cells with huge spans must not become millions of slots.
MAX_TABLE_CELLS = 100_000
# A part of a Word file, unpacked; a real report's word/document.xml is a few MB at most.
MAX_PART_BYTES = 64 * 1024 * 1024
# Word's XML compresses 5–20×; a part that compresses 100× better than that is a zip bomb.
MAX_PART_RATIO = 100
# PDFs: pages, and characters, spaces and line ends included (a PDF character carries its box and
# costs ~300 bytes until the document is assembled, ten times a text character).
MAX_PDF_PAGES = 300
MAX_PDF_CHARS = 600_000
# PDF streams, unpacked. PDFium holds a page's parsed contents at up to ~20× their size (a text
# object costs ~600 bytes), an embedded font at its size; a real report's page has 20–50 KB of
# contents, a subset CJK font a few hundred KB. Images do not count: the audit never draws them.
MAX_PDF_CONTENT_BYTES = 16 * 1024 * 1024
MAX_PDF_FONT_BYTES = 64 * 1024 * 1024

_NOT_A_REPORT = "不像一份年度报告（最长的年度报告也不过二三十万字）；请确认导入的是报告本身"


def too_much_text(limit: int = MAX_TEXT_CHARS) -> UnreadableReport:
    return UnreadableReport(f"报告文字超过 {_wan(limit)}字，{_NOT_A_REPORT}")


def too_many_lines(limit: int = MAX_LINES) -> UnreadableReport:
    return UnreadableReport(f"报告超过 {_wan(limit)}行，{_NOT_A_REPORT}")


def table_too_large(number: int) -> UnreadableReport:
    return UnreadableReport(
        f"表 {number} 过大（超过 {_wan(MAX_TABLE_CELLS)}个单元格，合并单元格按所占格数计），不像年度报告中的表格"
    )


def check_text(text: str) -> None:
    """Refuse a plain text that is too long to be a report, before it is split into lines."""
    if len(text) > MAX_TEXT_CHARS and _non_space(text) > MAX_TEXT_CHARS:
        raise too_much_text()
    if text.count("\n") > MAX_LINES:
        raise too_many_lines()


def _non_space(text: str) -> int:
    # str.count runs in C and allocates nothing (text.split() would make millions of strings).
    return len(text) - sum(text.count(space) for space in " \t\r\n\f\v\u3000\xa0")


def check_lines(lines: list[Line]) -> None:
    """Refuse a front end's output that is too long to be a report, before it is assembled."""
    if len(lines) > MAX_LINES:
        raise too_many_lines()
    chars = sum(len(token.text) for line in lines for token in line.tokens)
    if chars > MAX_TEXT_CHARS:
        raise too_much_text()


def open_part(archive: zipfile.ZipFile, name: str) -> IO[bytes]:
    """A part of a ZIP package, opened for streaming after its declared sizes are checked.

    ``ZipExtFile`` never returns more than the declared ``file_size`` (it stops there and the CRC
    check fails on a lie), so checking the declared size bounds what reading can unpack."""
    info = archive.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise UnreadableReport(
            f"Word 文档中的 {name} 解压后达 {info.file_size / 1024 / 1024:.0f} MB，"
            f"超过上限 {MAX_PART_BYTES // 1024 // 1024} MB，不像一份年度报告（可能是“压缩炸弹”）"
        )
    if info.file_size > 1024 * 1024 and info.file_size > MAX_PART_RATIO * max(info.compress_size, 1):
        raise UnreadableReport(
            f"Word 文档中的 {name} 压缩比异常（{info.file_size // max(info.compress_size, 1)} 倍），"
            "是“压缩炸弹”式的文件，已拒绝读取"
        )
    return archive.open(info)


def _wan(n: int) -> str:
    return f"{n // 10_000} 万" if n % 10_000 == 0 else f"{n:,} "


_PDF_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_PDF_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_PDF_FONT = re.compile(rb"/Length[123]\b|/Subtype\s*/(?:Type1C|CIDFontType0C|OpenType)\b")
_PDF_FLATE = re.compile(rb"/FlateDecode\b|/Fl\b")
_PDF_LENGTH = re.compile(rb"/Length\s+(\d+)(?:\s+(\d+)\s+R)?")


def check_pdf_streams(data: bytes) -> None:
    """Refuse a PDF whose streams unpack to more than PDFium could parse within the budget.

    PDFium unpacks and parses a page's whole contents when the page is loaded, so a few hundred KB
    of compressed operators can become gigabytes before any cap on pages or characters applies.
    The streams are found in the file's bytes (every stream sits in the file, object streams hold no
    streams) and unpacked in chunks, counting and discarding, up to the cap. Streams under other
    filters (LZW, rare since PDF 1.2) or encrypted ones count at their stored size."""
    content = fonts = 0
    view = memoryview(data)
    for match in _PDF_STREAM.finditer(data):
        head = data[max(0, match.start() - 4096) : match.start()]
        obj = head.rfind(b"obj")
        head = head[obj + 3 :] if obj >= 0 else head  # the stream's dictionary
        if _PDF_IMAGE.search(head):
            continue
        if _PDF_FONT.search(head):
            fonts += _stream_size(data, view, match.end(), head, MAX_PDF_FONT_BYTES - fonts)
            if fonts > MAX_PDF_FONT_BYTES:
                raise UnreadableReport(
                    f"PDF 中嵌入的字体解压后超过 {MAX_PDF_FONT_BYTES // 1024 // 1024} MB，不像一份年度报告"
                )
        else:
            content += _stream_size(data, view, match.end(), head, MAX_PDF_CONTENT_BYTES - content)
            if content > MAX_PDF_CONTENT_BYTES:
                raise UnreadableReport(
                    f"PDF 的页面内容解压后超过 {MAX_PDF_CONTENT_BYTES // 1024 // 1024} MB"
                    "（可能是“压缩炸弹”），不像一份年度报告"
                )


def _stream_size(data: bytes, view: memoryview, start: int, head: bytes, limit: int) -> int:
    """The unpacked size of the stream starting at ``start``, or more than ``limit``."""
    if _PDF_FLATE.search(head):
        inflater = zlib.decompressobj()
        size = 0
        try:
            for at in range(start, len(data), 1 << 16):
                pending: bytes | memoryview = view[at : at + (1 << 16)]
                while pending and size <= limit and not inflater.eof:
                    size += len(inflater.decompress(pending, 1 << 20))
                    pending = inflater.unconsumed_tail
                if size > limit or inflater.eof:
                    return size
            return size
        except zlib.error:
            pass  # another filter comes first: counted as stored
    length = _PDF_LENGTH.search(head)
    if length and length.group(2) is not None:  # "/Length 12 0 R": the number is in object 12
        target = re.search(rb"\b%s\s+%s\s+obj\s*(\d+)" % (length.group(1), length.group(2)), data)
        return int(target.group(1)) if target else len(data) - start
    if length:
        return min(int(length.group(1)), len(data) - start)
    end = data.find(b"endstream", start)
    return (end if end >= 0 else len(data)) - start
