"""PDF front end: a real published report, tables with and without rules, page breaks, speed."""

from __future__ import annotations

import io
import json
import time
from collections import Counter

import pytest
from test_parse_files_support import SAMPLES, html_pdf, line_with, row_values, table_number, texts

from gongkai.annual_report.formats import (
    GROUP_NOT_PROCESSED,
    GROUP_OTHER,
    GROUP_REFUSED,
    GROUP_UNAVAILABLE,
    REQUEST_ROWS_2021,
)
from gongkai.annual_report.parsing.base import Line, UnreadableReport
from gongkai.annual_report.parsing.grid import clean_cell_text, is_value
from gongkai.annual_report.parsing.pdf import read_pdf

HUAIAN = SAMPLES / "huaian-city-2024.pdf"
needs_huaian = pytest.mark.skipif(not HUAIAN.exists(), reason="shared sample huaian-city-2024.pdf is missing")


@pytest.fixture(scope="module")
def huaian() -> list[Line]:
    lines, notes = read_pdf(HUAIAN.read_bytes())
    assert notes == []
    return lines


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((SAMPLES / "huaian-city-2024.expected.json").read_text("utf-8"))


# -- the real report -------------------------------------------------------------------------------


@needs_huaian
def test_huaian_table_three_total_column(huaian: list[Line], expected: dict) -> None:
    rows = row_values(huaian)
    labels = {row.key: row.label for row in REQUEST_ROWS_2021}
    for key, total in expected["table3_total_column"].items():
        values = rows[labels[key]]
        assert len(values) == 7, (key, values)
        assert int(values[-1]) == total, key
        # The 总计 column is the sum of the six applicant columns in this report.
        assert sum(int(v) for v in values[:-1]) == total, key


@needs_huaian
def test_huaian_outcome_groups_sum(huaian: list[Line], expected: dict) -> None:
    rows = row_values(huaian)
    groups = {
        "refused": GROUP_REFUSED,
        "unavailable": GROUP_UNAVAILABLE,
        "not_processed": GROUP_NOT_PROCESSED,
        "other": GROUP_OTHER,
    }
    for key, group in groups.items():
        leaves = [row.label for row in REQUEST_ROWS_2021 if row.group == group]
        assert (
            sum(int(rows[label][-1]) for label in leaves) == expected["table3_group_sums_total_column"][key]
        )


@needs_huaian
def test_huaian_table_four_is_one_row_of_fifteen(huaian: list[Line], expected: dict) -> None:
    [data] = [ln for ln in huaian if len(ln.tokens) == 15 and all(is_value(t) for t in texts(ln))]
    values = [int(v) for v in texts(data)]
    totals = expected["table4_totals"]
    assert (values[4], values[9], values[14]) == (
        totals["review"],
        totals["litigation_direct"],
        totals["litigation_after_review"],
    )
    header = line_with(huaian, "复议后起诉")
    assert texts(header) == [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
        "未经复议直接起诉",
        "复议后起诉",
    ]


@needs_huaian
def test_huaian_table_continued_on_next_page_is_joined(huaian: list[Line]) -> None:
    before = line_with(huaian, "1.本机关不掌握相关政府信息")
    after = line_with(huaian, "2.没有现成信息需要另行制作")
    assert (before.page, after.page) == (4, 5)
    assert table_number(before) == table_number(after)
    # The group label the page break split ("（四）无" | "法提供") is one label, given once.
    assert texts(before)[:2] == ["（四）无法提供", "1.本机关不掌握相关政府信息"]
    assert texts(after)[0] == "2.没有现成信息需要另行制作"
    assert not any(t.text == "法提供" for ln in huaian for t in ln.tokens)
    # Table 二 runs from page 3 onto page 4 as well.
    assert table_number(line_with(huaian, "规章")) == table_number(line_with(huaian, "行政处罚"))


@needs_huaian
def test_huaian_merged_and_vertical_cells(huaian: list[Line]) -> None:
    header = line_with(huaian, "商业企业")
    assert texts(header) == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    first = line_with(huaian, "（一）予以公开")
    assert texts(first)[0] == "三、本年度办理结果"
    # A merged label is not repeated in the rows it spans.
    assert sum(t.text == "三、本年度办理结果" for ln in huaian for t in ln.tokens) == 1
    assert all(t.cell and t.x is not None for t in first.tokens)


