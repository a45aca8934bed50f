"""The demo's responsiveness ledgers and its 区长信箱 letters, entered through the services.

2019 holds the records behind the seed's section 一: 260 responses to hot topics (188 of them on 政务微博
and 微信), 79 督查督办 tasks of 区委/区政府 completed, 13 letters received and 13 completed, and a 五方联席会
in every quarter. The current year has a few of each in every state: responses on every channel, a task
open, one overdue and one completed, follow-up tasks open and done, the quarter that ended last without a
meeting (so the dashboard flags it), and three letters: waiting, replied and completed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.core.choices import JointMeetingParty, ResponseChannel, ResponseSource, SupervisionIssuer
from gongkai.demo_ledger import dates
from gongkai.demo_ledger.office import DEPARTMENTS, DemoOffice
from gongkai.engagement import services as letter_services
from gongkai.engagement.models import Letter
from gongkai.responsiveness import services
from gongkai.responsiveness.models import JointMeeting
from gongkai.responsiveness.selectors import Quarter
from gongkai.workdays import Calendar

YEAR = 2019
# 回应公众关注热点或重大舆情 260 次, of which 微博微信回应事件 188 次 (100 on Weibo, 88 on WeChat).
RESPONSE_CHANNELS: dict[str, int] = {
    ResponseChannel.WEIBO: 100,
    ResponseChannel.WECHAT: 88,
    ResponseChannel.WEBSITE: 40,
    ResponseChannel.HOTLINE: 20,
    ResponseChannel.MEDIA: 12,
}
SUPERVISION_COMPLETED = 79
LETTERS = 13
TOPICS = (
    "老旧小区停车难",
    "垃圾分类桶站设置",
    "冬季供暖温度不达标",
    "夜间施工噪音扰民",
    "共享单车乱停放",
    "养老驿站服务时间",
    "背街小巷环境整治",
    "雨后路面积水",
    "老楼加装电梯进度",
    "社区菜市场关闭",
)
SOURCES = tuple(ResponseSource.values)
SUPERVISION_TOPICS = (
    "背街小巷环境精细化整治",
    "接诉即办群众诉求办理",
    "违法建设拆除",
    "垃圾分类示范片区创建",
    "老旧小区综合整治",
    "安全生产隐患排查",
)
LETTER_TOPICS = ("小区停车位规划", "楼道照明维修", "绿化带养护", "社区活动室开放时间")
ATTENDANCE = {
    JointMeetingParty.OWNERS_COMMITTEE: "业委会主任",
    JointMeetingParty.PROPERTY: "物业项目经理",
    JointMeetingParty.COMMUNITY: "社区党委书记",
    JointMeetingParty.SUBDISTRICT: "街道社区建设办公室主任",
    JointMeetingParty.POLICE: "社区民警",
}


def _spread(cal: Calendar, year: int, i: int, n: int, *, months: int = 12) -> dt.date:
    """The i-th of n dates spread evenly over the working days of the year's first ``months`` months."""
    month = 1 + i * months // n
    days = dates.workdays_in_month(cal, year, month)
    return days[(i * 5) % len(days)]


def _department(office: DemoOffice, i: int) -> Any:
    return office.departments[DEPARTMENTS[i % len(DEPARTMENTS)]]


def build_2019_responsiveness(office: DemoOffice, cal: Calendar) -> None:
    _responses_2019(office, cal)
    _supervision_2019(office, cal)
    _letters_2019(office, cal)
    for quarter in range(1, 5):
        held_on = dates.workdays_in_month(cal, YEAR, 3 * quarter - 1)[8]
        _meeting(office, held_on, done=True)


