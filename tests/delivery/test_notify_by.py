"""The applicant's chosen way (电子邮件/手机短信/邮寄): asked on the portal and at intake, refused in
Chinese when its contact is missing, and used for the receipt that carries the tracking number."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from delivery.conftest import Office, SmsGateway
from delivery.helpers import DAY, at, login, moment, register, tick
from gongkai.core.choices import NotifyBy
from gongkai.inforequests.forms import IntakeForm
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.notify import default_notify_by, is_mobile
from gongkai.inforequests.services import inforequest_confirm
from gongkai.portal.forms import ApplicationForm

pytestmark = pytest.mark.django_db


def _scan() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (160, 100), (90, 120, 150)).save(out, format="JPEG")
    return SimpleUploadedFile("身份证.jpg", out.getvalue(), content_type="image/jpeg")


def _application(**overrides: Any) -> dict[str, Any]:
    data = {
        "applicant_type": "natural_person",
        "name": "上官申请人",
        "id_kind": "resident_id",
        "id_number": "440524188001010014",
        "phone": "13600001111",
        "email": "shangguan@example.cn",
        "address": "",
        "description": "2023年东花市街道老旧小区综合整治项目的验收报告",
        "form_of_provision": "email",
        "notify_by": "email",
        "pledge": "on",
        "homepage": "",
    }
    data.update(overrides)
    return data


def _errors(**overrides: Any) -> dict[str, list[str]]:
    form = ApplicationForm(_application(**overrides), {"scans": [_scan()]})
    form.is_valid()
    return {k: list(v) for k, v in form.errors.items()}


def test_the_portal_form_asks_and_checks_the_way_chosen() -> None:
    assert _errors() == {}
    assert _errors(notify_by="email", email="", form_of_provision="inspection") == {
        "email": ["选择以电子邮件送达时，请填写电子邮箱"]
    }
    assert _errors(notify_by="sms", phone="010-67123456") == {
        "phone": ["选择以手机短信送达时，请填写手机号码（11 位）"]
    }
    assert _errors(notify_by="post") == {"address": ["选择邮寄送达时，请填写通信地址"]}
    assert _errors(notify_by="post", address="北京市东城区东花市北里1号") == {}
    assert "notify_by" in _errors(notify_by="fax")
    form = ApplicationForm(
        _application(notify_by="", email="", form_of_provision="paper", address="北京"), {"scans": [_scan()]}
    )
    assert form.is_valid(), form.errors  # not asked (an older page): SMS to the mobile number given
    assert form.cleaned_data["notify_by"] == NotifyBy.SMS
    page = Client().get("/apply/").content.decode()
    assert "告知书等文书的送达方式" in page and 'value="sms"' in page and 'value="post"' in page


def test_defaults_and_mobile_numbers() -> None:
    assert default_notify_by(email="a@b.cn", phone="13600001111", address="x") == NotifyBy.EMAIL
    assert default_notify_by(email="", phone="+86 136-0000-1111", address="x") == NotifyBy.SMS
    assert default_notify_by(email="", phone="010-67123456", address="北京") == NotifyBy.POST
    assert default_notify_by(email="", phone="", address="") == ""
    assert is_mobile("136 0000 1111") and not is_mobile("010-67123456") and not is_mobile("")


def test_an_online_applicant_who_chose_sms_gets_the_receipt_with_the_tracking_number(
    office: Office, sms_gateway: SmsGateway, capsys: Any
) -> None:
    with at(moment(dt.date(2024, 6, 12))):
        response = Client().post("/apply/", {**_application(notify_by="sms"), "scans": [_scan()]})
        assert response.status_code == 302, response.content.decode()[:2000]
        req = InfoRequest.objects.get()
        assert re.fullmatch(r"WS20240612-[0-9A-Z]{6}", req.reference) and req.notify_by == NotifyBy.SMS
        tick(capsys)
        # At once: the application is in, with its tracking number; the clock waits for the confirmation.
        (submitted,) = sms_gateway.hits
        assert (
            f"您的政府信息公开申请已提交，查询号 {req.reference}，待工作人员确认收到"
            in submitted.body["text"]
        )
        inforequest_confirm(actor=office.clerk, request=req, confirmed_on=dt.date(2024, 6, 12))
        tick(capsys)
    _, hit = sms_gateway.hits
    assert hit.body["to"] == "13600001111"
    assert f"您的政府信息公开申请（{req.reference}）已于6月12日收到" in hit.body["text"]


def test_intake_refuses_a_way_without_its_contact(office: Office) -> None:
    form = IntakeForm(
        {
            "channel": "in_person",
            "submitted_on": "2024-05-06",
            "applicant_type": "natural_person",
            "applicant_name": "张三",
            "applicant_phone": "010-67123456",
            "description": "某文件",
            "pieces": "1",
            "notify_by": "sms",
        }
    )
    assert not form.is_valid()
    assert form.errors["applicant_phone"] == ["选择以手机短信送达时，请填写手机号码（11 位）"]
    with at(moment(DAY)):
        page = login(office.clerk).get("/workbench/requests/new/").content.decode()
    assert "送达方式" in page and "不通过系统送达（当面领取等）" in page


def test_the_service_refuses_a_way_without_its_contact(office: Office) -> None:
    with at(moment(DAY)), pytest.raises(ValidationError) as exc:
        register(office, notify_by=NotifyBy.POST, applicant_address="")
    assert exc.value.message_dict == {"applicant_address": ["选择邮寄送达时，请填写通信地址"]}
    with at(moment(DAY)), pytest.raises(ValidationError) as exc:
        register(office, notify_by="pigeon")
    assert exc.value.message_dict == {"notify_by": ["送达方式无法识别，请选择电子邮件、手机短信或邮寄"]}
    assert not InfoRequest.objects.exists()
