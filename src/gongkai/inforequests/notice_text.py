"""The wording of 告知书: default templates per outcome, placeholders, the remedy sentence.

Pure: no database. The defaults seed the editable ``ReplyTemplate`` rows (data migration) and are
the fallback if a row is missing. Blanks that staff must fill are runs of full-width spaces (　　　　),
the way offices mark them on paper forms.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from gongkai.core.choices import Outcome

__all__ = [
    "BLANK_PATTERN",
    "DEFAULT_TEMPLATES",
    "PLACEHOLDERS",
    "NoticeContent",
    "TemplateBlank",
    "TemplateText",
    "cn_date",
    "fill",
    "remedy_sentence",
    "template_blanks",
    "unknown_placeholders",
]

REG = "《中华人民共和国政府信息公开条例》"
BLANK = "　　　　"


@dataclass(frozen=True)
class TemplateText:
    title: str
    body: str
    legal_basis: str


_T_GRANT = "政府信息公开申请答复告知书"
_T_REFUSE = "政府信息不予公开告知书"
_T_NONE = "政府信息不存在告知书"
_T_UNAVAILABLE = "政府信息无法提供告知书"
_T_NOT_PROCESSED = "政府信息公开申请不予处理告知书"
_T_ENDED = "政府信息公开申请终止处理告知书"

_REFUSAL_36_3 = "第三十六条第（三）项"

DEFAULT_TEMPLATES: dict[str, TemplateText] = {
    Outcome.GRANTED: TemplateText(
        _T_GRANT,
        f"经审查，您申请获取的政府信息属于公开范围，本机关决定予以公开。现随本告知书向您提供该政府信息"
        f"（或：您可以通过{BLANK}获取该政府信息）。",
        f"{REG}第三十六条第（二）项",
    ),
    Outcome.PARTIAL: TemplateText(
        _T_GRANT,
        f"经审查，您申请获取的政府信息中含有不应当公开的内容（{BLANK}），但能够作区分处理。本机关决定向您"
        f"提供可以公开的部分，对不应当公开的部分不予公开，理由是：{BLANK}。",
        f"{REG}第三十七条、{_REFUSAL_36_3}",
    ),
    Outcome.REFUSED_STATE_SECRET: TemplateText(
        _T_REFUSE,
        "经审查，您申请获取的政府信息依法确定为国家秘密，本机关决定不予公开。",
        f"{REG}第十四条、{_REFUSAL_36_3}",
    ),
    Outcome.REFUSED_LAW_FORBIDDEN: TemplateText(
        _T_REFUSE,
        f"经审查，您申请获取的政府信息属于法律、行政法规禁止公开的政府信息（{BLANK}），本机关决定不予公开。",
        f"{REG}第十四条、{_REFUSAL_36_3}",
    ),
    Outcome.REFUSED_THREE_SECURITIES: TemplateText(
        _T_REFUSE,
        "经审查，您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，本机关决定不予公开。",
        f"{REG}第十四条、{_REFUSAL_36_3}",
    ),
    Outcome.REFUSED_THIRD_PARTY: TemplateText(
        _T_REFUSE,
        "经审查，您申请获取的政府信息涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的内容。"
        "本机关已书面征求第三方意见，第三方不同意公开，本机关决定不予公开。",
        f"{REG}第十五条、第三十二条、{_REFUSAL_36_3}",
    ),
    Outcome.REFUSED_INTERNAL: TemplateText(
        _T_REFUSE,
        "经审查，您申请获取的政府信息属于人事管理、后勤管理、内部工作流程等方面的内部事务信息，"
        "本机关决定不予公开。",
        f"{REG}第十六条第一款、{_REFUSAL_36_3}",
    ),
    Outcome.REFUSED_PROCESS: TemplateText(
        _T_REFUSE,
        "经审查，您申请获取的政府信息属于本机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、"
        "请示报告等过程性信息，本机关决定不予公开。",
        f"{REG}第十六条第二款、{_REFUSAL_36_3}",
    ),
    Outcome.REFUSED_ENFORCEMENT: TemplateText(
        _T_REFUSE,
        "经审查，您申请获取的政府信息属于行政执法案卷信息，本机关决定不予公开。",
        f"{REG}第十六条第二款、{_REFUSAL_36_3}",
    ),
    Outcome.REFUSED_QUERY: TemplateText(
        _T_GRANT,
        f"经审查，您申请获取的信息属于{BLANK}等信息，有关法律、行政法规对该信息的获取有特别规定，"
        "请您依照有关法律、行政法规的规定办理。",
        f"{REG}第三十六条第（七）项",
    ),
    Outcome.UNAVAILABLE_NOT_HELD: TemplateText(
        _T_NONE,
        "经检索，本机关没有制作或者获取您申请公开的政府信息，该政府信息不存在。",
        f"{REG}第三十六条第（四）项",
    ),
    Outcome.UNAVAILABLE_NEEDS_CREATION: TemplateText(
        _T_UNAVAILABLE,
        "经审查，您申请获取的政府信息需要本机关对现有政府信息进行加工、分析方能形成，本机关不予提供。",
        f"{REG}第三十八条",
    ),
    Outcome.UNAVAILABLE_UNCLEAR: TemplateText(
        _T_UNAVAILABLE,
        "本机关已一次性告知您需要补正的事项。您补正后的申请内容仍不明确，本机关无法确定您所申请的政府信息，"
        "无法向您提供。",
        f"{REG}第二十九条第二款、第三十条",
    ),
    Outcome.NOT_PROCESSED_COMPLAINT: TemplateText(
        _T_NOT_PROCESSED,
        "经审查，您提出的申请实为信访、投诉、举报事项，本机关不作为政府信息公开申请处理。"
        "您可以通过信访、投诉、举报等相应渠道提出。",
        f"{REG}第三十九条第一款",
    ),
    Outcome.NOT_PROCESSED_REPEATED: TemplateText(
        _T_NOT_PROCESSED,
        f"本机关已就您此前提出的相同政府信息公开申请作出答复（{BLANK}），您重复申请公开相同政府信息，"
        "本机关不予重复处理。",
        f"{REG}第三十六条第（六）项",
    ),
    Outcome.NOT_PROCESSED_PUBLICATION: TemplateText(
        _T_NOT_PROCESSED,
        f"您申请获取的信息属于政府公报、报刊、书籍等公开出版物，您可以通过{BLANK}获取。",
        f"{REG}第三十九条第二款",
    ),
    Outcome.NOT_PROCESSED_EXCESSIVE: TemplateText(
        _T_NOT_PROCESSED,
        "您申请公开政府信息的数量、频次明显超过合理范围。本机关已要求您说明理由，经审查，申请理由不合理，"
        "本机关不予处理。",
        f"{REG}第三十五条",
    ),
    Outcome.NOT_PROCESSED_CONFIRM: TemplateText(
        _T_NOT_PROCESSED,
        "您的申请系要求本机关对您已获取的信息予以确认或者重新出具，不属于政府信息公开申请，本机关不予处理。",
        f"{REG}第二条",
    ),
    Outcome.OTHER_NO_CORRECTION: TemplateText(
        _T_ENDED,
        f"本机关已于{BLANK}一次性告知您需要补正的事项和补正期限。您无正当理由逾期未补正，视为放弃申请，"
        "本机关不再处理该政府信息公开申请。",
        f"{REG}第三十条",
    ),
    Outcome.OTHER_UNPAID_FEE: TemplateText(
        _T_ENDED,
        f"本机关已于{BLANK}向您发出信息处理费缴费通知。您逾期未按通知要求缴纳费用，视为放弃申请，"
        "本机关不再处理该政府信息公开申请。",
        f"{REG}第四十二条、《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
    ),
    Outcome.OTHER_OTHER: TemplateText(_T_GRANT, f"经审查，{BLANK}。", ""),
}

# Placeholders a template may use, filled from the case when a reply is drafted.
PLACEHOLDERS: dict[str, str] = {
    "申请人": "申请人姓名或名称",
    "案号": "案号",
    "收到申请日期": "收到申请之日，如 2019年5月6日",
    "申请内容": "申请公开的政府信息",
    "机关名称": "本机关名称",
}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def unknown_placeholders(text: str) -> list[str]:
    return sorted({m for m in _PLACEHOLDER.findall(text) if m not in PLACEHOLDERS})


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace known {占位符}; anything else is left as typed (templates are validated on save)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


# What is left of a template slot nobody filled, inside a paragraph (a paragraph's leading indent of
# full-width spaces is stripped first): a run of full-width spaces (the slots of BLANK, or an unknown
# date "　　年　　月　　日"), of full-width or ASCII underscores, or an alternative wording "（或：…）"
# that was neither chosen nor deleted.
BLANK_PATTERN = re.compile(r"　{2,}|＿{2,}|_{3,}|（或：[^）]*）")
_EXCERPT = 10  # characters shown either side of a blank


@dataclass(frozen=True)
class TemplateBlank:
    paragraph: int  # 1-based, counting the non-empty lines of the text
    excerpt: str  # the blank with some context, the blank itself bracketed so it can be seen

    def message(self, where: str) -> str:
        return f"{where}第 {self.paragraph} 段仍有未填写的空白：{self.excerpt}"


def template_blanks(text: str) -> list[TemplateBlank]:
    """The template blanks still in ``text``, paragraph by paragraph (empty lines do not count)."""
    found = []
    paragraphs = [p.strip() for p in text.splitlines() if p.strip()]
    for number, para in enumerate(paragraphs, start=1):
        for m in BLANK_PATTERN.finditer(para):
            before = para[max(0, m.start() - _EXCERPT) : m.start()]
            after = para[m.end() : m.end() + _EXCERPT]
            lead = "…" if m.start() > _EXCERPT else ""
            tail = "…" if m.end() + _EXCERPT < len(para) else ""
            found.append(TemplateBlank(number, f"{lead}{before}［{m.group(0)}］{after}{tail}"))
    return found


def cn_date(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d is not None else "　　年　　月　　日"


def remedy_sentence(review_body: str) -> str:
    """The 救济途径 every 告知书 ends with (行政复议法 第二十条: 60 days; 行政诉讼法 第四十六条: 6 months)."""
    body = review_body.strip() or "有管辖权的行政复议机关"
    return (
        f"如对本答复不服，可以在收到本告知书之日起六十日内向{body}申请行政复议，"
        "或者在收到本告知书之日起六个月内依法向人民法院提起行政诉讼。"
    )


@dataclass(frozen=True)
class NoticeContent:
    """Everything printed on one 告知书, shared by the HTML preview and the DOCX."""

    title: str
    reference: str
    applicant_name: str
    received_on: dt.date | None
    description: str
    body: str
    legal_basis: str
    remedy: str
    organisation: str
    issued_on: dt.date | None
    outcome_label: str
    signer: str = ""  # who signed it (签发) at the review chain's last step, not who sent it out
    signed_on: dt.date | None = None

    @property
    def is_draft(self) -> bool:
        return self.issued_on is None

    @property
    def signature_line(self) -> str:
        """签发人 and the signing date, printed under the reference; empty until the reply is signed."""
        if not self.signer:
            return ""
        return f"签发人：{self.signer}（{cn_date(self.signed_on)}签发）"

    @property
    def opening(self) -> str:
        return (
            f"本机关于{cn_date(self.received_on)}收到您提出的政府信息公开申请，"
            f"申请获取“{self.description.strip()}”。现答复如下："
        )

    @property
    def basis_sentence(self) -> str:
        return f"根据{self.legal_basis}的规定，特此告知。" if self.legal_basis.strip() else "特此告知。"

    @property
    def body_paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.splitlines() if p.strip()]

    @property
    def date_line(self) -> str:
        return cn_date(self.issued_on)