def _responses_2019(office: DemoOffice, cal: Calendar) -> None:
    plan = [channel for channel, n in RESPONSE_CHANNELS.items() for _ in range(n)]
    total = len(plan)
    for i in range(total):
        # 7 is prime to 260: stepping by it visits every slot once and mixes the channels over the year.
        channel = plan[(i * 7) % total]
        on = _spread(cal, YEAR, i, total)
        topic = TOPICS[i % len(TOPICS)]
        services.hot_topic_record(
            actor=office.clerk,
            subject=f"{topic}（{on.month}月）",
            source=SOURCES[i % len(SOURCES)],
            response=f"经{_department(office, i).name}核实，已就“{topic}”向居民说明情况并落实整改。",
            channel=channel,
            responded_on=on,
            department=_department(office, i),
        )


def _supervision_2019(office: DemoOffice, cal: Calendar) -> None:
    for i in range(SUPERVISION_COMPLETED):
        # Assigned by November, so each is completed within 2019 (section 一 counts completions).
        assigned_on = _spread(cal, YEAR, i, SUPERVISION_COMPLETED, months=11)
        deadline = dates.after_workdays(cal, assigned_on, 15)
        task = services.supervision_task_create(
            actor=office.clerk,
            issuer=(SupervisionIssuer.COMMITTEE, SupervisionIssuer.GOVERNMENT)[i % 2],
            reference=f"东督〔{YEAR}〕{i + 1}号",
            title=SUPERVISION_TOPICS[i % len(SUPERVISION_TOPICS)],
            assigned_on=assigned_on,
            deadline=deadline,
            department=_department(office, i),
        )
        if i % 3 == 0:
            services.supervision_progress_add(
                actor=office.clerk,
                task=task,
                noted_on=dates.after_workdays(cal, assigned_on, 5),
                note="已制定工作方案，正在逐项落实。",
            )
        services.supervision_task_complete(
            actor=office.clerk,
            task=task,
            completed_on=dates.after_workdays(cal, assigned_on, 10 + i % 5),
            evidence="已按要求完成，整改前后照片及工作报告已报区督查室。",
        )


def _letters_2019(office: DemoOffice, cal: Calendar) -> None:
    """13 letters to the 区长信箱, each answered within a few working days and completed."""
    for i in range(LETTERS):
        received_on = _spread(cal, YEAR, i, LETTERS, months=11)
        topic = LETTER_TOPICS[i % len(LETTER_TOPICS)]
        letter = letter_services.letter_submit(
            subject=f"关于{topic}的建议", body=f"希望街道关注{topic}问题。", anonymous=True
        )
        # The portal stamps a letter with today's date; these came in during 2019.
        Letter.objects.filter(pk=letter.pk).update(
            received_on=received_on, reference=f"XX{received_on:%Y%m%d}-{i + 1:05d}"
        )
        letter.refresh_from_db()
        replied_on = dates.after_workdays(cal, received_on, 3)
        letter_services.letter_reply(
            actor=office.clerk,
            letter=letter,
            reply=f"感谢您的来信。关于{topic}，街道已安排相关科室办理。",
            replied_on=replied_on,
        )
        letter_services.letter_complete(actor=office.clerk, letter=letter, completed_on=replied_on)


def _meeting(
    office: DemoOffice, held_on: dt.date, *, done: bool, today: dt.date | None = None
) -> JointMeeting:
    meeting = services.joint_meeting_record(
        actor=office.clerk,
        held_on=held_on,
        place="东花市街道社区议事厅",
        attendance=ATTENDANCE,
        minutes=f"{held_on:%Y年%-m月%-d日}召开五方联席会，通报上季度议定事项落实情况，听取居民关于停车、环境和安全的诉求。",
        resolutions="一、规范小区停车秩序；二、加强夜间巡逻；三、清理楼道堆物。",
    )
    tasks = (("规范小区停车秩序", "物业", 20), ("加强夜间巡逻", "派出所", 30), ("清理楼道堆物", "社区", 10))
    for task, owner, days in tasks:
        follow_up = services.follow_up_add(
            actor=office.clerk,
            meeting=meeting,
            task=task,
            owner=owner,
            deadline=held_on + dt.timedelta(days=days),
        )
        if done:
            services.follow_up_complete(
                actor=office.clerk,
                follow_up=follow_up,
                done_on=held_on + dt.timedelta(days=days - 2),
                done_note="已落实。",
            )
    return meeting


