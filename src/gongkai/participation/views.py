"""Workbench pages of the 微网格: the overview, polls, consultations and the moderation of comments."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.core.personal_data import find_personal_data, mask
from gongkai.org.access import Permission, permission_required
from gongkai.participation import consultations, selectors, services
from gongkai.participation.forms import ConsultationForm, FeedbackForm, ModerateForm, PollForm
from gongkai.participation.models import (
    Comment,
    CommentStatus,
    Consultation,
    Course,
    Poll,
    ServicePoint,
    TrafficNotice,
)

MANAGE = Permission.PARTICIPATION_MANAGE


def add_errors(form: Any, exc: ValidationError) -> None:
    """The service's refusal on the form: by field where it names one, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


@permission_required(MANAGE, Permission.COMMENT_MODERATE)
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "polls": Poll.objects.all()[:50],
        "consultations": Consultation.objects.all()[:50],
        "pending": selectors.pending_comments()[:100],
        "courses": Course.objects.all()[:50],
        "points": ServicePoint.objects.all(),
        "notices": TrafficNotice.objects.order_by("-starts_on")[:50],
    }
    return render(request, "participation/index.html", context)


def _poll_initial(poll: Poll) -> dict[str, Any]:
    return {
        "title": poll.title,
        "description": poll.description,
        "opens_at": poll.opens_at,
        "closes_at": poll.closes_at,
        "options": "\n".join(o.label for o in poll.options.all()),
        "is_published": poll.is_published,
    }


@permission_required(MANAGE)
def poll_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    poll = get_object_or_404(Poll, pk=pk) if pk else None
    form = PollForm(request.POST or None, initial=_poll_initial(poll) if poll else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.poll_save(
                actor=request.user,
                poll=poll,
                title=data["title"],
                description=data["description"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                options=data["options"].splitlines(),
                is_published=data["is_published"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "投票已保存")
            return redirect("participation:index")
    results = selectors.poll_results(poll) if poll else []
    status = 400 if form.errors else 200
    return render(
        request,
        "participation/poll_edit.html",
        {"form": form, "poll": poll, "results": results},
        status=status,
    )


@permission_required(MANAGE)
@require_POST
def poll_close(request: HttpRequest, pk: int) -> HttpResponse:
    poll = get_object_or_404(Poll, pk=pk)
    try:
        services.poll_close(actor=request.user, poll=poll)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "投票已结束，结果已在门户公布")
    return redirect("participation:poll_edit", pk=poll.pk)


@permission_required(MANAGE)
def consultation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    c = get_object_or_404(Consultation, pk=pk) if pk else None
    initial = None
    if c is not None:
        fields = ("title", "draft_text", "opens_at", "closes_at", "is_published")
        initial = {f: getattr(c, f) for f in fields}
    form = ConsultationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            c = consultations.consultation_save(actor=request.user, consultation=c, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "民意征集已保存")
            return redirect("participation:consultation_edit", pk=c.pk)
    context = {
        "form": form,
        "consultation": c,
        "comments": c.comments.all() if c else [],
        "feedback_form": FeedbackForm(initial={"summary": c.feedback_summary} if c else None),
    }
    return render(
        request, "participation/consultation_edit.html", context, status=400 if form.errors else 200
    )


@permission_required(MANAGE)
@require_POST
def consultation_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_object_or_404(Consultation, pk=pk)
    form = FeedbackForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请填写意见采纳情况")
        consultations.feedback_publish(
            actor=request.user, consultation=c, summary=form.cleaned_data["summary"]
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "意见采纳情况已公布")
    return redirect("participation:consultation_edit", pk=c.pk)


@permission_required(Permission.COMMENT_MODERATE)
def comment_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("consultation"), pk=pk)
    suggested = mask(comment.body, find_personal_data(comment.body))
    form = ModerateForm(request.POST or None, initial={"public_body": comment.public_body or suggested})
    if request.method == "POST" and form.is_valid() and comment.status == CommentStatus.PENDING:
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "reject":
                consultations.comment_reject(actor=request.user, comment=comment, reason=data["reason"])
            else:
                consultations.comment_approve(
                    actor=request.user,
                    comment=comment,
                    public_body=data["public_body"],
                    confirmed=data["confirmed"],
                )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "意见已审核")
            return redirect("participation:index")
    findings = find_personal_data(comment.body)
    context = {"comment": comment, "form": form, "findings": findings}
    return render(request, "participation/comment.html", context, status=400 if form.errors else 200)
