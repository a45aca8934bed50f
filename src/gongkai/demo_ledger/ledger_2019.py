"""The 2019 ledger of the demo office, from which the seed's published figures roll up.

Section 一's counts that the ledger owns (282 items, 23 in key areas, 282 on the website, 340 Weibo and
300 WeChat posts, 36 paper copies to three archives, 134 policy interpretations, 260 hot-topic responses of
which 188 on Weibo/WeChat, 79 督查督办 tasks completed, 13 letters received and completed, 2 requests from
natural persons), Table 二 (38 procurement projects, 184.8083 万元, nothing else), Table 三 (2 received,
2 answered 本机关不掌握相关政府信息) and Table 四 (1 review, upheld) are not typed in anywhere: they
are what the services recorded. Items passed their two-level review on paper in 2019, so they are
registered with the signed 审核表's names and dates (``publication_register_reviewed``); the requests
went through intake, assignment, drafting and the 告知书 like any case.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gongkai.appeals import services as appeal_services
from gongkai.core.choices import (
    AppealKind,
    AppealResult,
    ApplicantType,
    Art20Category,
    Outcome,
    PostChannel,
    RequestChannel,
)
from gongkai.demo_ledger import dates, ids, replies, texts
from gongkai.demo_ledger.office import DEPARTMENTS, DemoOffice
from gongkai.demo_ledger.responsiveness import build_2019_responsiveness
from gongkai.inforequests import services as request_services
from gongkai.publications import services as pub_services
from gongkai.publications.models import InterpretationForm, Publication
from gongkai.workdays import Calendar

YEAR = 2019
# Items per Art. 20 category (282 in all); none is a 规章 or 规范性文件, as the seed's Table 二 says.
CATEGORY_COUNTS: dict[str, int] = {
    Art20Category.ART20_2: 12,
    Art20Category.ART20_3: 24,
    Art20Category.ART20_4: 24,
    Art20Category.ART20_5: 30,
    Art20Category.ART20_7: 14,
    Art20Category.ART20_9: 12,
    Art20Category.ART20_10: 10,
    Art20Category.ART20_11: 60,
    Art20Category.ART20_12: 12,
    Art20Category.ART20_13: 24,
    Art20Category.ART20_14: 8,
    Art20Category.ART20_15: 52,
}
KEY_AREA_ITEMS = 23
WEIBO_LINKED, WEIBO_OWN = 200, 140  # 340 Weibo posts
WECHAT_LINKED, WECHAT_OWN = 180, 120  # 300 WeChat posts
INTERPRETED_POLICIES = 67  # two interpretations each (text and graphic): 134
PROCUREMENT_PROJECTS = 38
PROCUREMENT_TOTAL_WAN = Decimal("184.8083")


@dataclass
class Ledger2019:
    publications: list[Publication] = field(default_factory=list)
    requests: list[Any] = field(default_factory=list)
    appeals: list[Any] = field(default_factory=list)


def build_2019(office: DemoOffice, cal: Calendar) -> Ledger2019:
    ledger = Ledger2019()
    ledger.publications = _publications(office, cal)
    _channel_posts(office, cal, ledger.publications)
    _interpretations(office, cal, ledger.publications)
    _archive_transfers(office, cal, ledger.publications)
    _procurement(office, cal)
    ledger.requests = _requests(office, cal)
    ledger.appeals = _appeals(office, ledger.requests)
    # Hot-topic responses, 督查督办, the 区长信箱 letters and the 五方联席会 behind section 一's other figures.
    build_2019_responsiveness(office, cal)
    return ledger


def _spread(counts: dict[str, int]) -> list[str]:
    """Each category's items evenly over the year: order by the fraction of the year each one falls at."""
    slots = [((j + 0.5) / n, c) for c, n in counts.items() for j in range(n)]
    return [c for _, c in sorted(slots)]


