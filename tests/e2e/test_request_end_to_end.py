"""One disclosure request from the portal to the end, in Chromium, with the notices delivered by e-mail.

A citizen on a phone applies online and chooses e-mail; ``gongkai tick`` delivers the 提交回执 to a real
SMTP server this test starts on 127.0.0.1. The clerk finds the application under 待确认的网上申请,
confirms it, assigns it and asks for a 补正 (the 受理回执 and the 补正告知书 arrive). The citizen reads the
items on the status page and sends the 补正 online with a file; the handler is told. The handler uploads
the document to release and sends the draft through every step of the office's review chain
(科室负责人审核 → 公开办保密审查和法制审核 → 主管主任签发); the clerk sends the signed 告知书 out. The
answer arrives by e-mail with the 告知书 as PDF and the released document, and both download from the
status page. Each e-mail arrives once: a last tick sends nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from delivery.conftest import SmtpServer, smtp_server  # noqa: F401  (fixture)
from e2e.test_workbench_flow import (  # noqa: F401  (fixtures)
    PASSWORD,
    TODAY,
    Desk,
    Office,
    action,
    fixed_clock,
    message,
    office,
)
from gongkai.core.choices import NotifyBy, Outcome
from gongkai.delivery.models import ServiceChannel, ServiceRecord, StaffNotice
from gongkai.inforequests.models import InfoRequest, ReleasedFile, RequestStatus
from sample_files import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
APPLICANT, EMAIL = "欧阳申请", "ouyang@example.cn"
DESCRIPTION = "东花市北里东区5号楼加装电梯项目的规划许可文件"
ITEMS = "请写明所需规划许可文件的年份\n请说明所称“5号楼”所在的小区名称"
CORRECTION = "所需文件为2024年度的规划许可；5号楼位于东花市北里东区。"
REPLY = "经审查，您申请获取的规划许可文件属于公开范围，本机关决定予以公开，现随本告知书提供。"
RESPOND_BY = TODAY + dt.timedelta(days=14)
ORG = "【东花市街道办事处】"


def tick() -> None:
    """``gongkai tick`` in this process: the live server and the test share the test database."""
    from gongkai import cli

    assert cli.main(["tick"]) == 0


def mail_to_applicant(server: SmtpServer) -> list[Any]:
    return [m for m in server.messages if m["To"] == EMAIL]


def subjects(server: SmtpServer) -> list[str]:
    return [m["Subject"].removeprefix(ORG) for m in mail_to_applicant(server)]


def status_page(phone: Page, tracking: str, secret: str) -> None:
    phone.goto("/apply/status/")
    phone.get_by_label("查询号").fill(tracking)
    phone.get_by_label("查询码").fill(secret)
    phone.get_by_role("button", name="查询").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("办理进度")
    expect(phone.get_by_text(tracking).first).to_be_visible()


@pytest.fixture
def mail(settings: Any, smtp_server: SmtpServer, tmp_path: Path) -> SmtpServer:  # noqa: F811
    settings.GONGKAI_EMAIL_URL = smtp_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    return smtp_server


def test_a_request_from_the_portal_to_its_answer_by_email(
    live_server: Any,
    office: Office,  # noqa: F811
    browser: Any,
    screenshots: Path,
    mail: SmtpServer,
    tmp_path: Path,
) -> None:
    from gongkai.org.services import department_create

    department_create(actor=None, organisation=office.dept.organisation, name="综合办公室", sort_order=3)
    desk = Desk(browser, live_server.url, screenshots)
    scan = tmp_path / "身份证.jpg"
    Image.new("RGB", (300, 190), (180, 190, 200)).save(scan, format="JPEG")
    released = tmp_path / "规划许可.pdf"
    released.write_bytes(pdf_bytes("Planning permit 2024"))
    phone_context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="zh-CN", accept_downloads=True
    )
    phone_context.set_default_timeout(15_000)
    phone = phone_context.new_page()

    # 1. The citizen applies on a phone and chooses e-mail; the 提交回执 arrives with the tracking number.
    phone.goto("/apply/")
    phone.get_by_label("申请人类型").select_option("natural_person")
    phone.get_by_label("姓名或机构名称").fill(APPLICANT)
    phone.get_by_label("证件号码或统一社会信用代码").fill("11010519491231002X")
    phone.get_by_label("联系电话").fill("13522223333")
    phone.get_by_label("电子邮箱").fill(EMAIL)
    phone.get_by_label("所需政府信息的名称、文号或者便于查询的其他特征性描述").fill(DESCRIPTION)
    phone.get_by_label("获取信息的方式").select_option("email")
    phone.get_by_role("radio", name=re.compile("^电子邮件")).check()
    phone.get_by_label("身份证明材料").set_input_files(str(scan))
    phone.get_by_label("本人承诺所填信息真实有效").check()
    phone.get_by_role("button", name="提交申请").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("申请已提交")
    tracking = phone.locator("#tracking-number").inner_text()
    secret = phone.locator("#secret").inner_text()
    req = InfoRequest.objects.get(reference=tracking)
    assert req.notify_by == NotifyBy.EMAIL and req.status == RequestStatus.AWAITING_CONFIRMATION
    tick()
    (receipt,) = mail_to_applicant(mail)
    assert receipt["Subject"] == f"{ORG}政府信息公开申请提交回执（{tracking}）"
    assert f"查询号为 {tracking}" in receipt.get_body().get_content()

    # 2. The clerk confirms it from the dashboard's inbox, assigns it and asks for a 补正.
    with desk.signed_in(office.clerk) as page:
        inbox = page.get_by_role("region", name=re.compile("^待确认的网上申请"))
        expect(inbox).to_contain_text(tracking)
        desk.shot(page, "clerk-inbox")
        inbox.get_by_role("link", name=re.compile(re.escape(tracking))).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(tracking)
        panel = action(page, "确认收到申请")
        expect(panel.get_by_label("确认日期")).to_have_value(TODAY.isoformat())
        panel.get_by_role("button", name="确认收到", exact=True).click()
        message(page, "已确认收到申请，开始计算答复期限")
        panel = action(page, "分派承办")
        panel.get_by_label("承办科室").select_option(label="城市管理科")
        # The handler list follows the chosen 科室 (htmx): only its staff who can handle a case.
        expect(panel.get_by_label("承办人").locator("option")).to_have_text(
            ["---------", "吴科长（城市管理科）", "孙科员（城市管理科）"]
        )
        panel.get_by_label("承办人").select_option(label="孙科员（城市管理科）")
        panel.get_by_role("button", name="分派", exact=True).click()
        message(page, "已分派")
        panel = action(page, "告知补正（第三十条）")
        panel.get_by_label("需要补正的事项").fill(ITEMS)
        panel.get_by_label("补正期限").fill(RESPOND_BY.isoformat())
        panel.get_by_role("button", name="发出补正通知").click()
        message(page, "已登记补正通知")
    tick()
    assert subjects(mail)[1:] == [
        f"政府信息公开申请受理回执（{tracking}）",
        f"补正政府信息公开申请告知书（{tracking}）",
    ]
    correction_mail = mail_to_applicant(mail)[2].get_body().get_content()
    assert "请写明所需规划许可文件的年份" in correction_mail and "小区名称" in correction_mail

    # 3. The citizen reads the items on the status page and sends the 补正 online, with a file.
    status_page(phone, tracking, secret)
    expect(phone.locator("#correction-items li")).to_have_text(
        ["请写明所需规划许可文件的年份", "请说明所称“5号楼”所在的小区名称"]
    )
    phone.get_by_label("补正内容").fill(CORRECTION)
    phone.get_by_label("补正材料").set_input_files(str(scan))
    phone.screenshot(path=screenshots / "citizen-correction-form.png", full_page=True)
    phone.get_by_role("button", name="提交补正").click()
    expect(phone.locator("#correction-sent")).to_contain_text("在网上提交补正，答复期限自该日起重新计算")
    req.refresh_from_db()
    assert req.status == RequestStatus.OPEN and req.corrected_on == TODAY
    tick()
    assert StaffNotice.objects.filter(user=office.staff, title__contains="补正").exists()

    # 4. The handler sees the 补正, attaches the document to release, drafts and sends for review.
    with desk.signed_in(office.staff) as page:
        expect(page.get_by_role("region", name=re.compile("^我的消息"))).to_contain_text(tracking)
        page.goto(f"/workbench/requests/{req.pk}/")
        expect(page.get_by_text(CORRECTION)).to_be_visible()
        files = page.get_by_role("region", name="答复提供的文件")
        files.get_by_label("文件", exact=True).set_input_files(str(released))
        files.get_by_label("文件名称").fill("2024年度规划许可")
        files.get_by_role("button", name="上传答复文件").click()
        expect(page.get_by_role("region", name="答复提供的文件")).to_contain_text("2024年度规划许可")
        panel = action(page, "拟写答复")
        panel.get_by_label("办理结果").select_option(label=Outcome.GRANTED.label)
        # Choosing the outcome brings its template (htmx): wait for it, or it lands on top of the reply.
        expect(panel.get_by_label("答复内容")).to_have_value(
            re.compile("^经审查，您申请获取的政府信息属于公开范围")
        )
        panel.get_by_label("答复内容").fill(REPLY)
        panel.get_by_role("button", name="保存草稿").click()
        message(page, "已保存答复草稿")
        panel = action(page, "答复送审")
        panel.get_by_role("button", name="送审").click()
        message(page, "已送审，待审核")

    # 5. Every step of the chain agrees; the director signs.
    for who, title, button in (
        (office.dept_head, "审核答复：科室负责人审核", "同意"),
        (office.office_head, "审核答复：公开办保密审查和法制审核", "同意"),
        (office.director, "签发答复：主管主任签发", "同意并签发"),
    ):
        with desk.signed_in(who) as page:
            waiting = page.get_by_role("region", name=re.compile("^待我审核的答复"))
            waiting.get_by_role("link", name=re.compile(re.escape(tracking))).click()
            panel = action(page, title)
            panel.get_by_role("button", name=button, exact=True).click()
            message(page, "已审核同意")
    # 6. The clerk sends the signed 告知书 out.
    with desk.signed_in(office.clerk) as page:
        page.goto(f"/workbench/requests/{req.pk}/")
        panel = action(page, "发出答复告知书")
        panel.get_by_role("button", name="发出并办结").click()
        message(page, "已发出答复告知书，本申请办结")
        desk.shot(page, "clerk-answer-sent")
    req.refresh_from_db()
    assert req.status == RequestStatus.ANSWERED and req.reply.signed_by == office.director

    # 7. The answer arrives by e-mail with the 告知书 as PDF and the released document.
    tick()
    answer = mail_to_applicant(mail)[-1]
    assert answer["Subject"] == f"{ORG}政府信息公开申请答复告知书（{tracking}）"
    assert REPLY in answer.get_body().get_content()
    notice, document = answer.iter_attachments()
    assert notice.get_filename().endswith(".pdf") and notice.get_content()[:5] == b"%PDF-"
    assert document.get_filename() == "2024年度规划许可.pdf"
    assert document.get_content() == released.read_bytes()
    assert ReleasedFile.objects.get(request=req).sha256 == hashlib.sha256(released.read_bytes()).hexdigest()

    # 8. … and both download from the status page.
    status_page(phone, tracking, secret)
    expect(phone.locator("#stage")).to_contain_text("已答复")
    phone.screenshot(path=screenshots / "citizen-answer.png", full_page=True)
    with phone.expect_download() as got:
        phone.get_by_role("link", name="2024年度规划许可.pdf").click()
    assert Path(got.value.path()).read_bytes() == released.read_bytes()
    with phone.expect_download() as got:
        phone.get_by_role("link", name="下载告知书（PDF）").click()
    assert Path(got.value.path()).read_bytes()[:5] == b"%PDF-"
    phone_context.close()

    # Each notice arrived once, and each is a 送达 record on the case; a last tick sends nothing.
    tick()
    assert Counter(subjects(mail)) == Counter(
        {
            f"政府信息公开申请提交回执（{tracking}）": 1,
            f"政府信息公开申请受理回执（{tracking}）": 1,
            f"补正政府信息公开申请告知书（{tracking}）": 1,
            f"政府信息公开申请答复告知书（{tracking}）": 1,
        }
    )
    records = ServiceRecord.objects.filter(request=req, channel=ServiceChannel.EMAIL)
    assert records.count() == 4 and all(r.reached_recipient for r in records)
