"""Markdown output: GitHub tables whose flattened headers and rows carry every label and figure."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from test_render_support import (
    EXAMPLES,
    HOSTILE,
    all_labels,
    assert_rows_match,
    example,
    full_report,
    hostile_report,
    report_strategy,
    sparse_report,
)

from gongkai.annual_report.formats import APPLICANT_HEADER, BALANCE_NOTE, LEGAL_PERSONS_HEADER, TITLE
from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.rendering import render

_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def md_tables(markdown: str) -> list[list[list[str]]]:
    """Each GitHub table as rows of unescaped cell texts (header row first, delimiter row dropped)."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    for line in markdown.split("\n"):
        if line.startswith("|"):
            cells = [unescape(c.strip()) for c in _CELL_SPLIT.split(line.strip())[1:-1]]
            if current is None:
                current = []
                tables.append(current)
            if not all(re.fullmatch(r"-+:?", c) for c in cells):
                current.append(cells)
        else:
            current = None
    return tables


def read(report: AnnualReport) -> str:
    return render(report, "md").decode("utf-8")


@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_labels_and_every_figure(name: str) -> None:
    report = example(name)
    markdown = read(report)
    plain = unescape(markdown)
    for label in all_labels(report):
        assert label in plain, label
    assert markdown.startswith(f"# {report.organisation}{report.year}年{TITLE}\n")
    assert re.findall(r"^## (.+)$", markdown, re.M) == report.headings
    tables = md_tables(markdown)
    assert_rows_match(tables, report, header_rows=[1] * len(tables))


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
def test_distinct_figures_in_their_rows(report: AnnualReport) -> None:
    tables = md_tables(read(report))
    assert_rows_match(tables, report, header_rows=[1] * len(tables))


def test_merged_headers_flattened_into_readable_text() -> None:
    report = full_report("2021")
    tables = md_tables(read(report))
    requests = tables[len(report.report_format.proactive)]
    assert requests[0][:3] == [BALANCE_NOTE, "", ""]
    assert requests[0][3] == f"{APPLICANT_HEADER} / 自然人"
    assert requests[0][4] == f"{APPLICANT_HEADER} / {LEGAL_PERSONS_HEADER} / 商业企业"
    assert requests[0][9] == f"{APPLICANT_HEADER} / 总计"
    appeals = tables[-1]
    assert appeals[0][0] == "行政复议 / 结果维持"
    assert appeals[0][5] == "行政诉讼 / 未经复议直接起诉 / 结果维持"
    assert appeals[0][14] == "行政诉讼 / 复议后起诉 / 总计"
    assert len({len(row) for table in tables for row in table}) > 1  # tables differ; rows within agree
    for table in tables:
        assert len({len(row) for row in table}) == 1


def test_hostile_text_cannot_break_out() -> None:
    report = hostile_report()
    markdown = read(report)
    assert "<script>" not in markdown and "<b>" not in markdown
    assert HOSTILE in unescape(markdown)
    # The "| 表格 | 注入 |" line stays a paragraph, not a table row.
    assert not any(line.startswith("| 表格") for line in markdown.split("\n"))
    assert "\\| 表格 \\| 注入 \\|" in markdown


@settings(max_examples=40, deadline=None)
@given(report_strategy())
def test_any_report_round_trips_through_the_markdown_tables(report: AnnualReport) -> None:
    tables = md_tables(read(report))
    assert_rows_match(tables, report, header_rows=[1] * len(tables))
