"""Workbench pages of the mailbox: the list of letters, and one letter with reply, completion and publication."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.engagement import selectors, services
from gongkai.engagement.forms import CompleteForm, LetterFilterForm, PublishForm, ReplyForm
from gongkai.engagement.models import Letter
from gongkai.inforequests.masking import mask_email, mask_phone
from gongkai.org.access import Permission, can, permission_required


def _error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


@permission_required(Permission.LETTER_VIEW)
def letter_list(request: HttpRequest) -> HttpResponse:
    form = LetterFilterForm(request.GET or None)
    status, year = "", None
    if form.is_valid():
        status, year = form.cleaned_data["status"], form.cleaned_data["year"]
    page = Paginator(selectors.letter_list(status=status, year=year), 30).get_page(request.GET.get("page"))
    return render(request, "engagement/list.html", {"form": form, "page": page})


def _masked_name(name: str) -> str:
    return (name[:1] + "*" * (len(name) - 1)) if name else ""


def _render_detail(request: HttpRequest, letter: Letter, *, revealed: bool) -> HttpResponse:
    if revealed:
        contact = {"name": letter.name, "phone": letter.phone, "email": letter.email}
    else:
        contact = {
            "name": _masked_name(letter.name),
            "phone": mask_phone(letter.phone) if letter.phone else "",
            "email": mask_email(letter.email) if letter.email else "",
        }
    context = {
        "letter": letter,
        "can_handle": can(request.user, Permission.LETTER_HANDLE),
        "contact": contact,
        "revealed": revealed,
        "reply_form": ReplyForm(initial={"reply": letter.reply} if letter.reply else None),
        "complete_form": CompleteForm(),
        "publish_form": PublishForm(
            initial={
                "public_subject": letter.public_subject or letter.subject,
                "public_body": letter.public_body or letter.body,
            }
        ),
    }
    return render(request, "engagement/detail.html", context)


@permission_required(Permission.LETTER_VIEW)
def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, get_object_or_404(Letter, pk=pk), revealed=False)


@permission_required(Permission.LETTER_HANDLE)
@require_POST
def letter_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Contact details in full, for the person answering; the viewing is recorded."""
    letter = get_object_or_404(Letter, pk=pk)
    services.letter_contact_viewed(actor=request.user, letter=letter)
    return _render_detail(request, letter, revealed=True)


@permission_required(Permission.LETTER_HANDLE)
@require_POST
def letter_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    letter = get_object_or_404(Letter, pk=pk)
    if action not in ("reply", "complete", "publish", "unpublish"):
        raise Http404
    try:
        if action == "reply":
            form = ReplyForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errs in form.errors.values() for e in errs])
            services.letter_reply(actor=request.user, letter=letter, **form.cleaned_data)
            messages.success(request, "答复已保存")
        elif action == "complete":
            form = CompleteForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errs in form.errors.values() for e in errs])
            services.letter_complete(actor=request.user, letter=letter, **form.cleaned_data)
            messages.success(request, "已标记办结")
        elif action == "publish":
            form = PublishForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errs in form.errors.values() for e in errs])
            services.letter_publish(actor=request.user, letter=letter, **form.cleaned_data)
            messages.success(request, "来信与答复已在门户公开")
        else:
            services.letter_unpublish(actor=request.user, letter=letter)
            messages.success(request, "已从门户撤下")
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("engagement:detail", pk=letter.pk)
