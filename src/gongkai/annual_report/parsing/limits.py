"""Caps that keep the audit of any one file within its memory budget (600 MB, issue 9).

The file size limit (``--max-size``) alone does not bound memory: a 1 MB Word file can unpack to
gigabytes, a 50 MB text becomes millions of ``Token`` objects, a PDF page can hold a million
characters. Real annual reports are small — a long provincial report is 100–200 thousand characters,
tables included, in a few thousand lines, and PDFs of a few dozen pages — so everything past the
caps below is refused with a one-line reason instead of being read. The caps are ten times what a
real report needs.
"""

from __future__ import annotations

import zipfile
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
