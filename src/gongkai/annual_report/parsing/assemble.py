"""Lines of tokens → ``(AnnualReport, [ParseNote])``: the one assembler behind every front end.

The front ends (plain text, PDF, DOCX, HTML) only cut their input into lines of tokens in reading
order. This module finds the six section headings, the region of each table, and inside a table the
statutory row labels; a row's values are the value tokens that follow its label until the next label.
Labels are recognised by ``labels.LabelMatcher`` (never by position alone), so broken labels,
vertical headers split into characters, group labels printed between rows, pages cut through a table
and sub-tables with generic headers all read the same way.

Values are placed in columns by count when a row has all of them, by horizontal position (against
the nearest complete row) when it has fewer, and left to right only when the tokens are real table
cells. A blank cell is ``None``; a value that cannot be read or placed is left out and a ``ParseNote``
says where and why. Nothing is ever filled with 0.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from gongkai.annual_report.formats import (
    APPEAL_GROUPS,
    SECTIONS,
    TEXT_SECTION_KEYS,
    ReportFormat,
    get_format,
)
from gongkai.annual_report.model import AnnualReport, Cell, TableData
from gongkai.annual_report.parsing.base import Line, ParseNote, Token, UnreadableReport
from gongkai.annual_report.parsing.detect import Detection, detect, expected_columns
from gongkai.annual_report.parsing.labels import (
    LabelMatcher,
    Match,
    Value,
    body_key,
    heading_prefix,
    match_caption,
    match_heading,
    match_heading_normalized,
    matcher,
    normalize,
    read_value,
)

TABLE_NAMES = {
    "proactive": "表二（主动公开政府信息情况）",
    "requests": "表三（收到和处理政府信息公开申请情况）",
    "appeals": "表四（政府信息公开行政复议、行政诉讼情况）",
}
_SHORT_TABLE_NAMES = {"proactive": "表二", "requests": "表三", "appeals": "表四"}
_SECTION_INDEX = {s.key: i for i, s in enumerate(SECTIONS)}
_TABLE_SECTIONS = ("proactive", "requests", "appeals")

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?)\s*$"
)
_PAGE_NUMBER_START = frozenset("-—–－第")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^<>\s]+)>")
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s*")
_SENTENCE_END = frozenset("。！？；：!?;")
_CLOSING = "”’」』\"'"
_ENUMERATION = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、是]|\d{1,2}[.、．])"
)
_SPLIT_TRAILING = re.compile(r"\s+")
_SPACED = re.compile(r"[\u4e00-\u9fff] [0-9A-Za-z]|[0-9A-Za-z] [\u4e00-\u9fff]")
_UNSPACED = re.compile(r"[\u4e00-\u9fff][0-9A-Za-z]|[0-9A-Za-z][\u4e00-\u9fff]")
_ALNUM_RUN = re.compile(r"[0-9A-Za-z]+")
# Lines longer than this are prose: no heading, title or table header is this long.
_LONG = 160
# Last characters of a value token ("12", "3件", "251000元", "—", "无", "/"): cheap pre-test.
_VALUE_END = frozenset("0123456789０１２３４５６７８９件个项条次篇份元无空—–-－―/／×xX*.·…~～%％用")
_HEADING_NUMERALS = frozenset("一二三四五六七八九十")


# -- document lines --------------------------------------------------------------------------------


@dataclass(slots=True)
class _DocLine:
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


def _clean_lines(lines: Sequence[Line]) -> list[_DocLine]:
    out: list[_DocLine] = []
    append = out.append
    doc_line = _DocLine
    for line in lines:
        tokens = line.tokens
        if len(tokens) == 1:
            text = tokens[0].text
            if not text.strip():
                if tokens[0].cell:  # a blank table cell is a value, keep its line
                    append(doc_line(len(out), line, text))
                continue
        elif tokens:
            text = " ".join([t.text for t in tokens if t.text])
            if not text.strip() and not any(t.cell for t in tokens):
                continue
        else:
            continue
        if len(text) <= 24 and text.lstrip()[:1] in _PAGE_NUMBER_START and _PAGE_NUMBER.match(text):
            continue
        append(doc_line(len(out), line, text))
    return out


# -- headings and regions ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Heading:
    key: str
    start: int
    end: int  # last line of the heading (a heading cut by a line break spans two)
    printed: str


def _printed(text: str) -> str:
    return _MARKDOWN_HEADING.sub("", text).strip()


def _find_headings(doc: list[_DocLine]) -> list[_Heading]:
    """The section headings in document order. A heading numbered "一、" wins over one numbered
    "（一）" (a sub-heading elsewhere may read like a section title); sections must come in order."""
    candidates: list[tuple[_Heading, bool]] = []
    # Cheap test before normalising: a numbered heading opens with its numeral, an unnumbered one
    # must spell out its words, which all end in 情况 or 事项.
    numerals = _HEADING_NUMERALS
    possible = [
        d
        for d in doc
        if len(d.text) <= _LONG
        and (d.text.lstrip("# \t\u3000")[:1] in numerals or "情况" in d.text or "事项" in d.text)
    ]
    after = 0  # the second line of a heading cut in two starts nothing
    for d in possible:
        i = d.index
        if i < after:
            continue
        norm = d.norm
        if len(norm) > 60 or not norm:
            continue
        text = d.text
        match = match_heading_normalized(norm)
        end = i
        printed = _printed(text) if match is not None else ""
        if match is None and i + 1 < len(doc) and heading_prefix(norm):
            joined = _printed(text) + _printed(doc[i + 1].text)
            match = match_heading(joined)
            if match is not None:
                end, printed = i + 1, joined
        if match is not None:
            candidates.append((_Heading(match.key, i, end, printed), match.weak))
            after = end + 1
    strong = {h.key for h, weak in candidates if not weak}
    found: list[_Heading] = []
    last = -1
    for heading, weak in candidates:
        if weak and heading.key in strong:
            continue
        index = _SECTION_INDEX[heading.key]
        if index > last:
            found.append(heading)
            last = index
    return found


def _regions(doc: list[_DocLine], headings: list[_Heading]) -> dict[str, tuple[int, int]]:
    """Line ranges ``[start, end)`` of each table: its section when the heading is there, else from
    the table's own first recognisable line."""
    by_key = {h.key: h for h in headings}
    starts: dict[str, int] = {}
    for key in _TABLE_SECTIONS:
        if key in by_key:
            starts[key] = by_key[key].end + 1
    if "proactive" not in starts:
        first = next((d.index for d in doc if match_caption(d.text)), None)
        if first is not None:
            starts["proactive"] = first
    if "requests" not in starts:
        after = starts.get("proactive", 0)
        first = next(
            (d.index for d in doc[after:] if "勾稽关系" in d.norm or "申请人情况" in d.norm),
            None,
        )
        if first is None:
            first = next((d.index for d in doc[after:] if "本年新收政府信息公开申请" in d.norm), None)
        if first is not None:
            starts["requests"] = first
    if "appeals" not in starts:
        after = starts.get("requests", starts.get("proactive", 0))
        for d in doc[after:]:
            norm = d.norm
            if norm.startswith("行政复议") or ("行政复议" in norm and "行政诉讼" in norm and len(norm) < 60):
                starts["appeals"] = d.index
                break
    boundaries = sorted({h.start for h in headings} | set(starts.values()))
    regions: dict[str, tuple[int, int]] = {}
    for key, start in starts.items():
        end = next((b for b in boundaries if b > start), len(doc))
        # A table's own start inside another's heading region ends that region there.
        regions[key] = (start, end)
    return regions


