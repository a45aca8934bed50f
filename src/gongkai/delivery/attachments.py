"""What goes with the answer (the 告知书 and, later, the released files): rendered at send time."""

from __future__ import annotations

from gongkai.delivery.channels import Attachment
from gongkai.inforequests import selectors as request_selectors
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.notice_docx import render_notice_docx

__all__ = ["answer_attachments"]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def answer_attachments(req: InfoRequest) -> list[Attachment]:
    """The files an answer e-mail carries, in order: today the 告知书 as Word.

    The one place to extend when the 告知书 PDF and the released files are added.
    """
    content = request_selectors.notice_content(req)
    if content is None:
        return []
    name = f"{content.title}（{req.reference}）.docx".replace("/", "_")
    return [Attachment(name, render_notice_docx(content), DOCX)]
