"""Write a consistent AnnualReport out the way real offices' reports look once converted to text.

The test of real-world layout variation (issue 9) builds a report, picks a ``Layout`` (one value on
each axis below), writes the report with ``write_report`` to a .txt/.md/.html/.docx file and reads
it back with ``audit_file``. The axes, each a field of ``Layout``:

1. ``cells``: how table cells are delimited. Tabs (PDF → Word → text); runs of spaces with the
   columns aligned (``pdftotext -layout``); Markdown pipes with and without the ``|---|`` row;
   pipes without outer pipes; full-width spaces (U+3000); one cell per line (web tables flattened);
   an HTML ``<table>`` with rowspan/colspan; a DOCX table.
2. ``header``/``balance_note``: Table 三's header over three, two or one lines, with or without the
   勾稽关系 note in its top-left cell.
3. ``groups``: the group labels （三）不予公开 … and 三、本年度办理结果 printed once over their rows
   (rowspan), repeated on every row, or on a line of their own.
4. ``appeals``: Table 四 horizontal (the statutory two-level header over one row of 15 figures), or
   vertical with one row per group or one row per result.
5. Row labels: ``numbering`` (1. 1、 （1） (1) ① none), ``brackets`` (（一） or (一)), ``quotes``
   around 三安全一稳定, a ``typo`` in one long label, one label ``broken`` over two lines.
6. ``headings``: the section headings as printed (no 一、总体情况, 五 and 六 merged, other wordings).
7. ``other_single_row``: a 2021 report printing （六）其他处理 as the single row of the 2019 format.
8. ``page_break``: a page-number line inside Table 三, with the table header repeated after it.

The generator does not use gongkai's renderers for Tables 三 and 四 (they print the one statutory
layout); Table 二 is not varied and is laid out from ``rendering.layout.proactive_grids``.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from gongkai.annual_report.formats import (
    APPEAL_COLUMNS,
    APPEAL_GROUPS,
    APPLICANT_HEADER,
    BALANCE_NOTE,
    GROUP_OTHER,
    LEGAL_PERSONS_HEADER,
    LITIGATION_HEADER,
    RESULTS_HEADER,
    SECTIONS,
    Row,
)
from gongkai.annual_report.model import AnnualReport, Cell, TableData
from gongkai.annual_report.rendering.layout import cell_text, proactive_grids, section_lines

# -- the axes ---------------------------------------------------------------------------------------

CELL_STYLES = (
    "tabs",
    "spaces",
    "markdown",
    "markdown_no_separator",
    "pipes",
    "ideographic",
    "one_per_line",
    "html",
    "docx",
)
HEADER_STYLES = ("3", "2", "2b", "1")  # "2": 申请人情况 / 7 labels; "2b": 自然人 法人… 总计 / 5 labels
GROUP_STYLES = ("first", "every", "own_line")
APPEAL_STYLES = ("horizontal", "by_group", "by_result")
NUMBERINGS = ("1.", "1、", "（1）", "(1)", "①", "")
BRACKETS = ("full", "half")
QUOTES = ("“”", '""', "「」", "‘’", "")
HEADING_STYLES = ("statutory", "no_overview", "merged_5_6", "problems_wording", "problems_long")
PAGE_STYLES = ("", "dash", "of_total")

# A misspelling real reports carry, per row: (statutory text, as printed). The first two (the
# issue's examples) drop characters; the others substitute one (OCR or typing slips).
TYPOS: dict[str, tuple[str, str]] = {
    "refused.law_forbidden": ("其他法律行政法规禁止公开", "其他法律行政止公开"),
    "unavailable.not_held": ("本机关不掌握相关政府信息", "本机关不掌握相关信息"),
    "unavailable.needs_creation": ("没有现成信息需要另行制作", "没有现成信息需要另外制作"),
    "unavailable.unclear": ("补正后申请内容仍不明确", "补正后申请内容扔不明确"),
    "refused.internal": ("属于三类内部事务信息", "属于三类内部事物信息"),
    "not_processed.complaint": ("信访举报投诉类申请", "信访举报投诉类中请"),
    "not_processed.confirm": ("要求行政机关确认或重新出具已获取信息", "要求行政机关确认或重新出具已获得信息"),
    "new_received": ("本年新收政府信息公开申请数量", "本年新收政府信息公开申请数最"),
    "carried_forward": ("结转下年度继续办理", "结转下年度继续力理"),
}
BROKEN_ROWS = ("new_received", "partial", "unavailable.not_held", "not_processed.confirm", "carried_forward")


@dataclass(frozen=True)
class Layout:
    cells: str = "tabs"
    header: str = "3"
    balance_note: bool = True
    groups: str = "first"
    appeals: str = "horizontal"
    numbering: str = "1."
    brackets: str = "full"
    quotes: str = "“”"
    typo: str = ""  # row key whose label is misspelt ("" none)
    broken: str = ""  # row key whose label is broken over two lines ("" none)
    headings: str = "statutory"
    other_single_row: bool = False  # 2021 only
    page_break: str = ""
    # Table 三 body row after which the page breaks (index into the printed body rows).
    break_after: int = 9

    @property
    def suffix(self) -> str:
        return {"html": ".html", "docx": ".docx", "markdown": ".md", "markdown_no_separator": ".md"}.get(
            self.cells, ".txt"
        )

    def changes(self) -> str:
        """The axes on which this layout differs from the baseline, as a short id."""
        base = Layout()
        out = []
        for f in fields(self):
            if f.name == "break_after" and not self.page_break:
                continue
            value = getattr(self, f.name)
            if value != getattr(base, f.name):
                out.append(f"{f.name}={value!r}".replace("'", ""))
        return ",".join(out) or "baseline"


BASELINE = Layout()


def single_axis_layouts(format_id: str) -> list[Layout]:
    """The baseline and every layout that changes exactly one axis of it (7 only for 2021)."""
    out = [BASELINE]
    out += [replace(BASELINE, cells=v) for v in CELL_STYLES if v != BASELINE.cells]
    out += [replace(BASELINE, header=v) for v in HEADER_STYLES if v != BASELINE.header]
    out.append(replace(BASELINE, balance_note=False))
    out += [replace(BASELINE, groups=v) for v in GROUP_STYLES if v != BASELINE.groups]
    out += [replace(BASELINE, appeals=v) for v in APPEAL_STYLES if v != BASELINE.appeals]
    out += [replace(BASELINE, numbering=v) for v in NUMBERINGS if v != BASELINE.numbering]
    out.append(replace(BASELINE, brackets="half"))
    out += [replace(BASELINE, quotes=v) for v in QUOTES if v != BASELINE.quotes]
    out += [replace(BASELINE, typo=k) for k in TYPOS]
    out += [replace(BASELINE, broken=k) for k in BROKEN_ROWS]
    out += [replace(BASELINE, headings=v) for v in HEADING_STYLES if v != BASELINE.headings]
    if format_id == "2021":
        out.append(replace(BASELINE, other_single_row=True))
    out += [replace(BASELINE, page_break=v) for v in PAGE_STYLES if v]
    return out


@st.composite
def layouts(draw: Any, format_id: str, cells: str | None = None) -> Layout:
    """Any combination of the axes (``cells`` fixed when given)."""
    return Layout(
        cells=cells or draw(st.sampled_from(CELL_STYLES)),
        header=draw(st.sampled_from(HEADER_STYLES)),
        balance_note=not draw(st.booleans()),  # shrinks towards the baseline, as every axis does
        groups=draw(st.sampled_from(GROUP_STYLES)),
        appeals=draw(st.sampled_from(APPEAL_STYLES)),
        numbering=draw(st.sampled_from(NUMBERINGS)),
        brackets=draw(st.sampled_from(BRACKETS)),
        quotes=draw(st.sampled_from(QUOTES)),
        typo=draw(st.sampled_from(("", "", *TYPOS))),
        broken=draw(st.sampled_from(("", "", *BROKEN_ROWS))),
        headings=draw(st.sampled_from(HEADING_STYLES)),
        other_single_row=format_id == "2021" and draw(st.booleans()),
        page_break=draw(st.sampled_from(PAGE_STYLES)),
        break_after=draw(st.integers(1, 24)),
    )


# -- a fixed 2021 example ---------------------------------------------------------------------------


def shuyang_2025() -> AnnualReport:
    """A 2021-format report with the real figures of 沭阳县人民政府 2025 (shared/samples), whose
    Tables 三 and 四 are consistent and mostly non-zero, so a misplaced figure shows."""
    cols = ("natural_person", "commercial", "research", "public_interest", "legal_service", "other")
    rows: dict[str, tuple[int, ...]] = {
        "new_received": (705, 3, 0, 0, 5, 0),
        "carried_over": (36, 0, 0, 0, 0, 0),
        "granted": (290, 1, 0, 0, 3, 0),
        "partial": (99, 0, 0, 0, 2, 0),
        "refused.state_secret": (0, 0, 0, 0, 0, 0),
        "refused.law_forbidden": (0, 0, 0, 0, 0, 0),
        "refused.three_securities": (2, 0, 0, 0, 0, 0),
        "refused.third_party": (2, 0, 0, 0, 0, 0),
        "refused.internal": (13, 0, 0, 0, 0, 0),
        "refused.process": (2, 0, 0, 0, 0, 0),
        "refused.enforcement": (4, 0, 0, 0, 0, 0),
        "refused.query": (9, 0, 0, 0, 0, 0),
        "unavailable.not_held": (111, 0, 0, 0, 0, 0),
        "unavailable.needs_creation": (2, 0, 0, 0, 0, 0),
        "unavailable.unclear": (0, 0, 0, 0, 0, 0),
        "not_processed.complaint": (12, 0, 0, 0, 0, 0),
        "not_processed.repeated": (6, 1, 0, 0, 0, 0),
        "not_processed.publication": (0, 0, 0, 0, 0, 0),
        "not_processed.excessive": (0, 0, 0, 0, 0, 0),
        "not_processed.confirm": (0, 0, 0, 0, 0, 0),
        "other.no_correction": (9, 0, 0, 0, 0, 0),
        "other.unpaid_fee": (7, 0, 0, 0, 0, 0),
        "other.other": (142, 1, 0, 0, 0, 0),
        "total": (710, 3, 0, 0, 5, 0),
        "carried_forward": (31, 0, 0, 0, 0, 0),
    }
    requests: TableData = {}
    for key, values in rows.items():
        row: dict[str, Cell] = dict(zip(cols, values, strict=True))
        row["total"] = sum(values)
        requests[key] = row
    appeals: TableData = {}
    for group, values in (
        ("review", (27, 10, 9, 15)),
        ("litigation_direct", (3, 0, 0, 0)),
        ("litigation_after_review", (8, 0, 1, 1)),
    ):
        appeals[group] = dict(zip(("upheld", "corrected", "other", "pending"), values, strict=True))
        appeals[group]["total"] = sum(values)

    return AnnualReport(
        organisation="沭阳县人民政府",
        year=2025,
        format="2021",
        published_on=dt.date(2026, 1, 23),
        sections={
            "overview": "2025年，我县坚持以群众需求为导向，聚焦重点领域和关键环节，努力让政务信息看得懂、用得上、易监督。\n"
            "全县全年共受理政府信息公开申请749件，共办理718件，结转下一年31件。",
            "proactive": "",
            "requests": "",
            "appeals": "",
            "problems": "一是政策解读多样性需进一步加强。二是依申请办件质量需进一步提升。\n"
            "针对上述问题，我县坚持问题导向、目标导向、结果导向，精准施策、靶向发力。",
            "other": "我县认真落实《政府信息公开信息处理费管理办法》要求，全县行政机关在办理2025年度信息公开申请中"
            "收取信息处理费共计380元。",
        },
        proactive={
            "art20_1.rules": {"issued": 0, "repealed": 0, "in_force": 0},
            "art20_1.normative_documents": {"issued": 6, "repealed": 1, "in_force": 32},
            "art20_5.licensing": {"decisions": 517645},
            "art20_6.penalty": {"decisions": 693957},
            "art20_6.enforcement": {"decisions": 2154},
            "art20_8.fees": {"amount_wan": Decimal("4068.208")},
        },
        requests=requests,
        appeals=appeals,
    )


# -- a table as a grid of anchor cells ---------------------------------------------------------------


@dataclass(frozen=True)
class GCell:
    text: str  # "\n" marks where a label breaks over two lines
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    number: bool = False  # a figure cell (blank or not)
    header: bool = False


@dataclass
class Grid:
    n_cols: int
    header_rows: int = 0
    cells: list[GCell] = field(default_factory=list)
    n_rows: int = 0

    def new_row(self) -> int:
        self.n_rows += 1
        return self.n_rows - 1

    def put(self, col: int, text: str, *, rowspan: int = 1, colspan: int = 1, number: bool = False) -> None:
        row = self.n_rows - 1
        header = row < self.header_rows
        self.cells.append(GCell(text, row, col, rowspan, colspan, number, header))

    def anchors(self, row: int) -> list[GCell]:
        return sorted((c for c in self.cells if c.row == row), key=lambda c: c.col)

    def check(self) -> None:
        seen: set[tuple[int, int]] = set()
        for c in self.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    assert (r, k) not in seen, (r, k, c)
                    seen.add((r, k))
        missing = {(r, k) for r in range(self.n_rows) for k in range(self.n_cols)} - seen
        assert not missing, sorted(missing)


def split_grid(grid: Grid, body_row: int) -> tuple[Grid, Grid]:
    """The grid cut after ``body_row`` body rows; the second part repeats the header rows, and a
    cell merged over the cut continues there as an empty cell (as a table split over two pages)."""
    cut = grid.header_rows + body_row
    first = Grid(grid.n_cols, grid.header_rows, n_rows=cut)
    second = Grid(grid.n_cols, grid.header_rows, n_rows=grid.header_rows + grid.n_rows - cut)
    shift = cut - grid.header_rows
    for c in grid.cells:
        if c.row < grid.header_rows:
            first.cells.append(c)
            second.cells.append(c)
        elif c.row < cut:
            if c.row + c.rowspan > cut:
                first.cells.append(replace(c, rowspan=cut - c.row))
                rest = c.row + c.rowspan - cut
                second.cells.append(replace(c, text="", row=grid.header_rows, rowspan=rest))
            else:
                first.cells.append(c)
        else:
            second.cells.append(replace(c, row=c.row - shift))
    return first, second


# -- labels --------------------------------------------------------------------------------------

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
_HALF = str.maketrans({"（": "(", "）": ")", "，": ","})


def _number(n: int, style: str) -> str:
    return _CIRCLED[n - 1] if style == "①" else style.replace("1", str(n))


def row_label(row: Row, layout: Layout, index: int) -> str:
    """A row's label as this layout prints it (``index`` counts the leaf rows of its group)."""
    label = row.label
    if row.key in TYPOS and layout.typo == row.key:
        right, wrong = TYPOS[row.key]
        label = label.replace(right, wrong)
    if row.group and row.group != RESULTS_HEADER:
        body = label.split(".", 1)[1]
        label = _number(index, layout.numbering) + body
    elif layout.brackets == "half":
        label = label.translate(_HALF)
    if "“三安全一稳定”" in label:
        q = layout.quotes
        label = label.replace("“三安全一稳定”", f"{q[:1]}三安全一稳定{q[1:]}")
    if layout.broken == row.key:
        cut = len(label) // 2
        label = label[:cut] + "\n" + label[cut:]
    return label


