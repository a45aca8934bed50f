"""PDF front end: the text and tables of a published PDF as ``Line``s in reading order.

Everything is read through PDFium (pypdfium2): the characters with their boxes, and the ruling lines
(path objects) from which tables are rebuilt the way pdfplumber's ``find_tables`` does it (edges ->
intersections -> cells -> grids). pdfplumber itself is not used at run time: its pdfminer layout pass
alone costs ~25× PDFium's text extraction, and the audit must stay within 5× of that.

* Ruled tables become one ``Line`` per row, one ``cell=True`` token per cell (``x`` = grid column);
  a table continued on the next page is joined to its first part (a repeated header dropped, a row
  or a merged label broken by the page break put back together).
* Tables without rules are read from character positions: characters grouped into lines by y,
  tokens split at wide gaps (``x`` = left edge in points); label fragments of wrapped cells are
  attached to their row and stacked header fragments (vertical headers printed one character per
  line) are joined per column.
* Body text is put back into paragraphs (a wrapped line continues when it fills the line and the
  next is not indented), across page breaks too; page numbers in the margins are dropped.
"""

from __future__ import annotations

import ctypes
import itertools
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from statistics import median
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from gongkai.annual_report.parsing.base import Line, ParseNote, Token, UnreadableReport
from gongkai.annual_report.parsing.grid import (
    GridCell,
    clean_cell_text,
    grid_rows,
    is_value,
    is_wide,
    join_fragments,
)

# Geometry tolerances, in points.
_SNAP = 2.0  # edges closer than this are one ruling line
_JOIN = 3.0  # gap bridged between two pieces of one ruling line
_THIN = 3.5  # a path object thinner than this is a ruling line itself
_MIN_EDGE = 4.0
_MAX_PATHS = 20_000  # a page drawn with more paths than this is a picture, not a table

_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－_·•]*(第\s*)?[\dⅠ-Ⅻ一二三四五六七八九十]+\s*(页)?(\s*[/／共]\s*\d+\s*页?)?[\s\-—–－_·•]*$"
)
_ENUMERATOR = re.compile(r"^\s*[（(]?[一二三四五六七八九十\d]+[）)、.．]")


class _Char:
    __slots__ = ("bottom", "ch", "cx", "cy", "space_before", "top", "x0", "x1")

    def __init__(self, ch: str, x0: float, x1: float, top: float, bottom: float, space_before: bool) -> None:
        self.ch = ch
        self.x0 = x0
        self.x1 = x1
        self.top = top
        self.bottom = bottom
        self.space_before = space_before
        self.cx = (x0 + x1) / 2
        self.cy = (top + bottom) / 2


@dataclass
class _Piece:
    """A run of characters on one line without a wide gap: a word, a phrase or a table cell."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class _TextLine:
    pieces: list[_Piece]
    em: float
    x0: float
    x1: float
    top: float
    bottom: float
    values: int = 0  # how many pieces are numbers
    space_before: bool = False  # the text stream has a space before the line's first character

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.pieces)


@dataclass
class _Table:
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    xs: list[float]
    ys: list[float]
    cells: list[GridCell]
    slots: dict[tuple[int, int], GridCell]
    row_page: dict[int, int] = field(default_factory=dict)
    row_top: dict[int, float] = field(default_factory=dict)
    # The part on the latest page, once continuations are joined to this table.
    last_part: _Table | None = None


@dataclass
class _Item:
    """Something placed on a page at ``top``: a text line, an unruled table row or a table row."""

    top: float
    line: Line
    text: _TextLine | None = None  # set for body text that may join into a paragraph


@dataclass
class _Page:
    number: int
    top: float
    height: float
    chars: list[_Char]
    tables: list[_Table]
    items: list[_Item] = field(default_factory=list)
    images: int = 0


# -- entry point -----------------------------------------------------------------------------------


def read_pdf(data: bytes) -> tuple[list[Line], list[ParseNote]]:
    """The document's lines in reading order, and notes on pages that could not be read."""
    if b"%PDF" not in data[:1024]:
        raise UnreadableReport("不是 PDF 文件（缺少 %PDF 文件头）")
    if data.rfind(b"%%EOF", max(0, len(data) - 4096)) < 0:
        raise UnreadableReport(
            "PDF 文件不完整（缺少文件结尾 %%EOF），可能下载或复制时被截断，请重新获取完整文件"
        )
    document = _open(data)
    try:
        pages = [_read_page(document, i) for i in range(len(document))]
    finally:
        document.close()
    if not pages:
        raise UnreadableReport("PDF 文件没有页面")
    notes = _check_text_layer(pages)
    tables = _join_continued_tables(pages)
    for number, table in enumerate(tables, start=1):
        _place_table(pages, table, number)
    for page in pages:
        _place_text(page)
    return _paragraphs(pages), notes


