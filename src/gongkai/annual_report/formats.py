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
    # Other wording a reader accepts for this column (fragments of a cut or reworded label).
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutcomeGroup:
    """One outcome of Table 三's 三、本年度办理结果: （一）予以公开 … （六）其他处理."""

    key: str  # "refused"
    number: str  # "（三）"
    short_name: str  # "不予公开", as the narrative says it

    @property
    def label(self) -> str:
        """The printed group label, "（三）不予公开"."""
        return self.number + self.short_name


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    # The rowspan group label the row sits under (（三）不予公开 …), or "" for a top-level row.
    group: str = ""
    # Optional local sub-rows (e.g. 其他对外管理服务事项 → 行政检查 / 行政确认).
    optional: bool = False
    # Table 三: the outcome group (OutcomeGroup.key) of an outcome row, "" for any other row.
    group_key: str = ""


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
    variant_label: str = ""  # how a person names a regional variant ("北京"); "" for the national format
    # Derived in __post_init__: outcome group key -> its rows; any known outcome leaf -> its row here.
    _group_rows: dict[str, tuple[Row, ...]] = field(init=False, repr=False, compare=False)
    _outcome_rows: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        group_rows = {
            g.key: tuple(r for r in self.request_rows if r.group_key == g.key) for g in OUTCOME_GROUPS
        }
        outcome_rows = {r.key: r.key for r in self.request_rows if r.group_key}
        for leaf in ALL_OUTCOME_LEAVES:
            rows = group_rows[leaf.group_key]
            if any(r.key == leaf.key for r in rows):
                outcome_rows[leaf.key] = leaf.key
            elif len(rows) == 1:
                # A format that prints the group as one row (2019: （六）其他处理) counts its leaves there.
                outcome_rows[leaf.key] = rows[0].key
        object.__setattr__(self, "_group_rows", group_rows)
        object.__setattr__(self, "_outcome_rows", outcome_rows)

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

    def groups(self) -> tuple[OutcomeGroup, ...]:
        """The outcome groups （一）予以公开 … （六）其他处理, in statutory order."""
        return OUTCOME_GROUPS

    def group_rows(self, key: str) -> tuple[Row, ...]:
        """The rows of outcome group ``key`` in this format ("refused" -> its eight rows; "other" -> the
        one row （六）其他处理 in 2019, its three rows in 2021)."""
        return self._group_rows[key]

    def row_for_outcome(self, leaf: str) -> str | None:
        """The row an outcome ``leaf`` (a ledger's ``Outcome`` value) is counted under in this format:
        the leaf itself, or its group's single row when the format prints the group as one (2019 counts
        （六）1–3 under （六）其他处理). None for what is not an outcome."""
        return self._outcome_rows.get(leaf)

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
# Header words of Table 三 that reports print cut short or in place of the statutory ones (社会公益 for
# 社会公益组织; 数量 / 类别 / 项目 over the label column): known as headers, never taken for rows.
REQUEST_HEADER_ALIASES: tuple[str, ...] = ("社会公益", "法律服务", "数量", "类别", "项目")

GRANTED = OutcomeGroup("granted", "（一）", "予以公开")
PARTIAL = OutcomeGroup("partial", "（二）", "部分公开")
REFUSED = OutcomeGroup("refused", "（三）", "不予公开")
UNAVAILABLE = OutcomeGroup("unavailable", "（四）", "无法提供")
NOT_PROCESSED = OutcomeGroup("not_processed", "（五）", "不予处理")
OTHER = OutcomeGroup("other", "（六）", "其他处理")
OUTCOME_GROUPS: tuple[OutcomeGroup, ...] = (GRANTED, PARTIAL, REFUSED, UNAVAILABLE, NOT_PROCESSED, OTHER)
OUTCOME_GROUP_BY_KEY: dict[str, OutcomeGroup] = {g.key: g for g in OUTCOME_GROUPS}

# The printed labels of the groups whose rows sit under them (rowspan labels).
GROUP_REFUSED = REFUSED.label
GROUP_UNAVAILABLE = UNAVAILABLE.label
GROUP_NOT_PROCESSED = NOT_PROCESSED.label
GROUP_OTHER = OTHER.label

NON_OUTCOME_ROWS = frozenset({"new_received", "carried_over", "total", "carried_forward"})


def _leaf(key: str, label: str, group: OutcomeGroup) -> Row:
    """An outcome row printed under its group's label."""
    return Row(key, label, group=group.label, group_key=group.key)


_HEAD_ROWS: tuple[Row, ...] = (
    Row("new_received", "一、本年新收政府信息公开申请数量"),
    Row("carried_over", "二、上年结转政府信息公开申请数量"),
    Row("granted", GRANTED.label, group=RESULTS_HEADER, group_key=GRANTED.key),
    Row(
        "partial",
        f"{PARTIAL.label}（区分处理的，只计这一情形，不计其他情形）",
        group=RESULTS_HEADER,
        group_key=PARTIAL.key,
    ),
    _leaf("refused.state_secret", "1.属于国家秘密", REFUSED),
    _leaf("refused.law_forbidden", "2.其他法律行政法规禁止公开", REFUSED),
    _leaf("refused.three_securities", "3.危及“三安全一稳定”", REFUSED),
    _leaf("refused.third_party", "4.保护第三方合法权益", REFUSED),
    _leaf("refused.internal", "5.属于三类内部事务信息", REFUSED),
    _leaf("refused.process", "6.属于四类过程性信息", REFUSED),
    _leaf("refused.enforcement", "7.属于行政执法案卷", REFUSED),
    _leaf("refused.query", "8.属于行政查询事项", REFUSED),
    _leaf("unavailable.not_held", "1.本机关不掌握相关政府信息", UNAVAILABLE),
    _leaf("unavailable.needs_creation", "2.没有现成信息需要另行制作", UNAVAILABLE),
    _leaf("unavailable.unclear", "3.补正后申请内容仍不明确", UNAVAILABLE),
    _leaf("not_processed.complaint", "1.信访举报投诉类申请", NOT_PROCESSED),
    _leaf("not_processed.repeated", "2.重复申请", NOT_PROCESSED),
    _leaf("not_processed.publication", "3.要求提供公开出版物", NOT_PROCESSED),
    _leaf("not_processed.excessive", "4.无正当理由大量反复申请", NOT_PROCESSED),
    _leaf("not_processed.confirm", "5.要求行政机关确认或重新出具已获取信息", NOT_PROCESSED),
)
_TAIL_ROWS: tuple[Row, ...] = (
    Row("total", "（七）总计", group=RESULTS_HEADER),
    Row("carried_forward", "四、结转下年度继续办理"),
)

