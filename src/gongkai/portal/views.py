"""Public pages of the portal. Every page here is reachable without an account and shows no personal data;
the one exception, an applicant's own case, is reached only with its tracking number and secret."""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gongkai.core.choices import Art20Category
from gongkai.core.upload_slots import UploadsBusy, upload_slot
from gongkai.engagement import selectors as letters
from gongkai.engagement.services import letter_status_viewed, letter_submit
from gongkai.org.models import Department
from gongkai.org.selectors import current_organisation
from gongkai.portal import ratelimit, selectors, services
from gongkai.portal.forms import (
    ApplicationForm,
    CatalogueFilterForm,
    LetterForm,
    LetterLookupForm,
    SearchForm,
    StatusLookupForm,
)
from gongkai.portal.models import Page
from gongkai.portal.ratelimit import address_key, case_address_key, client_ip, contact_key
from gongkai.portal.text import paragraphs
from gongkai.portal.tracking import display_secret
from gongkai.publications.downloads import attachment_response
from gongkai.search.index import MAX_RESULTS, search

PER_PAGE = 20
SESSION_CASES = "portal_cases"
SESSION_RECEIPT = "portal_receipt"
CASE_ACCESS_SECONDS = 30 * 60


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, f"portal/{template}", {"org": current_organisation(), **context}, status=status)


def _filter_context() -> dict[str, Any]:
    return {"departments": selectors.public_departments(), "years": selectors.published_years()}


def _department_names(ids: set[int | None]) -> dict[int, str]:
    return dict(Department.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "name"))


# --- 政府信息公开专栏 ---------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    return _render(
        request,
        "home.html",
        {
            "categories": selectors.category_counts(),
            "latest": selectors.latest_publications(8),
            "interpretations": selectors.latest_interpretations(5),
            "letters": list(letters.public_letters()[:5]),
            "search_form": SearchForm(**_filter_context()),
        },
    )


def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET or None, **_filter_context())
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    page = Paginator(selectors.catalogue(**filters), PER_PAGE).get_page(request.GET.get("page"))
    category_label = Art20Category(filters["category"]).label if filters.get("category") else ""
    return _render(
        request,
        "catalogue.html",
        {"form": form, "page": page, "category_label": category_label, "query": _query_without_page(request)},
    )


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def item(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.publication_for_public(pk)
    if found.publication is None:
        raise Http404("没有这条公开信息")
    if found.withdrawn:
        # Gone, on purpose: say so (410) without showing what it said.
        return _render(request, "withdrawn.html", {"pub": found.publication}, status=410)
    pub = found.publication
    context = {
        "pub": pub,
        "paragraphs": paragraphs(pub.body),
        "interpretations": list(pub.interpretations.all()),
        "attachments": list(pub.attachments.all()),
    }
    return _render(request, "item.html", context)


def item_attachment(request: HttpRequest, pk: int, att_pk: int) -> HttpResponse:
    """An attachment of a published item: PDFs and images open in the browser, other files download
    (``?download=1`` downloads any). A withdrawn item's files are gone with it, with the same notice."""
    found = selectors.publication_for_public(pk)
    if found.publication is None:
        raise Http404("没有这条公开信息")
    if found.withdrawn:
        return _render(request, "withdrawn.html", {"pub": found.publication}, status=410)
    att = next((a for a in found.publication.attachments.all() if a.pk == att_pk), None)
    if att is None:
        raise Http404("没有这个附件")
    # No shared caching (the middleware's default): a file withdrawn, say, for a privacy slip must
    # stop being served at once, not when some proxy's copy expires.
    return attachment_response(att, inline=request.GET.get("download") != "1")


def interpretation(request: HttpRequest, pk: int) -> HttpResponse:
    interp = selectors.interpretation_for_public(pk)
    if interp is None:
        raise Http404("没有这条政策解读")
    return _render(request, "interpretation.html", {"interp": interp})


def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, **_filter_context())
    result = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        # Counted before the query runs: a search is the portal's one read that costs the database work.
        refused = ratelimit.hit_all((ratelimit.SEARCH_PER_IP, address_key(client_ip(request))))
        if refused is not None:
            context = {"form": form, "result": None, "rows": [], "limit_message": refused.search_message}
            response = _render(request, "search.html", context, status=429)
            response["Retry-After"] = str(refused.retry_after)
            return response
        data = form.cleaned_data
        try:
            page_no = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            page_no = 1
        result = search(
            data["q"],
            category=data["category"] or None,
            department=data["department"],
            year=data["year"],
            page=page_no,
            per_page=PER_PAGE,
        )
    names = _department_names({h.department_id for h in result.hits}) if result else {}
    categories = dict(Art20Category.choices)
    rows = [
        {
            "hit": h,
            "department": names.get(h.department_id or 0, ""),
            "category": categories.get(h.category, ""),
        }
        for h in (result.hits if result else [])
    ]
    return _render(
        request,
        "search.html",
        {
            "form": form,
            "result": result,
            "rows": rows,
            "cap": MAX_RESULTS,
            "query": _query_without_page(request),
        },
    )


