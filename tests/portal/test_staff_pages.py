"""The 公开办 edits the 政府信息公开指南 and 制度 from the workbench; the portal shows the new text."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from gongkai.core.models import AuditEvent
from gongkai.portal.page_services import page_update
from staff_auth import sign_in

pytestmark = pytest.mark.django_db

NEW_GUIDE = "一、主动公开\n本机关通过政府信息公开专栏主动公开政府信息。\n二、依申请公开\n可以在线提交申请。"


def test_the_clerk_edits_the_guide_and_the_portal_shows_it(client: Client, office: Any) -> None:
    sign_in(client, office.clerk)
    listing = client.get("/workbench/portal/pages/").content.decode()
    assert "政府信息公开指南" in listing and "政府信息公开制度" in listing
    response = client.post(
        "/workbench/portal/pages/guide/",
        {"title": "东花市街道政府信息公开指南", "body": NEW_GUIDE},
        follow=True,
    )
    assert "已更新，门户即时生效" in response.content.decode()
    public = Client().get("/guide/").content.decode()
    assert "东花市街道政府信息公开指南" in public and "可以在线提交申请。" in public
    assert '<h2 class="sub">一、主动公开</h2>' in public or "一、主动公开</h2>" in public
    event = AuditEvent.objects.get(verb="portal.page_update")
    assert event.actor == office.clerk and event.after["body"] == NEW_GUIDE
    assert event.before["body"] != NEW_GUIDE


def test_markup_is_refused_and_the_typed_text_is_kept(client: Client, office: Any) -> None:
    sign_in(client, office.office_head)
    body = "一、说明\n<a href='http://evil.example'>点这里</a>"
    response = client.post("/workbench/portal/pages/rules/", {"title": "制度", "body": body})
    assert response.status_code == 400
    text = response.content.decode()
    assert "请输入纯文本，不要使用网页代码" in text
    assert "&lt;a href=&#x27;http://evil.example&#x27;&gt;点这里&lt;/a&gt;" in text  # kept, escaped
    assert not AuditEvent.objects.filter(verb="portal.page_update").exists()
    assert "evil.example" not in Client().get("/rules/").content.decode()


def test_an_empty_title_or_body_is_explained(client: Client, office: Any) -> None:
    sign_in(client, office.clerk)
    response = client.post("/workbench/portal/pages/guide/", {"title": " ", "body": " "})
    assert response.status_code == 400
    assert response.content.decode().count("这个字段是必填项") == 2
    assert not AuditEvent.objects.filter(verb="portal.page_update").exists()


def test_only_the_office_may_edit(client: Client, office: Any) -> None:
    sign_in(client, office.drafter)
    assert client.get("/workbench/portal/pages/").status_code == 403
    assert client.post("/workbench/portal/pages/guide/", {"title": "x", "body": "y"}).status_code == 403
    with pytest.raises(PermissionDenied):
        page_update(actor=office.director, slug="guide", title="x", body="y")
    sign_in(client, office.clerk)
    assert client.get("/workbench/portal/pages/nosuch/").status_code == 404


def test_after_a_flush_the_starter_text_is_edited_and_saved(client: Client, office: Any) -> None:
    from gongkai.portal.models import Page

    Page.objects.all().delete()  # as after `gongkai demo` flushes the tables the migration filled
    sign_in(client, office.clerk)
    assert "尚未修改（显示初始文本）" in client.get("/workbench/portal/pages/").content.decode()
    form = client.get("/workbench/portal/pages/rules/").content.decode()
    assert "保密审查" in form  # the starter 制度 text, ready to edit
    response = client.post(
        "/workbench/portal/pages/rules/",
        {"title": "东花市街道政府信息公开制度", "body": "一、总则\n依法公开。"},
    )
    assert response.status_code == 302
    assert Page.objects.get(slug="rules").body == "一、总则\n依法公开。"
    assert "依法公开。" in Client().get("/rules/").content.decode()
