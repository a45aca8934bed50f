"""Plain-text front end: text extracted from a PDF (tab- or space-aligned cells, ``pdftotext -layout``),
web-page tables flattened one cell per line, or Markdown-like conversions → ``Line``s → ``assemble``.

Each line is cut into tokens according to what it looks like:

- a Markdown table row (``| a | b |``) gives one real cell per column (its blanks are blank cells);
- a line with tabs gives one token per tab-separated piece, positioned by piece index;
- in a document whose tables were flattened one cell per line (blank cells kept as a line holding
  only spaces), each line is one real cell;
- anything else is cut at runs of two or more spaces, positioned by character column, and a label
  followed by single-spaced numbers ("行政许可 0 0 0") is split into the label and the numbers.
"""

from __future__ import annotations

import re

from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.parsing.assemble import assemble
from gongkai.annual_report.parsing.base import Line, ParseNote, Token, UnreadableReport
from gongkai.annual_report.parsing.labels import read_value

_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
# Last characters of a value ("12", "3件", "251000元", "—", "无", "/"): a piece ending otherwise has
# no trailing numbers to split off.
_VALUE_END = frozenset("0123456789０１２３４５６７８９件个项条次篇份元无空—–-－―/／×xX*.·…~～%％用")


_new = object.__new__


def _token(text: str, where: str, x: float | None = None, cell: bool = False) -> Token:
    """``Token(text, where, x, cell)``, built faster. Token is a frozen dataclass whose generated
    ``__init__`` sets each field through ``object.__setattr__``; that alone was most of this front
    end's time (the text audit must manage ≥ 500 reports/s per core). Filling the instance dict
    (item by item: the fastest way) builds an identical, equal and equally hashable token. The hot
    loops below inline it."""
    token = _new(Token)
    fields = token.__dict__
    fields["text"] = text
    fields["where"] = where
    fields["x"] = x
    fields["cell"] = cell
    return token


_SLOTTED = hasattr(Token, "__slots__")
if _SLOTTED:  # a slotted Token has no instance dict: use its own constructor
    _token = Token


def _gapped(stripped: str) -> bool:
    """A gap between cells: two spaces (plain or no-break) in a row, or an ideographic space."""
    if "  " in stripped or "\u3000" in stripped:
        return True
    return "\u00a0" in stripped and (
        "\u00a0\u00a0" in stripped or " \u00a0" in stripped or "\u00a0 " in stripped
    )


def _flattened(raw_lines: list[str]) -> bool:
    """Tables flattened one cell per line keep blank cells as lines of spaces; PDF text does not
    (it has tabs or runs of spaces between cells instead)."""
    blank_cells = sum(1 for line in raw_lines if line and not line.strip())
    if blank_cells < 3:
        return False
    most = len(raw_lines) // 20  # gapped * 20 <= len(raw_lines)
    gapped = 0
    for line in raw_lines:
        if "\t" in line or _gapped(line.strip()):
            gapped += 1
            if gapped > most:
                return False
    return True


def _split_layout(text: str, where: str) -> list[Token]:
    """Cut a line at runs of spaces; x is the character column. Trailing single-spaced numbers after
    a label become their own tokens."""
    stripped = text.lstrip()
    if (
        stripped
        and stripped[-1] not in _VALUE_END
        and "  " not in stripped
        and "\u3000" not in stripped
        and "\u00a0" not in stripped
    ):
        # One piece with nothing to split off: most prose lines.
        return [_token(stripped, where, float(len(text) - len(stripped)))]
    tokens: list[Token] = []
    append = tokens.append
    new = _new
    # Pieces are words joined by single (plain or no-break) spaces. str.split finds the words in C
    # far faster than a pattern can skip the long runs of spaces of layout text; each word starts
    # at the first non-space character after the previous one, which is where find() meets it.
    pieces: list[list[tuple[int, str]]] = []
    end = 0
    for word in text.split():
        x = text.find(word, end)
        if pieces and x == end + 1 and text[end] in " \u00a0":
            pieces[-1].append((x, word))
        else:
            pieces.append([(x, word)])
        end = x + len(word)
    for words in pieces:
        offset, first = words[0]
        if len(words) == 1:
            # One word: nothing to split off.
            if _SLOTTED:
                append(Token(first, where, float(offset)))
            else:
                token = new(Token)
                fields = token.__dict__
                fields["text"] = first
                fields["where"] = where
                fields["x"] = float(offset)
                fields["cell"] = False
                append(token)
            continue
        last_x, last = words[-1]
        piece = text[offset : last_x + len(last)]
        if last[-1] not in _VALUE_END:
            append(_token(piece, where, float(offset)))  # no trailing numbers to split off
            continue
        cut = len(words)
        while cut > 0 and read_value(words[cut - 1][1]) is not None:
            cut -= 1
        if cut == len(words):
            append(_token(piece, where, float(offset)))
            continue
        if cut:
            label_end = words[cut - 1][0] + len(words[cut - 1][1]) - offset
            append(_token(piece[:label_end], where, float(offset)))
        tokens += [_token(word, where, float(x)) for x, word in words[cut:]]
    return tokens


