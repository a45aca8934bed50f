"""The 政府信息公开专栏 through the Django test client: catalogue, items, withdrawn items, search, pages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from gongkai.core.choices import Art20Category
from gongkai.publications.services import publication_create, publication_update, publication_withdraw
from gongkai.search.index import search
from staff_auth import sign_in

pytestmark = pytest.mark.django_db


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def test_home_lists_categories_latest_items_and_public_letters(client: Client, ledger: Any) -> None:
    page = text(client.get("/"))
    for label, _ in Art20Category.choices[:3]:
        assert label in page
    assert "老旧小区停车管理办法" in page
    assert "小区门口路灯不亮" in page  # the published letter
    assert "关于噪音扰民" not in page  # an unpublished letter
    assert "临时交通管制公告" not in page  # withdrawn


def test_catalogue_filters_by_category_department_and_year(client: Client, ledger: Any) -> None:
    def titles(query: str) -> list[str]:
        return re.findall(
            r'<a href="/disclosure/\d+/">([^<]+)</a>', text(client.get(f"/disclosure/?{query}"))
        )

    assert titles("") == [
        "老旧小区停车管理办法",
        "东花市街道垃圾分类工作实施方案",
        "关于做好社区养老服务工作的通知",
        "2019年部门预算公开",
    ]
    assert titles("category=art20_1") == ["东花市街道垃圾分类工作实施方案"]
    assert titles(f"department={ledger.other_dept.pk}") == ["2019年部门预算公开"]
    assert titles("year=2020") == ["老旧小区停车管理办法"]
    assert titles("year=2019&category=art20_11") == ["关于做好社区养老服务工作的通知"]
    assert "共 0 条" in text(client.get("/disclosure/?category=art20_14"))


def test_item_page_shows_the_document_and_links_its_interpretation(client: Client, ledger: Any) -> None:
    waste, interp = ledger.items["waste"], ledger.items["interp"]
    page = text(client.get(f"/disclosure/{waste.pk}/"))
    assert "东花市发〔2019〕3号" in page and "推进生活垃圾分类" in page
    assert f'href="/disclosure/interpretations/{interp.pk}/"' in page
    back = text(client.get(f"/disclosure/interpretations/{interp.pk}/"))
    assert f'href="/disclosure/{waste.pk}/"' in back and "图解" in back


def test_withdrawn_item_is_gone_with_a_notice_not_an_error(client: Client, ledger: Any) -> None:
    response = client.get(f"/disclosure/{ledger.items['withdrawn'].pk}/")
    assert response.status_code == 410
    page = text(response)
    assert "该信息已撤回" in page and "2019年" not in page.split("<main")[0]
    assert "某路段临时封闭" not in page  # the body is not shown any more


def test_unpublished_and_unknown_items_are_not_found(client: Client, ledger: Any) -> None:
    draft = publication_create(
        actor=ledger.drafter,
        title="尚未审核的草稿",
        category=Art20Category.ART20_2,
        department=ledger.dept,
        formed_on=dt.date(2020, 1, 2),
    )
    assert client.get(f"/disclosure/{draft.pk}/").status_code == 404
    assert client.get("/disclosure/999999/").status_code == 404
    assert "尚未审核的草稿" not in text(client.get("/search/?q=草稿"))


def test_search_page_highlights_and_filters(client: Client, ledger: Any) -> None:
    page = text(client.get("/search/?q=养老"))
    assert "找到 2 条结果" in page
    assert "<mark>养老</mark>服务工作的通知" in page  # title hit, highlighted
    assert "2019年部门预算公开" in page  # body hit
    assert "老旧小区" not in page  # shares 老, not 养老
    filtered = text(client.get(f"/search/?q=养老&department={ledger.other_dept.pk}"))
    assert "找到 1 条结果" in filtered and "2019年部门预算公开" in filtered


def test_search_escapes_the_query_and_handles_junk(client: Client, ledger: Any) -> None:
    page = text(client.get("/search/?q=<script>alert(1)</script>"))
    assert "<script>alert" not in page
    assert client.get("/search/?q=〔〕").status_code == 200
    assert client.get("/search/?q=养老&page=abc").status_code == 200
    assert client.get("/search/?q=养老&year=abc").status_code == 200


def test_index_follows_publish_edit_and_withdraw(ledger: Any, publisher: Any) -> None:
    assert [h.publication_id for h in search("桶前值守").hits] == [ledger.items["waste"].pk]
    pub = publisher("关于开展背街小巷环境整治的通知", body="整治背街小巷。", published_on=dt.date(2020, 5, 6))
    assert [h.publication_id for h in search("背街小巷").hits] == [pub.pk]
    publication_withdraw(actor=ledger.director, publication=ledger.items["waste"], reason="内容已更新")
    assert search("桶前值守").hits == ()
    assert search("东花市发〔2019〕3号").hits == ()


def test_a_draft_edit_does_not_reach_the_index(ledger: Any) -> None:
    draft = publication_create(
        actor=ledger.drafter,
        title="内部讨论稿",
        category=Art20Category.ART20_2,
        department=ledger.dept,
        formed_on=dt.date(2020, 1, 2),
    )
    publication_update(actor=ledger.drafter, publication=draft, title="内部讨论稿第二版")
    assert search("讨论稿").hits == ()


def test_guide_and_rules_are_editable_pages(client: Client, ledger: Any) -> None:
    from gongkai.portal.models import Page

    guide = text(client.get("/guide/"))
    assert "政府信息公开指南" in guide and "20 个工作日" in guide
    Page.objects.filter(slug="rules").update(body="一、总则\n<b>新的</b>制度正文。")
    rules = text(client.get("/rules/"))
    assert '<h2 class="sub">一、总则</h2>' in rules and "&lt;b&gt;新的&lt;/b&gt;制度正文" in rules


def test_public_pages_carry_a_strict_content_security_policy(client: Client, ledger: Any) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "unsafe-inline" not in csp
    # Nothing on the public pages needs inline script or style.
    for url in ("/", "/disclosure/", "/search/?q=养老", "/apply/", "/mailbox/write/", "/apply/status/"):
        page = text(client.get(url))
        assert "<script" not in page and "style=" not in page, url


def test_staff_pages_get_the_framing_policy_and_scripts_from_this_origin_only(
    client: Client, ledger: Any
) -> None:
    sign_in(client, ledger.clerk)
    csp = client.get("/workbench/mailbox/")["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in csp and "script-src 'self';" in csp


def test_rebuild_command_restores_the_index_from_the_ledger(ledger: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    from gongkai.search.index import clear_index

    clear_index()
    assert search("养老").hits == ()
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "已索引 4 条主动公开信息" in out.getvalue()  # the withdrawn item stays out
    assert [h.publication_id for h in search("养老").hits] == [
        ledger.items["elderly"].pk,
        ledger.items["budget"].pk,
    ]


def test_guide_shows_the_starter_text_when_the_page_row_is_missing(client: Client, ledger: Any) -> None:
    from gongkai.portal.models import Page

    Page.objects.all().delete()
    page = text(client.get("/guide/"))
    assert "政府信息公开指南" in page and "以双方确认之日为收到申请之日" in page
    assert client.get("/rules/").status_code == 200
