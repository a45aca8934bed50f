"""Issue 12, point 1: `gongkai serve` runs gunicorn sized to the machine; `--debug` keeps runserver."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from gunicorn.config import Config

from gongkai.ops import serving
from gongkai.ops.serving import Machine, plan_for

from .conftest import clean_env, free_port

GIB = 1024**3


def test_two_cores_get_five_workers_of_four_threads() -> None:
    plan = plan_for(Machine(cpus=2, memory_bytes=8 * GIB), port=8123)
    assert (plan.workers, plan.threads, plan.bind) == (5, 4, "127.0.0.1:8123")


@pytest.mark.parametrize(
    ("machine", "workers"),
    [
        (Machine(cpus=1, memory_bytes=8 * GIB), 3),
        (Machine(cpus=32, memory_bytes=64 * GIB), serving.MAX_WORKERS),
        # Half of 1 GiB holds two 256 MB workers, not the nine that 4 CPUs would suggest.
        (Machine(cpus=4, memory_bytes=1 * GIB), 2),
        # Never fewer than two: one restarts while the other serves.
        (Machine(cpus=1, memory_bytes=GIB // 4), 2),
        (Machine(cpus=4, memory_bytes=None), 9),
    ],
)
def test_workers_follow_cpus_and_memory(machine: Machine, workers: int) -> None:
    assert plan_for(machine).workers == workers


def test_explicit_sizes_and_ipv6_bind() -> None:
    plan = plan_for(Machine(cpus=8, memory_bytes=None), host="::1", port=9000, workers=1, threads=16)
    assert (plan.workers, plan.threads, plan.bind) == (1, 16, "[::1]:9000")


def test_this_machine_is_measured() -> None:
    machine = serving.this_machine()
    assert machine.cpus >= 1 and (machine.memory_bytes is None or machine.memory_bytes > 64 * 1024**2)


def test_the_command_line_is_one_gunicorn_accepts() -> None:
    plan = plan_for(Machine(cpus=2, memory_bytes=8 * GIB), port=8123, access_log="/tmp/a.log")
    argv = plan.argv()
    assert argv[:3] == [sys.executable, "-m", "gunicorn"] and argv[-1] == "gongkai.config.wsgi:application"
    cfg = Config()
    parsed = cfg.parser().parse_args(argv[3:])
    for name, value in vars(parsed).items():
        if value is not None and name in cfg.settings:
            cfg.set(name, value)
    assert cfg.worker_class_str == "gthread"
    assert (cfg.workers, cfg.threads, cfg.bind) == (5, 4, ["127.0.0.1:8123"])
    assert cfg.accesslog == "/tmp/a.log" and cfg.errorlog == "-"
    assert cfg.graceful_timeout == 30 and cfg.max_requests == serving.MAX_REQUESTS
    assert parsed.config == "python:gongkai.ops.gunicorn_conf"


def test_gunicorn_believes_no_forwarding_header() -> None:
    from gongkai.ops import gunicorn_conf

    cfg = Config()
    cfg.set("secure_scheme_headers", gunicorn_conf.secure_scheme_headers)
    cfg.set("forwarder_headers", gunicorn_conf.forwarder_headers)
    assert cfg.secure_scheme_headers == {} and cfg.forwarder_headers == []


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _wait_healthy(
    url: str, server: subprocess.Popen[str], seconds: float = 90
) -> tuple[int, dict[str, str], bytes]:
    deadline = time.monotonic() + seconds
    while True:
        assert server.poll() is None, server.communicate()[0]
        try:
            return _get(url)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_serve_runs_gunicorn_answers_healthz_and_restarts_gracefully(
    migrated_home: Path, tmp_path: Path
) -> None:
    port = free_port()
    access = tmp_path / "access.log"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gongkai.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            "--threads",
            "2",
            "--access-log",
            str(access),
        ],
        env=clean_env(migrated_home),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status, headers, body = _wait_healthy(f"http://127.0.0.1:{port}/healthz", server)
        assert status == 200 and headers["Server"] == "gunicorn"
        assert json.loads(body) == {"status": "ok", "database": "ok", "storage": "ok"}
        # An empty installation still serves, so that the office can be entered in the admin.
        assert _get(f"http://127.0.0.1:{port}/admin/login/")[0] == 200

        server.send_signal(signal.SIGHUP)  # systemctl reload: new workers, the master stays
        time.sleep(3)
        assert _get(f"http://127.0.0.1:{port}/healthz")[0] == 200
        assert server.poll() is None

        # The database file gone (a folder in its place): every new connection fails, healthz says so.
        database = migrated_home / "gongkai.sqlite3"
        database.rename(tmp_path / "moved.sqlite3")
        database.mkdir()
        status, _, body = _get(f"http://127.0.0.1:{port}/healthz")
        assert status == 503
        assert json.loads(body) == {
            "status": "error",
            "database": "数据库无法连接或无法查询",
            "storage": "ok",
        }
        database.rmdir()
        (tmp_path / "moved.sqlite3").rename(database)
        assert _get(f"http://127.0.0.1:{port}/healthz")[0] == 200
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert server.returncode == 0, output
    assert "gunicorn，2 个进程 × 2 个线程" in output and "尚未设置本机关信息" in output
    assert "Handling signal: hup" in output and "Shutting down: Master" in output
    lines = access.read_text().splitlines()
    assert any('"GET /healthz HTTP/1.1" 200' in line for line in lines)


def test_serve_debug_keeps_the_development_server(migrated_home: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gongkai.cli", "serve", "--debug", "--port", str(port)],
        env=clean_env(migrated_home),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status, headers, _ = _wait_healthy(f"http://127.0.0.1:{port}/healthz", server)
        assert status == 200 and headers["Server"].startswith("WSGIServer")
    finally:
        server.terminate()
        output: Any = server.communicate(timeout=60)[0]
    assert "开发服务器" in output
