"""The online 补正 in Debian's Chromium (Playwright) on a 375 px phone without JavaScript: the applicant
enters the secret, reads the items, has a disguised file refused with the text kept, then sends the 补正
with a real PDF; the status page says when it arrived and the new reply deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gongkai.core.choices import ApplicantType
from gongkai.inforequests import services
from gongkai.inforequests.models import CorrectionSubmission, InfoRequest, RequestStatus
from gongkai.portal.services import application_submit
from portal.test_browser import chromium, new_page  # noqa: F401 (the fixture is used by name)
from sample_files import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Monday 17 June 2024: 20 working days from the 补正 end on Monday 15 July.
NOW = dt.datetime(2024, 6, 17, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _pinned_clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


def test_applicant_sends_the_correction_from_the_status_page(
    chromium: Any,  # noqa: F811
    live_server: Any,
    office: Any,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    with time_machine.travel(NOW - dt.timedelta(days=5), tick=False):  # Wednesday 12 June
        sub = application_submit(
            applicant_type=ApplicantType.NATURAL_PERSON,
            name="诸葛补正人",
            id_number="11010519491231002X",
            phone="13522223333",
            email="zhuge@example.cn",
            description="养老驿站运营补贴的发放明细",
            form_of_provision="email",
            scans=[],
        )
        req: InfoRequest = sub.request
        services.inforequest_confirm(actor=office.clerk, request=req, confirmed_on=dt.date(2024, 6, 12))
    with time_machine.travel(NOW - dt.timedelta(days=4), tick=False):
        services.inforequest_request_correction(
            actor=office.clerk,
            request=req,
            notified_on=dt.date(2024, 6, 13),
            items="1. 请写明所需明细的社区名称\n2. 请说明所需信息的年份",
            respond_by=dt.date(2024, 6, 28),
        )
    disguised = tmp_path / "说明.pdf"
    disguised.write_bytes(b"MZ\x90\x00\x03\x00" + b"\x00" * 300)
    real = tmp_path / "补充说明.pdf"
    real.write_bytes(pdf_bytes("Supplement"))

    phone = new_page(chromium, javascript=False)
    phone.goto(live_server.url + "/apply/status/")
    phone.get_by_label("查询号").fill(sub.tracking_number)
    phone.get_by_label("查询码").fill(sub.secret)
    phone.get_by_role("button", name="查询").click()
    expect(phone.locator("#stage")).to_have_text("待您补正")
    expect(phone.locator("#correction-items li")).to_have_text(
        ["请写明所需明细的社区名称", "请说明所需信息的年份"]
    )

    text = "社区为东花市北里社区，年份为2023年。"
    phone.get_by_label("补正内容").fill(text)
    phone.get_by_label("补正材料").set_input_files(str(disguised))
    phone.get_by_role("button", name="提交补正").click()
    expect(phone.get_by_role("alert")).to_contain_text(
        "文件“说明.pdf”的内容不是 JPG、PNG、PDF 文件，无法接收"
    )
    expect(phone.get_by_label("补正内容")).to_have_value(text)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    phone.get_by_label("补正材料").set_input_files(str(real))
    phone.get_by_role("button", name="提交补正").click()
    expect(phone.locator("#correction-sent")).to_contain_text("您已于 2024年6月17日 在网上提交补正")
    expect(phone.locator("#stage")).to_have_text("办理中")
    expect(phone.locator("#due")).to_have_text("2024年7月15日前")

    req.refresh_from_db()
    assert req.status == RequestStatus.OPEN and req.corrected_on == NOW.date()
    sent = CorrectionSubmission.objects.get(request=req)
    assert sent.text == text and sent.files.get().original_name == "补充说明.pdf"
