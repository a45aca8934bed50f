"""The 《政府信息公开申请与保密申请审核表》 DOCX carries both review levels' names, decisions and dates."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from docx import Document
from docx.oxml.ns import qn

from gongkai.core.models import User
from gongkai.publications import services
from gongkai.publications.models import Publication
from gongkai.publications.review_form import render_review_form

from .factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def cell_texts(data: bytes) -> list[str]:
    doc = Document(io.BytesIO(data))
    texts: list[str] = []
    seen: list[object] = []  # the <w:tc> elements, kept alive so that identity is stable
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                # A merged cell appears once per grid position it covers.
                if not any(cell._tc is tc for tc in seen):
                    seen.append(cell._tc)
                    texts.append(cell.text)
    return texts


def at(day: int, hour: int) -> time_machine.travel:
    return time_machine.travel(dt.datetime(2019, 9, day, hour, 0, tzinfo=dt.UTC), tick=False)


def test_review_form_has_both_levels(
    pending_head: Publication, head: User, director: User, calendar_db: object
) -> None:
    OrganisationFactory(name="东花市街道办事处")
    with at(23, 2):
        services.publication_approve(actor=head, publication=pending_head, comment="无涉密内容，同意")
    with at(24, 8):
        services.publication_approve(actor=director, publication=pending_head, comment="同意公开")
    data = render_review_form(pending_head)
    doc = Document(io.BytesIO(data))
    assert doc.paragraphs[0].text == "东花市街道办事处政府信息公开申请与保密申请审核表"
    texts = cell_texts(data)
    joined = "\n".join(texts)
    assert "关于调整街道便民服务时间的通知" in texts
    assert "东花市发〔2019〕3号" in texts
    assert "党政办公室" in texts
    assert "李起草" in texts
    # Level 1: 王科长 on 23 September; level 2: 陈主任 on 24 September (Beijing dates).
    head_at = texts.index("科室负责人\n审核意见")
    assert texts[head_at + 1] == "同意公开\n意见：无涉密内容，同意"
    assert texts[head_at + 2 : head_at + 5] == ["签字：王科长", "日期", "2019年9月23日"]
    director_at = texts.index("主管主任\n审核意见")
    assert texts[director_at + 1] == "同意公开\n意见：同意公开"
    assert texts[director_at + 2 : director_at + 5] == ["签字：陈主任", "日期", "2019年9月24日"]
    assert "2019年9月24日" in texts[texts.index("公开日期") + 1]
    # The Art. 26 deadline from the seeded calendar: 20 working days after 20 September 2019.
    assert texts[texts.index("法定公开期限") + 1] == "2019年10月23日"
    assert "此前各轮" not in joined


def test_review_form_of_a_returned_and_pending_item(
    pending_head: Publication, head: User, drafter: User
) -> None:
    services.publication_reject(actor=head, publication=pending_head, reason="文号有误")
    services.publication_submit(actor=drafter, publication=pending_head)
    data = render_review_form(pending_head)
    texts = cell_texts(data)
    assert texts[texts.index("科室负责人\n审核意见") + 1] == "（待审核）"
    assert texts[texts.index("主管主任\n审核意见") + 1] == "（未审核）"
    # The earlier round's rejection is in the trail table beneath the form.
    assert "退回：文号有误" in texts
    assert "第1轮" in texts
    # No calendar seeded in this test: the deadline cell says what to do instead of guessing.
    assert texts[texts.index("法定公开期限") + 1] == "请录入 2019 年放假安排"


def test_review_form_names_east_asian_fonts(pending_head: Publication) -> None:
    doc = Document(io.BytesIO(render_review_form(pending_head)))
    fonts = doc.styles["Normal"].element.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋"
    title_fonts = doc.styles["Title"].element.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert title_fonts.get(qn("w:eastAsia")) == "宋体"
