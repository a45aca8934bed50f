"""``/healthz``: whether this process can serve — the database answers a query and the storage folder takes
a write. Public and cheap, for nginx, systemd and monitoring; it names no path, host or person.

200 ``{"status": "ok", "database": "ok", "storage": "ok"}``; otherwise 503 with ``"status": "error"``
and a Chinese reason in place of each failed part's ``"ok"``.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from gongkai.ops.writes import unavailable_reason

log = logging.getLogger(__name__)
PROBE_FOLDER = ".healthz"


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        log.warning("healthz: database: %s", exc)
        return "数据库无法连接或无法查询"
    return "ok"


def storage_status(root: Path | None = None) -> str:
    """Write, read back and delete a small file where uploads are stored."""
    folder = Path(root or settings.MEDIA_ROOT) / PROBE_FOLDER
    probe = folder / f"{os.getpid()}-{secrets.token_hex(4)}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"ok")
        ok = probe.read_bytes() == b"ok"
        probe.unlink()
    except OSError as exc:
        log.warning("healthz: storage: %s", exc)
        return unavailable_reason(exc) or "文件存储目录无法写入"
    return "ok" if ok else "文件存储目录读写不一致"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    parts = {"database": database_status(), "storage": storage_status()}
    healthy = all(value == "ok" for value in parts.values())
    body = {"status": "ok" if healthy else "error", **parts}
    return JsonResponse(body, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})
