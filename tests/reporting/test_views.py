"""The reporting pages: role guards on every URL, the pages themselves, downloads and the dashboard panel."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.org.roles import Role
from gongkai.reporting import services
from gongkai.reporting.models import AnnualReportRecord, ReportStatus
from ledger_fixtures import LedgerMaker
from staff_auth import sign_in

D = dt.date
YEAR = 2022

# url name -> (args, method, roles that may use it)
ALL_STAFF = {"clerk", "staff", "head", "director", "officehead", "auditor"}
URLS = {
    "reporting:list": ((), "get", ALL_STAFF),
    "reporting:create": ((), "post", {"clerk", "officehead"}),
    "reporting:detail": ((YEAR,), "get", ALL_STAFF),
    "reporting:edit": ((YEAR,), "get", {"clerk", "officehead"}),
    "reporting:refresh": ((YEAR,), "post", {"clerk", "officehead"}),
    "reporting:submit": ((YEAR,), "post", {"officehead"}),
    "reporting:reopen": ((YEAR,), "post", {"officehead"}),
    "reporting:publish": ((YEAR,), "post", {"officehead", "director"}),
    "reporting:preview": ((YEAR,), "get", ALL_STAFF),
    "reporting:download": ((YEAR, "json"), "get", ALL_STAFF),
}


@pytest.fixture
def draft(staff: dict[str, Any], ledger: LedgerMaker) -> AnnualReportRecord:
    ledger.request(received_on=D(YEAR, 3, 1), closed_on=D(YEAR, 3, 20), outcome="granted")
    ledger.publication(published_on=D(YEAR, 4, 1))
    return services.report_draft_refresh(actor=staff["clerk"], year=YEAR)


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        sign_in(client, user)
    return client


@pytest.mark.parametrize("name", URLS)
def test_anonymous_is_sent_to_login(draft: AnnualReportRecord, name: str) -> None:
    args, method, _ = URLS[name]
    response = getattr(_client(), method)(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", URLS)
def test_wrong_role_is_refused(draft: AnnualReportRecord, staff: dict[str, Any], name: str) -> None:
    from django.contrib.auth import get_user_model

    args, method, allowed = URLS[name]
    nobody = get_user_model().objects.create_user("norole", password="x-Long-enough-1")
    refused = [nobody, *(staff[w] for w in ALL_STAFF - allowed)]
    for user in refused:
        assert getattr(_client(user), method)(reverse(name, args=args)).status_code == 403, (name, user)


def test_every_reporting_url_is_guarded() -> None:
    from gongkai.reporting import urls

    assert {f"reporting:{p.name}" for p in urls.urlpatterns} == set(URLS)
    for pattern in urls.urlpatterns:
        assert hasattr(pattern.callback, "required_roles"), pattern.name


def test_list_and_detail(draft: AnnualReportRecord, staff: dict[str, Any]) -> None:
    client = _client(staff["auditor"])
    page = client.get(reverse("reporting:list")).content.decode()
    assert f"{YEAR} 年度" in page and "草稿" in page
    page = client.get(reverse("reporting:detail", args=[YEAR])).content.decode()
    assert "规则检查" in page and "按台账生成" in page
    assert "编辑文字" not in page and "报送" not in page  # the auditor only reads
    page = _client(staff["officehead"]).get(reverse("reporting:detail", args=[YEAR])).content.decode()
    assert "报送（锁定报送版本）" in page


def test_preview_may_be_framed_by_the_workbench_only(
    draft: AnnualReportRecord, staff: dict[str, Any]
) -> None:
    response = _client(staff["clerk"]).get(reverse("reporting:preview", args=[YEAR]))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "政府信息公开工作年度报告" in response.content.decode()


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("docx", "application/vnd.openxmlformats", b"PK"),
        ("pdf", "application/pdf", b"%PDF"),
        ("html", "text/html", b"<!"),
        ("json", "application/json", b"{"),
    ],
)
def test_downloads(
    draft: AnnualReportRecord, staff: dict[str, Any], fmt: str, content_type: str, magic: bytes
) -> None:
    response = _client(staff["auditor"]).get(reverse("reporting:download", args=[YEAR, fmt]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response.content.lstrip()[: len(magic)].lower() == magic.lower()
    assert "attachment" in response["Content-Disposition"]


def test_edit_submit_publish_through_the_pages(draft: AnnualReportRecord, staff: dict[str, Any]) -> None:
    clerk = _client(staff["clerk"])
    form = clerk.get(reverse("reporting:edit", args=[YEAR]))
    assert form.status_code == 200
    initial = form.context["form"].initial
    response = clerk.post(
        reverse("reporting:edit", args=[YEAR]),
        {
            "proactive": initial["proactive"],
            "requests": initial["requests"],
            "overview_extra": "完善政务公开制度。",
            "problems": "一是人手紧缺。",
            "other": initial["other"],
            "variant": "national",
            "split_other_services": "on",
        },
    )
    assert response.status_code == 302
    record = AnnualReportRecord.objects.get(year=YEAR)
    assert record.problems == "一是人手紧缺。" and record.overview_overrides == {}
    assert record.other is None  # untouched drafted 六 stays drafted
    head = _client(staff["officehead"])
    head.post(reverse("reporting:submit", args=[YEAR]))
    assert AnnualReportRecord.objects.get(year=YEAR).status == ReportStatus.SUBMITTED
    # Editing a submitted report is refused with a message, not an error page.
    response = clerk.get(reverse("reporting:edit", args=[YEAR]), follow=True)
    assert "不能修改" in response.content.decode()
    response = _client(staff["director"]).post(
        reverse("reporting:publish", args=[YEAR]), {"published_on": "2023-01-18"}, follow=True
    )
    assert "已发布" in response.content.decode()
    record = AnnualReportRecord.objects.get(year=YEAR)
    assert record.status == ReportStatus.PUBLISHED and record.published_on == D(2023, 1, 18)
    exported = json.loads(
        _client(staff["auditor"]).get(reverse("reporting:download", args=[YEAR, "json"])).content
    )
    assert exported["published_on"] == "2023-01-18"
    assert exported == record.frozen_json


def test_create_from_the_list(staff: dict[str, Any], ledger: LedgerMaker) -> None:
    response = _client(staff["officehead"]).post(reverse("reporting:create"), {"year": YEAR})
    assert response.status_code == 302
    assert AnnualReportRecord.objects.filter(year=YEAR).exists()
    response = _client(staff["officehead"]).post(reverse("reporting:create"), {"year": 2999}, follow=True)
    assert not AnnualReportRecord.objects.filter(year=2999).exists()


def test_dashboard_panel_counts_down_to_the_deadline(
    staff: dict[str, Any], ledger: LedgerMaker, time_machine: Any
) -> None:
    time_machine.move_to(dt.datetime(2023, 1, 11, 10, 0))
    services.report_draft_refresh(actor=staff["clerk"], year=YEAR)
    page = _client(staff["clerk"]).get(reverse("dashboard")).content.decode()
    assert "年度报告" in page
    assert f"{YEAR} 年度报告（草稿）" in page and "2023年1月31日" in page and "还有 20 天" in page
    time_machine.move_to(dt.datetime(2023, 2, 3, 10, 0))
    page = _client(staff["clerk"]).get(reverse("dashboard")).content.decode()
    assert "已逾期 3 天" in page
    assert f"{YEAR + 1} 年度报告（尚未起草）" in page
    # The panel is for the office; a department's staff do not see it.
    page = _client(staff["staff"]).get(reverse("dashboard")).content.decode()
    assert "年度报告（" not in page


def test_pages_before_the_office_is_set_up_say_what_to_do(db: None) -> None:
    from gongkai.org.services import staff_create

    clerk = staff_create(
        actor=None, username="c", password="x-Long-enough-1", full_name="c", roles=[Role.CLERK]
    )
    for url in (reverse("reporting:list"), reverse("reporting:detail", args=[YEAR])):
        response = _client(clerk).get(url, follow=True)
        assert response.status_code == 200
        assert "尚未设置本机关信息" in response.content.decode()
