"""行政复议 / 行政诉讼: registering, deciding, the pages and their guards."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from gongkai.appeals import selectors, services
from gongkai.appeals.models import Appeal
from gongkai.core.choices import AppealKind, AppealResult, Outcome
from gongkai.core.models import AuditEvent, OutboxMessage
from inforequests.conftest import Office
from inforequests.factories import AppealFactory, InfoRequestFactory
from staff_auth import sign_in

D = dt.date


def login(user: Any) -> Client:
    c = Client()
    sign_in(c, user)
    return c


def test_register_and_decide(office: Office) -> None:
    req = InfoRequestFactory(
        received_on=D(2019, 5, 6), outcome=Outcome.UNAVAILABLE_NOT_HELD, closed_on=D(2019, 5, 20)
    )
    appeal = services.appeal_register(
        actor=office.clerk,
        kind=AppealKind.REVIEW,
        appellant="张三",
        filed_on=D(2019, 6, 10),
        request=req,
        case_number="东政复字〔2019〕12号",
        authority="北京市东城区人民政府",
    )
    assert appeal.result == AppealResult.PENDING and appeal.decided_on is None
    assert list(req.appeals.all()) == [appeal]
    with pytest.raises(ValidationError, match="请选择"):
        services.appeal_decide(
            actor=office.clerk, appeal=appeal, result=AppealResult.PENDING, decided_on=D(2019, 8, 1)
        )
    with pytest.raises(ValidationError, match="不能早于"):
        services.appeal_decide(
            actor=office.clerk, appeal=appeal, result=AppealResult.UPHELD, decided_on=D(2019, 6, 1)
        )
    decided = services.appeal_decide(
        actor=office.clerk, appeal=appeal, result=AppealResult.UPHELD, decided_on=D(2019, 8, 1)
    )
    assert (decided.result, decided.decided_on) == (AppealResult.UPHELD, D(2019, 8, 1))
    with pytest.raises(ValidationError, match="已经审结"):
        services.appeal_decide(
            actor=office.clerk, appeal=appeal, result=AppealResult.CORRECTED, decided_on=D(2019, 9, 1)
        )
    verbs = set(AuditEvent.objects.filter(object_type="appeals.appeal").values_list("verb", flat=True))
    assert verbs == {"appeal.register", "appeal.decide"}


def test_only_the_office_records_appeals(office: Office) -> None:
    for actor in (office.staff, office.dept_head, office.director, office.auditor):
        with pytest.raises(PermissionDenied):
            services.appeal_register(
                actor=actor, kind=AppealKind.REVIEW, appellant="x", filed_on=D(2019, 6, 1)
            )
    appeal = AppealFactory()
    with pytest.raises(PermissionDenied):
        services.appeal_decide(
            actor=office.auditor, appeal=appeal, result=AppealResult.UPHELD, decided_on=D(2019, 9, 1)
        )


def test_filed_before_the_request_was_received_is_refused(office: Office) -> None:
    req = InfoRequestFactory(received_on=D(2019, 5, 6))
    with pytest.raises(ValidationError):
        services.appeal_register(
            actor=office.clerk,
            kind=AppealKind.LITIGATION_DIRECT,
            appellant="x",
            filed_on=D(2019, 5, 1),
            request=req,
        )
    assert not Appeal.objects.exists()


def test_list_filters_by_kind_result_and_year(office: Office) -> None:
    a = AppealFactory(kind=AppealKind.REVIEW, result=AppealResult.UPHELD, filed_on=D(2019, 3, 1))
    b = AppealFactory(kind=AppealKind.LITIGATION_AFTER_REVIEW, filed_on=D(2020, 3, 1))
    assert list(selectors.appeal_list(kind=AppealKind.REVIEW)) == [a]
    assert list(selectors.appeal_list(result=AppealResult.PENDING)) == [b]
    assert list(selectors.appeal_list(year=2020)) == [b]
    html = login(office.director).get(reverse("appeals:list"), {"year": "2019"}).content.decode()
    assert a.case_number in html and b.case_number not in html


def test_pages(office: Office) -> None:
    req = InfoRequestFactory(received_on=D(2019, 5, 6))
    clerk = login(office.clerk)
    r = clerk.post(
        reverse("appeals:create"),
        {
            "kind": AppealKind.LITIGATION_DIRECT,
            "request": str(req.pk),
            "appellant": "张三",
            "case_number": "（2019）京0101行初100号",
            "authority": "北京市东城区人民法院",
            "filed_on": "2019-07-01",
            "note": "",
        },
    )
    assert r.status_code == 302, r.content.decode()
    appeal = Appeal.objects.get()
    detail = clerk.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "北京市东城区人民法院" in detail and req.reference in detail and "登记审结结果" in detail
    bad = clerk.post(
        reverse("appeals:decide", args=[appeal.pk]),
        {"decide-result": "corrected", "decide-decided_on": "2019-06-01"},
    )
    assert bad.status_code == 400 and "不能早于" in bad.content.decode()
    ok = clerk.post(
        reverse("appeals:decide", args=[appeal.pk]),
        {"decide-result": "corrected", "decide-decided_on": "2019-10-08"},
    )
    assert ok.status_code == 302
    appeal.refresh_from_db()
    assert appeal.result == AppealResult.CORRECTED
    # Read-only roles see the page without the form and cannot post.
    auditor = login(office.auditor)
    assert "登记审结结果" not in auditor.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert auditor.post(reverse("appeals:decide", args=[appeal.pk]), {}).status_code == 403
    assert auditor.get(reverse("appeals:create")).status_code == 403
    assert Client().get(reverse("appeals:list")).status_code == 302


# --- outbox: the notice is written in the service's own transaction -----------------------------


def register_review(office: Office) -> Appeal:
    return services.appeal_register(
        actor=office.clerk, kind=AppealKind.REVIEW, appellant="张三", filed_on=D(2019, 6, 10)
    )


def test_a_rolled_back_appeal_registration_leaves_no_notice(office: Office) -> None:
    with pytest.raises(RuntimeError, match="crash before commit"), transaction.atomic():
        register_review(office)
        assert OutboxMessage.objects.filter(kind="appeal.registered").count() == 1
        raise RuntimeError("crash before commit")
    assert not Appeal.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_committed_appeal_registration_leaves_exactly_one_notice(
    office: Office, django_capture_on_commit_callbacks: Any
) -> None:
    # Whatever a service defers to after its commit is dropped here, as if the process died right then:
    # the notice must not be among it.
    with django_capture_on_commit_callbacks(execute=False):
        appeal = register_review(office)
    (message,) = OutboxMessage.objects.all()
    assert message.kind == "appeal.registered"
    assert message.payload == {"appeal_id": appeal.pk, "kind": AppealKind.REVIEW}
