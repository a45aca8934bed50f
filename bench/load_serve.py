"""Load test of `gongkai serve` (gunicorn) on SQLite and on PostgreSQL, loopback only, bounded in time.

For each database: a fresh demo ledger (the 东花市 office, ~300 published items), then the real command
``gongkai serve`` on a free port of 127.0.0.1, sized to this machine as in production. Against it:

- portal home, search (养老) and an item page: ``REQUESTS`` requests each, ``CONCURRENCY`` at a time, a new
  connection per request;
- intake: ``APPLICATIONS`` online applications (Art. 29 form with an ID scan). Every applicant first
  fetches the form (its CSRF cookie and token), then all open their connections, and all POSTs are
  sent at the same moment; each applicant then reads its receipt page for the tracking number.

Each scenario is repeated in the same run against ``/_bench/bare/`` (``bench.load_urls``: a Django view
behind the same server and middleware that only parses the request), which is the baseline: the ratio
says what gongkai's own work costs on top of Django and gunicorn on this machine.

Passing the rate limits legitimately: the server runs with ``GONGKAI_BEHIND_PROXY=1`` — what a deployment
behind nginx runs with — so the client address is the last ``X-Forwarded-For`` entry, and every request
comes from its own visitor's address (172.16.x.y for the pages, 10.x.y.z for the applicants, as nginx
would set it); every applicant has its own phone number. The honeypot stays empty. The upload-check
slots (``GONGKAI_UPLOAD_SLOTS``, ``core.upload_slots``) keep their defaults.

Pass: zero connection errors, every application answered 302 with a receipt, 200 distinct tracking
numbers, and exactly those 200 new online applications in the database (none lost, none extra).
SQLite writes are serialised by SQLite's own write lock, taken at BEGIN (``transaction_mode``
IMMEDIATE) and waited for up to the 20 s busy timeout; nothing is retried, so a "database is locked"
would show as a failed application (and is counted in the server log).

``GONGKAI_BENCH_SCALE`` scales the GET requests (not the 200 applications).
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCALE = float(os.environ.get("GONGKAI_BENCH_SCALE") or 1)
REQUESTS = max(100, int(200 * SCALE))
# The burst that reset 72 of 100 connections under runserver (issue 12).
CONCURRENCY = 100
APPLICATIONS = 200
TIMEOUT = 90.0
ID_NUMBER = "440524188001010014"


@dataclass
class Reply:
    status: int = 0
    headers: dict[str, list[str]] = field(default_factory=dict)
    body: bytes = b""
    seconds: float = 0.0
    error: str = ""

    def cookie(self, name: str) -> str:
        for value in self.headers.get("set-cookie", []):
            if value.startswith(name + "="):
                return value.split(";", 1)[0].split("=", 1)[1]
        return ""


@dataclass
class Run:
    label: str
    replies: list[Reply]
    wall: float

    @property
    def errors(self) -> int:
        return sum(1 for r in self.replies if r.error)

    def latencies(self) -> list[float]:
        return sorted(r.seconds for r in self.replies if not r.error)

    def percentile(self, q: float) -> float:
        values = self.latencies()
        return values[max(0, min(len(values) - 1, round(q * (len(values) - 1))))] if values else float("nan")

    @property
    def throughput(self) -> float:
        return len(self.replies) / self.wall if self.wall else 0.0


# -- a minimal HTTP/1.1 client: one connection per request, read to EOF -----------------------------------


def _parse(data: bytes) -> Reply:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    reply = Reply(status=int(lines[0].split()[1]), body=body)
    for line in lines[1:]:
        name, _, value = line.partition(":")
        reply.headers.setdefault(name.strip().lower(), []).append(value.strip())
    return reply


def _request_bytes(method: str, path: str, headers: dict[str, str], body: bytes) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close", "User-Agent: gongkai-bench"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def fetch(
    port: int,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    start: asyncio.Event | None = None,
) -> Reply:
    """One request on its own connection; with ``start``, connect first and send when it is set."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), TIMEOUT)
        if start is not None:
            await start.wait()
        t0 = time.perf_counter()
        writer.write(_request_bytes(method, path, headers or {}, body))
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), TIMEOUT)
        seconds = time.perf_counter() - t0
        writer.close()
    except (TimeoutError, OSError) as exc:
        return Reply(error=f"{type(exc).__name__}: {exc}")
    if not data:
        return Reply(error="connection closed without a response")
    reply = _parse(data)
    reply.seconds = seconds
    return reply


def _visitor(n: int) -> dict[str, str]:
    """The header nginx would set for the n-th of many visitors (searches are rate-limited per address)."""
    return {"X-Forwarded-For": f"172.{16 + n // 62500}.{n // 250 % 250}.{n % 250 + 1}"}


async def _run_gets(label: str, port: int, path: str) -> Run:
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(n: int) -> Reply:
        async with gate:
            reply = await fetch(port, "GET", path, _visitor(n))
        if not reply.error and reply.status != 200:
            reply.error = f"HTTP {reply.status}"
        return reply

    t0 = time.perf_counter()
    replies = await asyncio.gather(*(one(n) for n in range(REQUESTS)))
    return Run(label, list(replies), time.perf_counter() - t0)


