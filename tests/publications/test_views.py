"""Workbench pages: access per role, CSRF, the review flow through the views, htmx filtering, downloads."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from docx import Document

from gongkai.core.models import AuditEvent, User
from gongkai.org.models import Department
from gongkai.org.roles import STAFF_ROLES, Role
from gongkai.publications.models import (
    ArchiveTransfer,
    ChannelPost,
    Publication,
    PublicationStatus,
    ServiceMatter,
)
from staff_auth import sign_in

from .factories import (
    ArchiveTransferFactory,
    AttachmentFactory,
    PublicationFactory,
    ServiceMatterFactory,
    staff,
)

pytestmark = pytest.mark.django_db


def publication_urls() -> list[tuple[str, URLPattern]]:
    resolver = get_resolver()
    (include,) = [
        p for p in resolver.url_patterns if isinstance(p, URLResolver) and p.namespace == "publications"
    ]
    return [(p.name, p) for p in include.url_patterns]


@pytest.fixture
def objects(db: None) -> dict[str, int]:
    pub = PublicationFactory(published=True)
    transfer = ArchiveTransferFactory(items=[pub])
    matter = ServiceMatterFactory()
    attachment = AttachmentFactory(publication=pub)
    return {"pk": pub.pk, "transfer": transfer.pk, "matter": matter.pk, "attachment": attachment.pk}


def url_of(name: str, pattern: URLPattern, objects: dict[str, int]) -> str:
    if "<int:pk>" not in str(pattern.pattern):
        return reverse(f"publications:{name}")
    pk = {"archive_print": objects["transfer"], "matter_abolish": objects["matter"]}.get(name, objects["pk"])
    if "<int:att_pk>" in str(pattern.pattern):
        return reverse(f"publications:{name}", args=[pk, objects["attachment"]])
    return reverse(f"publications:{name}", args=[pk])


def login(client: Client, *roles: Role, department: Department | None = None) -> User:
    user = staff(*roles, department=department)
    sign_in(client, user)
    return user


def test_every_url_sends_anonymous_visitors_to_login(client: Client, objects: dict[str, int]) -> None:
    urls = publication_urls()
    assert len(urls) >= 25
    for name, pattern in urls:
        url = url_of(name, pattern, objects)
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, (name, method)
            assert response["Location"].startswith(reverse("login")), name


def test_every_url_refuses_a_role_it_does_not_list(client: Client, objects: dict[str, int]) -> None:
    checked = 0
    for name, pattern in publication_urls():
        allowed = pattern.callback.required_roles
        wrong = sorted(STAFF_ROLES - allowed)
        if not wrong:
            continue
        login(client, wrong[0])
        url = url_of(name, pattern, objects)
        assert client.get(url).status_code == 403, name
        assert client.post(url).status_code == 403, name
        checked += 1
    assert checked >= 15


def test_the_auditor_reads_but_never_writes(client: Client, objects: dict[str, int]) -> None:
    login(client, Role.AUDITOR)
    for name, pattern in publication_urls():
        url = url_of(name, pattern, objects)
        writes = Role.AUDITOR not in pattern.callback.required_roles
        response = client.get(url)
        if writes:
            assert response.status_code == 403, name
        else:
            assert response.status_code == 200, name


@pytest.mark.parametrize(
    "name",
    [
        "list",
        "overdue",
        "posts",
        "interpretations",
        "archive",
        "facts",
        "matters",
        "decisions",
        "fees",
        "procurement",
    ],
)
def test_read_pages_render_for_staff(client: Client, objects: dict[str, int], name: str) -> None:
    login(client, Role.DEPT_STAFF)
    response = client.get(reverse(f"publications:{name}"))
    assert response.status_code == 200
    assert "<h1>" in response.content.decode()


@pytest.mark.parametrize(
    "name",
    ["create", "post_create", "interpretation_create", "matter_create", "decision_create", "fee_create"],
)
def test_entry_pages_render_for_department_staff(client: Client, dept: Department, name: str) -> None:
    login(client, Role.DEPT_STAFF, department=dept)
    response = client.get(reverse(f"publications:{name}"))
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_post_without_csrf_token_is_rejected(pending_head: Publication, head: User) -> None:
    client = Client(enforce_csrf_checks=True)
    sign_in(client, head)
    url = reverse("publications:approve", args=[pending_head.pk])
    assert client.post(url, {"comment": "同意"}).status_code == 403
    assert Publication.objects.get(pk=pending_head.pk).status == PublicationStatus.PENDING_HEAD
    # With the token from the page it goes through.
    page = client.get(reverse("publications:detail", args=[pending_head.pk]))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post(url, {"comment": "同意", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Publication.objects.get(pk=pending_head.pk).status == PublicationStatus.PENDING_DIRECTOR


def test_review_flow_through_the_pages(
    client: Client, dept: Department, drafter: User, head: User, director: User
) -> None:
    sign_in(client, drafter)
    response = client.post(
        reverse("publications:create"),
        {
            "title": "2019年街道重点工作安排",
            "category": "art20_3",
            "doc_kind": "",
            "key_area": "on",
            "department": dept.pk,
            "doc_number": "",
            "formed_on": "2019-09-20",
            "body": "",
        },
    )
    pub = Publication.objects.get(title="2019年街道重点工作安排")
    assert response["Location"] == reverse("publications:detail", args=[pub.pk])
    assert pub.drafter == drafter and pub.key_area
    detail = client.get(response["Location"]).content.decode()
    assert reverse("publications:submit", args=[pub.pk]) in detail
    assert reverse("publications:approve", args=[pub.pk]) not in detail
    client.post(reverse("publications:submit", args=[pub.pk]))

    sign_in(client, head)
    queue = client.get(reverse("publications:review_queue")).content.decode()
    assert "2019年街道重点工作安排" in queue
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "待我审核" in dashboard and "2019年街道重点工作安排" in dashboard
    detail = client.get(reverse("publications:detail", args=[pub.pk])).content.decode()
    assert reverse("publications:approve", args=[pub.pk]) in detail
    client.post(reverse("publications:reject", args=[pub.pk]), {"reason": ""})  # refused: no reason
    assert Publication.objects.get(pk=pub.pk).status == PublicationStatus.PENDING_HEAD
    client.post(reverse("publications:approve", args=[pub.pk]), {"comment": "同意"})

    sign_in(client, director)
    response = client.post(reverse("publications:approve", args=[pub.pk]), {"comment": ""}, follow=True)
    assert "审核通过，信息已公开。" in response.content.decode()
    pub.refresh_from_db()
    assert pub.status == PublicationStatus.PUBLISHED


def test_a_refused_approval_is_a_message_not_an_error_page(
    client: Client, pending_head: Publication, other_head: User, dept: Department
) -> None:
    # A head of another department does not even see the other department's unpublished item.
    sign_in(client, other_head)
    assert client.post(reverse("publications:approve", args=[pending_head.pk])).status_code == 404
    both = login(client, Role.DEPT_HEAD, Role.DIRECTOR, department=dept)
    client.post(reverse("publications:approve", args=[pending_head.pk]))
    assert Publication.objects.get(pk=pending_head.pk).reviews.get().reviewer == both
    detail = client.get(reverse("publications:detail", args=[pending_head.pk])).content.decode()
    # No buttons for a decision the services would refuse.
    assert reverse("publications:approve", args=[pending_head.pk]) not in detail
    response = client.post(reverse("publications:approve", args=[pending_head.pk]), follow=True)
    assert response.status_code == 200
    assert "同一人不得同时进行两级审核" in response.content.decode()
    assert Publication.objects.get(pk=pending_head.pk).status == PublicationStatus.PENDING_DIRECTOR


def test_returned_draft_shows_the_reason_to_the_drafter(
    client: Client, pending_head: Publication, head: User, drafter: User
) -> None:
    sign_in(client, head)
    client.post(reverse("publications:reject", args=[pending_head.pk]), {"reason": "请补充文号"})
    sign_in(client, drafter)
    page = client.get(reverse("publications:detail", args=[pending_head.pk])).content.decode()
    assert "退回。理由：请补充文号" in page
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "被退回：请补充文号" in dashboard


def test_list_filter_by_htmx_returns_the_results_fragment(client: Client, dept: Department) -> None:
    PublicationFactory(department=dept, title="财政预算公开", category="art20_7")
    PublicationFactory(department=dept, title="招考公告", category="art20_14")
    login(client, Role.CLERK)
    full = client.get(reverse("publications:list")).content.decode()
    assert "<html" in full and "财政预算公开" in full and "招考公告" in full
    fragment = client.get(
        reverse("publications:list"), {"category": "art20_7"}, headers={"HX-Request": "true"}
    )
    text = fragment.content.decode()
    assert "<html" not in text
    assert "财政预算公开" in text and "招考公告" not in text
    # A bad filter value is ignored, not an error page.
    assert client.get(reverse("publications:list"), {"year": "abc"}).status_code == 200


def test_department_staff_cannot_open_another_departments_draft(
    client: Client, draft: Publication, other_dept: Department
) -> None:
    login(client, Role.DEPT_STAFF, department=other_dept)
    assert client.get(reverse("publications:detail", args=[draft.pk])).status_code == 404


def test_review_form_download(client: Client, published: Publication) -> None:
    login(client, Role.AUDITOR)
    response = client.get(reverse("publications:review_form_docx", args=[published.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert "attachment" in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    assert "政府信息公开申请与保密申请审核表" in doc.paragraphs[0].text


def test_unknown_calendar_year_is_explained_on_the_detail_page(client: Client, dept: Department) -> None:
    pub = PublicationFactory(department=dept, formed_on=dt.date(2019, 9, 20))  # no calendar seeded
    login(client, Role.CLERK)
    page = client.get(reverse("publications:detail", args=[pub.pk])).content.decode()
    assert "请录入 2019 年放假安排" in page
    assert reverse("calendar") in page


def test_register_entry_and_archive_print(client: Client, dept: Department) -> None:
    pub = PublicationFactory(department=dept, published=True, doc_number="东花市发〔2019〕9号")
    login(client, Role.CLERK)
    response = client.post(
        reverse("publications:post_create"),
        {
            "channel": "weibo",
            "title": "微博发布",
            "posted_on": "2019-03-12",
            "publication": pub.pk,
            "url": "",
        },
    )
    assert response.status_code == 302
    assert ChannelPost.objects.get().publication == pub
    response = client.post(
        reverse("publications:archive_create"),
        {"transferred_on": "2019-03-29", "recipient": "东城区档案局（馆）", "copies": "3", "items": [pub.pk]},
    )
    assert response.status_code == 302
    transfer = ArchiveTransfer.objects.get()
    page = client.get(reverse("publications:archive_print", args=[transfer.pk])).content.decode()
    assert "政府信息纸质文本移送清单" in page and "东花市发〔2019〕9号" in page and "3 份" in page
    listing = client.get(reverse("publications:archive"), {"year": "2019"}).content.decode()
    assert "纸质文本 3 份" in listing
    # A bad entry re-renders the form with the service's message; nothing is stored.
    response = client.post(
        reverse("publications:matter_create"),
        {"kind": "licensing", "name": "x", "department": dept.pk, "established_on": "2019-01-01"},
    )
    assert response.status_code == 302
    matter = ServiceMatter.objects.get()
    response = client.post(
        reverse("publications:matter_abolish", args=[matter.pk]), {"abolished_on": "2018-01-01"}
    )
    assert ServiceMatter.objects.get().abolished_on is None
    assert AuditEvent.objects.filter(verb="service_matter.abolish").count() == 0


def test_entry_form_errors_are_shown(client: Client, dept: Department) -> None:
    login(client, Role.DEPT_STAFF, department=dept)
    response = client.post(
        reverse("publications:fee_create"),
        {"department": dept.pk, "collected_on": "2019-05-01", "amount_wan": "1.00001", "description": ""},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
