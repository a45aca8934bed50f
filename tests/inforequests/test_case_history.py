"""The case page's 办理记录 names each step by its AuditVerb label; a verb no longer registered shows as stored."""

from __future__ import annotations

import re

from django.urls import reverse

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.services import record_event
from inforequests.conftest import Office
from inforequests.test_views import login, make_case


def _history(page: str) -> str:
    match = re.search(r'<section class="card history".*?</section>', page, re.S)
    assert match, "the case page has no history section"
    return match.group(0)


def test_history_shows_chinese_labels_and_falls_back_to_the_raw_verb(office: Office) -> None:
    req = make_case(office)
    record_event(actor=None, verb="inforequest.retired_step", obj=req)  # an old row, not in the registry
    page = login(office.clerk).get(reverse("inforequests:detail", args=[req.pk])).content.decode()
    history = _history(page)
    assert str(AuditVerb.INFOREQUEST_REGISTER.label) == "登记申请"
    assert "<td>登记申请</td>" in history and "inforequest.register" not in history
    assert "<td>inforequest.retired_step</td>" in history
    # Views of personal data stay in the audit log but not in the steps (one is written per page view).
    assert str(AuditVerb.INFOREQUEST_VIEW_PERSONAL_DATA.label) not in history