@needs_huaian
def test_huaian_paragraphs_joined_across_lines_and_pages(huaian: list[Line]) -> None:
    paragraphs = [ln.tokens[0].text for ln in huaian if len(ln.tokens) == 1 and not ln.tokens[0].cell]
    opening = next(p for p in paragraphs if p.startswith("（一）主动公开情况。"))
    assert opening.endswith("回应舆论关切。")
    assert "“建设‘四最’一流营商环境高质量推进产业发展”" in opening  # spans pages 1 and 2
    assert "一、总体情况" in paragraphs
    assert "六、其他需要报告的事项" in paragraphs
    # Page numbers ("-1-", "- 4 -") are not text of the report.
    assert not any(clean_cell_text(p).strip("- ").isdigit() for p in paragraphs)


@needs_huaian
def test_huaian_cells_agree_with_pdfplumber(huaian: list[Line]) -> None:
    """Every number pdfplumber's table finder sees in a table cell is in our table lines, page by page."""
    import pdfplumber

    ours: Counter[tuple[int | None, str]] = Counter(
        (ln.page, t.text) for ln in huaian for t in ln.tokens if t.cell and is_value(t.text)
    )
    theirs: Counter[tuple[int | None, str]] = Counter()
    with pdfplumber.open(HUAIAN) as pdf:
        for page in pdf.pages:
            for table in page.find_tables():
                for row in table.extract():
                    for cell in row:
                        text = clean_cell_text(cell or "")
                        if text and is_value(text):
                            theirs[(page.page_number, text)] += 1
    assert ours == theirs


@needs_huaian
def test_huaian_no_slower_than_pdfplumber_text(huaian: list[Line]) -> None:
    import pdfplumber

    data = HUAIAN.read_bytes()

    def best(fn: object, n: int = 3) -> float:
        out = float("inf")
        for _ in range(n):
            start = time.perf_counter()
            fn()  # type: ignore[operator]
            out = min(out, time.perf_counter() - start)
        return out

    def plumber() -> None:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.extract_text()

    assert best(lambda: read_pdf(data)) < best(plumber)


# -- generated layouts -----------------------------------------------------------------------------

_ROWS = [
    ("一、本年新收政府信息公开申请数量", [5, 1, 0, 0, 0, 1, 7]),
    ("（一）予以公开", [2, 0, 0, 0, 0, 1, 3]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [1, 1, 0, 0, 0, 0, 2]),
    ("1.属于国家秘密", [0, 0, 0, 0, 0, 0, 0]),
    ("5.要求行政机关确认或重新出具已获取信息", [0, 0, 0, 0, 0, 0, 0]),
]


def _cells(values: list[int]) -> str:
    return "".join(f"<td>{v}</td>" for v in values)


@pytest.mark.parametrize("valign", ["top", "middle"])
def test_unruled_table_from_word_positions(valign: str) -> None:
    """No rules: rows from the positions of the words, wrapped labels and vertical headers joined."""
    vertical = "".join(
        f"<td>{'<br>'.join(w)}</td>" for w in ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    )
    body = "".join(f"<tr><td class=l>{label}</td>{_cells(values)}</tr>" for label, values in _ROWS)
    data = html_pdf(
        f"""<p>三、收到和处理政府信息公开申请情况</p>
        <table>
        <tr><td class=l rowspan=3>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>
            <td colspan=7>申请人情况</td></tr>
        <tr><td rowspan=2>自<br>然<br>人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总<br>计</td></tr>
        <tr>{vertical}</tr>
        {body}
        </table>
        <p>四、政府信息公开行政复议、行政诉讼情况</p>""",
        f"table {{ border-collapse: collapse }} td {{ padding: 3px 6px; text-align: center; vertical-align: {valign} }}"
        " td.l { width: 9em; text-align: left }",
    )
    lines, _ = read_pdf(data)
    rows = row_values(lines)
    for label, values in _ROWS:
        assert rows[label] == [str(v) for v in values], label
        assert not line_with(lines, label).tokens[0].cell  # positions, not ruled cells
    header = next(ln for ln in lines if "商业企业" in texts(ln))
    assert texts(header)[-7:] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    xs = [t.x for t in header.tokens]
    assert xs == sorted(xs)
    first, last = texts(lines[0]), texts(lines[-1])
    assert first == ["三、收到和处理政府信息公开申请情况"]
    assert last == ["四、政府信息公开行政复议、行政诉讼情况"]


