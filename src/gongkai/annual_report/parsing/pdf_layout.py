"""Characters, lines and pages of a PDF as the PDF front end sees them.

Coordinates are in points, top-down (``top`` grows down the page), read from PDFium's loose
character boxes, which span the font's full height so that characters of one line line up.
"""

from __future__ import annotations

import ctypes
import itertools
import re
from dataclasses import dataclass, field
from statistics import median
from typing import TYPE_CHECKING, Any

import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from gongkai.annual_report.parsing.base import Line
from gongkai.annual_report.parsing.grid import is_value, is_wide

if TYPE_CHECKING:
    from gongkai.annual_report.parsing.pdf_rules import Table

PAGE_NUMBER = re.compile(
    r"^[\s\-—–－_·•]*(第\s*)?[\dⅠ-Ⅻ一二三四五六七八九十]+\s*(页)?(\s*[/／共]\s*\d+\s*页?)?[\s\-—–－_·•]*$"
)
# The number a statutory label starts with: "（四）", "三、", "1.", "2、".
ENUMERATOR = re.compile(r"^\s*[（(]?[一二三四五六七八九十\d]+[）)、.．]")


class Char:
    __slots__ = ("base", "bottom", "ch", "cx", "cy", "space_before", "top", "x0", "x1")

    def __init__(
        self, ch: str, x0: float, x1: float, top: float, bottom: float, space_before: bool, base: float
    ) -> None:
        self.ch = ch
        self.base = base  # the baseline: characters of one line share it whatever their font
        self.x0 = x0
        self.x1 = x1
        self.top = top
        self.bottom = bottom
        self.space_before = space_before
        self.cx = (x0 + x1) / 2
        self.cy = (top + bottom) / 2


@dataclass
class Piece:
    """A run of characters on one line without a wide gap: a word, a phrase or a table cell."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    chars: list[Char] = field(default_factory=list, repr=False)
    em: float = 0.0


@dataclass
class TextLine:
    pieces: list[Piece]
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
class Item:
    """Something placed on a page at ``top``: a text line, an unruled table row or a table row."""

    top: float
    line: Line
    text: TextLine | None = None  # set for body text that may join into a paragraph


@dataclass
class Page:
    number: int
    top: float
    height: float
    chars: list[Char]
    tables: list[Table]
    items: list[Item] = field(default_factory=list)
    images: int = 0


def read_chars(textpage: Any, page_top: float) -> list[Char]:
    handle = textpage.raw
    count = pdfium_c.FPDFText_CountChars(handle)
    if count <= 0:
        return []
    text = textpage.get_text_range()
    if len(text) != count:
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(handle, i) or 32) for i in range(count))
    rect = pdfium_c.FS_RECTF()
    box = pdfium_c.FPDFText_GetLooseCharBox
    origin = pdfium_c.FPDFText_GetCharOrigin
    x, y = ctypes.c_double(), ctypes.c_double()
    chars: list[Char] = []
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
        origin(handle, i, x, y)
        chars.append(
            Char(
                ch,
                rect.left,
                rect.right,
                page_top - rect.top,
                page_top - rect.bottom,
                space,
                page_top - y.value,
            )
        )
        space = False
    return chars


def char_em(chars: list[Char]) -> float:
    wide = [c.x1 - c.x0 for c in chars if is_wide(c.ch)]
    if wide:
        return median(wide)
    narrow = [c.x1 - c.x0 for c in chars]
    return max(2 * median(narrow), 1.0)


def lines_of(chars: list[Char], *, split: bool) -> list[TextLine]:
    """Group characters into lines by their baseline, left to right within a line; with ``split``
    a wide gap starts a new piece (a table cell of an unruled table)."""
    lines: list[list[Char]] = []
    head = reach = float("-inf")
    for ch in sorted(chars, key=lambda c: c.base):
        if ch.base - head <= reach:
            lines[-1].append(ch)
            continue
        lines.append([ch])
        head, reach = ch.base, 0.3 * (ch.bottom - ch.top)
    out = []
    for members in lines:
        members.sort(key=lambda c: c.x0)
        em = char_em(members)
        pieces: list[list[Char]] = [[members[0]]]
        for prev, ch in itertools.pairwise(members):
            gap = ch.x0 - prev.x1
            # Two numbers apart are two values even when the columns are tight.
            if split and (gap > 1.2 * em or (gap > 0.2 * em and prev.ch.isdigit() and ch.ch.isdigit())):
                pieces.append([ch])
            else:
                pieces[-1].append(ch)
        built = [make_piece(p, em) for p in pieces]
        out.append(
            TextLine(
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


def make_piece(chars: list[Char], em: float) -> Piece:
    text = chars[0].ch
    for prev, ch in itertools.pairwise(chars):
        if ch.space_before or ch.x0 - prev.x1 > 0.6 * em:
            text += " "
        text += ch.ch
    return Piece(
        text,
        chars[0].x0,
        max(c.x1 for c in chars),
        min(c.top for c in chars),
        max(c.bottom for c in chars),
        chars,
        em,
    )


def split_piece(piece: Piece, boundaries: list[float]) -> list[Piece]:
    """Cut a piece where a column boundary falls between two of its characters (a cell of a
    tight table run together with its neighbour)."""
    if len(piece.chars) < 2:
        return [piece]
    parts: list[list[Char]] = [[piece.chars[0]]]
    for prev, ch in itertools.pairwise(piece.chars):
        gap = ch.x0 - prev.x1
        if gap > 0.25 * piece.em and any(prev.x1 - 1 <= b <= ch.x0 + 1 for b in boundaries):
            parts.append([ch])
        else:
            parts[-1].append(ch)
    if len(parts) == 1:
        return [piece]
    return [make_piece(part, piece.em) for part in parts]


def is_margin_line(page: Page, line: TextLine) -> bool:
    in_margin = line.bottom < 0.09 * page.height or line.top > 0.88 * page.height
    return in_margin and bool(PAGE_NUMBER.match(line.text))
