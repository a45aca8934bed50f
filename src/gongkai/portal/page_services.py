"""The office edits the portal's own pages (政府信息公开指南, 制度) from the workbench.

Like every write: keyword-only, a mandatory actor, validation before the write, an audit row with the
text before and after in the same transaction.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.services import record_event
from gongkai.org.access import Permission, require
from gongkai.portal.default_pages import DEFAULTS
from gongkai.portal.models import Page

MAX_BODY_CHARS = 50_000
# Tags are shown as typed (the portal never renders staff text as markup); refusing them says so early.
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]*>")


@transaction.atomic
def page_update(*, actor: Any, slug: str, title: str, body: str) -> Page:
    require(actor, Permission.PAGE_EDIT, "只有公开办可以修改公开指南和公开制度")
    if slug not in DEFAULTS:
        raise ValidationError(f"没有页面“{slug}”")
    page = Page.objects.select_for_update().filter(slug=slug).first()
    if page is None:  # never saved (the starter text was showing): the first edit creates the row
        default_title, default_body = DEFAULTS[slug]
        page = Page(slug=slug, title=default_title, body=default_body)
    title, body = (title or "").strip(), (body or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors.setdefault("title", []).append("请填写标题")
    if not body:
        errors.setdefault("body", []).append("请填写正文")
    elif len(body) > MAX_BODY_CHARS:
        errors.setdefault("body", []).append(f"正文过长（{len(body)} 字），不得超过 {MAX_BODY_CHARS} 字")
    if _MARKUP.search(body) or _MARKUP.search(title):
        errors.setdefault("body", []).append("请输入纯文本，不要使用网页代码（如 <p>、<a>）")
    if errors:
        raise ValidationError(errors)
    before = {"title": page.title, "body": page.body}
    page.title, page.body = title, body
    page.full_clean()
    page.save()
    record_event(
        actor=actor,
        verb=AuditVerb.PORTAL_PAGE_UPDATE,
        obj=page,
        before=before,
        after={"title": title, "body": body},
    )
    return page
