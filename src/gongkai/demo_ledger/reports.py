"""The demo's annual-report records: 2019 drafted, 报送 and published as the office did; this year's draft."""

from __future__ import annotations

import datetime as dt
import json

from gongkai.annual_report.demo import EXAMPLES
from gongkai.demo_ledger.office import DemoOffice
from gongkai.reporting import compose
from gongkai.reporting.models import AnnualReportRecord
from gongkai.reporting.services import report_draft_refresh, report_publish, report_submit, report_update_text

SEED_PUBLISHED_ON = dt.date(2020, 1, 19)


def seed_texts() -> dict[str, str]:
    """What the office wrote itself in 2019: 一's paragraphs 3–5, 五 and 六 (from the seed as published)."""
    path = EXAMPLES / "donghuashi-2019-corrected.json"
    if not path.exists():
        return {}
    sections = json.loads(path.read_text(encoding="utf-8"))["sections"]
    paragraphs = [compose.strip_number(p) for p in sections["overview"].splitlines() if p.strip()]
    return {"extra": "\n".join(paragraphs[2:]), "problems": sections["problems"], "other": sections["other"]}


def publish_2019(office: DemoOffice) -> AnnualReportRecord:
    year = 2019
    report_draft_refresh(actor=office.clerk, year=year)
    texts = seed_texts()
    report_update_text(
        actor=office.clerk,
        year=year,
        variant="beijing",
        overview_extra=texts.get("extra", ""),
        problems=texts.get("problems", ""),
        other=texts.get("other", ""),
    )
    report_submit(actor=office.office_head, year=year)
    return report_publish(actor=office.office_head, year=year, published_on=SEED_PUBLISHED_ON)


def draft_current(office: DemoOffice, year: int) -> AnnualReportRecord:
    return report_draft_refresh(actor=office.clerk, year=year)