# -- the online applications -------------------------------------------------------------------------------


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (600, 380), (200, 210, 220)).save(out, format="JPEG", quality=85)
    return out.getvalue()


def _multipart(fields: dict[str, str], scan: bytes) -> tuple[str, bytes]:
    boundary = f"----gongkai{uuid.uuid4().hex}"
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    out.write(
        f'--{boundary}\r\nContent-Disposition: form-data; name="scans"; filename="id.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
    )
    out.write(scan + f"\r\n--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", out.getvalue()


def _application(i: int, token: str) -> dict[str, str]:
    return {
        "csrfmiddlewaretoken": token,
        "applicant_type": "natural_person",
        "name": f"压测申请人{i:03d}",
        "id_kind": "resident_id",
        "id_number": ID_NUMBER,
        "phone": f"139{i:08d}",
        "email": f"applicant{i:03d}@example.cn",
        "address": "",
        "description": f"东花市街道2025年老旧小区综合整治项目第{i}号楼的验收报告",
        "form_of_provision": "email",
        "pledge": "on",
        "homepage": "",
    }


@dataclass
class Intake:
    run: Run
    bare: Run
    tracking: list[str]
    refused: list[str]


async def _run_intake(port: int) -> Intake:
    scan = _jpeg()
    addresses = [f"10.{1 + i // 250}.{i % 250}.7" for i in range(APPLICATIONS)]
    gate = asyncio.Semaphore(CONCURRENCY)

    async def form(address: str) -> tuple[str, str]:
        async with gate:
            page = await fetch(port, "GET", "/apply/", {"X-Forwarded-For": address})
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        return page.cookie("csrftoken"), token.group(1).decode() if token else ""

    forms = await asyncio.gather(*(form(a) for a in addresses))
    posts = []
    for i, ((cookie, token), address) in enumerate(zip(forms, addresses, strict=True)):
        content_type, body = _multipart(_application(i, token), scan)
        headers = {"X-Forwarded-For": address, "Cookie": f"csrftoken={cookie}", "Content-Type": content_type}
        posts.append((headers, body))

    async def simultaneous(path: str) -> Run:
        start = asyncio.Event()
        tasks = [asyncio.create_task(fetch(port, "POST", path, h, b, start=start)) for h, b in posts]
        await asyncio.sleep(0.5)  # let every connection open
        t0 = time.perf_counter()
        start.set()
        replies = await asyncio.gather(*tasks)
        return Run(path, list(replies), time.perf_counter() - t0)

    run = await simultaneous("/apply/")
    refused = [r.error or f"HTTP {r.status}" for r in run.replies if r.error or r.status != 302]
    tracking = await asyncio.gather(
        *(_receipt(port, r, a) for r, a in zip(run.replies, addresses, strict=True) if r.status == 302)
    )
    bare = await simultaneous("/_bench/bare/")
    return Intake(run, bare, [t for t in tracking if t], refused)


async def _receipt(port: int, posted: Reply, address: str) -> str:
    session = posted.cookie("sessionid")
    page = await fetch(
        port, "GET", "/apply/done/", {"Cookie": f"sessionid={session}", "X-Forwarded-For": address}
    )
    found = re.search(rb'id="tracking-number">([^<]+)<', page.body)
    return found.group(1).decode() if found else ""


# -- the server and the database -------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _worker(env: dict[str, str], mode: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bench.load_serve", mode], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench worker {mode} failed:\n{done.stderr[-3000:]}")
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def _start_server(env: dict[str, str], home: Path) -> tuple[subprocess.Popen[bytes], int, Path]:
    port = _free_port()
    log = home / "server.log"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gongkai.cli",
            "serve",
            "--port",
            str(port),
            "--access-log",
            str(home / "access.log"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while True:
        if server.poll() is not None:
            raise RuntimeError("gongkai serve exited:\n" + log.read_text(errors="replace")[-3000:])
        reply = asyncio.run(fetch(port, "GET", "/healthz"))
        if reply.status == 200:
            return server, port, log
        if time.monotonic() > deadline:
            raise RuntimeError("gongkai serve did not become healthy")
        time.sleep(0.3)


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


async def _scenarios(port: int) -> tuple[list[tuple[Run, Run]], Intake]:
    catalogue = await fetch(port, "GET", "/disclosure/")
    item = re.search(rb'href="(/disclosure/\d+/)"', catalogue.body)
    if item is None:
        raise RuntimeError("no published item on /disclosure/")
    query = "/search/?q=" + urllib.parse.quote("养老")
    pairs = []
    for label, path in (("home", "/"), ("search", query), ("item", item.group(1).decode())):
        await fetch(port, "GET", path)  # warm the workers' caches once, as a live site's would be
        ours = await _run_gets(label, port, path)
        bare = await _run_gets(
            "bare", port, "/_bench/bare/" + (path[path.index("?") :] if "?" in path else "")
        )
        pairs.append((ours, bare))
    intake = await _run_intake(port)
    return pairs, intake


def run_database(vendor: str, env: dict[str, str]) -> bool:
    with tempfile.TemporaryDirectory(prefix="gongkai-load-") as tmp:
        home = Path(tmp)
        env = {**env, "GONGKAI_HOME": str(home)}
        t0 = time.perf_counter()
        _worker(env, "--build")
        before = set(json.loads(_worker(env, "--count")))
        server, port, log = _start_server(env, home)
        ready = time.perf_counter() - t0
        try:
            banner = log.read_text(errors="replace").splitlines()[0]
            pairs, intake = asyncio.run(_scenarios(port))
        finally:
            _stop(server)
        stored = set(json.loads(_worker(env, "--count"))) - before
        locked = log.read_text(errors="replace").count("database is locked")
    workers = re.search(r"gunicorn，(.+?)；", banner)
    print(
        f"  {vendor}: demo ledger and server ready in {ready:.0f} s; gunicorn {workers.group(1) if workers else '?'}"
    )
    _table(pairs, intake)
    return _verdict(intake, stored, locked, pairs)


def _row(label: str, ours: Run, bare: Run) -> str:
    ms = 1000.0
    cells = [
        f"{label:<16}{len(ours.replies):>5}{ours.errors:>5}",
        f"{ours.throughput:8.1f}{ours.percentile(0.5) * ms:8.0f}{ours.percentile(0.95) * ms:8.0f}"
        f"{ours.percentile(0.99) * ms:8.0f}",
        f"{bare.throughput:8.1f}{bare.percentile(0.5) * ms:8.0f}{bare.percentile(0.95) * ms:8.0f}"
        f"{bare.percentile(0.99) * ms:8.0f}{bare.errors:>5}",
        f"{bare.throughput / ours.throughput if ours.throughput else float('nan'):8.1f}×",
    ]
    return "    " + " │".join(cells)


def _table(pairs: list[tuple[Run, Run]], intake: Intake) -> None:
    print(
        f"    {'scenario':<16}{'n':>5}{'err':>5} │{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8} │"
        f"{'bare/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'err':>5} │{'bare÷ours':>9}"
    )
    for ours, bare in pairs:
        print(_row(f"{ours.label} (GET)", ours, bare))
    print(_row("intake (POST)", intake.run, intake.bare))


def _verdict(intake: Intake, stored: set[str], locked: int, pairs: list[tuple[Run, Run]]) -> bool:
    errors = sum(o.errors + b.errors for o, b in pairs) + intake.run.errors + intake.bare.errors
    unique = set(intake.tracking)
    lost = len(unique - stored)
    ok = (
        errors == 0
        and not intake.refused
        and len(intake.tracking) == APPLICATIONS
        and len(unique) == APPLICATIONS
        and stored == unique
    )
    print(
        f"    applications: {len(intake.run.replies)} sent at once, {APPLICATIONS - len(intake.refused)} accepted, "
        f"{len(intake.tracking)} receipts, {len(unique)} distinct tracking numbers, {len(stored)} new in the "
        f"database, {lost} lost, {len(stored - unique)} unacknowledged; connection/HTTP errors {errors}; "
        f'"database is locked" in the server log {locked}'
    )
    if intake.refused:
        print(f"    refused: {sorted(set(intake.refused))[:5]}")
    print(f"    → {'PASS' if ok else 'FAIL'}")
    return ok


def main() -> None:
    started = time.perf_counter()
    print(
        f"== load: gongkai serve on loopback — {REQUESTS} GETs per page ({CONCURRENCY} at a time), "
        f"{APPLICATIONS} simultaneous applications; baseline /_bench/bare/ ==",
        flush=True,
    )
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GONGKAI_", "DJANGO_")) and k != "DATABASE_URL"
    }
    base.update(
        UV_PYTHON_DOWNLOADS="never",
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="bench.load_settings",
        GONGKAI_BEHIND_PROXY="1",
    )
    run_database("sqlite", base)
    pg_script = ROOT / "scripts" / "pg-throwaway.sh"
    pg_env = {**base, "GONGKAI_PG_DIR": "/tmp/gongkai-pg-load"}
    cluster = subprocess.run([str(pg_script), "start"], env=pg_env, capture_output=True, text=True)
    if cluster.returncode != 0:
        print("  postgresql: not available, skipped (" + cluster.stderr.strip().splitlines()[-1] + ")")
        return
    try:
        run_database("postgresql", {**base, "DATABASE_URL": cluster.stdout.strip()})
    finally:
        subprocess.run([str(pg_script), "stop"], env=pg_env, capture_output=True)
    print(f"  load test done in {time.perf_counter() - started:.0f} s", flush=True)


def worker(mode: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    django.setup()
    if mode == "--build":
        from gongkai.demo_ledger import build_demo

        build_demo(progress=lambda line: None)
    else:
        from gongkai.inforequests.models import InfoRequest

        online = InfoRequest.objects.filter(channel="online").values_list("reference", flat=True)
        print(json.dumps(sorted(online)))


if __name__ == "__main__":
    if sys.argv[1:2] in (["--build"], ["--count"]):
        worker(sys.argv[1])
    else:
        main()
