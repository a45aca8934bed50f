"""The 考核排名 in a real browser, on the demo ledger: the office head opens the dashboard, follows 排名 to
this quarter's ranking of the 科室, drills into one score, publishes the last quarter and downloads the XLSX.

Screenshots of the ranking (desktop and 375 px) go to ``$GONGKAI_E2E_SCREENSHOTS`` when it is set
(``docs/screenshots/`` was made so).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from gongkai.ranking.models import PublishedQuarter
from gongkai.ranking.queries import Quarter
from gongkai.ranking.selectors import current_quarter
from staff_auth import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_head_ranks_drills_publishes_and_downloads(
    browser: Any, live_server: Any, screenshots: Path
) -> None:
    from django.contrib.auth import get_user_model

    from gongkai.demo_ledger import build_ledgers
    from gongkai.demo_ledger.office import DEMO_PASSWORD

    build_ledgers()
    q = current_quarter()
    previous = Quarter(q.year, q.quarter - 1) if q.quarter > 1 else Quarter(q.year - 1, 4)
    head = get_user_model().objects.get(username="officehead")
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    browser_sign_in(page, head, DEMO_PASSWORD, base_url=live_server.url)
    page.goto(live_server.url + "/workbench/")
    # The dashboard shows the year's charts (drawn as SVG on the server) beside the 排名 link.
    charts = page.get_by_role("region", name=re.compile(r"\d{4}年工作统计")).get_by_role("img")
    expect(charts).to_have_count(3)
    page.locator("main").get_by_role("link", name="排名").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("科室考核排名")
    table = page.locator("table.ranking")
    # Every 科室 of the demo office is ranked, with different totals.
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(6)
    totals = [rows.nth(i).locator("td").nth(1).inner_text() for i in range(6)]
    assert len(set(totals)) >= 5 and all(t != "—" for t in totals), totals
    page.screenshot(path=str(screenshots / "ranking-desktop.png"), full_page=True)

    # The office head drops two weights: the method says it is this office's own now.
    page.get_by_label("主动公开数量").fill("0")
    page.get_by_role("button", name="保存权重").click()
    expect(page.locator(".messages")).to_contain_text("考核方法已修改")
    expect(page.get_by_role("heading", name="考核方法（本机关设置）")).to_be_visible()

    # Drill into the first 科室's publication timeliness.
    first = rows.first.get_by_role("link").first
    first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("主动公开及时率")
    expect(page.locator("caption").last).to_contain_text("条记录")
    page.go_back()

    # The quarter in progress cannot be published yet: the office head publishes the last one.
    expect(page.get_by_text("本季度结束后可发布排名")).to_be_visible()
    page.get_by_role("link", name=previous.label, exact=True).click()
    page.get_by_role("button", name="排名（内部）").click()
    expect(page.locator(".messages")).to_contain_text("排名已发布")
    assert PublishedQuarter.objects.count() == 1
    with page.expect_download() as info:
        page.get_by_role("link", name="下载已发布季度排名（XLSX）").click()
    wb = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert wb.sheetnames[-1] == "考核方法" and len(wb.sheetnames) == 2
    assert wb[wb.sheetnames[0]]["B1"].value == "科室"

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, width  # the wide table scrolls inside its box, not the page
    page.screenshot(path=str(screenshots / "ranking-375.png"), full_page=True)
    page.close()
