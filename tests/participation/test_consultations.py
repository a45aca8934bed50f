"""民意征集: a comment is invisible until a moderator approves it, in a text checked for personal data;
the feedback summary is published once the consultation has closed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from gongkai.core.models import AuditEvent
from gongkai.participation import consultations
from gongkai.participation.models import Comment, CommentStatus
from participation.conftest import make_consultation
from staff_auth import sign_in

pytestmark = pytest.mark.django_db

TEXT = "建议在东花市北里公园设置遛犬区，早晚高峰错开。"


def test_a_comment_appears_only_after_moderation(office: Any) -> None:
    c = make_consultation(office)
    answer = Client().post(f"/consultations/{c.pk}/", {"body": TEXT})
    assert answer.status_code == 302 and answer["Location"].endswith("?sent=1")
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING
    page = Client().get(f"/consultations/{c.pk}/?sent=1").content.decode()
    assert "经工作人员审核后公开" in page and TEXT not in page
    consultations.comment_approve(actor=office.clerk, comment=comment, public_body=TEXT)
    assert TEXT in Client().get(f"/consultations/{c.pk}/").content.decode()
    assert AuditEvent.objects.filter(verb="comment.approve", object_id=str(comment.pk)).exists()


def test_a_comment_with_a_phone_number_is_not_published_as_written(office: Any) -> None:
    c = make_consultation(office)
    body = "我家狗经常被投诉，有事请打我电话13912345678商量。"
    consultations.comment_submit(consultation=c, body=body)
    comment = Comment.objects.get()
    with pytest.raises(ValidationError, match="仍有个人信息"):
        consultations.comment_approve(actor=office.clerk, comment=comment, public_body=body)
    # The moderation page starts from the masked text.
    page = sign_in(Client(), office.clerk).get(f"/workbench/participation/comments/{comment.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "个人信息 1 处" in html and "13912345678</textarea>" not in html
    consultations.comment_approve(actor=office.clerk, comment=comment, public_body="我家狗经常被投诉。")
    public = Client().get(f"/consultations/{c.pk}/").content.decode()
    assert "13912345678" not in public and "我家狗经常被投诉。" in public


def test_a_rejected_comment_never_appears_and_needs_a_reason(office: Any) -> None:
    c = make_consultation(office)
    comment = consultations.comment_submit(consultation=c, body="与本公约无关的广告内容，加微信")
    with pytest.raises(ValidationError, match="理由"):
        consultations.comment_reject(actor=office.clerk, comment=comment, reason=" ")
    consultations.comment_reject(actor=office.clerk, comment=comment, reason="与征集内容无关")
    assert "广告" not in Client().get(f"/consultations/{c.pk}/").content.decode()
    with pytest.raises(ValidationError, match="已审核"):
        consultations.comment_approve(actor=office.clerk, comment=comment, public_body="x")


def test_only_the_office_moderates(office: Any) -> None:
    comment = consultations.comment_submit(consultation=make_consultation(office), body=TEXT)
    with pytest.raises(PermissionDenied):
        consultations.comment_approve(actor=office.drafter, comment=comment, public_body=TEXT)
    assert (
        sign_in(Client(), office.drafter).get(f"/workbench/participation/comments/{comment.pk}/").status_code
        == 403
    )


def test_comments_are_refused_outside_the_period_and_when_too_short(office: Any) -> None:
    c = make_consultation(office)
    short = Client().post(f"/consultations/{c.pk}/", {"body": "好"})
    assert short.status_code == 400 and "至少 5 个字" in short.content.decode()
    with time_machine.travel(c.closes_at + dt.timedelta(minutes=1)):
        with pytest.raises(ValidationError, match="不在征集时间内"):
            consultations.comment_submit(consultation=c, body=TEXT)
        assert "本次征集已结束" in Client().get(f"/consultations/{c.pk}/").content.decode()
    assert not Comment.objects.exists()


def test_the_feedback_summary_is_published_after_closing_and_moderation(office: Any) -> None:
    c = make_consultation(office)
    comment = consultations.comment_submit(consultation=c, body=TEXT)
    summary = "共收到意见 1 条。采纳：设置遛犬区（第五条）。理由：多数居民支持。"
    with pytest.raises(ValidationError, match="尚未截止"):
        consultations.feedback_publish(actor=office.clerk, consultation=c, summary=summary)
    with time_machine.travel(c.closes_at + dt.timedelta(hours=1)):
        with pytest.raises(ValidationError, match="待审核"):
            consultations.feedback_publish(actor=office.clerk, consultation=c, summary=summary)
        consultations.comment_approve(actor=office.clerk, comment=comment, public_body=TEXT)
        consultations.feedback_publish(actor=office.clerk, consultation=c, summary=summary)
        page = Client().get(f"/consultations/{c.pk}/").content.decode()
    assert "意见采纳情况" in page and "多数居民支持" in page
    c.refresh_from_db()
    assert c.feedback_published_at is not None and c.feedback_published_at > timezone.now() - dt.timedelta(
        days=30
    )


def test_a_pending_comment_is_on_the_office_dashboard(office: Any) -> None:
    c = make_consultation(office)
    comment = consultations.comment_submit(consultation=c, body=TEXT)
    page = sign_in(Client(), office.clerk).get("/workbench/").content.decode()
    assert "微网格互动" in page and f"/workbench/participation/comments/{comment.pk}/" in page
    assert "微网格互动" not in sign_in(Client(), office.drafter).get("/workbench/").content.decode()
