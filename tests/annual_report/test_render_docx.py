"""DOCX output read back with python-docx: labels, every figure in its row, merged cells, fonts."""

from __future__ import annotations

import io
import itertools

import docx
import pytest
from docx.oxml.ns import qn
from docx.table import Table
from hypothesis import HealthCheck, given, settings
from test_render_support import (
    EXAMPLES,
    Anchor,
    all_labels,
    assert_rows_match,
    example,
    expand,
    first_spans,
    full_report,
    hostile_report,
    normalise,
    official_spans,
    report_strategy,
    sparse_report,
)

from gongkai.annual_report.formats import TITLE
from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.rendering import render


def read(report: AnnualReport) -> docx.document.Document:
    return docx.Document(io.BytesIO(render(report, "docx")))


def anchors(table: Table) -> list[Anchor]:
    """The table's cells with their spans, from the XML (gridSpan across, vMerge down)."""
    rows = table._tbl.tr_lst
    placed: list[tuple[int, int, int, str, str | None]] = []  # row, col, span, text, vMerge
    for r, tr in enumerate(rows):
        col = 0
        for tc in tr.tc_lst:
            vmerge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
            state = None if vmerge is None else (vmerge.get(qn("w:val")) or "continue")
            text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
            placed.append((r, col, tc.grid_span, text, state))
            col += tc.grid_span
    continued = {(r, c) for r, c, _, _, state in placed if state == "continue"}
    out = []
    for r, c, span, text, state in placed:
        if state == "continue":
            continue
        height = 1
        while (r + height, c) in continued:
            height += 1
        out.append(Anchor(text, r, c, height, span))
    return out


def body_tables(
    document: docx.document.Document, report: AnnualReport
) -> tuple[list[list[list[str]]], list[int]]:
    """Expanded text of each table, and how many rows of each are caption/header rows."""
    fmt = report.report_format
    tables = [expand(anchors(t)) for t in document.tables]
    headers = [2] * len(fmt.proactive) + [3, 3]  # Table 二 blocks: caption row + header row
    return tables, headers


@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_every_label_and_every_figure_in_its_row(name: str) -> None:
    report = example(name)
    document = read(report)
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    for label in all_labels(report):
        assert normalise(label) in normalise(text + cells), label
    assert document.paragraphs[0].text == f"{report.organisation}{report.year}年{TITLE}"
    assert document.paragraphs[0].style.name == "Title"
    tables, headers = body_tables(document, report)
    assert_rows_match(tables, report, header_rows=headers)


@pytest.mark.parametrize(
    "report",
    [
        full_report("2021"),
        full_report("2019", "beijing"),
        full_report("2019", with_parent=True),
        sparse_report(),
    ],
    ids=["2021", "2019-beijing-subrows", "2019-parent-and-subrows", "blank-and-unreadable"],
)
def test_distinct_figures_land_in_their_own_cells(report: AnnualReport) -> None:
    tables, headers = body_tables(read(report), report)
    assert_rows_match(tables, report, header_rows=headers)


def test_blank_and_unreadable_cells_are_empty_not_zero() -> None:
    report = sparse_report()
    document = read(report)
    fmt = report.report_format
    requests = expand(anchors(document.tables[len(fmt.proactive)]))
    columns = [c.key for c in fmt.request_columns]
    granted = next(r for r in requests if r[1] == "（一）予以公开")
    assert granted[3:] == [str(report.requests["granted"][k] or "") for k in columns]
    assert granted[4] == ""  # 商业企业 is None
    partial = next(r for r in requests if r[1].startswith("（二）部分公开"))
    assert partial[5] == ""  # 科研机构 is absent (unreadable)
    query = next(r for r in requests if r[2] == "8.属于行政查询事项")
    assert query[3:] == [""] * 7  # the whole row unreadable
    fees = expand(anchors(document.tables[3]))
    assert fees[-1] == ["行政事业性收费", ""]
    enforcement = expand(anchors(document.tables[2]))[-1]
    assert enforcement == ["行政强制", ""]


@pytest.mark.parametrize(
    "report", [full_report("2019", "beijing"), full_report("2021")], ids=["2019", "2021"]
)
def test_merged_cells_as_in_the_official_tables(report: AnnualReport) -> None:
    document = read(report)
    for index, expected in official_spans(report).items():
        spans = first_spans(anchors(document.tables[index]))
        for text, span in expected.items():
            assert spans.get(text) == span, (index, text, spans.get(text), span)


