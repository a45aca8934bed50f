"""Template context shared by every workbench page: the office name and the navigation links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, resolve, reverse


def _mailbox_label() -> str:
    from gongkai.org.selectors import mailbox_name

    return mailbox_name()  # 区长信箱 / 主任信箱 …: what this office calls it


# (url name, label or a function giving it): apps that do not exist yet are skipped, so the menu never
# links to a 404.
NAV: list[tuple[str, str | Callable[[], str]]] = [
    ("publications:list", "主动公开"),
    ("publications:review_queue", "审核"),
    ("inforequests:list", "依申请公开"),
    ("appeals:list", "复议诉讼"),
    ("reporting:list", "年度报告"),
    ("reporting:statistics", "统计"),
    ("ranking:index", "考核排名"),
    ("engagement:list", _mailbox_label),
    ("grid:list", "随手拍"),
    ("participation:index", "微网格"),
    ("responsiveness:responses", "回应督办"),
    ("portal:staff_pages", "专栏页面"),
    ("delivery:outbox", "消息送达"),
    ("calendar", "工作日历"),
    ("account_security", "账号安全"),
]


def workbench(request: HttpRequest) -> dict[str, Any]:
    from gongkai.org.accounts import pending_step
    from gongkai.org.selectors import organisation_name, user_roles

    nav = []
    signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
    # Mid-sign-in (a code, one's own password or an enrolment still owed) every link leads back to
    # that step: offer none.
    if signed_in and pending_step(request.user) is None:
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
            text = label() if callable(label) else label
            nav.append({"url": url, "label": text, "active": False})
    # One link is current: the longest that the path starts with (统计 lives under 年度报告's prefix).
    current = max(
        (item for item in nav if request.path.startswith(item["url"])),
        key=lambda i: len(i["url"]),
        default=None,
    )
    if current is not None:
        current["active"] = True
    return {"workbench_nav": nav, "organisation_name": organisation_name()}
