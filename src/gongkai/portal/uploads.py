"""Identity-document scans uploaded with an online application.

The file comes from anyone on the internet: only JPEG, PNG and PDF are taken (SVG and HTML can carry
script), each at most 5 MB, checked and cleaned by ``core.files`` (type proven from the bytes, images
re-encoded, PDFs without active content). Accepted scans are stored privately; staff open one through
a workbench view that checks their role and records the access.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from gongkai.core.files import (
    JPEG,
    PDF,
    PNG,
    CleanUpload,
    PrivateStorage,
    UploadRejected,
    private_storage,
    sniff,
    validate_file,
)
from gongkai.core.files import store_upload as _store

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_FILES = 3
SCAN_TYPES = (JPEG, PNG, PDF)

__all__ = [
    "MAX_FILES",
    "MAX_UPLOAD_BYTES",
    "CleanUpload",
    "PrivateStorage",
    "UploadRejected",
    "private_storage",
    "sniff",
    "store_upload",
    "validate_upload",
]


def validate_upload(upload: UploadedFile) -> CleanUpload:
    """Check one uploaded scan and return its cleaned bytes, or raise ``UploadRejected``."""
    return validate_file(upload, accept=SCAN_TYPES, cap=MAX_UPLOAD_BYTES)


def store_upload(clean: CleanUpload, *, folder: str = "idscans") -> str:
    return _store(clean, folder=folder)
