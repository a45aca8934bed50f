"""`gongkai restore`: an archive into an empty GONGKAI_HOME (SQLite) or an empty PostgreSQL database.

Nothing is written until the whole archive has been read and every member checked against the
manifest (``read_archive``); then it is read a second time into a staging directory inside
GONGKAI_HOME (checked again: the file could have changed in between), and the stored files and the
database are moved into place. An archive whose database has migrations this code does not know comes
from a newer gongkai and is refused; one that lacks some of ours is migrated after the restore.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from gongkai.backup.archive import MEDIA_DIR, QUIET, BackupError, Manifest, Progress, read_archive
from gongkai.backup.database import engine, media_root, pg_restore, postgres_relations, sqlite_path

ENGINE_LABEL = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class RestoreRefused(BackupError):
    """The target is not empty, or the archive cannot be restored by this code; nothing was written."""


@dataclass
class Compatibility:
    unknown: list[str] = field(default_factory=list)  # migrations in the archive this code lacks
    pending: list[str] = field(default_factory=list)  # migrations of this code the archive lacks

    def describe(self) -> str:
        if self.unknown:
            return (
                f"备份比本程序新（含本程序没有的迁移：{_listed(self.unknown)}），无法恢复，请先升级 gongkai"
            )
        if self.pending:
            return f"备份早于本程序：恢复后将执行 {len(self.pending)} 个新迁移（{_listed(self.pending)}）"
        return "与本程序的数据库结构一致"


@dataclass
class RestoreResult:
    manifest: Manifest
    migrated: list[str]
    target: str


def _listed(names: list[str], limit: int = 5) -> str:
    return "、".join(names[:limit]) + (f" 等 {len(names)} 个" if len(names) > limit else "")


def compatibility(manifest: Manifest) -> Compatibility:
    """How the archive's applied migrations compare with this code's migration files."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)  # from the files only, no database
    applied = manifest.applied()
    unknown = sorted(f"{app}.{name}" for app, name in applied - set(loader.disk_migrations))
    pending = []
    for key in sorted(loader.graph.nodes):
        migration = loader.graph.nodes[key]
        if key in applied or (migration.replaces and all(tuple(r) in applied for r in migration.replaces)):
            continue
        pending.append(f"{key[0]}.{key[1]}")
    return Compatibility(unknown, pending)


def check_archive(path: Path, *, progress: Progress = QUIET) -> tuple[Manifest, Compatibility]:
    """Verify the archive completely without writing anything; raises ``ArchiveRejected``."""
    progress.say(f"正在校验 {path}……")
    manifest = read_archive(path, progress=progress)
    return manifest, compatibility(manifest)


def restore_backup(path: Path, *, progress: Progress = QUIET) -> RestoreResult:
    """Restore the archive into the configured (empty) GONGKAI_HOME / database."""
    target = engine()
    _refuse_non_empty(target)
    manifest, compat = check_archive(path, progress=progress)
    _refuse_incompatible(manifest, compat, target)
    home = Path(settings.GONGKAI_HOME)
    home.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=home, prefix=".restore-"))
    try:
        progress.say("校验通过，正在解出……")
        read_archive(path, extract_to=staging, progress=progress)
        _refuse_non_empty(target)  # still empty: nobody started the server meanwhile
        placed = _place_files(staging / MEDIA_DIR, media_root())
        try:
            progress.say(f"已放回 {len(placed):,} 个存储文件，正在恢复数据库……")
            _place_database(staging / manifest.database_member, target)
        except BaseException:
            for placed_file in placed:
                placed_file.unlink(missing_ok=True)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if compat.pending:
        progress.say(f"正在执行 {len(compat.pending)} 个新迁移……")
        call_command("migrate", interactive=False, verbosity=0)
    return RestoreResult(manifest, compat.pending, _target_label(target))


def _target_label(target: str) -> str:
    if target == "sqlite":
        return str(sqlite_path())
    return f"PostgreSQL 数据库 {connection.settings_dict.get('NAME')}"


def _existing_files(root: Path) -> list[Path]:
    found = []
    for dirpath, _dirs, files in os.walk(root):
        found += [Path(dirpath) / f for f in files]
    return sorted(found)


def _refuse_non_empty(target: str) -> None:
    problems = []
    if target == "sqlite":
        db = sqlite_path()
        for path in (db, db.with_name(db.name + "-wal")):
            if path.exists() and path.stat().st_size > 0:
                problems.append(f"已有数据库文件 {path}")
    else:
        relations = postgres_relations()
        if relations:
            raise RestoreRefused(
                f"数据库 {connection.settings_dict.get('NAME')} 不是空的（已有 {relations} 个表、视图或序列）："
                "恢复只写入空数据库，请新建一个空数据库（createdb）并让 DATABASE_URL 指向它"
            )
    files = _existing_files(media_root())
    if files:
        problems.append(f"MEDIA_ROOT（{media_root()}）中已有 {len(files)} 个存储文件（如 {files[0]}）")
    if problems:
        raise RestoreRefused(
            f"GONGKAI_HOME（{settings.GONGKAI_HOME}）不是空的：{'；'.join(problems)}。"
            "恢复只写入空的 GONGKAI_HOME：请把 GONGKAI_HOME 指向一个新的空目录，或先移走现有数据"
        )


def _refuse_incompatible(manifest: Manifest, compat: Compatibility, target: str) -> None:
    if manifest.engine != target:
        how = (
            "请去掉 DATABASE_URL，恢复到 GONGKAI_HOME 中的 SQLite 数据库"
            if manifest.engine == "sqlite"
            else "请用 DATABASE_URL 指向一个空的 PostgreSQL 数据库后再恢复"
        )
        raise RestoreRefused(
            f"此备份的数据库是 {ENGINE_LABEL[manifest.engine]}，当前配置的是 {ENGINE_LABEL[target]}：{how}"
        )
    if compat.unknown:
        raise RestoreRefused(
            f"此备份来自较新版本的 gongkai（{manifest.gongkai_version}），含本程序没有的数据库迁移："
            f"{_listed(compat.unknown)}。请先把 gongkai 升级到该版本或更新版本再恢复"
        )


def _place_files(source: Path, media: Path) -> list[Path]:
    placed: list[Path] = []
    try:
        for path in _existing_files(source):
            dest = media / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.move(path, dest)
            placed.append(dest)
    except BaseException:
        for done in placed:
            done.unlink(missing_ok=True)
        raise
    return placed


def _place_database(staged: Path, target: str) -> None:
    if target == "postgresql":
        pg_restore(staged)
        return
    db = sqlite_path()
    db.parent.mkdir(parents=True, exist_ok=True)
    # A journal left beside an empty database file belongs to no database: applied to the restored
    # file it would corrupt it.
    for stale in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    shutil.move(staged, db)
