"""``{% case_service_records req %}``: the 送达 records of a case, for the case page."""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.delivery import selectors

register = template.Library()


@register.inclusion_tag("delivery/_case_records.html")
def case_service_records(req: Any) -> dict[str, Any]:
    return {
        "records": list(selectors.case_service_records(req)),
        "pending": req.postal_items.filter(sent_on__isnull=True).count(),
    }
