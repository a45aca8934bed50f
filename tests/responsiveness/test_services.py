"""The responsiveness services: each write has its actor and an audit row, bad input a Chinese message,
and a 科室 records only for itself."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import AuditEvent
from gongkai.responsiveness import selectors, services
from gongkai.responsiveness.models import HotTopicResponse, SupervisionTask

pytestmark = pytest.mark.django_db
D = dt.date
ALL_PARTIES = {
    "owners_committee": "业委会张主任",
    "property": "物业李经理",
    "community": "社区王书记",
    "subdistrict": "街道赵主任",
    "police": "民警孙警官",
}


def _response(office: Any, actor: Any = None, **kw: Any) -> HotTopicResponse:
    args = {
        "subject": "小区停车难",
        "source": "weibo",
        "response": "已协调停车位。",
        "channel": "weibo",
        "responded_on": D(2019, 5, 6),
        "department": office.dept,
    }
    return services.hot_topic_record(actor=actor or office.clerk, **{**args, **kw})


def _task(office: Any, actor: Any = None, **kw: Any) -> SupervisionTask:
    args = {
        "issuer": "committee",
        "title": "背街小巷整治",
        "assigned_on": D(2019, 3, 1),
        "deadline": D(2019, 3, 29),
        "department": office.dept,
    }
    return services.supervision_task_create(actor=actor or office.clerk, **{**args, **kw})


def test_a_response_is_recorded_with_its_audit_row(office: Any) -> None:
    row = _response(office, actor=office.drafter)
    event = AuditEvent.objects.get(verb="hot_topic.record")
    assert (event.actor, event.object_id) == (office.drafter, str(row.pk))
    assert selectors.response_counts(2019) == (1, 1)
    _response(office, channel="website", responded_on=D(2019, 12, 31))
    _response(office, channel="wechat", responded_on=D(2020, 1, 1))
    assert selectors.response_counts(2019) == (2, 1)


def test_bad_response_input_is_refused_in_chinese(office: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        _response(office, subject=" ", response="", source="fax", channel="x", responded_on=D(2999, 1, 1))
    assert exc.value.message_dict == {
        "subject": ["请填写回应的事项"],
        "response": ["请填写回应内容"],
        "source": ["请选择来源"],
        "channel": ["请选择回应渠道"],
        "responded_on": ["回应日期不能晚于今天"],
    }
    assert not HotTopicResponse.objects.exists() and not AuditEvent.objects.filter(verb="hot_topic.record")


def test_a_department_records_only_for_itself_and_the_auditor_not_at_all(office: Any) -> None:
    with pytest.raises(PermissionDenied, match="只能为本科室登记"):
        _response(office, actor=office.other_drafter)
    with pytest.raises(PermissionDenied, match="只有公开办或科室工作人员可以登记"):
        _response(office, actor=office.auditor)
    task = _task(office)
    with pytest.raises(PermissionDenied, match="只能为本科室登记"):
        services.supervision_progress_add(
            actor=office.other_drafter, task=task, noted_on=D(2019, 3, 5), note="x"
        )


def test_a_task_gets_progress_then_completion_with_evidence(office: Any) -> None:
    task = _task(office)
    services.supervision_progress_add(actor=office.drafter, task=task, noted_on=D(2019, 3, 8), note="已部署")
    with pytest.raises(ValidationError) as exc:
        services.supervision_task_complete(
            actor=office.drafter, task=task, completed_on=D(2019, 2, 1), evidence=" "
        )
    assert exc.value.message_dict == {
        "evidence": ["请填写办结情况及佐证材料"],
        "completed_on": ["办结日期不能早于交办日期"],
    }
    services.supervision_task_complete(
        actor=office.drafter, task=task, completed_on=D(2019, 3, 20), evidence="整改照片已报送"
    )
    task.refresh_from_db()
    assert (task.completed_on, task.completed_by, task.progress.count()) == (
        D(2019, 3, 20),
        office.drafter,
        1,
    )
    events = AuditEvent.objects.filter(object_type="responsiveness.supervisiontask", object_id=str(task.pk))
    verbs = list(events.order_by("id").values_list("verb", flat=True))
    assert verbs == ["supervision.create", "supervision.progress", "supervision.complete"]
    with pytest.raises(ValidationError, match="该督办事项已办结"):
        services.supervision_task_complete(
            actor=office.clerk, task=task, completed_on=D(2019, 3, 21), evidence="x"
        )


def test_task_dates_and_issuer_are_checked(office: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        _task(office, issuer="市委", title="", deadline=D(2019, 2, 1))
    assert exc.value.message_dict == {
        "title": ["请填写督办事项"],
        "issuer": ["请选择交办单位（区委或区政府）"],
        "deadline": ["办结时限不能早于交办日期"],
    }


def test_overdue_is_an_open_task_past_its_deadline(office: Any) -> None:
    late = _task(office, title="逾期事项", deadline=D(2019, 3, 10))
    _task(office, title="未到期", deadline=D(2019, 4, 30))
    done = _task(office, title="已办结", deadline=D(2019, 3, 10))
    services.supervision_task_complete(
        actor=office.clerk, task=done, completed_on=D(2019, 3, 9), evidence="报告"
    )
    assert list(selectors.overdue_tasks(D(2019, 4, 1))) == [late]


def test_a_meeting_needs_minutes_and_the_subdistrict_among_two_parties(office: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.joint_meeting_record(actor=office.clerk, held_on=D(2019, 5, 6), attendance={"property": "x"},
                                      minutes="")  # fmt: skip
    assert exc.value.message_dict == {
        "minutes": ["请填写会议纪要"],
        "attendance": ["请填写出席的各方人员：联席会至少有两方出席"],
    }
    with pytest.raises(ValidationError, match="请填写街道办事处的出席人员"):
        services.joint_meeting_record(actor=office.clerk, held_on=D(2019, 5, 6),
                                      attendance={"property": "x", "police": "y"}, minutes="纪要")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.joint_meeting_record(actor=office.drafter, held_on=D(2019, 5, 6), attendance=ALL_PARTIES,
                                      minutes="纪要")  # fmt: skip
    meeting = services.joint_meeting_record(
        actor=office.clerk, held_on=D(2019, 5, 6), attendance={**ALL_PARTIES, "police": " "}, minutes="纪要"
    )
    assert dict(meeting.parties())["派出所"] == "未出席"
    follow_up = services.follow_up_add(actor=office.clerk, meeting=meeting, task="清理堆物", owner="物业",
                                       deadline=D(2019, 5, 20))  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.follow_up_complete(
            actor=office.clerk, follow_up=follow_up, done_on=D(2019, 5, 1), done_note=""
        )
    assert exc.value.message_dict == {
        "done_note": ["请填写完成情况"],
        "done_on": ["完成日期不能早于会议日期"],
    }
    services.follow_up_complete(
        actor=office.clerk, follow_up=follow_up, done_on=D(2019, 5, 18), done_note="已清理"
    )
    events = AuditEvent.objects.filter(object_type="responsiveness.jointmeeting", object_id=str(meeting.pk))
    verbs = set(events.values_list("verb", flat=True))
    assert verbs == {
        "joint_meeting.record",
        "follow_up.add",
        "follow_up.complete",
    }


def _meet(office: Any, on: dt.date) -> None:
    services.joint_meeting_record(actor=office.clerk, held_on=on, attendance=ALL_PARTIES, minutes="纪要")


def test_missed_quarters_since_the_first_meeting(office: Any) -> None:
    today = D(2020, 2, 10)  # the last ended quarter is 2019 Q4
    assert [q.label for q in selectors.missed_quarters(today)] == ["2019年第四季度"]  # nothing on record
    _meet(office, D(2019, 4, 20))
    _meet(office, D(2019, 9, 30))
    assert [q.label for q in selectors.missed_quarters(today)] == ["2019年第四季度"]
    _meet(office, D(2019, 1, 5))
    assert [q.label for q in selectors.missed_quarters(today)] == ["2019年第四季度"]
    _meet(office, D(2019, 12, 31))
    assert selectors.missed_quarters(today) == []
    assert [q.label for q in selectors.missed_quarters(D(2020, 7, 1))] == ["2020年第二季度", "2020年第一季度"]


@time_machine.travel("2019-06-20 10:00 +0800", tick=False)
def test_no_date_in_the_future(office: Any) -> None:
    with pytest.raises(ValidationError, match="会议日期不能晚于今天"):
        _meet(office, D(2019, 6, 21))
    _meet(office, D(2019, 6, 20))
