"""Property tests of the text parser: any mutated report either parses (with notes) or raises
``UnreadableReport`` with one line, never anything else; and every consistent report rendered to
Markdown by gongkai reads back with the same figures and section texts."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_strategies import consistent_reports

from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.parsing.base import UnreadableReport
from gongkai.annual_report.parsing.text import parse_text
from gongkai.annual_report.rendering import render

SHARED = Path(__file__).resolve().parents[3] / "shared"
ROOT = Path(__file__).resolve().parents[2]


def _corpus() -> list[str]:
    paths = [SHARED / "seed" / "000_98546e830f6b9c3e.txt", *sorted((SHARED / "samples").glob("*.txt"))]
    texts = [p.read_text(encoding="utf-8") for p in paths if p.exists()]
    rendered = render(
        AnnualReport.from_json((ROOT / "examples" / "donghuashi-2019.json").read_text("utf-8")), "md"
    )
    texts.append(rendered if isinstance(rendered, str) else rendered.decode("utf-8"))
    return texts


CORPUS = _corpus()
_DIGITS_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


@st.composite
def mutated_reports(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(CORPUS)).split("\n")
    for _ in range(draw(st.integers(0, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(
            st.sampled_from(["truncate", "swap", "drop", "insert", "huge", "numeral", "full", "dash", "tabs"])
        )
        if op == "truncate":
            lines = lines[: i + 1]
            lines[-1] = lines[-1][: draw(st.integers(0, len(lines[-1])))]
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "drop":
            del lines[i]
        elif op == "insert":
            noise = draw(
                st.one_of(st.text(max_size=8), st.binary(max_size=8).map(lambda b: b.decode("latin-1")))
            )
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + noise + lines[i][at:]
        elif op == "huge":
            lines[i] = lines[i].replace("0", str(10**30), 1)
        elif op == "numeral":
            lines[i] = lines[i].replace("0", draw(st.sampled_from(["二", "十二", "零", "三百"])), 1)
        elif op == "full":
            lines[i] = lines[i].translate(_DIGITS_FULL)
        elif op == "dash":
            lines[i] = lines[i].replace("0", draw(st.sampled_from(["—", "-", "无", "/"])), 1)
        else:
            lines[i] = lines[i].replace("\t", "   ")
    return "\n".join(lines)


def _parses_or_refuses(text: str) -> None:
    try:
        report, notes = parse_text(text)
    except UnreadableReport as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert report.year and report.organisation
    # Whatever was read must be storable as canonical JSON and read back unchanged.
    assert AnnualReport.from_json(report.to_json()) == report
    assert all(n.code and n.message for n in notes)


@pytest.mark.skipif(len(CORPUS) < 2, reason="shared/ is not available")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_reports())
def test_mutated_reports_parse_or_are_unreadable(text: str) -> None:
    _parses_or_refuses(text)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.binary().map(lambda b: b.decode("utf-8", "surrogateescape"))))
def test_arbitrary_text_never_crashes(text: str) -> None:
    _parses_or_refuses(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports())
def test_rendered_markdown_reads_back(report: AnnualReport) -> None:
    rendered = render(report, "md")
    text = rendered if isinstance(rendered, str) else rendered.decode("utf-8")
    parsed, notes = parse_text(text)
    assert (parsed.organisation, parsed.year, parsed.format, parsed.variant) == (
        report.organisation,
        report.year,
        report.format,
        report.variant,
    )
    assert parsed.proactive == report.proactive
    assert parsed.requests == report.requests
    assert parsed.appeals == report.appeals
    assert parsed.sections == report.sections
    assert not [n for n in notes if n.severity != "info"]


class _Flattener(HTMLParser):
    """A web page's text as the Shanghai sample has it: one block or table cell per line, blank cells
    as a line holding one space, rowspan/colspan lost."""

    BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "td", "th", "li", "div", "caption"})

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.current: str | None = None
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "head"):
            self.hidden += 1
        if tag in self.BLOCKS:
            self.current = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "head"):
            self.hidden -= 1
        if tag in self.BLOCKS and self.current is not None:
            self.lines.append(self.current.strip() or " ")
            self.current = None

    def handle_data(self, data: str) -> None:
        if not self.hidden and self.current is not None:
            self.current += data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports())
def test_web_page_flattened_one_cell_per_line_reads_back(report: AnnualReport) -> None:
    rendered = render(report, "html")
    flattener = _Flattener()
    flattener.feed(rendered if isinstance(rendered, str) else rendered.decode("utf-8"))
    parsed, _ = parse_text("\n".join(flattener.lines))
    assert (parsed.organisation, parsed.year, parsed.format, parsed.variant) == (
        report.organisation,
        report.year,
        report.format,
        report.variant,
    )
    assert (parsed.proactive, parsed.requests, parsed.appeals) == (
        report.proactive,
        report.requests,
        report.appeals,
    )
    assert parsed.sections == report.sections


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports())
def test_pdf_layout_text_reads_back(report: AnnualReport) -> None:
    """gongkai's PDF of any report, through ``pdftotext -layout``: another office's layout."""
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "report.pdf"
        pdf.write_bytes(render(report, "pdf"))
        subprocess.run(
            ["pdftotext", "-layout", str(pdf), str(pdf.with_suffix(".txt"))], check=True, timeout=60
        )
        text = pdf.with_suffix(".txt").read_text(encoding="utf-8")
    parsed, _ = parse_text(text)
    assert (parsed.organisation, parsed.year, parsed.format, parsed.variant) == (
        report.organisation,
        report.year,
        report.format,
        report.variant,
    )
    assert (parsed.proactive, parsed.requests, parsed.appeals) == (
        report.proactive,
        report.requests,
        report.appeals,
    )
    # A line break swallows the space a writer may or may not have put between 3 and 件.
    assert {k: "".join(v.split()) for k, v in parsed.sections.items()} == {
        k: "".join(v.split()) for k, v in report.sections.items()
    }
