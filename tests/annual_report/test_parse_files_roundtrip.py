"""Render a report to DOCX, PDF, HTML and Markdown, read the file back: the same report comes out.

"The same" is the report as the renderer prints it: the headings it prints (statutory spellings),
a cell the report lacks but the table has printed as a blank cell (so it reads back as blank), and
the publication date only where the renderer prints it (the HTML metadata).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from report_strategies import consistent_reports

from gongkai.annual_report.formats import SECTIONS
from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.parsing.files import parse_bytes
from gongkai.annual_report.rendering import render
from gongkai.annual_report.rendering.layout import section_heading, tables

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FORMATS = ("docx", "pdf", "html", "md")


def printed(report: AnnualReport, fmt: str) -> dict[str, Any]:
    """The canonical JSON of ``report`` as far as a document of type ``fmt`` can carry it."""
    data = report.to_dict()
    if fmt != "html":
        data.pop("published_on")
    data["headings"] = [section_heading(report, section) for section in SECTIONS]
    for grid in tables(report):
        for cell in grid.value_cells():
            assert cell.key is not None
            row, col = cell.key
            data["tables"][grid.table].setdefault(row, {}).setdefault(col, None)
    return data


def read_back(report: AnnualReport, fmt: str) -> dict[str, Any]:
    parsed, notes = parse_bytes(render(report, fmt), name=f"report.{fmt}")
    assert [n for n in notes if n.severity == "error"] == []
    data = parsed.to_dict()
    if fmt != "html":
        data.pop("published_on")
    return data


def _without_spaces(text: str) -> str:
    return re.sub(r"[ \t\u3000]+", "", text)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("example", ["donghuashi-2019-corrected.json", "donghuashi-2019.json"])
def test_example_reads_back(example: str, fmt: str) -> None:
    report = AnnualReport.from_json((EXAMPLES / example).read_text("utf-8"))
    assert read_back(report, fmt) == printed(report, fmt)


def test_example_pdf_keeps_spaces_away_from_line_breaks() -> None:
    """Only spaces at a line break may go: all others, and every paragraph break, stay."""
    report = AnnualReport.from_json((EXAMPLES / "donghuashi-2019-corrected.json").read_text("utf-8"))
    parsed, _ = parse_bytes(render(report, "pdf"), name="report.pdf")
    for key, text in report.sections.items():
        back = parsed.sections[key]
        assert back.count("\n") == text.count("\n"), key
        assert len(text) - len(back) <= 2 * (text.count("\n") + 1) + len(text) // 40, key


_SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}


@settings(max_examples=25, **_SETTINGS)  # type: ignore[arg-type]
@given(consistent_reports())
def test_generated_reports_read_back_from_docx(report: AnnualReport) -> None:
    assert read_back(report, "docx") == printed(report, "docx")


@settings(max_examples=25, **_SETTINGS)  # type: ignore[arg-type]
@given(consistent_reports())
def test_generated_reports_read_back_from_html(report: AnnualReport) -> None:
    assert read_back(report, "html") == printed(report, "html")


@settings(max_examples=25, **_SETTINGS)  # type: ignore[arg-type]
@given(consistent_reports())
def test_generated_reports_read_back_from_markdown(report: AnnualReport) -> None:
    assert read_back(report, "md") == printed(report, "md")


@settings(max_examples=10, **_SETTINGS)  # type: ignore[arg-type]
@given(consistent_reports())
def test_generated_reports_read_back_from_pdf(report: AnnualReport) -> None:
    assert read_back(report, "pdf") == printed(report, "pdf")


# -- the same documents printed without table rules --------------------------------------------------


def _borderless_pdf(report: AnnualReport) -> bytes:
    """The HTML rendering printed with every table rule removed: tables must be read from positions."""
    import weasyprint

    html = render(report, "html").decode("utf-8")
    html = html.replace("</head>", "<style>table, td, th { border: none !important; }</style></head>")
    data: bytes = weasyprint.HTML(string=html).write_pdf()
    return data


def _figures(report: AnnualReport) -> dict[tuple[str, str, str], object]:
    # A blank cell of a table without rules leaves no trace on the page; it may read back as
    # blank or as unreadable, never as a figure. Figures themselves must all come back.
    return {
        (name, row, col): value
        for name in ("proactive", "requests", "appeals")
        for row, cols in report.table(name).items()
        for col, value in cols.items()
        if value is not None
    }


def _assert_same_figures(report: AnnualReport) -> None:
    parsed, _ = parse_bytes(_borderless_pdf(report), name="report.pdf")
    assert _figures(parsed) == _figures(report)
    assert {k: _without_spaces(v) for k, v in parsed.sections.items()} == {
        k: _without_spaces(v) for k, v in report.sections.items()
    }


def test_example_without_rules_reads_back() -> None:
    _assert_same_figures(
        AnnualReport.from_json((EXAMPLES / "donghuashi-2019-corrected.json").read_text("utf-8"))
    )


@settings(max_examples=6, **_SETTINGS)  # type: ignore[arg-type]
@given(consistent_reports())
def test_generated_reports_without_rules_read_back(report: AnnualReport) -> None:
    _assert_same_figures(report)


def test_paragraphs_that_never_wrap_still_read_back_apart() -> None:
    # Found by the property test above: when no paragraph wraps onto a second line, the only full
    # lines are indented first lines, and an indented paragraph must not be joined to the one before.
    report = AnnualReport.from_json((EXAMPLES / "donghuashi-2019-corrected.json").read_text("utf-8"))
    report.sections = {
        **{k: "" for k in report.sections},
        "overview": "2019年，本机关全年主动公开政府信息0条。完成区委区政府督查督办0件。\n"
        "政府信息公开申请办理方面，结转下年度继续办理0件。\n"
        "街道修订政府信息主动公开制度，按照“谁主管、谁负责”的原则实行双重审核制度。",
        "problems": "一是专门机构建设仍需进一步完善。改进措施：加强培训，提升工作水平。",
        "other": "无。",
    }
    _assert_same_figures(report)
