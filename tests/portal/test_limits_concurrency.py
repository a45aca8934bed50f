"""Limits that hold under concurrency: counted atomically before the work, across processes.

The requests go to a real server process (``served``) at the same instant (a barrier releases them), so
they meet in the database as production requests do. Before the counting moved in front of the work,
30 simultaneous applications from one address got 12 through a limit of 5.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from gongkai.core.upload_slots import UploadsBusy, upload_slot
from gongkai.inforequests.models import InfoRequest
from gongkai.portal import ratelimit
from gongkai.portal.models import ApplicationScan
from portal.served import Browser, served

pytestmark = pytest.mark.django_db(transaction=True)

CONCURRENT = 30


def jpeg(size: tuple[int, int] = (120, 80)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 210, 220)).save(out, format="JPEG")
    return out.getvalue()


def application(phone: str) -> dict[str, str]:
    return {
        "applicant_type": "natural_person",
        "name": "并发测试人",
        "id_kind": "resident_id",
        "id_number": "440524188001010014",
        "phone": phone,
        "email": "bingfa@example.cn",
        "address": "",
        "description": "2023年老旧小区综合整治项目的验收报告",
        "form_of_provision": "email",
        "pledge": "on",
        "homepage": "",
    }


def all_at_once(count: int, send: Any) -> list[tuple[int, str]]:
    """``send(i)`` from ``count`` threads released together; the (status, body) answers in order."""
    barrier = threading.Barrier(count)

    def one(i: int) -> tuple[int, str]:
        barrier.wait(timeout=60)
        return send(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def test_thirty_simultaneous_applications_from_one_address_let_exactly_the_limit_through(
    office: Any, tmp_path: Path
) -> None:
    limit = ratelimit.APPLICATION_PER_IP.max_hits
    with served(tmp_path / "server") as server:
        visitor = Browser(server.url)
        assert visitor.get("/apply/")[0] == 200
        scan = jpeg()
        answers = all_at_once(
            CONCURRENT,
            lambda i: visitor.post(
                "/apply/", application(f"1390000{i:04d}"), {"scans": [("身份证.jpg", scan)]}
            ),
        )
        statuses = Counter(status for status, _ in answers)
        assert statuses == {302: limit, 429: CONCURRENT - limit}, statuses
        assert all("提交过于频繁" in body for status, body in answers if status == 429)
        assert server.count(InfoRequest._meta.db_table) == limit
        assert server.count(ApplicationScan._meta.db_table) == limit
        # A failed submission has used its turn too: the next one, even a broken one, is refused.
        assert visitor.post("/apply/", application("13900009999"))[0] == 429


def test_thirty_simultaneous_wrong_secrets_are_counted_exactly(office: Any, tmp_path: Path) -> None:
    with served(tmp_path / "server") as server:
        guesser = Browser(server.url)
        assert guesser.get("/apply/status/")[0] == 200
        answers = all_at_once(
            CONCURRENT,
            lambda i: guesser.post(
                "/apply/status/", {"tracking_number": "WS20240612-AAAAAA", "secret": f"AAAA-AAAA-{i:04d}"}
            ),
        )
        statuses = Counter(status for status, _ in answers)
        per_case = ratelimit.LOOKUP_FAIL_PER_CASE.max_hits
        assert statuses == {403: per_case, 429: CONCURRENT - per_case}, statuses


def test_a_failed_application_counts_against_the_limit(client: Client, office: Any) -> None:
    client = Client(REMOTE_ADDR="192.0.2.77")
    for i in range(ratelimit.APPLICATION_PER_IP.max_hits):
        broken = {**application(f"1370000{i:04d}"), "id_number": "440524188001010015"}  # wrong check digit
        assert client.post("/apply/", broken).status_code == 400
    valid = {**application("13700009999"), "scans": [SimpleUploadedFile("id.jpg", jpeg())]}
    response = client.post("/apply/", valid)
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert not InfoRequest.objects.exists()


def test_searches_are_rate_limited_per_address(client: Client, office: Any) -> None:
    searcher = Client(REMOTE_ADDR="192.0.2.88")
    for _ in range(ratelimit.SEARCH_PER_IP.max_hits):
        assert searcher.get("/search/", {"q": "预算"}).status_code == 200
    refused = searcher.get("/search/", {"q": "预算"})
    assert refused.status_code == 429 and "检索过于频繁，请 1 分钟后再试" in refused.content.decode()
    assert int(refused["Retry-After"]) <= ratelimit.SEARCH_PER_IP.window_seconds
    assert searcher.get("/search/").status_code == 200  # the empty search form costs nothing
    assert Client(REMOTE_ADDR="192.0.2.89").get("/search/", {"q": "预算"}).status_code == 200


# --- the cap on uploads checked at once -----------------------------------------------------------------


def test_uploads_beyond_the_cap_are_answered_busy_in_chinese(
    client: Client, office: Any, settings: Any
) -> None:
    settings.GONGKAI_UPLOAD_SLOTS = 2
    settings.GONGKAI_UPLOAD_WAIT_SECONDS = 0.3
    data = {**application("13500001111"), "scans": [SimpleUploadedFile("id.jpg", jpeg())]}
    with upload_slot(), upload_slot():  # two other requests are checking their files
        started = time.monotonic()
        busy = client.post("/apply/", data)
        assert time.monotonic() - started < 5
    assert busy.status_code == 503
    assert "当前提交上传文件的人较多，请稍候一分钟后重新提交" in busy.content.decode()
    assert busy["Retry-After"] == str(UploadsBusy.retry_after)
    assert not InfoRequest.objects.exists()
    data["scans"] = [SimpleUploadedFile("id.jpg", jpeg())]
    assert client.post("/apply/", data).status_code == 302  # a slot is free again


def test_a_killed_process_never_keeps_a_slot(settings: Any, tmp_path: Path) -> None:
    settings.GONGKAI_UPLOAD_SLOTS = 1
    settings.GONGKAI_UPLOAD_WAIT_SECONDS = 0.2
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_A_SLOT, str(settings.UPLOAD_SLOT_DIR)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with pytest.raises(UploadsBusy), upload_slot():
            pass
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
        with upload_slot():  # the kernel dropped the dead process's lock
            pass
    finally:
        if holder.poll() is None:
            holder.kill()


HOLD_A_SLOT = """
import fcntl, os, sys, time
directory = sys.argv[1]
os.makedirs(directory, exist_ok=True)
fd = os.open(os.path.join(directory, "upload-0.lock"), os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("holding", flush=True)
time.sleep(120)
"""


def test_the_expensive_checks_of_simultaneous_uploads_run_one_at_a_time(office: Any, tmp_path: Path) -> None:
    # The case: four posts, each with three large photos, at once. With one slot the server
    # decodes one photo at a time, so its peak memory grows by about one decoded photo (~105 MB measured
    # for these 24 MP ones), not four requests' worth (~380 MB measured with four slots). A fixed mmap
    # threshold makes glibc hand each freed bitmap back at once, so the peak measures what was alive at
    # the same time rather than what each request thread's malloc arena kept cached.
    big = io.BytesIO()
    Image.new("RGB", (6000, 4000), (90, 120, 150)).save(big, format="JPEG", quality=80)
    photo = big.getvalue()
    assert len(photo) < 2_000_000
    with served(
        tmp_path / "server",
        GONGKAI_UPLOAD_SLOTS="1",
        GONGKAI_UPLOAD_WAIT_SECONDS="300",
        MALLOC_MMAP_THRESHOLD_="131072",
    ) as server:
        visitor = Browser(server.url)
        visitor.get("/apply/")
        before = server.peak_memory_kb()
        answers = all_at_once(
            4,
            lambda i: visitor.post(
                "/apply/", application(f"1380000{i:04d}"), {"scans": [(f"p{n}.jpg", photo) for n in range(3)]}
            ),
        )
        assert [status for status, _ in answers] == [302] * 4
        grown_mb = (server.peak_memory_kb() - before) / 1024
    assert grown_mb < 200, f"peak memory grew by {grown_mb:.0f} MB"
