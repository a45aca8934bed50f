"""The 《政府信息公开申请答复审批表》 of one case as DOCX, generated on demand from the records.

The paper form an office files with the 告知书: the case, the reply's outcome and text, and one row per
step of the review chain with its reviewer, opinion and date — the last step's reviewer being the signer
(签发人). The current round fills the form; decisions of earlier rounds (a draft returned and sent again)
are listed beneath it, so the trail is complete. Like the publications' 审核表, the layout is a 4-column
grid (label, value, label, value) in 宋体/仿宋. Only the applicant's name is printed, never their ID
number, phone or address.
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
from gongkai.inforequests.models import InfoRequest, ReplyNotice, ReplyReview, ReplyReviewDecision
from gongkai.inforequests.review_selectors import Progress, StepRow
from gongkai.org.selectors import organisation_name

__all__ = ["FORM_TITLE", "form_title", "render_approval_form"]

FORM_TITLE = "政府信息公开申请答复审批表"


def form_title(organisation: str) -> str:
    return f"{organisation}{FORM_TITLE}" if organisation else FORM_TITLE


def render_approval_form(req: InfoRequest, reply: ReplyNotice, progress: Progress) -> bytes:
    """The 审批表 of the case's reply as DOCX bytes."""
    org = organisation_name()
    doc = Document()
    paper_form.setup(doc)
    props = doc.core_properties
    props.title, props.author, props.language, props.comments = form_title(org), org, "zh-CN", "gongkai"
    doc.add_paragraph(form_title(org), style="Title")
    number = doc.add_paragraph(f"案号：{req.reference}", style="Normal")
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table = paper_form.form_table(doc)
    _case_rows(table, req, reply)
    for step in progress.steps:
        _step_rows(table, step)
    _outcome_rows(table, reply)
    paper_form.fix_widths(table)
    if progress.earlier:
        _earlier_rounds(doc, progress.earlier)
    note = doc.add_paragraph(
        f"本表由政务公开工作台根据审核记录生成（第 {progress.round or 1} 轮审核），"
        f"生成日期：{chinese_date(timezone.now())}。",
        style="Normal",
    )
    note.runs[0].font.size = Pt(10)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _case_rows(table: Table, req: InfoRequest, reply: ReplyNotice) -> None:
    paper_form.pair_row(
        table, "收到申请日期", chinese_date(req.received_on), "申请人类型", req.get_applicant_type_display()
    )
    paper_form.wide_row(table, "申请人", req.applicant_name)
    paper_form.wide_row(table, "申请内容", excerpt(req.description, 200))
    handler = person(req.handler) or "未指定"
    paper_form.pair_row(
        table, "承办科室", req.department.name if req.department else "未分派", "承办人", handler
    )
    paper_form.pair_row(
        table, "答复期限", chinese_date(req.due_on) or "—", "办理结果", reply.get_outcome_display()
    )
    paper_form.wide_row(table, "告知书标题", reply.title)
    paper_form.wide_row(table, "答复内容摘要", excerpt(reply.body) or "—")
    paper_form.wide_row(table, "法律依据", reply.legal_basis or "—")
    paper_form.pair_row(
        table, "拟稿人", person(reply.drafted_by), "送审日期", chinese_date(reply.submitted_on) or "未送审"
    )


def _step_rows(table: Table, step: StepRow) -> None:
    """The step's opinion and its signature, under the step's name and who may decide it."""
    review = step.review
    text = f"（{step.state}）" if review is None else str(ReplyReviewDecision(review.decision).label)
    if review is not None and review.is_approved and step.signing:
        text = "同意，签发"
    if review is not None and review.opinion:
        text = f"{text}\n{'理由' if not review.is_approved else '意见'}：{review.opinion}"
    signer, date = (person(review.reviewer), chinese_date(review.decided_on)) if review else ("", "")
    paper_form.opinion_rows(table, f"{step.name}\n（{step.who}）", text, signer, date)


def _outcome_rows(table: Table, reply: ReplyNotice) -> None:
    paper_form.pair_row(
        table, "签发人", person(reply.signed_by) or "未签发", "签发日期", chinese_date(reply.signed_on) or "—"
    )
    paper_form.pair_row(
        table, "答复日期", chinese_date(reply.issued_on) or "未发出", "发出人", person(reply.issued_by) or "—"
    )


def _earlier_rounds(doc: DocxDocument, earlier: list[ReplyReview]) -> None:
    rows = []
    for review in earlier:
        decision = str(ReplyReviewDecision(review.decision).label)
        opinion = f"{decision}：{review.opinion}" if review.opinion else decision
        rows.append(
            (
                f"第{review.round}轮",
                review.step_name,
                person(review.reviewer),
                opinion,
                chinese_date(review.decided_on),
            )
        )
    paper_form.earlier_rounds(doc, "步骤", rows)
