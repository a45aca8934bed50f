"""Step one of the annual report: the ledger's figures of a year, from a fixed set of aggregate queries.

Every figure comes from one ``GROUP BY`` (or plain aggregate) per ledger table, whatever the volume;
Python only folds the few grouped rows (at most applicant types × outcomes) into the statutory tables.
``compose`` turns the resulting ``LedgerFigures`` into the report. Semantics (issue 4 contract):

- Table 三: 新收 = received_on in the year; 上年结转 = received before 1 Jan and still open on 1 Jan;
  outcome rows = closed_on in the year by applicant type and outcome (the 2019 format collapses
  （六）1–3 into （六）其他处理); 结转下年度 = received by 31 Dec and still open after it.
- Table 四: appeals filed in the year, by kind and their result as of 31 Dec (decided later: 尚未审结).
- Table 二 (2019): 规章/规范性文件 made (formed_on), newly published (published_on) and in force on
  31 Dec; 事项 in the catalogue before 1 Jan and the year's net change; decisions in the year;
  procurement projects contracted in the year. (2021): issued, repealed, in force; decisions; fees.
- Section 一: publications, channel posts, interpretations and archive transfers of the year; 区长信箱
  letters received in the year and, of those, completed by 31 Dec (``engagement.selectors``); hot-topic
  responses given in the year (those on 政务微博/微信 are also the 微博微信回应事件) and 督查督办 tasks
  completed in the year (``responsiveness``). One aggregate query per source table.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import ExtractMonth

from gongkai.annual_report.formats import (
    APPEAL_COLUMNS,
    APPEAL_GROUPS,
    APPEAL_OUTCOME_KEYS,
    APPLICANT_KEYS,
    ReportFormat,
)
from gongkai.annual_report.model import Cell, TableData
from gongkai.core.choices import AppealResult

_MONEY = Decimal("0.0001")
_ZERO_MONEY = Decimal("0.0000")
# The 2019 format's 其他对外管理服务事项 and its local sub-rows, by 事项 kind.
_OTHER_SERVICES = {
    "art20_5.other_services.inspection": ("inspection",),
    "art20_5.other_services.confirmation": ("confirmation",),
}
_MATTER_ROWS_2019 = {
    "art20_5.licensing": ("licensing",),
    "art20_5.other_services": ("inspection", "confirmation"),
    **_OTHER_SERVICES,
    "art20_6.penalty": ("penalty",),
    "art20_6.enforcement": ("enforcement",),
    "art20_8.fees": ("fee_item",),
}
_DECISION_ROWS_2021 = {
    "art20_5.licensing": ("licensing",),
    "art20_6.penalty": ("penalty",),
    "art20_6.enforcement": ("enforcement",),
}
_DOC_KINDS = {"art20_1.rules": "rules", "art20_1.normative_documents": "normative_documents"}


# -- the figures: plain values, so the prose can be tested on hand-made numbers ----------------------


@dataclass(frozen=True)
class ArchiveRecipient:
    name: str
    copies: int
    transfers: int
    months: int  # distinct calendar months with a transfer to this recipient
    first_on: str  # ISO date of the first transfer in the year


@dataclass(frozen=True)
class LedgerFigures:
    year: int
    format: str  # "2019" | "2021"
    organisation: str
    organisation_kind: str  # OrganisationKind value
    # What section 一 calls the mailbox (区长信箱, 主任信箱 …): Organisation.mailbox_title.
    mailbox_name: str = "区长信箱"
    # Section 一: proactive disclosure.
    items_published: int = 0
    key_area_items: int = 0
    posts: dict[str, int] = field(default_factory=dict)  # PostChannel value -> posts in the year
    interpretations: int = 0
    # In the order of the year's first transfers, as staff listed them.
    archive: tuple[ArchiveRecipient, ...] = ()
    # Section 一: mailbox letters received in the year, and of those the ones completed by 31 Dec.
    letters_received: int = 0
    letters_completed: int = 0
    # Section 一: 回应公众关注热点或重大舆情 (all responses), 微博微信回应事件 (those given on 政务微博/微信),
    # 完成区委区政府督查督办 (tasks completed in the year).
    hot_topic_responses: int = 0
    social_responses: int = 0
    supervision_completed: int = 0
    # Tables 二, 三 and 四 in the report's format.
    proactive: TableData = field(default_factory=dict)
    requests: TableData = field(default_factory=dict)
    appeals: TableData = field(default_factory=dict)
    # 信息处理费 actually paid in the year, in 元 (A14 and the drafted 六 of a 2021-format report).
    fees_paid_yuan: Decimal = Decimal(0)
    # Cases closed in the year without an outcome: they cannot be placed in Table 三 (A1 shows the gap).
    closed_without_outcome: int = 0

    @property
    def archive_copies(self) -> int:
        return sum(r.copies for r in self.archive)

    def request_total(self, row: str, column: str = "total") -> int:
        value = self.requests.get(row, {}).get(column)
        return value if isinstance(value, int) else 0

    def appeal_total(self, group: str, column: str = "total") -> int:
        value = self.appeals.get(group, {}).get(column)
        return value if isinstance(value, int) else 0


# -- the public queries -------------------------------------------------------------------------------


def ledger_figures(year: int, fmt: ReportFormat, *, split_other_services: bool = True) -> LedgerFigures:
    """Every figure of the year, from a fixed number of aggregate queries."""
    from gongkai.org.selectors import get_organisation

    org = get_organisation()
    first, last = _bounds(year)
    items, key_area = _published_items(first, last)
    requests, closed_without_outcome = requests_table(year, fmt)
    engagement = engagement_figures(year)
    return LedgerFigures(
        year=year,
        format=fmt.id,
        organisation=org.name,
        organisation_kind=org.kind,
        mailbox_name=org.mailbox_title,
        items_published=items,
        key_area_items=key_area,
        posts=_posts(first, last),
        interpretations=_interpretations(first, last),
        archive=_archive(first, last),
        letters_received=engagement.letters_received,
        letters_completed=engagement.letters_completed,
        hot_topic_responses=engagement.responses,
        social_responses=engagement.social_responses,
        supervision_completed=engagement.supervision_completed,
        proactive=_proactive_table(fmt, first, last, split_other_services),
        requests=requests,
        closed_without_outcome=closed_without_outcome,
        appeals=_appeals_table(first, last),
        fees_paid_yuan=fees_paid(year),
    )


@dataclass(frozen=True)
class EngagementFigures:
    responses: int
    social_responses: int
    supervision_completed: int
    letters_received: int
    letters_completed: int


def engagement_figures(year: int) -> EngagementFigures:
    """Section 一's figures of the office's engagement with the public: three aggregate queries (the
    responses, the 督查督办 tasks, the mailbox letters). ``bench/responsiveness_rollup.py`` times it."""
    from gongkai.engagement.selectors import letters_summary

    first, last = _bounds(year)
    responses, social = _responses(first, last)
    received, completed = letters_summary(year)
    return EngagementFigures(responses, social, _supervision_completed(first, last), received, completed)


def requests_table(year: int, fmt: ReportFormat) -> tuple[TableData, int]:
    """Table 三 of ``year`` from one GROUP BY applicant_type, outcome over the cases alive during the year,
    and the number of cases closed in the year without an outcome (which no row can hold).

    Also what A16 compares a submitted or published report's Table 三 with."""
    from gongkai.inforequests.models import InfoRequest

    first, last = _bounds(year)
    rows = (
        InfoRequest.objects.filter(received_on__lte=last)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        .values("applicant_type", "outcome")
        .annotate(
            new=Count("id", filter=Q(received_on__gte=first)),
            carried_over=Count("id", filter=Q(received_on__lt=first)),
            closed=Count("id", filter=Q(closed_on__lte=last)),
            carried_forward=Count("id", filter=Q(closed_on__isnull=True) | Q(closed_on__gt=last)),
        )
        .order_by()
    )
    table_rows = [r.key for r in fmt.request_rows]
    counts: dict[str, dict[str, int]] = {row: dict.fromkeys(APPLICANT_KEYS, 0) for row in table_rows}
    unplaced = 0
    for r in rows:
        applicant = r["applicant_type"]
        if applicant not in APPLICANT_KEYS:
            applicant = "other"
        for row in ("new", "carried_over", "carried_forward"):
            target = "new_received" if row == "new" else row
            counts[target][applicant] += r[row]
        if not r["closed"]:
            continue
        leaf = fmt.row_for_outcome(r["outcome"]) if r["outcome"] is not None else None
        if leaf is None:
            unplaced += r["closed"]
            continue
        counts[leaf][applicant] += r["closed"]
        counts["total"][applicant] += r["closed"]
    table: TableData = {}
    for row in table_rows:
        cells: dict[str, Cell] = dict(counts[row])
        cells["total"] = sum(counts[row].values())
        table[row] = cells
    return table, unplaced


