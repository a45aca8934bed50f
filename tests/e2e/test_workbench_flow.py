"""The workbench in a real browser: a postal request from intake to its 告知书, and a publication's review.

One person per role signs in through the login form and works only through the pages: the clerk
registers a registered-post application and assigns it, the department's staff member drafts the
reply, sends it for review and asks for more time, the department head agrees, the office head approves
the extension and agrees, the supervising director signs, the clerk sends the 告知书 out (its DOCX is
downloaded and read back, with the signer); then a publication is drafted, approved by the department
head and by the supervising director, and shows as published. The clock is moved to a fixed
Monday so every statutory date below can be checked by hand against the 2025 calendar.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from docx import Document
from playwright.sync_api import Locator, Page, expect

from gongkai.core.choices import ApplicantType, OrganisationKind, Outcome, RequestChannel
from gongkai.core.models import AuditEvent
from gongkai.inforequests.models import ExtensionStatus, InfoRequest, RequestStatus
from gongkai.org.models import Department
from gongkai.org.roles import Role
from gongkai.org.services import department_create, organisation_set, staff_create
from gongkai.publications.models import Publication, PublicationStatus, ReviewDecision, ReviewLevel
from staff_auth import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "e2e-Long-enough-7"
# Monday 16 June 2025, office hours in Beijing. No holiday between 11 June and late July 2025
# (端午 was 31 May–2 June), so 20 working days counted from Thursday 12 June end on Wednesday 9 July,
# and 10 more on Wednesday 23 July.
NOW = dt.datetime(2025, 6, 16, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = NOW.date()
POSTED_ON = dt.date(2025, 6, 9)  # the applicant mailed it
SIGNED_ON = dt.date(2025, 6, 11)  # the office signed for the registered letter: Art. 31 收到申请之日
BASE_DUE = dt.date(2025, 7, 9)
EXTENDED_DUE = dt.date(2025, 7, 23)
REFERENCE = "东花市依申〔2025〕1号"

APPLICANT = "张晓明"
APPLICANT_PHONE = "13901012345"
REQUEST_TEXT = "东花市北里东区5号楼加装电梯项目的审批文件及资金来源说明"
REPLY_TEXT = (
    "经审查，您申请获取的东花市北里东区5号楼加装电梯项目审批文件属于公开范围，本机关决定予以公开，"
    "现随本告知书向您提供该文件的复印件。"
)
PUB_TITLE = "关于东花市北里东区加装电梯项目实施情况的公告"


@dataclass
class Office:
    dept: Department
    clerk: Any
    staff: Any
    dept_head: Any
    director: Any
    office_head: Any


@pytest.fixture
def fixed_clock() -> Iterator[None]:
    # The services and forms use today's date (deadlines, "not in the future", default dates).
    # Only wall-clock time moves; Playwright's timeouts run on the monotonic clock, which stays real.
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def office(fixed_clock: None) -> Office:
    from gongkai.core.services import seed_calendar

    seed_calendar(years=[2025, 2026])
    org = organisation_set(
        actor=None,
        name="东花市街道办事处",
        kind=OrganisationKind.SUBDISTRICT,
        parent_name="北京市东城区人民政府",
    )
    dept = department_create(actor=None, organisation=org, name="城市管理科", sort_order=1)
    department_create(actor=None, organisation=org, name="社区建设科", sort_order=2)

    def person(username: str, name: str, role: Role, department: Department | None = None) -> Any:
        return staff_create(
            actor=None,
            username=username,
            password=PASSWORD,
            full_name=name,
            roles=[role],
            department=department,
        )

    return Office(
        dept=dept,
        clerk=person("clerk", "王公开", Role.CLERK),
        staff=person("staff", "孙科员", Role.DEPT_STAFF, dept),
        dept_head=person("depthead", "吴科长", Role.DEPT_HEAD, dept),
        director=person("director", "赵主任", Role.DIRECTOR),
        office_head=person("officehead", "李主任", Role.OFFICE_HEAD),
    )


class Desk:
    """One browser session per person; screenshots numbered in the order they are taken."""

    def __init__(self, browser: Any, base_url: str, shots: Path) -> None:
        self.browser, self.base_url, self.shots = browser, base_url, shots
        self.count = 0

    @contextmanager
    def signed_in(self, user: Any) -> Iterator[Page]:
        context = self.browser.new_context(
            base_url=self.base_url,
            locale="zh-CN",
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            page.goto("/workbench/")
            # Anonymous: the workbench sends the person to the real login form first.
            expect(page).to_have_url(re.compile(r"/accounts/login/"))
            if self.count == 0:
                self.shot(page, "login")
            # The password, then (for the roles that need one) the code from their authenticator.
            browser_sign_in(page, user, PASSWORD)
            expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
            expect(page.get_by_role("banner")).to_contain_text(user.get_full_name())
            yield page
        finally:
            context.close()

    def shot(self, page: Page, name: str) -> None:
        self.count += 1
        page.screenshot(path=self.shots / f"{self.count:02d}-{name}.png", full_page=True)


def nav(page: Page, label: str) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=label, exact=True).click()


def message(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def action(page: Page, title: str) -> Locator:
    """The case page's collapsible action form titled ``title``, opened."""
    panel = page.get_by_role("group").filter(has=page.get_by_role("heading", name=title, exact=True))
    expect(panel).to_have_count(1)
    if panel.get_attribute("open") is None:
        panel.get_by_role("heading", name=title, exact=True).click()
    expect(panel.get_by_role("button")).to_be_visible()
    return panel


