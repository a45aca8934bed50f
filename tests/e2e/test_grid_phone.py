"""随手拍 on a 375 px phone in a real browser: a resident files a report with a photo, takes the place
from the photo's own GPS (read in the page, on request), confirms it, keeps the number and 查询码, and
follows the status as the receivers take the report (local HTTP receivers, the real outbox) and report
back through the signed callback of the live server."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from gongkai.core.choices import OrganisationKind
from gongkai.delivery.channels import sign
from gongkai.grid.models import Report, ReportStatus
from gongkai.grid.services import forward_key
from gongkai.org.services import organisation_set
from grid.conftest import GRID_KEY, HOTLINE_KEY, Receiver, gps_jpeg, gps_of
from grid.helpers import drain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def receivers(settings: Any) -> Iterator[tuple[Receiver, Receiver]]:
    grid, hotline = Receiver(GRID_KEY, "WG"), Receiver(HOTLINE_KEY, "RX")
    grid.up()
    hotline.up()
    settings.GONGKAI_GRID_URL, settings.GONGKAI_GRID_KEY = grid.url, GRID_KEY
    settings.GONGKAI_96010_URL, settings.GONGKAI_96010_KEY = hotline.url, HOTLINE_KEY
    yield grid, hotline
    grid.down()
    hotline.down()


def _callback(base: str, key: str, status: str, note: str) -> int:
    body = json.dumps({"idempotency_key": key, "status": status, "note": note}).encode()
    stamp = str(int(time.time()))
    request = urllib.request.Request(
        f"{base}/grid/callback/grid/",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Gongkai-Timestamp": stamp,
            "X-Gongkai-Signature": sign(GRID_KEY.encode(), stamp, body),
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status)


def test_a_resident_files_a_report_with_a_photo_and_follows_it(
    browser: Any, live_server: Any, receivers: tuple[Receiver, Receiver], screenshots: Path, tmp_path: Path
) -> None:
    organisation_set(actor=None, name="东花市街道办事处", kind=OrganisationKind.SUBDISTRICT)
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(gps_jpeg((800, 600)))
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": 39.8895, "longitude": 116.4321},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.goto("/")
    page.get_by_role("link", name="我要随手拍").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("随手拍")
    # Phone first: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_label("现场照片").set_input_files(str(photo))
    page.get_by_role("button", name="使用照片拍摄位置").click()
    expect(page.get_by_label("纬度")).to_have_value("39.904222")
    expect(page.get_by_label("经度")).to_have_value("116.407222")
    page.get_by_role("button", name="使用当前位置").click()  # the browser's position, with consent
    expect(page.get_by_label("纬度")).to_have_value("39.889500")
    page.get_by_label("问题类别").select_option(label="道路设施")
    page.get_by_label("地点").fill("东花市北里东区南门外")
    page.get_by_label("问题描述").fill("人行道地砖松动翘起，老人容易绊倒")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_role("button", name="提交随手拍").click()
    expect(page.get_by_role("alert")).to_contain_text("请确认位置无误后再提交")  # not confirmed yet
    page.screenshot(path=str(screenshots / "portal-grid-error-375.png"), full_page=True)
    page.get_by_label("现场照片").set_input_files(str(photo))  # a browser never re-sends a file
    page.get_by_label("我已核对，上述位置就是问题所在位置").check()
    page.screenshot(path=str(screenshots / "portal-grid-375.png"), full_page=True)
    page.get_by_role("button", name="提交随手拍").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("随手拍已收到")
    number = page.locator("#report-number").inner_text()
    code = page.locator("#query-code").inner_text()
    assert re.fullmatch(r"SP\d{8}-[0-9A-Z]{6}", number)
    page.screenshot(path=str(screenshots / "portal-grid-done-375.png"), full_page=True)

    report = Report.objects.get(tracking_number=number)
    assert (str(report.latitude), str(report.longitude)) == ("39.889500", "116.432100")
    drain()  # what `gongkai tick` does
    grid, hotline = receivers
    assert len(grid.accepted) == 1 and len(hotline.accepted) == 1
    assert gps_of(__import__("base64").b64decode(grid.hits[0].body["photo"]["base64"])) == {}

    page.get_by_role("link", name="查询处理进度").click()
    expect(page.get_by_label("受理编号")).to_have_value(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#report-stage")).to_have_text("已转送区网格化管理平台和 96010 热线，等待处理")

    assert _callback(live_server.url, forward_key(report.pk, "grid"), "resolved", "已更换地砖") == 200
    page.get_by_role("link", name="查询其他随手拍").click()
    page.get_by_label("受理编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#report-stage")).to_have_text("已办结")
    expect(page.get_by_text("已更换地砖")).to_be_visible()
    page.screenshot(path=str(screenshots / "portal-grid-status-375.png"), full_page=True)
    page.get_by_role("link", name="查询其他随手拍").click()
    page.screenshot(path=str(screenshots / "portal-grid-lookup-375.png"), full_page=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED
    context.close()
