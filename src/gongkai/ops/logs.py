"""Logging for a served site: the console (journald under systemd), a rotating file under
``$GONGKAI_HOME/logs`` and, when ``GONGKAI_ADMINS`` names someone, e-mail for server errors.

A refused request (403, a failed CSRF check, a bad Host) is the visitor's problem, not ours: it is logged
as one line with the reason, never with a traceback, and never e-mailed. A write refused because the
database is read-only or the disk is full is one line too (the cause is the machine, not the code), and
e-mail about the same failure goes out at most once per ``MAIL_REPEAT_SECONDS`` per process.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO, Any

from gongkai.ops.writes import unavailable_reason

LOG_FILE_BYTES = 10 * 1024 * 1024
LOG_FILE_BACKUPS = 10
MAIL_REPEAT_SECONDS = 600


def _client_error(record: logging.LogRecord) -> bool:
    status = getattr(record, "status_code", None)
    return (isinstance(status, int) and status < 500) or record.name.startswith("django.security")


def _one_line(record: logging.LogRecord, detail: str) -> None:
    message = record.getMessage()
    if detail:
        message = f"{message} — {detail}"
    record.msg, record.args = message.replace("\n", " "), ()
    record.exc_info, record.exc_text, record.stack_info = None, None, None


class OneLineRefusals(logging.Filter):
    """Handler filter: client errors and unavailable writes become a single line without traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if _client_error(record):
            _one_line(record, "" if exc is None else f"{type(exc).__name__}: {exc}".removesuffix(": "))
        elif exc is not None and (reason := unavailable_reason(exc)):
            _one_line(record, f"写入失败：{reason}（{type(exc).__name__}: {exc}）")
        return True


class ServerErrorsOnce(logging.Filter):
    """Mail filter: errors only, no client errors, the same failure at most once per interval."""

    def __init__(self, name: str = "") -> None:
        super().__init__(name)
        self._last: dict[tuple[str, str, str], float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.ERROR or _client_error(record):
            return False
        exc = record.exc_info[1] if record.exc_info else None
        key = (record.name, str(record.msg)[:200], type(exc).__name__ if exc else "")
        now = time.monotonic()
        if now - self._last.get(key, -MAIL_REPEAT_SECONDS) < MAIL_REPEAT_SECONDS:
            return False
        self._last[key] = now
        return True


class SharedRotatingFileHandler(RotatingFileHandler):
    """A size-rotated log file that several gunicorn workers write at once.

    The stock handler rotates per process: another worker keeps writing into the file the first one
    renamed, and later deletes it with lines in it. Here every write holds a lock file (warnings and
    errors are rare enough for that), reopens the path when it no longer names the open file, and
    rotates only if the file on disk is still full.
    """

    _lock_file: IO[str] | None = None

    def _reopen_if_moved(self) -> None:
        if self.stream is None:
            return
        try:
            on_disk = os.stat(self.baseFilename)
        except FileNotFoundError:
            moved = True
        else:
            mine = os.fstat(self.stream.fileno())
            moved = (on_disk.st_ino, on_disk.st_dev) != (mine.st_ino, mine.st_dev)
        if moved:
            self.stream.close()
            self.stream = self._open()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._lock_file is None:
                self._lock_file = open(self.baseFilename + ".lock", "a")  # noqa: SIM115 (kept open)
            fcntl.flock(self._lock_file, fcntl.LOCK_EX)
        except OSError:
            self.handleError(record)
            return
        try:
            self._reopen_if_moved()
            super().emit(record)
        finally:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None
        super().close()


def parse_admins(value: str) -> list[tuple[str, str]]:
    """``GONGKAI_ADMINS``: ``张三 <zhang@example.cn>, li@example.cn`` -> [(name, address), …]."""
    admins = []
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        if "<" in item and item.endswith(">"):
            name, _, address = item[:-1].partition("<")
            admins.append((name.strip() or address.strip(), address.strip()))
        else:
            admins.append((item, item))
    return admins


def log_directory(home: Path, configured: str | None) -> Path | None:
    """Where the log file goes (``GONGKAI_LOG_DIR``, default ``$GONGKAI_HOME/logs``; empty: no file),
    or None when it cannot be created: a read-only disk must not stop the site from serving reads."""
    if configured is not None and not configured.strip():
        return None
    directory = Path(configured) if configured else home / "logs"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return directory if os.access(directory, os.W_OK) else None


def logging_config(*, log_dir: Path | None, mail_admins: bool, level: str) -> dict[str, Any]:
    """The ``LOGGING`` setting."""
    refusals = {"()": OneLineRefusals}
    handlers: dict[str, Any] = {"console": {"class": "logging.StreamHandler", "filters": ["refusals"]}}
    if log_dir is not None:
        handlers["file"] = {
            "()": SharedRotatingFileHandler,
            "filename": str(log_dir / "gongkai.log"),
            "maxBytes": LOG_FILE_BYTES,
            "backupCount": LOG_FILE_BACKUPS,
            "encoding": "utf-8",
            "delay": True,
            "level": "WARNING",
            "formatter": "stamped",
            "filters": ["refusals"],
        }
    if mail_admins:
        handlers["mail_admins"] = {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["refusals", "server_errors_once"],
        }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "stamped": {"format": "%(asctime)s %(process)d %(levelname)s %(name)s %(message)s"},
        },
        "filters": {"refusals": refusals, "server_errors_once": {"()": ServerErrorsOnce}},
        "handlers": handlers,
        "root": {"handlers": list(handlers), "level": level},
        "loggers": {
            # Django's default config gives "django" its own console and mail handlers; everything goes
            # to the root's instead, once.
            "django": {"handlers": [], "level": "INFO", "propagate": True},
            # WeasyPrint and fontTools log every layout step at INFO: a report download must not flood the log.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
            # pikepdf (core.pdf_check) announces its C++ log bridge at INFO in every process that imports it.
            "pikepdf": {"level": "WARNING"},
        },
    }
