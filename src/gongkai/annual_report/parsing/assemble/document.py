"""Document lines: the front ends' lines cleaned of page numbers and empty debris."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from gongkai.annual_report.formats import (
    SECTIONS,
)
from gongkai.annual_report.parsing.base import Line
from gongkai.annual_report.parsing.labels import (
    normalize,
)

SHORT_TABLE_NAMES = {"proactive": "表二", "requests": "表三", "appeals": "表四"}
# "表三（收到和处理政府信息公开申请情况）": each table named after its section's heading.
TABLE_NAMES = {
    s.key: f"{SHORT_TABLE_NAMES[s.key]}（{s.heading.split('、', 1)[1]}）"
    for s in SECTIONS
    if s.key in SHORT_TABLE_NAMES
}
SECTION_INDEX = {s.key: i for i, s in enumerate(SECTIONS)}
TABLE_SECTIONS = ("proactive", "requests", "appeals")

PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?)\s*$"
)
AUTOLINK = re.compile(r"<((?:https?|ftp)://[^<>\s]+)>")
MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s*")
SENTENCE_END = frozenset("。！？；：!?;")
CLOSING = "”’」』\"'"
ENUMERATION = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、是]|\d{1,2}[.、．])"
)
SPLIT_TRAILING = re.compile(r"\s+")
SPACED = re.compile(r"[\u4e00-\u9fff] [0-9A-Za-z]|[0-9A-Za-z] [\u4e00-\u9fff]")
UNSPACED = re.compile(r"[\u4e00-\u9fff][0-9A-Za-z]|[0-9A-Za-z][\u4e00-\u9fff]")
# Lines longer than this are prose: no heading, title or table header is this long.
LONG = 160
# Last characters of a value token ("12", "3件", "251000元", "—", "无", "/"): cheap pre-test.
VALUE_END = frozenset("0123456789０１２３４５６７８９件个项条次篇份元无空—–-－―/／×xX*.·…~～%％用")
HEADING_NUMERALS = frozenset("一二三四五六七八九十")

# -- document lines --------------------------------------------------------------------------------


@dataclass(slots=True)
class DocLine:
    index: int  # position in the cleaned document
    line: Line
    text: str  # tokens joined by a space
    _norm: str | None = None

    @property
    def norm(self) -> str:
        """``normalize(text)``, computed on first use: long prose lines seldom need it."""
        if self._norm is None:
            self._norm = normalize(self.text)
        return self._norm

    @property
    def where(self) -> str:
        return self.line.where or f"第 {self.index + 1} 行"


def clean_lines(lines: Sequence[Line]) -> list[DocLine]:
    """The lines worth reading: no empty debris, no page numbers; a blank table cell is kept (it is a value)."""
    out: list[DocLine] = []
    for line in lines:
        tokens = line.tokens
        text = tokens[0].text if len(tokens) == 1 else " ".join(t.text for t in tokens if t.text)
        if not text.strip():
            if any(t.cell for t in tokens):
                out.append(DocLine(len(out), line, text))
            continue
        if len(text) <= 24 and PAGE_NUMBER.match(text):
            continue
        out.append(DocLine(len(out), line, text))
    return out
