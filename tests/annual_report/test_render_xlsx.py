"""XLSX output read back with openpyxl: numeric cells, empty blanks, exact money, merged headers."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given, settings
from openpyxl.worksheet.worksheet import Worksheet
from test_render_support import (
    EXAMPLES,
    HOSTILE,
    all_labels,
    example,
    expected_rows,
    full_report,
    hostile_report,
    report_strategy,
    sparse_report,
    squeeze,
)

from gongkai.annual_report.formats import BALANCE_NOTE, PROACTIVE_CONTENT_HEADER, RESULTS_HEADER
from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.rendering import render

SHEETS = ["概况", "主动公开", "申请情况", "复议诉讼"]


def read(report: AnnualReport) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))


def grid(ws: Worksheet) -> list[list[object]]:
    """Cell values with each merged range's value copied into all its cells."""
    values = [[c.value for c in row] for row in ws.iter_rows()]
    for merged in ws.merged_cells.ranges:
        value = ws.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                values[r - 1][c - 1] = value
    return values


def find_rows(ws: Worksheet, report: AnnualReport) -> None:
    """Each expected row of the sheet's table is present with the report's figures as numbers."""
    blocks = len(report.report_format.proactive)
    wanted = {"主动公开": range(blocks), "申请情况": [blocks], "复议诉讼": [blocks + 1]}[ws.title]
    lines: list[list[object]] = []
    width = 0
    for line in grid(ws):
        if line[0] in (PROACTIVE_CONTENT_HEADER, BALANCE_NOTE, "行政复议"):  # a table's first header row
            width = max(i + 1 for i, v in enumerate(line) if v is not None)
        lines.append(line[:width])
    for exp in (e for e in expected_rows(report) if e.table_index in wanted):
        n = len(exp.values)
        matches = [
            line[-n:]
            for line in lines
            if (len(line) > n or not exp.labels) and not any(isinstance(v, str) for v in line[-n:])
            if squeeze([str(v) for v in line[:-n] if v is not None]) == exp.labels
        ]
        assert len(matches) == 1, (ws.title, exp.key, matches)
        assert all(_same(got, want) for got, want in zip(matches[0], exp.values, strict=True)), (
            ws.title,
            exp.key,
            matches[0],
            exp.values,
        )


def _same(got: object, want: object) -> bool:
    if want is None:
        return got is None
    if isinstance(want, Decimal):
        return isinstance(got, int | float) and not isinstance(got, bool) and Decimal(str(got)) == want
    return type(got) is int and got == want


@pytest.mark.parametrize("name", EXAMPLES)
def test_sheets_labels_and_figures(name: str) -> None:
    report = example(name)
    wb = read(report)
    assert wb.sheetnames == SHEETS
    text = "".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
    for label in all_labels(report):
        assert label in text, label
    for title in SHEETS[1:]:
        find_rows(wb[title], report)


@pytest.mark.parametrize(
    "report",
    [
        full_report("2019", "beijing"),
        full_report("2021"),
        full_report("2019", with_parent=True),
        sparse_report(),
    ],
    ids=["2019", "2021", "2019-parent", "sparse"],
)
def test_distinct_figures_numeric_in_their_rows(report: AnnualReport) -> None:
    wb = read(report)
    for title in SHEETS[1:]:
        find_rows(wb[title], report)


def test_cell_types_blank_cells_and_money() -> None:
    wb = read(example("donghuashi-2019-corrected.json"))
    ws = wb["主动公开"]
    procurement = next(row for row in ws.iter_rows() if row[0].value == "政府集中采购")
    assert procurement[1].value == 38 and procurement[1].data_type == "n"
    assert Decimal(str(procurement[2].value)) == Decimal("184.8083")
    assert procurement[2].data_type == "n" and procurement[2].number_format == "0.0000"
    inspection = next(row for row in ws.iter_rows() if row[1].value == "行政检查")
    assert inspection[2].value is None  # 上一年项目数量 was not in the published table
    assert inspection[3].value == 0 and inspection[3].data_type == "n"  # a printed 0 stays 0
    requests = read(sparse_report())["申请情况"]
    granted = next(row for row in requests.iter_rows() if row[1].value == "（一）予以公开")
    assert granted[3].data_type == "n" and isinstance(granted[3].value, int)
    assert granted[4].value is None  # blank, not 0


def test_merged_header_cells() -> None:
    report = full_report("2021")
    ws = read(report)["申请情况"]
    ranges = {str(r) for r in ws.merged_cells.ranges}
    assert ws["A1"].value == BALANCE_NOTE
    assert {"A1:C3", "D1:J1", "D2:D3", "E2:I2", "J2:J3"} <= ranges
    results = next(r for r in ws.merged_cells.ranges if ws.cell(r.min_row, r.min_col).value == RESULTS_HEADER)
    assert results.max_row - results.min_row + 1 == 22
    appeals = {str(r) for r in read(report)["复议诉讼"].merged_cells.ranges}
    assert {"A1:E1", "F1:O1", "F2:J2", "K2:O2", "A2:A3"} <= appeals


def test_summary_sheet_has_metadata_and_section_texts() -> None:
    report = example("donghuashi-2019-corrected.json")
    ws = read(report)["概况"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert report.organisation in flat and report.year in flat
    assert any(getattr(v, "isoformat", None) and v.isoformat().startswith("2020-01-19") for v in flat)
    for line in report.sections["problems"].split("\n"):
        assert line in flat
    assert [
        v
        for v in flat
        if isinstance(v, str) and v.startswith(("一、", "二、", "三、", "四、", "五、", "六、"))
    ][:6] == report.headings


def test_text_that_looks_like_a_formula_stays_text() -> None:
    report = hostile_report()
    ws = read(report)["概况"]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    formula = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"
    assert any(HOSTILE in str(c.value) for c in cells)


@settings(max_examples=15, deadline=None)
@given(report_strategy())
def test_any_report_round_trips_through_the_sheets(report: AnnualReport) -> None:
    wb = read(report)
    for title in SHEETS[1:]:
        find_rows(wb[title], report)
