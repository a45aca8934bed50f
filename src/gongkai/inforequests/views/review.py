"""The reply review chain's own pages: the office's chain (edited by the 公开办负责人) and the 审批表."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from gongkai.inforequests import forms as f
from gongkai.inforequests import services
from gongkai.inforequests.approval_form import FORM_TITLE, render_approval_form
from gongkai.inforequests.review import StepSpec
from gongkai.inforequests.review_selectors import chain_steps, review_progress
from gongkai.inforequests.views._common import _case, _reply
from gongkai.org.access import Permission, can, require, staff_required

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@staff_required
def approval_form_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's 《政府信息公开申请答复审批表》 (whoever may open the case may print it)."""
    req = _case(request, pk)
    reply = _reply(req)
    if reply is None:
        raise Http404("本申请尚未拟写答复，没有审批表")
    data = render_approval_form(req, reply, review_progress(req, reply))
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, f"{req.reference}{FORM_TITLE}.docx")
    return response


def _steps(formset: f.forms.BaseFormSet) -> list[StepSpec]:
    """The filled rows in their order (blank rows and rows marked for removal are left out)."""
    rows = [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("name")
    ]
    return [StepSpec(d["name"], d["role"], d["own_department"]) for d in rows]


@staff_required
def review_chain(request: HttpRequest) -> HttpResponse:
    """Every staff member sees the office's chain; the 公开办负责人 edits it (through the service)."""
    rows = list(chain_steps())
    editable = can(request.user, Permission.REPLY_CHAIN_EDIT)
    initial = [{"name": s.name, "role": s.role, "own_department": s.own_department} for s in rows]
    # A bound formset without ``initial``: every filled row counts, changed or not.
    formset = (
        f.ChainFormSet(request.POST, prefix="steps")
        if request.method == "POST"
        else f.ChainFormSet(initial=initial, prefix="steps")
    )
    if request.method == "POST":
        require(request.user, Permission.REPLY_CHAIN_EDIT, "只有公开办负责人可以修改答复审核流程")
        if formset.is_valid():
            try:
                services.review_chain_set(actor=request.user, steps=_steps(formset))
            except ValidationError as exc:
                formset.non_form_errors().extend(exc.messages)  # the formset's own error list
            else:
                messages.success(request, "已保存答复审核流程；此后送审的答复按新流程审核")
                return redirect("inforequests:review_chain")
    return render(
        request,
        "inforequests/review_chain.html",
        {"rows": rows, "formset": formset, "editable": editable},
        status=400 if formset.is_bound else 200,  # a saved chain redirects
    )
