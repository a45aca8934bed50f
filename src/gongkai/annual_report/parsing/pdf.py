"""PDF front end: the text and tables of a published PDF as ``Line``s in reading order.

Everything is read through PDFium (pypdfium2): the characters with their boxes, and the ruling lines
(path objects) from which tables are rebuilt the way pdfplumber's ``find_tables`` does it (edges ->
intersections -> cells -> grids). pdfplumber itself is not used at run time: its pdfminer layout pass
alone costs ~25× PDFium's text extraction, and the audit must stay within 5× of that.

* Ruled tables become one ``Line`` per row, one ``cell=True`` token per cell (``x`` = grid column);
  a table continued on the next page is joined to its first part (a repeated header dropped, a row
  or a merged label broken by the page break put back together).
* Tables without rules are read from character positions: characters grouped into lines by
  baseline, tokens split at wide gaps (``x`` = left edge in points); label fragments of wrapped cells are
  attached to their row and stacked header fragments (vertical headers printed one character per
  line) are joined per column.
* Body text is put back into paragraphs (a wrapped line continues when it fills the line and the
  next is not indented), across page breaks too; page numbers in the margins are dropped.
"""

from __future__ import annotations

import re
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from gongkai.annual_report.parsing.base import Line, ParseNote, Token, UnreadableReport
from gongkai.annual_report.parsing.grid import grid_rows, join_fragments
from gongkai.annual_report.parsing.limits import (
    MAX_LINES,
    MAX_PDF_CHARS,
    MAX_PDF_PAGES,
    check_pdf_streams,
    in_limited_child,
    pdf_over_memory,
    too_many_lines,
    too_much_text,
)
from gongkai.annual_report.parsing.pdf_layout import (
    Item,
    Page,
    TextLine,
    is_margin_line,
    lines_of,
    read_chars,
)
from gongkai.annual_report.parsing.pdf_rules import Table, find_tables, join_continued_tables, ruling_lines
from gongkai.annual_report.parsing.pdf_unruled import unruled_rows

# A heading ("二、…", "（三）…") starts a paragraph even right after a full line.
_HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")

# -- entry point -----------------------------------------------------------------------------------


def read_pdf(data: bytes) -> tuple[list[Line], list[ParseNote]]:
    """The document's lines in reading order, and notes on pages that could not be read."""
    if b"%PDF" not in data[:1024]:
        raise UnreadableReport("不是 PDF 文件（缺少 %PDF 文件头）")
    if data.rfind(b"%%EOF", max(0, len(data) - 4096)) < 0:
        raise UnreadableReport(
            "PDF 文件不完整（缺少文件结尾 %%EOF），可能下载或复制时被截断，请重新获取完整文件"
        )
    if not check_pdf_streams(data):
        # An ordinary report (small Flate contents, no forms, nothing hidden): nothing in it can make
        # PDFium allocate past the budget, and reading it here saves the child's ~15 ms (the
        # benchmark's PDF audit went from ~5.1× to ~3× pypdfium2's text extraction).
        return _read_document(data)
    # The pages are read in a child process whose memory is limited: PDFium parses a page's whole
    # contents when it loads the page, and no cap on the file bounds that: 16 MB of long strings
    # under the contents cap took 1.4 GB, a form drawn 3,000 times by a 1 KB file 1.8 GB (20,000
    # times: 13 GB), and LZW or encrypted streams pass the pre-scan at their stored size. The caps
    # give the clearer reasons for the common cases; the child's limit bounds what gets past them.
    # Cost, measured on the 400 KB sample report (huaian-city-2024.pdf; 2 busy cores, best of 30,
    # CPU time of parent and child): its audit takes ~53 ms against ~40 ms reading in this process,
    # from ~3.4× to ~4.6× pypdfium2's bare text extraction (target ≤ 5×); a first audit in a fresh
    # process goes from 46 to 58 ms. Of the ~12 ms, ~1.5 go to fork and reap, ~2 to pickling the
    # lines back, the rest to page faults: the child copies every page of the heap it shares with
    # this process that it writes to (~2,200 for this file). A reading process kept alive between
    # files would save most of it, but it would keep the heap of the first file it read, need
    # restarting after each refusal, a lock for threads and care in forked workers; one fork per PDF
    # is the simpler bound.
    return in_limited_child(_read_document, data, refused=pdf_over_memory)


def _read_document(data: bytes) -> tuple[list[Line], list[ParseNote]]:
    document = _open(data)
    try:
        if len(document) > MAX_PDF_PAGES:
            raise UnreadableReport(
                f"PDF 共 {len(document)} 页，超过上限 {MAX_PDF_PAGES} 页，不像一份年度报告（年度报告通常只有几页到几十页）"
            )
        # Pages are read one at a time and closed; what stays is their characters, counted
        # against the cap before they are read.
        pages: list[Page] = []
        chars = 0
        for i in range(len(document)):
            pages.append(_read_page(document, i, MAX_PDF_CHARS - chars))
            chars += len(pages[-1].chars)
    finally:
        document.close()
    if not pages:
        raise UnreadableReport("PDF 文件没有页面")
    notes = _check_text_layer(pages)
    tables = join_continued_tables(pages)
    for number, table in enumerate(tables, start=1):
        _place_table(pages, table, number)
    lines = 0
    for page in pages:
        _place_text(page)
        lines += len(page.items)
        if lines > MAX_LINES:  # before the next page's lines are made
            raise too_many_lines()
    return _paragraphs(pages), notes


