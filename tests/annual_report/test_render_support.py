"""Shared material of the renderer tests: reports to render and what each output must contain.

The expectations are built from ``formats.py`` (the statutory labels and row order) and from the
report's own figures, never from the renderers' layout code, so a misplaced or missing cell in any
output is caught. The official spans (rowspan 20/22, colspan 7, …) are those of shared/spec/statute.md.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from hypothesis import strategies as st

from gongkai.annual_report.formats import (
    APPLICANT_HEADER,
    BALANCE_NOTE,
    GROUP_NOT_PROCESSED,
    GROUP_OTHER,
    GROUP_REFUSED,
    GROUP_UNAVAILABLE,
    LEGAL_PERSONS_HEADER,
    LITIGATION_HEADER,
    PROACTIVE_CONTENT_HEADER,
    RESULTS_HEADER,
    get_format,
)
from gongkai.annual_report.model import AnnualReport, Cell

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ("donghuashi-2019.json", "donghuashi-2019-corrected.json")
HOSTILE = '<script>alert("x")</script>&amp;<b>'


def example(name: str) -> AnnualReport:
    return AnnualReport.from_json((ROOT / "examples" / name).read_text(encoding="utf-8"))


def text_of(value: Cell) -> str:
    return "" if value is None else str(value)


def full_report(
    format_id: str = "2021", variant: str = "national", *, with_parent: bool = False
) -> AnnualReport:
    """Every cell of the format filled with a distinct figure, so a cell printed in the wrong place shows.

    Counts are 1, 2, 3, …; 本年增/减 is negative; money has four decimals. The 2019 format also gets
    the optional sub-rows (and, with ``with_parent``, figures on their parent row as well).
    """
    fmt = get_format(format_id, variant)
    counter = itertools.count(1)
    report = AnnualReport(
        organisation="测试街道办事处",
        year=2019 if format_id == "2019" else 2022,
        format=format_id,
        variant=variant,
        sections={
            "overview": "第一段总体情况。\n第二段：收到申请 3 件。",
            "proactive": "主动公开的说明。",
            "requests": "依申请公开的说明。",
            "appeals": "复议诉讼的说明。",
            "problems": "一是问题。\n二是改进。",
            "other": "收取信息处理费 0 元。",
        },
    )
    for block in fmt.proactive:
        for row in block.rows:
            if row.key == "art20_5.other_services" and not with_parent:
                continue
            cells: dict[str, Cell] = {}
            for col in block.columns:
                n = next(counter)
                if col.kind == "money":
                    cells[col.key] = Decimal(n) + Decimal("0.1234")
                elif col.kind == "signed":
                    cells[col.key] = -n
                else:
                    cells[col.key] = n
            report.proactive[row.key] = cells
    for row in fmt.request_rows:
        report.requests[row.key] = {col.key: 100 + next(counter) for col in fmt.request_columns}
    for group in fmt.appeal_groups:
        report.appeals[group.key] = {col.key: 500 + next(counter) for col in fmt.appeal_columns}
    return report


def sparse_report() -> AnnualReport:
    """Blank (None) and unreadable (absent) cells, which must both print as empty cells, never "0"."""
    report = full_report("2021")
    report.requests["granted"]["commercial"] = None
    del report.requests["partial"]["research"]
    del report.requests["refused.query"]
    report.appeals["review"]["pending"] = None
    report.proactive["art20_8.fees"]["amount_wan"] = None
    del report.proactive["art20_6.enforcement"]
    return report


def hostile_report() -> AnnualReport:
    report = full_report("2021")
    report.organisation = f"{HOSTILE}街道"
    report.sections["overview"] = f'正文{HOSTILE}\n=HYPERLINK("http://x")\n| 表格 | 注入 |'
    return report


# -- expectations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpectedRow:
    table_index: int  # position among the report's tables in document order
    key: str
    labels: tuple[str, ...]  # the label cells, outermost first, merged duplicates removed
    texts: tuple[str, ...]  # the data cells as printed, in column order
    values: tuple[Cell, ...]


def expected_rows(report: AnnualReport) -> list[ExpectedRow]:
    fmt = report.report_format
    out: list[ExpectedRow] = []
    for index, block in enumerate(fmt.proactive):
        parents_with_children = {r.group for r in block.rows if r.optional and r.key in report.proactive}
        for row in block.rows:
            if row.optional and row.key not in report.proactive:
                continue
            if row.label in parents_with_children and row.key not in report.proactive:
                continue  # only a merged label over its sub-rows
            labels = (row.group, row.label) if row.optional else (row.label,)
            values = tuple(report.cell("proactive", row.key, c.key) for c in block.columns)
            out.append(ExpectedRow(index, row.key, labels, tuple(map(text_of, values)), values))
    requests_index = len(fmt.proactive)
    for row in fmt.request_rows:
        if not row.group:
            labels: tuple[str, ...] = (row.label,)
        elif row.group == RESULTS_HEADER:
            labels = (RESULTS_HEADER, row.label)
        else:
            labels = (RESULTS_HEADER, row.group, row.label)
        values = tuple(report.cell("requests", row.key, c.key) for c in fmt.request_columns)
        out.append(ExpectedRow(requests_index, row.key, labels, tuple(map(text_of, values)), values))
    values = tuple(
        report.cell("appeals", g.key, c.key) for g in fmt.appeal_groups for c in fmt.appeal_columns
    )
    out.append(ExpectedRow(requests_index + 1, "appeals", (), tuple(map(text_of, values)), values))
    return out


def all_labels(report: AnnualReport) -> list[str]:
    """Every statutory label the rendered report must print (headings, captions, rows, columns)."""
    fmt = report.report_format
    labels = [s.heading for s in fmt.sections if not s.aliases]
    labels += [PROACTIVE_CONTENT_HEADER, BALANCE_NOTE, APPLICANT_HEADER, LEGAL_PERSONS_HEADER, RESULTS_HEADER]
    labels += [LITIGATION_HEADER]
    for block in fmt.proactive:
        labels.append(block.caption)
        labels += [c.label for c in block.columns]
        labels += [r.label for r in block.rows if not r.optional or r.key in report.proactive]
    labels += [r.label for r in fmt.request_rows] + [r.group for r in fmt.request_rows if r.group]
    labels += [c.label for c in fmt.request_columns]
    labels += [g.label for g in fmt.appeal_groups] + [c.label for c in fmt.appeal_columns]
    return sorted(set(labels))


def official_spans(report: AnnualReport) -> dict[int, dict[str, tuple[int, int]]]:
    """(rowspan, colspan) of the distinctive cells of the official tables, by table index."""
    fmt = report.report_format
    requests_index = len(fmt.proactive)
    results = {"2019": 20, "2021": 22}[fmt.id]
    requests = {
        BALANCE_NOTE: (3, 3),
        APPLICANT_HEADER: (1, 7),
        "自然人": (2, 1),
        LEGAL_PERSONS_HEADER: (1, 5),
        "总计": (2, 1),
        "商业企业": (1, 1),
        "一、本年新收政府信息公开申请数量": (1, 3),
        "四、结转下年度继续办理": (1, 3),
        RESULTS_HEADER: (results, 1),
        "（一）予以公开": (1, 2),
        "（七）总计": (1, 2),
        GROUP_REFUSED: (8, 1),
        GROUP_UNAVAILABLE: (3, 1),
        GROUP_NOT_PROCESSED: (5, 1),
    }
    if fmt.id == "2021":
        requests[GROUP_OTHER] = (3, 1)
    else:
        requests["（六）其他处理"] = (1, 2)
    appeals = {
        "行政复议": (1, 5),
        LITIGATION_HEADER: (1, 10),
        "未经复议直接起诉": (1, 5),
        "复议后起诉": (1, 5),
        "结果维持": (2, 1),  # the first one, under 行政复议
    }
    spans = {requests_index: requests, requests_index + 1: appeals}
    art20_5 = next(i for i, b in enumerate(fmt.proactive) if b.item == "art20_5")
    subs = [r for r in fmt.proactive[art20_5].rows if r.optional and r.key in report.proactive]
    if subs:
        parent_rows = len(subs) + ("art20_5.other_services" in report.proactive)
        spans[art20_5] = {PROACTIVE_CONTENT_HEADER: (1, 2), subs[0].group: (parent_rows, 1)}
    return spans


# -- reading a table back --------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    text: str
    row: int
    col: int
    rowspan: int
    colspan: int


def expand(anchors: list[Anchor]) -> list[list[str]]:
    """The full text matrix of a table given its anchor cells (merged cells repeat their text)."""
    n_rows = max(a.row + a.rowspan for a in anchors)
    n_cols = max(a.col + a.colspan for a in anchors)
    grid: list[list[str | None]] = [[None] * n_cols for _ in range(n_rows)]
    for a in anchors:
        for r in range(a.row, a.row + a.rowspan):
            for c in range(a.col, a.col + a.colspan):
                assert grid[r][c] is None, f"cells overlap at {(r, c)}"
                grid[r][c] = a.text
    for r, line in enumerate(grid):
        assert None not in line, f"row {r} has a hole: {line}"
    return [[c or "" for c in line] for line in grid]


def first_spans(anchors: list[Anchor]) -> dict[str, tuple[int, int]]:
    spans: dict[str, tuple[int, int]] = {}
    for a in sorted(anchors, key=lambda a: (a.row, a.col)):
        spans.setdefault(a.text, (a.rowspan, a.colspan))
    return spans


def squeeze(cells: list[str]) -> tuple[str, ...]:
    """Label cells with merged duplicates and empty cells dropped."""
    out: list[str] = []
    for text in cells:
        if text and (not out or out[-1] != text):
            out.append(text)
    return tuple(out)


def assert_rows_match(tables: list[list[list[str]]], report: AnnualReport, *, header_rows: list[int]) -> None:
    """Every expected row appears, exactly once and complete, in the body of the right table."""
    expected = expected_rows(report)
    assert len(tables) == len(header_rows) == max(e.table_index for e in expected) + 1
    for index, table in enumerate(tables):
        mine = [e for e in expected if e.table_index == index]
        body = table[header_rows[index] :]
        assert len(body) == len(mine), f"table {index}: {len(body)} body rows, expected {len(mine)}"
        for exp, row in zip(mine, body, strict=True):
            n = len(exp.texts)
            assert tuple(normalise(c) for c in row[len(row) - n :]) == exp.texts, (index, exp.key, row)
            assert squeeze([normalise(c) for c in row[: len(row) - n]]) == exp.labels, (index, exp.key, row)


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", text)


# -- a small report generator of our own, for property tests --------------------------------------


@st.composite
def any_reports(draw: st.DrawFn) -> AnnualReport:
    """Reports of either format with any mix of figures, blanks (None) and unreadable (absent) cells."""
    format_id, variant = draw(
        st.sampled_from([("2019", "national"), ("2019", "beijing"), ("2021", "national")])
    )
    fmt = get_format(format_id, variant)
    report = AnnualReport(
        organisation=draw(st.text(min_size=1, max_size=12).filter(str.strip)),
        year=2020 if format_id == "2019" else 2023,
        format=format_id,
        variant=variant,
        sections={"overview": draw(st.text(max_size=40))},
    )

    def cell(kind: str) -> st.SearchStrategy[Cell]:
        if kind == "money":
            number = st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False)
        elif kind == "signed":
            number = st.integers(-1000, 1000)
        else:
            number = st.integers(0, 10**6)
        return st.one_of(st.none(), number)

    def row(columns: list[tuple[str, str]]) -> dict[str, Cell]:
        present = draw(st.lists(st.sampled_from(columns), unique=True)) if columns else []
        return {key: draw(cell(kind)) for key, kind in present}

    for block in fmt.proactive:
        for r in block.rows:
            if draw(st.booleans()) or not r.optional:
                report.proactive[r.key] = row([(c.key, c.kind) for c in block.columns])
    for r in fmt.request_rows:
        if draw(st.integers(0, 9)):
            report.requests[r.key] = row([(c.key, c.kind) for c in fmt.request_columns])
    for g in fmt.appeal_groups:
        report.appeals[g.key] = row([(c.key, c.kind) for c in fmt.appeal_columns])
    return report


def report_strategy() -> st.SearchStrategy[AnnualReport]:
    """Our generator, plus the project's ``consistent_reports()`` once that exists."""
    try:
        from report_strategies import consistent_reports
    except ImportError:
        return any_reports()
    return st.one_of(any_reports(), consistent_reports())
