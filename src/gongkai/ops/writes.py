"""Failed writes that are the machine's state, not a bug: a read-only database, a full disk, an upload
folder the server may not write. Reads keep working; each write answers a Chinese 503 naming the cause
(``gongkai.config.errors``) and the log gets one line instead of a traceback (``ops.logs``)."""

from __future__ import annotations

import errno
from collections.abc import Iterator

# PostgreSQL SQLSTATE codes: read_only_sql_transaction (a standby, default_transaction_read_only) and
# the class 53 "insufficient resources" codes that mean the disk.
_PG_READ_ONLY = {"25006"}
_PG_DISK_FULL = {"53100"}
_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def unavailable_reason(exc: BaseException | None) -> str:
    """A Chinese sentence saying why writes cannot be stored now, or "" when ``exc`` is something else."""
    if exc is None:
        return ""
    for cause in _causes(exc):
        if isinstance(cause, OSError) and cause.errno in _DISK_FULL_ERRNOS:
            return "服务器磁盘空间已满"
        if isinstance(cause, OSError) and cause.errno == errno.EROFS:
            return "服务器存储为只读状态"
        if isinstance(cause, PermissionError) and cause.filename:
            return "服务器的文件存储目录不可写"
        state = getattr(cause, "sqlstate", None)
        if state in _PG_READ_ONLY:
            return "数据库处于只读状态"
        if state in _PG_DISK_FULL:
            return "数据库所在磁盘空间已满"
        text = str(cause).lower()
        if "readonly database" in text or "read-only file system" in text:
            return "数据库处于只读状态"
        if "database or disk is full" in text:
            return "数据库所在磁盘空间已满"
    return ""