def build_current_responsiveness(office: DemoOffice, cal: Calendar, today: dt.date) -> None:
    _responses_current(office, cal, today)
    _supervision_current(office, cal, today)
    _meetings_current(office, cal, today)
    _letters_current(office)


def _letters_current(office: DemoOffice) -> None:
    """Three letters of today: one waiting for a reply, one replied, one completed (anonymous: no mail)."""
    for i, state in enumerate(("new", "replied", "completed")):
        topic = LETTER_TOPICS[i]
        letter = letter_services.letter_submit(
            subject=f"关于{topic}的建议", body=f"希望街道关注{topic}问题。", anonymous=True
        )
        if state != "new":
            letter_services.letter_reply(
                actor=office.clerk, letter=letter, reply=f"感谢您的来信。关于{topic}，街道正在办理。"
            )
        if state == "completed":
            letter_services.letter_complete(actor=office.clerk, letter=letter)


def _responses_current(office: DemoOffice, cal: Calendar, today: dt.date) -> None:
    for i, channel in enumerate(ResponseChannel.values):
        on = dates.workdays_before(cal, today, 3 + 4 * i)
        topic = TOPICS[i % len(TOPICS)]
        services.hot_topic_record(
            actor=office.clerk,
            subject=topic,
            source=SOURCES[i % len(SOURCES)],
            response=f"街道已就“{topic}”作出说明，并公布办理进度。",
            channel=channel,
            responded_on=on,
            department=_department(office, i),
        )


def _supervision_current(office: DemoOffice, cal: Calendar, today: dt.date) -> None:
    """One task completed, one open within its deadline, one overdue (with a progress note)."""
    plan = (("completed", 30, 15), ("open", 5, 20), ("overdue", 25, 10))
    for i, (state, ago, allowed) in enumerate(plan):
        assigned_on = dates.workdays_before(cal, today, ago)
        task = services.supervision_task_create(
            actor=office.clerk,
            issuer=(SupervisionIssuer.COMMITTEE, SupervisionIssuer.GOVERNMENT)[i % 2],
            reference=f"东督〔{today.year}〕{i + 1}号",
            title=SUPERVISION_TOPICS[i],
            detail="请于办结时限前报送办理结果及佐证材料。",
            assigned_on=assigned_on,
            deadline=dates.after_workdays(cal, assigned_on, allowed),
            department=_department(office, i),
        )
        if state != "open":
            services.supervision_progress_add(
                actor=office.clerk,
                task=task,
                noted_on=dates.after_workdays(cal, assigned_on, 3),
                note="已召开专题会部署，正在推进。",
            )
        if state == "completed":
            services.supervision_task_complete(
                actor=office.clerk,
                task=task,
                completed_on=dates.after_workdays(cal, assigned_on, 12),
                evidence="整改完成，现场照片和工作台账已报区督查室。",
            )


def _meetings_current(office: DemoOffice, cal: Calendar, today: dt.date) -> None:
    """A meeting in each of the three quarters before the last ended one, none in that one, and one this
    quarter with its follow-up tasks still open."""
    this = Quarter.of(today)
    missed = this.previous()
    earlier = [missed.previous()]
    earlier += [earlier[-1].previous(), earlier[-1].previous().previous()]
    for quarter in reversed(earlier):
        _meeting(office, dates.on_or_after(cal, quarter.first + dt.timedelta(days=20)), done=True)
    held_on = dates.on_or_before(cal, min(today, this.first + dt.timedelta(days=15)))
    if held_on < this.first:
        held_on = this.first
    _meeting(office, held_on, done=False)
