"""Workbench pages of the responsiveness ledgers: 热点回应, 督查督办 and 五方联席会.

Lists are open to every staff role; entry forms need ``RESPONSIVENESS_RECORD`` (a 科室 for itself) or
``JOINT_MEETING_RECORD``. A refused entry comes back on its form with the service's Chinese message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.core.files import private_storage
from gongkai.core.filters import year_filter
from gongkai.core.upload_slots import UploadsBusy, upload_slot
from gongkai.org.access import Permission, can, permission_required
from gongkai.responsiveness import forms, selectors, services
from gongkai.responsiveness.models import JointMeeting, MeetingFollowUp, SupervisionEvidence, SupervisionTask
from gongkai.responsiveness.permissions import can_record_for

PAGE_SIZE = 50


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _years() -> range:
    return range(services.today().year, 2017, -1)


def _entry(request: HttpRequest, form: Any, create: Any, *, title: str, back: str, done: str) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs() if hasattr(form, "service_kwargs") else form.cleaned_data
        try:
            create(actor=request.user, **kwargs)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect(back)
    return render(request, "responsiveness/form.html", {"form": form, "title": title, "back": back})


# -- 热点回应 -------------------------------------------------------------------------------------------


@permission_required(Permission.RESPONSIVENESS_VIEW)
def responses(request: HttpRequest) -> HttpResponse:
    year = year_filter(request)
    counts = selectors.response_counts(year) if year is not None else None
    context = {
        "year": year,
        "years": _years(),
        "page": _page(request, selectors.responses(year)),
        "counts": counts,
        "query": f"year={year if year is not None else 'all'}&",
        "can_write": can(request.user, Permission.RESPONSIVENESS_RECORD),
    }
    return render(request, "responsiveness/responses.html", context)


@permission_required(Permission.RESPONSIVENESS_RECORD)
def response_create(request: HttpRequest) -> HttpResponse:
    form = forms.HotTopicForm(request.POST or None, user=request.user)
    return _entry(
        request,
        form,
        services.hot_topic_record,
        title="登记热点回应",
        back="responsiveness:responses",
        done="热点回应已登记。",
    )


# -- 督查督办 -------------------------------------------------------------------------------------------


@permission_required(Permission.RESPONSIVENESS_VIEW)
def tasks(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    today = services.today()
    page = _page(request, selectors.tasks(status, today=today))
    rows = [(t, selectors.is_overdue(t, today)) for t in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "status": status,
        "filters": selectors.TASK_FILTERS,
        "query": f"status={status}&" if status else "",
        "can_write": can(request.user, Permission.RESPONSIVENESS_RECORD),
    }
    return render(request, "responsiveness/tasks.html", context)


@permission_required(Permission.RESPONSIVENESS_RECORD)
def task_create(request: HttpRequest) -> HttpResponse:
    form = forms.SupervisionTaskForm(request.POST or None, user=request.user)
    return _entry(
        request,
        form,
        services.supervision_task_create,
        title="登记督查督办事项",
        back="responsiveness:tasks",
        done="督办事项已登记。",
    )


def _task_page(request: HttpRequest, task: SupervisionTask, **bound: Any) -> HttpResponse:
    today = services.today()
    context = {
        "task": task,
        "overdue": selectors.is_overdue(task, today),
        "progress": task.progress.all(),
        "evidence_files": task.evidence_files.all(),
        "can_write": task.completed_on is None and can_record_for(request.user, task.department),
        "progress_form": bound.get("progress_form") or forms.ProgressForm(initial={"noted_on": today}),
        "complete_form": bound.get("complete_form") or forms.CompleteForm(initial={"completed_on": today}),
    }
    return render(request, "responsiveness/task.html", context, status=400 if bound else 200)


@permission_required(Permission.RESPONSIVENESS_VIEW)
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_page(request, get_object_or_404(SupervisionTask.objects.select_related("department"), pk=pk))


def _task_action(
    request: HttpRequest, pk: int, form_cls: Any, action: Any, key: str, done: str
) -> HttpResponse:
    task = get_object_or_404(SupervisionTask.objects.select_related("department"), pk=pk)
    form = form_cls(request.POST, request.FILES)
    try:
        # An evidence file's checks (a PDF parsed, an image decoded) take their turn with other uploads.
        with upload_slot():
            valid = form.is_valid()
    except UploadsBusy as busy:
        form.add_error(None, "佐证材料未上传：" + busy.message)
        valid = False
    if valid:
        try:
            action(actor=request.user, task=task, **form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("responsiveness:task", pk=task.pk)
    return _task_page(request, task, **{key: form})


@permission_required(Permission.RESPONSIVENESS_RECORD)
@require_POST
def task_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_action(
        request, pk, forms.ProgressForm, services.supervision_progress_add, "progress_form", "进展已登记。"
    )


@permission_required(Permission.RESPONSIVENESS_RECORD)
@require_POST
def task_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_action(
        request,
        pk,
        forms.CompleteForm,
        services.supervision_task_complete,
        "complete_form",
        "督办事项已办结。",
    )


@permission_required(Permission.RESPONSIVENESS_VIEW)
def evidence_file(request: HttpRequest, pk: int, fpk: int) -> FileResponse:
    """A task's evidence file, always as a download (never rendered in the workbench's origin)."""
    row = get_object_or_404(SupervisionEvidence, pk=fpk, task_id=pk)
    storage = private_storage()
    if not storage.exists(row.storage_name):
        raise Http404("佐证材料文件已不存在")
    response = FileResponse(
        storage.open(row.storage_name, "rb"),
        content_type=row.content_type,
        as_attachment=True,
        filename=row.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


# -- 五方联席会 -----------------------------------------------------------------------------------------


@permission_required(Permission.RESPONSIVENESS_VIEW)
def meetings(request: HttpRequest) -> HttpResponse:
    year = year_filter(request) or services.today().year
    context = {
        "year": year,
        "years": _years(),
        "meetings": selectors.meetings(year),
        "quarters": selectors.quarter_meetings(year),
        "missed": selectors.missed_quarters(services.today()),
        "can_write": can(request.user, Permission.JOINT_MEETING_RECORD),
    }
    return render(request, "responsiveness/meetings.html", context)


@permission_required(Permission.JOINT_MEETING_RECORD)
def meeting_create(request: HttpRequest) -> HttpResponse:
    form = forms.MeetingForm(request.POST or None)
    return _entry(
        request,
        form,
        services.joint_meeting_record,
        title="登记五方联席会",
        back="responsiveness:meetings",
        done="联席会已登记。",
    )


def _meeting_page(request: HttpRequest, meeting: JointMeeting, **bound: Any) -> HttpResponse:
    today = services.today()
    context = {
        "meeting": meeting,
        "follow_ups": [(f, f.done_on is None and f.deadline < today) for f in meeting.follow_ups.all()],
        "can_write": can(request.user, Permission.JOINT_MEETING_RECORD),
        "follow_up_form": bound.get("follow_up_form") or forms.FollowUpForm(),
        "done_form": bound.get("done_form"),
        "done_for": bound.get("done_for"),
        "today": today,
    }
    return render(request, "responsiveness/meeting.html", context, status=400 if bound else 200)


@permission_required(Permission.RESPONSIVENESS_VIEW)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, get_object_or_404(JointMeeting, pk=pk))


@permission_required(Permission.JOINT_MEETING_RECORD)
@require_POST
def follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(JointMeeting, pk=pk)
    form = forms.FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, "议定事项已登记。")
            return redirect("responsiveness:meeting", pk=meeting.pk)
    return _meeting_page(request, meeting, follow_up_form=form)


@permission_required(Permission.JOINT_MEETING_RECORD)
@require_POST
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(MeetingFollowUp.objects.select_related("meeting"), pk=pk)
    form = forms.FollowUpDoneForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_complete(actor=request.user, follow_up=follow_up, **form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, "议定事项已完成。")
            return redirect("responsiveness:meeting", pk=follow_up.meeting_id)
    return _meeting_page(request, follow_up.meeting, done_form=form, done_for=follow_up.pk)