def _open(data: bytes) -> Any:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise UnreadableReport("PDF 文件已加密（需要密码才能打开），请先去除密码保护后再导入") from exc
        raise UnreadableReport("PDF 文件已损坏，无法打开（文件结构无法识别）") from exc


def _check_text_layer(pages: list[_Page]) -> list[ParseNote]:
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


def _read_page(document: Any, index: int) -> _Page:
    try:
        page = document[index]
    except pdfium.PdfiumError as exc:
        raise UnreadableReport(f"PDF 第 {index + 1} 页已损坏，无法读取") from exc
    try:
        _left, bottom, _right, top = page.get_bbox()
        textpage = page.get_textpage()
        try:
            chars = _chars(textpage, top)
        finally:
            textpage.close()
        hs, vs = _edges(page, top)
        images = 0
        if len(chars) < 5:
            images = _count_images(page.raw)
    finally:
        page.close()
    result = _Page(index + 1, 0.0, top - bottom, chars, [], images=images)
    result.tables = _find_tables(hs, vs, result)
    return result


def _count_images(handle: Any) -> int:
    kinds = (
        pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(handle, i))
        for i in range(pdfium_c.FPDFPage_CountObjects(handle))
    )
    return sum(1 for kind in kinds if kind in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM))


def _chars(textpage: Any, page_top: float) -> list[_Char]:
    handle = textpage.raw
    count = pdfium_c.FPDFText_CountChars(handle)
    if count <= 0:
        return []
    text = textpage.get_text_range()
    if len(text) != count:
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(handle, i) or 32) for i in range(count))
    rect = pdfium_c.FS_RECTF()
    box = pdfium_c.FPDFText_GetLooseCharBox
    chars: list[_Char] = []
    space = False
    for i, ch in enumerate(text):
        if ch.isspace() or ch in "\x00\ufffe\uffff\ufeff":
            # A space printed at the end of a line (before PDFium's line break) still separates
            # the last word of the line from the first of the next when the lines are joined.
            space = space or ch not in "\r\n"
            continue
        box(handle, i, rect)
        if rect.right - rect.left <= 0 and rect.top - rect.bottom <= 0:
            continue
        chars.append(_Char(ch, rect.left, rect.right, page_top - rect.top, page_top - rect.bottom, space))
        space = False
    return chars


# -- ruling lines ----------------------------------------------------------------------------------

_Edge = tuple[float, float, float]  # (position, start, end): y, x0, x1 or x, top, bottom


_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _edges(page: Any, page_top: float) -> tuple[list[_Edge], list[_Edge]]:
    """Horizontal and vertical ruling lines drawn on the page (form XObjects included).

    The raw PDFium calls avoid wrapping every text object of the page in a Python object just to
    find the few path objects among them."""
    hs: list[_Edge] = []
    vs: list[_Edge] = []
    handle = page.raw
    objects = [pdfium_c.FPDFPage_GetObject(handle, i) for i in range(pdfium_c.FPDFPage_CountObjects(handle))]
    if not _collect_edges(objects, None, page_top, hs, vs, depth=0):
        return [], []
    return hs, vs


