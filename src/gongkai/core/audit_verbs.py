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

    # org.accounts: signing in, lockouts, passwords and second factors
    ACCOUNT_LOGIN = "account.login", _("登录")
    ACCOUNT_LOGIN_FAILED = "account.login_failed", _("登录失败")
    ACCOUNT_OTP_VERIFIED = "account.otp_verified", _("通过二次验证")
    ACCOUNT_LOGOUT = "account.logout", _("退出登录")
    ACCOUNT_IDLE_LOGOUT = "account.idle_logout", _("闲置超时自动退出")
    ACCOUNT_LOCKED = "account.locked", _("登录失败次数过多，暂时锁定")
    ACCOUNT_UNLOCK = "account.unlock", _("解除登录锁定")
    ACCOUNT_PASSWORD_CHANGE = "account.password_change", _("修改密码")
    ACCOUNT_PASSWORD_SET = "account.password_set", _("管理员重设密码")
    ACCOUNT_PASSWORD_RESET = "account.password_reset", _("通过邮件重设密码")
    ACCOUNT_OTP_ENROL = "account.otp_enrol", _("绑定二次验证设备")
    ACCOUNT_OTP_RESET = "account.otp_reset", _("重置二次验证设备")
    ACCOUNT_DEMO_EXEMPT = "account.demo_exempt", _("标记为演示账号")

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
    INFOREQUEST_REPLY_SUBMIT = "inforequest.reply_submit", _("答复送审")
    INFOREQUEST_REPLY_APPROVE = "inforequest.reply_approve", _("答复审核同意")
    INFOREQUEST_REPLY_SIGN = "inforequest.reply_sign", _("签发答复")
    INFOREQUEST_REPLY_RETURN = "inforequest.reply_return", _("答复退回修改")
    INFOREQUEST_ANSWER = "inforequest.answer", _("发出答复告知书")
    INFOREQUEST_VIEW_PERSONAL_DATA = "inforequest.view_personal_data", _("查看申请人个人信息")
    INFOREQUEST_ID_SCAN_VIEW = "inforequest.id_scan_view", _("查看身份证明材料")
    INFOREQUEST_RECOMPUTE_DUE = "inforequest.recompute_due", _("重新计算答复期限")
    INFOREQUEST_TEMPLATE_UPDATE = "inforequest.template_update", _("修改告知书模板")
    INFOREQUEST_ONLINE_CORRECTION = "inforequest.online_correction", _("申请人网上提交补正")
    INFOREQUEST_CORRECTION_FILE_VIEW = "inforequest.correction_file_view", _("查看补正材料")
    INFOREQUEST_RELEASED_FILE_ADD = "inforequest.released_file_add", _("上传答复文件")
    INFOREQUEST_RELEASED_FILE_REMOVE = "inforequest.released_file_remove", _("删除答复文件")
    INFOREQUEST_SET_PROVISION = "inforequest.set_provision", _("确定提供信息的形式")
    REPLY_CHAIN_SET = "reply_chain.set", _("修改答复审核流程")

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
    LETTER_FORWARD = "letter.forward", _("转办来信")
    LETTER_FORWARD_ANSWER = "letter.forward_answer", _("科室回复转办来信")
    LETTER_FORWARD_RECALL = "letter.forward_recall", _("撤回转办")
    LETTER_STATUS_VIEWED = "letter.status_viewed", _("来信人查询办理情况")

    # participation: polls, consultations, classroom, service points, traffic notices
    POLL_SAVE = "poll.save", _("保存投票")
    POLL_VOTE = "poll.vote", _("居民投票")
    PHONE_CODE_SEND = "phone_code.send", _("发送短信验证码")
    CONSULTATION_SAVE = "consultation.save", _("保存民意征集")
    CONSULTATION_FEEDBACK = "consultation.feedback", _("公布意见采纳情况")
    COMMENT_SUBMIT = "comment.submit", _("收到征集意见")
    COMMENT_APPROVE = "comment.approve", _("公开征集意见")
    COMMENT_REJECT = "comment.reject", _("意见不予公开")
    COURSE_SAVE = "course.save", _("保存网上课堂课程")
    LESSON_ADD = "lesson.add", _("上传课时")
    SERVICE_POINT_SAVE = "service_point.save", _("保存便民服务网点")
    TRAFFIC_NOTICE_SAVE = "traffic_notice.save", _("保存微循环交通公告")
    # responsiveness: hot-topic responses, 督查督办, 五方联席会
    HOT_TOPIC_RECORD = "hot_topic.record", _("登记热点回应")
    SUPERVISION_CREATE = "supervision.create", _("登记督查督办事项")
    SUPERVISION_PROGRESS = "supervision.progress", _("登记督办进展")
    SUPERVISION_COMPLETE = "supervision.complete", _("督办事项办结")
    JOINT_MEETING_RECORD = "joint_meeting.record", _("登记五方联席会")
    FOLLOW_UP_ADD = "follow_up.add", _("登记联席会议定事项")
    FOLLOW_UP_COMPLETE = "follow_up.complete", _("联席会议定事项完成")

    # portal
    PORTAL_APPLICATION_SUBMIT = "portal.application_submit", _("网上提交公开申请")
    PORTAL_STATUS_VIEW = "portal.status_view", _("网上查询办理进度")
    PORTAL_RELEASED_FILE_DOWNLOAD = "portal.released_file_download", _("申请人网上下载答复文件")
    PORTAL_PAGE_UPDATE = "portal.page_update", _("修改公开专栏页面")

    # grid: 随手拍 reports from the portal, forwarded to the district grid platform and the 96010 hotline
    GRID_REPORT_SUBMIT = "grid.report_submit", _("收到随手拍")
    GRID_STATUS_VIEWED = "grid.status_viewed", _("随手拍提交人查询办理情况")
    GRID_FORWARD_ACK = "grid.forward_ack", _("随手拍转送已被接收")
    GRID_RECEIVER_STATUS = "grid.receiver_status", _("接收平台回传随手拍办理状态")
    GRID_PHOTO_VIEWED = "grid.photo_viewed", _("查看随手拍照片")
    GRID_CONTACT_VIEWED = "grid.contact_viewed", _("查看随手拍联系方式")

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

    # ranking: the quarterly 考核排名
    RANKING_METHOD_SET = "ranking.method_set", _("修改考核排名方法")
    RANKING_PUBLISH = "ranking.publish", _("发布季度考核排名")

    # demo_ledger
    DEMO_BUILD = "demo.build", _("生成演示数据")


def verb_label(verb: str) -> str:
    """The Chinese label of a stored verb, or the verb itself when it is not (or no longer) registered."""
    try:
        return str(AuditVerb(verb).label)
    except ValueError:
        return verb