def _publications(office: DemoOffice, cal: Calendar) -> list[Publication]:
    categories = _spread(CATEGORY_COUNTS)
    total = len(categories)
    key_candidates = [i for i, c in enumerate(categories) if c in texts.KEY_AREA_CATEGORIES]
    key_items = {key_candidates[i * len(key_candidates) // KEY_AREA_ITEMS] for i in range(KEY_AREA_ITEMS)}
    seen: dict[str, int] = {}
    plan = []
    for i, category in enumerate(categories):
        month = 1 + i * 12 // total
        days = dates.workdays_in_month(cal, YEAR, month)
        published_on = days[(i * 7) % len(days)]
        plan.append((published_on, i, category))
    out = []
    for published_on, i, category in sorted(plan):
        department, templates = texts.TOPICS[category]
        seen[category] = seen.get(category, 0) + 1
        n = seen[category]
        template = templates[n % len(templates)]
        formed_on = dates.workdays_before(cal, published_on, 3 + i % 5)
        out.append(
            pub_services.publication_register_reviewed(
                actor=office.clerk,
                title=texts.title(template, year=YEAR, month=published_on.month, n=n),
                category=category,
                department=office.departments[department],
                formed_on=formed_on,
                drafter=office.staff_of(department),
                head=office.head_of(department),
                head_decided_on=dates.workdays_before(cal, published_on, 2),
                director=office.director,
                director_decided_on=dates.workdays_before(cal, published_on, 1),
                published_on=published_on,
                key_area=i in key_items,
                body="（演示数据）",
            )
        )
    return out


def _channel_posts(office: DemoOffice, cal: Calendar, pubs: list[Publication]) -> None:
    clerk = office.clerk
    for pub in pubs:
        pub_services.channel_post_create(
            actor=clerk,
            channel=PostChannel.WEBSITE,
            title=pub.title,
            posted_on=pub.published_on,
            publication=pub,
        )
    for channel, linked, own, topics in (
        (PostChannel.WEIBO, WEIBO_LINKED, WEIBO_OWN, texts.WEIBO_TOPICS),
        (PostChannel.WECHAT, WECHAT_LINKED, WECHAT_OWN, texts.WECHAT_TOPICS),
    ):
        for i in range(linked):
            pub = pubs[i * len(pubs) // linked]
            pub_services.channel_post_create(
                actor=clerk, channel=channel, title=pub.title, posted_on=pub.published_on, publication=pub
            )
        for i in range(own):
            month = 1 + i * 12 // own
            days = dates.workdays_in_month(cal, YEAR, month)
            pub_services.channel_post_create(
                actor=clerk,
                channel=channel,
                title=f"{topics[i % len(topics)]}（{YEAR}年{month}月）",
                posted_on=days[(i * 3) % len(days)],
            )


def _interpretations(office: DemoOffice, cal: Calendar, pubs: list[Publication]) -> None:
    policies = [p for p in pubs if p.category in texts.POLICY_CATEGORIES]
    chosen = [policies[i * len(policies) // INTERPRETED_POLICIES] for i in range(INTERPRETED_POLICIES)]
    year_end = dt.date(YEAR, 12, 31)
    for policy in chosen:
        graphic_on = min(dates.after_workdays(cal, policy.published_on, 1), year_end)
        for form, on, label in (
            (InterpretationForm.TEXT, policy.published_on, "文字解读"),
            (InterpretationForm.GRAPHIC, graphic_on, "图解"),
        ):
            pub_services.interpretation_create(
                actor=office.clerk,
                title=f"{label}：{policy.title}",
                policy=policy,
                published_on=on,
                form=form,
                department=policy.department,
            )


def _archive_transfers(office: DemoOffice, cal: Calendar, pubs: list[Publication]) -> None:
    """Every month one bound paper copy of the month's items to each of three recipients: 36 copies."""
    for month in range(1, 13):
        on = dates.workdays_in_month(cal, YEAR, month)[-1]
        items = [p for p in pubs if p.published_on.month == month and p.published_on <= on]
        for recipient in texts.ARCHIVE_RECIPIENTS:
            pub_services.archive_transfer_create(
                actor=office.clerk,
                transferred_on=on,
                recipient=recipient,
                copies=1,
                items=items,
                note=f"{YEAR}年{month}月主动公开政府信息纸质文本",
            )


def procurement_amounts(n: int, total: Decimal, seed: int) -> list[Decimal]:
    """``n`` positive amounts in 万元 (4 places) of varied size that add up to ``total`` exactly."""
    rng = random.Random(seed)
    weights = [rng.randint(40, 160) for _ in range(n)]
    units = int(total * 10_000)
    parts = [units * w // sum(weights) for w in weights]
    parts[-1] += units - sum(parts)
    return [Decimal(p).scaleb(-4) for p in parts]


def _procurement(office: DemoOffice, cal: Calendar) -> None:
    amounts = procurement_amounts(PROCUREMENT_PROJECTS, PROCUREMENT_TOTAL_WAN, seed=YEAR)
    for i, amount in enumerate(amounts):
        month = 1 + i * 12 // len(amounts)
        days = dates.workdays_in_month(cal, YEAR, month)
        subject = texts.PROCUREMENT_SUBJECTS[i % len(texts.PROCUREMENT_SUBJECTS)]
        pub_services.procurement_project_create(
            actor=office.clerk,
            name=f"东花市街道{YEAR}年{subject}采购项目（第{i // len(texts.PROCUREMENT_SUBJECTS) + 1}包）",
            department=office.departments[DEPARTMENTS[i % len(DEPARTMENTS)]],
            contracted_on=days[(i * 5) % len(days)],
            amount_wan=amount,
        )


def _requests(office: DemoOffice, cal: Calendar) -> list[Any]:
    """Two applications from natural persons, both answered 本机关不掌握相关政府信息 within the time limit."""
    clerk = office.clerk
    department = office.departments["城市管理办公室"]
    cases = [
        dict(
            channel=RequestChannel.IN_PERSON,
            submitted_on=dt.date(YEAR, 6, 12),
            applicant_name="刘建国",
            applicant_id_number=ids.id_number(dt.date(1962, 3, 15), 231),
            applicant_phone=ids.phone(1),
            applicant_address="北京市东城区东花市北里东区 12 号楼",
            description="申请公开东花市北里东区 12 号楼 2003 年房屋拆迁补偿安置方案及补偿标准。",
        ),
        dict(
            channel=RequestChannel.REGISTERED_POST,
            submitted_on=dt.date(YEAR, 9, 3),
            signed_on=dt.date(YEAR, 9, 5),
            applicant_name="马淑芬",
            applicant_id_number=ids.id_number(dt.date(1958, 11, 2), 486),
            applicant_phone=ids.phone(2),
            applicant_address="北京市东城区广渠门内大街 41 号院",
            description="申请公开广渠门内大街 41 号院所在地块的土地征收批复文件。",
            receipt_note="挂号信签收单",
        ),
    ]
    out = []
    for case in cases:
        req = request_services.inforequest_register(
            actor=clerk,
            applicant_type=ApplicantType.NATURAL_PERSON,
            form_of_provision="paper",
            department=department,
            handler=office.staff_of("城市管理办公室"),
            **case,
        )
        assert req.received_on is not None
        req = replies.answer(
            office, req, Outcome.UNAVAILABLE_NOT_HELD, dates.after_workdays(cal, req.received_on, 12), cal
        )
        req.refresh_from_db()
        out.append(req)
    return out


def _appeals(office: DemoOffice, requests: list[Any]) -> list[Any]:
    """The second applicant asked the 东城区人民政府 for 行政复议; the reply was upheld in December."""
    req = requests[1]
    appeal = appeal_services.appeal_register(
        actor=office.clerk,
        kind=AppealKind.REVIEW,
        request=req,
        appellant=req.applicant_name,
        case_number=f"东政复字〔{YEAR}〕第 217 号",
        authority="北京市东城区人民政府",
        filed_on=dt.date(YEAR, 10, 21),
    )
    appeal = appeal_services.appeal_decide(
        actor=office.clerk, appeal=appeal, result=AppealResult.UPHELD, decided_on=dt.date(YEAR, 12, 18)
    )
    return [appeal]