def fees_paid(year: int) -> Decimal:
    """信息处理费 actually paid in ``year``, in 元 (waived fees excluded)."""
    from gongkai.inforequests.models import Fee

    first, last = _bounds(year)
    total = Fee.objects.filter(paid_on__range=(first, last), waived=False).aggregate(s=Sum("amount_yuan"))[
        "s"
    ]
    return total if total is not None else Decimal(0)


# -- the private aggregates of ``ledger_figures`` ---------------------------------------------------


def _published_items(first: dt.date, last: dt.date) -> tuple[int, int]:
    from gongkai.publications.models import Publication

    row = Publication.objects.filter(published_on__range=(first, last)).aggregate(
        items=Count("id"), key_area=Count("id", filter=Q(key_area=True))
    )
    return row["items"], row["key_area"]


def _posts(first: dt.date, last: dt.date) -> dict[str, int]:
    from gongkai.publications.models import ChannelPost

    rows = (
        ChannelPost.objects.filter(posted_on__range=(first, last))
        .values("channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["channel"]: r["n"] for r in rows}


def _interpretations(first: dt.date, last: dt.date) -> int:
    from gongkai.publications.models import PolicyInterpretation

    return PolicyInterpretation.objects.filter(published_on__range=(first, last)).aggregate(n=Count("id"))[
        "n"
    ]


def _responses(first: dt.date, last: dt.date) -> tuple[int, int]:
    """(responses, of which on 政务微博/微信) given in the year: one aggregate."""
    from gongkai.responsiveness.models import HotTopicResponse
    from gongkai.responsiveness.selectors import SOCIAL_CHANNELS

    row = HotTopicResponse.objects.filter(responded_on__range=(first, last)).aggregate(
        n=Count("id"), social=Count("id", filter=Q(channel__in=SOCIAL_CHANNELS))
    )
    return row["n"], row["social"]


def _supervision_completed(first: dt.date, last: dt.date) -> int:
    from gongkai.responsiveness.models import SupervisionTask

    return SupervisionTask.objects.filter(completed_on__range=(first, last)).aggregate(n=Count("id"))["n"]


def _archive(first: dt.date, last: dt.date) -> tuple[ArchiveRecipient, ...]:
    from gongkai.publications.models import ArchiveTransfer

    rows = (
        ArchiveTransfer.objects.filter(transferred_on__range=(first, last))
        .values("recipient")
        .annotate(
            copies=Sum("copies"),
            transfers=Count("id"),
            months=Count(ExtractMonth("transferred_on"), distinct=True),
            first_on=Min("transferred_on"),
            first_id=Min("id"),
        )
        .order_by()
    )
    return tuple(
        ArchiveRecipient(
            r["recipient"], r["copies"] or 0, r["transfers"], r["months"], r["first_on"].isoformat()
        )
        for r in sorted(rows, key=lambda r: (r["first_on"], r["first_id"]))
    )


def _appeals_table(first: dt.date, last: dt.date) -> TableData:
    from gongkai.appeals.models import Appeal

    rows = (
        Appeal.objects.filter(filed_on__range=(first, last))
        .values("kind", "result")
        .annotate(n=Count("id"), decided=Count("id", filter=Q(decided_on__lte=last)))
        .order_by()
    )
    table: dict[str, dict[str, int]] = {g.key: dict.fromkeys(APPEAL_OUTCOME_KEYS, 0) for g in APPEAL_GROUPS}
    for r in rows:
        group = table.get(r["kind"])
        if group is None:
            continue
        if r["result"] in APPEAL_OUTCOME_KEYS and r["result"] != AppealResult.PENDING:
            # Decided after 31 Dec: still pending as far as this year's report is concerned.
            group[r["result"]] += r["decided"]
            group["pending"] += r["n"] - r["decided"]
        else:
            group["pending"] += r["n"]
    out: TableData = {}
    for key, group in table.items():
        cells: dict[str, Cell] = {c.key: group.get(c.key, 0) for c in APPEAL_COLUMNS if c.key != "total"}
        cells["total"] = sum(group.values())
        out[key] = cells
    return out


def _proactive_table(
    fmt: ReportFormat, first: dt.date, last: dt.date, split_other_services: bool
) -> TableData:
    docs = _documents(first, last)
    matters = _matters(first, last)
    decisions = _decisions(first, last)
    projects, amount = _procurement(first, last)
    fees_wan = _fees_collected(first, last)
    table: TableData = {}
    for block in fmt.proactive:
        columns = {c.key for c in block.columns}
        for row in block.rows:
            if fmt.id == "2019" and row.key.startswith("art20_5.other_services"):
                wants_sub_rows = row.optional
                if wants_sub_rows != split_other_services:
                    continue
            cells: dict[str, Cell] = {}
            if block.item == "art20_1":
                doc = docs.get(_DOC_KINDS[row.key], {})
                for key in columns:
                    cells[key] = doc.get(key, 0)
            elif block.item == "art20_9":
                cells = {"projects": projects, "amount_wan": amount}
            elif fmt.id == "2019":
                kinds = _MATTER_ROWS_2019[row.key]
                cells["previous"] = sum(matters[k]["previous"] for k in kinds)
                cells["change"] = sum(matters[k]["change"] for k in kinds)
                if "decisions" in columns:
                    cells["decisions"] = sum(decisions[k] for k in kinds)
            elif block.item == "art20_8":
                cells = {"amount_wan": fees_wan}
            else:
                cells = {"decisions": sum(decisions[k] for k in _DECISION_ROWS_2021[row.key])}
            table[row.key] = {c.key: cells[c.key] for c in block.columns}
    return table


def _documents(first: dt.date, last: dt.date) -> dict[str, dict[str, int]]:
    """第二十条第（一）项: one GROUP BY doc_kind over 规章 and 规范性文件."""
    from gongkai.publications.models import Publication

    not_gone = (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=last)) & (
        Q(repealed_on__isnull=True) | Q(repealed_on__gt=last)
    )
    rows = (
        Publication.objects.filter(category="art20_1", doc_kind__in=list(_DOC_KINDS.values()))
        .filter(Q(formed_on__lte=last) | Q(published_on__lte=last))
        .values("doc_kind")
        .annotate(
            made=Count("id", filter=Q(formed_on__range=(first, last))),
            published=Count("id", filter=Q(published_on__range=(first, last))),
            total=Count("id", filter=Q(published_on__lte=last) & not_gone),
            repealed=Count("id", filter=Q(repealed_on__range=(first, last))),
        )
        .order_by()
    )
    out = {}
    for r in rows:
        kind = r.pop("doc_kind")
        # 2021 wording of the same facts: 本年制发 = made in the year, 现行有效 = in force on 31 Dec.
        r["issued"], r["in_force"] = r["made"], r["total"]
        out[kind] = r
    return out


def _matters(first: dt.date, last: dt.date) -> dict[str, dict[str, int]]:
    from gongkai.publications.models import ServiceMatter

    rows = (
        ServiceMatter.objects.filter(established_on__lte=last)
        .values("kind")
        .annotate(
            previous=Count(
                "id",
                filter=Q(established_on__lt=first)
                & (Q(abolished_on__isnull=True) | Q(abolished_on__gte=first)),
            ),
            established=Count("id", filter=Q(established_on__gte=first)),
            abolished=Count("id", filter=Q(abolished_on__range=(first, last))),
        )
        .order_by()
    )
    out: dict[str, dict[str, int]] = defaultdict(lambda: {"previous": 0, "change": 0})
    for r in rows:
        out[r["kind"]] = {"previous": r["previous"], "change": r["established"] - r["abolished"]}
    return out


def _decisions(first: dt.date, last: dt.date) -> dict[str, int]:
    from gongkai.publications.models import AdministrativeDecision

    rows = (
        AdministrativeDecision.objects.filter(decided_on__range=(first, last))
        .values("kind")
        .annotate(n=Sum("count"))
        .order_by()
    )
    out: dict[str, int] = defaultdict(int)
    for r in rows:
        out[r["kind"]] = r["n"] or 0
    return out


def _procurement(first: dt.date, last: dt.date) -> tuple[int, Decimal]:
    from gongkai.publications.models import ProcurementProject

    row = ProcurementProject.objects.filter(contracted_on__range=(first, last)).aggregate(
        n=Count("id"), amount=Sum("amount_wan")
    )
    return row["n"], _money(row["amount"])


def _fees_collected(first: dt.date, last: dt.date) -> Decimal:
    from gongkai.publications.models import FeeCollection

    row = FeeCollection.objects.filter(collected_on__range=(first, last)).aggregate(amount=Sum("amount_wan"))
    return _money(row["amount"])


def _money(value: Decimal | None) -> Decimal:
    return _ZERO_MONEY if value is None else Decimal(value).quantize(_MONEY)


def _bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
