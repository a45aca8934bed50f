"""Rows of a table: label-started runs of value tokens, read line by line."""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.annual_report.parsing.assemble.document import SPLIT_TRAILING, VALUE_END, DocLine
from gongkai.annual_report.parsing.base import Line, Token
from gongkai.annual_report.parsing.labels import (
    LabelMatcher,
    Match,
    Value,
    match_caption,
    read_value,
)

# -- rows of a table ---------------------------------------------------------------------------


@dataclass(slots=True)
class Placed:
    token: Token
    value: Value
    line: DocLine


@dataclass(slots=True)
class Row:
    key: str | None  # None: a group label that turned out to carry values
    printed: str
    line: DocLine
    match: Match | None
    group: str = ""
    values: list[Placed] = field(default_factory=list)
    last_line: int = -1
    capacity: int = 0  # how many values the row takes from lines after its own


def _explode(token: Token) -> list[Token]:
    """A token that is a label followed by single-spaced numbers ("行政许可 0 0") becomes the label
    and one token per number. Real table cells are never split."""
    text = token.text.rstrip()
    if token.cell or " " not in text or text[-1] not in VALUE_END:
        return [token]
    parts = SPLIT_TRAILING.split(token.text.strip())
    cut = len(parts)
    while cut > 0 and read_value(parts[cut - 1]) is not None:
        cut -= 1
    if cut == len(parts):
        return [token]
    out = [Token(" ".join(parts[:cut]), token.where, token.x)] if cut else []
    out += [Token(p, token.where, None) for p in parts[cut:]]
    return out


def exploded_tokens(line: Line) -> list[Token]:
    out: list[Token] = []
    for token in line.tokens:
        out.extend(_explode(token))
    return out


class RowReader:
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
        self.current: Row | None = None
        self.rows: list[Row] = []
        self.orphans: list[Placed] = []
        # Among column headers (above the first row, or repeated under a page break) "总计" and
        # "其他" are columns; a non-generic row label ends the header, a header word starts one.
        self.in_header = True
        self.table_lines: set[int] = set()
        # Labels printed one under another, their rows of figures after them (a conversion that
        # took a table apart): the rows still waiting for figures, and the figure lines held back
        # until it is clear how many there are.
        self.waiting: list[Row] = []
        self.held: list[list[Placed]] = []

    def feed(self, d: DocLine) -> None:
        marked = False
        tokens = d.line.tokens
        if tokens and not tokens[0].cell and any(" " in t.text for t in tokens):
            tokens = exploded_tokens(d.line)
        index = d.index
        if self._column_headers(tokens):
            # The header printed again under a page break: its "总计" is a column, not the row.
            self.table_lines.add(index)
            return
        figures = self._figure_line(tokens, d)
        if figures is not None and self.table == "requests" and len(self._unfilled()) >= 2:
            self.held.append(figures)
            self.table_lines.add(index)
            return
        if self.held:
            self._pair_held()
        pending_caption: str | None = None
        for token in tokens:
            value = read_value(token.text, token.cell)
            if value is not None:
                marked = True
                row = self.current
                # A complete row takes no more values from later lines: those belong to no row.
                if row is not None and (
                    len(row.values) < row.capacity or index == row.last_line or index == row.line.index
                ):
                    row.values.append(Placed(token, value, d))
                    row.last_line = index
                    self.waiting.clear()  # figures came after their own label: nothing was stacked
                else:
                    self.orphans.append(Placed(token, value, d))
                continue
            text = token.text.strip()
            if not text:
                continue
            if self.table == "proactive":
                item = match_caption(text)
                if item is not None:
                    marked = True
                    label = text[: text.find("第二十条")].strip() if "第二十条" in text else ""
                    if not label:
                        self.group = item
                        self._close()
                        continue
                    # A row label glued to the next block's caption across a page break ("行政许可
                    # 第二十条第（六）项"): the row takes this line's values, the caption the rows after.
                    pending_caption, text = item, label
            match = self.labels.match(text, self.group)
            if match is None:
                if len(text) - text.count(" ") <= 12:
                    marked = True  # fragments of labels cut by line breaks belong to the table
                continue
            marked = True
            kind = match.entry.kind
            if kind == "header":
                self.in_header = True
            elif kind == "row":
                self._start(match, text, d)
            elif kind == "group":
                self._group(match, text, d)
        if pending_caption is not None:
            self.group = pending_caption
            self._close()
        if marked or ("勾" in d.text and "勾稽关系" in d.norm):
            self.table_lines.add(index)

    @staticmethod
    def _figure_line(tokens: list[Token], d: DocLine) -> list[Placed] | None:
        """The figures of a line that holds a whole row of them and nothing else."""
        placed = []
        for token in tokens:
            value = read_value(token.text, token.cell)
            if value is None:
                return None
            placed.append(Placed(token, value, d))
        return placed if sum(p.value.kind != "blank" for p in placed) >= 2 else None

    def _unfilled(self) -> list[Row]:
        """Rows whose labels were printed one under another and that have no figures yet."""
        current = self.current
        if current is not None and current.key is not None and not current.values:
            return [*self.waiting, current]
        return []

    def _pair_held(self) -> None:
        """Stacked labels, then as many lines of figures: paired in order. Any other count is a
        layout that cannot be told apart; the figures are then attributed to no row."""
        rows = self._unfilled()
        if len(rows) == len(self.held):
            for row, figures in zip(rows, self.held, strict=True):
                row.values = figures
                row.last_line = figures[-1].line.index
        else:
            self.orphans.extend(p for figures in self.held for p in figures)
        self.held.clear()
        self.waiting.clear()

    def _column_headers(self, tokens: list[Token]) -> bool:
        """A row of column headers: no figure, at least two header words (自然人, 商业企业, 总计 …),
        and no row or group label but the generic ones a header shares with rows."""
        if len(tokens) < 2:
            return False
        headers = 0
        for token in tokens:
            value = read_value(token.text, token.cell)
            if value is not None:
                if value.kind != "blank":
                    return False
                continue
            text = token.text.strip()
            match = self.labels.match(text, self.group) if text else None
            if match is None:
                continue
            entry = match.entry
            if entry.kind == "header" or (entry.body in self.header_like and not match.numbering):
                headers += 1
            elif entry.kind in ("row", "group"):
                return False
        return headers >= 2

    def _start(self, match: Match, text: str, d: DocLine) -> None:
        entry = match.entry
        generic = entry.body in self.header_like and not match.numbering
        if generic and self.in_header:
            return  # "总计", "其他" among the column headers
        cur = self.current
        if cur is not None and cur.key == entry.key and not cur.values:
            return  # the same label again (a sub-table heading, then its row)
        if cur is not None and cur.key is not None and not cur.values and cur.line.index != d.index:
            self.waiting.append(cur)
        self._close()
        if not generic:
            self.in_header = False
        self.current = Row(
            entry.key, text, d, match, entry.group, [], -1, self.expected.get(entry.key or "", self.default)
        )
        if entry.group:
            self.group = entry.group

    def _group(self, match: Match, text: str, d: DocLine) -> None:
        self.group = match.entry.key
        cur = self.current
        if cur is not None and not cur.values:
            return  # a group label printed between a row's label and its values
        self._close()
        self.current = Row(None, text, d, match, match.entry.key, [], -1, self.expected.get("", self.default))

    def _close(self) -> None:
        if self.current is not None:
            self.rows.append(self.current)
            self.current = None

    def finish(self) -> list[Row]:
        if self.held:
            self._pair_held()
        self._close()
        return self.rows
