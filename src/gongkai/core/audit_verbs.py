"""Every verb an ``AuditEvent`` is written with, spelled once.

The value is the stored key (``<object>.<action>``, unchanged from the rows already written); the label is
what a history page shows. Services pass a member to ``core.services.record_event`` — never a string
literal (``tests/core/test_audit_verbs.py`` walks the source to hold that). A row written before a verb
was retired keeps its raw key, and ``verb_label`` shows that key as it is.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditVerb(models.TextChoices):
    # core: the working-day calendar table
    CALENDAR_SEED = "calendar.seed", _("导入放假安排")
    CALENDAR_ENTER = "calendar.enter", _("录入放假安排")
    CALENDAR_CHANGE = "calendar.change", _("修改放假安排")

    # org
    ORGANISATION_SET = "organisation.set", _("设置机关信息")
    DEPARTMENT_CREATE = "department.create", _("新建科室")
    DEPARTMENT_UPDATE = "department.update", _("修改科室")
    STAFF_CREATE = "staff.create", _("新建工作人员")
    STAFF_PROFILE_CREATE = "staff_profile.create", _("设置工作人员科室")
    STAFF_PROFILE_UPDATE = "staff_profile.update", _("修改工作人员科室或职务")

    # publications: items and their two-level review
    PUBLICATION_CREATE = "publication.create", _("起草主动公开信息")
    PUBLICATION_UPDATE = "publication.update", _("修改主动公开信息")
    PUBLICATION_SUBMIT = "publication.submit", _("提交审核")
    PUBLICATION_APPROVE_HEAD = "publication.approve_head", _("科室负责人审核通过")
    PUBLICATION_APPROVE_DIRECTOR = "publication.approve_director", _("主管主任审核通过并发布")
    PUBLICATION_REJECT = "publication.reject", _("审核退回")
    PUBLICATION_WITHDRAW = "publication.withdraw", _("撤下已公开信息")
    PUBLICATION_REPEAL = "publication.repeal", _("登记废止")
    PUBLICATION_REGISTER_REVIEWED = "publication.register_reviewed", _("登记已线下审核的信息")
    PUBLICATION_ATTACHMENT_ADD = "publication.attachment_add", _("添加附件")
    PUBLICATION_ATTACHMENT_REMOVE = "publication.attachment_remove", _("删除附件")

    # publications: registers
    CHANNEL_POST_CREATE = "channel_post.create", _("登记渠道发布")
    INTERPRETATION_CREATE = "interpretation.create", _("登记政策解读")
    ARCHIVE_TRANSFER_CREATE = "archive_transfer.create", _("登记档案移送")
    SERVICE_MATTER_CREATE = "service_matter.create", _("登记事项")
    SERVICE_MATTER_ABOLISH = "service_matter.abolish", _("取消事项")
    DECISION_CREATE = "decision.create", _("登记处理决定")
    FEE_COLLECTION_CREATE = "fee_collection.create", _("登记收费")
    PROCUREMENT_PROJECT_CREATE = "procurement_project.create", _("登记政府集中采购项目")

    # inforequests: the case's handling steps
    INFOREQUEST_REGISTER = "inforequest.register", _("登记申请")
    INFOREQUEST_CONFIRM = "inforequest.confirm", _("确认收到申请")
    INFOREQUEST_ASSIGN = "inforequest.assign", _("分派承办")
    INFOREQUEST_REQUEST_CORRECTION = "inforequest.request_correction", _("告知补正")
    INFOREQUEST_RECEIVE_CORRECTION = "inforequest.receive_correction", _("收到补正")
    INFOREQUEST_CORRECTION_LAPSED = "inforequest.correction_lapsed", _("逾期不补正，视为放弃")
    INFOREQUEST_PAUSE_START = "inforequest.pause_start", _("征求意见")
    INFOREQUEST_PAUSE_END = "inforequest.pause_end", _("收到意见")
    INFOREQUEST_EXTENSION_REQUEST = "inforequest.extension_request", _("申请延期")
    INFOREQUEST_EXTENSION_APPROVE = "inforequest.extension_approve", _("批准延期")
    INFOREQUEST_EXTENSION_REFUSE = "inforequest.extension_refuse", _("不予批准延期")
    INFOREQUEST_FEE_NOTIFY = "inforequest.fee_notify", _("发出缴费通知")
    INFOREQUEST_FEE_PAID = "inforequest.fee_paid", _("缴费")
    INFOREQUEST_FEE_WAIVE = "inforequest.fee_waive", _("减免信息处理费")
    INFOREQUEST_FEE_LAPSED = "inforequest.fee_lapsed", _("逾期未缴费，视为放弃")
    INFOREQUEST_DRAFT_REPLY = "inforequest.draft_reply", _("拟写答复")
    INFOREQUEST_ANSWER = "inforequest.answer", _("签发答复告知书")
    INFOREQUEST_VIEW_PERSONAL_DATA = "inforequest.view_personal_data", _("查看申请人个人信息")
    INFOREQUEST_ID_SCAN_VIEW = "inforequest.id_scan_view", _("查看身份证明材料")
    INFOREQUEST_RECOMPUTE_DUE = "inforequest.recompute_due", _("重新计算答复期限")
    INFOREQUEST_TEMPLATE_UPDATE = "inforequest.template_update", _("修改告知书模板")

    # appeals
    APPEAL_REGISTER = "appeal.register", _("登记行政复议或诉讼")
    APPEAL_DECIDE = "appeal.decide", _("登记复议或诉讼结果")

    # engagement: the mailbox
    LETTER_SUBMIT = "letter.submit", _("收到来信")
    LETTER_REPLY = "letter.reply", _("答复来信")
    LETTER_COMPLETE = "letter.complete", _("来信办结")
    LETTER_PUBLISH = "letter.publish", _("公开来信")
    LETTER_UNPUBLISH = "letter.unpublish", _("取消公开来信")
    LETTER_CONTACT_VIEWED = "letter.contact_viewed", _("查看来信人联系方式")

    # portal
    PORTAL_APPLICATION_SUBMIT = "portal.application_submit", _("网上提交公开申请")
    PORTAL_STATUS_VIEW = "portal.status_view", _("网上查询办理进度")
    PORTAL_PAGE_UPDATE = "portal.page_update", _("修改公开专栏页面")

    # delivery: notices to applicants and staff (送达)
    DELIVERY_SERVED = "delivery.served", _("送达文书")
    DELIVERY_POST_QUEUED = "delivery.post_queued", _("文书加入待寄信件")
    DELIVERY_POSTED = "delivery.posted", _("登记信件已寄出")
    DELIVERY_LETTER_VIEW = "delivery.letter_view", _("打印邮寄信件（含申请人地址）")
    DELIVERY_RETRY = "delivery.retry", _("重新发送消息")

    # reporting: the annual report
    REPORT_CREATE = "report.create", _("生成年度报告草稿")
    REPORT_REFRESH = "report.refresh", _("按台账重新检查年度报告")
    REPORT_UPDATE_TEXT = "report.update_text", _("修改年度报告文字")
    REPORT_SUBMIT = "report.submit", _("报送年度报告")
    REPORT_REOPEN = "report.reopen", _("退回修改年度报告")
    REPORT_PUBLISH = "report.publish", _("发布年度报告")

    # demo_ledger
    DEMO_BUILD = "demo.build", _("生成演示数据")


def verb_label(verb: str) -> str:
    """The Chinese label of a stored verb, or the verb itself when it is not (or no longer) registered."""
    try:
        return str(AuditVerb(verb).label)
    except ValueError:
        return verb