# -- rows of a table ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Placed:
    token: Token
    value: Value
    line: _DocLine


@dataclass(slots=True)
class _Row:
    key: str | None  # None: a group label that turned out to carry values
    printed: str
    line: _DocLine
    match: Match | None
    group: str = ""
    values: list[_Placed] = field(default_factory=list)
    last_line: int = -1
    capacity: int = 0  # how many values the row takes from lines after its own


def _explode(token: Token) -> list[Token]:
    """A token that is a label followed by single-spaced numbers ("行政许可 0 0") becomes the label
    and one token per number. Real table cells are never split."""
    text = token.text.rstrip()
    if token.cell or " " not in text or text[-1] not in _VALUE_END:
        return [token]
    parts = _SPLIT_TRAILING.split(token.text.strip())
    cut = len(parts)
    while cut > 0 and read_value(parts[cut - 1]) is not None:
        cut -= 1
    if cut == len(parts):
        return [token]
    out = [Token(" ".join(parts[:cut]), token.where, token.x)] if cut else []
    out += [Token(p, token.where, None) for p in parts[cut:]]
    return out


def _tokens(line: Line) -> list[Token]:
    out: list[Token] = []
    for token in line.tokens:
        out.extend(_explode(token))
    return out


class _RowReader:
    """Collects label-started rows of values for Table 二 or Table 三."""

    def __init__(
        self,
        table: str,
        labels: LabelMatcher,
        expected: dict[str, int],
        default: int,
        header_like: frozenset[str] = frozenset(),
    ) -> None:
        self.table = table
        # Row labels that are also column headers ("总计", "其他"): above the first row they are headers.
        self.header_like = header_like
        self.labels = labels
        self.expected = expected
        self.default = default
        self.group = ""  # the group (or Table 二 block) the rows are under, for ambiguous labels
        self.current: _Row | None = None
        self.rows: list[_Row] = []
        self.orphans: list[_Placed] = []
        self.started = False  # a non-generic row label was seen (column headers are behind us)
        self.table_lines: set[int] = set()

    def feed(self, d: _DocLine) -> None:
        marked = False
        tokens = d.line.tokens
        if tokens and not tokens[0].cell and any(" " in t.text for t in tokens):
            tokens = _tokens(d.line)
        index = d.index
        for token in tokens:
            value = read_value(token.text, token.cell)
            if value is not None:
                marked = True
                row = self.current
                # A complete row takes no more values from later lines: those belong to no row.
                if row is not None and (
                    len(row.values) < row.capacity or index == row.last_line or index == row.line.index
                ):
                    row.values.append(_Placed(token, value, d))
                    row.last_line = index
                else:
                    self.orphans.append(_Placed(token, value, d))
                continue
            text = token.text.strip()
            if not text:
                continue
            if self.table == "proactive":
                item = match_caption(text)
                if item is not None:
                    self.group = item
                    self._close()
                    marked = True
                    continue
            match = self.labels.match(text, self.group)
            if match is None:
                if len(text) - text.count(" ") <= 12:
                    marked = True  # fragments of labels cut by line breaks belong to the table
                continue
            marked = True
            kind = match.entry.kind
            if kind == "row":
                self._start(match, text, d)
            elif kind == "group":
                self._group(match, text, d)
        if marked or ("勾" in d.text and "勾稽关系" in d.norm):
            self.table_lines.add(index)

    def _start(self, match: Match, text: str, d: _DocLine) -> None:
        entry = match.entry
        generic = entry.body in self.header_like and not match.numbering
        if generic and not self.started:
            return  # "总计", "其他" among the column headers above the first row
        cur = self.current
        if cur is not None and cur.key == entry.key and not cur.values:
            return  # the same label again (a sub-table heading, then its row)
        self._close()
        if not generic:
            self.started = True
        self.current = _Row(
            entry.key, text, d, match, entry.group, [], -1, self.expected.get(entry.key or "", self.default)
        )
        if entry.group:
            self.group = entry.group

    def _group(self, match: Match, text: str, d: _DocLine) -> None:
        self.group = match.entry.key
        cur = self.current
        if cur is not None and not cur.values:
            return  # a group label printed between a row's label and its values
        self._close()
        self.current = _Row(
            None, text, d, match, match.entry.key, [], -1, self.expected.get("", self.default)
        )

    def _close(self) -> None:
        if self.current is not None:
            self.rows.append(self.current)
            self.current = None

    def finish(self) -> list[_Row]:
        self._close()
        return self.rows


