"""Reports filed through the service, as the portal files them, and the outbox drained for grid only."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.core.files import JPEG, PNG, validate_file
from gongkai.core.services import DrainResult, drain_outbox
from gongkai.grid.forward import HANDLERS
from gongkai.grid.models import Report
from gongkai.grid.services import report_submit
from grid.conftest import gps_jpeg


def file_report(photo: bytes | None = None, **fields: Any) -> Report:
    data = photo if photo is not None else gps_jpeg()
    clean = validate_file(
        SimpleUploadedFile("现场.jpg", data, "image/jpeg"), accept=(JPEG, PNG), cap=10 << 20
    )
    values = {
        "category": "road",
        "place": "东花市北里东区南门",
        "description": "人行道地砖松动，有老人绊倒",
        "name": "张三",
        "phone": "13912345678",
    }
    values.update(fields)
    return report_submit(photo=clean, **values)


def drain(max_attempts: int = 12) -> DrainResult:
    return drain_outbox(HANDLERS, max_attempts=max_attempts)
