"""Error pages (400, 403 including a failed CSRF check, 404, 500) in Chinese, in the frame of the part of the site that was asked for.

A staff URL (``/workbench/``, ``/accounts/``, ``/admin/``) answers in the workbench's frame, every other
URL in the portal's. The reason is shown only when our own code raised the exception with a Chinese
message (``raise PermissionDenied("您无权查看该申请")``); anything else — Django's own messages, a
resolver's details, an exception's repr — gives a generic sentence. The 500 page renders a standalone
template without the request's context: the database or a context processor may be what failed.

A write that failed because the database is read-only or the disk is full (``ops.writes``) is not a bug:
it answers 503 in the site's frame, saying that reading works and why saving does not.
"""

from __future__ import annotations

import re
import sys
from types import TracebackType
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from gongkai.ops.writes import unavailable_reason

STAFF_PREFIXES = ("/workbench/", "/accounts/", "/admin/")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _titles() -> dict[int, tuple[str, str]]:
    """status -> (heading, generic sentence)."""
    return {
        400: (_("请求有误"), _("无法处理该请求，请检查后重试。")),
        403: (_("无权访问"), _("您没有访问此页面的权限。")),
        404: (_("页面不存在"), _("您访问的页面不存在或已被移除，请检查网址。")),
        410: (_("该信息已撤回"), _("您访问的内容已撤回，不再提供。")),
        429: (_("请求过于频繁"), _("请求过于频繁，请稍后再试。")),
        500: (_("系统出错"), _("系统暂时出现错误，请稍后再试。工作人员已收到记录。")),
        503: (_("暂时无法保存"), _("系统当前只能查阅，暂时无法保存，请稍后再试。")),
    }


def is_staff_path(path: str) -> bool:
    return path.startswith(STAFF_PREFIXES)


def _raised_by_us(tb: TracebackType | None) -> bool:
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    return str(tb.tb_frame.f_globals.get("__name__", "")).startswith("gongkai.")


def safe_reason(exception: BaseException | None) -> str:
    """The exception's message if our code raised it in Chinese; otherwise the empty string."""
    if exception is None or len(exception.args) != 1 or not isinstance(exception.args[0], str):
        return ""
    message = exception.args[0].strip()
    if not message or not _CJK.search(message) or not _raised_by_us(exception.__traceback__):
        return ""
    return message


def _organisation() -> Any:
    from django.db import DatabaseError

    from gongkai.org.selectors import current_organisation

    try:
        return current_organisation()
    except DatabaseError:
        return None


def error_page(request: HttpRequest, status: int, reason: str = "") -> HttpResponse:
    """A Chinese page for ``status`` in the portal's or the workbench's frame (not for 500)."""
    from django.shortcuts import render

    heading, generic = _titles()[status]
    context = {"status": status, "heading": heading, "message": reason or generic}
    if is_staff_path(request.path):
        return render(request, "workbench/http_error.html", context, status=status)
    return render(request, "portal/http_error.html", {**context, "org": _organisation()}, status=status)


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_page(request, 400, safe_reason(exception))


def permission_denied(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_page(request, 403, safe_reason(exception))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: Django's reason is English and technical; the visitor needs to reload."""
    return error_page(request, 403, _("页面已过期或无法确认提交来源，请返回上一页，刷新后重新提交。"))


def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_page(request, 404, safe_reason(exception))


def writes_unavailable(request: HttpRequest, reason: str) -> HttpResponse:
    """503: reading works, saving does not, and why (``reason`` from ``ops.writes``)."""
    message = _(
        "%(reason)s，系统暂时只能查阅，不能保存。刚才提交的内容没有保存，请稍后再试；工作人员已收到记录。"
    ) % {"reason": reason}
    try:
        response = error_page(request, 503, message)
    except Exception:  # the frame reads the database and the session; fall back to the standalone page
        heading = _titles()[503][0]
        context = {"heading": heading, "message": message, "staff": is_staff_path(request.path)}
        response = HttpResponse(render_to_string("core/server_error.html", context), status=503)
    response["Retry-After"] = "300"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its except block: the exception being handled is the cause of the 500.
    reason = unavailable_reason(sys.exc_info()[1])
    if reason:
        return writes_unavailable(request, reason)
    heading, generic = _titles()[500]
    context = {"heading": heading, "message": generic, "staff": is_staff_path(request.path)}
    # No request: no context processors, no session, no database.
    return HttpResponse(render_to_string("core/server_error.html", context), status=500)
