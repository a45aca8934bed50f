"""Workbench pages of the mailbox: the list of letters, and one letter with 转办, the 科室's answer, the
reply, completion and publication (its public text checked for personal data, the findings marked)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.core.personal_data import find_personal_data, mask, segments
from gongkai.engagement import selectors, services
from gongkai.engagement.forms import (
    AnswerForm,
    CompleteForm,
    ForwardForm,
    LetterFilterForm,
    PublishForm,
    ReplyForm,
)
from gongkai.engagement.models import Forwarding, Letter, LetterStatus
from gongkai.engagement.permissions import can_answer, can_view
from gongkai.inforequests.masking import mask_email, mask_phone
from gongkai.org.access import Permission, can, permission_required
from gongkai.org.selectors import mailbox_name, user_department

# Who opens the mailbox pages: the office and the auditor see every letter, a 科室 the ones 转办 to it.
_READERS = (Permission.LETTER_VIEW, Permission.LETTER_DEPARTMENT_ANSWER)


def _error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _form_errors(form: Any) -> ValidationError:
    return ValidationError([e for errs in form.errors.values() for e in errs])


@permission_required(*_READERS)
def letter_list(request: HttpRequest) -> HttpResponse:
    form = LetterFilterForm(request.GET or None)
    status, year = "", None
    if form.is_valid():
        status, year = form.cleaned_data["status"], form.cleaned_data["year"]
    if can(request.user, Permission.LETTER_VIEW):
        letters = selectors.letter_list(status=status, year=year)
    elif (dept := user_department(request.user)) is not None:
        letters = selectors.letter_list(status=status, year=year, department=dept)
    else:
        letters = Letter.objects.none()
    page = Paginator(letters, 30).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "mailbox_name": mailbox_name()}
    return render(request, "engagement/list.html", context)


def _masked_name(name: str) -> str:
    return (name[:1] + "*" * (len(name) - 1)) if name else ""


def _contact(letter: Letter, revealed: bool) -> dict[str, str]:
    if revealed:
        return {"name": letter.name, "phone": letter.phone, "email": letter.email}
    return {
        "name": _masked_name(letter.name),
        "phone": mask_phone(letter.phone) if letter.phone else "",
        "email": mask_email(letter.email) if letter.email else "",
    }


def _known(letter: Letter) -> tuple[str, str, str]:
    return (letter.name, letter.phone, letter.email)


def _suggested_public_text(letter: Letter) -> dict[str, str]:
    """Where the public text starts: what was published, else the letter and reply with every finding
    masked. Never the raw letter."""
    if letter.public_subject or letter.public_body:
        return {
            "public_subject": letter.public_subject,
            "public_body": letter.public_body,
            "public_reply": letter.public_reply or mask(letter.reply, _find(letter, letter.reply)),
        }
    return {
        "public_subject": mask(letter.subject, _find(letter, letter.subject)),
        "public_body": mask(letter.body, _find(letter, letter.body)),
        "public_reply": mask(letter.reply, _find(letter, letter.reply)),
    }


def _find(letter: Letter, text: str) -> list[Any]:
    return find_personal_data(text, known=_known(letter))


def publish_check(letter: Letter, texts: dict[str, str]) -> list[dict[str, Any]]:
    """Per public field: its text cut into segments with the findings marked, for the staff form."""
    found = services.public_text_findings(letter, texts)
    labels = {"public_subject": "公开标题", "public_body": "公开的来信内容", "public_reply": "公开的答复内容"}
    return [
        {"label": label, "segments": segments(texts.get(name, ""), found[name]), "spans": found[name]}
        for name, label in labels.items()
    ]


def _forwarding_rows(request: HttpRequest, letter: Letter) -> list[dict[str, Any]]:
    rows = []
    for f in selectors.letter_forwardings(letter):
        if not can(request.user, Permission.LETTER_VIEW) and not can_answer(request.user, f):
            continue  # a 科室 sees its own 转办 of the letter, not another 科室's answer
        rows.append(
            {"f": f, "can_answer": f.is_open and can_answer(request.user, f), "overdue": f.is_overdue()}
        )
    return rows


def _render_detail(
    request: HttpRequest,
    letter: Letter,
    *,
    revealed: bool = False,
    publish_form: PublishForm | None = None,
    status: int = 200,
) -> HttpResponse:
    handler = can(request.user, Permission.LETTER_HANDLE)
    rows = _forwarding_rows(request, letter)
    answered = [r["f"].answer for r in rows if r["f"].answer]
    if publish_form is None:
        publish_form = PublishForm(initial=_suggested_public_text(letter))
    texts = {k: str(publish_form[k].value() or "") for k in ("public_subject", "public_body", "public_reply")}
    context = {
        "letter": letter,
        "mailbox_name": mailbox_name(),
        "can_handle": handler,
        "can_forward": can(request.user, Permission.LETTER_FORWARD)
        and letter.status in (LetterStatus.NEW, LetterStatus.FORWARDED),
        "contact": _contact(letter, revealed and handler),
        "revealed": revealed,
        "forwardings": rows,
        "forward_form": ForwardForm(),
        "answer_form": AnswerForm(),
        # The 科室's answers are where a reply starts from.
        "reply_form": ReplyForm(initial={"reply": letter.reply or "\n\n".join(answered)}),
        "complete_form": CompleteForm(),
        "publish_form": publish_form,
        "letter_findings": _find(letter, f"{letter.subject}\n{letter.body}") if handler else [],
        "publish_check": publish_check(letter, texts) if handler and letter.reply else [],
    }
    return render(request, "engagement/detail.html", context, status=status)


def _viewable(request: HttpRequest, pk: int) -> Letter:
    letter = get_object_or_404(Letter, pk=pk)
    if not can_view(request.user, letter):
        raise PermissionDenied("该来信没有转办给您所在的科室")
    return letter


@permission_required(*_READERS)
def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _viewable(request, pk))


@permission_required(Permission.LETTER_HANDLE)
@require_POST
def letter_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Contact details in full, for the person answering; the viewing is recorded."""
    letter = get_object_or_404(Letter, pk=pk)
    services.letter_contact_viewed(actor=request.user, letter=letter)
    return _render_detail(request, letter, revealed=True)