def test_ruled_table_over_three_pages_with_repeated_header() -> None:
    rows = "".join(f"<tr><td>第 {i} 项</td><td>{i}</td><td>{2 * i}</td></tr>" for i in range(1, 121))
    data = html_pdf(
        f"""<p>表格前的文字。</p>
        <table><thead><tr><th>信息内容</th><th>本年制发件数</th><th>现行有效件数</th></tr></thead>
        <tbody>{rows}</tbody></table><p>表格后的文字。</p>""",
        "table { border-collapse: collapse; width: 100% } td, th { border: 0.8pt solid black; padding: 2pt }",
    )
    lines, _ = read_pdf(data)
    table = [ln for ln in lines if ln.tokens[0].cell]
    assert {ln.page for ln in table} >= {1, 2, 3}
    assert {table_number(ln) for ln in table} == {"1"}
    assert [texts(ln) for ln in table[:2]] == [
        ["信息内容", "本年制发件数", "现行有效件数"],
        ["第 1 项", "1", "2"],
    ]
    assert [texts(ln) for ln in table[1:]] == [[f"第 {i} 项", str(i), str(2 * i)] for i in range(1, 121)]
    assert texts(lines[-1]) == ["表格后的文字。"]


def test_merged_label_cut_by_page_break_is_one_cell() -> None:
    """A label merged over rows that run onto the next page is printed once, on its first row."""
    rows = "".join(f"<tr><td>{i}.第{i}类</td><td>{i}</td></tr>" for i in range(2, 61))
    data = html_pdf(
        f"""<table>
        <tr><td rowspan=60>（三）不予公开</td><td>1.第1类</td><td>1</td></tr>
        {rows}
        </table>""",
        "table { border-collapse: collapse } td { border: 0.8pt solid black; padding: 3pt }",
    )
    lines, _ = read_pdf(data)
    # Rows 2.. have two cells (label, value) after the first row's three.
    assert texts(lines[0]) == ["（三）不予公开", "1.第1类", "1"]
    assert [texts(ln) for ln in lines[1:]] == [[f"{i}.第{i}类", str(i)] for i in range(2, 61)]
    assert {table_number(ln) for ln in lines} == {"1"}
    assert lines[-1].page and lines[-1].page > 1


def test_blank_cells_stay_in_place_and_label_area_blanks_go() -> None:
    data = html_pdf(
        """<table>
        <tr><td colspan=2>信息内容</td><td>上一年项目数量</td><td>本年增/减</td><td>处理决定数量</td></tr>
        <tr><td colspan=2>行政许可</td><td></td><td>3</td><td></td></tr>
        <tr><td rowspan=2>其他对外管理服务事项</td><td>行政检查</td><td></td><td>0</td><td>4</td></tr>
        <tr><td>行政确认</td><td>1</td><td></td><td>5</td></tr>
        </table>""",
        "table { border-collapse: collapse } td { border: 0.8pt solid black; padding: 3pt }",
    )
    lines, _ = read_pdf(data)
    assert [texts(ln) for ln in lines] == [
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政许可", "", "3", ""],
        ["其他对外管理服务事项", "行政检查", "", "0", "4"],
        ["行政确认", "1", "", "5"],
    ]
    assert [t.x for t in lines[3].tokens] == [1.0, 2.0, 3.0, 4.0]


def test_paragraph_across_page_break_and_page_numbers() -> None:
    long = "依申请公开工作稳步推进，答复及时规范。" * 60
    data = html_pdf(
        f"<p style='margin-top: 560pt'>一、总体情况</p><p style='text-indent: 2em'>{long}</p><p>二、主动公开政府信息情况</p>"
    )
    lines, _ = read_pdf(data)
    assert [texts(ln) for ln in lines] == [["一、总体情况"], [long], ["二、主动公开政府信息情况"]]
    assert lines[1].page == 1


