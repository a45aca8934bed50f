"""The audit-verb registry (core/audit_verbs.py): every verb written is a member, spelled once.

A static walk over src holds the call sites (no ``verb=`` passes a string literal, every ``AuditVerb.X``
named exists, no verb's key is spelled outside the registry); running the demo office's current year and
the portal and mailbox services holds what the rows actually carry.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from gongkai.core.audit_verbs import AuditVerb, verb_label

SRC = Path(__file__).resolve().parents[2] / "src" / "gongkai"
REGISTRY = SRC / "core" / "audit_verbs.py"


def _sources() -> list[tuple[Path, ast.Module]]:
    return [
        (path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        for path in sorted(SRC.rglob("*.py"))
        if "migrations" not in path.parts and path != REGISTRY
    ]


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(SRC.parent)}:{getattr(node, 'lineno', '?')}"


def test_registry_values_are_dotted_keys_that_fit_the_column_with_chinese_labels() -> None:
    from gongkai.core.models import AuditEvent

    width = AuditEvent._meta.get_field("verb").max_length
    assert len(AuditVerb.values) == len(set(AuditVerb.values))
    for member in AuditVerb:
        obj, _, action = member.value.partition(".")
        assert obj and action and len(member.value) <= width, member.value
        assert member.name == member.value.upper().replace(".", "_"), member
        label = str(member.label)
        assert label and any("\u4e00" <= ch <= "\u9fff" for ch in label), member
    assert len({str(m.label) for m in AuditVerb}) == len(AuditVerb), "two verbs share a label"


def test_verb_label_falls_back_to_the_stored_key() -> None:
    assert verb_label("inforequest.register") == "登记申请"
    assert verb_label(AuditVerb.PUBLICATION_APPROVE_HEAD) == "科室负责人审核通过"
    assert verb_label("retired.verb") == "retired.verb"


def test_no_verb_keyword_is_a_string_literal() -> None:
    bad = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "verb":
                literals = [
                    c
                    for c in ast.walk(node.value)
                    if isinstance(c, ast.Constant) and isinstance(c.value, str)
                ]
                bad += [f"{_where(path, c)} verb={c.value!r}" for c in literals]
    assert bad == [], "pass an AuditVerb member, not a string:\n" + "\n".join(bad)


def test_every_audit_verb_named_in_src_exists() -> None:
    names = set(AuditVerb.__members__)
    unknown = [
        f"{_where(path, node)} AuditVerb.{node.attr}"
        for path, tree in _sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "AuditVerb"
        and node.attr not in names
    ]
    assert unknown == []


def test_no_verb_key_is_spelled_outside_the_registry() -> None:
    values = set(AuditVerb.values)
    spelled = [
        f"{_where(path, node)} {node.value!r}"
        for path, tree in _sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in values
    ]
    assert spelled == [], "use the AuditVerb member:\n" + "\n".join(spelled)


@pytest.mark.django_db
def test_services_write_only_registered_verbs(settings: Any, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.utils import timezone

    from gongkai.core.models import AuditEvent
    from gongkai.core.selectors import calendar_from_db
    from gongkai.core.services import seed_calendar
    from gongkai.demo_ledger.current import build_current_year
    from gongkai.demo_ledger.office import build_office
    from gongkai.demo_ledger.reports import draft_current
    from gongkai.engagement import services as letters
    from gongkai.inforequests.models import InfoRequest
    from gongkai.portal.services import application_status_viewed

    seed_calendar()
    office = build_office()
    today = timezone.localdate()
    build_current_year(office, calendar_from_db(), today)
    draft_current(office, today.year)
    clerk = office.users["clerk"]
    letter = letters.letter_submit(
        subject="路灯不亮", body="北里三号楼前路灯不亮。", anonymous=False, name="张三", phone="13811112222"
    )
    letters.letter_contact_viewed(actor=clerk, letter=letter)
    letters.letter_reply(actor=clerk, letter=letter, reply="已通知城管科维修。")
    letters.letter_complete(actor=clerk, letter=letter)
    letters.letter_publish(actor=clerk, letter=letter, public_subject="路灯不亮", public_body="已维修。")
    letters.letter_unpublish(actor=clerk, letter=letter)
    application_status_viewed(request=InfoRequest.objects.order_by("id").first(), ip="192.0.2.1")

    written = set(AuditEvent.objects.values_list("verb", flat=True))
    assert written - set(AuditVerb.values) == set()
    # The run reaches every app that writes audit rows, so the check above is not vacuous.
    assert {v.split(".")[0] for v in written} >= {
        "calendar",
        "organisation",
        "staff",
        "publication",
        "channel_post",
        "inforequest",
        "appeal",
        "letter",
        "portal",
        "report",
    }
    assert len(written) >= 40
