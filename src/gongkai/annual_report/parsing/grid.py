"""Table grids shared by the DOCX, HTML and ruled-PDF front ends.

Each front end recovers a table as cells placed on a grid (row, column, spans). ``grid_lines`` turns
that grid into one ``Line`` per table row so that the row reads like the seed text: the row's label
cell(s) first, then its values, one token per cell. A merged cell is emitted once, in the row where it
starts, so a label spanning several rows or columns never turns up again as a value; a blank value
cell stays as an empty token (the document left it blank).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from gongkai.annual_report.parsing.base import Line, Token


@dataclass
class GridCell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff]+")
# Numbers, possibly signed, with thousands separators or decimals; also the dashes offices print
# for "nothing" so they count as values, not labels.
_VALUE = re.compile(r"^[+\-－−]?[\d,，]*\d(\.\d+)?%?$|^[—–\-－/／]+$")


def is_wide(ch: str) -> bool:
    """CJK characters and full-width punctuation: no space is needed next to them."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def join_fragments(left: str, right: str) -> str:
    """Join two pieces of one text that a line break separated (a wrapped cell, a wrapped line)."""
    if not left:
        return right
    if not right:
        return left
    a, b = left[-1], right[0]
    if a.isspace() or b.isspace() or is_wide(a) or is_wide(b):
        return left + right
    # A break inside a URL, a path or a number is a wrap, not a word boundary.
    if a in "/-._:=?&%#@" or b in "/-._:=?&%#@":
        return left + right
    if a.isdigit() and b.isdigit():
        return left + right
    return left + " " + right


def collapse_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def clean_cell_text(text: str) -> str:
    """One table cell as a single line: wrapped and vertically stacked text joined, letter spacing
    between CJK characters removed ("结 果\\n维持" -> "结果维持")."""
    out = ""
    for part in text.replace("\r", "\n").split("\n"):
        part = collapse_spaces(part)
        if part:
            out = join_fragments(out, part)
    # Letter-spaced headers: drop a single space between two wide characters.
    return re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", out)


def is_value(text: str) -> bool:
    return bool(_VALUE.match(text.strip()))


def grid_lines(
    cells: list[GridCell],
    *,
    where: Callable[[int, int | None], str],
    page: Callable[[int], int | None] | None = None,
) -> list[Line]:
    """One ``Line`` per grid row. ``where(row, col)`` names a cell (``col`` None names the row)."""
    return [line for _, line in grid_rows(cells, where=where, page=page)]


def grid_rows(
    cells: list[GridCell],
    *,
    where: Callable[[int, int | None], str],
    page: Callable[[int], int | None] | None = None,
) -> list[tuple[int, Line]]:
    """Like ``grid_lines``, each line with its grid row index."""
    by_row: dict[int, list[GridCell]] = {}
    for cell in cells:
        by_row.setdefault(cell.row, []).append(cell)
    texts = {id(c): clean_cell_text(c.text) for c in cells}
    # Columns left of the first column that holds a number are the label area: a blank cell there
    # is the empty remains of a merged or vertical group label, not a value. A blank cell in the
    # value area is a value the document left blank and must stay, in its place.
    value_cols = [c.col for c in cells if texts[id(c)] and is_value(texts[id(c)])]
    first_value_col = min(value_cols) if value_cols else None
    out: list[tuple[int, Line]] = []
    for row in sorted(by_row):
        tokens: list[Token] = []
        for cell in sorted(by_row[row], key=lambda c: c.col):
            text = texts[id(cell)]
            if not text and (not tokens if first_value_col is None else cell.col < first_value_col):
                continue
            tokens.append(Token(text, where=where(row, cell.col), x=float(cell.col), cell=True))
        if any(t.text for t in tokens):
            out.append((row, Line(tokens, where=where(row, None), page=page(row) if page else None)))
    return out


def place_cells(rows: list[list[tuple[str, int, int]]]) -> list[GridCell]:
    """Place HTML-style rows of ``(text, rowspan, colspan)`` on a grid: a cell spanning rows from
    above takes its slots in the rows below, so later cells shift right past it."""
    taken: set[tuple[int, int]] = set()
    cells: list[GridCell] = []
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in taken:
                c += 1
            rowspan = max(1, min(rowspan, len(rows) - r))
            colspan = max(1, colspan)
            cells.append(GridCell(text, r, c, rowspan, colspan))
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            c += colspan
    return cells
