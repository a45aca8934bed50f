"""The report as a sequence of document blocks, with each statutory table laid out as a grid.

All renderers walk the same ``document(report)``: a title, the six headings, the section paragraphs
and the tables. A table is a ``TableGrid`` of anchor cells with their row/column spans, built once
here from the format's rows and columns, so the merged header cells of the official tables (the
勾稽关系 note over three header rows, 申请人情况 over seven columns, 行政诉讼 over ten, …) are
identical in DOCX, PDF, HTML, Markdown and XLSX.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from gongkai.annual_report.formats import (
    APPLICANT_HEADER,
    BALANCE_NOTE,
    LEGAL_PERSONS_HEADER,
    LITIGATION_HEADER,
    PROACTIVE_CONTENT_HEADER,
    RESULTS_HEADER,
    TITLE,
    ProactiveBlock,
    ReportFormat,
    Row,
    Section,
    UnknownFormat,
)
from gongkai.annual_report.model import GROUP_TOTAL_ROWS, TABLE_KEYS, AnnualReport, Cell, schema_for
from gongkai.annual_report.rendering.errors import RenderError

CellRole = Literal["header", "label", "value"]

# XML 1.0 (DOCX, XLSX) cannot carry these characters at all; HTML treats them as errors.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Sections whose statutory table follows the section's own paragraphs.
_SECTION_TABLES = {"proactive": "proactive", "requests": "requests", "appeals": "appeals"}


@dataclass(frozen=True)
class GridCell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    role: CellRole = "value"
    # Value cells only: the figure, its kind and its (row key, column key) in the report's table.
    value: Cell = None
    kind: str = "count"
    key: tuple[str, str] | None = None


@dataclass(frozen=True)
class TableGrid:
    table: str  # "proactive" | "requests" | "appeals"
    block: str  # Table 二 block ("art20_1" …), "" for Tables 三 and 四
    caption: str  # 第二十条第（X）项 for Table 二 blocks, "" otherwise
    n_rows: int
    n_cols: int
    header_rows: int
    label_cols: int
    cells: tuple[GridCell, ...]  # anchor cells, sorted by (row, col)
    row_keys: tuple[str, ...]  # report row key of each body row ("" where a row holds several)
    col_weights: tuple[float, ...]  # relative column widths

    def rows(self) -> list[list[GridCell]]:
        """Anchor cells grouped by the grid row they start in (merged-over positions omitted)."""
        out: list[list[GridCell]] = [[] for _ in range(self.n_rows)]
        for cell in self.cells:
            out[cell.row].append(cell)
        return out

    def matrix(self) -> list[list[GridCell]]:
        """Every grid position mapped to the anchor cell that covers it."""
        grid: list[list[GridCell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    grid[r][c] = cell
        missing = [(r, c) for r, line in enumerate(grid) for c, v in enumerate(line) if v is None]
        if missing:  # a layout bug, not a user error
            raise AssertionError(f"grid {self.table}/{self.block} has uncovered positions {missing}")
        return [[c for c in line if c is not None] for line in grid]

    def value_cells(self) -> Iterator[GridCell]:
        return (c for c in self.cells if c.role == "value")


@dataclass(frozen=True)
class Title:
    text: str


@dataclass(frozen=True)
class Heading:
    text: str
    section: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    section: str


Block = Title | Heading | Paragraph | TableGrid


# -- text ----------------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Text without the control characters that no XML document can hold."""
    return _CONTROL_CHARS.sub("", text)


