"""No personal data on any public page: walk every URL of the portal's URL conf with a populated ledger.

The walk is driven by the URL conf itself, so a page added later is walked too: every public pattern is
requested with every id the ledger has for its parameters (including the ids of cases, scans and
unpublished letters, which must lead nowhere).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from gongkai.engagement.models import Letter
from gongkai.inforequests.models import InfoRequest
from gongkai.portal.middleware import is_staff_path
from gongkai.portal.models import ApplicationScan
from gongkai.publications.models import PolicyInterpretation, Publication, PublicationAttachment
from gongkai.reporting.stat_tables import PUBLIC_TABLES

pytestmark = pytest.mark.django_db

# From tests/portal/conftest.py: the applicant of the ledger's online application and the letter writer.
APPLICANT = [
    "欧阳测试人",
    "11010519491231002X",
    "13912345678",
    "ouyang.applicant@example.cn",
    "东花市北里东区99号楼",
]
LETTER_WRITER = ["司马来信人", "13787654321"]


def public_patterns() -> list[tuple[str, list[str]]]:
    """(route template, parameter names) of every URL under the portal's include, staff paths excluded."""
    out: list[tuple[str, list[str]]] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route, p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace == "portal":
                out.append((route, list(p.pattern.converters)))

    walk(get_resolver().url_patterns, "", "")
    return [(r, params) for r, params in out if not is_staff_path("/" + r)]


def candidates(name: str) -> list[str]:
    ids = itertools.chain(
        Publication.objects.values_list("pk", flat=True),
        PolicyInterpretation.objects.values_list("pk", flat=True),
        Letter.objects.values_list("pk", flat=True),
        InfoRequest.objects.values_list("pk", flat=True),
        ApplicationScan.objects.values_list("pk", flat=True),
    )
    values = {
        "pk": sorted({str(i) for i in ids}),
        "att_pk": sorted(
            {str(i) for i in PublicationAttachment.objects.values_list("pk", flat=True)}
            | {str(i) for i in ApplicationScan.objects.values_list("pk", flat=True)}
        ),
        "year": ["2019", "2020"],
        "fmt": ["html", "pdf", "docx", "json", "md"],
        "tracking_number": list(InfoRequest.objects.values_list("reference", flat=True)),
        "slug": ["guide", "rules"],
        "key": list(PUBLIC_TABLES),  # 工作数据's tables as XLSX
    }
    return values[name]


def urls() -> list[str]:
    out = []
    for route, params in public_patterns():
        for combo in itertools.product(*(candidates(p) for p in params)):
            url = route
            for name, value in zip(params, combo, strict=True):
                url = url.split("<", 1)[0] + value + url.split(">", 1)[1] if f":{name}>" in url else url
            out.append("/" + url)
    return out


def test_walk_covers_the_portal(ledger: Any) -> None:
    walked = urls()
    for expected in (
        "/",
        "/disclosure/",
        "/search/",
        "/apply/",
        "/apply/status/",
        "/mailbox/",
        "/reports/",
        "/statistics/",
    ):
        assert expected in walked
    assert any(u.startswith("/apply/status/WS") for u in walked)
    assert any(u.startswith("/mailbox/") and u[9:-1].isdigit() for u in walked)


def _publish_report(ledger: Any) -> None:
    from gongkai.reporting.services import (
        report_draft_refresh,
        report_publish,
        report_submit,
        report_update_text,
    )

    report_draft_refresh(actor=ledger.office_head, year=2019)
    # 五 and 六 are the office's own text; an empty one blocks 报送 (A8).
    report_update_text(
        actor=ledger.office_head,
        year=2019,
        problems="一是政策解读形式较为单一。改进措施：对重要政策同步制作图解。",
        other="无。",
    )
    report_submit(actor=ledger.office_head, year=2019)
    report_publish(actor=ledger.office_head, year=2019, published_on=dt.date(2020, 1, 15))


def test_no_public_page_shows_an_applicants_personal_data(client: Client, ledger: Any) -> None:
    _publish_report(ledger)
    walked = urls()
    # Searching for the personal data itself must not find it either.
    walked += [f"/search/?q={value}" for value in APPLICANT + LETTER_WRITER]
    walked += ["/search/?q=垃圾分类驿站的建设合同", "/disclosure/?page=2", "/mailbox/?page=1"]
    seen_ok = 0
    for url in walked:
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404, 410), (url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        if url.startswith("/search/?q="):
            # The visitor's own query is echoed back (search box, title, "nothing found"): not a leak.
            query = url.removeprefix("/search/?q=")
            assert "没有找到包含" in text, url
            for echo in (f'value="{query}"', f"“{query}”", f"{query} - 检索"):
                text = text.replace(echo, "")
        for secret in APPLICANT + LETTER_WRITER:
            assert secret not in text, f"{secret} on {url}"
        # The application's description and the unpublished letter are not public either.
        assert "垃圾分类驿站的建设合同" not in text, url
        assert "关于噪音扰民" not in text, url
        seen_ok += response.status_code == 200
    assert seen_ok >= 15
    assert client.get("/reports/2019.html").status_code == 200


def test_the_published_letter_shows_the_office_text_not_the_letter(client: Client, ledger: Any) -> None:
    page = client.get(f"/mailbox/{ledger.items['letter'].pk}/").content.decode()
    assert "小区门口路灯坏了一个月。" in page and "已联系路灯管理所" in page
    assert client.get(f"/mailbox/{ledger.items['private_letter'].pk}/").status_code == 404