def test_framed_text_is_text_not_a_table() -> None:
    data = html_pdf(
        "<div style='border: 1pt solid black; padding: 6pt'>本报告由某某街道办事处编制。</div><p>一、总体情况</p>"
    )
    lines, _ = read_pdf(data)
    assert [texts(ln) for ln in lines] == [["本报告由某某街道办事处编制。"], ["一、总体情况"]]
    assert not lines[0].tokens[0].cell


# -- PDFs that cannot be read ----------------------------------------------------------------------


def _image_pdf(pages: int = 1) -> bytes:
    from PIL import Image, ImageDraw

    images = []
    for i in range(pages):
        image = Image.new("RGB", (600, 800), "white")
        ImageDraw.Draw(image).rectangle((50, 50 + i, 550, 300), outline="black", width=3)
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:])
    return out.getvalue()


def test_scanned_pdf_needs_ocr() -> None:
    with pytest.raises(UnreadableReport, match=r"扫描件.*OCR") as info:
        read_pdf(_image_pdf(2))
    assert "\n" not in str(info.value)


def test_scanned_page_in_a_text_pdf_is_noted() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for source in (html_pdf("<p>一、总体情况</p>"), _image_pdf()):
        for page in PdfReader(io.BytesIO(source)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    lines, notes = read_pdf(out.getvalue())
    assert texts(lines[0]) == ["一、总体情况"]
    assert [n.code for n in notes] == ["page_image_only"]
    assert "第 2 页" in notes[0].message and "OCR" in notes[0].message


def test_encrypted_pdf() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(html_pdf("<p>一、总体情况</p>"))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(UnreadableReport, match=r"加密.*密码"):
        read_pdf(out.getvalue())


def test_pdf_with_only_an_owner_password_is_read() -> None:
    """Permissions-only encryption (no password to open) is what many offices publish; it reads."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(html_pdf("<p>一、总体情况</p>"))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    lines, _ = read_pdf(out.getvalue())
    assert texts(lines[0]) == ["一、总体情况"]


def test_truncated_pdf() -> None:
    data = html_pdf("<p>一、总体情况</p>")
    with pytest.raises(UnreadableReport, match=r"不完整.*截断"):
        read_pdf(data[: len(data) // 2])


def test_pdf_with_a_broken_body() -> None:
    with pytest.raises(UnreadableReport, match="损坏"):
        read_pdf(b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")


# -- through the assembler -------------------------------------------------------------------------


@needs_huaian
def test_huaian_report_figures(expected: dict) -> None:
    from gongkai.annual_report.parsing.files import parse_file

    report, notes = parse_file(HUAIAN)
    assert (report.organisation, report.year, report.format) == ("淮安市人民政府", 2024, "2021")
    assert [n for n in notes if n.severity == "error"] == []
    for key, total in expected["table3_total_column"].items():
        assert report.cell("requests", key, "total") == total, key
    for group, total in expected["table4_totals"].items():
        assert report.cell("appeals", group, "total") == total, group
    leaves = {row.key for row in REQUEST_ROWS_2021 if row.group == GROUP_OTHER}
    assert sum(report.cell("requests", key, "total") or 0 for key in leaves) == 187
    # Where each figure came from: page and cell.
    assert report.provenance[("requests", "unavailable.needs_creation", "total")].startswith(
        "第 5 页第 2 个表格"
    )


def test_heading_right_after_a_full_line_starts_a_paragraph() -> None:
    body = "政务公开工作稳步推进成效明显群众满意提升"  # two full lines of ten characters
    data = html_pdf(
        f"<div style='width: 10em'><p style='margin: 0'>{body}</p>"
        "<p style='margin: 0'>二、主动公开政府信息情况</p><p style='margin: 0'>（一）规章。</p></div>"
    )
    lines, _ = read_pdf(data)
    assert [texts(ln) for ln in lines] == [[body], ["二、主动公开政府信息情况"], ["（一）规章。"]]
