"""A cap on uploads being checked at once, across every app process on this machine.

Checking an upload is the expensive part of a request: a photo at the pixel cap decodes to about 150 MB,
a PDF is parsed revision by revision, a Word file unpacked. Rate limits bound how often one address may
try, not how many addresses try at the same moment; this bounds that. A request that carries files
takes one of ``GONGKAI_UPLOAD_SLOTS`` slots for its checks, waits up to ``GONGKAI_UPLOAD_WAIT_SECONDS``
for one, and is otherwise answered "busy, try again shortly" (503) without reading its files.

A slot is an exclusive ``flock`` on a file in ``UPLOAD_SLOT_DIR``: every worker process and thread on the
host contends for the same files, and the kernel releases a lock when its process dies, so a killed
worker never leaks a slot. The cap is per host on purpose: memory is a host's, and each app server of a
scaled-out deployment has its own.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

_POLL_SECONDS = 0.05


class UploadsBusy(Exception):
    """Every slot stayed taken for the whole wait; ``message`` and ``retry_after`` are for the answer."""

    retry_after = 30

    @property
    def message(self) -> str:
        return _("当前提交上传文件的人较多，请稍候一分钟后重新提交。")


def _slots() -> int:
    return max(1, int(getattr(settings, "GONGKAI_UPLOAD_SLOTS", 2)))


def _wait_seconds() -> float:
    return float(getattr(settings, "GONGKAI_UPLOAD_WAIT_SECONDS", 10))


def _slot_dir() -> Path:
    directory = Path(settings.UPLOAD_SLOT_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def _take_free_slot(directory: Path, slots: int) -> int | None:
    """An open descriptor holding the lock of a free slot, or None when all are taken."""
    for number in range(slots):
        fd = os.open(directory / f"upload-{number}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return fd
    return None


@contextmanager
def upload_slot() -> Iterator[None]:
    """Hold one upload slot for the duration of the block; raises ``UploadsBusy`` if none frees in time."""
    directory, slots = _slot_dir(), _slots()
    deadline = time.monotonic() + _wait_seconds()
    while (fd := _take_free_slot(directory, slots)) is None:
        if time.monotonic() >= deadline:
            raise UploadsBusy
        time.sleep(_POLL_SECONDS)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
