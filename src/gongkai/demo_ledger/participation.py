"""The current year's 微网格 records of the demo: polls (one open, one closed with its results),
consultations (one open with comments waiting and approved, one closed with its feedback summary), a
course, service points of the 街道 and 微循环交通 notices — all through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongkai.participation import codes, consultations, directory, services
from gongkai.participation.models import ServicePoint, TrafficNotice

POINTS = [
    ("东花市北里社区服务站", "社区服务站", "东花市北里东区 12 号楼底商", "老年卡办理\n居住证明\n社区咨询", "116.428100", "39.893500"),
    ("广渠门外南里社区服务站", "社区服务站", "广渠门外南里 8 号", "老年卡办理\n计生服务", "116.440600", "39.889800"),
    ("东花市街道政务服务中心", "政务服务", "东花市北里 20 号", "社保\n医保\n残疾人服务\n就业登记", "116.431800", "39.897100"),
    ("广渠门外便民菜站", "便民菜站", "广渠门外大街 33 号", "蔬菜零售\n粮油副食", "116.436200", "39.895200"),
    ("东花市养老驿站", "养老服务", "东花市南里西区 5 号楼", "助餐\n助浴\n日间照料", "116.425400", "39.888700"),
]  # fmt: skip
VOTERS = ["13800000001", "13800000002", "13800000003", "13800000004", "13800000005"]


def _vote(poll: Any, option_index: int, phone: str) -> None:
    _, _, code = codes.issue_code(phone=phone, purpose=services.VOTE_CODE)
    option = list(poll.options.all())[option_index]
    services.cast_vote(poll=poll, option_id=option.pk, phone=phone, code=code)


def _polls(clerk: Any, now: dt.datetime) -> None:
    closed = services.poll_save(
        actor=clerk, title="东花市北里小区停车方案", description="小区停车位紧张，请选择您支持的方案。",
        opens_at=now - dt.timedelta(days=10), closes_at=now + dt.timedelta(days=1),
        options=["划线停车、按户分配", "错时停车、共享车位", "维持现状"], is_published=True,
    )  # fmt: skip
    for i, phone in enumerate(VOTERS):
        _vote(closed, [0, 1, 1, 2, 1][i], phone)
    services.poll_close(actor=clerk, poll=closed)
    current = services.poll_save(
        actor=clerk, title="社区文化活动意向调查", description="今年下半年希望社区多组织哪类活动？",
        opens_at=now - dt.timedelta(days=2), closes_at=now + dt.timedelta(days=12),
        options=["健康讲座", "书法绘画", "广场舞比赛", "亲子活动"], is_published=True,
    )  # fmt: skip
    _vote(current, 0, "13800000006")


def _consultations(clerk: Any, now: dt.datetime) -> None:
    open_c = consultations.consultation_save(
        actor=clerk, title="《东花市街道文明养犬公约（征求意见稿）》",
        draft_text="第一条 为营造文明和谐的社区环境，制定本公约。\n第二条 遛犬应当束犬链，由成年人牵领。\n"
        "第三条 犬只粪便应当及时清理。\n第四条 每日 7:00 至 9:00 不在儿童游乐场周边遛犬。",
        opens_at=now - dt.timedelta(days=3), closes_at=now + dt.timedelta(days=14), is_published=True,
    )  # fmt: skip
    first = consultations.comment_submit(
        consultation=open_c, body="建议在东花市北里公园东侧设置遛犬区，早晚分时段开放。"
    )
    consultations.comment_approve(actor=clerk, comment=first, public_body=first.body)
    consultations.comment_submit(
        consultation=open_c, body="第四条时间太早，建议改为 7:30 至 9:30。我住 3 号楼，电话 13900001111。"
    )
    done = consultations.consultation_save(
        actor=clerk, title="东花市北里老旧小区综合整治方案（征求意见稿）",
        draft_text="一、整治范围：东花市北里东区 1—12 号楼。\n二、整治内容：外墙保温、管线入地、增设电梯。",
        opens_at=now - dt.timedelta(days=40), closes_at=now + dt.timedelta(days=1), is_published=True,
    )  # fmt: skip
    for body in ("希望优先加装电梯，老人上下楼困难。", "施工期间请安排好停车。"):
        comment = consultations.comment_submit(consultation=done, body=body)
        consultations.comment_approve(actor=clerk, comment=comment, public_body=body)
    consultations.consultation_save(
        actor=clerk, consultation=done, title=done.title, draft_text=done.draft_text,
        opens_at=done.opens_at, closes_at=now - dt.timedelta(days=5), is_published=True,
    )  # fmt: skip
    consultations.feedback_publish(
        actor=clerk, consultation=done,
        summary="共收到意见 2 条，均已采纳。\n1. 加装电梯：调整为第一批实施，理由是 60 岁以上居民占比高。\n"
        "2. 施工停车：施工期间开放街道机关院内临时停车位，理由是可就近解决、无需新增费用。",
    )  # fmt: skip


def _directory(clerk: Any, today: dt.date, lesson_pdf: Any) -> None:
    for name, category, address, svc, lon, lat in POINTS:
        point = ServicePoint(
            name=name, category=category, address=address, hours="周一至周五 8:30-17:30", services=svc,
            phone="010-67112233", longitude=Decimal(lon), latitude=Decimal(lat),
        )  # fmt: skip
        directory.service_point_save(actor=clerk, point=point)
    notices = [
        ("东花市北里东街", "每日 7:00-9:00 由北向南单向通行", "北行车辆经广渠门内大街绕行", -5, 25),
        ("东花市南里西路", "全天禁止货车通行（管线施工）", "货车经东二环辅路绕行", -1, 10),
        ("广渠门外南里支路", "周末 9:00-17:00 临时封闭（便民市集）", "经广渠门外大街绕行", 3, 40),
    ]
    for road, period, detour, start, end in notices:
        notice = TrafficNotice(
            road=road, period=period, detour=detour,
            starts_on=today + dt.timedelta(days=start), ends_on=today + dt.timedelta(days=end),
        )  # fmt: skip
        directory.traffic_notice_save(actor=clerk, notice=notice)
    course = directory.course_save(
        actor=clerk, title="垃圾分类小课堂", description="社区讲师讲解垃圾分类投放要求。", is_published=True
    )
    directory.lesson_add(
        actor=clerk, course=course, title="第一课 分类投放指南", kind="document", upload=lesson_pdf
    )


def build_participation(clerk: Any, today: dt.date) -> None:
    from gongkai.demo_ledger.attachments import document_pdf

    now = timezone.now()
    _polls(clerk, now)
    _consultations(clerk, now)
    guide = document_pdf(
        title="东花市街道垃圾分类投放指南", doc_number="", issuer="东花市街道办事处",
        date_text=f"{today.year}年{today.month}月", paragraphs=[
            "厨余垃圾：剩菜剩饭、果皮菜叶，投放前沥干水分。",
            "可回收物：纸类、塑料、金属、玻璃、织物，保持清洁干燥。",
            "有害垃圾：电池、灯管、药品，轻放并保持包装完整。",
            "其他垃圾：除上述三类以外的生活垃圾。",
        ],
    )  # fmt: skip
    upload = SimpleUploadedFile("垃圾分类投放指南.pdf", guide.content, content_type="application/pdf")
    _directory(clerk, today, upload)
