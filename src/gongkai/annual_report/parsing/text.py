"""Plain-text front end: text extracted from a PDF (tab- or space-aligned cells, ``pdftotext -layout``),
web-page tables flattened one cell per line, crawler and Markdown conversions → ``Line``s → ``assemble``.

One tokeniser cuts every line, whatever delimited its cells:

- ``|`` (or the full-width ``｜``), with or without outer pipes, as Markdown, crawlers and
  HTML-to-text tools write table rows: one real cell per piece, blanks kept as blank cells;
- tabs: one token per piece, positioned by piece index (an empty piece between filled ones is a
  blank cell);
- in a document whose tables were flattened one cell per line (blank cells kept as a line holding
  only spaces), each line is one real cell;
- ideographic spaces (U+3000) delimit cells as tabs do;
- anything else is cut at gaps (two or more spaces, or no-break spaces), positioned by
  character column, and a label followed by single-spaced numbers ("行政许可 0 0 0") is split into
  the label and the numbers.
"""

from __future__ import annotations

import re

from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.parsing.assemble import assemble
from gongkai.annual_report.parsing.base import Line, ParseNote, Token, UnreadableReport
from gongkai.annual_report.parsing.labels import read_value

_PIPES = re.compile("[|｜]")
_MD_SEPARATOR = re.compile(r"^\s*[|｜]?\s*:?-{2,}:?\s*(?:[|｜]\s*:?-{2,}:?\s*)*[|｜]?\s*$")
# A gap between cells: two spaces, or an ideographic space, or a no-break space next to a space.
_GAP = re.compile("(?: |\u00a0){2,}|\u3000+")
_WORD = re.compile(r"[^ \u00a0]+")


def _pipe_cells(stripped: str) -> list[str] | None:
    """The cells of a ``|``-delimited row, or None when the line is not one. Without outer pipes a
    line needs two pipes, so that prose holding one stray ``|`` stays prose."""
    pieces = _PIPES.split(stripped)
    outer = stripped[0] in "|｜"
    if not outer and len(pieces) < 3:
        return None
    if outer:
        pieces = pieces[1:]
    if pieces and stripped[-1] in "|｜":
        pieces = pieces[:-1]
    return pieces if len(pieces) >= 2 else None


def _gap_tokens(line: str, where: str) -> list[Token]:
    """Cut a line at gaps; x is the character column. Trailing single-spaced numbers after a label
    become their own tokens ("行政许可 0 0 0" → label, 0, 0, 0)."""
    tokens: list[Token] = []
    start = 0
    indent = len(line) - len(line.lstrip())
    for gap in [*_GAP.finditer(line, indent), None]:
        end = gap.start() if gap else len(line)
        piece = line[max(start, indent) : end]
        if piece.strip():
            tokens.extend(_split_trailing_numbers(piece, max(start, indent), where))
        start = gap.end() if gap else end
    return tokens


def _split_trailing_numbers(piece: str, offset: int, where: str) -> list[Token]:
    words = [(offset + m.start(), m.group()) for m in _WORD.finditer(piece)]
    cut = len(words)
    while cut > 0 and read_value(words[cut - 1][1]) is not None:
        cut -= 1
    if cut == len(words) or len(words) == 1:
        return [Token(piece.strip(), where, float(words[0][0]))]
    out = []
    if cut:
        label_end = words[cut - 1][0] + len(words[cut - 1][1]) - offset
        out.append(Token(piece[:label_end].strip(), where, float(words[0][0])))
    out += [Token(word, where, float(x)) for x, word in words[cut:]]
    return out


def _tab_tokens(raw: str, delimiter: str, where: str) -> list[Token]:
    """One token per tab-separated piece, positioned by piece index. An empty piece between two
    filled ones is a blank cell ("行政检查\t\t0\t0"); empty pieces before the first and after the
    last filled one are indentation under merged cells and trailing tabs, not cells."""
    pieces = [p.strip() for p in raw.split(delimiter)]
    filled = [i for i, p in enumerate(pieces) if p]
    if not filled:
        return []
    return [
        Token(p, where, float(i), cell=not p) for i, p in enumerate(pieces) if p or filled[0] < i < filled[-1]
    ]


