"""The portal in Debian's Chromium (Playwright) against the live server.

- a two-character query finds the right items and not the others;
- a citizen on a 375 px phone, with JavaScript off, files an application, keeps the tracking number
  and secret, checks the status; a clerk confirms receipt in the workbench; the status page changes;
- a wrong secret shows nothing;
- a disguised and an oversized upload are refused with a message, and the rest of the form is kept;
- an attachment goes from the drafter's upload (a disguised one refused first) through the review to
  the item page on a phone, where it downloads and its PDF opens inline;
- the main pages fit 375 px and can be walked with the keyboard; screenshots of them at desktop and
  phone width go to ``$GONGKAI_PORTAL_SCREENSHOTS`` when it is set (docs/screenshots/ was made so).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from PIL import Image

from gongkai.inforequests.models import InfoRequest, RequestStatus
from gongkai.portal.uploads import MAX_UPLOAD_BYTES
from staff_auth import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 15_000
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 860}
# Tuesday 17 June 2025 in Beijing: 20 working days from 17 June end on Tuesday 15 July.
NOW = dt.datetime(2025, 6, 17, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
DUE = "2025年7月15日"
PASSWORD = "x-Long-enough-1"
NAME, ID_NUMBER, PHONE_NO = "诸葛申请人", "11010519491231002X", "13522223333"
DESCRIPTION = "东花市北里社区2024年养老驿站运营补贴的发放明细"


@pytest.fixture(autouse=True)
def _pinned_clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def chromium(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium package is not installed (/usr/bin/chromium)")
    from playwright.sync_api import expect, sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's ORM calls stay synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(chromium: Any, *, viewport: dict[str, int] = PHONE, javascript: bool = True) -> Any:
    context = chromium.new_context(
        viewport=viewport, device_scale_factor=1, java_script_enabled=javascript, locale="zh-CN"
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def staff_page(chromium: Any, live_server: Any, username: str) -> Any:
    """A desktop page logged in to the workbench through the login form."""
    from django.contrib.auth import get_user_model

    page = new_page(chromium, viewport=DESKTOP)
    user = get_user_model().objects.get(username=username)
    browser_sign_in(page, user, PASSWORD, base_url=live_server.url)
    page.wait_for_url("**/workbench/")
    return page


def jpeg_file(tmp_path: Path, name: str = "身份证.jpg") -> Path:
    path = tmp_path / name
    Image.new("RGB", (300, 190), (180, 190, 200)).save(path, format="JPEG")
    return path


def fill_application(page: Any, scan: Path) -> None:
    page.get_by_label("申请人类型").select_option("natural_person")
    page.get_by_label("姓名或机构名称").fill(NAME)
    page.get_by_label("证件号码或统一社会信用代码").fill(ID_NUMBER)
    page.get_by_label("联系电话").fill(PHONE_NO)
    page.get_by_label("电子邮箱").fill("zhuge@example.cn")
    page.get_by_label("所需政府信息的名称、文号或者便于查询的其他特征性描述").fill(DESCRIPTION)
    page.get_by_label("获取信息的方式").select_option("email")
    page.get_by_label("身份证明材料").set_input_files(str(scan))
    page.get_by_label("本人承诺所填信息真实有效").check()


def test_two_character_query_finds_the_right_items(chromium: Any, live_server: Any, ledger: Any) -> None:
    from playwright.sync_api import expect

    page = new_page(chromium)
    page.goto(live_server.url + "/")
    page.get_by_label("检索公开信息").fill("养老")
    page.get_by_role("button", name="检索").click()
    expect(page.get_by_role("status")).to_contain_text("找到 2 条结果")
    results = page.locator("ol.items > li > a")
    expect(results).to_have_text(["关于做好社区养老服务工作的通知", "2019年部门预算公开"])
    expect(page.locator("ol.items mark").first).to_have_text("养老")
    for other in ("老旧小区停车管理办法", "东花市街道垃圾分类工作实施方案", "临时交通管制公告"):
        expect(page.get_by_text(other)).to_have_count(0)
    results.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("关于做好社区养老服务工作的通知")


def test_citizen_on_a_phone_applies_and_follows_the_case(
    chromium: Any, live_server: Any, office: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    phone = new_page(chromium, javascript=False)  # the whole flow works without JavaScript
    phone.goto(live_server.url + "/")
    phone.get_by_role("link", name="在线提交申请").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("政府信息公开申请")
    fill_application(phone, jpeg_file(tmp_path))
    phone.get_by_role("button", name="提交申请").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("申请已提交")
    tracking = phone.locator("#tracking-number").inner_text()
    secret = phone.locator("#secret").inner_text()
    assert re.fullmatch(r"WS20250617-[0-9A-Z]{6}", tracking) and len(secret) == 14
    req = InfoRequest.objects.get(reference=tracking)
    assert req.status == RequestStatus.AWAITING_CONFIRMATION and req.received_on is None
    phone.reload()
    expect(phone.get_by_role("heading", level=1)).to_have_text("查询码已显示过")

    def check_status() -> None:
        phone.goto(live_server.url + "/apply/status/")
        phone.get_by_label("查询号").fill(tracking)
        phone.get_by_label("查询码").fill(secret)
        phone.get_by_role("button", name="查询").click()

    check_status()
    expect(phone.locator("#stage")).to_have_text("已提交，待工作人员确认收到")
    expect(phone.locator("#due")).to_contain_text("确认收到后计算")

    clerk = staff_page(chromium, live_server, "clerk")
    clerk.goto(live_server.url + f"/workbench/requests/{req.pk}/")
    expect(clerk.get_by_text("待确认收到").first).to_be_visible()
    panel = clerk.locator("details.action", has=clerk.locator("summary", has_text="确认收到申请"))
    if panel.get_attribute("open") is None:  # the page may already show the next step open
        panel.locator("summary").click()
    panel.get_by_label("确认日期").fill("2025-06-17")
    panel.get_by_role("button", name="确认收到", exact=True).click()
    expect(clerk.get_by_text("已确认收到申请，开始计算答复期限")).to_be_visible()

    phone.reload()
    expect(phone.locator("#stage")).to_have_text("办理中")
    expect(phone.locator("#due")).to_have_text(f"{DUE}前")
    expect(phone.get_by_text("2025年6月17日").first).to_be_visible()
    req.refresh_from_db()
    assert req.status == RequestStatus.OPEN and req.received_on == NOW.date()


def test_a_wrong_secret_shows_nothing(chromium: Any, live_server: Any, ledger: Any) -> None:
    from playwright.sync_api import expect

    tracking = ledger.items["application"].tracking_number
    page = new_page(chromium)
    page.goto(live_server.url + "/apply/status/")
    page.get_by_label("查询号").fill(tracking)
    page.get_by_label("查询码").fill("AAAA-AAAA-AAAA")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("alert")).to_contain_text("查询号或查询码不正确")
    body = page.locator("body").inner_text()
    for hidden in ("欧阳测试人", "垃圾分类驿站", "待工作人员确认", "办理中", "答复期限"):
        assert hidden not in body
    page.goto(live_server.url + f"/apply/status/{tracking}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("查询办理进度")  # sent back to the form


@pytest.mark.parametrize("bad", ["disguised", "oversized"])
def test_bad_upload_is_refused_and_the_form_is_kept(
    chromium: Any, live_server: Any, office: Any, tmp_path: Path, bad: str
) -> None:
    from playwright.sync_api import expect

    if bad == "disguised":
        scan = tmp_path / "身份证.jpg"  # a PNG under a JPEG name
        Image.new("RGB", (40, 40)).save(scan, format="PNG")
        message = "扩展名与内容不符"
    else:
        scan = jpeg_file(tmp_path, "大图.jpg")
        scan.write_bytes(scan.read_bytes() + b"\0" * (MAX_UPLOAD_BYTES + 1024))
        message = "文件过大"
    page = new_page(chromium)
    page.goto(live_server.url + "/apply/")
    fill_application(page, scan)
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("alert")).to_contain_text(message)
    expect(page.locator("#field-scans .errors")).to_contain_text(message)
    expect(page.get_by_label("身份证明材料")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("姓名或机构名称")).to_have_value(NAME)
    expect(page.get_by_label("证件号码或统一社会信用代码")).to_have_value(ID_NUMBER)
    expect(page.get_by_label("联系电话")).to_have_value(PHONE_NO)
    expect(page.get_by_label("所需政府信息的名称、文号或者便于查询的其他特征性描述")).to_have_value(
        DESCRIPTION
    )
    expect(page.get_by_label("获取信息的方式")).to_have_value("email")
    assert not InfoRequest.objects.exists()


def _shot(page: Any, target: str | None, name: str) -> None:
    """A full-page screenshot when a target directory is set, kept small for the repository: a 64-colour
    palette keeps text sharp at a fraction of the size."""
    if not target:
        return
    path = Path(target) / name
    page.screenshot(path=str(path), full_page=True, type="png")
    with Image.open(path) as img:
        small = img.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


MAIN_PAGES = [
    ("home", "/"),
    ("catalogue", "/disclosure/"),
    ("item", "/disclosure/{waste}/"),
    ("interpretation", "/disclosure/interpretations/{interp}/"),
    ("reports", "/reports/"),
    ("search", "/search/?q=养老"),
    ("apply", "/apply/"),
    ("status-lookup", "/apply/status/"),
    ("guide", "/guide/"),
    ("mailbox", "/mailbox/"),
    ("mailbox-write", "/mailbox/write/"),
    ("withdrawn", "/disclosure/{withdrawn}/"),
]


def test_main_pages_fit_a_phone_and_work_with_the_keyboard(
    chromium: Any, live_server: Any, ledger: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    from gongkai.reporting.services import (
        report_draft_refresh,
        report_publish,
        report_submit,
        report_update_text,
    )

    target = os.environ.get("GONGKAI_PORTAL_SCREENSHOTS")
    report_draft_refresh(actor=ledger.office_head, year=2019)  # so the archive page has a year to show
    # 五 and 六 are the office's own text; an empty one blocks 报送 (A8).
    report_update_text(
        actor=ledger.office_head,
        year=2019,
        problems="一是政策解读形式较为单一。改进措施：对重要政策同步制作图解。",
        other="无。",
    )
    report_submit(actor=ledger.office_head, year=2019)
    report_publish(actor=ledger.office_head, year=2019, published_on=dt.date(2020, 1, 15))
    ids = {
        "waste": ledger.items["waste"].pk,
        "withdrawn": ledger.items["withdrawn"].pk,
        "interp": ledger.items["interp"].pk,
    }
    for label, viewport in (("375", PHONE), ("desktop", DESKTOP)):
        page = new_page(chromium, viewport=viewport)
        for name, path in MAIN_PAGES:
            response = page.goto(live_server.url + path.format(**ids))
            assert response.status == (410 if name == "withdrawn" else 200), name
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"{name} is {width}px wide at {viewport['width']}px"
            unlabelled = page.evaluate(
                """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                   .filter(el => !el.closest('[aria-hidden=true]') && el.labels.length === 0).map(el => el.name)"""
            )
            assert unlabelled == [], f"{name}: fields without a label: {unlabelled}"
            _shot(page, target, f"portal-{name}-{label}.png")
        # The pages of an applicant: the one-time receipt and the status behind the secret.
        page.goto(live_server.url + "/apply/")
        fill_application(page, jpeg_file(tmp_path))
        page.get_by_role("button", name="提交申请").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("申请已提交")
        _shot(page, target, f"portal-apply-done-{label}.png")
        submission = ledger.items["application"]
        page.goto(live_server.url + "/apply/status/")
        page.get_by_label("查询号").fill(submission.tracking_number)
        page.get_by_label("查询码").fill(submission.secret)
        page.get_by_role("button", name="查询").click()
        expect(page.locator("#stage")).to_have_text("已提交，待工作人员确认收到")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        _shot(page, target, f"portal-status-{label}.png")
    # Keyboard: the first Tab lands on the skip link, Enter moves to the content, focus is visible.
    page = new_page(chromium, viewport=PHONE)
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("跳到正文")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") in ("A", "INPUT", "BUTTON")


def test_an_attachment_goes_from_the_drafters_upload_to_the_citizens_phone(
    chromium: Any, live_server: Any, office: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    from gongkai.publications import services
    from sample_files import pdf_bytes, xlsx_bytes

    pub = services.publication_create(
        actor=office.drafter,
        title="东花市街道2025年夏季防汛工作方案",
        category="art20_13",
        department=office.dept,
        formed_on=NOW.date(),
        body="做好汛期值守。",
    )
    drafter = staff_page(chromium, live_server, "drafter")
    drafter.goto(live_server.url + f"/workbench/publications/{pub.pk}/")
    disguised = tmp_path / "防汛方案.pdf"
    disguised.write_bytes(xlsx_bytes())  # a spreadsheet under a PDF name
    drafter.get_by_label("文件").set_input_files(str(disguised))
    drafter.get_by_role("button", name="上传附件").click()
    expect(drafter.get_by_text("附件未上传：")).to_contain_text("扩展名与内容不符（内容为Excel 表格）")
    real = tmp_path / "防汛方案.pdf"
    real.write_bytes(pdf_bytes("Flood plan"))
    drafter.get_by_label("附件名称（可选）").fill("夏季防汛工作方案（正式文本）")
    drafter.get_by_label("文件").set_input_files(str(real))
    drafter.get_by_role("button", name="上传附件").click()
    expect(drafter.get_by_text("已添加附件“夏季防汛工作方案（正式文本）”")).to_be_visible()
    drafter.get_by_role("button", name="提交审核").click()
    expect(drafter.get_by_text("已提交科室负责人审核")).to_be_visible()
    expect(drafter.get_by_role("button", name="上传附件")).to_have_count(0)  # frozen for the review
    services.publication_approve(actor=office.dept_head, publication=pub)
    services.publication_approve(actor=office.director, publication=pub)

    phone = new_page(chromium)
    phone.goto(live_server.url + f"/disclosure/{pub.pk}/")
    attachments = phone.get_by_role("region", name="附件")
    expect(attachments.get_by_role("link", name="夏季防汛工作方案（正式文本）", exact=True)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with phone.expect_download() as download_info:
        attachments.get_by_role("link", name=re.compile("^下载")).click()
    download = download_info.value
    assert download.suggested_filename == "夏季防汛工作方案（正式文本）.pdf"
    assert Path(download.path()).read_bytes() == pdf_bytes("Flood plan")
    href = attachments.get_by_role("link", name=re.compile("^在线阅读")).get_attribute("href")
    inline = phone.request.get(live_server.url + href)
    assert inline.headers["content-type"] == "application/pdf"
    assert inline.headers["content-disposition"].startswith("inline;")