def group_label(text: str, layout: Layout) -> str:
    return text.translate(_HALF) if layout.brackets == "half" else text


# -- Table 三 ------------------------------------------------------------------------------------


def printed_request_rows(report: AnnualReport, layout: Layout) -> list[tuple[Row, dict[str, Cell]]]:
    """Table 三's rows as printed, with their values (（六） as one row if the layout says so)."""
    fmt = report.report_format
    out: list[tuple[Row, dict[str, Cell]]] = []
    single_done = False
    for row in fmt.request_rows:
        if layout.other_single_row and row.group == GROUP_OTHER:
            if not single_done:
                out.append((Row("other", GROUP_OTHER, group=RESULTS_HEADER), other_group_sums(report)))
                single_done = True
            continue
        out.append((row, dict(report.requests.get(row.key, {}))))
    return out


def other_group_sums(report: AnnualReport) -> dict[str, Cell]:
    """（六）其他处理 per column: the 2019 row itself, or the sum of the 2021 rows 1–3."""
    fmt = report.report_format
    if fmt.id == "2019":
        return dict(report.requests.get("other", {}))
    leaves = [r.key for r in fmt.request_rows if r.group == GROUP_OTHER]
    out: dict[str, Cell] = {}
    for col in fmt.request_columns:
        values = [report.requests.get(k, {}).get(col.key) for k in leaves]
        if all(isinstance(v, int) for v in values):
            out[col.key] = sum(v for v in values if isinstance(v, int))
    return out