REQUEST_ROWS_2019: tuple[Row, ...] = (
    *_HEAD_ROWS,
    Row("other", OTHER.label, group=RESULTS_HEADER, group_key=OTHER.key),
    *_TAIL_ROWS,
)
REQUEST_ROWS_2021: tuple[Row, ...] = (
    *_HEAD_ROWS,
    _leaf("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", OTHER),
    _leaf(
        "other.unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", OTHER
    ),
    _leaf("other.other", "3.其他", OTHER),
    *_TAIL_ROWS,
)

# Wording some offices print instead of a statutory Table 三 row label: (row key, wording).
REQUEST_ROW_ALIASES: tuple[tuple[str, str], ...] = (("total", "（七）合计"),)

# Every outcome leaf a ledger can record (the 2021 rows: 2019 only collapses （六）1–3 into one row).
ALL_OUTCOME_LEAVES: tuple[Row, ...] = tuple(r for r in REQUEST_ROWS_2021 if r.group_key)


def outcome_leaf_keys(key: str) -> tuple[str, ...]:
    """The ledger outcomes ``key`` selects: a group's leaves ("refused" -> its eight), else ``key`` itself."""
    return tuple(r.key for r in ALL_OUTCOME_LEAVES if r.group_key == key) or (key,)


def outcome_title(row: Row) -> str:
    """An outcome row's name standing alone (a ledger's choice label): a numbered leaf such as
    "1.属于国家秘密" only makes sense after its group, "（三）不予公开 1.属于国家秘密"."""
    return f"{row.group} {row.label}" if row.group != RESULTS_HEADER else row.label


# Outcome groups as the narrative names them: group key -> short name ("refused" -> "不予公开").
OUTCOME_GROUP_LABELS: dict[str, str] = {g.key: g.short_name for g in OUTCOME_GROUPS}

APPEAL_GROUPS: tuple[Column, ...] = (
    Column("review", "行政复议"),
    # Reports print the direct suit cut or reworded (直接起诉, 未经复议起诉): either half names it.
    Column("litigation_direct", "未经复议直接起诉", aliases=("未经复议", "直接起诉")),
    Column("litigation_after_review", "复议后起诉"),
)
APPEAL_COLUMNS: tuple[Column, ...] = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)
APPEAL_OUTCOME_KEYS: tuple[str, ...] = tuple(c.key for c in APPEAL_COLUMNS if c.key != "total")
LITIGATION_HEADER = "行政诉讼"
# The Table 四 groups printed under the 行政诉讼 header.
LITIGATION_GROUPS: frozenset[str] = frozenset({"litigation_direct", "litigation_after_review"})


def appeal_group_title(group: Column) -> str:
    """A Table 四 group's full name: "行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"."""
    return f"{LITIGATION_HEADER}（{group.label}）" if group.key in LITIGATION_GROUPS else group.label


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
        variant_label="北京",
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


# Row wording printed in only one format's tables (fragments of its row labels, short enough to survive
# a label cut by a line break); with the Table 二 column labels, how a reader tells the formats apart.
_MARKER_WORDS: dict[str, tuple[str, ...]] = {
    "2021": ("逾期不补正", "逾期未按收费通知", "行政规范性文件"),
    "2019": ("政府集中采购",),
}
# The Beijing variant's unit note of 采购总金额 (the note may be cut by a line break inside its cell).
BEIJING_MARKER = "保留四位"


def _labels_of(format_id: str) -> list[str]:
    fmts = [f for (fid, _v), f in FORMATS.items() if fid == format_id]
    labels = [c.label for f in fmts for b in f.proactive for c in b.columns]
    labels += [r.label for f in fmts for b in f.proactive for r in b.rows]
    return labels + [r.label for f in fmts for r in f.request_rows]


def format_markers(format_id: str) -> tuple[str, ...]:
    """Wording printed only in ``format_id``'s tables (statute.md §2.3–2.4): its Table 二 column labels
    without their unit note that no label of another format contains (with 本年增／减's full-width
    slash), and its row wording."""
    others = [label for fid in {f for f, _v in FORMATS} - {format_id} for label in _labels_of(fid)]
    columns = dict.fromkeys(
        c.label.split("（")[0]
        for (fid, _v), f in FORMATS.items()
        if fid == format_id
        for b in f.proactive
        for c in b.columns
    )
    own = [c for c in columns if not any(c in label for label in others)]
    own += [c.replace("/", "／") for c in own if "/" in c]
    return (*own, *_MARKER_WORDS[format_id])


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