# -- placing values into columns ---------------------------------------------------------------


@dataclass
class _Result:
    data: TableData = field(default_factory=dict)
    notes: list[ParseNote] = field(default_factory=list)
    provenance: dict[tuple[str, str, str], str] = field(default_factory=dict)


def _note(
    result: _Result,
    code: str,
    message: str,
    where: str = "",
    table: str = "",
    row: str = "",
    column: str = "",
    severity: str = "warning",
) -> None:
    result.notes.append(ParseNote(code, message, where, table, row, column, severity))  # type: ignore[arg-type]


def _x_positions(values: list[_Placed]) -> list[float] | None:
    xs = [p.token.x for p in values]
    if any(x is None for x in xs):
        return None
    return [float(x) for x in xs if x is not None]


def _map_by_x(xs: list[float], reference: list[float]) -> list[int] | None:
    """Column index for each value by the nearest reference position; None when two values would
    share a column or the order would be broken (the positions do not line up)."""
    if len(reference) < 2:
        return None
    widest = max(b - a for a, b in itertools.pairwise(reference))
    out: list[int] = []
    for x in xs:
        j = min(range(len(reference)), key=lambda k: abs(reference[k] - x))
        if abs(reference[j] - x) > max(widest, 1.0):
            return None
        if out and j <= out[-1]:
            return None
        out.append(j)
    return out


def _reference(row: _Row, complete: list[_Row], n: int) -> list[float] | None:
    """Positions of the values of the nearest complete row with the same number of columns."""
    best: tuple[int, list[float]] | None = None
    for other in complete:
        if len(other.values) != n:
            continue
        xs = _x_positions(other.values)
        if xs is None or xs != sorted(xs):
            continue
        distance = abs(other.line.index - row.line.index)
        if best is None or distance < best[0]:
            best = (distance, xs)
    return best[1] if best else None


def _trim_blanks(values: list[_Placed], n: int) -> list[_Placed]:
    """Drop explicit blank cells at the ends of a row that has too many (empty merged cells)."""
    values = list(values)
    while len(values) > n and values and values[-1].value.kind == "blank":
        values.pop()
    while len(values) > n and values and values[0].value.kind == "blank":
        values.pop(0)
    return values


