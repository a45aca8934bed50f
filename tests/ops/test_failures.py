"""Issue 12, point 6: a read-only database, a full disk or an unwritable upload folder answers a Chinese 503
in the site's frame while reads keep working; refusals are logged as one line; the log file rotates safely
with several worker processes writing it."""

from __future__ import annotations

import io
import logging
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from PIL import Image

from gongkai.ops.logs import OneLineRefusals, SharedRotatingFileHandler
from gongkai.ops.writes import unavailable_reason
from staff_auth import sign_in

PORTAL = '<header class="site">'
WORKBENCH = '<header class="topbar">'


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 210, 220)).save(out, format="JPEG")
    return out.getvalue()


def application(**overrides: Any) -> dict[str, Any]:
    data = {
        "applicant_type": "natural_person",
        "name": "上官申请人",
        "id_kind": "resident_id",
        "id_number": "440524188001010014",
        "phone": "13600001111",
        "email": "shangguan@example.cn",
        "address": "",
        "description": "2025年东花市街道老旧小区综合整治项目的验收报告",
        "form_of_provision": "email",
        "pledge": "on",
        "homepage": "",
        "scans": [SimpleUploadedFile("身份证.jpg", _jpeg(), content_type="image/jpeg")],
    }
    return {**data, **overrides}


@contextmanager
def read_only_database() -> Iterator[None]:
    """The test's database connection refuses every write, as a read-only file or standby would."""
    on, off = (
        ("PRAGMA query_only = ON", "PRAGMA query_only = OFF")
        if connection.vendor == "sqlite"
        else (
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
        )
    )
    with connection.cursor() as cursor:
        cursor.execute(on)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(off)


def _unavailable_page(response: Any, frame: str, reason: str) -> str:
    assert response.status_code == 503
    assert response["Retry-After"] == "300"
    body = response.content.decode()
    assert frame in body and reason in body and "只能查阅" in body and "没有保存" in body
    assert "Traceback" not in body and "OperationalError" not in body and "readonly" not in body
    return body


@pytest.mark.django_db(transaction=True)
def test_read_only_database_writes_say_why_and_reads_keep_working(
    settings: Any, tmp_path: Path, django_user_model: Any
) -> None:
    from gongkai.inforequests.models import InfoRequest

    settings.DEBUG = False
    settings.MEDIA_ROOT = tmp_path / "media"
    staff = Client(raise_request_exception=False)
    sign_in(staff, django_user_model.objects.create_user("clerk", password="x-Long-enough-1"))
    public = Client(raise_request_exception=False)
    with read_only_database():
        _unavailable_page(public.post("/apply/", application()), PORTAL, "数据库处于只读状态")
        assert public.get("/").status_code == 200
        assert public.get("/apply/").status_code == 200
        assert public.get("/healthz").status_code == 200
        # Staff: signing out deletes the session row, a write.
        _unavailable_page(staff.post("/accounts/logout/"), WORKBENCH, "数据库处于只读状态")
    assert not InfoRequest.objects.exists()
    # Nothing half-written: the application's scan went with it.
    assert not list((tmp_path / "media").rglob("*.jpg"))


@pytest.mark.django_db
def test_upload_folder_the_kernel_refuses_gives_503(settings: Any) -> None:
    settings.DEBUG = False
    settings.MEDIA_ROOT = Path("/sys/gongkai-media")  # EPERM even for root
    response = Client(raise_request_exception=False).post("/apply/", application())
    _unavailable_page(response, PORTAL, "服务器的文件存储目录不可写")


def test_full_disk_and_full_database_are_recognised() -> None:
    with pytest.raises(OSError) as disk, open("/dev/full", "wb") as full:
        full.write(b"x" * 10)
    assert unavailable_reason(disk.value) == "服务器磁盘空间已满"

    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (x TEXT)")
    db.execute("PRAGMA max_page_count = 3")
    with pytest.raises(sqlite3.OperationalError) as full_db:
        for _ in range(100):
            db.execute("INSERT INTO t VALUES (?)", ("x" * 4000,))
    assert unavailable_reason(full_db.value) == "数据库所在磁盘空间已满"

    wrapped = RuntimeError("while saving")
    wrapped.__cause__ = disk.value
    assert unavailable_reason(wrapped) == "服务器磁盘空间已满"
    assert unavailable_reason(ValueError("attempt to divide")) == ""
    assert unavailable_reason(None) == ""


# -- logging -------------------------------------------------------------------------------------------


