"""The public entry point: formats, JSON round trip, and refusals with a message a person can act on."""

from __future__ import annotations

import json

import pytest
from test_render_support import EXAMPLES, example, full_report, sparse_report

from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.rendering import FORMATS, RenderError, render


def test_formats() -> None:
    assert FORMATS == ("docx", "pdf", "html", "md", "xlsx", "json")


@pytest.mark.parametrize("name", EXAMPLES)
def test_json_round_trips(name: str) -> None:
    report = example(name)
    data = render(report, "json")
    assert AnnualReport.from_json(data.decode("utf-8")) == report
    assert data.decode("utf-8") == report.to_json()


@pytest.mark.parametrize("report", [full_report("2021"), full_report("2019", "beijing"), sparse_report()])
def test_json_round_trips_hand_built_reports(report: AnnualReport) -> None:
    back = AnnualReport.from_json(render(report, "json").decode("utf-8"))
    assert back == report
    assert "refused.query" not in json.loads(render(sparse_report(), "json"))["tables"]["requests"]


@pytest.mark.parametrize(
    ("fmt", "magic"), [("docx", b"PK"), ("xlsx", b"PK"), ("html", b"<!DOCTYPE html>"), ("md", b"# ")]
)
def test_each_format_produces_its_kind_of_file(fmt: str, magic: bytes) -> None:
    assert render(example("donghuashi-2019.json"), fmt).startswith(magic)


def test_unknown_output_format() -> None:
    with pytest.raises(RenderError, match="不支持的输出格式“odt”"):
        render(example("donghuashi-2019.json"), "odt")


def test_unknown_report_format() -> None:
    report = full_report("2021")
    report.format = "2020"
    with pytest.raises(RenderError, match="未知的年度报告格式"):
        render(report, "html")


def test_row_of_another_format_is_refused_not_dropped() -> None:
    report = full_report("2021")
    report.requests["other"] = {"total": 3}  # the 2019 single （六） row
    with pytest.raises(RenderError, match="行 other 不属于 2021 格式"):
        render(report, "md")


def test_non_numeric_cell_is_refused() -> None:
    report = full_report("2021")
    report.requests["granted"]["total"] = "3"  # type: ignore[assignment]
    with pytest.raises(RenderError, match="不是整数"):
        render(report, "docx")