def _columns_for(
    row: _Row,
    columns: Sequence[tuple[str, str, str]],
    complete: list[_Row],
    table: str,
    result: _Result,
    label: str,
) -> list[tuple[int, _Placed]] | None:
    """``(column index, value)`` pairs for a row, or None when its values cannot be placed."""
    n = len(columns)
    values = row.values
    # In text extracted from PDFs an empty cell is layout debris; only real cells keep blanks.
    if len(values) > n:
        values = _trim_blanks(values, n)
    if len(values) > n:
        numbers = [p for p in values if p.value.kind != "blank" or not p.token.cell]
        if len(numbers) == n:
            values = numbers
    if len(values) == n:
        return list(enumerate(values))
    where = row.line.where
    if len(values) > n:
        _note(
            result,
            "cell_extra",
            f"{_SHORT_TABLE_NAMES[table]}“{label}”行有 {len(values)} 个数值，应有 {n} 个，无法确定对应的列，未采用",
            where,
            table,
            row.key or "",
        )
        return None
    xs = _x_positions(values)
    placed: list[int] | None = None
    reference = _reference(row, complete, n)
    if xs is not None and reference is not None:
        placed = _map_by_x(xs, reference)
    if placed is None and values and all(p.token.cell for p in values):
        placed = list(range(len(values)))
    if placed is None:
        _note(
            result,
            "cell_unplaced",
            f"{_SHORT_TABLE_NAMES[table]}“{label}”行只有 {len(values)} 个数值（应有 {n} 个），"
            "无法判断各数值所在的列，未采用",
            where,
            table,
            row.key or "",
        )
        return None
    present = {j for j in placed}
    missing = [columns[j][1] for j in range(n) if j not in present]
    got = [columns[j][1] for j in placed]
    if missing:
        _note(
            result,
            "cell_missing",
            f"{_SHORT_TABLE_NAMES[table]}“{label}”行只有 {len(values)} 个数值（应有 {n} 个），"
            f"按位置对应到 {'、'.join(got) or '（无）'}；{'、'.join(missing)} 缺失",
            where,
            table,
            row.key or "",
        )
    return list(zip(placed, values, strict=True))


def _cell_value(
    placed: _Placed,
    kind: str,
    table: str,
    row_key: str,
    column: tuple[str, str, str],
    result: _Result,
    row_label: str = "",
) -> tuple[bool, Cell]:
    """``(readable, value)`` of one placed token for a column of ``kind``."""
    value = placed.value
    if value.kind == "blank":
        return True, None  # before the note texts below: reports leave many cells blank
    col_key, col_label, _ = column
    where = placed.token.where or placed.line.where
    place = f"{_SHORT_TABLE_NAMES[table]}“{row_label}”行 {col_label} 列" if row_label else col_label
    if value.kind == "text":
        _note(
            result,
            "non_numeric",
            f"{where}{place}印的是“{value.text}”，不是数字，按空白处理",
            where,
            table,
            row_key,
            col_key,
        )
        return True, None
    number = value.number
    assert number is not None
    if kind == "money":
        if value.unit == "元":
            converted = number / Decimal(10000)
            _note(
                result,
                "unit_converted",
                f"{where}{place}写作“{value.text}”（单位：元），已换算为 {converted} 万元",
                where,
                table,
                row_key,
                col_key,
            )
            return True, converted
        return True, number
    if not value.integer:
        _note(
            result,
            "not_integer",
            f"{where}{place}的“{value.text}”不是整数，未采用",
            where,
            table,
            row_key,
            col_key,
        )
        return False, None
    return True, value.whole if value.whole is not None else int(number)


