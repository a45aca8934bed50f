"""Test helper: walk a reply through the office's review chain, each step decided by someone it allows.

Tests that are about something else (the clock, the portal, the report) still need a signed reply before
the 公开办 may issue it; this does what the people would do, through the services, picking for each step
the first active user ``review_selectors.step_reviewer_ids`` names (so a wrong chain or a missing
reviewer fails here, loudly).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from gongkai.inforequests import services
from gongkai.inforequests.models import InfoRequest, ReplyNotice, ReplyReviewStatus
from gongkai.inforequests.review_selectors import step_reviewer_ids

__all__ = ["sign_reply", "walk_chain"]


def _start(req: InfoRequest) -> dt.date:
    req.refresh_from_db()
    start = req.corrected_on or req.received_on
    assert start is not None, "the case's receipt is not confirmed"
    return start


def walk_chain(req: InfoRequest, *, submitter: Any = None, on: dt.date | None = None) -> ReplyNotice:
    """Send the case's draft (as ``submitter``, by default its drafter) and approve every step on ``on``
    (by default the day the clock started, so any later issue date is allowed). Returns the signed reply."""
    on = on or _start(req)
    reply = ReplyNotice.objects.get(request=req)
    submitter = submitter or reply.drafted_by
    reply = services.reply_submit_for_review(actor=submitter, request=req, submitted_on=on)
    users = get_user_model().objects
    while reply.review_status == ReplyReviewStatus.PENDING:
        eligible = step_reviewer_ids(req, reply)
        assert eligible, f"nobody may decide step {reply.review_step} of {reply.review_chain}"
        reply = services.reply_review_approve(actor=users.get(pk=eligible[0]), request=req, decided_on=on)
    assert reply.review_status == ReplyReviewStatus.SIGNED
    return reply


def sign_reply(
    req: InfoRequest,
    *,
    outcome: str,
    notice_body: str = "",
    drafter: Any = None,
    on: dt.date | None = None,
    **text: Any,
) -> ReplyNotice:
    """Draft the reply (as ``drafter``, by default the case's handler) and walk it to its signature."""
    req.refresh_from_db()
    drafter = drafter or req.handler
    services.inforequest_draft_reply(
        actor=drafter, request=req, outcome=outcome, notice_body=notice_body, **text
    )
    return walk_chain(req, submitter=drafter, on=on)
