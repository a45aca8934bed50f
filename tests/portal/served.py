"""A real server process over the test's database, and a plain HTTP client for it.

The server is Django's threaded server in a process of its own (each request on its own thread and
database connection, as under gunicorn's threads), so concurrent requests meet in the database exactly
as in production — not in one process's memory, and not on a connection shared by a test server's
threads. On PostgreSQL it serves the test database itself; the in-memory SQLite test database cannot be
opened by another process, so it is copied to a file (WAL, as in production) that the server opens.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection

STARTUP_SECONDS = 60
# Django's threaded development server (what `runserver` runs) with gunicorn's listen backlog instead of
# socketserver's 10, so that thirty simultaneous connections are all accepted rather than reset.
SERVER = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
import django
django.setup()
from django.core.servers.basehttp import WSGIServer, get_internal_wsgi_application, run

class Server(WSGIServer):
    request_queue_size = 2048

run("127.0.0.1", int(sys.argv[1]), get_internal_wsgi_application(), threading=True, server_cls=Server)
"""


@dataclass
class Served:
    url: str
    home: Path
    process: subprocess.Popen[bytes]
    sqlite_file: Path | None = None
    log: Path = field(default_factory=Path)

    def count(self, table: str) -> int:
        """Rows of ``table`` as the server's database has them."""
        if self.sqlite_file is None:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                return int(cursor.fetchone()[0])
        with sqlite3.connect(self.sqlite_file) as db:
            return int(db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])

    def peak_memory_kb(self) -> int:
        """The server process's peak resident memory so far (Linux ``VmHWM``)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))  # type: ignore[union-attr]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database_env(home: Path) -> tuple[dict[str, str], Path | None]:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user, host, port = settings["USER"], settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        return {"DATABASE_URL": f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"}, None
    target = home / "gongkai.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    return {}, target


@contextmanager
def served(home: Path, **env: str) -> Iterator[Served]:
    """Run the server over the test's (committed) data until the block ends; ``env`` adds settings."""
    home.mkdir(parents=True, exist_ok=True)
    database, sqlite_file = _database_env(home)
    port = _free_port()
    child_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    child_env.update({"GONGKAI_HOME": str(home), "GONGKAI_DEBUG": "1", **database, **env})
    log = home / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(port)],
            env=child_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Served(f"http://127.0.0.1:{port}", home, process, sqlite_file, log)
    try:
        _wait_until_up(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(server: Served) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited: {server.log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1])), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not start: {server.log.read_text()[-2000:]}")


class Browser:
    """Cookies and the CSRF token of one visitor, shared by the requests it sends (from any thread)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)
        self.token = ""

    def get(self, path: str) -> tuple[int, str]:
        status, body = self._send(urllib.request.Request(self.base + path))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if token:
            self.token = token.group(1)
        return status, body

    def post(self, path: str, fields: dict[str, str], files: dict[str, list[tuple[str, bytes]]] | None = None) -> tuple[int, str]:  # fmt: skip
        boundary = uuid.uuid4().hex
        body = _multipart(boundary, {"csrfmiddlewaretoken": self.token, **fields}, files or {})
        request = urllib.request.Request(
            self.base + path,
            data=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": self.base + path,
            },
        )
        return self._send(request)

    def _send(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=180) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _multipart(boundary: str, fields: dict[str, str], files: dict[str, list[tuple[str, bytes]]]) -> bytes:
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, items in files.items():
        for filename, content in items:
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            )
            parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)