def _fill(
    table: str,
    rows: list[_Row],
    columns_of: Mapping[str, Sequence[tuple[str, str, str]]],
    labels_of: dict[str, str],
    result: _Result,
) -> set[str]:
    """Put each row's values into ``result.data``; returns the keys of the rows found with a label."""
    seen: set[str] = set()
    complete = [r for r in rows if r.key is not None and len(r.values) == len(columns_of.get(r.key, ()))]
    for row in rows:
        if row.key is None:
            numbers = [p for p in row.values if p.value.kind == "number"]
            if numbers and table == "requests" and row.group == "other":
                # A 2021 report printing （六）其他处理 as the single row of the 2019 format.
                _note(
                    result,
                    "row_format_mismatch",
                    f"{row.line.where}“{row.printed}”印成了一行数值（2019 版写法），2021 版应分为 1—3 项，"
                    "无法分配到各项，未采用",
                    row.line.where,
                    table,
                    "other",
                )
            elif numbers:
                _note(
                    result,
                    "group_values",
                    f"{_SHORT_TABLE_NAMES[table]}分组标题“{row.printed}”一行印有数值（如小计），"
                    "不属于任何法定行，未采用",
                    row.line.where,
                    table,
                    severity="info",
                )
            continue
        if row.key not in columns_of:
            if row.values:
                _note(
                    result,
                    "row_format_mismatch",
                    f"{_SHORT_TABLE_NAMES[table]}“{row.printed}”行属于另一版格式，与本报告的格式不符，其数值未采用",
                    row.line.where,
                    table,
                    row.key,
                )
            continue
        seen.add(row.key)
        if not row.values:
            continue
        if row.key in result.data:
            _note(
                result,
                "row_duplicate",
                f"{_SHORT_TABLE_NAMES[table]}“{labels_of[row.key]}”行出现了不止一次，只采用第一次的数值",
                row.line.where,
                table,
                row.key,
            )
            continue
        if row.match is not None and row.match.approximate:
            how = (
                "是另一版格式的写法"
                if row.match.entry.foreign and row.match.how != "fuzzy"
                else "不完全一致，按近似匹配识别"
            )
            _note(
                result,
                "label_variant",
                f"{row.line.where}的“{row.printed}”与法定行名“{labels_of[row.key]}”{how}",
                row.line.where,
                table,
                row.key,
                severity="info",
            )
        columns = columns_of[row.key]
        pairs = _columns_for(row, columns, complete, table, result, labels_of[row.key])
        if pairs is None:
            result.data[row.key] = {}
            continue
        key = row.key
        provenance = result.provenance
        # Pairs come in column order (placement never reorders values), so the row's dict is in
        # the format's column order as it is filled.
        cells: dict[str, Cell] = {}
        for j, placed in pairs:
            column = columns[j]
            whole = placed.value.whole
            cell: Cell
            if whole is not None and column[2] != "money":
                cells[column[0]] = whole  # the common case: a plain count
            else:
                readable, cell = _cell_value(placed, column[2], table, key, column, result, labels_of[key])
                if not readable:
                    continue
                cells[column[0]] = cell
            provenance[(table, key, column[0])] = placed.token.where or placed.line.where
        result.data[key] = cells
    return seen


def _orphan_notes(table: str, orphans: list[_Placed], result: _Result) -> None:
    for placed in orphans:
        if placed.value.kind != "number":
            continue
        _note(
            result,
            "value_orphan",
            f"{placed.line.where}的数值“{placed.value.text}”不属于{_SHORT_TABLE_NAMES[table]}中任何可识别的行，未采用",
            placed.token.where or placed.line.where,
            table,
        )


# -- the three tables ----------------------------------------------------------------------------


_Columns = list[tuple[str, str, str]]
_Layout = tuple[dict[str, _Columns], dict[str, str], dict[str, int], frozenset[str]]
_LAYOUTS: dict[tuple[int, str], tuple[ReportFormat, _Layout]] = {}


def _table_layout(fmt: ReportFormat, table: str) -> _Layout:
    """Columns ``(key, label, kind)`` and statutory label of each row of Table 二 or 三, how many
    values each row takes, and the column headers that also read as row labels. The same for every
    report of a format: built once (by identity: formats are module constants). Callers only read."""
    hit = _LAYOUTS.get((id(fmt), table))
    if hit is not None and hit[0] is fmt:
        return hit[1]
    columns_of: dict[str, _Columns] = {}
    labels_of: dict[str, str] = {}
    header_like: frozenset[str] = frozenset()
    if table == "proactive":
        for block in fmt.proactive:
            for statutory in block.rows:
                columns_of[statutory.key] = [(c.key, c.label, c.kind) for c in block.columns]
                labels_of[statutory.key] = statutory.label
    else:
        cols: _Columns = [(c.key, c.label, c.kind) for c in fmt.request_columns]
        columns_of = {row.key: cols for row in fmt.request_rows}
        labels_of = {row.key: row.label for row in fmt.request_rows}
        header_like = frozenset(body_key(c.label) for c in fmt.request_columns)
    layout = (columns_of, labels_of, {k: len(v) for k, v in columns_of.items()}, header_like)
    if len(_LAYOUTS) > 32:  # formats built on the fly (tests) must not pile up
        _LAYOUTS.clear()
    _LAYOUTS[(id(fmt), table)] = (fmt, layout)
    return layout