def _cells_line(cells: list[str], where: str) -> Line:
    """A line of real table cells (a Markdown row, cells unstripped), positioned by cell index."""
    if _SLOTTED:
        return Line([Token(c.strip(), where, float(i), True) for i, c in enumerate(cells)], where)
    new = _new
    tokens: list[Token] = []
    append = tokens.append
    for i, cell in enumerate(cells):
        token = new(Token)
        fields = token.__dict__
        fields["text"] = cell.strip()
        fields["where"] = where
        fields["x"] = float(i)
        fields["cell"] = True
        append(token)
    return Line(tokens, where)


# Every token of a line carries its line number as text: the first few thousand are made once.
_WHERE_COUNT = 2000
_WHERES = tuple(f"第 {number} 行" for number in range(_WHERE_COUNT))


def _tab_tokens(raw: str, where: str) -> list[Token]:
    """One token per non-empty tab-separated piece, positioned by piece index."""
    if _SLOTTED:
        return [Token(c, where, float(i)) for i, p in enumerate(raw.split("\t")) if (c := p.strip())]
    new = _new
    tokens: list[Token] = []
    append = tokens.append
    for i, piece in enumerate(raw.split("\t")):
        cell = piece.strip()
        if cell:
            token = new(Token)
            fields = token.__dict__
            fields["text"] = cell
            fields["where"] = where
            fields["x"] = float(i)
            fields["cell"] = False
            append(token)
    return tokens


def text_to_lines(text: str) -> list[Line]:
    """The tokens of every non-empty line, each with its line number as provenance."""
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    flattened = _flattened(raw_lines)
    lines: list[Line] = []
    append = lines.append
    token = _token
    new = _new
    fast = not _SLOTTED
    wheres = _WHERES
    x: float | None
    for number, raw in enumerate(raw_lines, 1):
        stripped = raw.strip()
        if not stripped:
            if flattened and raw:
                where = wheres[number] if number < _WHERE_COUNT else f"第 {number} 行"
                append(Line([token("", where, None, True)], where))
            continue
        where = wheres[number] if number < _WHERE_COUNT else f"第 {number} 行"
        if stripped[0] == "|" and stripped.count("|") >= 2:
            # The separator row needs "--" somewhere: only then is the full pattern worth trying.
            if "--" in stripped and _MD_SEPARATOR.match(stripped):
                continue
            body = stripped[1:]
            if body.endswith("|"):
                body = body[:-1]
            append(_cells_line(body.split("|"), where))
            continue
        if "\t" in raw:
            tokens = _tab_tokens(raw, where)
            if tokens:
                append(Line(tokens, where))
            continue
        if flattened:
            x, whole_cell = None, True
        elif (
            stripped[-1] not in _VALUE_END
            and "  " not in stripped
            and "\u3000" not in stripped
            and "\u00a0" not in stripped
        ):
            # _split_layout's first case, without the call: one piece, nothing to split off.
            x, whole_cell = float(len(raw) - len(raw.lstrip())), False
        else:
            tokens = _split_layout(raw.rstrip(), where)
            if tokens:
                append(Line(tokens, where))
            continue
        # The whole line is one token (most lines): built inline, as in _token.
        if fast:
            one = new(Token)
            fields = one.__dict__
            fields["text"] = stripped
            fields["where"] = where
            fields["x"] = x
            fields["cell"] = whole_cell
        else:
            one = Token(stripped, where, x, whole_cell)
        append(Line([one], where))
    return lines


# Characters that no report contains: control characters, U+FFFD left by undecodable bytes, lone
# surrogates (bytes smuggled through "surrogateescape") and private-use code points.
_GARBAGE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd\ud800-\udfff\ue000-\uf8ff]")


def _garbage(text: str) -> int:
    return len(_GARBAGE.findall(text))


def check_text(text: str) -> None:
    """Refuse input that is empty or binary garbage, with a message a person can act on."""
    if not text.strip():
        raise UnreadableReport("报告为空：没有可读取的文字")
    sample = text[:200000]
    bad = _garbage(sample)
    if bad > max(20, len(sample) // 50):
        raise UnreadableReport(
            f"不是可读的文本：含有 {bad} 个控制字符或无法解码的字节，可能是二进制文件或编码错误"
            "（请提供 UTF-8 或 GB18030 编码的文本）"
        )


def parse_text(text: str, *, source: str = "") -> tuple[AnnualReport, list[ParseNote]]:
    """Read a published annual report from its text into the canonical model, with notes."""
    check_text(text)
    return assemble(text_to_lines(text), source=source)


__all__ = ["check_text", "parse_text", "text_to_lines"]
