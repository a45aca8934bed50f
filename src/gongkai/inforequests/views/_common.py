"""Shared bits of the inforequests views: fetching a visible case, form errors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from gongkai.inforequests import forms as f
from gongkai.inforequests import permissions as perms
from gongkai.inforequests.models import (
    InfoRequest,
)

CALENDAR_URL = "calendar"  # the workbench page where the 公开办 keys in a year


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _case(request: HttpRequest, pk: int) -> InfoRequest:
    req = get_object_or_404(InfoRequest.objects.select_related("department", "handler"), pk=pk)
    if not perms.can_view(request.user, req):
        raise PermissionDenied("您无权查看该申请")
    return req


def _apply_errors(form: f.forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _reply(req: InfoRequest) -> Any:
    # A missing reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError.
    return getattr(req, "reply", None)