def _read_proactive(
    doc: list[_DocLine], region: tuple[int, int], fmt: ReportFormat
) -> tuple[_Result, set[int]]:
    columns_of, labels_of, expected, _ = _table_layout(fmt, "proactive")
    reader = _RowReader("proactive", matcher("proactive", fmt.id), expected, 3)
    for d in doc[region[0] : region[1]]:
        reader.feed(d)
    rows = reader.finish()
    result = _Result()
    _fill("proactive", rows, columns_of, labels_of, result)
    _orphan_notes("proactive", reader.orphans, result)
    # A parent row printed only to hold sub-rows (其他对外管理服务事项 → 行政检查/行政确认) has no
    # values of its own; the sub-rows carry them.
    for key in list(result.data):
        if not result.data[key] and any(k.startswith(key + ".") and result.data.get(k) for k in result.data):
            del result.data[key]
    empty_parents = {
        r.key for r in rows if r.key and not r.values and any(k.startswith(f"{r.key}.") for k in result.data)
    }
    for row in rows:
        if (
            row.key in columns_of
            and not row.values
            and row.key not in result.data
            and row.key not in empty_parents
        ):
            if any(r.key == row.key and r.values for r in rows):
                continue
            _note(
                result,
                "row_empty",
                f"{row.line.where}表二“{labels_of[row.key]}”行没有数值",
                row.line.where,
                "proactive",
                row.key,
            )
    if result.data:
        for block in fmt.proactive:
            for statutory in block.rows:
                key = statutory.key
                if statutory.optional or key in result.data or key in empty_parents:
                    continue
                if any(k.startswith(key + ".") for k in result.data) or any(r.key == key for r in rows):
                    continue
                _note(
                    result,
                    "row_missing",
                    f"表二{block.caption}缺少“{statutory.label}”行",
                    table="proactive",
                    row=key,
                )
    return result, reader.table_lines


def _read_requests(
    doc: list[_DocLine], region: tuple[int, int], fmt: ReportFormat
) -> tuple[_Result, set[int]]:
    columns_of, labels_of, expected, header_like = _table_layout(fmt, "requests")
    reader = _RowReader(
        "requests", matcher("requests", fmt.id), expected, len(fmt.request_columns), header_like
    )
    for d in doc[region[0] : region[1]]:
        reader.feed(d)
    rows = reader.finish()
    result = _Result()
    seen = _fill("requests", rows, columns_of, labels_of, result)
    _orphan_notes("requests", reader.orphans, result)
    if result.data:
        for row in fmt.request_rows:
            if row.key in result.data:
                continue
            if row.key in seen:
                _note(
                    result,
                    "row_empty",
                    f"表三“{row.label}”行没有数值",
                    table="requests",
                    row=row.key,
                )
            else:
                _note(result, "row_missing", f"表三缺少“{row.label}”行", table="requests", row=row.key)
    return result, reader.table_lines


@lru_cache(maxsize=4096)
def _appeal_group(text: str) -> str:
    """The Table 四 group a label names: "行政诉讼（复议后起诉）", "未经复议直接起诉", "行政复议 / 结果维持"."""
    norm = normalize(text)
    if "未经复议" in norm or "直接起诉" in norm:
        return "litigation_direct"
    if "复议后起诉" in norm:
        return "litigation_after_review"
    if norm.startswith("行政复议"):
        return "review"
    return ""


def _read_appeals(
    doc: list[_DocLine], region: tuple[int, int], fmt: ReportFormat
) -> tuple[_Result, set[int]]:
    labels = matcher("appeals", fmt.id)
    cols = [(c.key, c.label, c.kind) for c in fmt.appeal_columns]
    groups = [g.key for g in APPEAL_GROUPS]
    runs: list[tuple[str, list[_Placed]]] = []
    group = ""
    fresh = True
    table_lines: set[int] = set()
    for d in doc[region[0] : region[1]]:
        tokens = d.line.tokens
        if any(" " in t.text for t in tokens):  # else nothing to explode
            tokens = _tokens(d.line)
        for token in tokens:
            value = read_value(token.text, token.cell)
            if value is not None:
                if fresh or not runs:
                    runs.append((group, []))
                    fresh = False
                runs[-1][1].append(_Placed(token, value, d))
                table_lines.add(d.index)
                continue
            text = token.text.strip()
            if not text:
                continue
            found = _appeal_group(text)
            if found:
                group = found
                fresh = True
                table_lines.add(d.index)
            elif labels.match(text) is not None or len(text) - text.count(" ") <= 12:
                table_lines.add(d.index)
    result = _Result()
    n = len(cols)
    everything = [p for _, run in runs for p in run]
    if not everything:
        return result, table_lines
    assignment: dict[str, list[_Placed]] = {}
    labelled = all(g for g, _ in runs) and len({g for g, _ in runs}) == len(runs)
    if labelled and (len(runs) > 1 or len(everything) != n * len(groups)):
        # Each group printed as its own row or sub-table under its own label, in any order.
        assignment = {g: run for g, run in runs}
    elif len(everything) == n * len(groups):
        assignment = {g: everything[i * n : (i + 1) * n] for i, g in enumerate(groups)}
    else:
        numbers = [p for p in everything if p.value.kind == "number"]
        if len(numbers) == n * len(groups):
            assignment = {g: numbers[i * n : (i + 1) * n] for i, g in enumerate(groups)}
        else:
            _note(
                result,
                "table_unreadable",
                f"表四应有 {n * len(groups)} 个数值，读到 {len(everything)} 个，无法确定对应关系，未采用",
                everything[0].line.where,
                "appeals",
            )
            return result, table_lines
    for g in groups:
        run = assignment.get(g)
        label = next(x.label for x in APPEAL_GROUPS if x.key == g)
        if run is None:
            _note(result, "row_missing", f"表四缺少“{label}”的数值", table="appeals", row=g)
            continue
        fake = _Row(g, label, run[0].line, None, values=run)
        pairs = _columns_for(fake, cols, [], "appeals", result, label)
        cells: dict[str, Cell] = {}
        if pairs is not None:
            for j, placed in pairs:
                readable, cell = _cell_value(placed, cols[j][2], "appeals", g, cols[j], result, label)
                if readable:
                    cells[cols[j][0]] = cell
                    result.provenance[("appeals", g, cols[j][0])] = placed.token.where or placed.line.where
        result.data[g] = {c[0]: cells[c[0]] for c in cols if c[0] in cells}
    return result, table_lines


