"""The office head sees the year's charts on the dashboard, opens the statistics page and downloads a table
as XLSX; the public 工作数据 page fits a 375 px phone (issue 14)."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from gongkai.org.roles import Role
from gongkai.org.services import staff_create
from ledger_fixtures import LedgerMaker
from staff_auth import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "head-Long-enough-5"


def _ledger() -> None:
    year = timezone.localdate().year
    ledger = LedgerMaker()
    # January and February of this year are always in the past.
    for day, outcome, kind in ((3, "granted", "natural_person"), (8, "partial", "commercial"), (15, "refused.process", "natural_person")):  # fmt: skip
        ledger.request(
            received_on=dt.date(year, 1, day),
            closed_on=dt.date(year, 2, day),
            outcome=outcome,
            applicant_type=kind,
        )
    ledger.request(received_on=dt.date(year, 2, 20))
    for day in (5, 12, 19):
        ledger.publication(published_on=dt.date(year, 1, day), category="art20_7")
    ledger.publication(published_on=dt.date(year, 2, 2), category="art20_1")


def test_office_head_sees_the_charts_and_downloads_a_table(
    live_server: Any, browser: Any, screenshots: Path, calendar_db: Any
) -> None:
    _ledger()
    head = staff_create(
        actor=None,
        username="officehead",
        password=PASSWORD,
        full_name="公开办负责人",
        roles=[Role.OFFICE_HEAD],
    )
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        browser_sign_in(page, head, PASSWORD)
        page.goto("/workbench/")
        panel = page.get_by_role("region", name=re.compile(r"\d{4}年工作统计"))
        expect(panel).to_contain_text("本年收到申请 4 件，办结 3 件")
        charts = panel.get_by_role("img")
        expect(charts).to_have_count(3)
        expect(charts.first).to_be_visible()
        expect(charts.first).to_have_accessible_name(re.compile("每月办结的政府信息公开申请"))
        page.screenshot(path=str(screenshots / "statistics-dashboard.png"), full_page=True)

        page.get_by_role("link", name="查看全部统计图表和数据表").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("工作统计")
        expect(page.get_by_role("link", name="统计")).to_have_attribute("aria-current", "page")
        outcome = page.get_by_role("region", name="每月办结申请（按办理结果）", exact=True)
        expect(outcome.get_by_role("row", name=re.compile("^合计")).get_by_role("cell").last).to_have_text(
            "3"
        )
        with page.expect_download() as info:
            outcome.get_by_role("link", name=re.compile("下载本表")).click()
        data = Path(info.value.path()).read_bytes()
        rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
        assert rows[-3][0] == "合计" and rows[-3][-1] == 3
        page.screenshot(path=str(screenshots / "statistics-workbench.png"), full_page=True)
    finally:
        context.close()


def test_public_statistics_fit_a_phone(
    live_server: Any, browser: Any, screenshots: Path, calendar_db: Any
) -> None:
    _ledger()
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 375, "height": 800}
    )
    page = context.new_page()
    try:
        page.goto("/")
        page.get_by_role("link", name="工作数据").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("工作数据")
        expect(page.get_by_role("img").first).to_be_visible()
        # The page itself never scrolls sideways; wide charts and tables scroll inside their own boxes.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.screenshot(path=str(screenshots / "statistics-portal-375.png"), full_page=True)
    finally:
        context.close()
