"""Statutory vocabulary of the ledger, spelled once.

Each choice's value is the stable English key that the annual-report formats use (DESIGN.md "Canonical
keys"), and its label is the statutory Chinese wording taken from ``annual_report.formats`` — so Table 三 is a
``GROUP BY applicant_type, outcome`` over these values and nothing else.
"""

from __future__ import annotations

from django.db import models

from gongkai.annual_report import formats


class ApplicantType(models.TextChoices):
    NATURAL_PERSON = "natural_person", "自然人"
    COMMERCIAL = "commercial", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_INTEREST = "public_interest", "社会公益组织"
    LEGAL_SERVICE = "legal_service", "法律服务机构"
    OTHER = "other", "其他"


def _outcome_label(row: formats.Row) -> str:
    # Leaf labels such as "1.属于国家秘密" only make sense under their group (（三）不予公开).
    return f"{row.group} {row.label}" if row.group != formats.RESULTS_HEADER else row.label


# The 22 leaf rows of the 2021 Table 三 (the 2019 view collapses （六）1–3 into （六）其他处理).
Outcome = models.TextChoices(  # type: ignore[misc]
    "Outcome",
    [
        (key.upper().replace(".", "__"), (key, _outcome_label(row)))
        for row in formats.REQUEST_ROWS_2021
        if (key := row.key) not in formats.NON_OUTCOME_ROWS
    ],
)

# 2021 leaf -> the row it is counted under in a 2019-format report.
OUTCOME_2019_ROW: dict[str, str] = {
    o.value: ("other" if o.value.startswith("other.") else o.value) for o in Outcome
}


class Art20Category(models.TextChoices):
    """第二十条 (一)–(十五): the categories of proactively disclosed information."""

    ART20_1 = "art20_1", "（一）行政法规、规章和规范性文件"
    ART20_2 = "art20_2", "（二）机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名"
    ART20_3 = "art20_3", "（三）国民经济和社会发展规划、专项规划、区域规划及相关政策"
    ART20_4 = "art20_4", "（四）国民经济和社会发展统计信息"
    ART20_5 = "art20_5", "（五）办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果"
    ART20_6 = (
        "art20_6",
        "（六）实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
    )
    ART20_7 = "art20_7", "（七）财政预算、决算信息"
    ART20_8 = "art20_8", "（八）行政事业性收费项目及其依据、标准"
    ART20_9 = "art20_9", "（九）政府集中采购项目的目录、标准及实施情况"
    ART20_10 = "art20_10", "（十）重大建设项目的批准和实施情况"
    ART20_11 = "art20_11", "（十一）扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况"
    ART20_12 = "art20_12", "（十二）突发公共事件的应急预案、预警信息及应对情况"
    ART20_13 = "art20_13", "（十三）环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况"
    ART20_14 = "art20_14", "（十四）公务员招考的职位、名额、报考条件等事项以及录用结果"
    ART20_15 = "art20_15", "（十五）法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息"


class AppealKind(models.TextChoices):
    REVIEW = "review", "行政复议"
    LITIGATION_DIRECT = "litigation_direct", "行政诉讼（未经复议直接起诉）"
    LITIGATION_AFTER_REVIEW = "litigation_after_review", "行政诉讼（复议后起诉）"


class AppealResult(models.TextChoices):
    UPHELD = "upheld", "结果维持"
    CORRECTED = "corrected", "结果纠正"
    OTHER = "other", "其他结果"
    PENDING = "pending", "尚未审结"


class RequestChannel(models.TextChoices):
    """Art. 31: the channel decides which date is 收到申请之日."""

    IN_PERSON = "in_person", "当面提交"
    REGISTERED_POST = "registered_post", "邮寄（需签收）"
    PLAIN_LETTER = "plain_letter", "平常信函"
    ONLINE = "online", "互联网（网上申请）"
    FAX = "fax", "传真"


class PostChannel(models.TextChoices):
    WEBSITE = "website", "政府网站"
    WEIBO = "weibo", "政务微博"
    WECHAT = "wechat", "政务微信"


class OrganisationKind(models.TextChoices):
    """Sets the annual-report deadline (Art. 49; a 街道 is treated like a 部门: 1月31日)."""

    SUBDISTRICT = "subdistrict", "街道办事处"
    TOWNSHIP = "township", "乡镇人民政府"
    DEPARTMENT = "department", "县级以上人民政府部门"
    GOVERNMENT = "government", "县级以上地方人民政府（本级政府年度报告）"
