"""The 《政府信息公开申请与保密申请审核表》 of one item as DOCX, generated on demand from the records.

The paper form the office used before (seed report: "由街道各部门将需要公开的信息填写《…审核表》，由所在
部门负责人、主管主任双层审核签字同意后，方可公开"): the item, its drafter and both review levels with
name, decision, comment and date. The latest review round fills the form; earlier rounds (an item
returned and resubmitted) are listed beneath it so the trail is complete.
"""

from __future__ import annotations

import io

from django.utils import timezone
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.table import Table

from gongkai.core import paper_form
from gongkai.core.paper_form import chinese_date, excerpt, person
from gongkai.org.selectors import organisation_name
from gongkai.publications import selectors
from gongkai.publications.models import Publication, PublicationReview, ReviewDecision, ReviewLevel

FORM_TITLE = "政府信息公开申请与保密申请审核表"


def form_title(organisation_name: str) -> str:
    # The seed names it after the office, e.g. 《东花市街道政府信息公开申请与保密申请审核表》.
    return f"{organisation_name}{FORM_TITLE}" if organisation_name else FORM_TITLE


def decision_text(review: PublicationReview | None, *, pending: bool) -> str:
    if review is None:
        return "（待审核）" if pending else "（未审核）"
    return ReviewDecision(review.decision).label


def render_review_form(publication: Publication) -> bytes:
    """The 审核表 of ``publication`` as DOCX bytes."""
    org = organisation_name()
    doc = Document()
    paper_form.setup(doc)
    _set_properties(doc, org, publication)
    doc.add_paragraph(form_title(org), style="Title")
    number = doc.add_paragraph(f"编号：GK-{publication.pk:06d}", style="Normal")
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _form_table(doc, publication)
    history = selectors.review_history(publication)
    earlier = [r for r in history if r.round != publication.review_round]
    if earlier:
        _earlier_rounds(doc, earlier)
    note = doc.add_paragraph(
        f"本表由政务公开工作台根据审核记录生成，生成日期：{chinese_date(timezone.now())}。", style="Normal"
    )
    note.runs[0].font.size = Pt(10)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _set_properties(doc: DocxDocument, org: str, publication: Publication) -> None:
    props = doc.core_properties
    props.title = f"{form_title(org)}：{publication.title}"[:250]
    props.author = org
    props.language = "zh-CN"
    props.comments = "gongkai"


def _form_table(doc: DocxDocument, publication: Publication) -> None:
    """The form itself: the item, both review levels of the latest round, publication and its end."""
    table = paper_form.form_table(doc)
    _item_rows(table, publication)
    _current_review_rows(table, publication)
    _outcome_rows(table, publication)
    paper_form.fix_widths(table)


def _item_rows(table: Table, publication: Publication) -> None:
    deadline = selectors.art26_status(publication)
    paper_form.wide_row(table, "信息名称", publication.title)
    paper_form.pair_row(
        table, "文号", publication.doc_number or "无", "申请科室", str(publication.department)
    )
    paper_form.wide_row(table, "公开类别", f"第二十条{publication.get_category_display()}")
    paper_form.pair_row(
        table,
        "文件类型",
        publication.get_doc_kind_display(),
        "重点领域",
        "是" if publication.key_area else "否",
    )
    paper_form.pair_row(
        table,
        "形成或者变更日期",
        chinese_date(publication.formed_on),
        "法定公开期限",
        chinese_date(deadline.deadline) if deadline.deadline else deadline.message,
    )
    paper_form.pair_row(
        table,
        "起草人",
        person(publication.drafter),
        "提交审核日期",
        chinese_date(publication.submitted_at) or "—",
    )
    paper_form.wide_row(table, "内容摘要", excerpt(publication.body) or "—")


def _current_review_rows(table: Table, publication: Publication) -> None:
    reviews = selectors.current_reviews(publication)
    pending_level = {
        Publication.Status.PENDING_HEAD: ReviewLevel.HEAD,
        Publication.Status.PENDING_DIRECTOR: ReviewLevel.DIRECTOR,
    }.get(publication.status)
    for level, label in (
        (ReviewLevel.HEAD, "科室负责人\n审核意见"),
        (ReviewLevel.DIRECTOR, "主管主任\n审核意见"),
    ):
        review = reviews.get(level)
        text = decision_text(review, pending=pending_level == level)
        if review is not None and review.comment:
            text = f"{text}\n意见：{review.comment}"
        signer = person(review.reviewer) if review else ""
        paper_form.opinion_rows(table, label, text, signer, chinese_date(review.decided_at) if review else "")


def _outcome_rows(table: Table, publication: Publication) -> None:
    paper_form.pair_row(
        table,
        "公开日期",
        chinese_date(publication.published_on) or "未公开",
        "当前状态",
        publication.get_status_display(),
    )
    if publication.withdrawn_on:
        paper_form.wide_row(
            table,
            "撤回",
            f"{chinese_date(publication.withdrawn_on)}撤回；理由：{publication.withdrawn_reason}",
        )
    if publication.repealed_on:
        paper_form.wide_row(
            table,
            "废止",
            f"{chinese_date(publication.repealed_on)}废止 {publication.repealed_reason}".strip(),
        )


def _earlier_rounds(doc: DocxDocument, earlier: list[PublicationReview]) -> None:
    rows = []
    for review in earlier:
        decision = ReviewDecision(review.decision).label
        opinion = f"{decision}：{review.comment}" if review.comment else decision
        rows.append(
            (
                f"第{review.round}轮",
                ReviewLevel(review.level).label,
                person(review.reviewer),
                opinion,
                chinese_date(review.decided_at),
            )
        )
    paper_form.earlier_rounds(doc, "审核层级", rows)