def _collect_edges(
    objects: list[Any], outer: _Matrix | None, page_top: float, hs: list[_Edge], vs: list[_Edge], depth: int
) -> bool:
    fill = ctypes.c_int()
    stroke = ctypes.c_int()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    paths = 0
    for obj in objects:
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 4:
            inner = [
                pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(pdfium_c.FPDFFormObj_CountObjects(obj))
            ]
            if not _collect_edges(inner, _compose(_matrix(obj), outer), page_top, hs, vs, depth + 1):
                return False
            continue
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        paths += 1
        if paths > _MAX_PATHS:
            return False
        pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke)
        if not fill.value and not stroke.value:
            continue
        if outer is None:
            pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
            width, height = right.value - left.value, top.value - bottom.value
            if width < _THIN and height >= _MIN_EDGE:
                vs.append(((left.value + right.value) / 2, page_top - top.value, page_top - bottom.value))
                continue
            if height < _THIN and width >= _MIN_EDGE:
                hs.append((page_top - (top.value + bottom.value) / 2, left.value, right.value))
                continue
            if width < _THIN or height < _THIN:
                continue
        _path_edges(obj, _compose(_matrix(obj), outer), page_top, hs, vs)
    return True


def _matrix(obj: Any) -> _Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: _Matrix, outer: _Matrix | None) -> _Matrix:
    """``inner`` then ``outer`` (PDF row-vector convention)."""
    if outer is None:
        return inner
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _path_edges(obj: Any, matrix: _Matrix, page_top: float, hs: list[_Edge], vs: list[_Edge]) -> None:
    """The straight horizontal and vertical segments of a path (rectangle outlines, grids)."""
    a, b, c, d, e, f = matrix
    x = ctypes.c_float()
    y = ctypes.c_float()
    start = prev = None
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = (a * x.value + c * y.value + e, page_top - (b * x.value + d * y.value + f))
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO and prev is not None:
            _add_segment(prev, point, hs, vs)
        if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
            _add_segment(point, start, hs, vs)
        prev = point


def _add_segment(p: tuple[float, float], q: tuple[float, float], hs: list[_Edge], vs: list[_Edge]) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y1 - y0) < 1 and abs(x1 - x0) >= _MIN_EDGE:
        hs.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) < 1 and abs(y1 - y0) >= _MIN_EDGE:
        vs.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def _merge_edges(edges: list[_Edge]) -> dict[float, list[tuple[float, float]]]:
    """Snap edges at nearly the same position together and join the overlapping pieces."""
    merged: dict[float, list[tuple[float, float]]] = {}
    group: list[_Edge] = []

    def close_group() -> None:
        if not group:
            return
        pos = round(sum(g[0] for g in group) / len(group), 2)
        spans: list[tuple[float, float]] = []
        for _, s, t in sorted(group, key=lambda g: g[1]):
            if spans and s <= spans[-1][1] + _JOIN:
                spans[-1] = (spans[-1][0], max(spans[-1][1], t))
            else:
                spans.append((s, t))
        merged[pos] = spans
        group.clear()

    for edge in sorted(edges):
        if group and edge[0] - group[-1][0] > _SNAP:
            close_group()
        group.append(edge)
    close_group()
    return merged


def _covers(spans: list[tuple[float, float]], a: float, b: float) -> bool:
    return any(s - _JOIN <= a and b <= t + _JOIN for s, t in spans)


