"""Ruled tables of a PDF page: ruling lines -> intersections -> cells -> grids.

The same idea as pdfplumber's ``find_tables`` (lattice), on PDFium's path objects: horizontal and
vertical segments are snapped and joined, their crossings found, and each crossing is the top-left
corner of the smallest box whose four sides are drawn. Boxes sharing corners form one table; their
edges give the grid rows and columns, hence each cell's row/column spans. A table whose first part
ends a page and whose continuation starts the next, with the same columns, is joined.
"""

from __future__ import annotations

import ctypes
import itertools
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from gongkai.annual_report.parsing.grid import GridCell, clean_cell_text, is_value
from gongkai.annual_report.parsing.pdf_layout import ENUMERATOR, Char, Page, is_margin_line, lines_of

# Geometry tolerances, in points.
_SNAP = 2.0  # edges closer than this are one ruling line
_JOIN = 3.0  # gap bridged between two pieces of one ruling line
_THIN = 3.5  # a path object thinner than this is a ruling line itself
_MIN_EDGE = 4.0
_MAX_PATHS = 20_000  # a page drawn with more paths than this is a picture, not a table


@dataclass
class Table:
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
    last_part: Table | None = None


_Edge = tuple[float, float, float]  # (position, start, end): y, x0, x1 or x, top, bottom


_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def ruling_lines(page: Any, page_top: float) -> tuple[list[_Edge], list[_Edge]]:
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


def _closing_edges(cols: dict[float, list[tuple[float, float]]]) -> list[_Edge]:
    """Rules across the open ends of cells a page break cut: where neighbouring vertical rules
    stop at the same height, the cell between them is closed there (its missing bottom or top)."""
    ends = sorted((y, x) for x, spans in cols.items() for span in spans for y in span)
    closing: list[_Edge] = []
    group: list[tuple[float, float]] = []
    for end in [*ends, (float("inf"), 0.0)]:
        if group and end[0] - group[-1][0] > _SNAP:
            y = sum(g[0] for g in group) / len(group)
            xs = sorted(g[1] for g in group)
            closing.extend((y, a, b) for a, b in itertools.pairwise(xs) if b - a >= _MIN_EDGE)
            group = []
        group.append(end)
    return closing


def _covers(spans: list[tuple[float, float]], a: float, b: float) -> bool:
    return any(s - _JOIN <= a and b <= t + _JOIN for s, t in spans)


def find_tables(hs: list[_Edge], vs: list[_Edge], page: Page) -> list[Table]:
    if not hs or not vs:
        return []
    cols = _merge_edges(vs)  # x -> y spans
    rows = _merge_edges(hs + _closing_edges(cols))  # y -> x spans
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


def _grid(boxes: list[tuple[float, float, float, float]], page: Page) -> Table | None:
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
    table = Table(page.number, xs[0], ys[0], xs[-1], ys[-1], xs, ys, cells, slots)
    table.row_page = {r: page.number for r in range(len(ys) - 1)}
    table.row_top = {r: ys[r] for r in range(len(ys) - 1)}
    return table


def fill_tables(page: Page) -> list[Char]:
    """Put each character into the table cell under its centre; return the characters outside."""
    if not page.tables:
        return page.chars
    outside: list[Char] = []
    contents: dict[int, list[Char]] = {}
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
                cell.text = "\n".join(line.text for line in lines_of(chars, split=False))
    return outside


# -- tables continued on the next page ---------------------------------------------------------------


def join_continued_tables(pages: list[Page]) -> list[Table]:
    for page in pages:
        page.chars = fill_tables(page)
    tables: list[Table] = []
    for page in pages:
        for table in page.tables:
            previous = tables[-1] if tables else None
            if previous is not None and _continues(previous, table, pages):
                _append(previous, table)
            else:
                tables.append(table)
    return tables


def _body_chars_between(page: Page, top: float, bottom: float) -> bool:
    """Whether the page has body text (not a page number in the margin) between ``top`` and ``bottom``."""
    chars = [c for c in page.chars if top <= c.cy <= bottom]
    return any(not is_margin_line(page, line) for line in lines_of(chars, split=False))


def _continues(first: Table, second: Table, pages: list[Page]) -> bool:
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
    mapping: list[int] = []
    for x in other:
        nearest = min(range(len(xs)), key=lambda i: abs(xs[i] - x))
        if abs(xs[nearest] - x) > tolerance or (mapping and nearest <= mapping[-1]):
            return None
        mapping.append(nearest)
    return mapping if mapping[0] == 0 and mapping[-1] == len(xs) - 1 else None


def _row_texts(table: Table, row: int) -> list[str]:
    return [clean_cell_text(c.text) for c in sorted(table.cells, key=lambda c: c.col) if c.row == row]


def _append(first: Table, second: Table) -> None:
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
            if owner.colspan == cell.colspan and not ENUMERATOR.match(text):
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