def requests_grid(report: AnnualReport, layout: Layout) -> Grid:
    fmt = report.report_format
    columns = fmt.request_columns
    legal = columns[1:-1]
    label_cols = 1 if layout.groups == "own_line" else 3
    d = label_cols
    n_header = {"3": 3, "2": 2, "2b": 2, "1": 1}[layout.header]
    g = Grid(label_cols + len(columns), header_rows=n_header)
    g.new_row()
    g.put(0, BALANCE_NOTE if layout.balance_note else "", rowspan=n_header, colspan=label_cols)
    if layout.header == "3":
        g.put(d, APPLICANT_HEADER, colspan=len(columns))
        g.new_row()
        g.put(d, columns[0].label, rowspan=2)
        g.put(d + 1, LEGAL_PERSONS_HEADER, colspan=len(legal))
        g.put(d + 1 + len(legal), columns[-1].label, rowspan=2)
        g.new_row()
        for i, c in enumerate(legal):
            g.put(d + 1 + i, c.label)
    elif layout.header == "2":
        g.put(d, APPLICANT_HEADER, colspan=len(columns))
        g.new_row()
        for i, c in enumerate(columns):
            g.put(d + i, c.label)
    elif layout.header == "2b":
        g.put(d, columns[0].label, rowspan=2)
        g.put(d + 1, LEGAL_PERSONS_HEADER, colspan=len(legal))
        g.put(d + 1 + len(legal), columns[-1].label, rowspan=2)
        g.new_row()
        for i, c in enumerate(legal):
            g.put(d + 1 + i, c.label)
    else:
        for i, c in enumerate(columns):
            g.put(d + i, c.label)

    def values(cells: dict[str, Cell]) -> None:
        for i, c in enumerate(columns):
            g.put(d + i, cell_text(cells.get(c.key)), number=True)

    printed = printed_request_rows(report, layout)
    own_line = layout.groups == "own_line"
    every = layout.groups == "every"
    i = 0
    while i < len(printed):
        row, cells = printed[i]
        if not row.group:
            g.new_row()
            g.put(0, row_label(row, layout, 0), colspan=label_cols)
            values(cells)
            i += 1
            continue
        # The run of outcome rows under 三、本年度办理结果.
        run_end = i
        while run_end < len(printed) and printed[run_end][0].group:
            run_end += 1
        if own_line:
            g.new_row()
            g.put(0, RESULTS_HEADER, colspan=g.n_cols)
        run_start = i
        while i < run_end:
            row, cells = printed[i]
            group = row.group
            group_end = i + 1
            while group != RESULTS_HEADER and group_end < run_end and printed[group_end][0].group == group:
                group_end += 1
            if own_line and group != RESULTS_HEADER:
                g.new_row()
                g.put(0, group_label(group, layout), colspan=g.n_cols)
            for n, (leaf, leaf_cells) in enumerate(printed[i:group_end], start=1):
                g.new_row()
                label = row_label(leaf, layout, n)
                if own_line:
                    g.put(0, label)
                else:
                    if every or (i == run_start and n == 1):
                        g.put(0, RESULTS_HEADER, rowspan=1 if every else run_end - run_start)
                    if group == RESULTS_HEADER:
                        g.put(1, label, colspan=2)
                    else:
                        if every or n == 1:
                            g.put(1, group_label(group, layout), rowspan=1 if every else group_end - i)
                        g.put(2, label)
                values(leaf_cells)
            i = group_end
    g.check()
    return g


