"""Writes of polls and votes. Staff writes take an ``actor`` and write an audit row in the same
transaction; a vote comes from the portal with a verified mobile number (no actor)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.services import model_snapshot, record_event
from gongkai.org.access import Permission, require
from gongkai.participation import codes
from gongkai.participation.models import Poll, PollOption, PollVote

NOT_MANAGER = "只有公开办工作人员或公开办负责人可以管理微网格互动栏目"
VOTE_CODE = "poll"
CODE_TEXT = "您参加网上投票的验证码为 {code}，10 分钟内有效。如非本人操作，请忽略本短信。"
ALREADY_VOTED = "该手机号码已参加过本次投票，每人只能投一票"


def check_period(opens_at: dt.datetime, closes_at: dt.datetime) -> None:
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": "截止时间应晚于开始时间"})


@transaction.atomic
def poll_save(
    *,
    actor: Any,
    title: str,
    description: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    options: Sequence[str],
    is_published: bool,
    poll: Poll | None = None,
) -> Poll:
    """Create a poll, or change one nobody has voted in yet (its options are replaced)."""
    require(actor, Permission.PARTICIPATION_MANAGE, NOT_MANAGER)
    labels = [o.strip() for o in options if o.strip()]
    if len(labels) < 2:
        raise ValidationError({"options": "投票至少需要两个选项"})
    if len(set(labels)) != len(labels):
        raise ValidationError({"options": "选项不能重复"})
    check_period(opens_at, closes_at)
    before = model_snapshot(poll) if poll else None
    if poll is not None and poll.votes.exists():
        raise ValidationError("已有居民投票，不能再修改投票内容")
    poll = poll or Poll(created_by=actor)
    poll.title, poll.description = title.strip(), description.strip()
    poll.opens_at, poll.closes_at, poll.is_published = opens_at, closes_at, is_published
    if not poll.title:
        raise ValidationError({"title": "请填写投票主题"})
    poll.save()
    poll.options.all().delete()
    PollOption.objects.bulk_create(
        PollOption(poll=poll, label=label, position=i) for i, label in enumerate(labels)
    )
    after = {**model_snapshot(poll), "options": labels}
    record_event(actor=actor, verb=AuditVerb.POLL_SAVE, obj=poll, before=before, after=after)
    return poll


@transaction.atomic
def poll_close(*, actor: Any, poll: Poll) -> Poll:
    """End voting now (提前结束): the results are published at once."""
    require(actor, Permission.PARTICIPATION_MANAGE, NOT_MANAGER)
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    now = timezone.now()
    if poll.closes_at <= now:
        raise ValidationError("该投票已经结束")
    if poll.opens_at > now:
        raise ValidationError("该投票尚未开始，无需结束；如不再进行，请取消发布")
    before = model_snapshot(poll, fields=("closes_at",))
    poll.closes_at = now
    poll.save(update_fields=["closes_at"])
    after = model_snapshot(poll, fields=("closes_at",))
    record_event(actor=actor, verb=AuditVerb.POLL_SAVE, obj=poll, before=before, after=after)
    return poll


def send_vote_code(*, poll: Poll, phone: str) -> None:
    """Text a verification code to the resident who wants to vote in ``poll``."""
    if not poll.is_open():
        raise ValidationError("该投票不在投票时间内")
    codes.send_code(phone=phone, purpose=VOTE_CODE, text=CODE_TEXT)


def cast_vote(*, poll: Poll, option_id: int | None, phone: str, code: str, ip: str | None = None) -> PollVote:
    """One vote per verified mobile number and poll, held by the unique constraint on (poll, voter)."""
    if not poll.is_open():
        raise ValidationError("该投票不在投票时间内")
    option = poll.options.filter(pk=option_id).first() if option_id else None
    if option is None:
        raise ValidationError({"option": "请选择一个选项"})
    error: dict[str, str] = {}
    vote = None
    with transaction.atomic():
        digest, error = codes.use_code(phone=phone, code=code, purpose=VOTE_CODE)
        if digest:
            try:
                with transaction.atomic():
                    vote = PollVote.objects.create(poll=poll, option=option, voter_digest=digest)
            except IntegrityError:
                error = {"phone": ALREADY_VOTED}
            else:
                record_event(
                    actor=None, verb=AuditVerb.POLL_VOTE, obj=poll, after={"option": option.pk}, ip=ip
                )
    if error or vote is None:
        raise ValidationError(error)
    return vote
