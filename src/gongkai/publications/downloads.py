"""Handing an attachment's bytes to a browser, for the workbench and the portal alike.

A PDF or an image may be shown inline (the browser's own viewer); Word and Excel files always download.
Every response carries nosniff (SecurityHeadersMiddleware) and all but PDFs a sandbox CSP, so even a
file that slipped past the upload checks cannot run as a page of this origin. PDFs go without:
Chromium's viewer refuses to open a document under ``sandbox``; their script and embedded files were
refused at upload (``core.files``).
"""

from __future__ import annotations

from urllib.parse import quote

from django.http import FileResponse, Http404

from gongkai.core.files import JPEG, PDF, PNG, private_storage
from gongkai.publications.models import PublicationAttachment

INLINE_TYPES = frozenset({PDF, JPEG, PNG})


def attachment_response(att: PublicationAttachment, *, inline: bool) -> FileResponse:
    storage = private_storage()
    if not storage.exists(att.storage_name):
        raise Http404("附件文件已不存在，请联系发布单位")
    inline = inline and att.content_type in INLINE_TYPES
    response = FileResponse(storage.open(att.storage_name, "rb"), content_type=att.content_type)
    disposition = "inline" if inline else "attachment"
    # ASCII fallback for old clients, the Chinese title for everyone else (RFC 6266 / 5987).
    response["Content-Disposition"] = (
        f'{disposition}; filename="attachment-{att.pk}.{att.extension}"; '
        f"filename*=UTF-8''{quote(att.download_name)}"
    )
    if att.content_type != PDF:
        response["Content-Security-Policy"] = (
            "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
        )
    return response
