"""What may be attached to a published item, and how large.

Attachments are served to the public, so they pass the same checks as anything else uploaded
(``core.files``): the type proven from the bytes, no script, macros or embedded objects. The kinds are
the ones an office publishes: the document as PDF, Word and Excel files, scanned images.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from gongkai.core.files import DOCX, JPEG, PDF, PNG, SHORT_LABEL, XLSX, CleanUpload, validate_file

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 10
ATTACHMENT_TYPES = (PDF, DOCX, XLSX, JPEG, PNG)
ACCEPT_ATTRIBUTE = ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"
HELP_TEXT = (
    f"{'、'.join(SHORT_LABEL[t] for t in ATTACHMENT_TYPES)} 文件，每个不超过 "
    f"{MAX_ATTACHMENT_BYTES // 1024 // 1024} MB，每条信息最多 {MAX_ATTACHMENTS} 个"
)


def validate_attachment(upload: UploadedFile) -> CleanUpload:
    """Check one uploaded attachment; raises ``core.files.UploadRejected`` with the reason."""
    return validate_file(upload, accept=ATTACHMENT_TYPES, cap=MAX_ATTACHMENT_BYTES)
