"""Public pages of the 微网格: polls (投票), consultations (民意征集), the online classroom (网上课堂),
the service points (便民服务) with their map, and the current 微循环交通 notices."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from gongkai.participation import consultations, selectors, services
from gongkai.participation.forms import CommentForm, VoteForm
from gongkai.participation.models import Comment, Consultation, Course, Lesson, Poll
from gongkai.portal import ratelimit
from gongkai.portal.media import ranged_file_response
from gongkai.portal.ratelimit import address_key, client_ip
from gongkai.portal.views import _limited, _render


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


# --- 投票 ---------------------------------------------------------------------------------------------
def poll_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    polls = list(selectors.public_polls())
    context = {
        "open_polls": [p for p in polls if p.is_open(now)],
        "closed_polls": [p for p in polls if p.is_closed(now)],
    }
    return _render(request, "polls.html", context)


def _public_poll(pk: int) -> Poll:
    return get_object_or_404(selectors.public_polls(), pk=pk)


def _poll_page(
    request: HttpRequest, poll: Poll, form: VoteForm, status: int = 200, **extra: Any
) -> HttpResponse:
    closed = poll.is_closed()
    context = {
        "poll": poll,
        "form": form,
        "closed": closed,
        "results": selectors.poll_results(poll) if closed else [],
    }
    return _render(request, "poll.html", {**context, **extra}, status=status)


@require_http_methods(["GET", "POST"])
def poll_detail(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _public_poll(pk)
    if request.method == "GET":
        return _poll_page(request, poll, VoteForm(poll=poll), voted=request.GET.get("voted") == "1")
    form = VoteForm(request.POST, poll=poll, sending_code=request.POST.get("action") == "code")
    if not form.is_valid():
        return _poll_page(request, poll, form, status=400)
    data, ip = form.cleaned_data, client_ip(request)
    if request.POST.get("action") == "code":
        refused = ratelimit.hit_all(
            (ratelimit.SMS_CODE_PER_IP, address_key(ip)),
        )
        if refused is not None:
            return _limited(request, refused, "poll.html", {"poll": poll, "form": form})
        try:
            services.send_vote_code(poll=poll, phone=data["phone"])
        except ValidationError as exc:
            _add_errors(form, exc)
            return _poll_page(request, poll, form, status=400)
        return _poll_page(request, poll, form, code_sent=True)
    refused = ratelimit.hit_all((ratelimit.VOTE_PER_IP, address_key(ip)))
    if refused is not None:
        return _limited(request, refused, "poll.html", {"poll": poll, "form": form})
    try:
        services.cast_vote(
            poll=poll, option_id=data.get("option"), phone=data["phone"], code=data.get("code") or "", ip=ip
        )
    except ValidationError as exc:
        _add_errors(form, exc)
        return _poll_page(request, poll, form, status=400)
    return redirect(f"{request.path}?voted=1")


# --- 民意征集 -------------------------------------------------------------------------------------------
def consultation_list(request: HttpRequest) -> HttpResponse:
    return _render(request, "consultations.html", {"consultations": selectors.public_consultations()})


@require_http_methods(["GET", "POST"])
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation: Consultation = get_object_or_404(selectors.public_consultations(), pk=pk)
    form, status, sent = CommentForm(), 200, request.GET.get("sent") == "1"
    if request.method == "POST":
        form = CommentForm(request.POST)
        ip = client_ip(request)
        refused = ratelimit.hit_all((ratelimit.COMMENT_PER_IP, address_key(ip)))
        if refused is not None:
            return _limited(request, refused, "consultation.html", _consultation_context(consultation, form))
        if form.is_valid():
            try:
                consultations.comment_submit(consultation=consultation, body=form.cleaned_data["body"], ip=ip)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                return redirect(f"{request.path}?sent=1")
        status = 400
    return _render(
        request, "consultation.html", {**_consultation_context(consultation, form), "sent": sent}, status
    )


def _consultation_context(consultation: Consultation, form: CommentForm) -> dict[str, Any]:
    comments: list[Comment] = list(selectors.visible_comments(consultation))
    return {"consultation": consultation, "form": form, "comments": comments, "open": consultation.is_open()}


# --- 网上课堂 -------------------------------------------------------------------------------------------
def classroom(request: HttpRequest) -> HttpResponse:
    return _render(request, "classroom.html", {"courses": selectors.public_courses()})


def course(request: HttpRequest, pk: int) -> HttpResponse:
    found: Course = get_object_or_404(selectors.public_courses(), pk=pk)
    return _render(request, "course.html", {"course": found, "lessons": found.lessons.all()})


def lesson_file(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = get_object_or_404(Lesson.objects.select_related("course"), pk=pk)
    if not lesson.course.is_published:
        raise Http404("课程未发布")
    return ranged_file_response(request, lesson.storage_name, lesson.content_type, lesson.original_name)


# --- 便民服务、微循环交通 ------------------------------------------------------------------------------
def service_points(request: HttpRequest) -> HttpResponse:
    category = request.GET.get("category", "").strip()[:40]
    service = request.GET.get("service", "").strip()[:40]
    q = request.GET.get("q", "").strip()[:40]
    points = list(selectors.service_points(category, service, q))
    context = {
        "points": selectors.map_points(points),
        "categories": selectors.point_categories(),
        "category": category,
        "service": service,
        "q": q,
        "map_w": selectors.MAP_W,
        "map_h": selectors.MAP_H,
    }
    return _render(request, "service_points.html", context)


def traffic(request: HttpRequest) -> HttpResponse:
    return _render(
        request, "traffic.html", {"notices": selectors.current_traffic(), "today": timezone.localdate()}
    )
