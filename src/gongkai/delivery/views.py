"""The delivery pages: failed and waiting messages (retry), the letters to post, my messages."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.core.models import OutboxMessage
from gongkai.delivery import selectors, services
from gongkai.delivery.compose import applicant_notice
from gongkai.delivery.forms import PostSentForm
from gongkai.delivery.models import PostalItem
from gongkai.org.access import Permission, permission_required, staff_required
from gongkai.org.selectors import current_organisation


def _waiting_reasons() -> dict[str, str]:
    handlers: dict[str, Any] = apps.get_app_config("delivery").outbox_handlers  # type: ignore[attr-defined]
    reasons = {kind: h.unavailable() for kind, h in handlers.items()}
    return {kind: reason for kind, reason in reasons.items() if reason}


@permission_required(Permission.DELIVERY_MANAGE)
def outbox(request: HttpRequest) -> HttpResponse:
    reasons = _waiting_reasons()
    context = {
        "dead": [selectors.describe(m) for m in selectors.dead_letters()[:100]],
        "retrying": [selectors.describe(m) for m in selectors.retrying()[:100]],
        "waiting": [(selectors.describe(m), reasons[m.kind]) for m in selectors.waiting(list(reasons))[:100]],
        "postal_pending": selectors.postal_pending().count(),
    }
    return render(request, "delivery/outbox.html", context)


@permission_required(Permission.DELIVERY_MANAGE)
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(OutboxMessage, pk=pk)
    try:
        services.message_retry(actor=request.user, message=message)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"消息 #{message.pk} 已重新排队，将在下次定时发送（gongkai tick）时发送")
    return redirect("delivery:outbox")


@permission_required(Permission.DELIVERY_MANAGE)
def post_list(request: HttpRequest) -> HttpResponse:
    pending = list(selectors.postal_pending())
    context = {
        "pending": [(item, PostSentForm(prefix=f"p{item.pk}")) for item in pending],
        "sent": selectors.postal_sent(),
    }
    return render(request, "delivery/post_list.html", context)


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@permission_required(Permission.DELIVERY_MANAGE)
def post_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable letter and envelope sheet (A4, print CSS); shows the address, so it is logged."""
    item = get_object_or_404(PostalItem.objects.select_related("request"), pk=pk)
    req = item.request
    if req is None:
        return render(request, "delivery/letter_gone.html", {"item": item}, status=410)
    services.postal_letter_viewed(actor=request.user, item=item, ip=_client_ip(request))
    notice = applicant_notice(item.notice, req, item.event)
    context = {
        "item": item,
        "req": req,
        "notice": notice,
        "paragraphs": [p for p in notice.body.split("\n\n") if p.strip()],
        "organisation": current_organisation(),
    }
    return render(request, "delivery/letter.html", context)


@permission_required(Permission.DELIVERY_MANAGE)
@require_POST
def post_sent(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(PostalItem, pk=pk)
    form = PostSentForm(request.POST, prefix=f"p{item.pk}")
    if form.is_valid():
        try:
            services.postal_mark_sent(
                actor=request.user,
                item=item,
                sent_on=form.cleaned_data["sent_on"],
                tracking_number=form.cleaned_data["tracking_number"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已登记寄出：{item.notice_title}（{item.request or '—'}）")
    else:
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, "登记寄出失败：" + "；".join(errors))
    return redirect("delivery:post_list")


@staff_required
def notices(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notices_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "delivery/notices.html", {"page": page})