def test_balance_note_spans_three_header_rows_and_three_label_columns_in_xml() -> None:
    report = example("donghuashi-2019-corrected.json")
    table = read(report).tables[len(report.report_format.proactive)]
    first = [tr.tc_lst[0] for tr in table._tbl.tr_lst[:4]]
    assert [tc.grid_span for tc in first[:3]] == [3, 3, 3]
    assert first[0].tcPr.find(qn("w:vMerge")).get(qn("w:val")) == "restart"
    for tc in first[1:3]:
        assert tc.tcPr.find(qn("w:vMerge")).get(qn("w:val")) in (None, "continue")
    assert first[3].tcPr.find(qn("w:vMerge")) is None  # the first body row starts afresh
    assert table._tbl.tr_lst[0].tc_lst[1].grid_span == 7  # 申请人情况
    # python-docx sees the merged note as one cell object in all nine positions.
    assert len({id(table.cell(r, c)._tc) for r in range(3) for c in range(3)}) == 1


def test_table_four_header_spans() -> None:
    report = example("donghuashi-2019-corrected.json")
    table = read(report).tables[-1]
    rows = table._tbl.tr_lst
    assert [tc.grid_span for tc in rows[0].tc_lst] == [5, 10]
    assert [tc.grid_span for tc in rows[1].tc_lst] == [1, 1, 1, 1, 1, 5, 5]
    assert len(rows[2].tc_lst) == 15
    assert len(rows[3].tc_lst) == 15


def test_header_rows_repeat_and_rows_never_split() -> None:
    report = example("donghuashi-2019-corrected.json")
    table = read(report).tables[len(report.report_format.proactive)]
    for index, tr in enumerate(table._tbl.tr_lst):
        assert tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None
        assert (tr.trPr.find(qn("w:tblHeader")) is not None) == (index < 3)


def test_every_style_in_use_names_an_east_asian_font() -> None:
    document = read(example("donghuashi-2019-corrected.json"))
    body = document.element.body
    used = {el.get(qn("w:val")) for el in body.iter(qn("w:pStyle"), qn("w:tblStyle"))}
    used.add(document.styles["Normal"].style_id)
    assert {"Title", "Heading1"} <= used
    styles = {s.style_id: s for s in document.styles}
    east_asian: set[str] = set()
    for style_id in used:
        fonts = styles[style_id].element.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts is not None, style_id
        assert fonts.get(qn("w:eastAsia")), style_id
        assert fonts.get(qn("w:eastAsiaTheme")) is None, style_id  # a theme font would override it
        east_asian.add(fonts.get(qn("w:eastAsia")))
    # Runs must not override the styles' East-Asian font with one of their own.
    for fonts in body.iter(qn("w:rFonts")):
        assert fonts.get(qn("w:eastAsia")) is None or fonts.get(qn("w:eastAsia")) in east_asian
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert defaults.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia"))
    # Each of those fonts is declared with a Noto CJK alternative for machines without it.
    font_table = next(r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable"))
    xml = font_table.blob.decode("utf-8")
    for name in east_asian:
        assert f'w:name="{name}"' in xml
    assert "Noto Serif CJK SC" in xml and "Noto Sans CJK SC" in xml


def test_headings_are_their_own_paragraphs_and_sections_one_paragraph_per_line() -> None:
    report = example("donghuashi-2019-corrected.json")
    paragraphs = [p for p in read(report).paragraphs if p.text]
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings == report.headings
    overview_lines = report.sections["overview"].split("\n")
    texts = [p.text for p in paragraphs]
    start = texts.index("一、总体情况") + 1
    assert texts[start : start + len(overview_lines)] == overview_lines
    assert all(paragraphs[start + i].style.name == "Normal" for i in range(len(overview_lines)))


def test_hostile_text_is_kept_as_text() -> None:
    report = hostile_report()
    document = read(report)
    assert document.paragraphs[0].text.startswith(report.organisation)
    assert any(p.text == '=HYPERLINK("http://x")' for p in document.paragraphs)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report_strategy())
def test_any_report_round_trips_through_the_docx_tables(report: AnnualReport) -> None:
    tables, headers = body_tables(read(report), report)
    assert_rows_match(tables, report, header_rows=headers)


def test_tables_are_kept_apart_and_xml_follows_the_schema_order() -> None:
    document = read(example("donghuashi-2019-corrected.json"))
    body = list(document.element.body)
    for before, after in itertools.pairwise(body):
        assert not (before.tag == after.tag == qn("w:tbl")), "two tables side by side fuse into one in Word"
    for tbl in document.element.body.iter(qn("w:tbl")):
        assert len(tbl.tblPr.findall(qn("w:tblLayout"))) == 1
    grid_style = document.styles["Table Grid"].element
    children = [child.tag for child in grid_style]
    assert children.index(qn("w:rPr")) < children.index(qn("w:tblPr"))