def cell_text(value: Cell) -> str:
    """A figure as printed: blank stays blank (never "0"), money exactly as its Decimal digits."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")  # like str(), but never in exponent form
    return str(value)


def report_title(report: AnnualReport) -> str:
    return clean_text(f"{report.organisation}{report.year}年{TITLE}")


def section_heading(report: AnnualReport, section: Section) -> str:
    """The heading as the report printed it when that is one of its statutory spellings."""
    for printed in report.headings or ():
        if printed == section.heading or printed in section.aliases:
            return printed
    return section.heading


def section_lines(report: AnnualReport, key: str) -> list[str]:
    """One paragraph per line of the section body; blank lines carry nothing and are skipped."""
    text = clean_text(report.sections.get(key, "").replace("\r\n", "\n").replace("\r", "\n"))
    return [line for line in text.split("\n") if line.strip()]


# -- validation ----------------------------------------------------------------------------------


def report_format(report: AnnualReport) -> ReportFormat:
    try:
        return report.report_format
    except UnknownFormat as exc:
        raise RenderError(str(exc)) from None


def check_report(report: AnnualReport) -> ReportFormat:
    """Refuse a report whose figures would silently vanish or print wrongly in every output."""
    fmt = report_format(report)
    if not isinstance(report.organisation, str) or not report.organisation.strip():
        raise RenderError("年度报告缺少单位名称，请先填写单位名称再导出")
    for name in TABLE_KEYS:
        schema = schema_for(fmt, name)
        printable = schema.keys() - set(GROUP_TOTAL_ROWS) if name == "requests" else schema.keys()
        if name == "requests":
            printable |= {row.key for row in fmt.request_rows}
        for row_key, cols in report.table(name).items():
            # A group total read from a report that printed （六） as one row has no place in the
            # official layout of a format that splits it.
            if row_key not in printable:
                raise RenderError(
                    f"表 {name} 中的行 {row_key} 不属于 {fmt.id} 格式，请核对报告格式或删除该行"
                )
            for col_key, value in cols.items():
                kind = schema[row_key].get(col_key)
                if kind is None:
                    raise RenderError(
                        f"表 {name} 行 {row_key} 中的列 {col_key} 不属于 {fmt.id} 格式，请删除该列"
                    )
                if not _valid_cell(value, kind):
                    raise RenderError(
                        f"表 {name} 行 {row_key} 列 {col_key} 的值 {value!r} 不是"
                        f"{'金额' if kind == 'money' else '整数'}，请改正后再导出"
                    )
    return fmt


def _valid_cell(value: object, kind: str) -> bool:
    if value is None:
        return True
    if isinstance(value, bool):
        return False
    if kind == "money":
        return isinstance(value, int) or (isinstance(value, Decimal) and value.is_finite())
    return isinstance(value, int)


# -- the document --------------------------------------------------------------------------------


def document(report: AnnualReport) -> list[Block]:
    """Title, then for each statutory section its heading, its paragraphs and its table(s)."""
    fmt = check_report(report)
    blocks: list[Block] = [Title(report_title(report))]
    for section in fmt.sections:
        blocks.append(Heading(clean_text(section_heading(report, section)), section.key))
        blocks.extend(Paragraph(line, section.key) for line in section_lines(report, section.key))
        table = _SECTION_TABLES.get(section.key)
        if table == "proactive":
            blocks.extend(proactive_grids(report))
        elif table == "requests":
            blocks.append(requests_grid(report))
        elif table == "appeals":
            blocks.append(appeals_grid(report))
    return blocks


def tables(report: AnnualReport) -> list[TableGrid]:
    return [b for b in document(report) if isinstance(b, TableGrid)]


# -- Table 二 ------------------------------------------------------------------------------------


def proactive_grids(report: AnnualReport) -> list[TableGrid]:
    fmt = report_format(report)
    return [_proactive_grid(report, block) for block in fmt.proactive]


def _proactive_grid(report: AnnualReport, block: ProactiveBlock) -> TableGrid:
    data = report.proactive
    # Optional sub-rows appear only when the report has them; their parent then becomes a merged
    # label in front of them, as in the published tables (其他对外管理服务事项 → 行政检查/行政确认).
    children: dict[str, list[Row]] = {}
    for row in block.rows:
        if row.optional and row.key in data:
            children.setdefault(row.group, []).append(row)
    label_cols = 2 if children else 1
    cells: list[GridCell] = [GridCell(PROACTIVE_CONTENT_HEADER, 0, 0, colspan=label_cols, role="header")]
    cells += [GridCell(col.label, 0, label_cols + i, role="header") for i, col in enumerate(block.columns)]
    row_keys: list[str] = []
    r = 1

    def values(row: Row, at: int) -> list[GridCell]:
        out = []
        for i, col in enumerate(block.columns):
            value = data.get(row.key, {}).get(col.key)
            out.append(
                GridCell(
                    cell_text(value), at, label_cols + i, value=value, kind=col.kind, key=(row.key, col.key)
                )
            )
        return out

    for row in block.rows:
        if row.optional:
            continue
        subs = children.get(row.label, [])
        if not subs:
            cells.append(GridCell(row.label, r, 0, colspan=label_cols, role="label"))
            cells += values(row, r)
            row_keys.append(row.key)
            r += 1
            continue
        own = row.key in data
        cells.append(GridCell(row.label, r, 0, rowspan=len(subs) + own, role="label"))
        if own:
            cells.append(GridCell("", r, 1, role="label"))
            cells += values(row, r)
            row_keys.append(row.key)
            r += 1
        for sub in subs:
            cells.append(GridCell(sub.label, r, 1, role="label"))
            cells += values(sub, r)
            row_keys.append(sub.key)
            r += 1
    label_weights = (3.0, 1.8) if label_cols == 2 else (4.0,)
    return TableGrid(
        table="proactive",
        block=block.item,
        caption=block.caption,
        n_rows=r,
        n_cols=label_cols + len(block.columns),
        header_rows=1,
        label_cols=label_cols,
        cells=_sorted(cells),
        row_keys=tuple(row_keys),
        col_weights=label_weights + (2.4,) * len(block.columns),
    )


# -- Table 三 ------------------------------------------------------------------------------------


def requests_grid(report: AnnualReport) -> TableGrid:
    fmt = report_format(report)
    columns = fmt.request_columns
    person, legal, total = columns[0], columns[1:-1], columns[-1]
    data_col = 3
    cells: list[GridCell] = [
        GridCell(BALANCE_NOTE, 0, 0, rowspan=3, colspan=3, role="header"),
        GridCell(APPLICANT_HEADER, 0, data_col, colspan=len(columns), role="header"),
        GridCell(person.label, 1, data_col, rowspan=2, role="header"),
        GridCell(LEGAL_PERSONS_HEADER, 1, data_col + 1, colspan=len(legal), role="header"),
        GridCell(total.label, 1, data_col + 1 + len(legal), rowspan=2, role="header"),
    ]
    cells += [GridCell(c.label, 2, data_col + 1 + i, role="header") for i, c in enumerate(legal)]

    rows = fmt.request_rows
    r = 3
    i = 0
    while i < len(rows):
        row = rows[i]
        if not row.group:
            cells.append(GridCell(row.label, r, 0, colspan=3, role="label"))
            i, r = i + 1, r + 1
            continue
        # The run of outcome rows under 三、本年度办理结果, merged vertically over all of them.
        run_end = i
        while run_end < len(rows) and rows[run_end].group:
            run_end += 1
        cells.append(GridCell(RESULTS_HEADER, r, 0, rowspan=run_end - i, role="label"))
        while i < run_end:
            group = rows[i].group
            if group == RESULTS_HEADER:
                cells.append(GridCell(rows[i].label, r, 1, colspan=2, role="label"))
                i, r = i + 1, r + 1
                continue
            group_end = i
            while group_end < run_end and rows[group_end].group == group:
                group_end += 1
            cells.append(GridCell(group, r, 1, rowspan=group_end - i, role="label"))
            for sub in rows[i:group_end]:
                cells.append(GridCell(sub.label, r, 2, role="label"))
                r += 1
            i = group_end
    for offset, row in enumerate(rows):
        for j, col in enumerate(columns):
            value = report.requests.get(row.key, {}).get(col.key)
            cells.append(
                GridCell(
                    cell_text(value),
                    3 + offset,
                    data_col + j,
                    value=value,
                    kind=col.kind,
                    key=(row.key, col.key),
                )
            )
    return TableGrid(
        table="requests",
        block="",
        caption="",
        n_rows=r,
        n_cols=data_col + len(columns),
        header_rows=3,
        label_cols=3,
        cells=_sorted(cells),
        row_keys=tuple(row.key for row in rows),
        col_weights=(0.75, 1.7, 5.8) + (1.3,) * len(columns),
    )


# -- Table 四 ------------------------------------------------------------------------------------


def appeals_grid(report: AnnualReport) -> TableGrid:
    fmt = report_format(report)
    review, *litigation = fmt.appeal_groups
    outcomes = fmt.appeal_columns
    width = len(outcomes)
    cells: list[GridCell] = [
        GridCell(review.label, 0, 0, colspan=width, role="header"),
        GridCell(LITIGATION_HEADER, 0, width, colspan=width * len(litigation), role="header"),
    ]
    cells += [GridCell(c.label, 1, i, rowspan=2, role="header") for i, c in enumerate(outcomes)]
    for g, group in enumerate(litigation):
        start = width * (g + 1)
        cells.append(GridCell(group.label, 1, start, colspan=width, role="header"))
        cells += [GridCell(c.label, 2, start + i, role="header") for i, c in enumerate(outcomes)]
    for g, group in enumerate(fmt.appeal_groups):
        for i, col in enumerate(outcomes):
            value = report.appeals.get(group.key, {}).get(col.key)
            cells.append(
                GridCell(
                    cell_text(value), 3, g * width + i, value=value, kind=col.kind, key=(group.key, col.key)
                )
            )
    n_cols = width * len(fmt.appeal_groups)
    return TableGrid(
        table="appeals",
        block="",
        caption="",
        n_rows=4,
        n_cols=n_cols,
        header_rows=3,
        label_cols=0,
        cells=_sorted(cells),
        row_keys=("",),
        col_weights=(1.0,) * n_cols,
    )


def _sorted(cells: list[GridCell]) -> tuple[GridCell, ...]:
    return tuple(sorted(cells, key=lambda c: (c.row, c.col)))
