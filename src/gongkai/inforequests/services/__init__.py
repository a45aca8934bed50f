"""Every write of the inforequests app (DESIGN.md "Writes go through services").

Each function is keyword-only with a mandatory ``actor``, runs in one transaction, refuses what the
statute or the separation of duties forbids (``ValidationError`` / ``PermissionDenied`` with a
Chinese message), records an audit event on the request in the same transaction and queues
notifications to the outbox once the transaction commits. Deadlines come from ``clock`` over the
calendar table; a deadline in a year nobody entered raises ``CalendarUnknown`` rather than guess.
"""

from __future__ import annotations

from gongkai.inforequests.services._common import LAPSE_OUTCOMES, PERSONAL_FIELDS
from gongkai.inforequests.services.consultations import inforequest_pause_end, inforequest_pause_start
from gongkai.inforequests.services.correction import (
    inforequest_correction_lapsed,
    inforequest_receive_correction,
    inforequest_request_correction,
)
from gongkai.inforequests.services.extensions import extension_approve, extension_refuse, extension_request
from gongkai.inforequests.services.fees import fee_lapsed, fee_notify, fee_paid, fee_waive
from gongkai.inforequests.services.intake import inforequest_assign, inforequest_confirm, inforequest_register
from gongkai.inforequests.services.online_correction import inforequest_submit_correction
from gongkai.inforequests.services.records import (
    correction_file_viewed,
    inforequest_recompute_due,
    inforequest_view_personal_data,
)
from gongkai.inforequests.services.released import (
    check_released_files,
    inforequest_set_provision,
    released_file_add,
    released_file_remove,
)
from gongkai.inforequests.services.replies import (
    inforequest_answer,
    inforequest_draft_reply,
    reply_template_update,
    template_values,
)
from gongkai.inforequests.services.review import (
    reply_review_approve,
    reply_review_return,
    reply_submit_for_review,
    review_chain_set,
)

__all__ = [
    "LAPSE_OUTCOMES",
    "PERSONAL_FIELDS",
    "check_released_files",
    "correction_file_viewed",
    "extension_approve",
    "extension_refuse",
    "extension_request",
    "fee_lapsed",
    "fee_notify",
    "fee_paid",
    "fee_waive",
    "inforequest_answer",
    "inforequest_assign",
    "inforequest_confirm",
    "inforequest_correction_lapsed",
    "inforequest_draft_reply",
    "inforequest_pause_end",
    "inforequest_pause_start",
    "inforequest_receive_correction",
    "inforequest_recompute_due",
    "inforequest_register",
    "inforequest_request_correction",
    "inforequest_set_provision",
    "inforequest_submit_correction",
    "inforequest_view_personal_data",
    "released_file_add",
    "released_file_remove",
    "reply_review_approve",
    "reply_review_return",
    "reply_submit_for_review",
    "reply_template_update",
    "review_chain_set",
    "template_values",
]
