"""Statutory vocabulary of the ledger, spelled once.

Each choice's value is the stable English key that the annual-report formats use (DESIGN.md "Canonical
keys"), and its label is the statutory Chinese wording taken from ``annual_report.formats`` — so Table 三 is a
``GROUP BY applicant_type, outcome`` over these values and nothing else.
"""

from __future__ import annotations

from django.db import models

from gongkai.annual_report import formats

_APPLICANT = {c.key: c.label for c in formats.APPLICANT_COLUMNS}
_OUTCOME = {r.key: formats.outcome_title(r) for r in formats.ALL_OUTCOME_LEAVES}
_APPEAL_KIND = {g.key: formats.appeal_group_title(g) for g in formats.APPEAL_GROUPS}
_APPEAL_RESULT = {c.key: c.label for c in formats.APPEAL_COLUMNS}


class ApplicantType(models.TextChoices):
    """Table 三's applicant columns (申请人情况), 总计 aside."""

    NATURAL_PERSON = "natural_person", _APPLICANT["natural_person"]
    COMMERCIAL = "commercial", _APPLICANT["commercial"]
    RESEARCH = "research", _APPLICANT["research"]
    PUBLIC_INTEREST = "public_interest", _APPLICANT["public_interest"]
    LEGAL_SERVICE = "legal_service", _APPLICANT["legal_service"]
    OTHER = "other", _APPLICANT["other"]


class Outcome(models.TextChoices):
    """The 22 outcome leaves of the 2021 Table 三; a 2019 report counts （六）1–3 under （六）其他处理
    (``ReportFormat.row_for_outcome``)."""

    GRANTED = "granted", _OUTCOME["granted"]
    PARTIAL = "partial", _OUTCOME["partial"]
    REFUSED_STATE_SECRET = "refused.state_secret", _OUTCOME["refused.state_secret"]
    REFUSED_LAW_FORBIDDEN = "refused.law_forbidden", _OUTCOME["refused.law_forbidden"]
    REFUSED_THREE_SECURITIES = "refused.three_securities", _OUTCOME["refused.three_securities"]
    REFUSED_THIRD_PARTY = "refused.third_party", _OUTCOME["refused.third_party"]
    REFUSED_INTERNAL = "refused.internal", _OUTCOME["refused.internal"]
    REFUSED_PROCESS = "refused.process", _OUTCOME["refused.process"]
    REFUSED_ENFORCEMENT = "refused.enforcement", _OUTCOME["refused.enforcement"]
    REFUSED_QUERY = "refused.query", _OUTCOME["refused.query"]
    UNAVAILABLE_NOT_HELD = "unavailable.not_held", _OUTCOME["unavailable.not_held"]
    UNAVAILABLE_NEEDS_CREATION = "unavailable.needs_creation", _OUTCOME["unavailable.needs_creation"]
    UNAVAILABLE_UNCLEAR = "unavailable.unclear", _OUTCOME["unavailable.unclear"]
    NOT_PROCESSED_COMPLAINT = "not_processed.complaint", _OUTCOME["not_processed.complaint"]
    NOT_PROCESSED_REPEATED = "not_processed.repeated", _OUTCOME["not_processed.repeated"]
    NOT_PROCESSED_PUBLICATION = "not_processed.publication", _OUTCOME["not_processed.publication"]
    NOT_PROCESSED_EXCESSIVE = "not_processed.excessive", _OUTCOME["not_processed.excessive"]
    NOT_PROCESSED_CONFIRM = "not_processed.confirm", _OUTCOME["not_processed.confirm"]
    OTHER_NO_CORRECTION = "other.no_correction", _OUTCOME["other.no_correction"]
    OTHER_UNPAID_FEE = "other.unpaid_fee", _OUTCOME["other.unpaid_fee"]
    OTHER_OTHER = "other.other", _OUTCOME["other.other"]


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
    """Table 四's groups, named in full ("行政诉讼（未经复议直接起诉）")."""

    REVIEW = "review", _APPEAL_KIND["review"]
    LITIGATION_DIRECT = "litigation_direct", _APPEAL_KIND["litigation_direct"]
    LITIGATION_AFTER_REVIEW = "litigation_after_review", _APPEAL_KIND["litigation_after_review"]


class AppealResult(models.TextChoices):
    """Table 四's results, 总计 aside."""

    UPHELD = "upheld", _APPEAL_RESULT["upheld"]
    CORRECTED = "corrected", _APPEAL_RESULT["corrected"]
    OTHER = "other", _APPEAL_RESULT["other"]
    PENDING = "pending", _APPEAL_RESULT["pending"]


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


class NotifyBy(models.TextChoices):
    """How the applicant chose to receive the office's notices (回执、补正、延期、收费、答复告知书、终止)."""

    EMAIL = "email", "电子邮件"
    SMS = "sms", "手机短信"
    POST = "post", "邮寄"


# responsiveness: hot-topic responses, 督查督办, 五方联席会
class ResponseSource(models.TextChoices):
    """Where a hot topic or public-opinion matter came to the office from."""

    MEDIA = "media", "媒体报道"
    WEIBO = "weibo", "微博"
    WECHAT = "wechat", "微信"
    HOTLINE = "hotline", "12345/96010热线"
    MAILBOX = "mailbox", "信箱来信"


class ResponseChannel(models.TextChoices):
    """Where the office gave its response; 微博/微信 responses are section 一's 微博微信回应事件."""

    WEBSITE = "website", "政府网站"
    WEIBO = "weibo", "政务微博"
    WECHAT = "wechat", "政务微信"
    MEDIA = "media", "新闻媒体"
    HOTLINE = "hotline", "热线回复"
    ON_SITE = "on_site", "现场答复"


class SupervisionIssuer(models.TextChoices):
    COMMITTEE = "committee", "区委"
    GOVERNMENT = "government", "区政府"


class JointMeetingParty(models.TextChoices):
    """The five parties of the 五方联席会, in the seed's order."""

    OWNERS_COMMITTEE = "owners_committee", "业委会"
    PROPERTY = "property", "物业"
    COMMUNITY = "community", "社区"
    SUBDISTRICT = "subdistrict", "街道办事处"
    POLICE = "police", "派出所"
