"""Every write of the publications app (DESIGN.md "Writes go through services").

Each service is keyword-only with a mandatory ``actor``, runs in one transaction, validates before it
writes and records an ``AuditEvent`` in that same transaction. Notifications go to the outbox in the
same transaction too (``enqueue_message``), so a message exists if and only if its change committed.

``review``: draft, submit, the two review levels, publication, withdrawal, repeal. ``registers``: items
reviewed on paper, channel posts, interpretations, archive transfers, Table 二 facts. ``attachments``:
files of a draft.
"""

from __future__ import annotations

from gongkai.publications.services._common import (
    EDITABLE_FIELDS,
    ActionRefused,
    today,
)
from gongkai.publications.services.attachments import (
    attachment_add,
    attachment_remove,
)
from gongkai.publications.services.registers import (
    archive_transfer_create,
    channel_post_create,
    decision_create,
    fee_collection_create,
    interpretation_create,
    procurement_project_create,
    publication_register_reviewed,
    service_matter_abolish,
    service_matter_create,
)
from gongkai.publications.services.review import (
    check_reviewer,
    may_review,
    publication_approve,
    publication_create,
    publication_reject,
    publication_repeal,
    publication_submit,
    publication_update,
    publication_withdraw,
)

__all__ = [
    "EDITABLE_FIELDS",
    "ActionRefused",
    "archive_transfer_create",
    "attachment_add",
    "attachment_remove",
    "channel_post_create",
    "check_reviewer",
    "decision_create",
    "fee_collection_create",
    "interpretation_create",
    "may_review",
    "procurement_project_create",
    "publication_approve",
    "publication_create",
    "publication_register_reviewed",
    "publication_reject",
    "publication_repeal",
    "publication_submit",
    "publication_update",
    "publication_withdraw",
    "service_matter_abolish",
    "service_matter_create",
    "today",
]
