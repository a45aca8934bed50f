"""`gongkai backup` / `gongkai restore` on PostgreSQL (pg_dump / pg_restore), on a throwaway cluster of
their own (scripts/pg-throwaway.sh), so that they run in the ordinary test pass wherever PostgreSQL is
installed (.ci/run installs it)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ops.backup_support import (
    Site,
    assert_restored_everything_committed,
    backup_during_writes,
    create_database,
    entries,
    manifest_of,
    postgres_cluster,
    postgres_missing,
)

pytestmark = pytest.mark.skipif(postgres_missing() is not None, reason=str(postgres_missing()))


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with postgres_cluster() as url:
        yield url


@pytest.fixture(scope="module")
def site(server: str, tmp_path_factory: pytest.TempPathFactory) -> Site:
    """An office with applications, ID scans and attachments in PostgreSQL (both tests add to it)."""
    site = Site(tmp_path_factory.mktemp("pg-source") / "home", create_database(server, "source"))
    site.ledger("setup")
    return site


def test_postgres_round_trip(server: str, site: Site, tmp_path: Path) -> None:
    archive = tmp_path / "pg.tar.gz"
    done = site.gongkai("backup", str(archive))
    assert done.returncode == 0, done.stderr
    manifest = manifest_of(entries(archive))
    assert manifest["engine"] == "postgresql" and manifest["database_member"] == "database/gongkai.pgdump"

    target = Site(tmp_path / "restored" / "home", create_database(server, "restored"))
    done = target.gongkai("restore", str(archive))
    assert done.returncode == 0, done.stderr
    assert "PostgreSQL 数据库 restored" in done.stdout
    assert target.dump() == site.dump()
    assert target.media_files() == site.media_files()

    # The database is no longer empty: a second restore into it is refused, and writes no file.
    again = Site(tmp_path / "again" / "home", target.database_url)
    done = again.gongkai("restore", str(archive))
    assert done.returncode == 2 and "数据库 restored 不是空的" in done.stderr and "createdb" in done.stderr
    assert not again.has_data()

    # A PostgreSQL backup cannot go into SQLite.
    sqlite = Site(tmp_path / "sqlite" / "home")
    done = sqlite.gongkai("restore", str(archive))
    assert done.returncode == 2 and "此备份的数据库是 PostgreSQL，当前配置的是 SQLite" in done.stderr
    assert not sqlite.has_data()


def test_postgres_backup_taken_during_writes(server: str, site: Site, tmp_path: Path) -> None:
    backup_during_writes(site, tmp_path / "busy.tar.gz")
    target = Site(tmp_path / "restored" / "home", create_database(server, "busy_restored"))
    done = target.gongkai("restore", "-q", str(tmp_path / "busy.tar.gz"))
    assert done.returncode == 0, done.stderr
    assert_restored_everything_committed(site.committed_before_backup, target.dump())


def test_postgres_snapshot_holds_writers_of_file_tables_back(site: Site, tmp_path: Path) -> None:
    probe = json.loads(site.ledger("lockprobe", str(tmp_path)))
    assert probe == {"during": "blocked", "after": "written", "dumped": True}
