"""A small office with a populated ledger for the portal tests, built through the services.

Applicants' personal data is recognisable (APPLICANT_*), so the leak test can look for it on every page.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gongkai.core.choices import ApplicantType, Art20Category, OrganisationKind
from gongkai.org.models import Department
from gongkai.org.roles import Role
from gongkai.org.services import department_create, organisation_set, staff_create
from sample_files import pdf_bytes, png_bytes, xlsx_bytes

PASSWORD = "x-Long-enough-1"
APPLICANT_NAME = "欧阳测试人"
APPLICANT_ID = "11010519491231002X"
APPLICANT_PHONE = "13912345678"
APPLICANT_EMAIL = "ouyang.applicant@example.cn"
APPLICANT_ADDRESS = "东花市北里东区99号楼9单元909室"
LETTER_NAME = "司马来信人"
LETTER_PHONE = "13787654321"


def jpeg_bytes(size: tuple[int, int] = (120, 80)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 210, 220)).save(out, format="JPEG")
    return out.getvalue()


def attachment(name: str, content: bytes) -> Any:
    """A checked attachment (``validate_attachment``) made from a file name and its bytes."""
    from gongkai.publications.attachments import validate_attachment

    return validate_attachment(SimpleUploadedFile(name, content, content_type="application/octet-stream"))


def jpeg_upload(name: str = "id.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


@dataclass
class Office:
    organisation: Any
    dept: Department
    other_dept: Department
    clerk: Any
    office_head: Any
    director: Any
    dept_head: Any
    other_head: Any
    drafter: Any
    other_drafter: Any
    auditor: Any
    items: dict[str, Any] = field(default_factory=dict)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def office(calendar_db: Any) -> Office:
    org = organisation_set(
        actor=None,
        name="东花市街道办事处",
        kind=OrganisationKind.SUBDISTRICT,
        parent_name="北京市东城区人民政府",
        address="北京市东城区东花市北里",
        phone="010-67101234",
    )
    dept = department_create(actor=None, organisation=org, name="城市管理科")
    other = department_create(actor=None, organisation=org, name="社区建设科")

    def person(username: str, name: str, roles: list[Role], department: Department | None = None) -> Any:
        return staff_create(
            actor=None,
            username=username,
            password=PASSWORD,
            full_name=name,
            roles=roles,
            department=department,
        )

    return Office(
        organisation=org,
        dept=dept,
        other_dept=other,
        clerk=person("clerk", "王公开", [Role.CLERK]),
        office_head=person("head", "李主任", [Role.OFFICE_HEAD]),
        director=person("director", "赵主任", [Role.DIRECTOR]),
        dept_head=person("depthead", "吴科长", [Role.DEPT_HEAD], dept),
        other_head=person("otherhead", "冯科长", [Role.DEPT_HEAD], other),
        drafter=person("drafter", "孙科员", [Role.DEPT_STAFF], dept),
        other_drafter=person("drafter2", "郑科员", [Role.DEPT_STAFF], other),
        auditor=person("auditor", "钱审计", [Role.AUDITOR]),
    )


def publish(office: Office, title: str, *, body: str = "", doc_number: str = "", category: str = Art20Category.ART20_11,
            published_on: dt.date = dt.date(2019, 6, 3), other_dept: bool = False,
            attachments: tuple[tuple[str, Any], ...] = ()) -> Any:  # fmt: skip
    from gongkai.publications.services import publication_register_reviewed

    dept = office.other_dept if other_dept else office.dept
    head = office.other_head if other_dept else office.dept_head
    return publication_register_reviewed(
        actor=office.clerk,
        title=title,
        category=category,
        department=dept,
        formed_on=published_on - dt.timedelta(days=7),
        drafter=office.other_drafter if other_dept else office.drafter,
        head=head,
        head_decided_on=published_on - dt.timedelta(days=3),
        director=office.director,
        director_decided_on=published_on,
        published_on=published_on,
        body=body,
        doc_number=doc_number,
        attachments=attachments,
    )


@pytest.fixture
def publisher(office: Office) -> Any:
    """publish(title, body=, doc_number=, category=, published_on=, other_dept=) through the services."""

    def _publish(title: str, **kwargs: Any) -> Any:
        return publish(office, title, **kwargs)

    return _publish


@pytest.fixture
def ledger(office: Office) -> Iterator[Office]:
    """Published items (one withdrawn), an interpretation, an online application, letters."""
    from gongkai.engagement.services import letter_publish, letter_reply, letter_submit
    from gongkai.publications.services import interpretation_create, publication_withdraw

    items = office.items
    items["elderly"] = publish(
        office,
        "关于做好社区养老服务工作的通知",
        body="各社区：\n一、工作目标\n做好居家养老服务，推进养老驿站建设。",
        published_on=dt.date(2019, 3, 4),
    )
    waste_files = (
        ("垃圾分类工作实施方案（正式文本）", attachment("方案.pdf", pdf_bytes("Waste sorting plan"))),
        ("垃圾分类驿站分布表", attachment("驿站.xlsx", xlsx_bytes())),
    )
    items["waste"] = publish(
        office,
        "东花市街道垃圾分类工作实施方案",
        body="推进生活垃圾分类，实行桶前值守。",
        doc_number="东花市发〔2019〕3号",
        category=Art20Category.ART20_1,
        published_on=dt.date(2019, 5, 10),
        attachments=waste_files,
    )
    items["budget"] = publish(
        office,
        "2019年部门预算公开",
        body="本年度预算用于老年人助餐和养老驿站运营。",
        category=Art20Category.ART20_7,
        published_on=dt.date(2019, 2, 1),
        other_dept=True,
    )
    items["parking"] = publish(
        office, "老旧小区停车管理办法", body="规范停车秩序。", published_on=dt.date(2020, 4, 1)
    )
    items["withdrawn"] = publish(
        office,
        "临时交通管制公告",
        body="某路段临时封闭。",
        published_on=dt.date(2019, 8, 1),
        attachments=(("管制路段示意图", attachment("map.png", png_bytes())),),
    )
    publication_withdraw(actor=office.director, publication=items["withdrawn"], reason="管制已结束")
    items["interp"] = interpretation_create(
        actor=office.clerk,
        title="《垃圾分类工作实施方案》图解",
        policy=items["waste"],
        published_on=dt.date(2019, 5, 20),
        form="graphic",
        department=office.dept,
    )
    from gongkai.portal.services import application_submit
    from gongkai.portal.uploads import validate_upload

    submission = application_submit(
        applicant_type=ApplicantType.NATURAL_PERSON,
        name=APPLICANT_NAME,
        id_number=APPLICANT_ID,
        phone=APPLICANT_PHONE,
        email=APPLICANT_EMAIL,
        address=APPLICANT_ADDRESS,
        description="2019年东花市街道垃圾分类驿站的建设合同",
        form_of_provision="email",
        scans=[validate_upload(jpeg_upload())],
    )
    items["application"] = submission
    # A draft whose attachment names the applicant (a reply being prepared): never public.
    from gongkai.publications.services import attachment_add, publication_create

    items["draft"] = publication_create(
        actor=office.drafter,
        title="关于答复欧阳测试人申请的说明（草稿）",
        category=Art20Category.ART20_11,
        department=office.dept,
        formed_on=dt.date(2019, 9, 2),
    )
    items["draft_attachment"] = attachment_add(
        actor=office.drafter,
        publication=items["draft"],
        upload=attachment("reply.pdf", pdf_bytes("Reply")),
        title=f"{APPLICANT_NAME}身份证{APPLICANT_ID}",
    )
    letter = letter_submit(
        subject="小区门口路灯不亮",
        body=f"我是{LETTER_NAME}，电话{LETTER_PHONE}，小区门口路灯坏了一个月。",
        anonymous=False,
        name=LETTER_NAME,
        phone=LETTER_PHONE,
    )
    letter_reply(actor=office.clerk, letter=letter, reply="已联系路灯管理所，三日内修复。")
    items["letter"] = letter_publish(
        actor=office.clerk,
        letter=letter,
        public_subject="小区门口路灯不亮",
        public_body="小区门口路灯坏了一个月。",
    )
    items["private_letter"] = letter_submit(
        subject="关于噪音扰民",
        body=f"联系我：{LETTER_PHONE}",
        anonymous=False,
        name=LETTER_NAME,
        phone=LETTER_PHONE,
    )
    yield office
