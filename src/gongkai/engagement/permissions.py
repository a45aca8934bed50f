"""Who may see and act on which letter: ``org.access`` permissions, scoped to the 科室 a letter went to.

- The mailbox office (``LETTER_HANDLE``: 公开办, its head, the 主管主任) sees every letter, replies,
  completes, publishes, and (``LETTER_FORWARD``) 转办s a letter to a 科室 or recalls it.
- A 科室's staff and head (``LETTER_DEPARTMENT_ANSWER``) see the letters 转办 to their own 科室 (not a
  recalled 转办) and answer those; the writer's contact details stay masked for them.
- The auditor (``LETTER_VIEW``) reads everything and changes nothing.
"""

from __future__ import annotations

from typing import Any

from gongkai.engagement.models import Forwarding, Letter
from gongkai.org.access import Permission, can
from gongkai.org.selectors import user_department


def in_forwarded_department(user: Any, forwarding: Forwarding) -> bool:
    dept = user_department(user)
    return dept is not None and dept.pk == forwarding.department_id


def can_answer(user: Any, forwarding: Forwarding) -> bool:
    return can(user, Permission.LETTER_DEPARTMENT_ANSWER) and in_forwarded_department(user, forwarding)


def can_view(user: Any, letter: Letter) -> bool:
    if can(user, Permission.LETTER_VIEW):
        return True
    dept = user_department(user)
    if dept is None or not can(user, Permission.LETTER_DEPARTMENT_ANSWER):
        return False
    return letter.forwardings.filter(department=dept, recalled_at__isnull=True).exists()
