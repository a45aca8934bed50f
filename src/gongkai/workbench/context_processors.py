"""Template context shared by every workbench page: the office name and the navigation links."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, resolve, reverse

# (url name, label): apps that do not exist yet are skipped, so the menu never links to a 404.
NAV = [
    ("publications:list", "主动公开"),
    ("publications:review_queue", "审核"),
    ("inforequests:list", "依申请公开"),
    ("appeals:list", "复议诉讼"),
    ("reporting:list", "年度报告"),
    ("engagement:list", "区长信箱"),
    ("portal:staff_pages", "专栏页面"),
    ("delivery:outbox", "消息送达"),
    ("calendar", "工作日历"),
]


def workbench(request: HttpRequest) -> dict[str, Any]:
    from gongkai.org.selectors import organisation_name, user_roles

    nav = []
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        roles = user_roles(request.user)
        for name, label in NAV:
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue
            # Offer only the pages this user's roles may open: a link that answers 403 is a dead end.
            allowed = getattr(resolve(url).func, "required_roles", None)
            if allowed is not None and not (roles & allowed):
                continue
            nav.append({"url": url, "label": label, "active": request.path.startswith(url)})
    return {"workbench_nav": nav, "organisation_name": organisation_name()}