# -- Table 四 ------------------------------------------------------------------------------------


def appeals_grid(report: AnnualReport, layout: Layout) -> Grid:
    outcomes = APPEAL_COLUMNS
    review, direct, after = APPEAL_GROUPS

    def value(group: str, col: str) -> str:
        return cell_text(report.appeals.get(group, {}).get(col))

    if layout.appeals == "horizontal":
        w = len(outcomes)
        g = Grid(w * 3, header_rows=3)
        g.new_row()
        g.put(0, review.label, colspan=w)
        g.put(w, LITIGATION_HEADER, colspan=2 * w)
        g.new_row()
        for i, c in enumerate(outcomes):
            g.put(i, c.label, rowspan=2)
        g.put(w, direct.label, colspan=w)
        g.put(2 * w, after.label, colspan=w)
        g.new_row()
        for k in (1, 2):
            for i, c in enumerate(outcomes):
                g.put(k * w + i, c.label)
        g.new_row()
        for k, group in enumerate(APPEAL_GROUPS):
            for i, c in enumerate(outcomes):
                g.put(k * w + i, value(group.key, c.key), number=True)
    elif layout.appeals == "by_group":
        g = Grid(2 + len(outcomes), header_rows=1)
        g.new_row()
        g.put(0, "", colspan=2)
        for i, c in enumerate(outcomes):
            g.put(2 + i, c.label)
        for group in APPEAL_GROUPS:
            g.new_row()
            if group is review:
                g.put(0, review.label, colspan=2)
            else:
                if group is direct:
                    g.put(0, LITIGATION_HEADER, rowspan=2)
                g.put(1, group.label)
            for i, c in enumerate(outcomes):
                g.put(2 + i, value(group.key, c.key), number=True)
    else:
        g = Grid(4, header_rows=2)
        g.new_row()
        g.put(0, "", rowspan=2)
        g.put(1, review.label, rowspan=2)
        g.put(2, LITIGATION_HEADER, colspan=2)
        g.new_row()
        g.put(2, direct.label)
        g.put(3, after.label)
        for c in outcomes:
            g.new_row()
            g.put(0, c.label)
            for k, group in enumerate(APPEAL_GROUPS):
                g.put(1 + k, value(group.key, c.key), number=True)
    g.check()
    return g