def _find_tables(hs: list[_Edge], vs: list[_Edge], page: _Page) -> list[_Table]:
    if not hs or not vs:
        return []
    rows = _merge_edges(hs)  # y -> x spans
    cols = _merge_edges(vs)  # x -> y spans
    points: set[tuple[float, float]] = set()
    for y, xspans in rows.items():
        for x, yspans in cols.items():
            if any(s - _JOIN <= x <= t + _JOIN for s, t in xspans) and any(
                s - _JOIN <= y <= t + _JOIN for s, t in yspans
            ):
                points.add((x, y))
    if len(points) < 4:
        return []
    by_x: dict[float, list[float]] = {}
    by_y: dict[float, list[float]] = {}
    for x, y in points:
        by_x.setdefault(x, []).append(y)
        by_y.setdefault(y, []).append(x)
    for v in (*by_x.values(), *by_y.values()):
        v.sort()
    boxes: list[tuple[float, float, float, float]] = []
    for x, y in sorted(points, key=lambda p: (p[1], p[0])):
        found = None
        for y2 in by_x[x]:
            if y2 <= y:
                continue
            if not _covers(cols[x], y, y2):
                break
            for x2 in by_y[y]:
                if x2 <= x:
                    continue
                if not _covers(rows[y], x, x2):
                    break
                if (x2, y2) in points and _covers(rows[y2], x, x2) and _covers(cols[x2], y, y2):
                    found = (x, y, x2, y2)
                    break
            if found:
                break
        if found:
            boxes.append(found)
    return [t for t in (_grid(group, page) for group in _connected(boxes)) if t is not None]


