"""Workbench views of 依申请公开: thin wrappers around forms, selectors and services."""

from gongkai.inforequests.views.case import ACTION_VIEWS, answer_fill, assign_handlers, request_detail
from gongkai.inforequests.views.files import (
    correction_file,
    provision_set,
    released_file_add,
    released_file_download,
    released_file_remove,
)
from gongkai.inforequests.views.lists import due, request_create, request_list
from gongkai.inforequests.views.notices import (
    notice_docx,
    notice_pdf,
    notice_preview,
    template_edit,
    template_list,
)
from gongkai.inforequests.views.review import approval_form_docx, review_chain

__all__ = [
    "ACTION_VIEWS",
    "answer_fill",
    "approval_form_docx",
    "assign_handlers",
    "correction_file",
    "due",
    "notice_docx",
    "notice_pdf",
    "notice_preview",
    "provision_set",
    "released_file_add",
    "released_file_download",
    "released_file_remove",
    "request_create",
    "request_detail",
    "request_list",
    "review_chain",
    "template_edit",
    "template_list",
]