# -- Table 二 (not varied) -------------------------------------------------------------------------


def proactive_tables(report: AnnualReport) -> list[Grid]:
    out = []
    for tg in proactive_grids(report):
        g = Grid(tg.n_cols, header_rows=1 + tg.header_rows, n_rows=1 + tg.n_rows)
        g.cells.append(GCell(tg.caption, 0, 0, 1, tg.n_cols, header=True))
        for c in tg.cells:
            g.cells.append(
                GCell(c.text, c.row + 1, c.col, c.rowspan, c.colspan, c.role == "value", c.role == "header")
            )
        g.check()
        out.append(g)
    return out


# -- the document as blocks -------------------------------------------------------------------------

Block = tuple[str, Any]  # ("title" | "heading" | "para" | "page", text) or ("table", Grid)

_RENUMBERED = ("一、", "二、", "三、", "四、", "五、")


def _heading_text(report: AnnualReport, key: str) -> str:
    section = next(s for s in SECTIONS if s.key == key)
    if report.headings:
        return report.headings[[s.key for s in SECTIONS].index(key)]
    return section.heading


def document_blocks(report: AnnualReport, layout: Layout) -> list[Block]:
    blocks: list[Block] = [
        ("title", report.organisation),
        ("title", f"{report.year}年政府信息公开工作年度报告"),
        ("para", "依据《中华人民共和国政府信息公开条例》第五十条之规定，制作本报告。"),
    ]
    keys = [s.key for s in SECTIONS]
    for pos, key in enumerate(keys):
        heading = _heading_text(report, key)
        if layout.headings == "no_overview":
            heading = "" if key == "overview" else _RENUMBERED[pos - 1] + heading.split("、", 1)[1].lstrip()
        elif layout.headings == "merged_5_6" and key in ("problems", "other"):
            heading = "五、存在的主要问题及改进情况和其他需要报告的事项" if key == "problems" else ""
        elif layout.headings == "problems_wording" and key == "problems":
            heading = "五、存在的主要问题和改进情况"
        elif layout.headings == "problems_long" and key == "problems":
            heading = "五、政府信息公开工作存在的主要问题及改进情况"
        if heading:
            blocks.append(("heading", heading))
        blocks += [("para", line) for line in section_lines(report, key)]
        if key == "proactive":
            blocks += [("table", g) for g in proactive_tables(report)]
        elif key == "requests":
            grid = requests_grid(report, layout)
            body_rows = grid.n_rows - grid.header_rows
            if layout.page_break and 0 < layout.break_after < body_rows:
                first, second = split_grid(grid, layout.break_after)
                page = 3 if report.format == "2019" else 4
                text = f"- {page} -" if layout.page_break == "dash" else f"第 {page} 页 共 8 页"
                blocks += [("table", first), ("page", text), ("table", second)]
            else:
                blocks.append(("table", grid))
        elif key == "appeals":
            blocks.append(("table", appeals_grid(report, layout)))
    blocks.append(("para", report.organisation))
    if report.published_on is not None:
        d = report.published_on
        blocks.append(("para", f"{d.year}年{d.month}月{d.day}日"))
    return blocks


