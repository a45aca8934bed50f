"""Audio and video served from private storage to HTML5 players, with single HTTP byte ranges.

A phone's <video> asks for ``Range: bytes=0-`` and then for the part it seeks to; answering 206 with
that part lets it seek without fetching the whole lesson. Only one range per request (what players send);
a multi-range or unreadable header gets the whole file, an unsatisfiable one 416.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse

from gongkai.core.files import private_storage

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_CHUNK = 64 * 1024


def parse_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """(first, last) byte of a satisfiable single range; None without a usable header; False if it
    cannot be satisfied."""
    match = _RANGE.match(header.strip())
    if not match or not (match.group(1) or match.group(2)):
        return None
    first_s, last_s = match.groups()
    if not first_s:  # the last N bytes
        n = int(last_s)
        if n == 0:
            return False
        return max(0, size - n), size - 1
    first = int(first_s)
    last = min(int(last_s), size - 1) if last_s else size - 1
    if first >= size or last < first:
        return False
    return first, last


def _part(path: str, first: int, length: int):  # type: ignore[no-untyped-def]
    with private_storage().open(path, "rb") as f:
        f.seek(first)
        left = length
        while left > 0:
            chunk = f.read(min(_CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk


def ranged_file_response(
    request: HttpRequest, storage_name: str, content_type: str, filename: str
) -> HttpResponse:
    storage = private_storage()
    size = storage.size(storage_name)
    wanted = parse_range(request.headers.get("Range", ""), size)
    disposition = f"inline; filename*=UTF-8''{quote(filename)}"
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    if wanted is None:
        full = FileResponse(storage.open(storage_name, "rb"), content_type=content_type)
        full["Content-Length"] = str(size)
        full["Accept-Ranges"] = "bytes"
        full["Content-Disposition"] = disposition
        return full
    first, last = wanted  # type: ignore[misc]
    response = StreamingHttpResponse(
        _part(storage_name, first, last - first + 1), status=206, content_type=content_type
    )
    response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = disposition
    return response