@pytest.fixture
def root_log() -> Iterator[io.StringIO]:
    """What the root logger's handlers receive, after the handlers settings.LOGGING installed ran first."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    logging.getLogger().addHandler(handler)
    try:
        yield buffer
    finally:
        logging.getLogger().removeHandler(handler)


@pytest.mark.django_db
def test_a_403_is_one_line_without_traceback(client: Client, settings: Any, root_log: io.StringIO) -> None:
    settings.DEBUG = False
    assert client.get("/apply/status/WS20260101-ABC123/notice.docx").status_code == 403
    assert root_log.getvalue().splitlines() == [
        "WARNING django.request Forbidden (Permission denied): /apply/status/WS20260101-ABC123/notice.docx"
        " — PermissionDenied"
    ]
    assert "Traceback" not in root_log.getvalue()


@pytest.mark.django_db
def test_a_csrf_refusal_is_one_line(settings: Any, root_log: io.StringIO) -> None:
    settings.DEBUG = False
    response = Client(enforce_csrf_checks=True).post("/apply/", {"name": "x"})
    assert response.status_code == 403
    (line,) = root_log.getvalue().splitlines()
    assert line.startswith("WARNING django.security.csrf Forbidden (CSRF cookie not set.): /apply/")


def test_the_filter_keeps_tracebacks_of_server_errors() -> None:
    def record(status: int, exc: BaseException) -> logging.LogRecord:
        try:
            raise exc
        except type(exc):
            info = sys.exc_info()
        rec = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "%s: %s", ("X", "/p"), info)
        rec.status_code = status
        return rec

    server_error = record(500, ZeroDivisionError("boom"))
    OneLineRefusals().filter(server_error)
    assert server_error.exc_info is not None
    refused = record(403, PermissionError("您无权查看该申请"))
    OneLineRefusals().filter(refused)
    assert refused.exc_info is None and refused.getMessage() == "X: /p — PermissionError: 您无权查看该申请"
    full = record(503, OSError(28, "No space left on device"))
    OneLineRefusals().filter(full)
    assert full.exc_info is None and "写入失败：服务器磁盘空间已满" in full.getMessage()


WRITER = """
import logging, sys, time
from gongkai.ops.logs import SharedRotatingFileHandler
handler = SharedRotatingFileHandler(sys.argv[1], maxBytes=20_000, backupCount=100, delay=True)
log = logging.getLogger("w"); log.addHandler(handler); log.setLevel(logging.INFO)
while time.time() < float(sys.argv[3]):  # both start writing together
    time.sleep(0.001)
for i in range(1500):
    log.info("%s line %05d %s", sys.argv[2], i, "x" * 60)
"""


def test_log_file_rotation_with_two_processes_loses_and_oversizes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "gongkai.log"
    start = str(time.time() + 3)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, start]) for name in "AB"]
    for w in writers:
        assert w.wait(timeout=120) == 0
    files = [
        p for p in tmp_path.iterdir() if p.name.startswith("gongkai.log") and not p.name.endswith(".lock")
    ]
    lines = [line for p in files for line in p.read_text().splitlines()]
    assert len(lines) == 3000 and len(set(lines)) == 3000
    assert all(len(line) == len(lines[0]) for line in lines)  # no line torn by the other writer
    assert max(p.stat().st_size for p in files) <= 20_000


def test_a_second_writer_follows_the_rotation_instead_of_writing_into_a_deleted_file(tmp_path: Path) -> None:
    path = tmp_path / "gongkai.log"

    def handler() -> SharedRotatingFileHandler:
        made = SharedRotatingFileHandler(str(path), maxBytes=1000, backupCount=2)
        made.setFormatter(logging.Formatter("%(message)s"))
        return made

    def emit(h: logging.Handler, message: str) -> None:
        h.handle(logging.LogRecord("w", logging.WARNING, __file__, 1, message, (), None))

    first, second = handler(), handler()  # two worker processes: two open files
    try:
        emit(second, "second before")
        # Many rotations, only two backups kept. 100-byte lines: the file second has open is rotated at
        # 913 bytes, so that second's own size check alone would not notice.
        for i in range(100):
            emit(first, f"first {i:03d} " + "x" * 89)
        emit(second, "second after")
    finally:
        first.close()
        second.close()
    # The stock handler would have written this into the file the rotations renamed and then deleted.
    assert "second after" in path.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "gongkai.log",
        "gongkai.log.1",
        "gongkai.log.2",
        "gongkai.log.lock",
    ]


def test_server_errors_are_mailed_to_the_admins_once_and_refusals_never(settings: Any) -> None:
    from django.core import mail
    from django.utils.log import AdminEmailHandler

    from gongkai.ops.logs import ServerErrorsOnce, logging_config

    settings.ADMINS = [("信息中心", "it@example.gov.cn")]
    config = logging_config(log_dir=None, mail_admins=True, level="INFO")
    assert config["handlers"]["mail_admins"]["filters"] == ["refusals", "server_errors_once"]
    assert "mail_admins" in config["root"]["handlers"]
    assert "mail_admins" not in logging_config(log_dir=None, mail_admins=False, level="INFO")["handlers"]

    handler = AdminEmailHandler()
    handler.setLevel(logging.ERROR)
    handler.addFilter(OneLineRefusals())
    handler.addFilter(ServerErrorsOnce())
    log = logging.getLogger("django.request")
    log.addHandler(handler)
    try:
        for _ in range(3):
            try:
                raise ZeroDivisionError("boom")
            except ZeroDivisionError:
                log.error("Internal Server Error: %s", "/x", exc_info=True, extra={"status_code": 500})
        log.warning("Forbidden (Permission denied): %s", "/y", extra={"status_code": 403})
        log.error("Invalid HTTP_HOST header", extra={"status_code": 400})
    finally:
        log.removeHandler(handler)
    (message,) = mail.outbox
    assert message.to == ["it@example.gov.cn"] and "Internal Server Error: /x" in message.subject
    assert "ZeroDivisionError" in message.body