# -- writing ------------------------------------------------------------------------------------------


def write_report(report: AnnualReport, layout: Layout, directory: Path, name: str = "report") -> Path:
    path = directory / f"{name}{layout.suffix}"
    blocks = document_blocks(report, layout)
    if layout.cells == "docx":
        path.write_bytes(render_docx(blocks))
    elif layout.cells == "html":
        path.write_text(render_html(blocks), encoding="utf-8")
    else:
        path.write_text(render_text(blocks, layout.cells), encoding="utf-8")
    return path


def render_text(blocks: list[Block], style: str) -> str:
    out: list[str] = []
    md = style.startswith("markdown")
    for kind, value in blocks:
        if kind == "table":
            out += table_lines(value, style)
            out.append("")
            continue
        if kind == "title":
            out.append(("# " if md else "") + value)
        elif kind == "heading":
            out.append(("## " if md else "") + value)
        elif kind == "page":
            out.append(" " * 30 + value if style == "spaces" else value)
        else:
            out.append(value)
        out.append("")
    return "\n".join(out) + "\n"


def _physical(grid: Grid, row: int) -> Iterator[list[tuple[GCell, str]]]:
    """The text lines of one grid row: a label broken over two lines makes a second line."""
    anchors = grid.anchors(row)
    depth = max((len(c.text.split("\n")) for c in anchors), default=1)
    for k in range(depth):
        yield [(c, parts[k] if k < len(parts := c.text.split("\n")) else "") for c in anchors]


