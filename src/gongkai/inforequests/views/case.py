"""The case page: facts, masked or audited personal data, the clock explainer, history, action forms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core.choices import Outcome
from gongkai.core.selectors import get_calendar
from gongkai.inforequests import forms as f
from gongkai.inforequests import permissions as perms
from gongkai.inforequests import selectors, services
from gongkai.inforequests.clock import CORRECTION_NOTICE_WORKDAYS, correction_notice_due
from gongkai.inforequests.masking import mask_address, mask_email, mask_id_number, mask_phone
from gongkai.inforequests.models import (
    InfoRequest,
    PauseKindChoice,
    RequestStatus,
)
from gongkai.inforequests.notice_text import fill
from gongkai.inforequests.receipt import CHANNEL_RULES
from gongkai.inforequests.review_selectors import current_step, review_progress, round_chain
from gongkai.inforequests.views._common import (
    CALENDAR_URL,
    _apply_errors,
    _case,
    _client_ip,
    _reply,
)
from gongkai.inforequests.views.actions import ACTIONS, ActionSpec, available_actions, initial_data
from gongkai.inforequests.views.files import files_context
from gongkai.inforequests.workflow import Action
from gongkai.org.access import Permission, permission_required, staff_required
from gongkai.workdays import CalendarUnknown


def _action_forms(
    user: Any, req: InfoRequest, bound: tuple[str, f.forms.Form] | None
) -> list[dict[str, Any]]:
    out = []
    names = available_actions(user, req)
    if bound and bound[0] not in names:
        # The action was refused and is no longer offered: still show why, with what was typed.
        names.insert(0, bound[0])
    for name in names:
        spec = ACTIONS[name]
        if name == "pause_end":
            for p in req.pauses.all():
                if p.kind in (PauseKindChoice.THIRD_PARTY, PauseKindChoice.ORGAN) and p.ended_on is None:
                    form = spec.form(prefix=name, auto_id=f"id_pe{p.pk}_%s", initial={"pause": p.pk})
                    if bound and bound[0] == name and str(bound[1].data.get(f"{name}-pause")) == str(p.pk):
                        form = bound[1]
                    out.append(
                        {
                            "spec": spec,
                            "form": form,
                            "title": f"{spec.title}：{p.get_kind_display()}",
                            "url": reverse(f"inforequests:{name}", args=[req.pk]),
                            "open": True,
                        }
                    )
            continue
        is_bound = bool(bound and bound[0] == name)
        form = bound[1] if is_bound else spec.form(prefix=name, initial=initial_data(name, req))
        if name == "draft_reply" and _reply(req) is None:
            # Choosing an outcome fills the body and legal basis from its template, for the drafter to edit.
            form.fields["outcome"].widget.attrs.update(
                {
                    "hx-get": reverse("inforequests:answer_fill", args=[req.pk]),
                    "hx-target": "#id_draft_reply-notice_body",
                    "hx-swap": "outerHTML",
                }
            )
        url = reverse(f"inforequests:{name}", args=[req.pk])
        title, button = _labels(spec, req)
        out.append(
            {
                "spec": spec,
                "form": form,
                "title": title,
                "button": button,
                "url": url,
                "open": is_bound or not spec.secondary,
            }
        )
    return out


def _labels(spec: ActionSpec, req: InfoRequest) -> tuple[str, str]:
    """An action's heading and button; a review step's name its own (the chain's last step signs)."""
    reply = _reply(req)
    step = current_step(reply) if reply is not None else None
    if spec.action not in (Action.REVIEW_REPLY, Action.RETURN_REPLY) or step is None:
        return spec.title, spec.button
    signing = reply.review_step == len(round_chain(reply)) - 1
    if spec.action == Action.REVIEW_REPLY and signing:
        return f"签发答复：{step.name}", "同意并签发"
    return f"{spec.title}：{step.name}", spec.button


def _personal_data(request: HttpRequest, req: InfoRequest) -> tuple[bool, dict[str, str]]:
    if perms.sees_personal_data(request.user, req):
        services.inforequest_view_personal_data(actor=request.user, request=req, ip=_client_ip(request))
        return True, {
            "id_number": req.applicant_id_number,
            "phone": req.applicant_phone,
            "address": req.applicant_address,
            "email": req.applicant_email,
        }
    return False, {
        "id_number": mask_id_number(req.applicant_id_number),
        "phone": mask_phone(req.applicant_phone),
        "address": mask_address(req.applicant_address),
        "email": mask_email(req.applicant_email),
    }


def _clock_context(req: InfoRequest, today: dt.date) -> dict[str, Any]:
    ctx: dict[str, Any] = {"clock": None, "calendar_unknown": None, "correction_due": None}
    if req.received_on is None:
        return ctx
    cal = get_calendar()
    try:
        ctx["correction_due"] = correction_notice_due(cal, req.received_on)
    except CalendarUnknown as exc:
        ctx["calendar_unknown"] = exc.year
    try:
        clock = selectors.clock_for(req, cal=cal, today=today)
    except CalendarUnknown as exc:
        ctx["calendar_unknown"] = exc.year
        return ctx
    ctx["clock"] = clock
    if clock is not None and clock.due is not None and req.is_open:
        try:
            left = clock.workdays_left(cal, today)
        except CalendarUnknown as exc:
            ctx["calendar_unknown"] = exc.year
        else:
            ctx["left"] = left
            ctx["overdue_by"] = -left if left is not None and left < 0 else 0
    if (
        clock is not None
        and clock.due is not None
        and req.closed_on is not None
        and req.status == RequestStatus.ANSWERED
    ):
        ctx["answered_late"] = req.closed_on > clock.due
    return ctx


def _detail(
    request: HttpRequest,
    req: InfoRequest,
    *,
    bound: tuple[str, f.forms.Form] | None = None,
    files: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    unmasked, personal = _personal_data(request, req)
    context: dict[str, Any] = {
        "req": req,
        "today": today,
        "personal": personal,
        "unmasked": unmasked,
        # Online applications carry the applicant's ID scans (portal); opening one is access-logged.
        "id_scans": list(req.portal_scans.all()),
        "receipt_rule": CHANNEL_RULES.get(req.channel, ""),
        "pauses": list(req.pauses.all()),
        "extensions": list(req.extensions.select_related("requested_by", "approved_by")),
        "fee": getattr(req, "fee", None),
        "reply": _reply(req),
        "review": review_progress(req, _reply(req)) if _reply(req) is not None else None,
        "actions": _action_forms(request.user, req, bound),
        "history": [
            {"occurred_at": e.occurred_at, "actor": e.actor, "label": e.verb_label}
            for e in selectors.request_history(req)[:50]
        ],
        "calendar_url": reverse(CALENDAR_URL),
        "correction_workdays": CORRECTION_NOTICE_WORKDAYS,
        **_clock_context(req, today),
        **files_context(request.user, req, **(files or {})),
    }
    return render(request, "inforequests/detail.html", context, status=status)


@staff_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _case(request, pk))


def _action_view(spec: ActionSpec) -> Callable[..., HttpResponse]:
    @permission_required(spec.permission)
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        req = _case(request, pk)
        form = spec.form(request.POST, prefix=spec.name)
        if form.is_valid():
            try:
                spec.run(request.user, req, form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            except CalendarUnknown as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, spec.done)
                return redirect("inforequests:detail", pk=req.pk)
        req.refresh_from_db()
        return _detail(request, req, bound=(spec.name, form), status=400)

    view.__name__ = view.__qualname__ = f"action_{spec.name}"
    return view


ACTION_VIEWS = {name: _action_view(spec) for name, spec in ACTIONS.items()}


@permission_required(Permission.REQUEST_HANDLE)
def answer_fill(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the draft form's body, legal basis and title filled from the chosen outcome's template."""
    req = _case(request, pk)
    outcome = request.GET.get("draft_reply-outcome", "")
    form = f.DraftReplyForm(prefix="draft_reply")
    if outcome in Outcome.values:
        text = selectors.reply_template_for(outcome)
        form = f.DraftReplyForm(
            prefix="draft_reply",
            initial={
                "notice_body": fill(text.body, services.template_values(req)),
                "legal_basis": text.legal_basis,
                "title": text.title,
            },
        )
    for name in ("legal_basis", "title"):
        form.fields[name].widget.attrs["hx-swap-oob"] = "true"
    return render(request, "inforequests/_answer_fill.html", {"form": form})


@permission_required(Permission.REQUEST_ASSIGN)
def assign_handlers(request: HttpRequest) -> HttpResponse:
    """htmx: the assign form's handler list for the chosen 科室 (only staff who can handle a case)."""
    form = f.AssignForm(prefix="assign", initial={"department": request.GET.get("assign-department")})
    return HttpResponse(str(form["handler"]))