def fact(page: Page, section: str | re.Pattern[str], term: str) -> Locator:
    """The <dd> after the <dt> ``term`` in the case-page card headed ``section``."""
    card = page.get_by_role("region", name=section, exact=True)
    return card.locator("dt", has_text=re.compile(f"^{re.escape(term)}$")).locator(
        "xpath=following-sibling::dd[1]"
    )


def open_case(page: Page) -> None:
    nav(page, "依申请公开")
    expect(page.get_by_role("heading", level=1)).to_have_text("依申请公开")
    page.get_by_role("link", name=REFERENCE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(REFERENCE)


def test_postal_request_to_reply_notice_and_publication_review(
    live_server: Any, office: Office, browser: Any, screenshots: Path
) -> None:
    desk = Desk(browser, live_server.url, screenshots)

    # 1. The clerk registers the registered letter, then assigns it to the department.
    with desk.signed_in(office.clerk) as page:
        nav(page, "依申请公开")
        page.get_by_role("link", name="登记申请").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("登记政府信息公开申请")
        page.get_by_label("邮寄（需签收）").check()
        # The form shows the Art. 31 rule of the chosen channel and the date it needs.
        rule = page.locator("#channel-rule").get_by_role("paragraph").filter(visible=True)
        expect(rule).to_have_text(re.compile("^以邮寄方式提交的，以本机关签收之日为收到申请之日"))
        expect(page.get_by_label("与申请人确认日期")).to_be_hidden()
        page.get_by_label("申请人提交日期").fill(POSTED_ON.isoformat())
        page.get_by_label("本机关签收日期").fill(SIGNED_ON.isoformat())
        page.get_by_label("收到凭据").fill("挂号信 XA123456789CN 签收单")
        page.get_by_label("申请人类型").select_option(label="自然人")
        page.get_by_label("申请人姓名或名称").fill(APPLICANT)
        page.get_by_label("身份证件号码").fill("110101198805061234")
        page.get_by_label("联系电话").fill(APPLICANT_PHONE)
        page.get_by_label("通信地址").fill("北京市东城区东花市北里东区5号楼2单元301")
        page.get_by_label("申请公开的政府信息").fill(REQUEST_TEXT)
        page.get_by_label("获取信息的方式").select_option(label="纸质文本")
        desk.shot(page, "clerk-intake-form")
        page.get_by_role("button", name="登记", exact=True).click()

        expect(page.get_by_role("heading", level=1)).to_have_text(REFERENCE)
        message(page, f"已登记 {REFERENCE}，收到申请之日为 {SIGNED_ON:%Y-%m-%d}")
        expect(fact(page, "申请信息", "申请方式")).to_have_text("邮寄（需签收）")
        expect(fact(page, "申请信息", "收到申请之日")).to_contain_text(f"{SIGNED_ON:%Y-%m-%d}")
        expect(fact(page, "申请信息", "承办科室")).to_have_text("未分派")
        expect(fact(page, "答复期限", "法定答复期限")).to_contain_text(f"{BASE_DUE:%Y-%m-%d}")

        panel = action(page, "分派承办")
        panel.get_by_label("承办科室").select_option(label="城市管理科")
        # Choosing the 科室 narrows the handler list to its staff (the office's clerk is no longer offered).
        expect(panel.get_by_label("承办人").locator("option", has_text="王公开")).to_have_count(0)
        panel.get_by_label("承办人").select_option(label="孙科员（城市管理科）")
        panel.get_by_role("button", name="分派").click()
        message(page, "已分派")
        expect(fact(page, "申请信息", "承办科室")).to_have_text("城市管理科")
        expect(fact(page, "申请信息", "承办人")).to_have_text("孙科员")
        desk.shot(page, "clerk-case-registered")

    # 2. The department's staff member drafts the reply and asks for an extension.
    with desk.signed_in(office.staff) as page:
        # The case is on the handler's dashboard, and masked in the list.
        expect(page.get_by_role("region", name="我的案件")).to_contain_text(REFERENCE)
        nav(page, "依申请公开")
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name=REFERENCE))
        expect(row).to_contain_text("139****2345")
        expect(row).not_to_contain_text(APPLICANT_PHONE)
        expect(row).to_contain_text("办理中")
        desk.shot(page, "staff-request-list")
        open_case(page)
        # The handler sees the applicant's contact data in full (and the view is audited).
        expect(fact(page, "申请人", "联系电话")).to_have_text(APPLICANT_PHONE)

        panel = action(page, "拟写答复")
        panel.get_by_label("办理结果").select_option(label=Outcome.GRANTED.label)
        # Choosing the outcome brings its template's text (htmx); the handler then writes the reply.
        expect(panel.get_by_label("答复内容")).to_have_value(
            re.compile("^经审查，您申请获取的政府信息属于公开范围")
        )
        expect(panel.get_by_label("法律依据")).to_have_value(
            "《中华人民共和国政府信息公开条例》第三十六条第（二）项"
        )
        panel.get_by_label("答复内容").fill(REPLY_TEXT)
        panel.get_by_role("button", name="保存草稿").click()
        message(page, "已保存答复草稿")
        reply_card = page.get_by_role("region", name=re.compile("^答复告知书"))
        expect(reply_card.get_by_role("heading")).to_contain_text("草稿")
        expect(fact(page, re.compile("^答复告知书"), "办理结果")).to_have_text(Outcome.GRANTED.label)

        panel = action(page, "答复送审")
        expect(panel.get_by_label("送审日期")).to_have_value(TODAY.isoformat())
        panel.get_by_role("button", name="送审").click()
        message(page, "已送审，待审核")
        chain = page.get_by_role("region", name=re.compile("^答复审核"))
        expect(chain.get_by_role("row").filter(has_text="科室负责人审核")).to_contain_text("待审核")

        panel = action(page, "申请延长答复期限")
        panel.get_by_label("延长工作日数").fill("10")
        panel.get_by_label("延期理由").fill("需调取2019年的项目档案并征询区住建委意见，原期限内难以完成")
        panel.get_by_role("button", name="提交延期申请").click()
        message(page, "已提交延期申请，待公开办负责人批准")
        extensions = page.get_by_role("region", name="补正、征求意见、缴费与延期")
        expect(extensions).to_contain_text("10 个工作日")
        expect(extensions).to_contain_text("待批准")
        # Only the office head approves: the staff member is not offered the approval form.
        expect(page.get_by_role("heading", name="批准延长答复期限")).to_have_count(0)
        desk.shot(page, "staff-reply-drafted-extension-requested")

    # 3. The department head agrees to the draft from the dashboard.
    with desk.signed_in(office.dept_head) as page:
        waiting = page.get_by_role("region", name=re.compile("^待我审核的答复"))
        expect(waiting).to_contain_text(f"{REFERENCE} 科室负责人审核")
        waiting.get_by_role("link", name=re.compile(re.escape(REFERENCE))).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(REFERENCE)
        panel = action(page, "审核答复：科室负责人审核")
        panel.get_by_label("审核意见").fill("情况属实，同意")
        panel.get_by_role("button", name="同意").click()
        message(page, "已审核同意")
        expect(page.get_by_role("heading", name="审核答复：科室负责人审核")).to_have_count(0)

    # 4. The office head approves the extension from the dashboard, and reviews the draft.
    with desk.signed_in(office.office_head) as page:
        pending = page.get_by_role("region", name="待批准延期")
        expect(pending).to_contain_text(f"{REFERENCE} 申请延长 10 个工作日")
        desk.shot(page, "office-head-dashboard")
        pending.get_by_role("link", name=re.compile(re.escape(REFERENCE))).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(REFERENCE)
        panel = action(page, "批准延长答复期限")
        expect(panel.get_by_label("延长工作日数")).to_have_value("10")
        expect(panel.get_by_label("批准日期")).to_have_value(TODAY.isoformat())
        expect(panel.get_by_label("告知申请人日期")).to_have_value(TODAY.isoformat())
        panel.get_by_label("审批意见").fill("同意延长")
        panel.get_by_role("button", name="批准延期").click()
        message(page, "已批准延长答复期限")
        expect(fact(page, "答复期限", "延长后期限")).to_have_text(
            f"{EXTENDED_DUE:%Y-%m-%d}（延长 10 个工作日）"
        )
        # The day-by-day explainer now runs to the extended deadline.
        clock = page.get_by_role("region", name="答复期限", exact=True)
        last_day = clock.get_by_role("row").last
        expect(last_day).to_contain_text(f"{EXTENDED_DUE:%Y-%m-%d}")
        expect(last_day).to_contain_text("计入（第 30 日）")
        expect(last_day).to_contain_text("延长期第 10 日")
        expect(last_day).to_contain_text("答复期限届满日")
        last_day.scroll_into_view_if_needed()
        clock.screenshot(path=desk.shots / "clock-explainer-extended.png")
        extensions = page.get_by_role("region", name="补正、征求意见、缴费与延期")
        expect(extensions).to_contain_text("已批准")
        expect(extensions).to_contain_text("李主任")
        desk.shot(page, "office-head-extension-approved")
        panel = action(page, "审核答复：公开办保密审查和法制审核")
        panel.get_by_label("审核意见").fill("不涉及国家秘密，法制审核无意见")
        panel.get_by_role("button", name="同意").click()
        message(page, "已审核同意")

    # 5. The supervising director signs.
    with desk.signed_in(office.director) as page:
        waiting = page.get_by_role("region", name=re.compile("^待我审核的答复"))
        expect(waiting).to_contain_text(f"{REFERENCE} 主管主任签发")
        waiting.get_by_role("link", name=re.compile(re.escape(REFERENCE))).click()
        panel = action(page, "签发答复：主管主任签发")
        panel.get_by_role("button", name="同意并签发").click()
        message(page, "已审核同意")
        chain = page.get_by_role("region", name=re.compile("^答复审核"))
        expect(chain.get_by_role("heading")).to_contain_text("已签发")
        expect(chain.get_by_role("row").filter(has_text="主管主任签发")).to_contain_text("赵主任")
        desk.shot(page, "director-reply-signed")

    # 6. The clerk sends the signed 告知书 out and downloads it as DOCX.
    with desk.signed_in(office.clerk) as page:
        waiting = page.get_by_role("region", name=re.compile("^待我审核的答复"))
        expect(waiting).to_contain_text(f"{REFERENCE} 已签发，待发出")
        open_case(page)
        expect(fact(page, re.compile("^答复告知书"), "签发")).to_have_text(f"赵主任 {TODAY:%Y-%m-%d}")
        panel = action(page, "发出答复告知书")
        expect(panel.get_by_label("答复日期")).to_have_value(TODAY.isoformat())
        desk.shot(page, "clerk-answer-form")
        panel.get_by_role("button", name="发出并办结").click()
        message(page, "已发出答复告知书，本申请办结")
        expect(page.locator(".case-head")).to_contain_text("已答复")
        expect(fact(page, "申请信息", "办结日期")).to_have_text(f"{TODAY:%Y-%m-%d}")
        expect(page.get_by_role("region", name="答复期限")).to_contain_text("按期答复")
        reply_card = page.get_by_role("region", name=re.compile("^答复告知书"))
        expect(reply_card.get_by_role("heading")).to_contain_text("已发出")
        expect(page.get_by_text("本申请已办结。")).to_be_visible()
        desk.shot(page, "clerk-case-answered")

        with page.expect_download() as download_info:
            reply_card.get_by_role("link", name="下载 Word（DOCX）").click()
        download = download_info.value
        assert download.suggested_filename.endswith(".docx")
        assert REFERENCE in download.suggested_filename
        docx_text = "\n".join(
            p.text for p in Document(io.BytesIO(Path(download.path()).read_bytes())).paragraphs
        )
        assert "政府信息公开申请答复告知书" in docx_text
        assert f"{APPLICANT}：" in docx_text
        assert REPLY_TEXT in docx_text
        assert REFERENCE in docx_text
        assert "本机关于2025年6月11日收到您提出的政府信息公开申请" in docx_text
        assert "《中华人民共和国政府信息公开条例》第三十六条第（二）项" in docx_text
        assert "东花市街道办事处\n2025年6月16日" in docx_text
        assert "签发人：赵主任（2025年6月16日签发）" in docx_text
        assert "草稿" not in docx_text

        page.get_by_role("link", name="预览告知书").click()
        expect(page.get_by_text(REPLY_TEXT)).to_be_visible()
        desk.shot(page, "clerk-notice-preview")

    # 7. A publication: drafted and submitted by staff, approved by the head, then by the director.
    with desk.signed_in(office.staff) as page:
        nav(page, "主动公开")
        page.get_by_role("link", name="新建信息").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("新建主动公开信息")
        page.get_by_label("标题").fill(PUB_TITLE)
        page.get_by_label("公开类别").select_option(label="（十）重大建设项目的批准和实施情况")
        page.get_by_label("重点领域").check()
        expect(page.get_by_label("科室")).to_have_value(str(office.dept.pk))
        page.get_by_label("文号").fill("东花市发〔2025〕7号")
        page.get_by_label("形成或者变更日期").fill("2025-06-12")
        page.get_by_label("正文或摘要").fill(
            "东花市北里东区5号楼加装电梯项目已于2025年6月开工，预计9月完工。"
        )
        desk.shot(page, "staff-publication-form")
        page.get_by_role("button", name="保存").click()
        message(page, "草稿已保存。核对无误后请提交审核。")
        expect(page.get_by_role("heading", level=1)).to_have_text(PUB_TITLE)
        page.get_by_role("button", name="提交审核").click()
        message(page, "已提交科室负责人审核。")
        expect(page.get_by_text("待科室负责人审核", exact=True)).to_be_visible()
        # The drafter cannot approve their own item.
        expect(page.get_by_role("button", name="同意公开")).to_have_count(0)

    with desk.signed_in(office.dept_head) as page:
        nav(page, "审核")
        expect(page.get_by_role("heading", level=1)).to_have_text("待我审核")
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name=PUB_TITLE))
        expect(row).to_contain_text("第一级（科室负责人）")
        expect(row).to_contain_text("孙科员")
        desk.shot(page, "head-review-queue")
        row.get_by_role("link", name=PUB_TITLE).click()
        page.get_by_label("科室负责人审核意见（可选）").fill("经审查，不涉及国家秘密和个人隐私")
        page.get_by_role("button", name="同意公开").click()
        message(page, "第一级审核通过，已转主管主任审核。")
        expect(page.get_by_text("待主管主任审核", exact=True)).to_be_visible()
        # Level 2 is not the head's to give.
        expect(page.get_by_role("button", name="同意公开")).to_have_count(0)

    with desk.signed_in(office.director) as page:
        review = page.get_by_role("region", name=re.compile("^待我审核( \\d+)?$"))
        expect(review).to_contain_text(PUB_TITLE)
        nav(page, "审核")
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name=PUB_TITLE))
        expect(row).to_contain_text("第二级（主管主任）")
        row.get_by_role("link", name=PUB_TITLE).click()
        page.get_by_label("主管主任审核意见（可选）").fill("同意公开")
        page.get_by_role("button", name="同意公开").click()
        message(page, "审核通过，信息已公开。")
        expect(page.get_by_text("已公开", exact=True)).to_be_visible()
        history = page.get_by_role("table")
        expect(history.get_by_role("row").filter(has_text="科室负责人审核")).to_contain_text("吴科长")
        expect(history.get_by_role("row").filter(has_text="主管主任审核")).to_contain_text("赵主任")
        desk.shot(page, "director-publication-published")

        nav(page, "主动公开")
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name=PUB_TITLE))
        expect(row).to_contain_text("已公开")
        expect(row).to_contain_text(f"{TODAY:%Y-%m-%d} 公开")
        desk.shot(page, "director-publication-list")

    # The ledger behind the pages.
    req = InfoRequest.objects.get(reference=REFERENCE)
    assert req.channel == RequestChannel.REGISTERED_POST
    assert (req.submitted_on, req.received_on) == (POSTED_ON, SIGNED_ON)
    assert req.applicant_type == ApplicantType.NATURAL_PERSON
    assert (req.applicant_name, req.applicant_phone) == (APPLICANT, APPLICANT_PHONE)
    assert (req.department, req.handler) == (office.dept, office.staff)
    assert req.status == RequestStatus.ANSWERED
    assert req.outcome == Outcome.GRANTED
    assert req.closed_on == TODAY
    assert req.due_on == EXTENDED_DUE
    extension = req.extensions.get()
    assert extension.status == ExtensionStatus.APPROVED
    assert extension.workdays == 10
    assert (extension.requested_by, extension.approved_by) == (office.staff, office.office_head)
    assert extension.approved_on == extension.notified_on == TODAY
    assert req.reply.issued_on == TODAY
    assert (req.reply.drafted_by, req.reply.issued_by) == (office.staff, office.clerk)
    assert (req.reply.signed_by, req.reply.signed_on) == (office.director, TODAY)

    def actors(obj: Any) -> dict[str, set[Any]]:
        events = AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        out: dict[str, set[Any]] = {}
        for verb, actor_id in events.values_list("verb", "actor_id"):
            out.setdefault(verb, set()).add(actor_id)
        return out

    request_events = actors(req)
    assert request_events["inforequest.register"] == {office.clerk.pk}
    assert request_events["inforequest.assign"] == {office.clerk.pk}
    assert request_events["inforequest.draft_reply"] == {office.staff.pk}
    assert request_events["inforequest.extension_request"] == {office.staff.pk}
    assert request_events["inforequest.extension_approve"] == {office.office_head.pk}
    assert request_events["inforequest.reply_submit"] == {office.staff.pk}
    assert request_events["inforequest.reply_approve"] == {office.dept_head.pk, office.office_head.pk}
    assert request_events["inforequest.reply_sign"] == {office.director.pk}
    assert request_events["inforequest.answer"] == {office.clerk.pk}
    assert office.staff.pk in request_events["inforequest.view_personal_data"]

    pub = Publication.objects.get(title=PUB_TITLE)
    assert pub.status == PublicationStatus.PUBLISHED
    assert pub.published_on == TODAY
    assert pub.formed_on == dt.date(2025, 6, 12)
    assert pub.key_area is True
    assert (pub.department, pub.drafter) == (office.dept, office.staff)
    reviews = {r.level: r for r in pub.reviews.all()}
    assert set(reviews) == {ReviewLevel.HEAD, ReviewLevel.DIRECTOR}
    assert reviews[ReviewLevel.HEAD].reviewer == office.dept_head
    assert reviews[ReviewLevel.DIRECTOR].reviewer == office.director
    assert {r.decision for r in reviews.values()} == {ReviewDecision.APPROVED}
    assert len({pub.drafter_id, *(r.reviewer_id for r in reviews.values())}) == 3
    publication_events = actors(pub)
    assert publication_events["publication.approve_head"] == {office.dept_head.pk}
    assert publication_events["publication.approve_director"] == {office.director.pk}
    assert {"publication.create", "publication.submit"} <= set(publication_events)
