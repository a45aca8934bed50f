"""Sites for the backup tests: a GONGKAI_HOME (and, for PostgreSQL, a database) that the real `gongkai`
command and the ledger process (``backup_ledger.py``) run against, each in a process of its own."""

from __future__ import annotations

import glob
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LEDGER = HERE / "backup_ledger.py"
PG_SCRIPT = HERE.parent.parent / "scripts" / "pg-throwaway.sh"

Entry = tuple[tarfile.TarInfo, bytes]


@dataclass
class Site:
    home: Path
    database_url: str | None = None
    committed_before_backup: dict[str, Any] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        self.home.parent.mkdir(parents=True, exist_ok=True)  # the processes run from beside the home
        env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_") and k != "DATABASE_URL"}
        env.update(GONGKAI_HOME=str(self.home), GONGKAI_DEBUG="1")
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def gongkai(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "gongkai.cli", *args],
            env=self.env(),
            cwd=self.home.parent,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    def ledger(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, str(LEDGER), *args],
            env=self.env(),
            cwd=self.home.parent,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def dump(self) -> dict[str, Any]:
        return json.loads(self.ledger("dump"))

    def start_writer(self, log: Path, stop: Path) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, str(LEDGER), "write", str(log), str(stop)],
            env=self.env(),
            cwd=self.home.parent,
            stderr=subprocess.PIPE,
            text=True,
        )

    @property
    def media(self) -> Path:
        return self.home / "media"

    def media_files(self) -> dict[str, bytes]:
        return {
            p.relative_to(self.media).as_posix(): p.read_bytes()
            for p in sorted(self.media.rglob("*"))
            if p.is_file()
        }

    def has_data(self) -> bool:
        db = self.home / "gongkai.sqlite3"
        return (db.exists() and db.stat().st_size > 0) or bool(self.media.exists() and self.media_files())


def entries(archive: Path) -> list[Entry]:
    with tarfile.open(archive, "r:*") as tar:
        return [(m, tar.extractfile(m).read() if m.isreg() else b"") for m in tar]  # type: ignore[union-attr]


def write_archive(dst: Path, items: list[Entry]) -> Path:
    with tarfile.open(dst, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        for info, data in items:
            info.size = len(data) if info.isreg() else 0
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return dst


def rebuild(src: Path, dst: Path, edit: Callable[[list[Entry]], list[Entry]]) -> Path:
    """A copy of the archive ``src`` whose members ``edit`` changed (the manifest left as it was unless
    ``edit`` changes it), written as a valid gzip tar: only our own checks can catch the change."""
    return write_archive(dst, edit(entries(src)))


def member(name: str, data: bytes = b"", *, kind: bytes = tarfile.REGTYPE, link: str = "") -> Entry:
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.mode = kind, link, 0o600
    return info, data


def manifest_of(items: list[Entry]) -> dict[str, Any]:
    return json.loads(next(data for info, data in items if info.name == "manifest.json"))


def with_manifest(items: list[Entry], manifest: dict[str, Any]) -> list[Entry]:
    data = json.dumps(manifest, ensure_ascii=False).encode()
    return [(info, data if info.name == "manifest.json" else raw) for info, raw in items]


# -- a backup while the ledger is being written ----------------------------------------------------


def backup_during_writes(site: Site, archive: Path) -> None:
    """Back the site up while another process files applications (and adds and removes attachments);
    keeps on ``site.committed_before_backup`` a dump taken before the backup started."""
    log, stop = archive.with_suffix(".committed"), archive.with_suffix(".stop")
    writer = site.start_writer(log, stop)
    try:
        _wait_for_lines(log, 10)
        site.committed_before_backup = site.dump()  # everything here committed before the backup
        during = _lines(log)
        done = site.gongkai("backup", str(archive))
        assert done.returncode == 0, done.stderr
        assert _lines(log) > during, "the writer must have committed cases while the backup ran"
    finally:
        stop.touch()
        writer.wait(timeout=60)
    assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""


def assert_restored_everything_committed(before: dict[str, Any], after: dict[str, Any]) -> None:
    assert before["cases"].items() <= after["cases"].items()
    for scan in before["scans"]:
        assert scan in after["scans"]
    audit = {json.dumps(row, sort_keys=True) for row in after["audit"]}
    assert all(json.dumps(row, sort_keys=True) in audit for row in before["audit"])
    # Every row of the restored snapshot finds its file, with the bytes the row vouches for.
    for row in after["scans"] + after["attachments"]:
        assert after["files_on_disk"][row["storage_name"]] == row["sha256"], row
    # Every restored case has the audit row of its submission.
    submitted = {row[3] for row in after["audit"] if row[1] == "portal.application_submit"}
    assert {str(case["pk"]) for case in after["cases"].values()} <= submitted


def _lines(log: Path) -> int:
    return len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0


def _wait_for_lines(log: Path, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while _lines(log) < count:
        assert time.monotonic() < deadline, "the writer committed nothing"
        time.sleep(0.1)


# -- PostgreSQL ------------------------------------------------------------------------------------


def postgres_missing() -> str | None:
    """Why the PostgreSQL tests cannot run here, or None."""
    if not glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"):
        return "PostgreSQL is not installed (Debian: apt-get install postgresql; .ci/run installs it)"
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            return f"{tool} is not on PATH (Debian: apt-get install postgresql-client)"
    return None


@contextmanager
def postgres_cluster() -> Iterator[str]:
    """A throwaway cluster (scripts/pg-throwaway.sh); yields the server's URL without a database name."""
    env = dict(os.environ, GONGKAI_PG_DIR=f"/tmp/gongkai-pg-backup-{uuid.uuid4().hex[:8]}")
    url = subprocess.run(
        [str(PG_SCRIPT), "start"], env=env, capture_output=True, text=True, check=True, timeout=120
    ).stdout.strip()
    try:
        yield url.rsplit("/", 1)[0]
    finally:
        subprocess.run([str(PG_SCRIPT), "stop"], env=env, capture_output=True, check=False, timeout=120)


def create_database(server: str, name: str) -> str:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"