def page_view(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.page_or_default(slug)
    return _render(request, "page.html", {"page": page, "paragraphs": paragraphs(page.body)})


def guide(request: HttpRequest) -> HttpResponse:
    return page_view(request, Page.GUIDE)


def rules(request: HttpRequest) -> HttpResponse:
    return page_view(request, Page.RULES)


# --- annual reports --------------------------------------------------------------------------------

REPORT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def reports(request: HttpRequest) -> HttpResponse:
    return _render(request, "reports.html", {"records": selectors.published_reports()})


def report_file(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    from gongkai.annual_report.rendering import RenderError
    from gongkai.annual_report.rendering import render as render_report

    if fmt not in REPORT_TYPES:
        raise Http404
    report = selectors.published_report(year)
    if report is None:
        raise Http404("该年度报告尚未发布")
    try:
        data = render_report(report, fmt)
    except RenderError as exc:
        return _render(
            request, "error.html", {"title": "暂时无法生成该格式", "message": str(exc)}, status=503
        )
    response = HttpResponse(data, content_type=REPORT_TYPES[fmt])
    name = f"{year}年政府信息公开工作年度报告.{fmt}"
    if fmt == "html":
        # The rendered report carries its own stylesheet inline; it runs no script.
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'self'; frame-ancestors 'none'"
        )
    else:
        disposition = "inline" if fmt == "pdf" else "attachment"
        response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


# --- online application (Art. 29) ------------------------------------------------------------------


def _limited(
    request: HttpRequest,
    decision: ratelimit.Decision | UploadsBusy,
    template: str,
    context: dict[str, Any],
    status: int = 429,
) -> HttpResponse:
    """The form again with the reason on top: 429 over a rate limit, 503 when uploads are busy."""
    context = {**context, "limit_message": decision.message}
    response = _render(request, template, context, status=status)
    response["Retry-After"] = str(decision.retry_after)
    return response


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _render(request, "apply.html", {"form": ApplicationForm()})
    ip = client_ip(request)
    # Counted on arrival, before the form or its files are read: a refused or failed submission has used
    # its turn too, and concurrent ones cannot all pass a check made before any of them was counted.
    refused = ratelimit.hit_all(
        (ratelimit.APPLICATION_PER_IP, address_key(ip)),
        (
            ratelimit.APPLICATION_PER_CONTACT,
            contact_key(request.POST.get("phone", ""), request.POST.get("email", "")),
        ),
    )
    form = ApplicationForm(request.POST, request.FILES)
    if refused is not None:
        return _limited(request, refused, "apply.html", {"form": form})
    if form.is_spam:
        return _render(request, "apply.html", {"form": form, "spam": True}, status=400)
    if not request.FILES:
        return _apply_checked(request, form, ip)
    try:
        with upload_slot():
            return _apply_checked(request, form, ip)
    except UploadsBusy as busy:
        return _limited(request, busy, "apply.html", {"form": form}, status=503)


def _apply_checked(request: HttpRequest, form: ApplicationForm, ip: str) -> HttpResponse:
    if not form.is_valid():
        return _render(request, "apply.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        submission = services.application_submit(
            applicant_type=data["applicant_type"],
            name=data["name"],
            id_number=data["id_number"],
            phone=data["phone"],
            email=data["email"],
            address=data["address"],
            contact_person=data["contact_person"],
            description=data["description"],
            form_of_provision=data["form_of_provision"],
            scans=data["scans"],
            ip=ip,
        )
    except ValidationError as exc:
        for field, errors in (
            exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
        ):
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        return _render(request, "apply.html", {"form": form}, status=400)
    # Shown once: the receipt page pops it from the session.
    request.session[SESSION_RECEIPT] = {
        "tracking": submission.tracking_number,
        "secret": display_secret(submission.secret),
        "submitted_on": submission.request.submitted_on.isoformat(),
    }
    return redirect("portal:apply_done")


def apply_done(request: HttpRequest) -> HttpResponse:
    receipt = request.session.pop(SESSION_RECEIPT, None)
    if receipt is None:
        return _render(request, "apply_done.html", {"receipt": None})
    response = _render(request, "apply_done.html", {"receipt": receipt})
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def status_lookup(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _render(request, "status_lookup.html", {"form": StatusLookupForm()})
    form = StatusLookupForm(request.POST)
    if not form.is_valid():
        return _render(request, "status_lookup.html", {"form": form}, status=400)
    ip = client_ip(request)
    number = form.cleaned_data["tracking_number"]
    # Every try is counted before the secret is checked (so concurrent guesses cannot all slip under the
    # limit) and given back when it was right: what the limits count is wrong secrets. They count per
    # address and per (case, address), never per case alone, which would let a guesser lock the
    # applicant out of their own case.
    pairs = (
        (ratelimit.LOOKUP_FAIL_PER_IP, address_key(ip)),
        (ratelimit.LOOKUP_FAIL_PER_CASE, case_address_key(number, ip)),
    )
    refused = ratelimit.hit_all(*pairs)
    if refused is not None:
        return _limited(request, refused, "status_lookup.html", {"form": StatusLookupForm()})
    started = time.monotonic()
    req = selectors.application_by_secret(number, form.cleaned_data["secret"])
    if req is not None:
        for limit, key in pairs:
            ratelimit.refund(limit, key)
    else:
        # Same answer, and roughly the same time, whether the number exists or not.
        time.sleep(max(0.0, 0.2 - (time.monotonic() - started)))
        return _render(request, "status_lookup.html", {"form": StatusLookupForm(), "wrong": True}, status=403)
    granted = request.session.get(SESSION_CASES, {})
    granted[str(req.pk)] = int(time.time()) + CASE_ACCESS_SECONDS
    request.session[SESSION_CASES] = granted
    request.session.cycle_key()
    return redirect("portal:status", tracking_number=req.reference)


def _granted_case(request: HttpRequest, tracking_number: str) -> Any:
    granted = request.session.get(SESSION_CASES, {})
    now = int(time.time())
    for pk, until in list(granted.items()):
        if until < now:
            continue
        req = selectors.application_for_status(int(pk))
        if req is not None and req.reference == tracking_number:
            return req
    return None


def status(request: HttpRequest, tracking_number: str) -> HttpResponse:
    req = _granted_case(request, tracking_number)
    if req is None:
        return redirect("portal:status_lookup")
    services.application_status_viewed(request=req, ip=client_ip(request))
    from gongkai.portal.views_case import status_page

    return status_page(request, req)


def status_notice_docx(request: HttpRequest, tracking_number: str) -> HttpResponse:
    req = _granted_case(request, tracking_number)
    if req is None:
        raise PermissionDenied
    from gongkai.inforequests.notice_docx import render_notice_docx
    from gongkai.inforequests.selectors import notice_content

    reply = getattr(req, "reply", None)
    if reply is None or reply.issued_on is None:
        raise Http404("尚未出具告知书")
    response = HttpResponse(
        render_notice_docx(notice_content(req)),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(f'告知书-{req.reference}.docx')}"
    response["Cache-Control"] = "no-store"
    return response


# --- the mailbox (区长信箱 / 主任信箱 …: Organisation.mailbox_title) -------------------------------------


def mailbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(letters.public_letters(), PER_PAGE).get_page(request.GET.get("page"))
    return _render(request, "mailbox.html", {"page": page})


def mailbox_letter(request: HttpRequest, pk: int) -> HttpResponse:
    letter = letters.public_letter(pk)
    if letter is None:
        raise Http404("没有这封公开来信")
    return _render(request, "mailbox_letter.html", {"letter": letter})


@require_http_methods(["GET", "POST"])
def mailbox_write(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _render(request, "mailbox_write.html", {"form": LetterForm()})
    form = LetterForm(request.POST)
    if form.is_spam:
        return _render(request, "mailbox_write.html", {"form": form, "spam": True}, status=400)
    ip = client_ip(request)
    anonymous = request.POST.get("anonymous") in ("on", "true", "1")
    contact = "" if anonymous else contact_key(request.POST.get("phone", ""), request.POST.get("email", ""))
    # Counted on arrival, like applications: failed submissions use their turn.
    refused = ratelimit.hit_all(
        (ratelimit.LETTER_PER_IP, address_key(ip)), (ratelimit.LETTER_PER_CONTACT, contact)
    )
    if refused is not None:
        return _limited(request, refused, "mailbox_write.html", {"form": form})
    if not form.is_valid():
        return _render(request, "mailbox_write.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        letter = letter_submit(
            subject=data["subject"],
            body=data["body"],
            anonymous=data["anonymous"],
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            ip=ip,
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        return _render(request, "mailbox_write.html", {"form": form}, status=400)
    # The 查询码 is shown on this answer only (never stored in clear, never in a session).
    response = _render(
        request,
        "mailbox_done.html",
        {
            "reference": letter.reference,
            "query_code": display_secret(letter.query_code),
            "received_on": letter.received_on,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def mailbox_lookup(request: HttpRequest) -> HttpResponse:
    """A writer's own letter by its number and 查询码: the status and the reply, nothing of anyone else.
    Wrong and unknown numbers get the same answer in the same time, and count against the lookup limits."""
    if request.method == "GET":
        return _render(request, "mailbox_lookup.html", {"form": LetterLookupForm()})
    form = LetterLookupForm(request.POST)
    if not form.is_valid():
        return _render(request, "mailbox_lookup.html", {"form": form}, status=400)
    ip = client_ip(request)
    number = form.cleaned_data["reference"]
    # As for applications: counted before the code is checked, given back when it was right.
    pairs = (
        (ratelimit.LOOKUP_FAIL_PER_IP, address_key(ip)),
        (ratelimit.LOOKUP_FAIL_PER_CASE, case_address_key(number, ip)),
    )
    refused = ratelimit.hit_all(*pairs)
    if refused is not None:
        return _limited(request, refused, "mailbox_lookup.html", {"form": LetterLookupForm()})
    letter = letters.letter_by_code(number, form.cleaned_data["code"])
    if letter is not None:
        for limit, key in pairs:
            ratelimit.refund(limit, key)
    else:
        return _render(
            request, "mailbox_lookup.html", {"form": LetterLookupForm(), "wrong": True}, status=403
        )
    letter_status_viewed(letter=letter, ip=ip)
    context = {"letter": letter, "stage": letters.STATUS_FOR_WRITER.get(letter.status, "")}
    response = _render(request, "mailbox_status.html", context)
    response["Cache-Control"] = "no-store"
    return response
