"""HTML output parsed with the standard library: spans as in the official tables, every figure, escaping."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from test_render_support import (
    EXAMPLES,
    HOSTILE,
    Anchor,
    all_labels,
    assert_rows_match,
    example,
    expand,
    first_spans,
    full_report,
    hostile_report,
    official_spans,
    report_strategy,
    sparse_report,
)

from gongkai.annual_report.formats import TITLE
from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.rendering import render
from gongkai.annual_report.rendering.html import render_html_fragment


class Page(HTMLParser):
    """Elements, text by element, and each table's cells with their spans."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.texts: dict[str, list[str]] = {}
        self.tables: list[dict[str, object]] = []
        self.external: list[str] = []
        self._open: list[str] = []
        self._buffer: list[str] = []
        self._row = -1
        self._cell: dict[str, object] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        self.tags.append(tag)
        self.external += [v for k, v in attrs if k in ("src", "href") and v]
        if tag == "link":
            self.external.append(str(attr))
        if tag == "table":
            self.tables.append({"attrs": attr, "cells": [], "rows": [], "thead_rows": 0, "caption": None})
            self._row = -1
        elif tag == "tr":
            self._row += 1
            self.tables[-1]["rows"].append(attr)  # type: ignore[attr-defined]
            if "thead" in self._open:
                self.tables[-1]["thead_rows"] += 1  # type: ignore[operator]
        elif tag in ("td", "th"):
            self._cell = {
                "tag": tag,
                "row": self._row,
                "rowspan": int(attr.get("rowspan") or 1),
                "colspan": int(attr.get("colspan") or 1),
            }
        if tag in ("h1", "h2", "p", "td", "th", "caption", "title"):
            self._buffer = []
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "p", "td", "th", "caption", "title"):
            text = "".join(self._buffer)
            self.texts.setdefault(tag, []).append(text)
            if tag in ("td", "th") and self._cell is not None:
                self._cell["text"] = text
                self.tables[-1]["cells"].append(self._cell)  # type: ignore[attr-defined]
                self._cell = None
            if tag == "caption":
                self.tables[-1]["caption"] = text
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        self._buffer.append(data)


def parse(markup: str) -> Page:
    page = Page()
    page.feed(markup)
    page.close()
    return page


def anchors(table: dict[str, object]) -> list[Anchor]:
    """Place each cell in the grid the way a browser does: skip positions taken by earlier rowspans."""
    taken: set[tuple[int, int]] = set()
    out: list[Anchor] = []
    for cell in table["cells"]:  # type: ignore[attr-defined]
        row = cell["row"]
        col = 0
        while (row, col) in taken:
            col += 1
        for r in range(row, row + cell["rowspan"]):
            for c in range(col, col + cell["colspan"]):
                taken.add((r, c))
        out.append(Anchor(cell["text"], row, col, cell["rowspan"], cell["colspan"]))
    return out


def html_tables(page: Page) -> tuple[list[list[list[str]]], list[int]]:
    return [expand(anchors(t)) for t in page.tables], [int(t["thead_rows"]) for t in page.tables]  # type: ignore[call-overload]


@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_labels_and_every_figure(name: str) -> None:
    report = example(name)
    page = parse(render(report, "html").decode("utf-8"))
    everything = "".join(t for texts in page.texts.values() for t in texts)
    for label in all_labels(report):
        assert label in everything, label
    assert page.texts["h1"] == [f"{report.organisation}{report.year}年{TITLE}"]
    assert page.texts["h2"] == report.headings
    tables, headers = html_tables(page)
    assert_rows_match(tables, report, header_rows=headers)
    assert [t["caption"] for t in page.tables[:5]] == [b.caption for b in report.report_format.proactive]


@pytest.mark.parametrize(
    "report",
    [full_report("2019", "beijing"), full_report("2021"), full_report("2019", with_parent=True)],
    ids=["2019", "2021", "2019-parent"],
)
def test_rowspans_and_colspans_are_the_official_ones(report: AnnualReport) -> None:
    page = parse(render(report, "html").decode("utf-8"))
    for index, expected in official_spans(report).items():
        spans = first_spans(anchors(page.tables[index]))
        for text, span in expected.items():
            assert spans.get(text) == span, (index, text, spans.get(text), span)
    tables, headers = html_tables(page)
    assert_rows_match(tables, report, header_rows=headers)


