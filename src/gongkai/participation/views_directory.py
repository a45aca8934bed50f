"""Workbench pages of the online classroom, the service points and the 微循环交通 notices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.core.files import UploadRejected
from gongkai.core.upload_slots import UploadsBusy, upload_slot
from gongkai.org.access import Permission, permission_required
from gongkai.participation import directory
from gongkai.participation.forms import CourseForm, LessonForm, ServicePointForm, TrafficNoticeForm
from gongkai.participation.models import Course, ServicePoint, TrafficNotice
from gongkai.participation.views import add_errors

MANAGE = Permission.PARTICIPATION_MANAGE


@permission_required(MANAGE)
def course_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    course = get_object_or_404(Course, pk=pk) if pk else None
    initial = (
        {"title": course.title, "description": course.description, "is_published": course.is_published}
        if course
        else None
    )
    form = CourseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            course = directory.course_save(actor=request.user, course=course, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "课程已保存")
            return redirect("participation:course_edit", pk=course.pk)
    context = {
        "form": form,
        "course": course,
        "lesson_form": LessonForm(),
        "lessons": course.lessons.all() if course else [],
    }
    return render(request, "participation/course_edit.html", context, status=400 if form.errors else 200)


@permission_required(MANAGE)
@require_POST
def lesson_add(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_object_or_404(Course, pk=pk)
    form = LessonForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with upload_slot():
                directory.lesson_add(
                    actor=request.user,
                    course=course,
                    title=data["title"],
                    kind=data["kind"],
                    upload=data["file"],
                )
        except (ValidationError, UploadRejected, UploadsBusy) as exc:
            text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            form.add_error(None, text)
        else:
            messages.success(request, "课时已上传")
            return redirect("participation:course_edit", pk=course.pk)
    context = {"form": CourseForm(initial={"title": course.title, "description": course.description,
               "is_published": course.is_published}), "course": course, "lesson_form": form,
               "lessons": course.lessons.all()}  # fmt: skip
    return render(request, "participation/course_edit.html", context, status=400)


def _model_edit(
    request: HttpRequest,
    form_class: type,
    instance: object,
    save: Callable[[Any, Any], object],
    template: str,
    done: str,
) -> HttpResponse:
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            save(request.user, form.save(commit=False))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("participation:index")
    return render(request, template, {"form": form, "instance": instance}, status=400 if form.errors else 200)


@permission_required(MANAGE)
def point_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    point = get_object_or_404(ServicePoint, pk=pk) if pk else None
    return _model_edit(
        request,
        ServicePointForm,
        point,
        lambda actor, p: directory.service_point_save(actor=actor, point=p),
        "participation/point_edit.html",
        "网点已保存",
    )


@permission_required(MANAGE)
def traffic_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    notice = get_object_or_404(TrafficNotice, pk=pk) if pk else None
    return _model_edit(
        request,
        TrafficNoticeForm,
        notice,
        lambda actor, n: directory.traffic_notice_save(actor=actor, notice=n),
        "participation/traffic_edit.html",
        "交通公告已保存",
    )
