"""The demo ledger: its 2019 annual report reproduces the seed's figures, and this year has every state."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.annual_report.checks import check_report
from gongkai.annual_report.demo import EXAMPLES
from gongkai.annual_report.model import AnnualReport
from gongkai.reporting.selectors import build_annual_report


@pytest.fixture
def office(db: None) -> Any:
    from gongkai.core.services import seed_calendar
    from gongkai.demo_ledger.office import build_office

    seed_calendar()
    return build_office()


@pytest.fixture
def calendar(office: Any) -> Any:
    from gongkai.core.selectors import calendar_from_db

    return calendar_from_db()


def _cells(report: AnnualReport) -> dict[tuple[str, str, str], object]:
    return {
        (table, row, col): value
        for table in ("proactive", "requests", "appeals")
        for row, cols in report.table(table).items()
        for col, value in cols.items()
    }


def test_demo_2019_report_equals_the_corrected_seed(office: Any, calendar: Any) -> None:
    from gongkai.demo_ledger.ledger_2019 import build_2019
    from gongkai.demo_ledger.reports import publish_2019

    build_2019(office, calendar)
    record = publish_2019(office)
    ours = AnnualReport.from_dict(record.frozen_json)
    seed = AnnualReport.from_json((EXAMPLES / "donghuashi-2019-corrected.json").read_text(encoding="utf-8"))

    assert (ours.organisation, ours.year, ours.format, ours.variant) == (
        seed.organisation,
        seed.year,
        seed.format,
        seed.variant,
    )
    assert ours.published_on == seed.published_on == dt.date(2020, 1, 19)
    mine, theirs = _cells(ours), _cells(seed)
    assert {k: mine.get(k, "absent") for k in theirs} == theirs
    # The published table printed 行政检查/行政确认 under a merged 其他对外管理服务事项 label that took the
    # place of their 上一年项目数量 cell; our layout prints that cell, and the ledger says 0.
    extra = {k: v for k, v in mine.items() if k not in theirs}
    assert extra == {
        ("proactive", "art20_5.other_services.inspection", "previous"): 0,
        ("proactive", "art20_5.other_services.confirmation", "previous"): 0,
    }
    findings = check_report(ours, org_kind="department")
    assert [f for f in findings if f.severity == "error"] == []
    assert [f for f in findings if f.rule == "A7"] == []
    overview = ours.sections["overview"]
    for phrase in (
        "主动公开政府信息282条",
        "重点领域公开信息数23条",
        "在政府网站公开信息282条",
        "分别为340条和300条",
        "共36份",
        "政策解读发布稿件数134篇",
        "申请数量为2件，申请人类型为自然人",
        # Issue 13: the responsiveness ledgers and the mailbox, in the seed's words.
        "本年度回应公众关注热点或重大舆情数260次。",
        "完成区委区政府督查督办79件；收到区长信箱信件13件，办结13件，办结率100%。",
        "政策解读发布稿件数134篇，微博微信回应事件数188次。",
    ):
        assert phrase in overview
    # Each of those figures is counted from records: one more of each, and the year's report moves.
    _one_more_of_each(office)
    moved = build_annual_report(2019).sections["overview"]
    for phrase in (
        "本年度回应公众关注热点或重大舆情数261次。",
        "完成区委区政府督查督办80件；收到区长信箱信件14件，办结13件，办结率92.8%。",
        "微博微信回应事件数189次。",
    ):
        assert phrase in moved


def _one_more_of_each(office: Any) -> None:
    from gongkai.engagement.models import Letter
    from gongkai.engagement.services import letter_submit
    from gongkai.responsiveness import services

    dept = next(iter(office.departments.values()))
    services.hot_topic_record(actor=office.clerk, subject="新增热点", source="weibo", response="已回应",
                              channel="weibo", responded_on=dt.date(2019, 12, 30), department=dept)  # fmt: skip
    task = services.supervision_task_create(actor=office.clerk, issuer="committee", title="新增督办",
                                            assigned_on=dt.date(2019, 12, 2), deadline=dt.date(2019, 12, 31),
                                            department=dept)  # fmt: skip
    services.supervision_task_complete(actor=office.clerk, task=task, completed_on=dt.date(2019, 12, 27),
                                       evidence="已办结")  # fmt: skip
    letter = letter_submit(subject="新增来信", body="年底来信", anonymous=True)
    Letter.objects.filter(pk=letter.pk).update(received_on=dt.date(2019, 12, 30))  # still open on 31 Dec


def test_demo_current_year_responsiveness_has_every_state(office: Any, calendar: Any) -> None:
    from django.utils import timezone

    from gongkai.demo_ledger.responsiveness import build_current_responsiveness
    from gongkai.responsiveness import selectors
    from gongkai.responsiveness.models import HotTopicResponse, JointMeeting, MeetingFollowUp, SupervisionTask

    today = timezone.localdate()
    build_current_responsiveness(office, calendar, today)
    channels = set(HotTopicResponse.objects.values_list("channel", flat=True))
    assert channels == {"website", "weibo", "wechat", "media", "hotline", "on_site"}
    tasks = SupervisionTask.objects.all()
    assert tasks.filter(completed_on__isnull=False).count() == 1
    assert [t.title for t in selectors.overdue_tasks(today)] == ["违法建设拆除"]
    assert tasks.filter(completed_on__isnull=True, deadline__gte=today).count() == 1
    assert selectors.missed_quarters(today) == [selectors.Quarter.of(today).previous()]
    assert JointMeeting.objects.count() == 4
    assert MeetingFollowUp.objects.filter(done_on__isnull=True).count() == 3
    assert MeetingFollowUp.objects.filter(done_on__isnull=False).count() == 9
    from gongkai.engagement.models import Letter

    assert sorted(Letter.objects.values_list("status", flat=True)) == ["completed", "new", "replied"]


def test_demo_current_year_has_every_state(office: Any, calendar: Any) -> None:
    from django.utils import timezone

    from gongkai.demo_ledger.current import build_current_year
    from gongkai.inforequests.models import RequestStatus
    from gongkai.publications.models import PublicationStatus

    today = timezone.localdate()
    ledger = build_current_year(office, calendar, today)
    statuses = {key: req.status for key, req in ledger.requests.items()}
    assert statuses["awaiting_confirmation"] == RequestStatus.AWAITING_CONFIRMATION
    assert statuses["open"] == RequestStatus.OPEN
    assert statuses["awaiting_correction"] == RequestStatus.AWAITING_CORRECTION
    assert statuses["paused_third_party"] == RequestStatus.PAUSED
    assert statuses["awaiting_fee"] == RequestStatus.PAUSED
    assert statuses["lapsed_correction"] == statuses["lapsed_fee"] == RequestStatus.CLOSED
    assert ledger.requests["extended"].extensions.filter(status="approved").exists()
    assert ledger.requests["extension_requested"].extensions.filter(status="pending").exists()
    assert ledger.requests["due_soon"].due_on > today >= ledger.requests["overdue"].received_on
    assert ledger.requests["overdue"].due_on < today
    outcome_groups = {
        r.outcome.split(".")[0] for k, r in ledger.requests.items() if k.startswith("answered_")
    }
    assert outcome_groups == {"granted", "partial", "refused", "unavailable", "not_processed", "other"}
    # Every reply went out signed at the end of the review chain, by the demo's 主管主任 (not the clerk).
    answered = [r for k, r in ledger.requests.items() if r.status == RequestStatus.ANSWERED]
    assert answered and {(r.reply.signed_by, r.reply.issued_by) for r in answered} == {
        (office.director, office.clerk)
    }
    assert all(r.reply.reviews.count() == 3 and r.reply.signed_on <= r.closed_on for r in answered)
    # Drafts under review for the demo logins: `head` (社区建设办公室) and `director`; one returned.
    review = {k: ledger.requests[k].reply for k in ("due_soon", "overdue", "extended")}
    assert {k: r.review_status for k, r in review.items()} == {
        "due_soon": "pending",
        "overdue": "returned",
        "extended": "pending",
    }
    from gongkai.inforequests.review_selectors import replies_awaiting

    assert [r.request for r in replies_awaiting(office.user("head"))] == [ledger.requests["due_soon"]]
    assert [r.request for r in replies_awaiting(office.director)] == [ledger.requests["extended"]]
    assert review["overdue"].reviews.get(decision="returned").reviewer == office.office_head
    pub_states = {key: pub.status for key, pub in ledger.publications.items()}
    assert {
        PublicationStatus.DRAFT,
        PublicationStatus.PENDING_HEAD,
        PublicationStatus.PENDING_DIRECTOR,
        PublicationStatus.PUBLISHED,
        PublicationStatus.WITHDRAWN,
    } <= set(pub_states.values())
    assert ledger.publications["rejected"].reviews.filter(decision="rejected").exists()
    # The 规范性文件 carries its signed text as a PDF made by WeasyPrint and a Word feedback form, both
    # accepted by the same upload checks a clerk's file passes.
    import pypdfium2

    from gongkai.core.files import private_storage

    pdf, form = ledger.publications["normative_document"].attachments.order_by("id")
    assert (pdf.content_type, form.content_type) == (
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    text = pypdfium2.PdfDocument(private_storage().open(pdf.storage_name).read())[0].get_textpage()
    assert "社区公共空间议事协商规则" in text.get_text_range().replace("\r\n", "").replace("\n", "")
