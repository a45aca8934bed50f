"""The consistency rule catalogue of the annual report (shared/spec/statute.md §1.6 and §5.3).

``check_report`` runs every rule that the given information allows (A5, A6's continuity, A13 and A15's
comparison need last year's report, A12 a publication date, A14's amount the ledger's fee total, A16
the ledger's Table 三 recomputed from the case records; A13 between the reports of one batch is
``similarity.batch_reuse``, run by ``gongkai audit``) and returns the findings sorted by rule, then by
the position of the cell in the statutory format. Rule ids are stable.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gongkai.annual_report.formats import UnknownFormat, get_format
from gongkai.annual_report.model import AnnualReport, TableData

from .arithmetic import check_appeal_sums, check_balance, check_outcome_sum, check_row_sums
from .base import Cells, Finding
from .continuity import check_carry_over, check_proactive
from .fees import check_fees
from .narrative import check_overview
from .narrative_quality import check_problems
from .reconciliation import check_reconciliation
from .similarity import check_reuse
from .structure import check_cells, check_format_year, check_sections, check_tables, check_units
from .timing import ORG_KINDS, check_deadline, infer_org_kind

__all__ = ["ORG_KINDS", "RULES", "Finding", "check_report"]

RULES: dict[str, str] = {
    "A1": "勾稽关系：表三每一列的第一项加第二项之和等于第三项（七）总计加第四项之和",
    "A2": "表三每一行的总计等于六类申请人之和",
    "A3": "表三（七）总计等于各项办理结果之和",
    "A4": "表四行政复议、行政诉讼的总计等于结果维持、结果纠正、其他结果、尚未审结之和",
    "A5": "本年上年结转等于上年度报告的结转下年度继续办理（需上年度报告）",
    "A6": "表二的年度衔接与内部关系（现行有效件数、上一年项目数量、新公开不超过总数）",
    "A7": "一、总体情况中的数字与表格一致",
    "A8": "六个部分齐全、标题与顺序符合法定格式，三张表格及其法定行齐全",
    "A9": "报告格式与报告年度相符（2019—2020 年度用 2019 版，2021 年度起用 2021 版）",
    "A10": "金额单位：以万元计，北京 2019 版采购总金额保留四位小数",
    "A11": "空白、无法读取或为负数的单元格",
    "A12": "按期发布：部门（含街道）1月31日前，本级人民政府3月31日前",
    "A13": "一、总体情况和五、存在的主要问题及改进情况不照搬上年度报告或同批其他报告（相同的句子少于七成，只改数字的句子算相同）",
    "A14": "2021 版六、其他需要报告的事项报告信息处理费，且金额与台账一致",
    "A15": "五、存在的主要问题及改进情况写明具体问题及改进措施：不只写“无”、不过短、不是套话、不照抄上年度",
    "A16": "表三与案件记录一致：按台账案件记录重新计算的表三等于报告（需台账）",
}


def check_report(
    report: AnnualReport,
    *,
    previous: AnnualReport | None = None,
    published_on: dt.date | None = None,
    org_kind: str | None = None,
    fees_charged_yuan: Decimal | None = None,
    ledger_requests: TableData | None = None,
) -> list[Finding]:
    """Every finding of the rule catalogue for ``report``, in rule order then format order."""
    if org_kind is not None and org_kind not in ORG_KINDS:
        raise ValueError(f"未知的机关类型 {org_kind!r}（应为 government 或 department）")
    try:
        fmt = get_format(report.format, report.variant)
    except UnknownFormat:
        # Nothing else can be checked against a format gongkai does not know; A9 says which one applies.
        return check_format_year(report, None)
    cells = Cells(report, fmt)
    findings = [
        *check_balance(cells, previous),
        *check_row_sums(cells),
        *check_outcome_sum(cells),
        *check_appeal_sums(cells),
        *check_proactive(cells, previous),
        *check_overview(cells),
        *check_sections(cells),
        *check_tables(cells),
        *check_format_year(report, cells),
        *check_units(cells),
        *check_cells(cells),
        *check_fees(cells, fees_charged_yuan),
        *check_problems(cells, previous),
        *check_reconciliation(cells, ledger_requests),
    ]
    if previous is not None:
        findings += check_carry_over(cells, previous)
        findings += check_reuse(report, previous)
    published = published_on or report.published_on
    if published is not None:
        findings += check_deadline(cells, report, published, org_kind or infer_org_kind(report.organisation))
    return sorted(findings, key=cells.sort_key)