# -- section texts -------------------------------------------------------------------------------


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip().rstrip(_CLOSING)
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def _is_subheading(text: str) -> bool:
    return len(text) <= 20 and bool(_ENUMERATION.match(text)) and "，" not in text and "," not in text


def _spaced_style(lines: Sequence[_DocLine]) -> bool:
    """Whether the prose puts a space between Chinese and numbers or Latin words ("共 36 份"): a
    line break at such a place then swallowed a space, which joining must put back."""
    spaced, unspaced = _mixed_counts("\n".join([d.text for d in lines]))
    return spaced > unspaced


def _mixed_counts(text: str) -> tuple[int, int]:
    """``len(_SPACED.findall(text)), len(_UNSPACED.findall(text))``, computed faster: every match
    holds a digit or Latin letter at one end of a run of them, so only the (few) run ends are looked
    at. findall takes matches left to right without overlap; so does this, by remembering where the
    last counted match of each kind ended."""
    spaced = unspaced = 0
    spaced_end = unspaced_end = 0
    n = len(text)
    for run in _ALNUM_RUN.finditer(text):
        start, end = run.span()
        if start >= 1:  # a match ending with the run's first character
            before = text[start - 1]
            if "\u4e00" <= before <= "\u9fff":
                if start - 1 >= unspaced_end:
                    unspaced += 1
                    unspaced_end = start + 1
            elif (
                before == " "
                and start >= 2
                and "\u4e00" <= text[start - 2] <= "\u9fff"
                and start - 2 >= spaced_end
            ):
                spaced += 1
                spaced_end = start + 1
        if end < n:  # a match starting with the run's last character
            after = text[end]
            if "\u4e00" <= after <= "\u9fff":
                if end - 1 >= unspaced_end:
                    unspaced += 1
                    unspaced_end = end + 1
            elif (
                after == " "
                and end + 1 < n
                and "\u4e00" <= text[end + 1] <= "\u9fff"
                and end - 1 >= spaced_end
            ):
                spaced += 1
                spaced_end = end + 2
    return spaced, unspaced


def _mixed_boundary(a: str, b: str) -> bool:
    """A Chinese character next to a digit or Latin letter."""
    return (_is_han(a) and b.isascii() and b.isalnum()) or (a.isascii() and a.isalnum() and _is_han(b))


def _join(left: str, right: str, spaced: bool) -> str:
    if spaced and left and right and _mixed_boundary(left[-1], right[0]):
        return f"{left} {right}"
    return left + right


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _paragraphs(lines: Sequence[_DocLine]) -> str:
    """Paragraphs joined with "\\n": a line continues the previous one unless that one ends a
    sentence, is a short numbered sub-heading, or is a block of its own (a markdown heading or a
    whole cell of flattened HTML)."""
    spaced: bool | None = None  # decided on the first join that needs it
    paragraphs: list[str] = []
    current = ""
    current_lines = 0
    closed = True
    for d in lines:
        raw = d.text
        heading = raw.lstrip().startswith("#")
        text = (_MARKDOWN_HEADING.sub("", raw) if heading else raw).strip()
        if "<" in text:
            text = _AUTOLINK.sub(r"\1", text)
        if not text:
            continue
        tokens = d.line.tokens
        block = len(tokens) == 1 and tokens[0].cell
        join = current and not closed and not heading and not block
        if join:
            # _ends_sentence(current), inline: this runs for every line of prose.
            tail = current.rstrip().rstrip(_CLOSING)
            join = not (tail and tail[-1] in _SENTENCE_END) and not (
                current_lines == 1 and _is_subheading(current)
            )
        if join:
            if spaced is None and _mixed_boundary(current[-1], text[0]):
                spaced = _spaced_style(lines)
            current = _join(current, text, bool(spaced))
            current_lines += 1
        else:
            if current:
                paragraphs.append(current)
            current = text
            current_lines = 1
        closed = heading or block
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs)


