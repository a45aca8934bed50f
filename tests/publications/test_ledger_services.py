"""Channel posts, interpretations, archive transfers and the Table 二 facts: entry services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gongkai.core.models import AuditEvent, User
from gongkai.org.models import Department
from gongkai.org.roles import Role
from gongkai.publications import services
from gongkai.publications.models import (
    AdministrativeDecision,
    ArchiveTransfer,
    ChannelPost,
    FeeCollection,
    Publication,
    ServiceMatter,
)
from gongkai.publications.services import ActionRefused

from .factories import PublicationFactory, staff

pytestmark = pytest.mark.django_db


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-id").first()


def test_channel_post_alone_or_for_a_published_item(
    clerk: User, published: Publication, draft: Publication
) -> None:
    alone = services.channel_post_create(
        actor=clerk, channel="weibo", title="今日便民服务提示", posted_on=dt.date(2019, 6, 3)
    )
    assert alone.publication is None
    assert (last_event().verb, last_event().object_id) == ("channel_post.create", str(alone.pk))
    linked = services.channel_post_create(
        actor=clerk,
        channel="website",
        title=published.title,
        posted_on=published.published_on,
        publication=published,
    )
    assert linked.publication == published
    with pytest.raises(ValidationError, match="只能关联已公开的信息"):
        services.channel_post_create(
            actor=clerk, channel="wechat", title="草稿", posted_on=dt.date(2019, 6, 3), publication=draft
        )
    with pytest.raises(ValidationError):
        services.channel_post_create(actor=clerk, channel="tiktok", title="x", posted_on=dt.date(2019, 6, 3))
    assert ChannelPost.objects.count() == 2


def test_dates_in_the_future_are_refused(clerk: User) -> None:
    tomorrow = services.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="晚于今天"):
        services.channel_post_create(actor=clerk, channel="weibo", title="明天", posted_on=tomorrow)
    assert not ChannelPost.objects.exists()


def test_interpretation_of_a_published_policy(
    clerk: User, published: Publication, draft: Publication
) -> None:
    interp = services.interpretation_create(
        actor=clerk,
        title="图解：便民服务时间调整",
        policy=published,
        published_on=published.published_on,
        form="graphic",
    )
    assert interp.policy == published
    with pytest.raises(ValidationError, match="只能解读已公开"):
        services.interpretation_create(
            actor=clerk, title="x", policy=draft, published_on=dt.date(2019, 10, 1), form="text"
        )
    with pytest.raises(ValidationError, match="不得早于政策的公开日期"):
        services.interpretation_create(
            actor=clerk,
            title="x",
            policy=published,
            published_on=published.published_on - dt.timedelta(days=1),
            form="text",
        )


def test_archive_transfer_of_published_items(clerk: User, dept: Department, drafter: User) -> None:
    items = [
        PublicationFactory(department=dept, published=True, published_on=dt.date(2019, 3, d)) for d in (4, 11)
    ]
    transfer = services.archive_transfer_create(
        actor=clerk,
        transferred_on=dt.date(2019, 3, 29),
        recipient="东城区档案局（馆）",
        copies=12,
        items=items,
    )
    assert set(transfer.items.all()) == set(items)
    assert last_event().after["items"] == sorted(p.pk for p in items)
    draft = PublicationFactory(department=dept)
    with pytest.raises(ValidationError, match="未公开的信息不能移送"):
        services.archive_transfer_create(
            actor=clerk, transferred_on=dt.date(2019, 3, 29), recipient="档案馆", copies=1, items=[draft]
        )
    with pytest.raises(ValidationError, match="移送日期早于"):
        services.archive_transfer_create(
            actor=clerk, transferred_on=dt.date(2019, 3, 5), recipient="档案馆", copies=1, items=items
        )
    with pytest.raises(ValidationError):
        services.archive_transfer_create(
            actor=clerk, transferred_on=dt.date(2019, 3, 29), recipient="档案馆", copies=0
        )
    with pytest.raises(ActionRefused, match="登记档案移送"):
        services.archive_transfer_create(
            actor=drafter, transferred_on=dt.date(2019, 3, 29), recipient="档案馆", copies=1
        )
    assert ArchiveTransfer.objects.count() == 1


def test_service_matter_lifecycle(drafter: User, dept: Department) -> None:
    matter = services.service_matter_create(
        actor=drafter,
        kind="licensing",
        name="临时占道许可",
        department=dept,
        established_on=dt.date(2018, 1, 1),
    )
    with pytest.raises(ValidationError, match="取消日期不得早于设立日期"):
        services.service_matter_abolish(actor=drafter, matter=matter, abolished_on=dt.date(2017, 1, 1))
    services.service_matter_abolish(actor=drafter, matter=matter, abolished_on=dt.date(2019, 6, 30))
    assert ServiceMatter.objects.get(pk=matter.pk).abolished_on == dt.date(2019, 6, 30)
    assert last_event().verb == "service_matter.abolish"
    with pytest.raises(ActionRefused, match="已于 2019-06-30 取消"):
        services.service_matter_abolish(actor=drafter, matter=matter, abolished_on=dt.date(2019, 7, 1))


def test_department_staff_record_facts_for_their_own_department_only(
    drafter: User, other_dept: Department, clerk: User, auditor: User
) -> None:
    with pytest.raises(ActionRefused, match="只能为本科室"):
        services.decision_create(
            actor=drafter, kind="penalty", department=other_dept, decided_on=dt.date(2019, 5, 1)
        )
    # The disclosure office records for every department; the auditor for none.
    services.decision_create(
        actor=clerk, kind="penalty", department=other_dept, decided_on=dt.date(2019, 5, 1)
    )
    with pytest.raises(ActionRefused):
        services.decision_create(
            actor=auditor, kind="penalty", department=other_dept, decided_on=dt.date(2019, 5, 1)
        )
    assert AdministrativeDecision.objects.count() == 1


def test_decisions_count_at_least_one(clerk: User, dept: Department) -> None:
    decision = services.decision_create(
        actor=clerk, kind="enforcement", department=dept, decided_on=dt.date(2019, 5, 1), count=4
    )
    assert decision.count == 4
    with pytest.raises(ValidationError):
        services.decision_create(
            actor=clerk, kind="enforcement", department=dept, decided_on=dt.date(2019, 5, 1), count=0
        )
    with pytest.raises(ValidationError):
        services.decision_create(
            actor=clerk, kind="fee_item", department=dept, decided_on=dt.date(2019, 5, 1)
        )


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("184.8083", Decimal("184.8083")), (Decimal("0.5"), Decimal("0.5000")), (3, Decimal("3.0000"))],
)
def test_money_in_wan_with_four_decimals(clerk: User, dept: Department, raw: object, stored: Decimal) -> None:
    project = services.procurement_project_create(
        actor=clerk, name="办公设备采购", department=dept, contracted_on=dt.date(2019, 6, 1), amount_wan=raw
    )
    project.refresh_from_db()
    assert project.amount_wan == stored
    assert last_event().after["amount_wan"] == str(stored)


@pytest.mark.parametrize(
    ("raw", "message"), [("1.00001", "最多保留四位小数"), ("-1", "非负数"), ("十万", "不是数字")]
)
def test_bad_amounts_are_refused(clerk: User, dept: Department, raw: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        services.fee_collection_create(
            actor=clerk, department=dept, collected_on=dt.date(2019, 6, 1), amount_wan=raw
        )
    assert not FeeCollection.objects.exists()


def test_office_head_records_fees_for_any_department(other_dept: Department) -> None:
    office_head = staff(Role.OFFICE_HEAD)
    fee = services.fee_collection_create(
        actor=office_head, department=other_dept, collected_on=dt.date(2019, 6, 1), amount_wan="2.5"
    )
    assert fee.amount_wan == Decimal("2.5")