def _connected(
    boxes: list[tuple[float, float, float, float]],
) -> list[list[tuple[float, float, float, float]]]:
    """Cells that share a corner belong to one table."""
    parent = list(range(len(boxes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    corner_owner: dict[tuple[float, float], int] = {}
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        for corner in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
            j = corner_owner.setdefault(corner, i)
            parent[find(i)] = find(j)
    groups: dict[int, list[tuple[float, float, float, float]]] = {}
    for i, box in enumerate(boxes):
        groups.setdefault(find(i), []).append(box)
    return sorted(groups.values(), key=lambda g: min(b[1] for b in g))


def _boundaries(values: set[float]) -> tuple[list[float], dict[float, int]]:
    """Sorted grid lines, a line doubled a hair's breadth apart counted once (no cell fits there)."""
    kept: list[float] = []
    index: dict[float, int] = {}
    for v in sorted(values):
        if not kept or v - kept[-1] > 2 * _SNAP:
            kept.append(v)
        index[v] = len(kept) - 1
    return kept, index


def _grid(boxes: list[tuple[float, float, float, float]], page: _Page) -> _Table | None:
    xs, col_of = _boundaries({b[0] for b in boxes} | {b[2] for b in boxes})
    ys, row_of = _boundaries({b[1] for b in boxes} | {b[3] for b in boxes})
    # One column of boxes is a frame around text (or one box per text line), not a table.
    if len(xs) < 3 or len(ys) < 2:
        return None
    cells: list[GridCell] = []
    slots: dict[tuple[int, int], GridCell] = {}
    for x0, y0, x1, y1 in boxes:
        r, c = row_of[y0], col_of[x0]
        if row_of[y1] == r or col_of[x1] == c:
            continue
        cell = GridCell("", r, c, row_of[y1] - r, col_of[x1] - c)
        cells.append(cell)
        for dr in range(cell.rowspan):
            for dc in range(cell.colspan):
                slots.setdefault((r + dr, c + dc), cell)
    # Slots no closed box covers: a merged cell cut open by the page break (its bottom rule is
    # missing) or a missing rule. Each column's run of such slots is one cell.
    for c in range(len(xs) - 1):
        run: GridCell | None = None
        for r in range(len(ys) - 1):
            if (r, c) in slots:
                run = None
            elif run is None:
                run = GridCell("", r, c)
                cells.append(run)
                slots[(r, c)] = run
            else:
                run.rowspan += 1
                slots[(r, c)] = run
    table = _Table(page.number, xs[0], ys[0], xs[-1], ys[-1], xs, ys, cells, slots)
    table.row_page = {r: page.number for r in range(len(ys) - 1)}
    table.row_top = {r: ys[r] for r in range(len(ys) - 1)}
    return table


def _fill_tables(page: _Page) -> list[_Char]:
    """Put each character into the table cell under its centre; return the characters outside."""
    if not page.tables:
        return page.chars
    outside: list[_Char] = []
    contents: dict[int, list[_Char]] = {}
    for ch in page.chars:
        cx, cy = ch.cx, ch.cy
        for table in page.tables:
            if table.x0 <= cx <= table.x1 and table.top <= cy <= table.bottom:
                r = min(max(bisect_right(table.ys, cy) - 1, 0), len(table.ys) - 2)
                c = min(max(bisect_right(table.xs, cx) - 1, 0), len(table.xs) - 2)
                cell = table.slots.get((r, c))
                if cell is None:  # a slot no ruled cell covers: give it a cell of its own
                    cell = table.slots[(r, c)] = GridCell("", r, c)
                    table.cells.append(cell)
                contents.setdefault(id(cell), []).append(ch)
                break
        else:
            outside.append(ch)
    for table in page.tables:
        for cell in table.cells:
            chars = contents.get(id(cell))
            if chars:
                cell.text = "\n".join(line.text for line in _lines_of(chars, split=False))
    return outside


# -- characters into lines -------------------------------------------------------------------------


def _em(chars: list[_Char]) -> float:
    wide = [c.x1 - c.x0 for c in chars if is_wide(c.ch)]
    if wide:
        return median(wide)
    narrow = [c.x1 - c.x0 for c in chars]
    return max(2 * median(narrow), 1.0)


def _lines_of(chars: list[_Char], *, split: bool) -> list[_TextLine]:
    """Group characters into lines by their vertical centre, left to right within a line; with
    ``split`` a gap wider than 1.5 em starts a new piece (a table cell of an unruled table)."""
    lines: list[list[_Char]] = []
    head_cy = reach = float("-inf")
    for ch in sorted(chars, key=lambda c: c.cy):
        height = ch.bottom - ch.top
        if ch.cy - head_cy <= max(reach, 0.45 * height):
            lines[-1].append(ch)
            continue
        lines.append([ch])
        head_cy, reach = ch.cy, 0.45 * height
    out = []
    for members in lines:
        members.sort(key=lambda c: c.x0)
        em = _em(members)
        pieces: list[list[_Char]] = [[members[0]]]
        for prev, ch in itertools.pairwise(members):
            if split and ch.x0 - prev.x1 > 1.5 * em:
                pieces.append([ch])
            else:
                pieces[-1].append(ch)
        built = [_piece(p, em) for p in pieces]
        out.append(
            _TextLine(
                built,
                em,
                members[0].x0,
                max(c.x1 for c in members),
                min(c.top for c in members),
                max(c.bottom for c in members),
                values=sum(1 for p in built if is_value(p.text)),
                space_before=members[0].space_before,
            )
        )
    return out


def _piece(chars: list[_Char], em: float) -> _Piece:
    text = chars[0].ch
    for prev, ch in itertools.pairwise(chars):
        if ch.space_before or ch.x0 - prev.x1 > 0.6 * em:
            text += " "
        text += ch.ch
    return _Piece(
        text,
        chars[0].x0,
        max(c.x1 for c in chars),
        min(c.top for c in chars),
        max(c.bottom for c in chars),
    )


# -- tables continued on the next page ---------------------------------------------------------------


def _join_continued_tables(pages: list[_Page]) -> list[_Table]:
    for page in pages:
        page.chars = _fill_tables(page)
    tables: list[_Table] = []
    for page in pages:
        for table in page.tables:
            previous = tables[-1] if tables else None
            if previous is not None and _continues(previous, table, pages):
                _append(previous, table)
            else:
                tables.append(table)
    return tables


def _body_chars_between(page: _Page, top: float, bottom: float) -> bool:
    """Whether the page has body text (not a page number in the margin) between ``top`` and ``bottom``."""
    chars = [c for c in page.chars if top <= c.cy <= bottom]
    return any(not _is_margin_line(page, line) for line in _lines_of(chars, split=False))


def _continues(first: _Table, second: _Table, pages: list[_Page]) -> bool:
    last = first.last_part or first
    if second.page != last.page + 1:
        return False
    here, there = pages[last.page - 1], pages[second.page - 1]
    if here.tables[-1] is not last or there.tables[0] is not second:
        return False
    if _body_chars_between(here, last.bottom, here.height) or _body_chars_between(there, 0, second.top):
        return False
    return _column_map(first.xs, second.xs) is not None


def _column_map(xs: list[float], other: list[float]) -> list[int] | None:
    """Map the column boundaries of a continuation onto the first part's, if they line up."""
    width = xs[-1] - xs[0]
    tolerance = max(6.0, 0.02 * width)
    mapping = []
    for x in other:
        nearest = min(range(len(xs)), key=lambda i: abs(xs[i] - x))
        if abs(xs[nearest] - x) > tolerance or (mapping and nearest <= mapping[-1]):
            return None
        mapping.append(nearest)
    return mapping if mapping[0] == 0 and mapping[-1] == len(xs) - 1 else None


def _row_texts(table: _Table, row: int) -> list[str]:
    return [clean_cell_text(c.text) for c in sorted(table.cells, key=lambda c: c.col) if c.row == row]


def _append(first: _Table, second: _Table) -> None:
    mapping = _column_map(first.xs, second.xs)
    assert mapping is not None
    rows_first = len(first.ys) - 1
    rows_second = len(second.ys) - 1
    # A header repeated at the top of the continuation is dropped.
    skip = 0
    for k in range(1, min(4, rows_first, rows_second) + 1):
        if all(_row_texts(first, r) == _row_texts(second, r) for r in range(k)):
            skip = k
    for cell in second.cells:
        cell.col, cell.colspan = mapping[cell.col], mapping[cell.col + cell.colspan] - mapping[cell.col]
    kept = [c for c in second.cells if c.row >= skip]
    for cell in kept:
        cell.row += rows_first - skip
    first_row = rows_first  # index, in the joined grid, of the continuation's first row
    last_owner = {c: first.slots.get((rows_first - 1, c)) for c in range(len(first.xs) - 1)}
    start = sorted((c for c in kept if c.row == first_row), key=lambda c: c.col)
    value_cols = [
        c.col for c in first.cells + kept if clean_cell_text(c.text) and is_value(clean_cell_text(c.text))
    ]
    first_value = min(value_cols) if value_cols else len(first.xs)
    merged: set[int] = set()
    last_row = [c for c in first.cells if c.row <= rows_first - 1 < c.row + c.rowspan]
    last_has_values = any(c.col >= first_value and is_value(clean_cell_text(c.text)) for c in last_row)
    start_has_values = any(c.col >= first_value and clean_cell_text(c.text) for c in start)
    if start and last_has_values and not start_has_values:
        # The page break cut a row in two: the continuation's first row has labels but no values.
        for cell in start:
            owner = last_owner.get(cell.col)
            if owner is not None and owner.col == cell.col:
                owner.text = owner.text + "\n" + cell.text
                owner.rowspan += cell.rowspan
                merged.add(id(cell))
    else:
        labels = [c for c in start if c.col < first_value and clean_cell_text(c.text)]
        innermost = labels[-1] if labels else None
        for cell in start:
            owner = last_owner.get(cell.col)
            if cell.col >= first_value or cell is innermost or owner is None or owner.col != cell.col:
                continue
            text = clean_cell_text(cell.text)
            # A group label that the page break split ("（四）无" / "法提供") continues; one that
            # starts afresh with its own number does not.
            if owner.colspan == cell.colspan and not _ENUMERATOR.match(text):
                owner.text = owner.text + "\n" + cell.text
                owner.rowspan = cell.row + cell.rowspan - owner.row
                merged.add(id(cell))
    first.cells.extend(c for c in kept if id(c) not in merged)
    for r in range(skip, rows_second):
        first.row_page[r + rows_first - skip] = second.page
        first.row_top[r + rows_first - skip] = second.ys[r]
    first.ys = first.ys + second.ys[skip + 1 :]  # only their count matters from here on
    first.last_part = second
    first.slots = {}
    for cell in first.cells:
        for dr in range(cell.rowspan):
            for dc in range(cell.colspan):
                first.slots.setdefault((cell.row + dr, cell.col + dc), cell)


def _place_table(pages: list[_Page], table: _Table, number: int) -> None:
    def where(row: int, col: int | None) -> str:
        place = f"第 {table.row_page[row]} 页 表 {number} 第 {row + 1} 行"
        return place if col is None else f"{place}第 {col + 1} 列"

    for row, line in grid_rows(table.cells, where=where, page=lambda r: table.row_page[r]):
        pages[table.row_page[row] - 1].items.append(_Item(table.row_top[row], line))


# -- text outside ruled tables ---------------------------------------------------------------------


def _is_margin_line(page: _Page, line: _TextLine) -> bool:
    in_margin = line.bottom < 0.09 * page.height or line.top > 0.88 * page.height
    return in_margin and bool(_PAGE_NUMBER.match(line.text))


def _place_text(page: _Page) -> None:
    lines = [ln for ln in _lines_of(page.chars, split=True) if not _is_margin_line(page, ln)]
    tabular = _unruled_rows(lines)
    for number, line in enumerate(lines, start=1):
        where = f"第 {page.number} 页 第 {number} 行"
        if id(line) in tabular:
            row = tabular[id(line)]
            if row is None:
                continue  # merged into another row
            tokens = [Token(p.text, where=where, x=round(p.x0, 1)) for p in row]
            page.items.append(_Item(line.top, Line(tokens, where=where, page=page.number)))
        else:
            token = Token(line.text, where=where, x=round(line.x0, 1))
            page.items.append(_Item(line.top, Line([token], where=where, page=page.number), text=line))
    page.items.sort(key=lambda item: item.top)


def _unruled_rows(lines: list[_TextLine]) -> dict[int, list[_Piece] | None]:
    """Rows of tables printed without rules, keyed by ``id`` of their line; ``None`` marks a line
    whose pieces were moved into a neighbouring row (a wrapped label, a stacked header)."""
    rows: dict[int, list[_Piece] | None] = {}
    numeric = [i for i, ln in enumerate(lines) if ln.values and len(ln.pieces) >= 2]
    if not numeric:
        return rows
    # Blocks of numeric rows not too far apart, each with its value columns.
    blocks: list[list[int]] = [[numeric[0]]]
    for i in numeric[1:]:
        prev = lines[blocks[-1][-1]]
        if lines[i].top - prev.bottom <= 4 * prev.em:
            blocks[-1].append(i)
        else:
            blocks.append([i])
    for block in blocks:
        columns = _value_columns([lines[i] for i in block])
        label_edge = min(x0 for x0, _ in columns) - 0.5 * lines[block[0]].em
        row_pieces: dict[int, list[_Piece]] = {i: list(lines[i].pieces) for i in block}
        # Wrapped labels: lines between the block's rows that print only in the label area.
        for j in range(block[0] - 1, block[-1] + 2):
            if j < 0 or j >= len(lines) or j in row_pieces:
                continue
            line = lines[j]
            if line.x1 > label_edge:
                continue
            nearest = min(block, key=lambda i: (abs(lines[i].cy - line.cy), lines[i].cy > line.cy))
            if abs(lines[nearest].cy - line.cy) <= 1.6 * line.em:
                row_pieces[nearest].extend(line.pieces)
                rows[id(line)] = None
        for i in block:
            rows[id(lines[i])] = _merge_label_pieces(row_pieces[i], label_edge)
        _stack_headers(lines, block, columns, label_edge, rows)
    return rows


def _value_columns(rows: list[_TextLine]) -> list[tuple[float, float]]:
    spans: list[tuple[float, float]] = []
    for line in rows:
        for p in line.pieces:
            if is_value(p.text):
                spans.append((p.x0, p.x1))
    spans.sort()
    columns: list[tuple[float, float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1] + 2:
            columns[-1] = (columns[-1][0], max(columns[-1][1], x1))
        else:
            columns.append((x0, x1))
    return columns


def _merge_label_pieces(pieces: list[_Piece], label_edge: float) -> list[_Piece]:
    """Join label fragments that sit in the same column, top to bottom; values stay as they are."""
    labels = sorted((p for p in pieces if p.x1 <= label_edge and not is_value(p.text)), key=lambda p: p.top)
    others = [p for p in pieces if not (p.x1 <= label_edge and not is_value(p.text))]
    columns: list[_Piece] = []
    for p in labels:
        for i, col in enumerate(columns):
            if p.x0 < col.x1 and col.x0 < p.x1:
                columns[i] = _Piece(
                    join_fragments(col.text, p.text), min(col.x0, p.x0), max(col.x1, p.x1), col.top, p.bottom
                )
                break
        else:
            columns.append(p)
    return sorted(columns, key=lambda p: p.x0) + sorted(others, key=lambda p: p.x0)


def _stack_headers(
    lines: list[_TextLine],
    block: list[int],
    columns: list[tuple[float, float]],
    label_edge: float,
    rows: dict[int, list[_Piece] | None],
) -> None:
    """Join the header lines above a block column by column, so that a header printed one
    character per line ("商/业/企/业") reads as one word; headers spanning columns stay whole."""
    first = block[0]
    em = lines[first].em
    zone: list[int] = []
    j = first - 1
    while j >= 0 and id(lines[j]) not in rows:
        line = lines[j]
        below = lines[zone[-1]] if zone else lines[first]
        if below.top - line.bottom > 2 * em or any(len(p.text) > 30 for p in line.pieces):
            break
        zone.append(j)
        j -= 1
    # A caption or heading above the header prints only in the label area: it is not header.
    while zone and all(p.x1 <= label_edge for p in lines[zone[-1]].pieces):
        zone.pop()
    if not any(p.x1 > label_edge for j in zone for p in lines[j].pieces):
        return
    zone.reverse()
    spanning: list[_Piece] = []
    stacked: dict[int, list[_Piece]] = {}
    for j in zone:
        rows[id(lines[j])] = None
        for p in lines[j].pieces:
            hit = [k for k, (x0, x1) in enumerate(columns) if p.x0 - em <= (x0 + x1) / 2 <= p.x1 + em]
            if len(hit) >= 2:
                spanning.append(p)
            elif p.x1 <= label_edge:
                stacked.setdefault(-1, []).append(p)
            else:
                key = hit[0] if hit else min(range(len(columns)), key=lambda k: abs(columns[k][0] - p.x0))
                stacked.setdefault(key, []).append(p)
    header = []
    for key in sorted(stacked):
        parts = stacked[key]
        text = ""
        for p in parts:
            text = join_fragments(text, p.text)
        header.append(
            _Piece(
                clean_cell_text(text),
                min(p.x0 for p in parts),
                max(p.x1 for p in parts),
                parts[0].top,
                parts[-1].bottom,
            )
        )
    # Headers spanning several columns first, on their own line, then one line of column headers.
    if len(zone) == 1:
        rows[id(lines[zone[0]])] = sorted(spanning + header, key=lambda p: p.x0)
    else:
        if spanning:
            rows[id(lines[zone[0]])] = spanning
        if header:
            rows[id(lines[zone[-1]])] = header


# -- paragraphs ------------------------------------------------------------------------------------


def _paragraphs(pages: list[_Page]) -> list[Line]:
    """Join wrapped body lines into paragraphs, across page breaks too: a line continues the one
    before when that one fills the measure, it is not indented and follows closely."""
    texts = [item.text for page in pages for item in page.items if item.text is not None]
    if not texts:
        return [item.line for page in pages for item in page.items]
    ends = sorted(t.x1 for t in texts)
    right = ends[int(0.95 * (len(ends) - 1))]
    full = [t for t in texts if t.x1 >= right - 2 * t.em]
    left = min((t.x0 for t in full), default=min(t.x0 for t in texts))
    out: list[Line] = []
    previous: _TextLine | None = None  # the text of the last item emitted, None after a table row
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
