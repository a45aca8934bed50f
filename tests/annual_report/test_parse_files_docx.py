"""Word front end: documents built with python-docx the way offices lay out their reports."""

from __future__ import annotations

import io

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from test_parse_files_support import texts

from gongkai.annual_report.parsing.base import UnreadableReport
from gongkai.annual_report.parsing.docx import docx_lines

BALANCE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def _save(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _vertical(cell: docx.table._Cell, word: str) -> None:
    """A header typed one character per paragraph, as offices do for narrow columns."""
    cell.text = word[0]
    for ch in word[1:]:
        cell.add_paragraph(ch)


def test_paragraphs_and_tables_in_document_order_with_merged_cells() -> None:
    document = docx.Document()
    document.add_paragraph("某某街道办事处2021年政府信息公开工作年度报告")
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    table = document.add_table(rows=5, cols=5)
    table.cell(0, 0).merge(table.cell(1, 1)).text = BALANCE
    table.cell(0, 2).merge(table.cell(0, 4)).text = "申请人情况"
    _vertical(table.cell(1, 2), "自然人")
    _vertical(table.cell(1, 3), "商业企业")
    table.cell(1, 4).text = "总计"
    group = table.cell(2, 0).merge(table.cell(3, 0))
    _vertical(group, "三、本年度办理结果")
    for r, (label, values) in enumerate(
        [("（一）予以公开", ["1", "", "1"]), ("（二）部分公开", ["0", "0", "0"])], start=2
    ):
        table.cell(r, 1).text = label
        for c, value in enumerate(values, start=2):
            table.cell(r, c).text = value
    table.cell(4, 0).merge(table.cell(4, 1)).text = "四、结转下年度继续办理"
    for c in range(2, 5):
        table.cell(4, c).text = "\u3000"  # a full-width space is still a blank cell
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")

    lines = docx_lines(_save(document))
    assert [texts(ln) for ln in lines] == [
        ["某某街道办事处2021年政府信息公开工作年度报告"],
        ["三、收到和处理政府信息公开申请情况"],
        [BALANCE, "申请人情况"],
        ["自然人", "商业企业", "总计"],
        ["三、本年度办理结果", "（一）予以公开", "1", "", "1"],
        ["（二）部分公开", "0", "0", "0"],
        ["四、结转下年度继续办理", "", "", ""],
        ["四、政府信息公开行政复议、行政诉讼情况"],
    ]
    assert [t.x for t in lines[4].tokens] == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert [t.x for t in lines[5].tokens] == [1.0, 2.0, 3.0, 4.0]
    assert all(t.cell for t in lines[4].tokens)
    assert not lines[0].tokens[0].cell
    assert lines[4].tokens[3].where == "第 1 个表格第 3 行第 4 列"
    assert lines[7].where == "第 3 段"  # paragraphs are counted outside tables


def test_content_controls_revisions_breaks_and_tabs() -> None:
    document = docx.Document()
    body = document.element.body
    # A paragraph wrapped in a content control (w:sdt), as templates produce.
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    inner = document.add_paragraph("一、总体情况")._p
    content.append(inner)
    sdt.append(content)
    body.insert(0, sdt)
    paragraph = document.add_paragraph("本年度收到申请")
    # A tracked deletion is not part of the text.
    deleted = OxmlElement("w:del")
    run = OxmlElement("w:r")
    gone = OxmlElement("w:delText")
    gone.text = "（已删除）"
    run.append(gone)
    deleted.append(run)
    paragraph._p.append(deleted)
    paragraph.add_run("12 件。")
    paragraph.add_run().add_break()
    paragraph.add_run("其中予以公开 5 件。")
    document.add_paragraph("规章\t0\t0")

    lines = docx_lines(_save(document))
    assert [texts(ln) for ln in lines] == [
        ["一、总体情况"],
        ["本年度收到申请12 件。"],
        ["其中予以公开 5 件。"],
        ["规章", "0", "0"],
    ]


def test_row_with_cells_skipped_at_its_start() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for c, text in enumerate(["信息内容", "本年制发件数", "现行有效件数"]):
        table.cell(0, c).text = text
    row = table.rows[1]._tr
    # w:gridBefore: the row starts one grid column in; Word draws nothing there.
    row.remove(row.tc_lst[0])
    properties = row.get_or_add_trPr()
    before = OxmlElement("w:gridBefore")
    before.set(qn("w:val"), "1")
    properties.append(before)
    for tc, text in zip(row.tc_lst, ["3", "7"], strict=True):
        tc.clear_content()
        p = tc.add_p()
        p.add_r().text = text

    lines = docx_lines(_save(document))
    assert [texts(ln) for ln in lines] == [["信息内容", "本年制发件数", "现行有效件数"], ["3", "7"]]
    assert [t.x for t in lines[1].tokens] == [1.0, 2.0]


def test_not_a_word_document() -> None:
    with pytest.raises(UnreadableReport, match="Word"):
        docx_lines(b"PK\x03\x04 not really a zip")
