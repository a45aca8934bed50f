"""The current year's ledger: cases in every state of the statutory clock, items in every review state.

Dates are placed relative to today with the working-day calendar, so that "due soon" and "overdue"
mean what they say whenever the demo is built. Everything goes through the services, by the people
whose role it is: the clerk registers and sends replies out, the 科室 drafts, the heads review, the
office head extends, and replies walk the review chain to the director's signature (``replies``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gongkai.appeals import services as appeal_services
from gongkai.core.choices import (
    AppealKind,
    AppealResult,
    ApplicantType,
    Art20Category,
    NotifyBy,
    Outcome,
    PostChannel,
    RequestChannel,
)
from gongkai.demo_ledger import attachments, dates, ids, replies, texts
from gongkai.demo_ledger.office import DemoOffice
from gongkai.demo_ledger.ranking_spread import build_ranking_spread
from gongkai.inforequests import services as request_services
from gongkai.inforequests.models import InfoRequest
from gongkai.publications import services as pub_services
from gongkai.publications.models import DocKind, InterpretationForm, MatterKind, Publication
from gongkai.workdays import Calendar

ITEMS_PER_MONTH = 9


@dataclass
class CurrentLedger:
    year: int
    publications: dict[str, Publication] = field(default_factory=dict)  # state -> an item in it
    requests: dict[str, InfoRequest] = field(default_factory=dict)  # state -> a case in it
    history: list[Publication] = field(default_factory=list)


def build_current_year(office: DemoOffice, cal: Calendar, today: dt.date) -> CurrentLedger:
    ledger = CurrentLedger(today.year)
    ledger.history = _registered_items(office, cal, today)
    _channels_and_archive(office, cal, today, ledger.history)
    _documents(office, cal, today, ledger)
    _review_states(office, cal, today, ledger)
    _table_two_facts(office, cal, today)
    _finished_cases(office, cal, today, ledger)
    _open_cases(office, cal, today, ledger)
    _appeals(office, today, ledger)
    build_ranking_spread(office, cal, today)
    return ledger


# -- publications -----------------------------------------------------------------------------------


def _register(
    office: DemoOffice, cal: Calendar, *, category: str, title: str, published_on: dt.date, **extra: Any
) -> Publication:
    department = extra.pop("department", None) or texts.TOPICS[category][0]
    return pub_services.publication_register_reviewed(
        actor=office.clerk,
        title=title,
        category=category,
        department=office.departments[department],
        formed_on=extra.pop("formed_on", dates.workdays_before(cal, published_on, 4)),
        drafter=office.staff_of(department),
        head=office.head_of(department),
        head_decided_on=dates.workdays_before(cal, published_on, 2),
        director=office.director,
        director_decided_on=dates.workdays_before(cal, published_on, 1),
        published_on=published_on,
        body=extra.pop("body", "（演示数据）"),
        **extra,
    )


def _registered_items(office: DemoOffice, cal: Calendar, today: dt.date) -> list[Publication]:
    """Items of the finished months of this year, registered from their signed 审核表."""
    categories = list(texts.TOPICS)
    out = []
    n = 0
    for month in range(1, today.month):
        days = dates.workdays_in_month(cal, today.year, month)
        for k in range(ITEMS_PER_MONTH):
            category = categories[(month * ITEMS_PER_MONTH + k) % len(categories)]
            if category == Art20Category.ART20_9:
                continue  # no 政府集中采购 block in the 2021 format
            n += 1
            templates = texts.TOPICS[category][1]
            out.append(
                _register(
                    office,
                    cal,
                    category=category,
                    title=texts.title(templates[n % len(templates)], year=today.year, month=month, n=n),
                    published_on=days[(k * 5 + month) % len(days)],
                    key_area=category in texts.KEY_AREA_CATEGORIES and k % 3 == 0,
                )
            )
    return sorted(out, key=lambda p: (p.published_on, p.pk))


def _channels_and_archive(
    office: DemoOffice, cal: Calendar, today: dt.date, items: list[Publication]
) -> None:
    clerk = office.clerk
    for i, pub in enumerate(items):
        pub_services.channel_post_create(
            actor=clerk,
            channel=PostChannel.WEBSITE,
            title=pub.title,
            posted_on=pub.published_on,
            publication=pub,
        )
        if i % 2 == 0:
            pub_services.channel_post_create(
                actor=clerk,
                channel=PostChannel.WEIBO,
                title=pub.title,
                posted_on=pub.published_on,
                publication=pub,
            )
        if i % 3 == 0:
            pub_services.channel_post_create(
                actor=clerk,
                channel=PostChannel.WECHAT,
                title=pub.title,
                posted_on=pub.published_on,
                publication=pub,
            )
        if pub.category in texts.POLICY_CATEGORIES and i % 2 == 1:
            pub_services.interpretation_create(
                actor=clerk,
                title=f"图解：{pub.title}",
                policy=pub,
                published_on=pub.published_on,
                form=InterpretationForm.GRAPHIC,
                department=pub.department,
            )
    for month in range(1, today.month):
        on = dates.workdays_in_month(cal, today.year, month)[-1]
        month_items = [p for p in items if p.published_on.month == month]
        for recipient in texts.ARCHIVE_RECIPIENTS:
            pub_services.archive_transfer_create(
                actor=clerk,
                transferred_on=on,
                recipient=recipient,
                copies=1,
                items=month_items,
                note=f"{today.year}年{month}月主动公开政府信息纸质文本",
            )


def _documents(office: DemoOffice, cal: Calendar, today: dt.date, ledger: CurrentLedger) -> None:
    """规范性文件 for Table 二 第二十条第（一）项: one of last year repealed this year, one issued this year."""
    last_year = today.year - 1
    old = _register(
        office,
        cal,
        category=Art20Category.ART20_1,
        doc_kind=DocKind.NORMATIVE_DOCUMENTS,
        doc_number=f"东花市发〔{last_year}〕3号",
        title="东花市街道办事处关于社区公益性停车管理的暂行办法",
        published_on=dates.on_or_before(cal, dt.date(last_year, 4, 20)),
        department="城市管理办公室",
    )
    repeal_on = dates.on_or_before(cal, min(today, dt.date(today.year, 6, 30)))
    pub_services.publication_repeal(
        actor=office.clerk, publication=old, repealed_on=repeal_on, reason="已被区级统一办法替代"
    )
    ledger.publications["repealed"] = old
    title = "东花市街道办事处社区公共空间议事协商规则"
    doc_number = f"东花市发〔{today.year}〕1号"
    published_on = dates.on_or_before(cal, min(today, dt.date(today.year, 3, 20)))
    ledger.publications["normative_document"] = _register(
        office,
        cal,
        category=Art20Category.ART20_1,
        doc_kind=DocKind.NORMATIVE_DOCUMENTS,
        doc_number=doc_number,
        title=title,
        published_on=published_on,
        department="社区建设办公室",
        body="\n".join(texts.PUBLIC_SPACE_RULES),
        attachments=[
            (
                f"{title}（正式文本）",
                attachments.document_pdf(
                    title=title,
                    doc_number=doc_number,
                    issuer="东花市街道办事处",
                    date_text=f"{published_on.year}年{published_on.month}月{published_on.day}日",
                    paragraphs=texts.PUBLIC_SPACE_RULES,
                ),
            ),
            (
                "社区公共空间议事协商意见反馈表",
                attachments.feedback_form_docx(
                    title="社区公共空间议事协商意见反馈表",
                    questions=["议题名称", "所在社区", "意见或建议", "联系方式（自愿填写）"],
                ),
            ),
        ],
    )


def _review_states(office: DemoOffice, cal: Calendar, today: dt.date, ledger: CurrentLedger) -> None:
    """One item in every state of the two-level review, each put there by the person whose step it is."""
    dept = "社区建设办公室"
    staff, head, director = office.staff_of(dept), office.head_of(dept), office.director
    department = office.departments[dept]

    def draft(title: str, formed_on: dt.date, **extra: Any) -> Publication:
        return pub_services.publication_create(
            actor=staff,
            title=title,
            category=extra.pop("category", Art20Category.ART20_15),
            department=department,
            formed_on=formed_on,
            body="（演示数据）",
            **extra,
        )

    recent = dates.workdays_before(cal, today, 3)
    y = today.year
    ledger.publications["draft"] = draft(f"东花市街道{y}年冬季供暖服务保障工作提示", recent)
    pub_services.attachment_add(
        actor=staff,
        publication=ledger.publications["draft"],
        upload=attachments.feedback_form_docx(
            title="冬季供暖问题反映登记表",
            questions=["所在小区", "楼号单元", "问题描述", "联系方式（自愿填写）"],
        ),
        title="冬季供暖问题反映登记表",
    )
    pub = draft(f"东花市街道{y}年第四季度社区议事协商成果", recent)
    ledger.publications["pending_head"] = pub_services.publication_submit(actor=staff, publication=pub)
    pub = draft(
        f"关于开展{y}年冬季消防安全宣传活动的通知", recent, category=Art20Category.ART20_13, key_area=True
    )
    pub_services.publication_submit(actor=staff, publication=pub)
    ledger.publications["pending_director"] = pub_services.publication_approve(
        actor=head, publication=pub, comment="内容不涉密，同意公开"
    )
    pub = draft(f"东花市街道{y}年{today.month}月社区文化活动安排", recent)
    pub_services.publication_submit(actor=staff, publication=pub)
    pub_services.publication_approve(actor=head, publication=pub, comment="同意")
    ledger.publications["published_today"] = pub_services.publication_approve(
        actor=director, publication=pub, comment="同意公开"
    )
    pub = draft("东花市北里东区 3 号楼加装电梯居民意见征集结果", recent)
    pub_services.publication_submit(actor=staff, publication=pub)
    ledger.publications["rejected"] = pub_services.publication_reject(
        actor=head, publication=pub, reason="含有居民姓名和门牌号，请删去个人信息后重新提交"
    )
    # Formed 30 working days ago and still unpublished: past the Art. 26 limit of 20 working days.
    ledger.publications["art26_overdue"] = draft(
        f"东花市街道{y}年第三季度安全生产检查情况通报",
        dates.workdays_before(cal, today, 30),
        category=Art20Category.ART20_13,
    )
    if ledger.history:
        victim = ledger.history[len(ledger.history) // 2]
        ledger.publications["withdrawn"] = pub_services.publication_withdraw(
            actor=office.office_head, publication=victim, reason="发布内容有误，更正后重新发布"
        )


def _table_two_facts(office: DemoOffice, cal: Calendar, today: dt.date) -> None:
    clerk = office.clerk
    fuwu = office.departments["社区服务中心"]
    chengguan = office.departments["城市管理办公室"]
    for kind, name, department, established in (
        (MatterKind.LICENSING, "临时占用道路设置摊点审批（受委托）", chengguan, dt.date(2021, 3, 1)),
        (MatterKind.CONFIRMATION, "居住情况证明", fuwu, dt.date(2020, 7, 1)),
        (MatterKind.PENALTY, "违反市容环境卫生管理规定的处罚", chengguan, dt.date(2021, 1, 1)),
        (MatterKind.ENFORCEMENT, "查封违法建设施工现场", chengguan, dt.date(2021, 1, 1)),
    ):
        pub_services.service_matter_create(
            actor=clerk, kind=kind, name=name, department=department, established_on=established
        )
    for month in range(1, today.month):
        on = dates.workdays_in_month(cal, today.year, month)[0]
        pub_services.decision_create(
            actor=clerk,
            kind="penalty",
            department=chengguan,
            decided_on=on,
            count=2 + month % 3,
            description=f"{month}月市容环境卫生处罚决定",
        )
        if month % 4 == 0:
            pub_services.decision_create(
                actor=clerk,
                kind="enforcement",
                department=chengguan,
                decided_on=on,
                count=1,
                description="查封违法建设施工现场",
            )
        pub_services.fee_collection_create(
            actor=clerk,
            department=chengguan,
            collected_on=on,
            amount_wan=Decimal("0.1250"),
            description=f"{month}月占道经营管理费",
        )


# -- requests -------------------------------------------------------------------------------------


def _request(office: DemoOffice, received_on: dt.date, n: int, description: str, **extra: Any) -> InfoRequest:
    name, applicant_type, email = texts.APPLICANTS[n % len(texts.APPLICANTS)]
    channel = extra.pop("channel", RequestChannel.IN_PERSON)
    dept_name = extra.pop("department", "城市管理办公室")
    fields: dict[str, Any] = {"submitted_on": received_on}
    if channel == RequestChannel.REGISTERED_POST:
        fields = {"submitted_on": received_on - dt.timedelta(days=2), "signed_on": received_on}
    elif channel in (RequestChannel.ONLINE, RequestChannel.PLAIN_LETTER, RequestChannel.FAX):
        fields = {"submitted_on": received_on, "confirmed_on": extra.pop("confirmed_on", received_on)}
    return request_services.inforequest_register(
        actor=office.clerk,
        channel=channel,
        applicant_type=applicant_type,
        applicant_name=name,
        applicant_id_number=ids.id_number(dt.date(1970 + n, 1 + n % 12, 1 + n % 28), n)
        if applicant_type == ApplicantType.NATURAL_PERSON
        else "",
        applicant_phone=ids.phone(100 + n),
        applicant_address=f"北京市东城区东花市北里{n + 1}号楼",
        applicant_email=email,
        notify_by=texts.APPLICANT_NOTIFY_BY.get(n, NotifyBy.EMAIL),
        description=description,
        form_of_provision="paper",
        department=office.departments[dept_name],
        handler=office.staff_of(dept_name),
        **fields,
        **extra,
    )


def _answer(office: DemoOffice, req: InfoRequest, outcome: str, on: dt.date, cal: Calendar) -> InfoRequest:
    return replies.answer(office, req, outcome, on, cal)


def _finished_cases(office: DemoOffice, cal: Calendar, today: dt.date, ledger: CurrentLedger) -> None:
    y = today.year
    # Received last December, answered in January: 上年结转 in this year's Table 三.
    received = dates.on_or_before(cal, dt.date(y - 1, 12, 22))
    req = _request(office, received, 0, f"申请公开{y - 1}年东花市北里东区地下空间清理整治方案。")
    answered_on = dates.after_workdays(cal, received, 15)
    if answered_on <= today:
        ledger.requests["carried_over"] = _answer(office, req, Outcome.GRANTED, answered_on, cal)
    outcomes = (
        ("granted", Outcome.GRANTED, "申请公开本街道背街小巷环境整治工程的验收报告。"),
        ("partial", Outcome.PARTIAL, "申请公开本街道老旧小区综合整治项目的施工合同。"),
        ("refused", Outcome.REFUSED_THIRD_PARTY, "申请公开某商户的营业执照登记信息及联系人电话。"),
        (
            "unavailable",
            Outcome.UNAVAILABLE_NEEDS_CREATION,
            "申请提供本街道近十年每月垃圾清运量的统计分析。",
        ),
        ("not_processed", Outcome.NOT_PROCESSED_REPEATED, "再次申请公开已答复过的地下空间清理整治方案。"),
        ("other", Outcome.OTHER_OTHER, "申请公开的信息在答复前申请人书面撤回申请。"),
    )
    last_month = max(1, today.month - 1)
    for i, (state, outcome, description) in enumerate(outcomes, 1):
        month = 1 + (i * last_month) // (len(outcomes) + 1)
        received = dates.workdays_in_month(cal, y, month)[3]
        if dates.after_workdays(cal, received, 10) > today:
            continue
        req = _request(office, received, i, description)
        ledger.requests[f"answered_{state}"] = _answer(
            office, req, outcome, dates.after_workdays(cal, received, 10), cal
        )
    # A fee notice paid, then the information provided: 信息处理费 for 六 of the 2021-format report.
    received = dates.workdays_before(cal, today, 45)
    req = _request(office, received, 7, "申请提供本街道 2015 年以来全部社区议事会议记录的纸质复印件。")
    notified = dates.after_workdays(cal, received, 3)
    request_services.fee_notify(
        actor=office.clerk, request=req, method="per_page", quantity=60, notified_on=notified
    )
    paid = dates.after_workdays(cal, notified, 5)
    request_services.fee_paid(actor=office.clerk, request=req, paid_on=paid)
    ledger.requests["fee_paid_answered"] = _answer(
        office, req, Outcome.GRANTED, dates.after_workdays(cal, paid, 5), cal
    )
    # 视为放弃: no 补正 in time; a fee never paid.
    received = dates.workdays_before(cal, today, 40)
    req = _request(office, received, 8, "申请公开“那个项目”的相关文件。")
    notified = dates.after_workdays(cal, received, 2)
    request_services.inforequest_request_correction(
        actor=office.clerk,
        request=req,
        notified_on=notified,
        items="请说明所申请信息的名称、文号或者其他特征性描述",
        respond_by=dates.after_workdays(cal, notified, 10),
    )
    ledger.requests["lapsed_correction"] = request_services.inforequest_correction_lapsed(
        actor=office.clerk, request=req, lapsed_on=dates.after_workdays(cal, notified, 12)
    )
    received = dates.workdays_before(cal, today, 44)
    req = _request(office, received, 9, "申请提供本街道 2010 年以来全部城市管理执法文书的复印件。")
    notified = dates.after_workdays(cal, received, 3)
    request_services.fee_notify(
        actor=office.clerk, request=req, method="per_page", quantity=120, notified_on=notified
    )
    ledger.requests["lapsed_fee"] = request_services.fee_lapsed(
        actor=office.clerk, request=req, lapsed_on=dates.after_workdays(cal, notified, 21)
    )


def _open_cases(office: DemoOffice, cal: Calendar, today: dt.date, ledger: CurrentLedger) -> None:
    """One open case in each state of the statutory clock, created in this order."""
    cases = ledger.requests
    cases["awaiting_confirmation"] = _unconfirmed_online_case(office, cal, today)
    cases["open"] = _request(
        office, dates.workdays_before(cal, today, 2), 10, "申请公开东花市南里社区停车位分配方案。"
    )
    cases["awaiting_correction"] = _case_awaiting_correction(office, cal, today)
    cases["paused_third_party"] = _case_paused_for_third_party(office, cal, today)
    cases["extended"] = _extended_case(office, cal, today)
    cases["due_soon"] = _request(
        office,
        dates.workdays_before(cal, today, 18),
        14,
        "申请公开广渠门内大街人行道改造工程的设计方案。",
        department="社区建设办公室",
    )
    cases["overdue"] = _request(
        office, dates.workdays_before(cal, today, 23), 15, "申请公开东花市北里西区自行车棚拆除的决定文书。"
    )
    cases["extension_requested"] = _case_with_extension_requested(office, cal, today)
    cases["awaiting_fee"] = _case_awaiting_fee(office, cal, today)
    _replies_under_review(office, cal, today, cases)


def _replies_under_review(
    office: DemoOffice, cal: Calendar, today: dt.date, cases: dict[str, InfoRequest]
) -> None:
    """Drafts in the review chain: one awaiting the 科室负责人 (the demo's `head`), one returned by the
    公开办负责人 with a reason, one awaiting the 主管主任's signature (the demo's `director`)."""

    def day(n: int) -> dt.date:
        return dates.workdays_before(cal, today, n)

    replies.draft_and_send(office, cases["due_soon"], Outcome.UNAVAILABLE_NOT_HELD, day(1))
    returned = cases["overdue"]
    replies.draft_and_send(office, returned, Outcome.GRANTED, day(4))
    replies.decide(office, returned, day(3))
    replies.decide(
        office,
        returned,
        day(2),
        return_reason="答复未写明提供信息的具体形式和份数，请补充后重新送审。",
    )
    signing = cases["extended"]
    replies.draft_and_send(office, signing, Outcome.PARTIAL, day(3))
    replies.decide(office, signing, day(2))
    replies.decide(office, signing, day(1))


def _unconfirmed_online_case(office: DemoOffice, cal: Calendar, today: dt.date) -> InfoRequest:
    # An online application that nobody has confirmed yet: no received date, no clock.
    return request_services.inforequest_register(
        actor=office.clerk,
        channel=RequestChannel.ONLINE,
        submitted_on=dates.workdays_before(cal, today, 1),
        applicant_type=ApplicantType.NATURAL_PERSON,
        applicant_name="赵立新",
        applicant_id_number=ids.id_number(dt.date(1984, 5, 6), 77),
        applicant_email="zhaolixin@example.com",
        notify_by=NotifyBy.EMAIL,
        description=f"申请公开本社区 {today.year} 年度居民议事会换届选举结果。",
    )


def _case_awaiting_correction(office: DemoOffice, cal: Calendar, today: dt.date) -> InfoRequest:
    req = _request(office, dates.workdays_before(cal, today, 4), 11, "申请公开有关文件。")
    notified = dates.workdays_before(cal, today, 1)
    request_services.inforequest_request_correction(
        actor=office.clerk,
        request=req,
        notified_on=notified,
        items="请写明所申请文件的名称或文号",
        respond_by=dates.after_workdays(cal, notified, 10),
    )
    req.refresh_from_db()
    return req


def _case_paused_for_third_party(office: DemoOffice, cal: Calendar, today: dt.date) -> InfoRequest:
    req = _request(office, dates.workdays_before(cal, today, 8), 12, "申请公开某餐饮企业的食品安全检查记录。")
    request_services.inforequest_pause_start(
        actor=office.clerk,
        request=req,
        kind="third_party",
        started_on=dates.workdays_before(cal, today, 3),
        note="已向该企业发出征求第三方意见函",
    )
    req.refresh_from_db()
    return req


def _extended_case(office: DemoOffice, cal: Calendar, today: dt.date) -> InfoRequest:
    received = dates.workdays_before(cal, today, 24)
    req = _request(
        office,
        received,
        13,
        f"申请公开本街道 {today.year - 1} 年度全部社区公益金使用明细。",
        channel=RequestChannel.REGISTERED_POST,
    )
    approved = dates.after_workdays(cal, received, 18)
    request_services.extension_approve(
        actor=office.office_head,
        request=req,
        workdays=15,
        approved_on=approved,
        notified_on=approved,
        reason="涉及六个社区的账目，需逐一核对",
    )
    req.refresh_from_db()
    return req


def _case_with_extension_requested(office: DemoOffice, cal: Calendar, today: dt.date) -> InfoRequest:
    req = _request(
        office,
        dates.workdays_before(cal, today, 12),
        16,
        f"申请公开本街道 {today.year} 年民生实事项目清单及进展。",
        department="民生保障办公室",
    )
    request_services.extension_request(
        actor=office.staff_of("民生保障办公室"),
        request=req,
        workdays=10,
        reason="需向区民政局核实部分项目的数据",
    )
    req.refresh_from_db()
    return req


def _case_awaiting_fee(office: DemoOffice, cal: Calendar, today: dt.date) -> InfoRequest:
    req = _request(
        office, dates.workdays_before(cal, today, 9), 17, "申请提供本街道全部网格员的工作日志复印件。"
    )
    request_services.fee_notify(
        actor=office.clerk,
        request=req,
        method="per_page",
        quantity=45,
        notified_on=dates.workdays_before(cal, today, 2),
    )
    req.refresh_from_db()
    return req


def _appeals(office: DemoOffice, today: dt.date, ledger: CurrentLedger) -> None:
    refused = ledger.requests.get("answered_refused")
    if refused is not None:
        ledger.requests["appealed"] = refused
        appeal_services.appeal_register(
            actor=office.clerk,
            kind=AppealKind.REVIEW,
            request=refused,
            appellant=refused.applicant_name,
            case_number=f"东政复字〔{today.year}〕第 58 号",
            authority="北京市东城区人民政府",
            filed_on=min(today, refused.closed_on + dt.timedelta(days=20)),
        )
    unavailable = ledger.requests.get("answered_unavailable")
    if unavailable is not None:
        appeal = appeal_services.appeal_register(
            actor=office.clerk,
            kind=AppealKind.LITIGATION_DIRECT,
            request=unavailable,
            appellant=unavailable.applicant_name,
            case_number=f"（{today.year}）京0101行初 112 号",
            authority="北京市东城区人民法院",
            filed_on=min(today, unavailable.closed_on + dt.timedelta(days=30)),
        )
        decided = min(today, appeal.filed_on + dt.timedelta(days=60))
        appeal_services.appeal_decide(
            actor=office.clerk, appeal=appeal, result=AppealResult.UPHELD, decided_on=decided
        )
