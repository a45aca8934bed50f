"""Issue 12, point 1: the deployment files in deploy/ — systemd units that systemd accepts, an nginx site that
nginx accepts, whose size cap matches gongkai's upload limits, and which, run in front of a real
`gongkai serve` with GONGKAI_PRODUCTION=1, redirects to HTTPS, passes the visitor's scheme and address
(and nothing a visitor claims) and refuses oversized bodies."""

from __future__ import annotations

import configparser
import http.client
import math
import os
import re
import shutil
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gongkai.portal.middleware import MAX_PUBLIC_POST_BYTES
from gongkai.publications.attachments import MAX_ATTACHMENT_BYTES

from .conftest import clean_env, free_port

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
MIB = 1024 * 1024
HOST = "gk.example.gov.cn"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


def test_nginx_body_limit_matches_the_largest_upload() -> None:
    site = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    (limit,) = re.findall(r"client_max_body_size (\d+)m;", site)
    # The largest body gongkai takes, plus a megabyte for the form around the file.
    assert int(limit) == math.ceil((max(MAX_ATTACHMENT_BYTES, MAX_PUBLIC_POST_BYTES) + MIB) / MIB)
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in site


def test_units_run_serve_and_tick_with_the_same_configuration() -> None:
    server, tick, timer = unit("gongkai.service"), unit("gongkai-tick.service"), unit("gongkai-tick.timer")
    start = server["Service"]["ExecStart"]
    assert start.endswith("gongkai serve --host 127.0.0.1 --port 8000")
    assert "server 127.0.0.1:8000;" in (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    assert server["Service"]["Type"] == "notify" and "HUP" in server["Service"]["ExecReload"]
    assert tick["Service"]["ExecStart"].endswith("gongkai tick") and tick["Service"]["Type"] == "oneshot"
    for service in (server, tick):
        assert service["Service"]["EnvironmentFile"] == "/etc/gongkai/gongkai.env"
        assert service["Service"]["User"] == "gongkai"
    assert timer["Timer"]["OnUnitActiveSec"] == "1min"


def test_the_example_environment_names_only_settings_gongkai_reads() -> None:
    names = {
        line.split("=", 1)[0].lstrip("#")
        for line in (DEPLOY / "gongkai.env.example").read_text(encoding="utf-8").splitlines()
        if re.match(r"#?[A-Z_]+=", line)
    }
    src = Path(__file__).resolve().parents[2] / "src" / "gongkai"
    code = "".join(p.read_text(encoding="utf-8") for p in src.rglob("*.py"))
    assert "GONGKAI_PRODUCTION" in names and "GONGKAI_BACKUP_DIR" in names
    # GONGKAI_EMAIL_URL is read by the mail settings; the rest by settings.py and ops.
    assert {n for n in names if n not in code} <= {"GONGKAI_EMAIL_URL"}


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    repo = DEPLOY.parent
    for name in ("gongkai.service", "gongkai-tick.service", "gongkai-tick.timer"):
        text = (DEPLOY / name).read_text(encoding="utf-8")
        text = text.replace("/opt/gongkai/.venv/bin/gongkai", str(Path(sys.executable).parent / "gongkai"))
        text = text.replace("/etc/gongkai/gongkai.env", str(DEPLOY / "gongkai.env.example"))
        (tmp_path / name).write_text(text.replace("/opt/gongkai", str(repo)), encoding="utf-8")
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *(str(p) for p in sorted(tmp_path.iterdir()))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    problems = [line for line in done.stderr.splitlines() if "gongkai" in line]
    assert problems == []


def _nginx_site(tmp_path: Path, app_port: int, http_port: int, https_port: int) -> Path:
    """deploy/nginx.conf on loopback ports, with a throwaway certificate and files under tmp_path."""
    done = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={HOST}",
         "-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")],
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    site = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    site = re.sub(r"\n\s*listen \[::\][^\n]*", "", site)
    site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    site = site.replace("/etc/ssl/gongkai", str(tmp_path)).replace("/var/log/nginx", str(tmp_path))
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    temp = "\n".join(
        f"  {kind}_temp_path {tmp_path}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = tmp_path / "nginx.conf"
    main.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        + f"http {{\n{temp}\n  include {tmp_path}/site.conf;\n}}\n",
        encoding="utf-8",
    )
    return main


def _request(
    port: int, method: str, path: str, *, tls: bool, headers: dict[str, str] | None = None
) -> http.client.HTTPResponse:
    if tls:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            "127.0.0.1", port, timeout=20, context=context
        )
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    conn.request(method, path, headers={"Host": HOST, **(headers or {})})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


@pytest.mark.skipif(
    not (shutil.which("nginx") and shutil.which("openssl")), reason="nginx or openssl is not installed"
)
def test_nginx_in_front_of_gongkai_serve(migrated_home: Path, tmp_path: Path) -> None:
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    conf = _nginx_site(tmp_path, app_port, http_port, https_port)
    env = clean_env(
        migrated_home,
        GONGKAI_PRODUCTION="1",
        GONGKAI_SECRET_KEY="k7" * 30,
        GONGKAI_ALLOWED_HOSTS=HOST,
    )
    access = tmp_path / "gunicorn-access.log"
    serve = subprocess.Popen(
        [sys.executable, "-m", "gongkai.cli", "serve", "--port", str(app_port), "--workers", "1", "--threads", "2",
         "--access-log", str(access)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    nginx = subprocess.Popen(
        ["nginx", "-c", str(conf), "-p", str(tmp_path), "-g", "daemon off;"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert serve.poll() is None and nginx.poll() is None
            try:
                healthy = _request(https_port, "GET", "/healthz", tls=True)
                if healthy.status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gongkai behind nginx did not come up"
            time.sleep(0.5)

        plain = _request(http_port, "GET", "/apply/", tls=False)
        assert plain.status == 301 and plain.headers["Location"] == f"https://{HOST}/apply/"

        # A visitor's own X-Forwarded-* headers are overwritten by nginx's.
        claimed = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "http"}
        page = _request(https_port, "GET", "/apply/", tls=True, headers=claimed)
        assert page.status == 200  # not redirected: gongkai knows the visitor came over HTTPS
        assert page.headers["Strict-Transport-Security"] == "max-age=31536000"
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]
        cookie = page.headers["Set-Cookie"]
        assert cookie.startswith("csrftoken=") and "Secure" in cookie

        too_big = _request(
            https_port,
            "POST",
            "/apply/",
            tls=True,
            headers={"Content-Length": str(30 * MIB), "Content-Type": "text/plain"},
        )
        assert too_big.status == 413
    finally:
        nginx.terminate()
        serve.terminate()
        nginx.wait(timeout=30)
        serve.wait(timeout=60)
    apply_lines = [line for line in access.read_text().splitlines() if '"GET /apply/ ' in line]
    assert apply_lines and all(line.startswith("127.0.0.1 ") for line in apply_lines)
    assert "203.0.113.9" not in access.read_text()
    assert not any(
        "POST /apply/" in line for line in access.read_text().splitlines()
    )  # 413 never reached gunicorn