def _open(data: bytes) -> Any:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise UnreadableReport("PDF 文件已加密（需要密码才能打开），请先去除密码保护后再导入") from exc
        raise UnreadableReport("PDF 文件已损坏，无法打开（文件结构无法识别）") from exc


def _check_text_layer(pages: list[Page]) -> list[ParseNote]:
    blank = [p for p in pages if len(p.chars) < 5]
    scanned = [p for p in blank if p.images]
    if len(blank) == len(pages):
        if scanned:
            raise UnreadableReport(
                "这是扫描件 PDF：页面只有图像、没有文字层，需先用 OCR 软件识别成文字（gongkai 不做 OCR）"
            )
        raise UnreadableReport("PDF 中没有可读取的文字")
    if not scanned:
        return []
    numbers = "、".join(str(p.number) for p in scanned)
    return [
        ParseNote(
            code="page_image_only",
            message=f"第 {numbers} 页只有图像、没有文字层（扫描页），其中的内容无法读取，需先做 OCR",
            where=f"第 {scanned[0].number} 页",
            severity="warning",
        )
    ]


# -- reading one page ------------------------------------------------------------------------------


def _read_page(document: Any, index: int, chars_left: int) -> Page:
    try:
        page = document[index]
    except pdfium.PdfiumError as exc:
        raise UnreadableReport(f"PDF 第 {index + 1} 页已损坏，无法读取") from exc
    try:
        _left, bottom, _right, top = page.get_bbox()
        textpage = page.get_textpage()
        try:
            if textpage.count_chars() > chars_left:
                raise too_much_text(MAX_PDF_CHARS)
            chars = read_chars(textpage, top)
        finally:
            textpage.close()
        hs, vs = ruling_lines(page, top)
        images = 0
        if len(chars) < 5:
            images = _count_images(page.raw)
    finally:
        page.close()
    result = Page(index + 1, 0.0, top - bottom, chars, [], images=images)
    result.tables = find_tables(hs, vs, result)
    return result


def _count_images(handle: Any) -> int:
    kinds = (
        pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(handle, i))
        for i in range(pdfium_c.FPDFPage_CountObjects(handle))
    )
    return sum(1 for kind in kinds if kind in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM))


# -- placing tables and text on their pages -----------------------------------------------------------


def _place_table(pages: list[Page], table: Table, number: int) -> None:
    def where(row: int, col: int | None) -> str:
        place = f"第 {table.row_page[row]} 页第 {number} 个表格第 {row + 1} 行"
        return place if col is None else f"{place}第 {col + 1} 列"

    for row, line in grid_rows(table.cells, where=where, page=lambda r: table.row_page[r]):
        pages[table.row_page[row] - 1].items.append(Item(table.row_top[row], line))


def _place_text(page: Page) -> None:
    lines = [ln for ln in lines_of(page.chars, split=True) if not is_margin_line(page, ln)]
    tabular = unruled_rows(lines)
    for number, line in enumerate(lines, start=1):
        where = f"第 {page.number} 页 第 {number} 行"
        if id(line) in tabular:
            row = tabular[id(line)]
            if row is None:
                continue  # merged into another row
            tokens = [Token(p.text, where=where, x=round(p.x0, 1)) for p in row]
            page.items.append(Item(line.top, Line(tokens, where=where, page=page.number)))
        else:
            token = Token(line.text, where=where, x=round(line.x0, 1))
            page.items.append(Item(line.top, Line([token], where=where, page=page.number), text=line))
    page.items.sort(key=lambda item: item.top)


# -- paragraphs ------------------------------------------------------------------------------------


def _paragraphs(pages: list[Page]) -> list[Line]:
    """Join wrapped body lines into paragraphs, across page breaks too: a line continues the one
    before when that one fills the measure, it is not indented and follows closely."""
    texts = [item.text for page in pages for item in page.items if item.text is not None]
    if not texts:
        return [item.line for page in pages for item in page.items]
    ends = sorted(t.x1 for t in texts)
    right = ends[int(0.95 * (len(ends) - 1))]
    full = [t for t in texts if t.x1 >= right - 2 * t.em]
    # The margin is where wrapped lines start; when no paragraph wraps, every full line is an
    # indented first line, and the headings ("一、…") still mark the margin.
    starts = [t.x0 for t in full] + [t.x0 for t in texts if _HEADING_START.match(t.text)]
    left = min(starts, default=min(t.x0 for t in texts))
    out: list[Line] = []
    previous: TextLine | None = None  # the text of the last item emitted, None after a table row
    previous_page = 0
    for page in pages:
        for n, item in enumerate(page.items):
            text = item.text
            if text is not None and previous is not None:
                close = text.top - previous.bottom <= text.em if previous_page == page.number else n == 0
                if (
                    close
                    and previous.x1 >= right - 2 * previous.em
                    and text.x0 <= left + 0.5 * text.em
                    and abs(text.em - previous.em) <= 0.15 * previous.em
                    and not _HEADING_START.match(text.text)
                ):
                    last = out[-1].tokens[0]
                    joined_text = join_fragments(last.text + (" " if text.space_before else ""), text.text)
                    joined = Token(joined_text, where=last.where, x=last.x)
                    out[-1] = Line([joined], out[-1].where, out[-1].page)
                    previous, previous_page = text, page.number
                    continue
            out.append(item.line)
            previous, previous_page = text, page.number
    return out