def _flattened(raw_lines: list[str]) -> bool:
    """Tables flattened one cell per line: figures stand alone on their lines, and a blank cell is
    kept as a line holding only spaces. PDF text has tabs or gaps between the cells of a row instead,
    and its lines of spaces are layout debris."""
    blank_cells = sum(1 for line in raw_lines if line and line.isspace())
    if blank_cells < 1:
        return False
    gapped = sum(1 for line in raw_lines if "\t" in line or _GAP.search(line.strip()))
    if gapped * 20 > len(raw_lines):
        return False
    if blank_cells >= 3:
        return True
    lone_figures = sum(1 for line in raw_lines if line.strip() and read_value(line.strip()) is not None)
    return lone_figures >= _LONE_FIGURES


# Table 三 alone has 175 cells: a flattened report puts dozens of figures on lines of their own.
_LONE_FIGURES = 40


def line_tokens(raw: str, where: str, *, flattened: bool = False) -> list[Token]:
    """The tokens of one line of text, whatever delimits its cells."""
    stripped = raw.strip()
    if not stripped:
        return [Token("", where, None, cell=True)] if flattened and raw else []
    if "|" in stripped or "｜" in stripped:
        if _MD_SEPARATOR.match(stripped):
            return []
        cells = _pipe_cells(stripped)
        if cells is not None:
            return [Token(c.strip(), where, float(i), cell=True) for i, c in enumerate(cells)]
    if "\t" in raw:
        return _tab_tokens(raw, "\t", where)
    if "\u3000" in stripped:
        # Cells set apart by ideographic spaces, one per cell boundary: two in a row hold a blank.
        return _tab_tokens(raw.strip(" "), "\u3000", where)
    if flattened:
        return [Token(stripped, where, None, cell=True)]
    if not _GAP.search(stripped) and read_value(stripped.rsplit(" ", 1)[-1]) is None:
        # Most lines are prose: one piece, no trailing numbers to split off.
        return [Token(stripped, where, float(len(raw) - len(raw.lstrip())))]
    return _gap_tokens(raw.rstrip(), where)


def text_to_lines(text: str) -> list[Line]:
    """The tokens of every non-empty line, each with its line number as provenance."""
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    flattened = _flattened(raw_lines)
    lines: list[Line] = []
    for number, raw in enumerate(raw_lines, 1):
        where = f"第 {number} 行"
        tokens = line_tokens(raw, where, flattened=flattened)
        if tokens:
            lines.append(Line(tokens, where))
    return lines


# Characters that no report contains: control characters, U+FFFD left by undecodable bytes, lone
# surrogates (bytes smuggled through "surrogateescape") and private-use code points.
_GARBAGE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd\ud800-\udfff\ue000-\uf8ff]")


def check_text(text: str) -> None:
    """Refuse input that is empty or binary garbage, with a message a person can act on."""
    if not text.strip():
        raise UnreadableReport("报告为空：没有可读取的文字")
    sample = text[:200000]
    bad = len(_GARBAGE.findall(sample))
    if bad > max(20, len(sample) // 50):
        raise UnreadableReport(
            f"不是可读的文本：含有 {bad} 个控制字符或无法解码的字节，可能是二进制文件或编码错误"
            "（请提供 UTF-8 或 GB18030 编码的文本）"
        )


def parse_text(text: str, *, source: str = "") -> tuple[AnnualReport, list[ParseNote]]:
    """Read a published annual report from its text into the canonical model, with notes."""
    check_text(text)
    return assemble(text_to_lines(text), source=source)


__all__ = ["check_text", "line_tokens", "parse_text", "text_to_lines"]