def test_blank_and_unreadable_cells_render_as_empty_cells() -> None:
    report = sparse_report()
    page = parse(render(report, "html").decode("utf-8"))
    tables, headers = html_tables(page)
    assert_rows_match(tables, report, header_rows=headers)
    requests = tables[len(report.report_format.proactive)]
    query = next(r for r in requests if r[2] == "8.属于行政查询事项")
    assert query[3:] == [""] * 7


def test_header_cells_are_th_in_thead_and_row_labels_th() -> None:
    markup = render(example("donghuashi-2019-corrected.json"), "html").decode("utf-8")
    page = parse(markup)
    requests = page.tables[5]
    assert requests["thead_rows"] == 3
    header_cells = [c for c in requests["cells"] if c["row"] < 3]  # type: ignore[attr-defined]
    assert {c["tag"] for c in header_cells} == {"th"}
    body = [c for c in requests["cells"] if c["row"] >= 3]  # type: ignore[attr-defined]
    assert {c["tag"] for c in body if c["text"].isdigit()} == {"td"}
    assert {c["tag"] for c in body if not c["text"].isdigit()} == {"th"}
    assert "<thead>" in markup and "<caption>" in markup


def test_hostile_text_is_escaped() -> None:
    report = hostile_report()
    markup = render(report, "html").decode("utf-8")
    assert "<script" not in markup
    assert "<b>" not in markup
    page = parse(markup)
    assert "script" not in page.tags and "b" not in page.tags
    assert page.texts["h1"][0].startswith(HOSTILE)  # shown as the very characters, not markup
    assert page.texts["title"][0].startswith(HOSTILE)
    assert f"正文{HOSTILE}" in page.texts["p"]
    fragment = render_html_fragment(report)
    assert "<script" not in fragment and fragment.startswith("<article")


def test_self_contained_with_print_css() -> None:
    markup = render(example("donghuashi-2019-corrected.json"), "html").decode("utf-8")
    page = parse(markup)
    assert page.external == []
    assert "@import" not in markup and "url(" not in markup
    assert "size: A4" in markup
    assert '"Noto Serif CJK SC"' in markup and '"Noto Sans CJK SC"' in markup
    assert "break-inside: avoid" in markup


def test_fragment_is_the_page_body() -> None:
    report = example("donghuashi-2019-corrected.json")
    fragment = render_html_fragment(report)
    assert fragment in render(report, "html").decode("utf-8")
    assert "<html" not in fragment and "<style" not in fragment


@settings(max_examples=40, deadline=None)
@given(report_strategy())
def test_any_report_round_trips_through_the_html_tables(report: AnnualReport) -> None:
    page = parse(render(report, "html").decode("utf-8"))
    tables, headers = html_tables(page)
    assert_rows_match(tables, report, header_rows=headers)


def test_section_bodies_come_before_their_tables_and_empty_ones_add_nothing() -> None:
    report = full_report("2021")
    report.sections["appeals"] = ""
    fragment = render_html_fragment(report)
    order = re.findall(r"<(h2|p|table)\b[^>]*>([^<]*)", fragment)
    flow = [(tag, text.strip()) for tag, text in order]
    proactive = flow.index(("h2", "二、主动公开政府信息情况"))
    assert flow[proactive + 1] == ("p", "主动公开的说明。")
    assert flow[proactive + 2][0] == "table"
    requests = flow.index(("h2", "三、收到和处理政府信息公开申请情况"))
    assert flow[requests + 1 : requests + 3] == [("p", "依申请公开的说明。"), ("table", "")]
    appeals = flow.index(("h2", "四、政府信息公开行政复议、行政诉讼情况"))
    assert flow[appeals + 1][0] == "table"  # no empty paragraph for the empty body
    overview = flow.index(("h2", "一、总体情况"))
    assert flow[overview + 1 : overview + 3] == [("p", "第一段总体情况。"), ("p", "第二段：收到申请 3 件。")]
