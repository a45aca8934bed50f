"""The statutory annual-report formats as data.

Two national formats exist: ``2019`` (国办公开办函〔2019〕60号, report years 2019–2020) and ``2021``
(国办公开办函〔2021〕30号, report years 2021 onward). The ``beijing`` variant of 2019 only changes the
unit note of 采购总金额. Every label here is the statutory wording (shared/spec/statute.md §1–2); the
keys are the data contract of DESIGN.md and are shared with the ledger, parsers and renderers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

CellKind = Literal["count", "signed", "money"]


class UnknownFormat(ValueError):
    """A format id or variant that gongkai does not know."""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: CellKind = "count"


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    # The rowspan group label the row sits under (（三）不予公开 …), or "" for a top-level row.
    group: str = ""
    # Optional local sub-rows (e.g. 其他对外管理服务事项 → 行政检查 / 行政确认).
    optional: bool = False


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProactiveBlock:
    """One sub-table of Table 二, captioned 第二十条第（X）项."""

    item: str  # "art20_1"
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class ReportFormat:
    id: str
    variant: str
    title: str
    sections: tuple[Section, ...]
    proactive: tuple[ProactiveBlock, ...]
    request_rows: tuple[Row, ...]
    request_columns: tuple[Column, ...] = field(default=())
    appeal_groups: tuple[Column, ...] = field(default=())
    appeal_columns: tuple[Column, ...] = field(default=())

    # -- lookups ---------------------------------------------------------------------------------
    def proactive_row(self, key: str) -> tuple[ProactiveBlock, Row]:
        for block in self.proactive:
            for row in block.rows:
                if row.key == key:
                    return block, row
        raise KeyError(key)

    def proactive_row_keys(self, include_optional: bool = True) -> list[str]:
        return [r.key for b in self.proactive for r in b.rows if include_optional or not r.optional]

    def request_row(self, key: str) -> Row:
        for row in self.request_rows:
            if row.key == key:
                return row
        raise KeyError(key)

    @property
    def outcome_leaves(self) -> tuple[Row, ...]:
        """The leaf rows whose sum is （七）总计 (A3)."""
        return tuple(r for r in self.request_rows if r.key not in NON_OUTCOME_ROWS)

    def column_label(self, key: str) -> str:
        for c in self.request_columns:
            if c.key == key:
                return c.label
        raise KeyError(key)


# -- shared vocabulary ----------------------------------------------------------------------------

SECTIONS: tuple[Section, ...] = (
    Section("overview", "一、总体情况"),
    Section("proactive", "二、主动公开政府信息情况"),
    Section("requests", "三、收到和处理政府信息公开申请情况"),
    Section("appeals", "四、政府信息公开行政复议、行政诉讼情况"),
    Section(
        "problems",
        "五、存在的主要问题及改进情况",
        aliases=("五、政府信息公开工作存在的主要问题及改进情况",),
    ),
    Section("other", "六、其他需要报告的事项"),
)
SECTION_KEYS: tuple[str, ...] = tuple(s.key for s in SECTIONS)
TEXT_SECTION_KEYS: tuple[str, ...] = ("overview", "problems", "other")

APPLICANT_COLUMNS: tuple[Column, ...] = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("public_interest", "社会公益组织"),
    Column("legal_service", "法律服务机构"),
    Column("other", "其他"),
    Column("total", "总计"),
)
APPLICANT_KEYS: tuple[str, ...] = tuple(c.key for c in APPLICANT_COLUMNS[:-1])
REQUEST_COLUMN_KEYS: tuple[str, ...] = tuple(c.key for c in APPLICANT_COLUMNS)
APPLICANT_HEADER = "申请人情况"
LEGAL_PERSONS_HEADER = "法人或其他组织"
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
RESULTS_HEADER = "三、本年度办理结果"

GROUP_REFUSED = "（三）不予公开"
GROUP_UNAVAILABLE = "（四）无法提供"
GROUP_NOT_PROCESSED = "（五）不予处理"
GROUP_OTHER = "（六）其他处理"

NON_OUTCOME_ROWS = frozenset({"new_received", "carried_over", "total", "carried_forward"})

_HEAD_ROWS: tuple[Row, ...] = (
    Row("new_received", "一、本年新收政府信息公开申请数量"),
    Row("carried_over", "二、上年结转政府信息公开申请数量"),
    Row("granted", "（一）予以公开", group=RESULTS_HEADER),
    Row("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", group=RESULTS_HEADER),
    Row("refused.state_secret", "1.属于国家秘密", group=GROUP_REFUSED),
    Row("refused.law_forbidden", "2.其他法律行政法规禁止公开", group=GROUP_REFUSED),
    Row("refused.three_securities", "3.危及“三安全一稳定”", group=GROUP_REFUSED),
    Row("refused.third_party", "4.保护第三方合法权益", group=GROUP_REFUSED),
    Row("refused.internal", "5.属于三类内部事务信息", group=GROUP_REFUSED),
    Row("refused.process", "6.属于四类过程性信息", group=GROUP_REFUSED),
    Row("refused.enforcement", "7.属于行政执法案卷", group=GROUP_REFUSED),
    Row("refused.query", "8.属于行政查询事项", group=GROUP_REFUSED),
    Row("unavailable.not_held", "1.本机关不掌握相关政府信息", group=GROUP_UNAVAILABLE),
    Row("unavailable.needs_creation", "2.没有现成信息需要另行制作", group=GROUP_UNAVAILABLE),
    Row("unavailable.unclear", "3.补正后申请内容仍不明确", group=GROUP_UNAVAILABLE),
    Row("not_processed.complaint", "1.信访举报投诉类申请", group=GROUP_NOT_PROCESSED),
    Row("not_processed.repeated", "2.重复申请", group=GROUP_NOT_PROCESSED),
    Row("not_processed.publication", "3.要求提供公开出版物", group=GROUP_NOT_PROCESSED),
    Row("not_processed.excessive", "4.无正当理由大量反复申请", group=GROUP_NOT_PROCESSED),
    Row("not_processed.confirm", "5.要求行政机关确认或重新出具已获取信息", group=GROUP_NOT_PROCESSED),
)
_TAIL_ROWS: tuple[Row, ...] = (
    Row("total", "（七）总计", group=RESULTS_HEADER),
    Row("carried_forward", "四、结转下年度继续办理"),
)

REQUEST_ROWS_2019: tuple[Row, ...] = (
    *_HEAD_ROWS,
    Row("other", "（六）其他处理", group=RESULTS_HEADER),
    *_TAIL_ROWS,
)
REQUEST_ROWS_2021: tuple[Row, ...] = (
    *_HEAD_ROWS,
    Row(
        "other.no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        group=GROUP_OTHER,
    ),
    Row(
        "other.unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        group=GROUP_OTHER,
    ),
    Row("other.other", "3.其他", group=GROUP_OTHER),
    *_TAIL_ROWS,
)

# Outcome groups as printed (for narrative checks and renderers): group key -> its leaf keys.
OUTCOME_GROUP_LABELS: dict[str, str] = {
    "granted": "予以公开",
    "partial": "部分公开",
    "refused": "不予公开",
    "unavailable": "无法提供",
    "not_processed": "不予处理",
    "other": "其他处理",
}

APPEAL_GROUPS: tuple[Column, ...] = (
    Column("review", "行政复议"),
    Column("litigation_direct", "未经复议直接起诉"),
    Column("litigation_after_review", "复议后起诉"),
)
APPEAL_COLUMNS: tuple[Column, ...] = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)
APPEAL_OUTCOME_KEYS: tuple[str, ...] = ("upheld", "corrected", "other", "pending")
LITIGATION_HEADER = "行政诉讼"

# -- Table 二 --------------------------------------------------------------------------------------

_PREV_CHANGE_DECISIONS = (
    Column("previous", "上一年项目数量"),
    Column("change", "本年增/减", kind="signed"),
    Column("decisions", "处理决定数量"),
)


def _proactive_2019(amount_label: str) -> tuple[ProactiveBlock, ...]:
    return (
        ProactiveBlock(
            "art20_1",
            "第二十条第（一）项",
            (
                Column("made", "本年新制作数量"),
                Column("published", "本年新公开数量"),
                Column("total", "对外公开总数量"),
            ),
            (Row("art20_1.rules", "规章"), Row("art20_1.normative_documents", "规范性文件")),
        ),
        ProactiveBlock(
            "art20_5",
            "第二十条第（五）项",
            _PREV_CHANGE_DECISIONS,
            (
                Row("art20_5.licensing", "行政许可"),
                Row("art20_5.other_services", "其他对外管理服务事项"),
                Row(
                    "art20_5.other_services.inspection",
                    "行政检查",
                    group="其他对外管理服务事项",
                    optional=True,
                ),
                Row(
                    "art20_5.other_services.confirmation",
                    "行政确认",
                    group="其他对外管理服务事项",
                    optional=True,
                ),
            ),
        ),
        ProactiveBlock(
            "art20_6",
            "第二十条第（六）项",
            _PREV_CHANGE_DECISIONS,
            (Row("art20_6.penalty", "行政处罚"), Row("art20_6.enforcement", "行政强制")),
        ),
        ProactiveBlock(
            "art20_8",
            "第二十条第（八）项",
            _PREV_CHANGE_DECISIONS[:2],
            (Row("art20_8.fees", "行政事业性收费"),),
        ),
        ProactiveBlock(
            "art20_9",
            "第二十条第（九）项",
            (Column("projects", "采购项目数量"), Column("amount_wan", amount_label, kind="money")),
            (Row("art20_9.procurement", "政府集中采购"),),
        ),
    )


PROACTIVE_2021: tuple[ProactiveBlock, ...] = (
    ProactiveBlock(
        "art20_1",
        "第二十条第（一）项",
        (
            Column("issued", "本年制发件数"),
            Column("repealed", "本年废止件数"),
            Column("in_force", "现行有效件数"),
        ),
        (Row("art20_1.rules", "规章"), Row("art20_1.normative_documents", "行政规范性文件")),
    ),
    ProactiveBlock(
        "art20_5",
        "第二十条第（五）项",
        (Column("decisions", "本年处理决定数量"),),
        (Row("art20_5.licensing", "行政许可"),),
    ),
    ProactiveBlock(
        "art20_6",
        "第二十条第（六）项",
        (Column("decisions", "本年处理决定数量"),),
        (Row("art20_6.penalty", "行政处罚"), Row("art20_6.enforcement", "行政强制")),
    ),
    ProactiveBlock(
        "art20_8",
        "第二十条第（八）项",
        (Column("amount_wan", "本年收费金额（单位：万元）", kind="money"),),
        (Row("art20_8.fees", "行政事业性收费"),),
    ),
)

PROACTIVE_CONTENT_HEADER = "信息内容"

TITLE = "政府信息公开工作年度报告"

FORMATS: dict[tuple[str, str], ReportFormat] = {
    ("2019", "national"): ReportFormat(
        id="2019",
        variant="national",
        title="中华人民共和国政府信息公开工作年度报告格式（试行）（国办公开办函〔2019〕60号）",
        sections=SECTIONS,
        proactive=_proactive_2019("采购总金额"),
        request_rows=REQUEST_ROWS_2019,
        request_columns=APPLICANT_COLUMNS,
        appeal_groups=APPEAL_GROUPS,
        appeal_columns=APPEAL_COLUMNS,
    ),
    ("2019", "beijing"): ReportFormat(
        id="2019",
        variant="beijing",
        title="中华人民共和国政府信息公开工作年度报告格式（试行）（国办公开办函〔2019〕60号，北京）",
        sections=SECTIONS,
        proactive=_proactive_2019("采购总金额（万元，保留四位小数）"),
        request_rows=REQUEST_ROWS_2019,
        request_columns=APPLICANT_COLUMNS,
        appeal_groups=APPEAL_GROUPS,
        appeal_columns=APPEAL_COLUMNS,
    ),
    ("2021", "national"): ReportFormat(
        id="2021",
        variant="national",
        title="中华人民共和国政府信息公开工作年度报告格式（国办公开办函〔2021〕30号）",
        sections=SECTIONS,
        proactive=PROACTIVE_2021,
        request_rows=REQUEST_ROWS_2021,
        request_columns=APPLICANT_COLUMNS,
        appeal_groups=APPEAL_GROUPS,
        appeal_columns=APPEAL_COLUMNS,
    ),
}


def get_format(format_id: str, variant: str = "national") -> ReportFormat:
    try:
        return FORMATS[(format_id, variant)]
    except KeyError:
        known = ", ".join(f"{f}/{v}" for f, v in FORMATS)
        raise UnknownFormat(f"未知的年度报告格式 {format_id}/{variant}（已知：{known}）") from None


# The first report year of the statutory formats (国办公开办函〔2019〕60号): earlier reports used another one.
FIRST_FORMAT_YEAR = 2019


def format_for_year(year: int) -> str:
    """The format a report year must use (A9): 2019 for 2019–2020, 2021 from 2021 on."""
    if year < FIRST_FORMAT_YEAR:
        raise UnknownFormat(f"{year} 年度报告早于 2019 年新格式，gongkai 不支持")
    return "2019" if year <= 2020 else "2021"
