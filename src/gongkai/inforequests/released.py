"""The documents a disclosing reply carries: which uploads are accepted, and when a reply needs them.

The rule, checked when the 告知书 is issued (``services.released.check_released_files``):

1. A reply of 予以公开 or 部分公开 provides the information (Art. 36 (二), Art. 37). Unless the office
   provides it as 纸质文本, on 光盘或其他存储介质 or for 当场查阅、抄录 (Art. 40: the form the office
   decides, ``InfoRequest.provided_as``, else the form the applicant asked for), at least one released
   file must be uploaded: that is what the applicant downloads from the portal and gets by e-mail.
2. A 部分公开 reply withholds part of the information: when it carries files, at least one of them is
   the copy from which the withheld part was deleted, marked 已作删除处理.
3. A 予以公开 reply withholds nothing: none of its files may be marked 已作删除处理 (if something was
   deleted, the outcome is 部分公开 and Table 三 must count it there).
4. Any other outcome provides no information: files uploaded while drafting must be removed first, so
   that nothing is handed out by mistake.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile

from gongkai.annual_report import formats
from gongkai.core.choices import Outcome
from gongkai.core.files import DOCX, JPEG, PDF, PNG, SHORT_LABEL, XLSX, CleanUpload, validate_file
from gongkai.inforequests.models import ProvisionForm

__all__ = [
    "ACCEPT_ATTRIBUTE",
    "HELP_TEXT",
    "MAX_RELEASED_BYTES",
    "MAX_RELEASED_FILES",
    "NO_FILE_FORMS",
    "RELEASING_OUTCOMES",
    "effective_form",
    "released_file_problem",
    "validate_released_file",
]

# The same kinds and size as the attachments of a published item (publications.attachments).
MAX_RELEASED_BYTES = 20 * 1024 * 1024
MAX_RELEASED_FILES = 10
RELEASED_TYPES = (PDF, DOCX, XLSX, JPEG, PNG)
ACCEPT_ATTRIBUTE = ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"
HELP_TEXT = (
    f"{'、'.join(SHORT_LABEL[t] for t in RELEASED_TYPES)} 文件，每个不超过 "
    f"{MAX_RELEASED_BYTES // 1024 // 1024} MB，每件申请最多 {MAX_RELEASED_FILES} 个"
)

RELEASING_OUTCOMES = frozenset({Outcome.GRANTED, Outcome.PARTIAL})
# Forms of provision in which the information is handed over off line: no file need be uploaded.
NO_FILE_FORMS = frozenset({ProvisionForm.PAPER, ProvisionForm.MEDIUM, ProvisionForm.INSPECTION})


def validate_released_file(upload: UploadedFile) -> CleanUpload:
    """Check one uploaded document; raises ``core.files.UploadRejected`` with the reason."""
    return validate_file(upload, accept=RELEASED_TYPES, cap=MAX_RELEASED_BYTES)


def effective_form(provided_as: str, requested: str) -> str:
    """The form the information is provided in: the office's decision, else the applicant's request."""
    return provided_as or requested


def _name(outcome: str) -> str:
    """The outcome as staff say it (予以公开, 不予公开 …): its Table 三 group's short name."""
    group = formats.OUTCOME_GROUP_BY_KEY.get(outcome.split(".")[0])
    return group.short_name if group is not None else outcome


def _no_file_labels() -> str:
    return "、".join(f"“{f.label}”" for f in ProvisionForm if f in NO_FILE_FORMS)


def released_file_problem(outcome: str, form: str, redacted: Sequence[bool]) -> str | None:
    """Why a reply of ``outcome`` provided as ``form`` cannot be issued with files marked ``redacted``
    (one flag per uploaded file), or None when it can."""
    if outcome not in RELEASING_OUTCOMES:
        if redacted:
            return (
                f"办理结果为“{_name(outcome)}”时不向申请人提供文件，"
                f"请先删除已上传的 {len(redacted)} 份答复文件"
            )
        return None
    label = _name(outcome)
    if not redacted and form not in NO_FILE_FORMS:
        how = f"提供形式为“{ProvisionForm(form).label}”" if form else "未指定提供形式"
        return (
            f"办理结果为“{label}”，{how}：请先上传至少一份提供给申请人的文件（答复文件）；"
            f"如以{_no_file_labels()}方式提供，请先将“提供信息的形式”改为相应方式"
        )
    if outcome == Outcome.PARTIAL and redacted and not any(redacted):
        return f"办理结果为“{label}”：请将删除了不予公开内容后提供的文件标记为“已作删除处理”（至少一份）"
    if outcome == Outcome.GRANTED and any(redacted):
        return (
            f"办理结果为“{label}”的答复文件不应标记为“已作删除处理”；"
            f"如删除了不应公开的内容，办理结果应为“{formats.PARTIAL.short_name}”"
        )
    return None