def _prose_lines(span: Sequence[_DocLine], table_lines: set[int]) -> list[_DocLine]:
    """The lines of a table section that are prose, not table."""
    out: list[_DocLine] = []
    previous_prose = False
    for d in span:
        if d.index in table_lines:
            previous_prose = False
            continue
        text = d.text.strip()
        if not text:
            continue
        continuing = previous_prose and out and not _ends_sentence(out[-1].text)
        if continuing or (len(text) >= 20 and any(ch in text for ch in "，。；,;")):
            out.append(d)
            previous_prose = True
        else:
            previous_prose = False
    return out


def _strip_signature(lines: list[_DocLine], detection: Detection) -> list[_DocLine]:
    """Drop the organisation name and date printed under the last section."""
    org = normalize(detection.organisation)
    out = list(lines)
    while out:
        norm = normalize(out[-1].text)
        is_date = bool(re.fullmatch(r"[(（]?\d{4}年\d{1,2}月\d{1,2}日[)）]?", norm))
        if is_date or (org and norm in (org, org.removesuffix("办事处"))):
            out.pop()
            continue
        break
    return out


# -- assembling ------------------------------------------------------------------------------------


def _missing_list(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return "、".join(names[:-1]) + " 和 " + names[-1]


def assemble(lines: Sequence[Line], *, source: str = "") -> tuple[AnnualReport, list[ParseNote]]:
    """The annual report in ``lines`` and the notes on everything that could not be read exactly.

    Raises ``UnreadableReport`` (one line, in Chinese) when the lines are not an annual report."""
    doc = _clean_lines(lines)
    if not any(d.text.strip() for d in doc):
        raise UnreadableReport("报告为空：没有可读取的文字")
    detection = detect([d.text for d in doc])
    headings = _find_headings(doc)
    fmt = get_format(detection.format, detection.variant)
    regions = _regions(doc, headings)
    notes: list[ParseNote] = []
    readers = {"proactive": _read_proactive, "requests": _read_requests, "appeals": _read_appeals}
    results: dict[str, _Result] = {}
    table_lines: set[int] = set()
    for key, read in readers.items():
        if key in regions:
            result, lines_used = read(doc, regions[key], fmt)
            results[key] = result
            table_lines |= lines_used
    found_tables = [k for k in readers if k in results and any(results[k].data.values())]
    if not found_tables and len(headings) < 3:
        missing = [TABLE_NAMES[k] for k in readers]
        found = f"；法定的六个章节标题只找到 {len(headings)} 个" if headings else ""
        raise UnreadableReport(f"不是政府信息公开工作年度报告：未找到 {_missing_list(missing)}{found}")
    year = detection.year
    if year is None:
        raise UnreadableReport("无法确定报告年度：标题和正文中都没有“某某年”")
    where_title = doc[detection.title_line].where if detection.title_line is not None else ""
    if not detection.year_from_title:
        notes.append(
            ParseNote(
                "year_inferred",
                f"标题中没有报告年度，按正文推断为 {year} 年",
                severity="warning",
            )
        )
    organisation = detection.organisation
    if not organisation:
        organisation = "未识别的机关"
        notes.append(ParseNote("organisation_missing", "没有找到发布机关的名称（标题中应写明）", where_title))
    for key in readers:
        if key not in found_tables:
            notes.append(
                ParseNote(
                    "table_missing", f"没有找到{TABLE_NAMES[key]}或其中的数值", table=key, severity="warning"
                )
            )
    found_keys = {h.key for h in headings}
    for section in SECTIONS:
        if section.key not in found_keys:
            notes.append(
                ParseNote("section_missing", f"没有找到章节标题“{section.heading}”", severity="warning")
            )
    sections: dict[str, str] = {}
    for i, heading in enumerate(headings):
        end = headings[i + 1].start if i + 1 < len(headings) else len(doc)
        span = [d for d in doc[heading.end + 1 : end]]
        if heading.key in TEXT_SECTION_KEYS:
            body = [d for d in span if d.index not in table_lines]
            if i + 1 == len(headings):
                body = _strip_signature(body, detection)
            sections[heading.key] = _paragraphs(body)
        else:
            sections[heading.key] = _paragraphs(_prose_lines(span, table_lines))
    report = AnnualReport(
        organisation=organisation,
        year=year,
        format=fmt.id,
        variant=fmt.variant,
        published_on=detection.published_on,
        sections=sections,
        headings=[h.printed for h in headings] if headings else None,
    )
    for key, result in results.items():
        setattr(report, key, {row: cells for row, cells in result.data.items()})
        notes.extend(result.notes)
        report.provenance.update(result.provenance)
    if source:
        notes = [
            ParseNote(n.code, n.message, n.where or source, n.table, n.row, n.column, n.severity)
            for n in notes
        ]
    return report, notes


__all__ = ["TABLE_NAMES", "assemble", "expected_columns"]
