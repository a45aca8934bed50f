"""What goes with the answer: the 告知书 as PDF and the documents the reply releases, rendered at send time.

Mail servers refuse large messages (often at 20–25 MB, counted after base64 adds a third), so the released
documents ride along only while the message stays under ``EMAIL_BUDGET``; the rest are named in the e-mail
and downloaded from the portal's status page, where all of them always are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.delivery.channels import Attachment
from gongkai.inforequests import selectors as request_selectors
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.notice_pdf import render_notice_pdf
from gongkai.inforequests.selectors import ReleasedDocument

__all__ = ["EMAIL_BUDGET", "AnswerPackage", "answer_attachments", "answer_package"]

PDF = "application/pdf"
# Raw bytes; base64 makes ~13.3 MB, under the common 20 MB limit with room for the text and the 告知书.
EMAIL_BUDGET = 10 * 1024 * 1024


@dataclass
class AnswerPackage:
    attached: list[ReleasedDocument] = field(default_factory=list)
    online_only: list[ReleasedDocument] = field(default_factory=list)


def answer_package(req: InfoRequest) -> AnswerPackage:
    """Which released documents the e-mail carries (in order, while they fit) and which stay online only."""
    package = AnswerPackage()
    used = 0
    for doc in request_selectors.released_files(req):
        if not package.online_only and used + doc.size <= EMAIL_BUDGET:
            package.attached.append(doc)
            used += doc.size
        else:
            package.online_only.append(doc)
    return package


def answer_attachments(req: InfoRequest) -> list[Attachment]:
    """The files an answer e-mail carries, in order: the 告知书 as PDF, then the released documents that fit."""
    content = request_selectors.notice_content(req)
    if content is None:
        return []
    name = f"{content.title}（{req.reference}）.pdf".replace("/", "_")
    files = [Attachment(name, render_notice_pdf(content), PDF)]
    files.extend(Attachment(d.filename, d.read(), d.content_type) for d in answer_package(req).attached)
    return files
