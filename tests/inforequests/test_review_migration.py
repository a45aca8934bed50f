"""The migration that brings the review chain: the default chain is seeded, and a reply issued before the
chain existed (the 公开办 signed it alone) is recorded as signed by whoever issued it, so the new rule
"issued only when signed" holds for the rows already there."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

MIGRATION = ("inforequests", "0005_reply_review_chain")


@pytest.mark.django_db(transaction=True)
def test_replies_issued_before_the_chain_are_signed_by_their_issuer() -> None:
    executor = MigrationExecutor(connection)
    before = [p.key for p in executor.loader.graph.node_map[MIGRATION].parents if p.key[0] == "inforequests"]
    # Every other app stays where it is (its latest state), so the rows below are written as today's
    # tables expect them — e.g. the user's account-security columns.
    others = [key for key in executor.loader.graph.leaf_nodes() if key[0] != "inforequests"]
    executor.migrate(before + others)
    old = executor.loader.project_state(before + others).apps
    clerk = old.get_model("core", "User").objects.create(username="clerk", first_name="王公开")
    req = old.get_model("inforequests", "InfoRequest").objects.create(
        reference="东花市依申〔2024〕1号",
        channel="in_person",
        submitted_on=dt.date(2024, 5, 6),
        received_on=dt.date(2024, 5, 6),
        applicant_type="natural_person",
        applicant_name="张三",
        description="批复文件",
        status="answered",
        outcome="unavailable.not_held",
        closed_on=dt.date(2024, 5, 20),
    )
    reply_model = old.get_model("inforequests", "ReplyNotice")
    reply_model.objects.create(
        request=req,
        outcome="unavailable.not_held",
        title="告知书",
        body="不存在。",
        issued_on=dt.date(2024, 5, 20),
        issued_by=clerk,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from gongkai.inforequests.models import ReplyNotice, ReplyReviewStatus, ReplyReviewStep
    from gongkai.inforequests.review import DEFAULT_CHAIN

    reply = ReplyNotice.objects.get(request__reference="东花市依申〔2024〕1号")
    assert (reply.review_status, reply.signed_by_id, reply.signed_on) == (
        ReplyReviewStatus.SIGNED,
        clerk.pk,
        dt.date(2024, 5, 20),
    )
    assert [s.name for s in ReplyReviewStep.objects.order_by("position")] == [s.name for s in DEFAULT_CHAIN]