def table_lines(grid: Grid, style: str) -> list[str]:
    if style == "spaces":
        return _layout_lines(grid)
    lines: list[str] = []
    for row in range(grid.n_rows):
        for k, line in enumerate(_physical(grid, row)):
            if style in ("tabs", "markdown", "markdown_no_separator"):
                full = [""] * grid.n_cols
                for c, text in line:
                    full[c.col] = text
                if style == "tabs":
                    lines.append("\t".join(full))
                else:
                    lines.append("| " + " | ".join(full) + " |")
                    if style == "markdown" and row == 0 and k == 0:
                        lines.append("|" + "---|" * grid.n_cols)
            elif style in ("pipes", "ideographic"):
                keep = [text for c, text in line if text or (c.number and k == 0)]
                if keep:
                    lines.append((" | " if style == "pipes" else "\u3000").join(keep))
            elif style == "one_per_line":
                lines += [text or " " for c, text in line if text or k == 0]
            else:
                raise ValueError(style)
    return lines


def _layout_lines(grid: Grid, gap: int = 2) -> list[str]:
    """``pdftotext -layout``: every column starts at one character position; figures and header
    cells are centred in their column, labels start at its left edge."""
    widths = [0] * grid.n_cols
    for c in sorted(grid.cells, key=lambda c: c.colspan):
        need = max(len(p) for p in c.text.split("\n"))
        have = sum(widths[c.col : c.col + c.colspan]) + gap * (c.colspan - 1)
        if need > have:
            widths[c.col + c.colspan - 1] += need - have
    starts = [sum(widths[:i]) + gap * i for i in range(grid.n_cols)]
    lines: list[str] = []
    for row in range(grid.n_rows):
        for line in _physical(grid, row):
            buf = [" "] * (starts[-1] + widths[-1] + 1)
            for c, text in line:
                span = sum(widths[c.col : c.col + c.colspan]) + gap * (c.colspan - 1)
                at = starts[c.col] + ((span - len(text)) // 2 if c.number or c.header else 0)
                buf[at : at + len(text)] = text
            lines.append("".join(buf).rstrip())
    return lines


def render_html(blocks: list[Block]) -> str:
    parts = ['<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>年度报告</title></head><body>']
    for kind, value in blocks:
        if kind == "title":
            parts.append(f'<p style="text-align:center"><strong>{html.escape(value)}</strong></p>')
        elif kind == "heading":
            parts.append(f"<p><strong>{html.escape(value)}</strong></p>")
        elif kind in ("para", "page"):
            parts.append(f"<p>{html.escape(value)}</p>")
        else:
            grid: Grid = value
            parts.append('<table border="1" cellspacing="0" cellpadding="0"><tbody>')
            for row in range(grid.n_rows):
                tds = []
                for c in grid.anchors(row):
                    span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (
                        f' colspan="{c.colspan}"' if c.colspan > 1 else ""
                    )
                    text = "<br/>".join(html.escape(p) for p in c.text.split("\n"))
                    tds.append(f"<td{span}><p>{text}</p></td>")
                parts.append("<tr>" + "".join(tds) + "</tr>")
            parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def render_docx(blocks: list[Block]) -> bytes:
    """A Word document; merged cells are written as Word stores them (w:gridSpan across, w:vMerge
    down), which is also far faster than python-docx's ``merge``."""
    import docx
    from docx.table import _Cell

    document = docx.Document()
    for kind, value in blocks:
        if kind in ("title", "heading"):
            document.add_paragraph().add_run(value).bold = True
        elif kind in ("para", "page"):
            document.add_paragraph(value)
        else:
            grid: Grid = value
            table = document.add_table(rows=0, cols=grid.n_cols)
            table.style = "Table Grid"
            cover = {
                (r, k): c
                for c in grid.cells
                for r in range(c.row, c.row + c.rowspan)
                for k in range(c.col, c.col + c.colspan)
            }
            for r in range(grid.n_rows):
                tr = table._tbl.add_tr()
                k = 0
                while k < grid.n_cols:
                    anchor = cover[(r, k)]
                    tc = tr.add_tc()
                    tc_pr = tc.get_or_add_tcPr()
                    if anchor.colspan > 1:
                        tc_pr.grid_span = anchor.colspan
                    if anchor.rowspan > 1:
                        tc_pr.vMerge_val = "restart" if anchor.row == r else "continue"
                    if anchor.row == r and anchor.text:
                        cell = _Cell(tc, table)
                        first, *rest = anchor.text.split("\n")
                        cell.text = first
                        for part in rest:
                            cell.add_paragraph(part)
                    k += anchor.colspan
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- what the reader should find -----------------------------------------------------------------------

HEADLINE_ROWS = ("new_received", "carried_over", "granted", "partial", "total", "carried_forward")
OUTCOME_GROUPS = ("refused", "unavailable", "not_processed", "other")
HEADLINES = (
    *(f"requests.{r}" for r in HEADLINE_ROWS),
    *(f"requests.{g}" for g in OUTCOME_GROUPS),
    *(f"appeals.{g.key}" for g in APPEAL_GROUPS),
)


def headline_figures(report: AnnualReport) -> dict[str, int]:
    """The 13 headline figures a report yields (one missing when any cell it needs was not read):
    the 总计 column of Table 三's top rows, the four outcome-group sums, the three Table 四 totals.
    A 2021 group （六） may come as its leaves or (a reader's choice) as a row ``other``."""
    fmt = report.report_format
    req = report.requests
    out: dict[str, int] = {}

    def total(row: str) -> int | None:
        v = req.get(row, {}).get("total")
        return v if isinstance(v, int) and not isinstance(v, bool) else None

    for row in HEADLINE_ROWS:
        if (v := total(row)) is not None:
            out[f"requests.{row}"] = v
    for group in OUTCOME_GROUPS:
        if group == "other" and (v := total("other")) is not None:
            out["requests.other"] = v
            continue
        leaves = [r.key for r in fmt.request_rows if r.key.startswith(group + ".")]
        values = [total(k) for k in leaves]
        if leaves and all(v is not None for v in values):
            out[f"requests.{group}"] = sum(v for v in values if v is not None)
    for g in APPEAL_GROUPS:
        v = report.appeals.get(g.key, {}).get("total")
        if isinstance(v, int):
            out[f"appeals.{g.key}"] = v
    return out


def printed_cells(report: AnnualReport, layout: Layout) -> dict[tuple[str, str, str], Cell]:
    """Every figure of Tables 三 and 四 the written document prints, keyed (table, row, column)."""
    out: dict[tuple[str, str, str], Cell] = {}
    for row, cells in printed_request_rows(report, layout):
        for col, v in cells.items():
            out[("requests", row.key, col)] = v
    for group, cells in report.appeals.items():
        for col, v in cells.items():
            out[("appeals", group, col)] = v
    return out


def misread_cells(
    source: AnnualReport, read: AnnualReport, layout: Layout
) -> list[tuple[tuple[str, str, str], Cell, Cell | str]]:
    """Cells of Tables 三/四 the reader returned with another value than the document prints:
    (cell, read, printed). A cell the document does not print (the 2021 rows （六）1–3 printed
    as one row) may only come back absent or blank."""
    printed = printed_cells(source, layout)
    wrong: list[tuple[tuple[str, str, str], Cell, Cell | str]] = []
    for table in ("requests", "appeals"):
        for row, cols in read.table(table).items():
            for col, value in cols.items():
                key = (table, row, col)
                if key in printed:
                    if value != printed[key] or type(value) is not type(printed[key]):
                        wrong.append((key, value, printed[key]))
                elif value is not None:
                    wrong.append((key, value, "（文档中没有此单元格）"))
    return wrong


def expected_headlines(source: AnnualReport) -> dict[str, int]:
    """The 13 headline figures of the generated report (all present)."""
    out = headline_figures(source)
    assert set(out) == set(HEADLINES), sorted(set(HEADLINES) - set(out))
    return out


def table_excerpt(path: Path, needle: str, before: int = 3, after: int = 6) -> str:
    """A few lines of a written text document around the first line containing ``needle``."""
    if path.suffix == ".docx":
        return "(docx)"
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if needle in line:
            return "\n".join(lines[max(0, i - before) : i + after])
    return ""
