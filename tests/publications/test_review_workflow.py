"""The two-level confidentiality review: drafter → 科室负责人 → 主管主任, three distinct people, enforced by
the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.core.models import AuditEvent, OutboxMessage, User
from gongkai.org.models import Department
from gongkai.org.roles import Role
from gongkai.publications import selectors, services
from gongkai.publications.models import Publication, PublicationReview, PublicationStatus, ReviewDecision
from gongkai.publications.services import ActionRefused

from .factories import staff

pytestmark = pytest.mark.django_db


def audit_verbs(pub: Publication) -> list[str]:
    rows = AuditEvent.objects.filter(object_type="publications.publication", object_id=str(pub.pk))
    return list(rows.order_by("id").values_list("verb", flat=True))


def fresh(pub: Publication) -> Publication:
    return Publication.objects.get(pk=pub.pk)


# --- the happy path ------------------------------------------------------------------------------


def test_two_level_review_publishes_on_the_shanghai_date(
    draft: Publication, drafter: User, head: User, director: User
) -> None:
    services.publication_submit(actor=drafter, publication=draft)
    assert fresh(draft).status == PublicationStatus.PENDING_HEAD
    services.publication_approve(actor=head, publication=draft, comment="无涉密内容")
    after_first = fresh(draft)
    assert after_first.status == PublicationStatus.PENDING_DIRECTOR
    assert after_first.published_on is None

    # 17:30 UTC on 20 March is 01:30 on 21 March in Beijing: the statutory date is the local one.
    with time_machine.travel(dt.datetime(2019, 3, 20, 17, 30, tzinfo=dt.UTC), tick=False):
        services.publication_approve(actor=director, publication=draft, comment="同意公开")

    pub = fresh(draft)
    assert pub.status == PublicationStatus.PUBLISHED
    assert pub.published_on == dt.date(2019, 3, 21)
    assert draft.status == PublicationStatus.PUBLISHED  # the caller's instance follows the stored state
    reviews = list(
        pub.reviews.order_by("level").values_list("level", "reviewer__username", "decision", "comment")
    )
    assert reviews == [
        (1, "head", ReviewDecision.APPROVED, "无涉密内容"),
        (2, "director", ReviewDecision.APPROVED, "同意公开"),
    ]
    assert audit_verbs(pub) == [
        "publication.create",
        "publication.submit",
        "publication.approve_head",
        "publication.approve_director",
    ]
    last = AuditEvent.objects.filter(verb="publication.approve_director").get()
    assert last.actor == director
    assert last.before["status"] == "pending_director"
    assert last.after["status"] == "published"
    assert last.after["published_on"] == "2019-03-21"


def test_each_step_notifies_the_next_person_through_the_outbox(
    draft: Publication, drafter: User, head: User, director: User, other_head: User
) -> None:
    services.publication_submit(actor=drafter, publication=draft)
    services.publication_approve(actor=head, publication=draft)
    services.publication_approve(actor=director, publication=draft)
    messages = list(OutboxMessage.objects.order_by("id").values_list("kind", "payload"))
    assert [kind for kind, _ in messages] == [
        "publication.review_requested",
        "publication.review_requested",
        "publication.published",
    ]
    # Level 1 goes to the heads of the item's department only, level 2 to the directors.
    assert messages[0][1]["recipients"] == [head.pk]
    assert messages[1][1]["recipients"] == [director.pk]
    assert messages[2][1]["recipients"] == [drafter.pk]


# --- separation of duties ------------------------------------------------------------------------


def test_the_drafter_may_not_approve_their_own_item_even_as_department_head(dept: Department) -> None:
    head_drafter = staff(Role.DEPT_HEAD, department=dept)
    pub = services.publication_create(
        actor=head_drafter,
        title="科室自拟信息",
        category="art20_2",
        department=dept,
        formed_on=dt.date(2019, 5, 6),
    )
    services.publication_submit(actor=head_drafter, publication=pub)
    with pytest.raises(ActionRefused, match="起草人不得审核本人起草的信息"):
        services.publication_approve(actor=head_drafter, publication=pub)
    assert fresh(pub).status == PublicationStatus.PENDING_HEAD
    assert not PublicationReview.objects.exists()


def test_the_drafter_may_not_approve_the_second_level_either(dept: Department, head: User) -> None:
    director_drafter = staff(Role.DIRECTOR, Role.DEPT_STAFF, department=dept)
    pub = services.publication_create(
        actor=director_drafter,
        title="主任起草",
        category="art20_2",
        department=dept,
        formed_on=dt.date(2019, 5, 6),
    )
    services.publication_submit(actor=director_drafter, publication=pub)
    services.publication_approve(actor=head, publication=pub)
    with pytest.raises(ActionRefused, match="起草人不得审核"):
        services.publication_approve(actor=director_drafter, publication=pub)
    assert fresh(pub).status == PublicationStatus.PENDING_DIRECTOR


def test_one_person_may_not_approve_both_levels(pending_head: Publication, dept: Department) -> None:
    both = staff(Role.DEPT_HEAD, Role.DIRECTOR, department=dept)
    services.publication_approve(actor=both, publication=pending_head)
    with pytest.raises(ActionRefused, match="同一人不得同时进行两级审核"):
        services.publication_approve(actor=both, publication=pending_head)
    pub = fresh(pending_head)
    assert pub.status == PublicationStatus.PENDING_DIRECTOR
    assert pub.published_on is None
    assert pub.reviews.count() == 1
    # Nor reject it at the second level: a rejection is a decision of the level too.
    with pytest.raises(ActionRefused, match="同一人不得"):
        services.publication_reject(actor=both, publication=pending_head, reason="再想想")


def test_a_head_of_another_department_may_not_approve(pending_head: Publication, other_head: User) -> None:
    with pytest.raises(ActionRefused, match="党政办公室的科室负责人"):
        services.publication_approve(actor=other_head, publication=pending_head)
    assert fresh(pending_head).status == PublicationStatus.PENDING_HEAD


def test_levels_need_their_roles(pending_head: Publication, director: User, head: User, clerk: User) -> None:
    with pytest.raises(ActionRefused, match="第一级审核须由科室负责人进行"):
        services.publication_approve(actor=director, publication=pending_head)
    services.publication_approve(actor=head, publication=pending_head)
    for not_director in (clerk, staff(Role.OFFICE_HEAD)):
        with pytest.raises(ActionRefused, match="第二级审核须由主管主任进行"):
            services.publication_approve(actor=not_director, publication=pending_head)
    assert fresh(pending_head).status == PublicationStatus.PENDING_DIRECTOR


def test_approval_out_of_state_is_refused(
    draft: Publication, head: User, director: User, drafter: User
) -> None:
    with pytest.raises(ActionRefused, match="不在审核中"):
        services.publication_approve(actor=head, publication=draft)
    services.publication_submit(actor=drafter, publication=draft)
    services.publication_approve(actor=head, publication=draft)
    services.publication_approve(actor=director, publication=draft)
    second_director = staff(Role.DIRECTOR)
    with pytest.raises(ActionRefused, match="当前状态为「已公开」"):
        services.publication_approve(actor=second_director, publication=draft)
    assert fresh(draft).reviews.count() == 2


def test_a_stale_instance_cannot_approve_twice(pending_head: Publication, head: User) -> None:
    stale = Publication.objects.get(pk=pending_head.pk)
    services.publication_approve(actor=head, publication=pending_head)
    # The service re-reads the row under lock, so the stale "pending_head" copy cannot sign level 1 again.
    with pytest.raises(ActionRefused, match="第二级审核须由主管主任进行"):
        services.publication_approve(actor=head, publication=stale)
    assert PublicationReview.objects.count() == 1


def test_nothing_is_published_without_both_approvals(pending_head: Publication, director: User) -> None:
    # Even if the status were forced past level 1, the director finds no first-level signature.
    Publication.objects.filter(pk=pending_head.pk).update(status=PublicationStatus.PENDING_DIRECTOR)
    with pytest.raises(ActionRefused, match="尚无科室负责人的审核意见"):
        services.publication_approve(actor=director, publication=pending_head)
    assert fresh(pending_head).published_on is None
    # And the database refuses a published item without its publication date.
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.filter(pk=pending_head.pk).update(status=PublicationStatus.PUBLISHED)


def test_only_the_drafter_submits_and_edits(draft: Publication, head: User, drafter: User) -> None:
    with pytest.raises(ActionRefused, match="只有起草人可以提交审核"):
        services.publication_submit(actor=head, publication=draft)
    with pytest.raises(ActionRefused, match="只有起草人可以修改草稿"):
        services.publication_update(actor=head, publication=draft, title="改")
    services.publication_update(actor=drafter, publication=draft, title="新标题")
    services.publication_submit(actor=drafter, publication=draft)
    with pytest.raises(ActionRefused, match="只有草稿可以修改"):
        services.publication_update(actor=drafter, publication=draft, title="再改")
    assert fresh(draft).title == "新标题"


def test_department_staff_draft_for_their_own_department_only(drafter: User, other_dept: Department) -> None:
    with pytest.raises(ActionRefused, match="只能为本科室"):
        services.publication_create(
            actor=drafter,
            title="越权",
            category="art20_2",
            department=other_dept,
            formed_on=dt.date(2019, 5, 6),
        )
    assert not Publication.objects.exists()


def test_auditor_and_director_do_not_draft(auditor: User, director: User, dept: Department) -> None:
    for actor in (auditor, director):
        with pytest.raises(ActionRefused, match="起草主动公开信息"):
            services.publication_create(
                actor=actor, title="x", category="art20_2", department=dept, formed_on=dt.date(2019, 5, 6)
            )


def test_doc_kind_only_under_article_20_1(drafter: User, dept: Department) -> None:
    with pytest.raises(ValidationError):
        services.publication_create(
            actor=drafter,
            title="规范性文件放错类别",
            category="art20_2",
            doc_kind="normative_documents",
            department=dept,
            formed_on=dt.date(2019, 5, 6),
        )
    assert not Publication.objects.exists()


# --- rejection -----------------------------------------------------------------------------------


def test_rejection_returns_to_the_drafter_with_the_reason(
    pending_head: Publication, head: User, drafter: User, director: User
) -> None:
    with pytest.raises(ValidationError, match="退回须填写理由"):
        services.publication_reject(actor=head, publication=pending_head, reason="  ")
    services.publication_reject(actor=head, publication=pending_head, reason="文号有误，请核对")
    pub = fresh(pending_head)
    assert pub.status == PublicationStatus.DRAFT
    assert pub.published_on is None
    rejection = selectors.latest_rejection(pub)
    assert rejection is not None
    assert (rejection.comment, rejection.reviewer, rejection.level) == ("文号有误，请核对", head, 1)
    drafts = list(selectors.my_drafts(drafter))
    assert [(d.pk, d.returned_reason) for d in drafts] == [(pub.pk, "文号有误，请核对")]
    assert OutboxMessage.objects.filter(kind="publication.rejected").get().payload["recipients"] == [
        drafter.pk
    ]
    assert audit_verbs(pub)[-1] == "publication.reject"

    # Corrected and resubmitted: a new round, both levels again, and the old rejection is history.
    services.publication_update(actor=drafter, publication=pub, doc_number="东花市发〔2019〕4号")
    services.publication_submit(actor=drafter, publication=pub)
    assert pub.review_round == 2
    assert selectors.latest_rejection(pub) is None
    services.publication_approve(actor=head, publication=pub)
    services.publication_approve(actor=director, publication=pub)
    assert fresh(pub).status == PublicationStatus.PUBLISHED
    rounds = list(pub.reviews.order_by("round", "level").values_list("round", "level", "decision"))
    assert rounds == [(1, 1, "rejected"), (2, 1, "approved"), (2, 2, "approved")]


def test_a_director_rejection_sends_the_item_back_through_both_levels(
    pending_director: Publication, director: User, drafter: User, head: User
) -> None:
    services.publication_reject(actor=director, publication=pending_director, reason="涉及个人信息，需删除")
    pub = fresh(pending_director)
    assert pub.status == PublicationStatus.DRAFT
    services.publication_submit(actor=drafter, publication=pub)
    # The director cannot skip the first level of the new round.
    with pytest.raises(ActionRefused, match="第一级审核须由科室负责人进行"):
        services.publication_approve(actor=director, publication=pub)
    assert selectors.current_reviews(pub) == {}


# --- withdrawal and repeal -----------------------------------------------------------------------


def test_withdrawal_needs_a_reason_a_role_and_a_published_item(
    published: Publication, pending_head: Publication, office_head: User, clerk: User, director: User
) -> None:
    with pytest.raises(ActionRefused, match="撤回已公开的信息"):
        services.publication_withdraw(actor=clerk, publication=published, reason="错误")
    with pytest.raises(ValidationError, match="撤回须填写理由"):
        services.publication_withdraw(actor=office_head, publication=published, reason="")
    with time_machine.travel(dt.datetime(2019, 11, 5, 10, 0, tzinfo=dt.UTC), tick=False):
        services.publication_withdraw(actor=office_head, publication=published, reason="信息已过时效")
    pub = fresh(published)
    assert (pub.status, pub.withdrawn_on, pub.withdrawn_reason) == (
        PublicationStatus.WITHDRAWN,
        dt.date(2019, 11, 5),
        "信息已过时效",
    )
    assert pub.published_on is not None  # it was published; the roll-up counts it in its year
    assert audit_verbs(pub)[-1] == "publication.withdraw"
    with pytest.raises(ActionRefused, match="只有已公开的信息可以撤回"):
        services.publication_withdraw(actor=director, publication=published, reason="再次撤回")


def test_repeal_of_a_published_normative_document(
    drafter: User, dept: Department, head: User, director: User, clerk: User
) -> None:
    pub = services.publication_create(
        actor=drafter,
        title="街道环境卫生管理办法",
        category="art20_1",
        doc_kind="normative_documents",
        department=dept,
        formed_on=dt.date(2019, 5, 6),
    )
    with pytest.raises(ActionRefused, match="只有已公开的文件可以登记废止"):
        services.publication_repeal(actor=clerk, publication=pub, repealed_on=dt.date(2019, 6, 1))
    services.publication_submit(actor=drafter, publication=pub)
    services.publication_approve(actor=head, publication=pub)
    services.publication_approve(actor=director, publication=pub)
    with pytest.raises(ValidationError, match="废止日期不得早于公开日期"):
        services.publication_repeal(
            actor=clerk, publication=pub, repealed_on=pub.published_on - dt.timedelta(days=1)
        )
    services.publication_repeal(
        actor=clerk, publication=pub, repealed_on=pub.published_on, reason="已被新办法替代"
    )
    assert fresh(pub).repealed_on == pub.published_on
    with pytest.raises(ActionRefused, match="已于"):
        services.publication_repeal(actor=clerk, publication=pub, repealed_on=pub.published_on)


def test_only_rules_and_normative_documents_are_repealed(published: Publication, clerk: User) -> None:
    with pytest.raises(ActionRefused, match="只有规章和规范性文件"):
        services.publication_repeal(actor=clerk, publication=published, repealed_on=published.published_on)


# --- audit rows share the transaction ------------------------------------------------------------


def test_a_service_failing_midway_leaves_neither_change_nor_audit_row(
    dept: Department, drafter: User, clerk: User
) -> None:
    """register_reviewed saves the item and the first signature before it checks the second reviewer;
    when that check fails, the whole service rolls back."""
    both = staff(Role.DEPT_HEAD, Role.DIRECTOR, department=dept)
    before = AuditEvent.objects.count()
    with pytest.raises(ActionRefused, match="同一人不得同时进行两级审核"):
        services.publication_register_reviewed(
            actor=clerk,
            title="纸质审核表登记",
            category="art20_2",
            department=dept,
            formed_on=dt.date(2019, 4, 1),
            drafter=drafter,
            head=both,
            head_decided_on=dt.date(2019, 4, 2),
            director=both,
            director_decided_on=dt.date(2019, 4, 3),
        )
    assert not Publication.objects.exists()
    assert not PublicationReview.objects.exists()
    assert AuditEvent.objects.count() == before


def test_the_audit_row_rolls_back_with_the_change(pending_head: Publication, head: User) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.publication_approve(actor=head, publication=pending_head)
        assert AuditEvent.objects.count() == before + 1
        raise RuntimeError("the caller's transaction fails after the service")
    assert fresh(pending_head).status == PublicationStatus.PENDING_HEAD
    assert not PublicationReview.objects.exists()
    assert AuditEvent.objects.count() == before
    assert not OutboxMessage.objects.filter(kind="publication.review_requested", payload__level=2).exists()


def test_register_reviewed_records_a_paper_review(
    dept: Department, drafter: User, head: User, director: User, clerk: User
) -> None:
    pub = services.publication_register_reviewed(
        actor=clerk,
        title="2019年第一季度财政预算执行情况",
        category="art20_7",
        department=dept,
        formed_on=dt.date(2019, 4, 1),
        drafter=drafter,
        head=head,
        head_decided_on=dt.date(2019, 4, 2),
        director=director,
        director_decided_on=dt.date(2019, 4, 3),
        key_area=True,
    )
    assert (pub.status, pub.published_on) == (PublicationStatus.PUBLISHED, dt.date(2019, 4, 3))
    reviews = selectors.current_reviews(pub)
    assert (reviews[1].reviewer, reviews[2].reviewer) == (head, director)
    assert [r.decided_at.astimezone(timezone.get_default_timezone()).date() for r in reviews.values()] == [
        dt.date(2019, 4, 2),
        dt.date(2019, 4, 3),
    ]
    assert audit_verbs(pub) == ["publication.register_reviewed"]
    with pytest.raises(ActionRefused, match="只有公开办"):
        services.publication_register_reviewed(
            actor=drafter,
            title="x",
            category="art20_2",
            department=dept,
            formed_on=dt.date(2019, 4, 1),
            drafter=drafter,
            head=head,
            head_decided_on=dt.date(2019, 4, 2),
            director=director,
            director_decided_on=dt.date(2019, 4, 3),
        )


# --- outbox: the notice is written in the service's own transaction -----------------------------


def test_a_rolled_back_submission_leaves_no_notice(draft: Publication, drafter: User, head: User) -> None:
    with pytest.raises(RuntimeError, match="crash before commit"), transaction.atomic():
        services.publication_submit(actor=drafter, publication=draft)
        assert OutboxMessage.objects.filter(kind="publication.review_requested").count() == 1
        raise RuntimeError("crash before commit")
    assert fresh(draft).status == PublicationStatus.DRAFT
    assert not OutboxMessage.objects.exists()


def test_a_committed_submission_leaves_exactly_one_notice(
    draft: Publication, drafter: User, head: User, django_capture_on_commit_callbacks: Any
) -> None:
    # Whatever a service defers to after its commit is dropped here, as if the process died right then:
    # the notice must not be among it.
    with django_capture_on_commit_callbacks(execute=False):
        services.publication_submit(actor=drafter, publication=draft)
    (message,) = OutboxMessage.objects.all()
    assert message.kind == "publication.review_requested"
    assert message.payload == {
        "publication": draft.pk,
        "title": draft.title,
        "recipients": [head.pk],
        "level": 1,
    }
