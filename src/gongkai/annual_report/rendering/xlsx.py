"""XLSX rendering with openpyxl, for the district office that aggregates reports in Excel.

One sheet per statutory table (主动公开 / 申请情况 / 复议诉讼) with the official merged header cells,
plus a 概况 sheet with the report's metadata and section texts. Figures are stored as numbers: an
``int`` for counts, the ``Decimal`` itself for money with format ``0.0000``; a blank cell stays
empty. Text is always stored as text, so a section that happens to start with "=" never becomes a
formula.
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell.cell import Cell as XlCell  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from gongkai.annual_report.formats import Section
from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.rendering.layout import (
    TableGrid,
    appeals_grid,
    check_report,
    clean_text,
    proactive_grids,
    report_title,
    requests_grid,
    section_heading,
    section_lines,
)

SUMMARY_SHEET = "概况"
TABLE_SHEETS = {"proactive": "主动公开", "requests": "申请情况", "appeals": "复议诉讼"}
MONEY_FORMAT = "0.0000"

FONT = "宋体"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)


def render_xlsx(report: AnnualReport) -> bytes:
    fmt = check_report(report)
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = SUMMARY_SHEET
    _summary(summary, report, fmt.sections, fmt.title)

    sheet = wb.create_sheet(TABLE_SHEETS["proactive"])
    row = 1
    for grid in proactive_grids(report):
        row = _grid(sheet, grid, row) + 1
    _column_widths(sheet, max(g.n_cols for g in proactive_grids(report)), 14)
    sheet.column_dimensions["A"].width = 24

    for grid in (requests_grid(report), appeals_grid(report)):
        sheet = wb.create_sheet(TABLE_SHEETS[grid.table])
        _grid(sheet, grid, 1)
        if grid.table == "requests":
            for letter, width in zip("ABC", (8, 12, 44), strict=True):
                sheet.column_dimensions[letter].width = width
            _column_widths(sheet, grid.n_cols, 10, first=4)
        else:
            _column_widths(sheet, grid.n_cols, 9)

    wb.properties.title = report_title(report)
    wb.properties.creator = clean_text(report.organisation)
    wb.properties.subject = fmt.title
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def render_bytes(report: AnnualReport) -> bytes:
    return render_xlsx(report)


def _text(cell: XlCell, text: str) -> None:
    cell.value = clean_text(text)
    cell.data_type = "s"  # never a formula, whatever the text starts with


def _summary(ws: Worksheet, report: AnnualReport, sections: tuple[Section, ...], fmt_title: str) -> None:
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 100
    _text(ws.cell(1, 1), report_title(report))
    ws.cell(1, 1).font = Font(name=FONT, bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=2)
    facts: list[tuple[str, object]] = [
        ("单位名称", report.organisation),
        ("报告年度", report.year),
        ("报告格式", fmt_title),
        ("发布日期", report.published_on),
    ]
    row = 3
    for label, value in facts:
        _text(ws.cell(row, 1), label)
        target = ws.cell(row, 2)
        if isinstance(value, str):
            _text(target, value)
        elif value is not None:
            target.value = value
            if label == "发布日期":
                target.number_format = "yyyy-mm-dd"
            target.alignment = _LEFT
        row += 1
    row += 1
    for section in sections:
        _text(ws.cell(row, 1), section_heading(report, section))
        ws.cell(row, 1).font = Font(name=FONT, bold=True)
        ws.cell(row, 1).alignment = _TOP_LEFT
        lines = section_lines(report, section.key)
        for offset, line in enumerate(lines):
            _text(ws.cell(row + offset, 2), line)
            ws.cell(row + offset, 2).alignment = _TOP_LEFT
        row += max(len(lines), 1)


def _grid(ws: Worksheet, grid: TableGrid, top: int) -> int:
    """Write one table with its top-left corner at row ``top``; return the row after it."""
    if grid.caption:
        _text(ws.cell(top, 1), grid.caption)
        ws.cell(top, 1).font = Font(name=FONT, bold=True)
        ws.merge_cells(start_row=top, start_column=1, end_row=top, end_column=grid.n_cols)
        top += 1
    for r in range(grid.n_rows):
        for c in range(grid.n_cols):
            ws.cell(top + r, c + 1).border = _BORDER
    for cell in grid.cells:
        target = ws.cell(top + cell.row, cell.col + 1)
        if cell.role == "value":
            if cell.value is not None:
                target.value = cell.value
                if isinstance(cell.value, Decimal) or cell.kind == "money":
                    target.number_format = MONEY_FORMAT
            target.alignment = _CENTER
        else:
            _text(target, cell.text)
            target.alignment = _LEFT if cell.role == "label" and cell.rowspan == 1 else _CENTER
            if cell.role == "header":
                target.fill = _HEADER_FILL
                target.font = Font(name=FONT, bold=True)
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(
                start_row=top + cell.row,
                start_column=cell.col + 1,
                end_row=top + cell.row + cell.rowspan - 1,
                end_column=cell.col + cell.colspan,
            )
    return top + grid.n_rows


def _column_widths(ws: Worksheet, n_cols: int, width: float, first: int = 1) -> None:
    for c in range(first, n_cols + 1):
        ws.column_dimensions[get_column_letter(c)].width = width