def _publish(request: HttpRequest, letter: Letter) -> HttpResponse | None:
    """Publish from the form; on refusal the page again, with the text as typed and the findings marked."""
    form = PublishForm(request.POST)
    try:
        if not form.is_valid():
            raise _form_errors(form)
        services.letter_publish(actor=request.user, letter=letter, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return _render_detail(request, letter, publish_form=form, status=400)
    messages.success(request, "来信与答复已在门户公开")
    return None


def _simple_action(request: HttpRequest, letter: Letter, action: str) -> str:
    """Run reply / complete / forward / unpublish; the success message, or ValidationError."""
    if action == "unpublish":
        services.letter_unpublish(actor=request.user, letter=letter)
        return "已从门户撤下"
    form_class = {"reply": ReplyForm, "complete": CompleteForm, "forward": ForwardForm}[action]
    form = form_class(request.POST)
    if not form.is_valid():
        raise _form_errors(form)
    if action == "reply":
        services.letter_reply(actor=request.user, letter=letter, **form.cleaned_data)
        return "答复已保存"
    if action == "complete":
        services.letter_complete(actor=request.user, letter=letter, **form.cleaned_data)
        return "已标记办结"
    forwarding = services.letter_forward(actor=request.user, letter=letter, **form.cleaned_data)
    return f"已转办{forwarding.department.name}，回复期限 {forwarding.due_on:%Y-%m-%d}"


@permission_required(Permission.LETTER_HANDLE)
@require_POST
def letter_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    letter = get_object_or_404(Letter, pk=pk)
    if action == "publish":
        refused = _publish(request, letter)
        return refused or redirect("engagement:detail", pk=letter.pk)
    if action not in ("reply", "complete", "forward", "unpublish"):
        raise Http404
    try:
        messages.success(request, _simple_action(request, letter, action))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("engagement:detail", pk=letter.pk)


@permission_required(Permission.LETTER_HANDLE)
@require_POST
def letter_publish_check(request: HttpRequest, pk: int) -> HttpResponse:
    """The findings in the public text as it stands in the form (htmx, while staff edit)."""
    letter = get_object_or_404(Letter, pk=pk)
    texts = {k: request.POST.get(k, "") for k in ("public_subject", "public_body", "public_reply")}
    return render(request, "engagement/_publish_check.html", {"publish_check": publish_check(letter, texts)})


def _forwarding(pk: int, fpk: int) -> Forwarding:
    return get_object_or_404(Forwarding.objects.select_related("department"), pk=fpk, letter_id=pk)


@permission_required(Permission.LETTER_DEPARTMENT_ANSWER)
@require_POST
def forwarding_answer(request: HttpRequest, pk: int, fpk: int) -> HttpResponse:
    forwarding = _forwarding(pk, fpk)
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise _form_errors(form)
        services.letter_forward_answer(actor=request.user, forwarding=forwarding, **form.cleaned_data)
        messages.success(request, "科室办理意见已回复公开办")
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("engagement:detail", pk=pk)


@permission_required(Permission.LETTER_FORWARD)
@require_POST
def forwarding_recall(request: HttpRequest, pk: int, fpk: int) -> HttpResponse:
    forwarding = _forwarding(pk, fpk)
    try:
        services.letter_forward_recall(actor=request.user, forwarding=forwarding)
        messages.success(request, f"已撤回对{forwarding.department.name}的转办")
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("engagement:detail", pk=pk)
